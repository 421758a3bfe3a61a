/**
 * Opening a one-time link (setup, invitation, `npm run admin -- link`): it is used, this
 * browser is signed in as its account, and the account page welcomes them. Shared by the three
 * routes; the kind comes from the link itself, not from the address it was opened under.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { setSessionCookie } from '../web/cookies.ts';
import { deviceLabel } from '../web/device-label.ts';

export type LinkVisit = { refused: string } | { preview: true };

export async function visitLink(event: RequestEvent<{ token: string }>): Promise<LinkVisit> {
	const { request, locals, cookies, url, params } = event;
	// A browser fetching the page ahead of a click (prerender, link preview) must not use it up.
	const purpose = request.headers.get('sec-purpose') ?? request.headers.get('purpose') ?? '';
	if (/prefetch|prerender/i.test(purpose)) return { preview: true };
	const { accounts } = locals.services;
	const used = await accounts.useLink(params.token, deviceLabel(request.headers.get('user-agent')));
	if (!used.ok) return { refused: used.message };
	// Whoever was signed in on this browser before is signed out of it: the link says who it is.
	if (locals.session && locals.session.accountId !== used.account.id) {
		await accounts.signOut(locals.session.id);
	}
	setSessionCookie(cookies, used.token, url, used.session.expiresAt);
	redirect(303, `/account?welcome=${used.kind}`);
}
