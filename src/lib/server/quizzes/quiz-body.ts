/**
 * The body of `POST /api/quizzes` and `PUT /api/quizzes/:id`: a quiz whose id the server
 * decides (a new id, or the one in the URL), checked against QuizSchema with every problem
 * reported at once.
 */
import { json } from '@sveltejs/kit';
import { checkQuiz, type InvalidQuizResponse, type QuizIssue } from '../../protocol/quiz-check.ts';
import type { Quiz } from '../../protocol/quiz.ts';
import { readJsonValue } from '../http.ts';

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

export async function readQuizBody(
	request: Request,
	id: string
): Promise<{ ok: true; quiz: Quiz } | { ok: false; response: Response }> {
	const read = await readJsonValue(request, MAX_QUIZ_BODY_BYTES);
	if (!read.ok) return read;
	const data = read.data;
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return {
			ok: false,
			response: invalidQuiz([{ path: '', message: 'A quiz must be an object' }])
		};
	}
	// Whatever id the body carries, the server's wins.
	const check = checkQuiz({ ...data, id });
	return check.ok ? check : { ok: false, response: invalidQuiz(check.issues) };
}
