/**
 * A quiz as hosts write it and as it is stored: the same schema checks the sample files,
 * the editor and anything imported, so a quiz the server accepts is one the rules can play.
 */
import * as v from 'valibot';

export const QUIZ_FORMAT_VERSION = 1;

export const TIME_LIMITS = [5, 10, 20, 30, 60, 90, 120, 240] as const;
export const POINTS_LEVELS = ['none', 'standard', 'double'] as const;
export type PointsLevel = (typeof POINTS_LEVELS)[number];

export const MAX_QUESTION_TEXT = 200;
export const MAX_OPTION_TEXT = 90;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 6;

/** Images are stored content-addressed: `<sha256 hex>.<ext>`. */
export const IMAGE_ID_PATTERN = /^[0-9a-f]{64}\.(png|jpg|gif|webp)$/;

/** Where the browser fetches a stored image. */
export function imageUrl(imageId: string): string {
	return `/images/${imageId}`;
}

const trimmedText = (label: string, max: number) =>
	v.pipe(
		v.string(),
		v.trim(),
		v.minLength(1, `${label} is empty`),
		v.maxLength(max, `${label} is longer than ${max} characters`)
	);

export const QuestionSchema = v.pipe(
	v.object({
		text: trimmedText('Question text', MAX_QUESTION_TEXT),
		options: v.pipe(
			v.array(trimmedText('Answer', MAX_OPTION_TEXT)),
			v.minLength(MIN_OPTIONS, `A question needs at least ${MIN_OPTIONS} answers`),
			v.maxLength(MAX_OPTIONS, `A question has at most ${MAX_OPTIONS} answers`)
		),
		correct: v.pipe(
			v.array(v.pipe(v.number(), v.integer(), v.minValue(0))),
			v.minLength(1, 'Mark at least one answer as correct')
		),
		timeLimit: v.picklist(TIME_LIMITS, `Time limit must be one of ${TIME_LIMITS.join(', ')} s`),
		points: v.optional(v.picklist(POINTS_LEVELS), 'standard'),
		image: v.optional(v.pipe(v.string(), v.regex(IMAGE_ID_PATTERN, 'Unknown image')))
	}),
	v.check(
		(q) => q.correct.every((i) => i < q.options.length),
		'A correct answer points at an answer that does not exist'
	)
);

export const QuizSchema = v.object({
	version: v.optional(v.literal(QUIZ_FORMAT_VERSION), QUIZ_FORMAT_VERSION),
	id: v.pipe(
		v.string(),
		v.regex(/^[a-z0-9-]{1,64}$/, 'Quiz id must be lowercase letters, digits and -')
	),
	title: trimmedText('Title', 120),
	description: v.optional(
		v.pipe(v.string(), v.trim(), v.maxLength(500, 'Description is longer than 500 characters')),
		''
	),
	questions: v.pipe(v.array(QuestionSchema), v.minLength(1, 'A quiz needs at least one question'))
});

export type Question = v.InferOutput<typeof QuestionSchema>;
export type Quiz = v.InferOutput<typeof QuizSchema>;

/** What a host picks from: enough to choose, without the answers. */
export interface QuizSummary {
	id: string;
	title: string;
	description: string;
	questionCount: number;
}

export function summarizeQuiz(quiz: Quiz): QuizSummary {
	return {
		id: quiz.id,
		title: quiz.title,
		description: quiz.description,
		questionCount: quiz.questions.length
	};
}
