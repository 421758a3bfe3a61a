import { json } from '@sveltejs/kit';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { signedIn } from '$lib/server/accounts/access';
import { relyingParty } from '$lib/server/accounts/passkeys';
import { apiError, readJsonValue } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

/**
 * The browser's new passkey: checked against the challenge, then kept for the account. The
 * challenge came from POST /api/passkeys/options, only after the current password.
 */
export const POST: RequestHandler = async ({ locals, request, url }) => {
	const read = await readJsonValue(request, 64 * 1024);
	if (!read.ok) return read.response;
	const added = await locals.services.passkeys.register(
		signedIn(locals),
		read.data as RegistrationResponseJSON,
		relyingParty(url)
	);
	if (!added.ok) return apiError(added.code, added.message);
	return json({ id: added.passkeyId }, { status: 201 });
};
