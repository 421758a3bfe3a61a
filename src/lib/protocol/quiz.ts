/**
 * A quiz as hosts write it and as it is stored: the same schema checks the sample files,
 * the editor and anything imported, so a quiz the server accepts is one the rules can play.
 */
import * as v from 'valibot';
import { MAX_TYPED_ANSWER, QUESTION_TYPES, type QuestionType } from './basics.ts';

export {
	MAX_TYPED_ANSWER,
	QUESTION_TYPE_NAMES,
	QUESTION_TYPES,
	type QuestionType
} from './basics.ts';

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

export const TRUE_FALSE_OPTIONS = ['True', 'False'] as const;
export const MAX_ACCEPTED_ANSWERS = 10;
export const MIN_PUZZLE_ITEMS = 3;
export const MAX_PUZZLE_ITEMS = 4;
export const MAX_SLIDE_BODY = 500;
/** More positions than this and a slider on a phone is a guessing game. */
export const MAX_SLIDER_STEPS = 1000;
/** Hours of play, and about what the editor still opens in a few seconds. */
export const MAX_QUESTIONS = 500;
/** Pictures one quiz may name (each up to MAX_IMAGE_BYTES): a quiz loads on every phone. */
export const MAX_PICTURES_PER_QUIZ = 100;

const timeLimit = v.picklist(TIME_LIMITS, `Time limit must be one of ${TIME_LIMITS.join(', ')} s`);
const points = v.optional(v.picklist(POINTS_LEVELS), 'standard');
const image = v.optional(v.pipe(v.string(), v.regex(IMAGE_ID_PATTERN, 'Unknown image')));
const questionText = trimmedText('Question text', MAX_QUESTION_TEXT);
/** Options in the type's own words: a question has answers, a poll has options. */
const optionsNamed = (one: 'Answer' | 'Option', owner: string) =>
	v.pipe(
		v.array(trimmedText(one, MAX_OPTION_TEXT)),
		v.minLength(MIN_OPTIONS, `${owner} needs at least ${MIN_OPTIONS} ${one.toLowerCase()}s`),
		v.maxLength(MAX_OPTIONS, `${owner} has at most ${MAX_OPTIONS} ${one.toLowerCase()}s`)
	);
const options = optionsNamed('Answer', 'A question');
const pollOptions = optionsNamed('Option', 'A poll');
const correctIndexes = v.pipe(
	v.array(v.pipe(v.number(), v.integer(), v.minValue(0))),
	v.minLength(1, 'Mark at least one answer as correct')
);
const finite = (label: string) =>
	v.pipe(v.number(`${label} must be a number`), v.finite(`${label} must be a number`));

/*
 * Checks across fields are partial checks, forwarded to the field at fault: they run as soon as
 * the fields they read are readable, whatever else in the question is wrong (an empty correct
 * value must not hide a reversed range), so the first save already lists every problem.
 */

/** Quiz and select-all questions: options, and which of them are correct. */
const choiceQuestion = <T extends 'quiz' | 'multi'>(type: T) =>
	v.pipe(
		v.object({
			type: v.literal(type),
			text: questionText,
			options,
			correct: correctIndexes,
			timeLimit,
			points,
			image
		}),
		v.forward(
			v.partialCheck(
				[['options'], ['correct']],
				(q) => q.correct.every((i) => i < q.options.length),
				'A correct answer points at an answer that does not exist'
			),
			['correct']
		)
	);

const QuizQuestionSchema = choiceQuestion('quiz');

const TrueFalseQuestionSchema = v.object({
	type: v.literal('true-false'),
	text: questionText,
	/** Whether the statement is true. */
	answer: v.boolean('Say whether the statement is true or false'),
	timeLimit,
	points,
	image
});

const MultiQuestionSchema = choiceQuestion('multi');

