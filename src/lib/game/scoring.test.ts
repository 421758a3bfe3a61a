import { describe, expect, it } from 'vitest';
import type { PointsLevel } from '../protocol/quiz.ts';
import {
	FULL_POINTS_WITHIN_MS,
	STREAK_CAP,
	STREAK_STEP,
	basePoints,
	pointsForCorrectAnswer,
	streakBonus
} from './scoring.ts';

const TWENTY_SECONDS = 20_000;

/** Points for a correct answer `elapsedMs` into a 20-second question, speed scoring on. */
function scoreAt(elapsedMs: number, level: PointsLevel = 'standard'): number {
	return pointsForCorrectAnswer(level, { elapsedMs, timeLimitMs: TWENTY_SECONDS }, true);
}

describe('points a question is worth', () => {
	it('is 1000 for standard, 2000 for double and 0 for none', () => {
		expect(basePoints('standard')).toBe(1000);
		expect(basePoints('double')).toBe(2000);
		expect(basePoints('none')).toBe(0);
	});
});

describe('a correct answer with speed scoring', () => {
	it('scores the full 1000 at t = 0', () => {
		expect(scoreAt(0)).toBe(1000);
	});

	it('scores the full 1000 at t = 0.4 s: nobody reads and taps quicker', () => {
		expect(scoreAt(400)).toBe(1000);
		expect(scoreAt(FULL_POINTS_WITHIN_MS - 1)).toBe(1000);
	});

	it('follows round(P × (1 − (t / T) / 2)) from half a second on', () => {
		expect(scoreAt(FULL_POINTS_WITHIN_MS)).toBe(988);
		expect(scoreAt(5_000)).toBe(875);
		expect(scoreAt(15_000)).toBe(625);
		expect(
			pointsForCorrectAnswer('standard', { elapsedMs: 2_000, timeLimitMs: 10_000 }, true)
		).toBe(900);
	});

	it('scores 750 at half the time limit', () => {
		expect(scoreAt(10_000)).toBe(750);
		expect(scoreAt(10_000)).toBe(Math.round(1000 * 0.75));
	});

	it('scores 500 (P / 2) at the deadline', () => {
		expect(scoreAt(TWENTY_SECONDS)).toBe(500);
	});

	it('never scores below P / 2, even measured past the deadline', () => {
		expect(scoreAt(TWENTY_SECONDS + 1)).toBe(500);
		expect(scoreAt(10 * TWENTY_SECONDS)).toBe(500);
		expect(scoreAt(10 * TWENTY_SECONDS, 'double')).toBe(1000);
	});

	it('never scores more for a slower answer, and stays between P / 2 and P', () => {
		let previous = Infinity;
		for (let elapsedMs = 0; elapsedMs <= TWENTY_SECONDS; elapsedMs += 250) {
			const points = scoreAt(elapsedMs);
			expect(points).toBeLessThanOrEqual(previous);
			expect(points).toBeGreaterThanOrEqual(500);
			expect(points).toBeLessThanOrEqual(1000);
			previous = points;
		}
	});

	it('doubles everything on a double-points question: 2000, 1500 at half time, 1000 at the deadline', () => {
		expect(scoreAt(0, 'double')).toBe(2000);
		expect(scoreAt(10_000, 'double')).toBe(1500);
		expect(scoreAt(TWENTY_SECONDS, 'double')).toBe(1000);
	});

	it('scores 0 on a no-points question however fast', () => {
		expect(scoreAt(0, 'none')).toBe(0);
		expect(scoreAt(10_000, 'none')).toBe(0);
		expect(scoreAt(TWENTY_SECONDS, 'none')).toBe(0);
	});
});

describe('a correct answer without speed scoring (accessibility option)', () => {
	it('scores the full P whenever it comes', () => {
		for (const elapsedMs of [0, 400, 10_000, TWENTY_SECONDS]) {
			const timing = { elapsedMs, timeLimitMs: TWENTY_SECONDS };
			expect(pointsForCorrectAnswer('standard', timing, false)).toBe(1000);
			expect(pointsForCorrectAnswer('double', timing, false)).toBe(2000);
			expect(pointsForCorrectAnswer('none', timing, false)).toBe(0);
		}
	});
});

describe('the answer streak bonus', () => {
	it('gives nothing for the first correct answer in a row', () => {
		expect(streakBonus(0)).toBe(0);
		expect(streakBonus(1)).toBe(0);
	});

	it('gives +100 for each consecutive correct answer after the first', () => {
		expect([2, 3, 4, 5].map(streakBonus)).toEqual([100, 200, 300, 400]);
		expect(STREAK_STEP).toBe(100);
	});

	it('is capped at +500 from the sixth correct answer in a row on', () => {
		expect([6, 7, 10, 100].map(streakBonus)).toEqual([500, 500, 500, 500]);
		expect(STREAK_CAP).toBe(500);
	});
});
