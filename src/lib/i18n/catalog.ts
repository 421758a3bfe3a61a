/**
 * Every locale's messages, for the server: the root layout sends the page's own locale with the
 * page's data, and `/api/messages/<locale>` sends another when the switcher asks. The browser
 * never bundles a message file: it gets the one locale it shows, as data.
 */
import type { Locale } from './locales';
import type { Messages } from './messages/en';

const files = import.meta.glob<{ default: Messages }>('./messages/*.ts', { eager: true });

export function messagesOf(locale: Locale): Messages {
	const file = files[`./messages/${locale}.ts`];
	if (!file) throw new Error(`No message file for ${locale}`);
	return file.default;
}
