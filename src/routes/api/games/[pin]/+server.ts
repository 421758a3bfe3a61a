import { json } from '@sveltejs/kit';
import type { GameLookupResponse } from '$lib/protocol';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * Is this game still live? Cheap and token-free: the join page asks it before offering
 * "Continue as …" for a seat saved in the browser. 404 when there is no such game (any more).
 */
export const GET: RequestHandler = ({ params, locals }) => {
	const { games } = locals.services;
	const room = games.room(params.pin);
	if (!room) return apiError('unknown-pin', `No game with PIN ${params.pin}`);
	const { state } = room;
	const body: GameLookupResponse = {
		pin: room.pin,
		phase: room.phase,
		joinable: games.checkPin(params.pin).ok && state.players.size < state.maxPlayers
	};
	return json(body, { headers: { 'cache-control': 'no-store' } });
};
