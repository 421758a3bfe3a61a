import { playerCookie } from '$lib/server/cookies';
import type { PageServerLoad } from './$types';

/**
 * The seat's token from its cookie. Without the cookie the page does not give up: the browser
 * may still hold the seat in localStorage (cookies cleared or blocked), and the page looks
 * there before sending the player back to the start.
 */
export const load: PageServerLoad = ({ params, cookies }) => {
	return { token: cookies.get(playerCookie(params.playerId)) ?? null };
};
