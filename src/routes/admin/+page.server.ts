import { fail } from '@sveltejs/kit';
import { signedIn } from '$lib/server/accounts/access';
import { readForm } from '$lib/server/web/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const me = signedIn(locals);
	const { accounts, lobby } = locals.services;
	const [hosts, live] = await Promise.all([accounts.summaries(), lobby.liveGames()]);
	const deleting = url.searchParams.get('delete');
	return {
		me: me.id,
		hosts: hosts.map((host) => ({
			id: host.id,
			name: host.name,
			role: host.role,
			disabled: host.disabled,
			createdAt: host.createdAt,
			lastSignInAt: host.lastSignInAt,
			hasPassword: host.hasPassword,
			passkeys: host.passkeys,
			quizzes: host.quizzes,
			reports: host.reports,
			// In progress only: a game on its podium is over (its report is saved).
			games: live
				.filter((game) => game.hostId === host.id && !GAME_OVER.has(game.phase))
				.map((game) => ({
					pin: game.pin,
					quizTitle: game.quizTitle,
					players: game.players,
					inLobby: game.phase === 'lobby'
				}))
		})),
		/** Asked before deleting: whose quizzes and reports they become. */
		confirmDelete: hosts.find((host) => host.id === deleting && host.id !== me.id) ?? null
	};
};

const GAME_OVER: ReadonlySet<string> = new Set(['podium', 'ended']);

/** A one-time link as the invited person opens it: on their own device, over the network. */
function inviteUrl(publicUrl: string, token: string): string {
	return `${publicUrl}/invite/${token}`;
}

export const actions: Actions = {
	invite: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { error: read.message });
		const role = read.form.get('role') === 'admin' ? 'admin' : 'host';
		const name = String(read.form.get('name') ?? '');
		const invited = await locals.services.accounts.invite(name, role);
		if (!invited.ok) return fail(400, { error: invited.message, name });
		return {
			link: inviteUrl(locals.services.publicUrl, invited.token),
			linkFor: invited.account.name,
			linkWhy: 'invite' as const
		};
	},
	disable: async ({ request, locals }) => change(request, locals, 'disable'),
	enable: async ({ request, locals }) => change(request, locals, 'enable'),
	makeAdmin: async ({ request, locals }) => change(request, locals, 'makeAdmin'),
	makeHost: async ({ request, locals }) => change(request, locals, 'makeHost'),
	reset: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { error: read.message });
		const reset = await locals.services.accounts.reset(String(read.form.get('id') ?? ''));
		if (!reset.ok) return fail(400, { error: reset.message });
		return {
			link: inviteUrl(locals.services.publicUrl, reset.token),
			linkFor: reset.account.name,
			linkWhy: 'reset' as const
		};
	},
	delete: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { error: read.message });
		const id = String(read.form.get('id') ?? '');
		if (id === signedIn(locals).id) {
			return fail(400, { error: 'You cannot delete your own account here' });
		}
		const heir = String(read.form.get('heir') ?? '');
		const { accounts } = locals.services;
		const heirName = heir === '' ? null : ((await accounts.account(heir))?.name ?? null);
		const removed = await accounts.remove(id, heir === '' ? null : heir);
		if (!removed.ok) return fail(400, { error: removed.message });
		return { done: deletedText(removed.account.name, removed.games, heirName) };
	}
};

/** "Dave is deleted; their game in progress is Carol's now" (or "was ended"). */
function deletedText(name: string, games: number, heir: string | null): string {
	if (games === 0) return `${name} is deleted`;
	const one = games === 1;
	const their = one ? 'their game in progress' : `their ${games} games in progress`;
	if (heir === null) return `${name} is deleted; ${their} ${one ? 'was' : 'were'} ended`;
	return `${name} is deleted; ${their} ${one ? 'is' : 'are'} ${heir}'s now`;
}

type Change = 'disable' | 'enable' | 'makeAdmin' | 'makeHost';

async function change(request: Request, locals: App.Locals, what: Change) {
	const read = await readForm(request);
	if (!read.ok) return fail(read.status, { error: read.message });
	const id = String(read.form.get('id') ?? '');
	const { accounts } = locals.services;
	const changed =
		what === 'disable' || what === 'enable'
			? await accounts.setDisabled(id, what === 'disable')
			: await accounts.setRole(id, what === 'makeAdmin' ? 'admin' : 'host');
	if (!changed.ok) return fail(400, { error: changed.message });
	const name = changed.account.name;
	const said: Record<Change, string> = {
		disable: `${name} is disabled and signed out everywhere`,
		enable: `${name} can sign in again`,
		makeAdmin: `${name} is an admin now`,
		makeHost: `${name} is a host now`
	};
	return { done: said[what] };
}
