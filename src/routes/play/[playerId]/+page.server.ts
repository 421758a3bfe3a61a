import { playerCookie } from '$lib/server/web/cookies';
import type { PageServerLoad } from './$types';

/**
 * The seat's token from its cookie. Without the cookie the page does not give up: the browser
 * may still hold the seat in localStorage (cookies cleared or blocked), and the page looks
 * there before sending the player back to the start.
 */
export const load: PageServerLoad = async ({ params, cookies, locals }) => {
	const token = cookies.get(playerCookie(params.playerId)) ?? null;
	const { lobby } = locals.services;
	// In a cluster the game may be on another node (or moved there since the phone joined).
	const located = token ? await lobby.locate(token) : null;
	return { token, socketUrl: located?.socketUrl ?? null, clustered: lobby.clustered };
};
