import { fail, redirect } from '@sveltejs/kit';
import { deviceId, playerCookie, setSeatCookie } from '$lib/server/web/cookies';
import { readForm } from '$lib/server/web/http';
import { isOver, type Lobby } from '$lib/server/live/lobby';
import type { Visitor } from '$lib/server/live/seats';
import type { Actions, PageServerLoad } from './$types';

/** People type PINs with spaces, read them off a screen, paste them from a chat. */
function cleanPin(raw: FormDataEntryValue | string | null): string {
	return String(raw ?? '').replace(/\D+/g, '');
}

/**
 * Refusals about the game rather than the nickname: shown at the PIN. (A locked game is not one:
 * the phone keeps its nickname and tries again when the host unlocks.)
 */
const PIN_PROBLEMS = new Set(['unknown-pin', 'game-over', 'too-many-guesses', 'banned']);
const PIN_STATUS = { 'unknown-pin': 404, 'game-over': 410, 'too-many-guesses': 429 } as const;

/** A game behind this PIN that takes players, or why not (as the join step words it). */
async function findGame(lobby: Lobby, pin: string, from: Visitor) {
	const found = await lobby.lookup(pin, from);
	if (found.ok && isOver(found)) {
		return { ok: false, code: 'game-over', message: 'This game is over' } as const;
	}
	return found;
}

export const load: PageServerLoad = async ({ url, locals, cookies, getClientAddress }) => {
	const pin = cleanPin(url.searchParams.get('pin'));
	if (!pin) return { step: 'pin' as const, pin: '', pinError: null, pinCode: null };
	// Known before the join is sent: if its answer is lost, asking again gets the same seat.
	const device = deviceId(cookies, url);
	const found = await findGame(locals.services.lobby, pin, {
		address: getClientAddress(),
		device
	});
	if (!found.ok) return { step: 'pin' as const, pin, pinError: found.message, pinCode: found.code };
	// A game with friendly names hands out names: the phone asks for none.
	return {
		step: 'nickname' as const,
		pin,
		pinError: null,
		pinCode: null,
		friendlyNames: found.friendlyNames
	};
};

export const actions: Actions = {
	pin: async ({ request, locals, cookies, url, getClientAddress }) => {
		const read = await readForm(request);
		if (!read.ok)
			return fail(read.status, { pin: '', pinError: read.message, pinCode: 'form-too-large' });
		const pin = cleanPin(read.form.get('pin'));
		if (!pin) {
			return fail(400, {
				pin,
				pinError: 'Enter the game PIN shown on the screen',
				pinCode: 'pin-empty'
			});
		}
		const found = await findGame(locals.services.lobby, pin, {
			address: getClientAddress(),
			device: deviceId(cookies, url)
		});
		if (!found.ok) {
			return fail(PIN_STATUS[found.code], { pin, pinError: found.message, pinCode: found.code });
		}
		redirect(303, `/?pin=${pin}`);
	},
	join: async ({ request, locals, cookies, url, getClientAddress }) => {
		const read = await readForm(request);
		if (!read.ok)
			return fail(read.status, { pin: '', pinError: read.message, pinCode: 'form-too-large' });
		const form = read.form;
		const pin = cleanPin(form.get('pin'));
		const nickname = String(form.get('nickname') ?? '');
		const joined = await locals.services.lobby.join(pin, nickname, {
			address: getClientAddress(),
			device: deviceId(cookies, url)
		});
		if (!joined.ok) {
			const pinProblem = PIN_PROBLEMS.has(joined.code);
			return fail(joined.code === 'too-many-guesses' ? 429 : 400, {
				pin,
				nickname,
				pinError: pinProblem ? joined.message : null,
				nicknameError: pinProblem ? null : joined.message,
				// The page words the refusal in the phone's language by its code.
				errorCode: joined.code
			});
		}
		setSeatCookie(cookies, playerCookie(joined.playerId), joined.token, url);
		redirect(303, `/play/${joined.playerId}`);
	}
};
