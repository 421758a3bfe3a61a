/**
 * The message format: a message is a string with `{name}` placeholders, or a plural message that
 * picks its form by `Intl.PluralRules` from the `count` parameter (`type: 'ordinal'` for
 * ordinals: 1st, 2nd). Forms are the CLDR categories (`zero`, `one`, `two`, `few`, `many`,
 * `other`) and exact matches (`=0`); only `other` is required, each language lists what its
 * rules use (Polish: one, few, many, other). Numbers in parameters are written by
 * `Intl.NumberFormat` in the message's locale. No sentence is ever glued together from parts.
 */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

export type PluralMessage = { type?: 'ordinal' } & Partial<Record<PluralCategory, string>> & {
		other: string;
	} & { [exact: `=${number}`]: string };

export type Message = string | PluralMessage;

/** Values for `{name}`s; null and undefined fill in nothing. */
export type Params = Record<string, string | number | null | undefined>;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function rulesFor(locale: string, type: 'cardinal' | 'ordinal'): Intl.PluralRules {
	const key = `${locale}:${type}`;
	let rules = pluralRules.get(key);
	if (!rules) pluralRules.set(key, (rules = new Intl.PluralRules(locale, { type })));
	return rules;
}

/** A number as the locale writes it: 1,234 in English, 1.234 in German, ١٬٢٣٤ in Arabic. */
export function formatNumber(locale: string, value: number): string {
	let format = numberFormats.get(locale);
	if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
	return format.format(value);
}

/** The form of a plural message for `count`. */
export function pluralForm(locale: string, message: PluralMessage, count: number): string {
	const exact = message[`=${count}`];
	if (exact !== undefined) return exact;
	const category = rulesFor(locale, message.type ?? 'cardinal').select(count);
	return message[category] ?? message.other;
}

/** A message with its parameters filled in. */
export function render(
	locale: string,
	message: Message,
	params?: Params,
	/** The plural's parameters when `params` is left out: the form picked, nothing filled in. */
	choosing: Params | undefined = params
): string {
	const text =
		typeof message === 'string'
			? message
			: pluralForm(locale, message, Number(choosing?.count ?? 0));
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
		if (!Object.hasOwn(params, name)) return whole;
		const value = params[name];
		return typeof value === 'number' ? formatNumber(locale, value) : (value ?? '');
	});
}
