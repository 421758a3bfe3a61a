import { error, json } from '@sveltejs/kit';
import { messagesOf } from '$lib/i18n/catalog';
import { isLocale } from '$lib/i18n/locales';
import type { RequestHandler } from './$types';

/** One locale's messages, for the language switcher: the words change without a reload. */
export const GET: RequestHandler = ({ params }) => {
	if (!isLocale(params.locale)) error(404, { message: 'No such language', code: 'unknown-locale' });
	return json(messagesOf(params.locale), {
		headers: { 'cache-control': 'public, max-age=3600' }
	});
};
