import { messagesOf } from '$lib/i18n/catalog';
import type { LayoutServerLoad } from './$types';

/**
 * Who is signed in, for the account bar on hosts' pages (nothing for players), and the
 * screen's language (hooks.server.ts chose it from the cookie or the browser's languages) with
 * its messages: the only locale this page loads, sent with the page rather than as a script.
 */
export const load: LayoutServerLoad = async ({ locals }) => ({
	account: locals.account
		? { name: locals.account.name, admin: locals.account.role === 'admin' }
		: null,
	locale: locals.locale,
	messages: messagesOf(locals.locale)
});
