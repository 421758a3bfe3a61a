import { json } from '@sveltejs/kit';
import type { SavedQuizResponse } from '$lib/protocol/quiz-check';
import { apiError } from '$lib/server/web/http';
import { readQuizBody } from '$lib/server/quizzes/quiz-body';
import type { RequestHandler } from './$types';

const notFound = (id: string) => apiError('unknown-quiz', `No quiz with id "${id}"`);

export const GET: RequestHandler = async ({ params, locals }) => {
	const stored = await locals.services.storage.getQuiz(params.id);
	return stored ? json(stored.quiz) : notFound(params.id);
};

/**
 * Replaces the quiz whole; the id in the URL wins over one in the body. A quiz deleted
 * elsewhere while its editor was open comes back rather than losing the host's work.
 */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	const read = await readQuizBody(request, params.id, locals.services.storage);
	if (!read.ok) return read.response;
	const stored = await locals.services.storage.saveQuiz(read.quiz, Date.now());
	const body: SavedQuizResponse = { id: stored.quiz.id, updatedAt: stored.updatedAt };
	return json(body);
};

export const DELETE: RequestHandler = async ({ params, locals }) =>
	(await locals.services.storage.deleteQuiz(params.id))
		? new Response(null, { status: 204 })
		: notFound(params.id);
