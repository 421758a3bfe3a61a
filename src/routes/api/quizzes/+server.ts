import { json } from '@sveltejs/kit';
import type { SavedQuizResponse } from '$lib/protocol/quiz-check';
import { signedIn, viewerOf } from '$lib/server/accounts/access';
import { newQuizId } from '$lib/server/storage/ids';
import { libraryPage, readLibraryQuery } from '$lib/server/quizzes/library-page';
import { readQuizBody } from '$lib/server/quizzes/quiz-body';
import { apiError } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

/**
 * The host's library: their own quizzes and those shared with them (all, for an admin), newest
 * edit first. `?limit=` pages it (`after` from the `Link: <…>; rel="next"` header); without, the
 * whole list.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const read = readLibraryQuery(url.searchParams);
	if (!read.ok) return apiError('bad-request', read.message);
	const everyone = await locals.services.accounts.accounts();
	const names = new Map(everyone.map((account) => [account.id, account.name]));
	const viewer = viewerOf(signedIn(locals));
	const page = await libraryPage(locals.services.storage, viewer, read.query, names);
	const headers = new Headers();
	if (page.next !== null) {
		const next = new URL(url);
		next.searchParams.set('after', page.next);
		headers.set('link', `<${next.pathname}${next.search}>; rel="next"`);
	}
	return json(page.quizzes, { headers });
};

/** Creates a quiz under a fresh id (any id in the body is ignored), owned by the host. */
export const POST: RequestHandler = async ({ request, locals }) => {
	const read = await readQuizBody(request, newQuizId(), locals.services.storage);
	if (!read.ok) return read.response;
	const stored = await locals.services.storage.saveQuiz(read.quiz, Date.now(), signedIn(locals).id);
	const body: SavedQuizResponse = { id: stored.quiz.id, updatedAt: stored.updatedAt };
	return json(body, { status: 201 });
};
