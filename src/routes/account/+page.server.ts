import { fail } from '@sveltejs/kit';
import { signedIn } from '$lib/server/accounts/access';
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
			device: session.device,
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
		return { form: 'name', done: 'Your name is changed' };
	},
	password: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { form: 'password', error: read.message });
		const next = String(read.form.get('password') ?? '');
		if (next !== String(read.form.get('again') ?? '')) {
			return fail(400, { form: 'password', error: 'The two new passwords differ' });
		}
		const changed = await locals.services.accounts.changePassword(
			signedIn(locals).id,
			String(read.form.get('current') ?? ''),
			next,
			locals.session?.id
		);
		if (!changed.ok) return fail(400, { form: 'password', error: changed.message });
		return { form: 'password', done: 'Password saved. Every other device was signed out.' };
	},
	removePassword: async ({ locals }) => {
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
		// The last way in stays: no password and no other passkey would lock the host out.
		if (account.passwordHash === null && passkeys.length <= 1) {
			return fail(400, {
				form: 'passkeys',
				error: 'Set a password first: this passkey is your only way to sign in'
			});
		}
		await accounts.removePasskey(account.id, String(read.form.get('id') ?? ''));
		return { form: 'passkeys', done: 'Passkey removed' };
	},
	endSession: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { form: 'sessions', error: read.message });
		await locals.services.accounts.endSession(
			signedIn(locals).id,
			String(read.form.get('id') ?? '')
		);
		return { form: 'sessions', done: 'Signed out there' };
	},
	endOthers: async ({ locals }) => {
		const ended = await locals.services.accounts.endSessions(
			signedIn(locals).id,
			locals.session?.id
		);
		return { form: 'sessions', done: `Signed out everywhere else (${ended})` };
	}
};
