import { json } from '@sveltejs/kit';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { relyingParty } from '$lib/server/accounts/passkeys';
import { setSessionCookie } from '$lib/server/web/cookies';
import { deviceLabel } from '$lib/server/web/device-label';
import { apiError, readJsonValue } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

/**
 * A challenge for any passkey this browser holds for the site (no name typed first). Each is
 * kept until answered or expired, and anyone may ask: so many a minute per address.
 */
export const GET: RequestHandler = async ({ locals, url, getClientAddress }) => {
	const asked = await locals.services.passkeys.signInOptions(relyingParty(url), getClientAddress());
	if (!asked.ok) {
		const refused = apiError(asked.code, asked.message, 429);
		refused.headers.set('retry-after', String(asked.retryAfterS));
		return refused;
	}
	return json(asked.options, { headers: { 'cache-control': 'no-store' } });
};

/** The signed challenge: checked against the stored passkey, then the browser is signed in. */
export const POST: RequestHandler = async ({ locals, request, url, cookies }) => {
	const read = await readJsonValue(request, 64 * 1024);
	if (!read.ok) return read.response;
	const signedIn = await locals.services.passkeys.signIn(
		read.data as AuthenticationResponseJSON,
		relyingParty(url),
		deviceLabel(request.headers.get('user-agent'))
	);
	if (!signedIn.ok) return apiError(signedIn.code, signedIn.message, 400);
	setSessionCookie(cookies, signedIn.token, url, signedIn.session.expiresAt);
	return json({ name: signedIn.account.name });
};
