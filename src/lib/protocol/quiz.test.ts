/**
 * QuestionSchema per question type: what a host can write, the defaults it fills in, and the
 * refusals with the messages the editor and the import show next to the field.
 */
import * as v from 'valibot';
import { describe, expect, it, test } from 'vitest';
import {
	isOnGrid,
	MAX_PICTURES_PER_QUIZ,
	MAX_SLIDER_STEPS,
	QUESTION_TYPE_NAMES,
	QUESTION_TYPES,
	QuestionSchema,
	QuizSchema,
	sliderSteps
} from './quiz.ts';

function parsed(input: Record<string, unknown>) {
	const result = v.safeParse(QuestionSchema, input);
	if (!result.success) throw new Error(result.issues.map((i) => i.message).join('; '));
	return result.output;
}

/** Every message the schema gives for this question (valibot goes on after the first). */
function messages(input: Record<string, unknown>): string[] {
	const result = v.safeParse(QuestionSchema, input);
	expect(result.success, 'refused').toBe(false);
	return result.issues!.map((issue) => issue.message);
}

const text = 'A question';

describe('one valid question of each type', () => {
	test.each([
		[
			'quiz',
			{ type: 'quiz', text, options: ['A', 'B'], correct: [0], timeLimit: 20 },
			{ points: 'standard' }
		],
		[
			'quiz with six options and two correct',
			{
				type: 'quiz',
				text,
				options: ['A', 'B', 'C', 'D', 'E', 'F'],
				correct: [1, 5],
				timeLimit: 240,
				points: 'double'
			},
			{ correct: [1, 5] }
		],
		[
			'true-false',
			{ type: 'true-false', text, answer: false, timeLimit: 10 },
			{ answer: false, points: 'standard' }
		],
		[
			'multi',
			{ type: 'multi', text, options: ['A', 'B', 'C'], correct: [0, 2], timeLimit: 30 },
			{ correct: [0, 2] }
		],
		[
			'type-answer',
			{ type: 'type-answer', text, accepted: ['Paris', 'Paname'], timeLimit: 20 },
			{ caseSensitive: false, ignoreAccents: true }
		],
		[
			'type-answer, case-sensitive and keeping accents',
			{
				type: 'type-answer',
				text,
				accepted: ['Malmö'],
				caseSensitive: true,
				ignoreAccents: false,
				timeLimit: 20
			},
			{ caseSensitive: true, ignoreAccents: false }
		],
		[
			'slider',
			{ type: 'slider', text, min: 0, max: 100, step: 1, answer: 42, timeLimit: 20 },
			{ tolerance: 0, unit: '' }
		],
		[
			'slider with floating steps, a tolerance and a unit',
			{
				type: 'slider',
				text,
				min: -1,
				max: 1,
				step: 0.1,
				answer: 0.3,
				tolerance: 0.2,
				unit: ' km ',
				timeLimit: 20
			},
			{ tolerance: 0.2, unit: 'km' }
		],
		[
			'slider with exactly 1000 steps',
			{ type: 'slider', text, min: 0, max: 1000, step: 1, answer: 1000, timeLimit: 20 },
			{ max: 1000 }
		],
		[
			'puzzle with three items',
			{ type: 'puzzle', text, items: ['One', 'Two', 'Three'], timeLimit: 30 },
			{ items: ['One', 'Two', 'Three'] }
		],
		[
			'puzzle with four items',
			{ type: 'puzzle', text, items: ['1', '2', '3', '4'], timeLimit: 30 },
			{ points: 'standard' }
		],
		[
			'poll',
			{ type: 'poll', text, options: ['Cats', 'Dogs'], timeLimit: 20 },
			{ options: ['Cats', 'Dogs'] }
		],
		['info slide', { type: 'info', text: 'Round two' }, { body: '' }],
		[
			'info slide with a body and a picture',
			{ type: 'info', text: 'Round two', body: ' Space! ', image: `${'a'.repeat(64)}.png` },
			{ body: 'Space!' }
		]
	])('%s', (_name, input, expected) => {
		expect(parsed(input)).toMatchObject({ ...input, ...expected });
	});

	it('covers every type', () => {
		expect(QUESTION_TYPES).toEqual([
			'quiz',
			'true-false',
			'multi',
			'type-answer',
			'slider',
			'puzzle',
			'poll',
			'info'
		]);
		expect(Object.keys(QUESTION_TYPE_NAMES)).toEqual([...QUESTION_TYPES]);
	});

	it('trims texts', () => {
		expect(
			parsed({ type: 'type-answer', text: '  Capital? ', accepted: [' Paris '], timeLimit: 20 })
		).toMatchObject({ text: 'Capital?', accepted: ['Paris'] });
	});

	it('drops fields another type would have', () => {
		const question = parsed({
			type: 'poll',
			text,
			options: ['A', 'B'],
			correct: [0],
			points: 'double',
			timeLimit: 20
		});
		expect(question).not.toHaveProperty('correct');
		expect(question).not.toHaveProperty('points');
	});
});

