import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { CONFIRM_STATUS, confirmIdentity } from '$lib/server/accounts/confirm';
import { relyingParty } from '$lib/server/accounts/passkeys';
import { MAX_PASSWORD_BYTES } from '$lib/server/accounts/passwords';
import { apiError, readJson } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

const ConfirmSchema = v.object({
	password: v.optional(v.pipe(v.string(), v.maxLength(MAX_PASSWORD_BYTES)), '')
});

/**
 * What the browser needs to make a passkey for the signed-in account, once the current
 * password (or a fresh sign-in) says it is its owner: the challenge it signs is issued only
 * now, for this account, so the passkey it makes (POST /api/passkeys) is the confirmed one.
 */
export const POST: RequestHandler = async (event) => {
	const read = await readJson(event.request, ConfirmSchema);
	if (!read.ok) return read.response;
	const confirmed = await confirmIdentity(event, read.body.password);
	if (!confirmed.ok) {
		const refused = apiError(confirmed.code, confirmed.message, CONFIRM_STATUS[confirmed.code]);
		if (confirmed.retryAfterS) refused.headers.set('retry-after', String(confirmed.retryAfterS));
		return refused;
	}
	const { passkeys } = event.locals.services;
	return json(await passkeys.registrationOptions(confirmed.account, relyingParty(event.url)), {
		headers: { 'cache-control': 'no-store' }
	});
};
