import { json } from '@sveltejs/kit';
import type { GameLookupResponse } from '$lib/protocol';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * Is this game still live? Cheap and token-free: the join page asks it before offering
 * "Continue as …" for a seat saved in the browser. 404 when there is no such game (any more).
 */
export const GET: RequestHandler = ({ params, locals, getClientAddress }) => {
	const { games } = locals.services;
	// A lookup is a guess like any other: a wrong PIN counts against the address.
	const found = games.checkPin(params.pin, getClientAddress());
	const room = games.room(params.pin);
	if (!room || (!found.ok && found.code !== 'game-over')) {
		const refusal = found.ok ? null : found;
		const response = apiError(
			refusal?.code ?? 'unknown-pin',
			refusal?.message ?? `No game with PIN ${params.pin}`
		);
		if (refusal?.retryAfterS) response.headers.set('retry-after', String(refusal.retryAfterS));
		return response;
	}
	const { state } = room;
	const body: GameLookupResponse = {
		pin: room.pin,
		phase: room.phase,
		joinable: found.ok && !state.locked && state.players.size < state.maxPlayers
	};
	return json(body, { headers: { 'cache-control': 'no-store' } });
};