describe('questions written before there were types', () => {
	it('parse as quiz questions', () => {
		expect(
			parsed({ text, options: ['A', 'B'], correct: [1], timeLimit: 20, points: 'double' })
		).toEqual({
			type: 'quiz',
			text,
			options: ['A', 'B'],
			correct: [1],
			timeLimit: 20,
			points: 'double'
		});
	});

	it('are checked as quiz questions', () => {
		expect(messages({ text, options: ['A'], correct: [0], timeLimit: 20 })).toContain(
			'A question needs at least 2 answers'
		);
	});

	it('a whole legacy quiz parses, every question a quiz one', () => {
		const quiz = v.parse(QuizSchema, {
			id: 'old',
			title: 'Old',
			questions: [
				{ text: 'One', options: ['A', 'B'], correct: [0], timeLimit: 20 },
				{ text: 'Two', options: ['A', 'B'], correct: [1], timeLimit: 10 }
			]
		});
		expect(quiz.questions.map((q) => q.type)).toEqual(['quiz', 'quiz']);
	});
});

describe('refusals, with the message shown to the host', () => {
	it('an unknown type', () => {
		expect(messages({ type: 'essay', text, timeLimit: 20 })).toEqual([
			'Question type must be one of quiz, true-false, multi, type-answer, slider, puzzle, poll, info'
		]);
	});

	it('a question that is not an object', () => {
		expect(v.safeParse(QuestionSchema, 'What?').success).toBe(false);
		expect(v.safeParse(QuestionSchema, null).success).toBe(false);
	});

	it('quiz and multi: a correct answer that is not one of the options', () => {
		for (const type of ['quiz', 'multi']) {
			expect(messages({ type, text, options: ['A', 'B'], correct: [0, 2], timeLimit: 20 })).toEqual(
				['A correct answer points at an answer that does not exist']
			);
		}
	});

	it('multi: no correct answer', () => {
		expect(
			messages({ type: 'multi', text, options: ['A', 'B'], correct: [], timeLimit: 20 })
		).toEqual(['Mark at least one answer as correct']);
	});

	it('quiz: more than six options', () => {
		const options = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
		expect(messages({ type: 'quiz', text, options, correct: [0], timeLimit: 20 })).toEqual([
			'A question has at most 6 answers'
		]);
	});

	it('true-false without saying which', () => {
		expect(messages({ type: 'true-false', text, answer: 'yes', timeLimit: 20 })).toEqual([
			'Say whether the statement is true or false'
		]);
		// A missing key gets valibot's own wording, as for every other type's fields.
		expect(messages({ type: 'true-false', text, timeLimit: 20 })).toHaveLength(1);
	});

	it('type-answer without accepted answers', () => {
		expect(messages({ type: 'type-answer', text, accepted: [], timeLimit: 20 })).toEqual([
			'Add at least one accepted answer'
		]);
	});

	it('type-answer with an accepted answer over 20 characters', () => {
		expect(
			messages({ type: 'type-answer', text, accepted: ['x'.repeat(21)], timeLimit: 20 })
		).toEqual(['Accepted answer is longer than 20 characters']);
		// 20 after trimming is fine.
		expect(
			parsed({ type: 'type-answer', text, accepted: [` ${'x'.repeat(20)} `], timeLimit: 20 })
		).toMatchObject({ accepted: ['x'.repeat(20)] });
	});

	it('type-answer with an empty accepted answer', () => {
		expect(
			messages({ type: 'type-answer', text, accepted: ['Paris', '  '], timeLimit: 20 })
		).toEqual(['Accepted answer is empty']);
	});

	it('type-answer with more than 10 accepted answers', () => {
		const accepted = Array.from({ length: 11 }, (_, i) => `a${i}`);
		expect(messages({ type: 'type-answer', text, accepted, timeLimit: 20 })).toEqual([
			'At most 10 accepted answers'
		]);
	});

	const slider = { type: 'slider', text, min: 0, max: 10, step: 1, answer: 5, timeLimit: 20 };

	it('slider with the minimum at or above the maximum', () => {
		expect(messages({ ...slider, min: 10, max: 10, answer: 10 })[0]).toBe(
			'The maximum must be more than the minimum'
		);
		expect(messages({ ...slider, min: 20, max: 10, answer: 15 })[0]).toBe(
			'The maximum must be more than the minimum'
		);
	});

	it('slider with the correct value off the grid', () => {
		expect(messages({ ...slider, answer: 5.5 })).toEqual([
			'The correct value must be on the slider (between min and max, on a step)'
		]);
		expect(messages({ ...slider, step: 2, answer: 5 })).toEqual([
			'The correct value must be on the slider (between min and max, on a step)'
		]);
	});

	it('slider with the correct value outside the range', () => {
		for (const answer of [-1, 11]) {
			expect(messages({ ...slider, answer })).toEqual([
				'The correct value must be on the slider (between min and max, on a step)'
			]);
		}
	});

	it('slider with more than 1000 steps', () => {
		expect(messages({ ...slider, max: 1001, answer: 5 })).toEqual([
			`A slider has at most ${MAX_SLIDER_STEPS} steps: use a bigger step`
		]);
		expect(messages({ ...slider, max: 1, step: 0.0001, answer: 0.5 })).toEqual([
			'A slider has at most 1000 steps: use a bigger step'
		]);
	});

	it('slider whose range is not a whole number of steps', () => {
		expect(messages({ ...slider, max: 10, step: 3, answer: 6 })).toEqual([
			'The range must be a whole number of steps'
		]);
	});

	it('slider with a step of 0 or less, or a negative tolerance', () => {
		expect(messages({ ...slider, step: 0 })).toContain('Step must be more than 0');
		expect(messages({ ...slider, step: -1 })).toContain('Step must be more than 0');
		expect(messages({ ...slider, tolerance: -1 })).toEqual(['Tolerance cannot be negative']);
	});

	it('slider with a value that is not a number', () => {
		expect(messages({ ...slider, answer: '5' })).toEqual(['Correct value must be a number']);
		expect(messages({ ...slider, min: Infinity })).toContain('Minimum must be a number');
	});

	it('slider with a unit over 12 characters', () => {
		expect(messages({ ...slider, unit: 'kilometres per hour' })).toEqual([
			'Unit is longer than 12 characters'
		]);
	});

	it('puzzle with 2 items', () => {
		expect(messages({ type: 'puzzle', text, items: ['A', 'B'], timeLimit: 20 })).toEqual([
			'A puzzle needs at least 3 items'
		]);
	});

	it('puzzle with two items players could not tell apart', () => {
		expect(
			messages({ type: 'puzzle', text, items: ['Paris', 'Rome', 'paris'], timeLimit: 20 })
		).toEqual(['Puzzle items must all be different']);
	});

	it('puzzle with 5 items', () => {
		expect(
			messages({ type: 'puzzle', text, items: ['A', 'B', 'C', 'D', 'E'], timeLimit: 20 })
		).toEqual(['A puzzle has at most 4 items']);
	});

	it('poll with one option, or an empty one, in its own word: option', () => {
		expect(messages({ type: 'poll', text, options: ['Only'], timeLimit: 20 })).toEqual([
			'A poll needs at least 2 options'
		]);
		expect(messages({ type: 'poll', text, options: ['Tea', ' '], timeLimit: 20 })).toEqual([
			'Option is empty'
		]);
	});

	it('info slide with a body over 500 characters', () => {
		expect(messages({ type: 'info', text, body: 'x'.repeat(501) })).toEqual([
			'Text is longer than 500 characters'
		]);
	});

	it('a time limit that is not offered', () => {
		expect(messages({ type: 'puzzle', text, items: ['A', 'B', 'C'], timeLimit: 15 })).toEqual([
			'Time limit must be one of 5, 10, 20, 30, 60, 90, 120, 240 s'
		]);
	});
});

