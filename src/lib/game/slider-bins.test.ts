/**
 * One rule for the slider's bins: the bin a guess is counted in is the bin marked as holding
 * the answer when the guess is the answer, on the projector and in the report alike.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { QuestionSchema, type QuestionOf } from '../protocol/quiz.ts';
import { sliderHistogram } from './questions.ts';
import { SLIDER_BINS, sliderBinCount, sliderBinOf } from './slider-bins.ts';

const slider = (fields: Record<string, unknown>) =>
	v.parse(QuestionSchema, {
		type: 'slider',
		text: 'How many?',
		timeLimit: 20,
		...fields
	}) as QuestionOf<'slider'>;

describe('the slider bin marked as the answer', () => {
	// The tester's question: 0–300, answer 206 ± 10; someone guessed 213.
	const question = slider({ min: 0, max: 300, step: 1, answer: 206, tolerance: 10 });
	const bins = sliderHistogram(question, [{ kind: 'number', value: 213 }]);

	it('is the bin the answer falls in (180–210), not the next one that a scoring guess fell in', () => {
		expect(sliderBinOf(question, question.answer)).toBe(6);
		expect(bins[6]).toMatchObject({ from: 180, to: 210, count: 0 });
		expect(sliderBinOf(question, 213)).toBe(7);
		expect(bins[7]).toMatchObject({ from: 210, to: 240, count: 1 });
	});

	it('is where a guess of exactly the answer is counted, also on a bin edge', () => {
		for (const answer of [0, 29, 30, 206, 210, 299, 300]) {
			const exact = sliderHistogram(slider({ min: 0, max: 300, step: 1, answer }), [
				{ kind: 'number', value: answer }
			]);
			expect(exact.findIndex((bin) => bin.count === 1)).toBe(
				sliderBinOf({ min: 0, max: 300, step: 1 }, answer)
			);
		}
	});

	it('counts in whole steps, so 0.3 on a 0.1 slider is not a bin low', () => {
		const range = { min: 0, max: 1, step: 0.1 };
		expect(sliderBinCount(range)).toBe(SLIDER_BINS);
		expect(sliderBinOf(range, 0.1 + 0.2)).toBe(3);
		expect(sliderBinOf(range, 1)).toBe(SLIDER_BINS - 1);
	});

	it('is the answer itself when each bin is one step of the slider', () => {
		const range = { min: 1, max: 5, step: 1 };
		expect(sliderBinCount(range)).toBe(5);
		expect([1, 2, 3, 4, 5].map((value) => sliderBinOf(range, value))).toEqual([0, 1, 2, 3, 4]);
	});
});
