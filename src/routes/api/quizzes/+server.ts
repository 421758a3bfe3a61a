import { json } from '@sveltejs/kit';
import type { SavedQuizResponse } from '$lib/protocol/quiz-check';
import { signedIn, viewerOf } from '$lib/server/accounts/access';
import { newQuizId } from '$lib/server/storage/ids';
import { readQuizBody } from '$lib/server/quizzes/quiz-body';
import type { RequestHandler } from './$types';

/** The host's library: their own quizzes and those shared with them (all, for an admin). */
export const GET: RequestHandler = async ({ locals, url }) =>
	json(
		await locals.services.storage.listQuizzes({
			search: url.searchParams.get('q')?.trim() || undefined,
			viewer: viewerOf(signedIn(locals))
		})
	);

/** Creates a quiz under a fresh id (any id in the body is ignored), owned by the host. */
export const POST: RequestHandler = async ({ request, locals }) => {
	const read = await readQuizBody(request, newQuizId(), locals.services.storage);
	if (!read.ok) return read.response;
	const stored = await locals.services.storage.saveQuiz(read.quiz, Date.now(), signedIn(locals).id);
	const body: SavedQuizResponse = { id: stored.quiz.id, updatedAt: stored.updatedAt };
	return json(body, { status: 201 });
};
