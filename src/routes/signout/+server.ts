import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/web/cookies';
import type { RequestHandler } from './$types';

/** Ends this browser's session, wherever it was signed in from; the cookie goes too. */
export const POST: RequestHandler = async ({ locals, cookies, url }) => {
	if (locals.session) await locals.services.accounts.signOut(locals.session.id);
	clearSessionCookie(cookies, url);
	redirect(303, '/signin?signedOut=1');
};
