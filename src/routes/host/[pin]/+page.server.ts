import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { hostCookie } from '$lib/server/cookies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, cookies, locals }) => {
	const token = cookies.get(hostCookie(params.pin));
	if (!token || !locals.services.games.seatFor(token)) {
		error(403, `This browser is not hosting game ${params.pin}. Start a new game from /host.`);
	}
	const joinUrl = `${locals.services.publicUrl}/?pin=${params.pin}`;
	const qrSvg = await QRCode.toString(joinUrl, {
		type: 'svg',
		margin: 1,
		errorCorrectionLevel: 'M'
	});
	return {
		token,
		joinUrl,
		/** What people type: the address without the scheme. */
		joinAddress: locals.services.publicUrl.replace(/^https?:\/\//, ''),
		qrSvg
	};
};
