import { error, redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { identityOf } from '$lib/server/accounts/access';
import { hostCookie, setSeatCookie } from '$lib/server/web/cookies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, cookies, locals, url }) => {
	const { lobby, publicUrl } = locals.services;

	// The host seat is the signed-in host's (or an admin's), on any device they are signed in
	// on: the seat's token goes into this browser's cookie. A host link from before accounts
	// (`?key=`) still leads here; the key itself opens nothing any more.
	const hosting = await lobby.hostSeat(params.pin, identityOf(locals));
	if (!hosting) {
		error(404, `No game of yours has PIN ${params.pin}: it may be over.`);
	}
	if (url.searchParams.has('key')) redirect(303, `/host/${params.pin}`);
	const token = hosting.hostToken;
	if (cookies.get(hostCookie(params.pin)) !== token) {
		setSeatCookie(cookies, hostCookie(params.pin), token, url);
	}
	const joinUrl = `${publicUrl}/?pin=${params.pin}`;
	const qrSvg = await QRCode.toString(joinUrl, {
		type: 'svg',
		margin: 1,
		errorCorrectionLevel: 'M'
	});
	return {
		pin: params.pin,
		token,
		/** The node holding the game (another one than this, in a cluster). */
		socketUrl: hosting.socketUrl,
		clustered: lobby.clustered,
		joinUrl,
		/** Where other devices reach this server: the base of the host link. */
		publicUrl,
		/** What people type: the address without the scheme. */
		joinAddress: publicUrl.replace(/^https?:\/\//, ''),
		qrSvg,
		/** For the host link: signing in on another device may take a password (no passkeys). */
		hasPassword: (locals.account?.passwordHash ?? null) !== null
	};
};
