import { json } from '@sveltejs/kit';
import { LocateRequestSchema, type LocateResponse } from '$lib/protocol';
import { apiError, readJson } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

/**
 * Where a seat's live connection goes now. A phone asks when its socket keeps failing: in a
 * cluster, the node that held its game may be gone and another may have taken the game over.
 * The token travels in the body, never in the address (addresses end up in logs).
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const read = await readJson(request, LocateRequestSchema);
	if (!read.ok) return read.response;
	const found = await locals.services.lobby.locate(read.body.token);
	if (!found) return apiError('unknown-seat', 'This game is over or the link is no longer valid');
	return json(found satisfies LocateResponse, { headers: { 'cache-control': 'no-store' } });
};
