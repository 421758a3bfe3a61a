import { error, redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { hostCookie, setSeatCookie } from '$lib/server/web/cookies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, cookies, locals, url }) => {
	const { lobby, publicUrl } = locals.services;

	// The host link (`?key=<host token>`) opened on some device: that device becomes the host
	// screen. The key goes into the cookie and out of the address bar and the history at once.
	const key = url.searchParams.get('key');
	if (key !== null) {
		if (!(await lobby.hostOf(params.pin, key))) {
			error(403, `This host link does not open game ${params.pin}: the game may be over.`);
		}
		setSeatCookie(cookies, hostCookie(params.pin), key, url);
		redirect(303, `/host/${params.pin}`);
	}

	const token = cookies.get(hostCookie(params.pin));
	const hosting = token ? await lobby.hostOf(params.pin, token) : null;
	if (!token || !hosting) {
		error(
			403,
			`This browser is not hosting game ${params.pin}. Open the host link, or start a new game from /host.`
		);
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
		qrSvg
	};
};
