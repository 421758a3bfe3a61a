import { json } from '@sveltejs/kit';
import type { QuizChangedResponse, SavedQuizResponse } from '$lib/protocol/quiz-check';
import { quizFor, signedIn, viewerOf, type QuizRefusal } from '$lib/server/accounts/access';
import { apiError } from '$lib/server/web/http';
import { readQuizBody } from '$lib/server/quizzes/quiz-body';
import { isQuizChanged } from '$lib/server/storage/storage';
import type { Refusal } from '$lib/protocol/http';
import type { RequestHandler } from './$types';

/** Another host's quiz is not there (404); one shared to use cannot be changed (403). */
function refused(refusal: Refusal<QuizRefusal>): Response {
	return apiError(refusal.code, refusal.message, refusal.code === 'forbidden' ? 403 : 404);
}

export const GET: RequestHandler = async ({ params, locals }) => {
	const found = await quizFor(
		locals.services.storage,
		params.id,
		viewerOf(signedIn(locals)),
		'use'
	);
	return found.ok ? json(found.stored.quiz) : refused(found);
};

/**
 * Replaces the quiz whole; the id in the URL wins over one in the body. A quiz deleted
 * elsewhere while its editor was open comes back, as the saver's, rather than losing the work.
 * With `expectedUpdatedAt` in the body (the editor sends the version it opened), a quiz saved
 * by someone else since is not overwritten: 409 `changed-elsewhere`, with their `updatedAt`.
 */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	const { storage } = locals.services;
	const account = signedIn(locals);
	const exists = (await storage.getQuiz(params.id)) !== null;
	if (exists) {
		const found = await quizFor(storage, params.id, viewerOf(account), 'edit');
		if (!found.ok) return refused(found);
	}
	const read = await readQuizBody(request, params.id, storage);
	if (!read.ok) return read.response;
	// Deleted meanwhile: nothing of anyone's to lose, it comes back (as above).
	const expectedUpdatedAt = exists ? read.expectedUpdatedAt : undefined;
	try {
		const stored = await storage.saveQuiz(read.quiz, Date.now(), account.id, {
			expectedUpdatedAt
		});
		const body: SavedQuizResponse = { id: stored.quiz.id, updatedAt: stored.updatedAt };
		return json(body);
	} catch (error) {
		if (!isQuizChanged(error)) throw error;
		const current = await storage.getQuiz(params.id);
		const body: QuizChangedResponse = {
			code: 'changed-elsewhere',
			message: 'Someone saved this quiz since you opened it: your version was not saved',
			updatedAt: current?.updatedAt ?? null
		};
		return json(body, { status: 409 });
	}
};

/** Only its owner (or an admin) deletes a quiz. */
export const DELETE: RequestHandler = async ({ params, locals }) => {
	const { storage } = locals.services;
	const found = await quizFor(
		storage,
		params.id,
		viewerOf(signedIn(locals)),
		'owner',
		'Only the quiz’s owner may delete it'
	);
	if (!found.ok) return refused(found);
	await storage.deleteQuiz(params.id);
	return new Response(null, { status: 204 });
};
