import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const stored = await locals.services.storage.getQuiz(params.id);
	if (!stored) error(404, 'This quiz is not in the library. It may have been deleted.');
	return { quiz: stored.quiz, updatedAt: stored.updatedAt };
};
