/**
 * The screen's language at run time. Only the active locale's messages are in the browser: the
 * root layout's server load sends them with the page (catalog.ts), and the switcher fetches
 * another locale's from `/api/messages/<locale>`. `t` reads reactive state, so a switch
 * re-renders the words in place: no reload, the game's socket stays open.
 *
 * On the server the active messages are set by the root layout while it renders, and SvelteKit
 * renders a page synchronously after its loads: one request's render never sees another's.
 */
import { LOCALES, LOCALE_COOKIE, type Locale } from './locales';
import { formatNumber, render, type Params } from './format';
import type { MessageKey, Messages } from './messages/en';

let active = $state.raw<{ locale: Locale; messages: Messages | null }>({
	locale: 'en',
	messages: null
});

/** The root layout hands over what its load found; the switcher, what it loaded. */
export function useMessages(locale: Locale, messages: Messages): void {
	active = { locale, messages };
}

export function locale(): Locale {
	return active.locale;
}

/** The message `key` in the screen's language, its `{parameters}` filled in. */
export function t(key: MessageKey, params?: Params): string {
	const { locale, messages } = active;
	const message = messages?.[key];
	return message === undefined ? key : render(locale, message, params);
}

/** A number in the screen's language. */
export function n(value: number): string {
	return formatNumber(active.locale, value);
}

/** The switcher: load the locale's messages, show them, remember the choice. */
export async function switchLocale(to: Locale): Promise<void> {
	const response = await fetch(`/api/messages/${to}`);
	if (!response.ok) return;
	const messages = (await response.json()) as Messages;
	useMessages(to, messages);
	document.cookie = `${LOCALE_COOKIE}=${to}; path=/; max-age=31536000; samesite=lax`;
	document.documentElement.lang = to;
	document.documentElement.dir = LOCALES[to].dir;
}

/**
 * A message cut at its parameters, for markup around them (a nickname in `<bdi>`, a PIN in
 * `<strong>`): `{ text }` pieces as written, `{ param, text }` for the filled-in values.
 */
export function parts(key: MessageKey, params: Params): { text: string; param?: string }[] {
	const { locale, messages } = active;
	const message = messages?.[key];
	if (message === undefined) return [{ text: key }];
	const template = render(locale, message, undefined, params);
	const pieces: { text: string; param?: string }[] = [];
	let last = 0;
	for (const match of template.matchAll(/\{(\w+)\}/g)) {
		const name = match[1]!;
		if (!Object.hasOwn(params, name)) continue;
		const value = params[name];
		if (match.index > last) pieces.push({ text: template.slice(last, match.index) });
		pieces.push({ param: name, text: typeof value === 'number' ? n(value) : (value ?? '') });
		last = match.index + match[0].length;
	}
	if (last < template.length) pieces.push({ text: template.slice(last) });
	return pieces;
}

/** Text the server wrote in English (a refusal, a close reason): ours, when we have its words. */
export function serverText(key: MessageKey | null, english: string, params?: Params): string {
	if (active.locale === 'en' || key === null || !active.messages?.[key]) return english;
	return t(key, params);
}

export function hasMessage(key: string): key is MessageKey {
	return active.messages !== null && Object.hasOwn(active.messages, key);
}
