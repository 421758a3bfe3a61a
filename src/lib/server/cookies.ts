import type { Cookies } from '@sveltejs/kit';

/** Seats last a game, not forever. */
const SEAT_COOKIE_MAX_AGE_S = 12 * 60 * 60;

export const playerCookie = (playerId: string) => `quizroom-player-${playerId}`;
export const hostCookie = (pin: string) => `quizroom-host-${pin}`;

/**
 * Tokens ride in cookies, not URLs (URLs end up in logs and browser history). One cookie per
 * seat, so three windows of one browser can be three players. `secure` only over HTTPS: a
 * party on http://192.168.x.x would otherwise never keep the cookie.
 */
export function setSeatCookie(cookies: Cookies, name: string, token: string, url: URL): void {
	cookies.set(name, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: SEAT_COOKIE_MAX_AGE_S
	});
}
