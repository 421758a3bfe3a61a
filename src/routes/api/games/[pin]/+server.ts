import { json } from '@sveltejs/kit';
import type { GameLookupResponse } from '$lib/protocol';
import { apiError } from '$lib/server/web/http';
import { deviceId } from '$lib/server/web/cookies';
import type { RequestHandler } from './$types';

/**
 * Is this game still live? Cheap and token-free: the join page asks it before offering
 * "Continue as …" for a seat saved in the browser. 404 when there is no such game (any more).
 */
export const GET: RequestHandler = async ({ params, locals, cookies, url, getClientAddress }) => {
	// A lookup is a guess like any other: a wrong PIN counts against the browser and address.
	const found = await locals.services.lobby.lookup(params.pin, {
		address: getClientAddress(),
		device: deviceId(cookies, url)
	});
	if (!found.ok) {
		const response = apiError(found.code, found.message);
		if (found.retryAfterS) response.headers.set('retry-after', String(found.retryAfterS));
		return response;
	}
	const body: GameLookupResponse = { pin: found.pin, phase: found.phase, joinable: found.joinable };
	return json(body, { headers: { 'cache-control': 'no-store' } });
};
