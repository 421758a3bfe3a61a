import { redirect } from '@sveltejs/kit';
import { playerCookie } from '$lib/server/cookies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, cookies }) => {
	const token = cookies.get(playerCookie(params.playerId));
	// No seat in this browser: back to the start, where a PIN gets them one.
	if (!token) redirect(303, '/');
	return { token };
};
