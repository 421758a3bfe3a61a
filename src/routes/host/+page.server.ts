import { fail, redirect } from '@sveltejs/kit';
import { quizFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import { hostCookie, setSeatCookie } from '$lib/server/web/cookies';
import { readForm } from '$lib/server/web/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const account = signedIn(locals);
	const viewer = viewerOf(account);
	const { storage, lobby } = locals.services;
	const [quizzes, live] = await Promise.all([storage.listQuizzes({ viewer }), lobby.liveGames()]);
	return {
		quizzes,
		/** Preselected when coming from the library's "Host" button. */
		quizId: url.searchParams.get('quiz'),
		/** Games this host started that are still running: their screens can be opened again. */
		running: live
			.filter((game) => game.hostId === account.id && game.phase !== 'ended')
			.sort((a, b) => (a.pin < b.pin ? -1 : 1))
	};
};

export const actions: Actions = {
	create: async ({ request, locals, cookies, url }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { quizId: null, error: read.message });
		const { form } = read;
		const quizId = String(form.get('quizId') ?? '');
		// Unticked checkboxes are simply absent from a form post.
		const options = {
			streakBonus: form.has('streakBonus'),
			speedScoring: !form.has('noSpeedScoring'),
			questionOnPhones: form.has('questionOnPhones'),
			introSeconds: Number(form.get('introSeconds') ?? 4),
			profanityFilter: form.has('profanityFilter'),
			friendlyNames: form.has('friendlyNames')
		};
		const account = signedIn(locals);
		const usable = await quizFor(locals.services.storage, quizId, viewerOf(account), 'use');
		if (!usable.ok) return fail(404, { quizId: null, error: 'That quiz is not in your library' });
		const created = await locals.services.lobby.createGame(quizId, options, account.id);
		if (!created.ok) return fail(400, { quizId, error: created.message });
		setSeatCookie(cookies, hostCookie(created.pin), created.hostToken, url);
		redirect(303, `/host/${created.pin}`);
	}
};
