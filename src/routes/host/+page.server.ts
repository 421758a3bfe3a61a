import { fail, redirect } from '@sveltejs/kit';
import { hostCookie, setSeatCookie } from '$lib/server/web/cookies';
import { readForm } from '$lib/server/web/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	quizzes: await locals.services.storage.listQuizzes(),
	/** Preselected when coming from the library's "Host" button. */
	quizId: url.searchParams.get('quiz')
});

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
		const created = await locals.services.lobby.createGame(quizId, options);
		if (!created.ok) return fail(400, { quizId, error: created.message });
		setSeatCookie(cookies, hostCookie(created.pin), created.hostToken, url);
		redirect(303, `/host/${created.pin}`);
	}
};
