import { json } from '@sveltejs/kit';
import type { SavedQuizResponse } from '$lib/protocol/quiz-check';
import { newQuizId } from '$lib/server/storage/ids';
import { readQuizBody } from '$lib/server/quizzes/quiz-body';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) =>
	json(await locals.services.storage.listQuizzes(url.searchParams.get('q')?.trim() || undefined));

/** Creates a quiz under a fresh id (any id in the body is ignored). */
export const POST: RequestHandler = async ({ request, locals }) => {
	const read = await readQuizBody(request, newQuizId(), locals.services.storage);
	if (!read.ok) return read.response;
	const stored = await locals.services.storage.saveQuiz(read.quiz, Date.now());
	const body: SavedQuizResponse = { id: stored.quiz.id, updatedAt: stored.updatedAt };
	return json(body, { status: 201 });
};
