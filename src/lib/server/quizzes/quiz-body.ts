/**
 * The body of `POST /api/quizzes` and `PUT /api/quizzes/:id`: a quiz whose id the server
 * decides (a new id, or the one in the URL), checked against QuizSchema with every problem
 * reported at once. A PUT may carry `expectedUpdatedAt`, the `updatedAt` its editor opened the
 * quiz at: the save is refused (409 `changed-elsewhere`) if someone saved it since.
 */
import { json } from '@sveltejs/kit';
import { checkQuiz, type InvalidQuizResponse, type QuizIssue } from '../../protocol/quiz-check.ts';
import { imageIdsOf, type Quiz } from '../../protocol/quiz.ts';
import { apiError, readJsonValue } from '../web/http.ts';
import type { Storage } from '../storage/storage.ts';

/**
 * A quiz is text only (pictures are uploaded on their own and named by id): a question is at
 * most a few KB even in 4-byte characters, so 2 MB is hundreds of questions.
 */
export const MAX_QUIZ_BODY_BYTES = 2 * 1024 * 1024;

export function invalidQuiz(issues: QuizIssue[]): Response {
	const first = issues[0];
	const body: InvalidQuizResponse = {
		code: 'invalid-quiz',
		message:
			issues.length === 1 && first
				? `${first.path ? `${first.path}: ` : ''}${first.message}`
				: `The quiz has ${issues.length} problems`,
		issues
	};
	return json(body, { status: 400 });
}

const MISSING_IMAGE = 'This picture is no longer on the server: add it again';

/**
 * The quiz in the body, checked against QuizSchema and against the store: every picture it
 * names must be there (one deleted as unused can still be named by a draft kept in a browser).
 */
export async function readQuizBody(
	request: Request,
	id: string,
	storage: Pick<Storage, 'hasImage'>
): Promise<
	{ ok: true; quiz: Quiz; expectedUpdatedAt?: number } | { ok: false; response: Response }
> {
	const read = await readJsonValue(request, MAX_QUIZ_BODY_BYTES);
	if (!read.ok) return read;
	const data = read.data;
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return {
			ok: false,
			response: invalidQuiz([{ path: '', message: 'A quiz must be an object' }])
		};
	}
	const { expectedUpdatedAt, ...quiz } = data as Record<string, unknown>;
	if (
		expectedUpdatedAt !== undefined &&
		!(Number.isSafeInteger(expectedUpdatedAt) && (expectedUpdatedAt as number) >= 0)
	) {
		return {
			ok: false,
			response: apiError('bad-request', 'expectedUpdatedAt: the updatedAt of the quiz as opened')
		};
	}
	// Whatever id the body carries, the server's wins.
	const check = checkQuiz({ ...quiz, id });
	if (!check.ok) return { ok: false, response: invalidQuiz(check.issues) };
	const missing = await missingImages(check.quiz, storage);
	if (missing.length > 0) return { ok: false, response: invalidQuiz(missing) };
	return { ...check, expectedUpdatedAt: expectedUpdatedAt as number | undefined };
}

async function missingImages(quiz: Quiz, storage: Pick<Storage, 'hasImage'>): Promise<QuizIssue[]> {
	const ids = [...imageIdsOf(quiz)];
	const found = await Promise.all(ids.map((id) => storage.hasImage(id)));
	const missing = new Set(ids.filter((_, i) => !found[i]));
	return quiz.questions.flatMap((question, index) =>
		question.image && missing.has(question.image)
			? [{ path: `questions.${index}.image`, message: MISSING_IMAGE }]
			: []
	);
}