const TypeAnswerQuestionSchema = v.object({
	type: v.literal('type-answer'),
	text: questionText,
	accepted: v.pipe(
		v.array(trimmedText('Accepted answer', MAX_TYPED_ANSWER)),
		v.minLength(1, 'Add at least one accepted answer'),
		v.maxLength(MAX_ACCEPTED_ANSWERS, `At most ${MAX_ACCEPTED_ANSWERS} accepted answers`)
	),
	/** "Paris" ≠ "paris" when true. */
	caseSensitive: v.optional(v.boolean(), false),
	/** "Malmö" = "Malmo" when true. */
	ignoreAccents: v.optional(v.boolean(), true),
	timeLimit,
	points,
	image
});

const CORRECT_OFF_SLIDER =
	'The correct value must be on the slider (between min and max, on a step)';

const SliderQuestionSchema = v.pipe(
	v.object({
		type: v.literal('slider'),
		text: questionText,
		min: finite('Minimum'),
		max: finite('Maximum'),
		step: v.pipe(finite('Step'), v.gtValue(0, 'Step must be more than 0')),
		answer: finite('Correct value'),
		/** Within this distance of the answer a guess still scores, less the further it is. */
		tolerance: v.optional(
			v.pipe(finite('Tolerance'), v.minValue(0, 'Tolerance cannot be negative')),
			0
		),
		unit: v.optional(
			v.pipe(v.string(), v.trim(), v.maxLength(12, 'Unit is longer than 12 characters')),
			''
		),
		timeLimit,
		points,
		image
	}),
	// A reversed range is the minimum's fault as much as the maximum's; the editor marks both.
	v.forward(
		v.partialCheck(
			[['min'], ['max']],
			(q) => q.min < q.max,
			'The maximum must be more than the minimum'
		),
		['max']
	),
	v.forward(
		v.partialCheck(
			[['min'], ['max'], ['step']],
			(q) => !(q.step > 0) || sliderSteps(q) <= MAX_SLIDER_STEPS,
			`A slider has at most ${MAX_SLIDER_STEPS} steps: use a bigger step`
		),
		['step']
	),
	// Only for a range that stands: with too many steps the step changes anyway.
	v.forward(
		v.partialCheck(
			[['min'], ['max'], ['step']],
			(q) =>
				!(q.min < q.max && q.step > 0 && sliderSteps(q) <= MAX_SLIDER_STEPS) || isOnGrid(q.max, q),
			'The range must be a whole number of steps'
		),
		['max']
	),
	// Between the ends needs no step, so an empty step does not hide a value beyond them.
	v.forward(
		v.partialCheck([['min'], ['max'], ['answer']], correctWithinRange, CORRECT_OFF_SLIDER),
		['answer']
	),
	v.forward(
		v.partialCheck(
			[['min'], ['max'], ['step'], ['answer']],
			(q) => !(q.min < q.max && q.step > 0 && correctWithinRange(q)) || isOnGrid(q.answer, q),
			CORRECT_OFF_SLIDER
		),
		['answer']
	)
);

/**
 * With the range reversed the slider is not known yet, but a value beyond both ends is off it
 * whichever end the host fixes.
 */
function correctWithinRange(q: { min: number; max: number; answer: number }): boolean {
	return q.answer >= Math.min(q.min, q.max) && q.answer <= Math.max(q.min, q.max);
}

const PuzzleQuestionSchema = v.pipe(
	v.object({
		type: v.literal('puzzle'),
		text: questionText,
		/** In the correct order; players get them shuffled. */
		items: v.pipe(
			v.array(trimmedText('Item', MAX_OPTION_TEXT)),
			v.minLength(MIN_PUZZLE_ITEMS, `A puzzle needs at least ${MIN_PUZZLE_ITEMS} items`),
			v.maxLength(MAX_PUZZLE_ITEMS, `A puzzle has at most ${MAX_PUZZLE_ITEMS} items`)
		),
		timeLimit,
		points,
		image
	}),
	// Two items players cannot tell apart would make a right order count as wrong. Empty items
	// are left to "Item is empty": they are not the same as each other, only unwritten.
	v.forward(
		v.partialCheck(
			[['items']],
			(q) => {
				const written = q.items.filter(Boolean).map((item) => item.toLocaleLowerCase('en'));
				return new Set(written).size === written.length;
			},
			'Puzzle items must all be different'
		),
		['items']
	)
);

