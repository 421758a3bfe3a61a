/**
 * The interface languages. Adding one: a message file `messages/<code>.ts` (a copy of `en.ts`,
 * translated) and its line here. The order is the switcher's.
 */
export const LOCALES = {
	en: { name: 'English', dir: 'ltr' },
	de: { name: 'Deutsch', dir: 'ltr' },
	fr: { name: 'Français', dir: 'ltr' },
	es: { name: 'Español', dir: 'ltr' },
	ar: { name: 'العربية', dir: 'rtl' },
	pl: { name: 'Polski', dir: 'ltr' }
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl' }>;

export type Locale = keyof typeof LOCALES;

/** The language of anyone whose browser asks for none of ours, and of the terminal. */
export const DEFAULT_LOCALE: Locale = 'en';

/** The cookie that remembers a choice made in the switcher (one year, whole site). */
export const LOCALE_COOKIE = 'lang';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && Object.hasOwn(LOCALES, value);
}

/** Right-to-left scripts, for text whose language is not one of ours (a quiz's `lang`). */
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

/** The direction of any BCP 47 tag: `ar-EG` and `fa` are right to left, `en` and `de` are not. */
export function directionOf(tag: string): 'ltr' | 'rtl' {
	const language = tag.toLowerCase().split(/[-_]/)[0] ?? '';
	return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

/**
 * `Accept-Language` (or `navigator.languages`) in the browser's order of preference: quality
 * weights sorted high to low, `q=0` dropped, ties kept in the order written.
 */
export function preferredLanguages(header: string | null | undefined): string[] {
	if (!header) return [];
	return header
		.split(',')
		.map((part, index) => {
			const [tag = '', ...params] = part.trim().split(';');
			const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p)?.[1]).find(Boolean);
			const quality = q === undefined ? 1 : Number(q);
			return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
		})
		.filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.quality > 0)
		.sort((a, b) => b.quality - a.quality || a.index - b.index)
		.map((entry) => entry.tag);
}

/** The first of the browser's languages we speak: an exact tag's language (`de-AT` → `de`). */
export function matchLocale(languages: readonly string[]): Locale | null {
	for (const tag of languages) {
		const language = tag.toLowerCase().split(/[-_]/)[0];
		if (isLocale(language)) return language;
	}
	return null;
}

/** A screen's language: the switcher's remembered choice, else the browser's, else English. */
export function chooseLocale(
	cookie: string | null | undefined,
	acceptLanguage: string | null | undefined
): Locale {
	if (isLocale(cookie)) return cookie;
	return matchLocale(preferredLanguages(acceptLanguage)) ?? DEFAULT_LOCALE;
}

/**
 * The answer grid's direction: the quiz's, not the screen's, so the red triangle sits where it
 * sits on the projector whatever language the phone speaks. No `lang`: English, left to right.
 */
export function quizDirection(question: { lang?: string | undefined }): 'ltr' | 'rtl' {
	return question.lang ? directionOf(question.lang) : 'ltr';
}
