/**
 * A one-time link (setup, invitation, `npm run admin -- link`), shared by its three routes; the
 * kind comes from the link itself, not from the address it was opened under.
 *
 * Opening it (GET, HEAD) only shows it: who it is for, what it does, and a button. Chat apps
 * fetch a link to preview it and mail scanners fetch every link in a message, so a GET must not
 * use it up nor sign anyone in. The button's POST (cross-site posts are refused, as for every
 * form) uses it and signs this browser in.
 */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '../storage/accounts.ts';
import type { LinkKind } from './account-service.ts';
import { setSessionCookie } from '../web/cookies.ts';
import { deviceLabel } from '../web/device-label.ts';

/** What the link's page shows. */
export type LinkPage =
	/** Used, expired or refused, to a browser signed in as nobody. */
	| { show: 'refused'; message: string }
	/**
	 * Signed in as the link's account already, or signed in and the link no longer works (the
	 * setup link reopened in the browser that used it): nothing to do here.
	 */
	| { show: 'signed-in'; name: string; linkWorks: boolean }
	/** The button. `signedInAs`: someone else is signed in here, and pressing signs them out. */
	| {
			show: 'offer';
			kind: LinkKind;
			/** Null for the setup link: the admin it makes is called "Admin" until renamed. */
			name: string | null;
			role: Role;
			signedInAs: string | null;
	  };

export async function showLink(event: RequestEvent<{ token: string }>): Promise<LinkPage> {
	const { locals, params } = event;
	const me = locals.account;
	const link = await locals.services.accounts.peekLink(params.token);
	if (!link.ok) {
		return me
			? { show: 'signed-in', name: me.name, linkWorks: false }
			: { show: 'refused', message: link.message };
	}
	if (me && link.account?.id === me.id)
		return { show: 'signed-in', name: me.name, linkWorks: true };
	return {
		show: 'offer',
		kind: link.kind,
		name: link.account?.name ?? null,
		role: link.account?.role ?? 'admin',
		signedInAs: me?.name ?? null
	};
}

/** The button: uses the link, signs this browser in as its account, and welcomes them. */
export async function useLink(event: RequestEvent<{ token: string }>) {
	const { request, locals, cookies, url, params } = event;
	const { accounts } = locals.services;
	// Signed in as its account already (a form sent from an old page): nothing to use it for.
	const link = await accounts.peekLink(params.token);
	if (link.ok && link.account && link.account.id === locals.account?.id) redirect(303, '/host');
	const used = await accounts.useLink(params.token, deviceLabel(request.headers.get('user-agent')));
	if (!used.ok) return fail(400, { refused: used.message });
	// Whoever was signed in on this browser before is signed out of it (the page said so): the
	// link says who it is. Their host screens close; their games go on.
	if (locals.session) await accounts.signOut(locals.session.id);
	setSessionCookie(cookies, used.token, url, used.session.expiresAt);
	redirect(303, `/account?welcome=${used.kind}`);
}
