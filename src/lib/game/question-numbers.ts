/**
 * How questions are numbered wherever people see a number: "Question 6 of 7" on the projector
 * and phones, "Q6" in a report and its downloads. Info slides are shown, not answered, so they
 * are not counted: the question after a slide keeps the number players saw.
 */
import type { Question } from '../protocol/quiz.ts';
import { isAnswerable } from './questions.ts';

/** The N of "Question N of M", 1-based among the questions that take answers; null on a slide. */
export function questionNumber(questions: readonly Question[], index: number): number | null {
	const question = questions[index];
	if (!question || !isAnswerable(question)) return null;
	return questions.slice(0, index + 1).filter(isAnswerable).length;
}

/** The M of "Question N of M": how many questions take answers (a game's rounds). */
export function questionCount(questions: readonly Question[]): number {
	return questions.filter(isAnswerable).length;
}
