import { fail, type RequestEvent } from '@sveltejs/kit';
import { signedIn } from '$lib/server/accounts/access';
import type { ConfirmRefusal } from '$lib/server/accounts/account-service';
import { CONFIRM_STATUS, confirmIdentity, triedFrom } from '$lib/server/accounts/confirm';
import { shownDeviceLabel } from '$lib/server/web/device-label';
import { readForm } from '$lib/server/web/http';
import type { Actions, PageServerLoad } from './$types';

const WELCOMES = new Set(['setup', 'invite', 'sign-in']);

export const load: PageServerLoad = async ({ locals, url }) => {
	const account = signedIn(locals);
	const { accounts } = locals.services;
	const [sessions, passkeys] = await Promise.all([
		accounts.sessionsOf(account.id),
		accounts.passkeysOf(account.id)
	]);
	const welcome = url.searchParams.get('welcome');
	return {
		name: account.name,
		admin: account.role === 'admin',
		hasPassword: account.passwordHash !== null,
		/** Arrived by a one-time link: say where they are and what (if anything) is left to do. */
		welcome: welcome && WELCOMES.has(welcome) ? welcome : null,
		sessions: sessions.map((session) => ({
			id: session.id,
			device: shownDeviceLabel(session.device),
			createdAt: session.createdAt,
			lastSeenAt: session.lastSeenAt,
			current: session.id === locals.session?.id
		})),
		passkeys: passkeys.map((passkey) => ({
			id: passkey.id,
			createdAt: passkey.createdAt,
			lastUsedAt: passkey.lastUsedAt
		}))
	};
};

export const actions: Actions = {
	name: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { form: 'name', error: read.message });
		const renamed = await locals.services.accounts.rename(
			signedIn(locals).id,
			String(read.form.get('name') ?? '')
		);
		if (!renamed.ok) return fail(400, { form: 'name', error: renamed.message });
		return { form: 'name', done: 'Name saved' };
	},
	password: async (event) => {
		const { request, locals } = event;
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { form: 'password', error: read.message });
		const next = String(read.form.get('password') ?? '');
		if (next !== String(read.form.get('again') ?? '')) {
			return fail(400, {
				form: 'password',
				field: 'again',
				error: 'The two passwords differ'
			});
		}
		const changed = await locals.services.accounts.changePassword(
			signedIn(locals).id,
			String(read.form.get('current') ?? ''),
			next,
			locals.session?.id,
			triedFrom(event)
		);
		if (
			!changed.ok &&
			(changed.code === 'wait' || changed.code === 'busy' || changed.code === 'sign-in-again')
		) {
			return refused(event, 'password', { ...changed, code: changed.code });
		}
		if (!changed.ok) {
			// Said at the field it is about, if it is about one.
			const fields: Partial<Record<typeof changed.code, string>> = {
				'wrong-password': 'current',
				'weak-password': 'password'
			};
			const field = fields[changed.code] ?? null;
			return fail(400, { form: 'password', field, error: changed.message });
		}
		const { signedOut } = changed;
		return {
			form: 'password',
			done:
				signedOut === 0
					? 'Password saved'
					: `Password saved. Signed out on your ${devices(signedOut)}.`
		};
	},
	removePassword: async (event) => {
		const { locals } = event;
		const confirmed = await confirmFrom(event);
		if (!confirmed.ok) return refused(event, 'password', confirmed);
		const removed = await locals.services.accounts.removePassword(signedIn(locals).id);
		if (!removed.ok) return fail(400, { form: 'password', error: removed.message });
		return { form: 'password', done: 'Password removed: you sign in with a passkey' };
	},
	removePasskey: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { form: 'passkeys', error: read.message });
		const account = signedIn(locals);
		const { accounts } = locals.services;
		const passkeys = await accounts.passkeysOf(account.id);
		const id = String(read.form.get('id') ?? '');
		if (!passkeys.some((passkey) => passkey.id === id)) {
			return fail(404, { form: 'passkeys', error: 'No such passkey' });
		}
		// The last way in stays: no password and no other passkey would lock the host out.
		if (account.passwordHash === null && passkeys.length <= 1) {
			return fail(400, {
				form: 'passkeys',
				error: 'Set a password first: this passkey is your only way to sign in'
			});
		}
		if (!(await accounts.removePasskey(account.id, id))) {
			return fail(404, { form: 'passkeys', error: 'No such passkey' });
		}
		return { form: 'passkeys', done: 'Passkey removed' };
	},
	endSession: async (event) => {
		const { request, locals } = event;
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { form: 'sessions', error: read.message });
		const confirmed = await confirmFrom(event, read.form);
		if (!confirmed.ok) return refused(event, 'sessions', confirmed);
		const ended = await locals.services.accounts.endSession(
			signedIn(locals).id,
			String(read.form.get('id') ?? '')
		);
		if (!ended) return fail(404, { form: 'sessions', error: 'No such session' });
		return { form: 'sessions', done: 'Signed out there' };
	},
	endOthers: async (event) => {
		const { locals } = event;
		const confirmed = await confirmFrom(event);
		if (!confirmed.ok) return refused(event, 'sessions', confirmed);
		const ended = await locals.services.accounts.endSessions(
			signedIn(locals).id,
			locals.session?.id
		);
		return { form: 'sessions', done: `Signed out everywhere else (${ended})` };
	}
};

/**
 * The current password from the form (field `current`), or a fresh sign-in for an account
 * without one: asked before removing the password and signing other devices out.
 */
async function confirmFrom(event: RequestEvent, form?: FormData) {
	if (!form) {
		const read = await readForm(event.request);
		form = read.ok ? read.form : new FormData();
	}
	return confirmIdentity(event, String(form.get('current') ?? ''));
}

/** A refusal of the guard (or of the try it makes), said in the form it is about. */
function refused(
	event: RequestEvent,
	form: string,
	refusal: { code: ConfirmRefusal; message: string; retryAfterS?: number }
) {
	if (refusal.retryAfterS) event.setHeaders({ 'retry-after': String(refusal.retryAfterS) });
	return fail(CONFIRM_STATUS[refusal.code], {
		form,
		field: refusal.code === 'wrong-password' ? 'current' : null,
		code: refusal.code,
		error: refusal.message
	});
}

function devices(count: number): string {
	return count === 1 ? 'other device' : `${count} other devices`;
}
