import type { Cookies } from '@sveltejs/kit';
import { nanoid } from 'nanoid';

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
	setPrivateCookie(cookies, name, token, url, SEAT_COOKIE_MAX_AGE_S);
}

/** Script-proof, same-site, site-wide; `secure` only over HTTPS (see above). */
function setPrivateCookie(
	cookies: Cookies,
	name: string,
	value: string,
	url: URL,
	maxAge: number
): void {
	cookies.set(name, value, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge
	});
}

export const SESSION_COOKIE = 'quizroom-session';

/** One cookie's value from a Cookie header, for requests SvelteKit does not see (the socket's). */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
	for (const part of header?.split(';') ?? []) {
		const at = part.indexOf('=');
		if (at > 0 && part.slice(0, at).trim() === name) {
			const value = part.slice(at + 1).trim();
			try {
				return decodeURIComponent(value);
			} catch {
				return value;
			}
		}
	}
	return undefined;
}

/**
 * A host's sign-in: HttpOnly (no script reads it), SameSite=Lax (no other site's form or
 * fetch sends it), Secure over HTTPS, and gone when the session's absolute end comes.
 */
export function setSessionCookie(
	cookies: Cookies,
	token: string,
	url: URL,
	expiresAt: number
): void {
	const maxAge = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
	setPrivateCookie(cookies, SESSION_COOKIE, token, url, maxAge);
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

/**
 * The browsers a host signed in from before (accounts/known-devices.ts): kept a year, and kept
 * after signing out, since that is when it matters: the next sign-in from this browser.
 */
export const KNOWN_DEVICES_COOKIE = 'quizroom-known';
const KNOWN_DEVICES_MAX_AGE_S = 365 * 24 * 60 * 60;

export function setKnownDevicesCookie(cookies: Cookies, value: string, url: URL): void {
	setPrivateCookie(cookies, KNOWN_DEVICES_COOKIE, value, url, KNOWN_DEVICES_MAX_AGE_S);
}

const DEVICE_COOKIE = 'quizroom-device';
const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/**
 * This browser, as far as the host's kicks go: a random id in a long-lived cookie, given on the
 * first join. Clearing cookies gets round it; it stops the casual "refresh and rejoin".
 */
export function deviceId(cookies: Cookies, url: URL): string {
	const known = cookies.get(DEVICE_COOKIE);
	if (known && /^[\w-]{21}$/.test(known)) return known;
	const id = nanoid();
	setPrivateCookie(cookies, DEVICE_COOKIE, id, url, DEVICE_COOKIE_MAX_AGE_S);
	return id;
}
