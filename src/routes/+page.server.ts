import { fail, redirect } from '@sveltejs/kit';
import { playerCookie, setSeatCookie } from '$lib/server/cookies';
import type { Actions, PageServerLoad } from './$types';

/** People type PINs with spaces, read them off a screen, paste them from a chat. */
function cleanPin(raw: FormDataEntryValue | string | null): string {
	return String(raw ?? '').replace(/\D+/g, '');
}

export const load: PageServerLoad = ({ url, locals }) => {
	const pin = cleanPin(url.searchParams.get('pin'));
	if (!pin) return { step: 'pin' as const, pin: '', pinError: null };
	const found = locals.services.games.checkPin(pin);
	if (!found.ok) return { step: 'pin' as const, pin, pinError: found.message };
	return { step: 'nickname' as const, pin, pinError: null };
};

export const actions: Actions = {
	pin: async ({ request, locals }) => {
		const pin = cleanPin((await request.formData()).get('pin'));
		if (!pin) return fail(400, { pin, pinError: 'Enter the game PIN shown on the screen' });
		const found = locals.services.games.checkPin(pin);
		if (!found.ok)
			return fail(found.code === 'unknown-pin' ? 404 : 410, { pin, pinError: found.message });
		redirect(303, `/?pin=${pin}`);
	},
	join: async ({ request, locals, cookies, url }) => {
		const form = await request.formData();
		const pin = cleanPin(form.get('pin'));
		const nickname = String(form.get('nickname') ?? '');
		const joined = locals.services.games.join(pin, nickname);
		if (!joined.ok) {
			const pinProblem = joined.code === 'unknown-pin' || joined.code === 'game-over';
			return fail(400, {
				pin,
				nickname,
				pinError: pinProblem ? joined.message : null,
				nicknameError: pinProblem ? null : joined.message
			});
		}
		setSeatCookie(cookies, playerCookie(joined.playerId), joined.token, url);
		redirect(303, `/play/${joined.playerId}`);
	}
};