/** Each issue as `path: message`, the path inside the question. */
function issues(input: Record<string, unknown>): string[] {
	const result = v.safeParse(QuestionSchema, input);
	expect(result.success, 'refused').toBe(false);
	return result.issues!.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`);
}

describe('checks across fields', () => {
	const slider = { type: 'slider', text, min: 0, max: 10, step: 1, answer: 5, timeLimit: 20 };

	it('are reported at the field at fault', () => {
		expect(issues({ ...slider, min: 100, max: 50, answer: 206 })).toEqual([
			'max: The maximum must be more than the minimum',
			'answer: The correct value must be on the slider (between min and max, on a step)'
		]);
		expect(issues({ ...slider, step: 3, answer: 6 })).toEqual([
			'max: The range must be a whole number of steps'
		]);
		expect(issues({ ...slider, max: 2000 })).toEqual([
			'step: A slider has at most 1000 steps: use a bigger step'
		]);
		expect(
			issues({ type: 'quiz', text, options: ['A', 'B'], correct: [0, 2], timeLimit: 20 })
		).toEqual(['correct: A correct answer points at an answer that does not exist']);
		expect(
			issues({ type: 'puzzle', text, items: ['Atom', 'atom ', 'Cell'], timeLimit: 20 })
		).toEqual(['items: Puzzle items must all be different']);
	});

	it('run whatever else in the question is wrong', () => {
		// An empty correct value or step (null from the editor) does not hide the range.
		expect(issues({ ...slider, text: '', min: 100, max: 50, step: null, answer: null })).toEqual([
			'text: Question text is empty',
			'step: Step must be a number',
			'answer: Correct value must be a number',
			'max: The maximum must be more than the minimum'
		]);
		expect(issues({ ...slider, step: null, answer: 206, max: 100 })).toEqual([
			'step: Step must be a number',
			'answer: The correct value must be on the slider (between min and max, on a step)'
		]);
		// An empty item does not hide two the same.
		expect(
			issues({ type: 'puzzle', text: '', items: ['Atom', 'Atom', 'Cell', ''], timeLimit: 20 })
		).toEqual([
			'text: Question text is empty',
			'items.3: Item is empty',
			'items: Puzzle items must all be different'
		]);
		expect(
			issues({ type: 'multi', text, options: ['A', ''], correct: [0, 5], timeLimit: 20 })
		).toEqual([
			'options.1: Answer is empty',
			'correct: A correct answer points at an answer that does not exist'
		]);
	});

	it('say nothing they cannot know yet', () => {
		// Empty items are unwritten, not the same as each other.
		expect(issues({ type: 'puzzle', text, items: ['', '', 'Cell'], timeLimit: 20 })).toEqual([
			'items.0: Item is empty',
			'items.1: Item is empty'
		]);
		// A step of 0 is its own problem, not also "too many steps".
		expect(issues({ ...slider, step: 0 })).toEqual(['step: Step must be more than 0']);
		// With the range reversed, a value between its ends may be right once it is fixed.
		expect(issues({ ...slider, min: 10, max: 0, answer: 5 })).toEqual([
			'max: The maximum must be more than the minimum'
		]);
	});
});

describe('the slider grid', () => {
	it('counts steps across the range', () => {
		expect(sliderSteps({ min: 0, max: 100, step: 1 })).toBe(100);
		expect(sliderSteps({ min: 0, max: 1, step: 0.1 })).toBe(10);
		expect(sliderSteps({ min: -5, max: 5, step: 2.5 })).toBe(4);
	});

	it('takes binary fractions as on the grid', () => {
		const grid = { min: 0, step: 0.1 };
		expect(isOnGrid(0.1 + 0.2, grid)).toBe(true);
		expect(isOnGrid(0.7, grid)).toBe(true);
		expect(isOnGrid(0.75, grid)).toBe(false);
		expect(isOnGrid(-0.3, grid)).toBe(true);
		expect(isOnGrid(7, { min: 3, step: 2 })).toBe(true);
		expect(isOnGrid(6, { min: 3, step: 2 })).toBe(false);
	});
});

describe('pictures in a quiz', () => {
	const question = (image: string) => ({
		type: 'quiz',
		text,
		options: ['A', 'B'],
		correct: [0],
		timeLimit: 20,
		image
	});
	const picture = (n: number) => `${n.toString(16).padStart(64, '0')}.png`;

	it(`takes up to ${MAX_PICTURES_PER_QUIZ} different pictures, one used twice counted once`, () => {
		const questions = Array.from({ length: MAX_PICTURES_PER_QUIZ }, (_, n) => question(picture(n)));
		questions.push(question(picture(0)));
		expect(v.safeParse(QuizSchema, { id: 'q', title: 'Pictures', questions }).success).toBe(true);
	});

	it('refuses one more, saying the limit', () => {
		const questions = Array.from({ length: MAX_PICTURES_PER_QUIZ + 1 }, (_, n) =>
			question(picture(n))
		);
		const result = v.safeParse(QuizSchema, { id: 'q', title: 'Pictures', questions });
		expect(result.issues?.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`)).toEqual([
			`questions: A quiz has at most ${MAX_PICTURES_PER_QUIZ} different pictures`
		]);
	});
});
