/**
 * Checking a quiz the way the server will, so the editor can point at the same fields the API
 * would refuse: every problem comes with a dot path (`questions.2.options.1`) into the quiz.
 */
import * as v from 'valibot';
import { QuizSchema, type Quiz } from './quiz.ts';

export interface QuizIssue {
	/** Dot path into the quiz, e.g. `questions.2.options.1`; '' for the quiz as a whole. */
	path: string;
	message: string;
}

export type QuizCheck = { ok: true; quiz: Quiz } | { ok: false; issues: QuizIssue[] };

/** Every problem, not only the first, so a host can fix them all in one pass. */
export function checkQuiz(input: unknown): QuizCheck {
	const result = v.safeParse(QuizSchema, input);
	if (result.success) return { ok: true, quiz: result.output };
	return {
		ok: false,
		issues: result.issues.map((issue) => ({
			path: v.getDotPath(issue) ?? '',
			message: issue.message
		}))
	};
}

/** `POST /api/quizzes` and `PUT /api/quizzes/:id` answer with this. */
export interface SavedQuizResponse {
	id: string;
	updatedAt: number;
}

/**
 * A 409 from `PUT /api/quizzes/:id` when its `expectedUpdatedAt` is not the stored quiz's:
 * someone saved it since the editor opened it. `updatedAt`: theirs (null: deleted since).
 */
export interface QuizChangedResponse {
	code: 'changed-elsewhere';
	message: string;
	updatedAt: number | null;
}

/** A 400 from those endpoints when the quiz does not pass QuizSchema. */
export interface InvalidQuizResponse {
	code: 'invalid-quiz';
	message: string;
	issues: QuizIssue[];
}

/** The largest question picture `POST /api/images` takes (the editor checks before sending). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const IMAGE_TOO_LARGE = `Images can be at most ${MAX_IMAGE_BYTES / (1024 * 1024)} MB`;

/** `POST /api/images` answers with this. */
export interface UploadedImageResponse {
	id: string;
	url: string;
}
