import { error } from '@sveltejs/kit';
import { quizFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import type { PageServerLoad } from './$types';

/** The editor: for quizzes the host owns or that are shared with them to edit. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const found = await quizFor(
		locals.services.storage,
		params.id,
		viewerOf(signedIn(locals)),
		'edit'
	);
	if (!found.ok) {
		if (found.code === 'forbidden') error(403, found.message);
		error(404, 'This quiz is not in the library. It may have been deleted.');
	}
	return { quiz: found.stored.quiz, updatedAt: found.stored.updatedAt };
};
