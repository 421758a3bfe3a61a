/**
 * Question numbers as people see them: slides are not counted, so the question after one keeps
 * the number the projector and phones showed, and the count is of questions played.
 */
import * as v from 'valibot';
import { expect, test } from 'vitest';
import { QuestionSchema, type Question } from '../protocol/quiz.ts';
import { questionCount, questionNumber } from './question-numbers.ts';

const question = (type: string, fields: Record<string, unknown> = {}): Question =>
	v.parse(QuestionSchema, { type, text: `A ${type}`, timeLimit: 20, ...fields });

// The tester's class game: five questions, a slide, then a puzzle and a poll.
const classGame: Question[] = [
	question('quiz', { options: ['A', 'B'], correct: [0] }),
	question('true-false', { answer: true }),
	question('multi', { options: ['A', 'B', 'C'], correct: [0, 2] }),
	question('type-answer', { accepted: ['Au', 'gold'] }),
	question('slider', { min: 0, max: 300, step: 1, answer: 206, tolerance: 10 }),
	question('info', { body: 'Half-time' }),
	question('puzzle', { items: ['1', '2', '3'] }),
	question('poll', { options: ['Yes', 'No'] })
];

test('the question after a slide keeps its number; a slide has none', () => {
	expect(classGame.map((_, index) => questionNumber(classGame, index))).toEqual([
		1,
		2,
		3,
		4,
		5,
		null,
		6,
		7
	]);
	expect(questionCount(classGame)).toBe(7);
});

test('a quiz that opens or ends with slides, or has only slides', () => {
	const slide = question('info');
	const quiz = question('quiz', { options: ['A', 'B'], correct: [1] });
	expect([0, 1, 2].map((i) => questionNumber([slide, quiz, slide], i))).toEqual([null, 1, null]);
	expect(questionCount([slide, quiz, slide])).toBe(1);
	expect(questionCount([slide])).toBe(0);
	expect(questionNumber([quiz], 5)).toBeNull();
});