const PollQuestionSchema = v.object({
	type: v.literal('poll'),
	text: questionText,
	options: pollOptions,
	timeLimit,
	image
});

const InfoSlideSchema = v.object({
	type: v.literal('info'),
	/** The slide's title. */
	text: trimmedText('Title', MAX_QUESTION_TEXT),
	body: v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.maxLength(MAX_SLIDE_BODY, `Text is longer than ${MAX_SLIDE_BODY} characters`)
		),
		''
	),
	image
});

/** Quizzes written before there were question types hold only `quiz` questions. */
function withDefaultType(question: unknown): unknown {
	if (question && typeof question === 'object' && !('type' in question)) {
		return { type: 'quiz', ...question };
	}
	return question;
}

export const QuestionSchema = v.pipe(
	v.unknown(),
	v.transform(withDefaultType),
	v.variant(
		'type',
		[
			QuizQuestionSchema,
			TrueFalseQuestionSchema,
			MultiQuestionSchema,
			TypeAnswerQuestionSchema,
			SliderQuestionSchema,
			PuzzleQuestionSchema,
			PollQuestionSchema,
			InfoSlideSchema
		],
		`Question type must be one of ${QUESTION_TYPES.join(', ')}`
	)
);

export function sliderSteps(q: { min: number; max: number; step: number }): number {
	return Math.round((q.max - q.min) / q.step);
}

/** On the slider's grid, allowing for binary fractions (0.1 + 0.2). */
export function isOnGrid(value: number, q: { min: number; step: number }): boolean {
	const steps = (value - q.min) / q.step;
	return Math.abs(steps - Math.round(steps)) < 1e-6;
}

export const QuizSchema = v.object({
	version: v.optional(v.literal(QUIZ_FORMAT_VERSION), QUIZ_FORMAT_VERSION),
	id: v.pipe(
		v.string(),
		v.regex(/^[a-z0-9-]{1,64}$/, 'Quiz id must be lowercase letters, digits and -')
	),
	title: trimmedText('Title', 120),
	/**
	 * The language its questions and answers are written in (BCP 47: `en`, `de-AT`, `ar`), so
	 * screens give that text its own `lang` and `dir`. Absent in quizzes from before: English.
	 */
	lang: v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'Quiz language must be a tag like en or pt-BR')
		)
	),
	description: v.optional(
		v.pipe(v.string(), v.trim(), v.maxLength(500, 'Description is longer than 500 characters')),
		''
	),
	questions: v.pipe(
		v.array(QuestionSchema),
		v.minLength(1, 'A quiz needs at least one question'),
		v.maxLength(MAX_QUESTIONS, `A quiz has at most ${MAX_QUESTIONS} questions`),
		v.check(
			(questions) =>
				new Set(questions.flatMap((question) => question.image ?? [])).size <=
				MAX_PICTURES_PER_QUIZ,
			`A quiz has at most ${MAX_PICTURES_PER_QUIZ} different pictures`
		)
	)
});

export type Question = v.InferOutput<typeof QuestionSchema>;
export type Quiz = v.InferOutput<typeof QuizSchema>;

/** The pictures a quiz names, each once. */
export function imageIdsOf(quiz: Pick<Quiz, 'questions'>): Set<string> {
	return new Set(quiz.questions.flatMap((question) => question.image ?? []));
}
export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>;
/** Questions players answer (all but info slides). */
export type AnswerableQuestion = Exclude<Question, { type: 'info' }>;
/** Questions answered by picking options. */
export type ChoiceQuestion = QuestionOf<'quiz' | 'true-false' | 'multi' | 'poll'>;

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
