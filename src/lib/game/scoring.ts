/**
 * Kahoot's published scoring rule, so hosts get what they know:
 * a correct answer scores round(P × (1 − (t / T) / 2)); full P under half a second;
 * never below P / 2. Wrong or missing answers score nothing.
 */
import type { PointsLevel } from '../protocol/quiz.ts';

/** Answers faster than this earn the full points: nobody reads and taps quicker. */
export const FULL_POINTS_WITHIN_MS = 500;
export const STREAK_STEP = 100;
export const STREAK_CAP = 500;

export function basePoints(level: PointsLevel): number {
	return level === 'double' ? 2000 : level === 'standard' ? 1000 : 0;
}

export interface AnswerTiming {
	/** Answer time measured by the server, latency compensation already taken off. */
	elapsedMs: number;
	timeLimitMs: number;
}

export function pointsForCorrectAnswer(
	level: PointsLevel,
	timing: AnswerTiming,
	speedScoring: boolean
): number {
	const full = basePoints(level);
	if (!speedScoring || timing.elapsedMs < FULL_POINTS_WITHIN_MS) return full;
	const fraction = Math.min(1, Math.max(0, timing.elapsedMs / timing.timeLimitMs));
	return Math.max(Math.ceil(full / 2), Math.round(full * (1 - fraction / 2)));
}

/** Bonus for the `streak`-th correct answer in a row: nothing for the first, +100 each after. */
export function streakBonus(streak: number): number {
	return Math.min(STREAK_CAP, Math.max(0, streak - 1) * STREAK_STEP);
}
