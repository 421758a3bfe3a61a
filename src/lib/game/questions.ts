/**
 * What each question type means for the rules: which answers it takes, what counts as right,
 * how many points a right answer is worth, and what the reveal shows. Pure functions.
 */
import type { AnswerInput, RevealDetail } from '../protocol/messages.ts';
import {
	isOnGrid,
	MAX_TYPED_ANSWER,
	TRUE_FALSE_OPTIONS,
	type AnswerableQuestion,
	type Question,
	type QuestionOf
} from '../protocol/quiz.ts';
import { characterCount } from './nickname.ts';
import { sliderBinCount, sliderBinOf } from './slider-bins.ts';

/** An answer as the rules keep it: puzzle orders in item numbers, texts normalised. */
export type AnswerGiven =
	| { kind: 'choice'; index: number }
	| { kind: 'choices'; indexes: number[] }
	| { kind: 'text'; text: string }
	| { kind: 'number'; value: number }
	| { kind: 'order'; items: number[] };

export type AnswerCheck =
	| { ok: true; given: AnswerGiven }
	| { ok: false; code: 'bad-option' | 'bad-answer'; message: string };

/** A whole number naming one of `count` things (options, shown positions). */
function isIndex(value: number, count: number): boolean {
	return Number.isInteger(value) && value >= 0 && value < count;
}

export function isAnswerable(question: Question): question is AnswerableQuestion {
	return question.type !== 'info';
}

/** Option texts of the question's choice buttons; empty for types without options. */
export function optionTexts(question: Question): string[] {
	switch (question.type) {
		case 'quiz':
		case 'multi':
		case 'poll':
			return question.options;
		case 'true-false':
			return [...TRUE_FALSE_OPTIONS];
		default:
			return [];
	}
}

/** Correct option indexes of choice questions (true/false: 0 is "True"). */
export function correctOptions(question: Question): number[] {
	switch (question.type) {
		case 'quiz':
		case 'multi':
			return question.correct;
		case 'true-false':
			return [question.answer ? 0 : 1];
		default:
			return [];
	}
}

/** Polls and info slides neither score nor touch streaks; neither do no-points questions. */
export function isScored(question: Question): boolean {
	return question.type !== 'poll' && question.type !== 'info' && question.points !== 'none';
}

/**
 * Checks a player's answer against what the question takes. `shuffle` is this game's puzzle
 * order (position shown → item number).
 */
export function checkAnswer(
	question: AnswerableQuestion,
	input: AnswerInput,
	shuffle: number[] | null
): AnswerCheck {
	const wrongKind = (wanted: string): AnswerCheck => ({
		ok: false,
		code: 'bad-answer',
		message: `This question takes ${wanted}`
	});
	switch (question.type) {
		case 'quiz':
		case 'true-false':
		case 'poll': {
			if (input.choice === undefined) return wrongKind('one choice');
			const count = optionTexts(question).length;
			if (!isIndex(input.choice, count)) {
				return { ok: false, code: 'bad-option', message: `This question has ${count} answers` };
			}
			return { ok: true, given: { kind: 'choice', index: input.choice } };
		}
		case 'multi': {
			if (input.choices === undefined) return wrongKind('a set of choices');
			const count = question.options.length;
			const indexes = [...new Set(input.choices)].sort((a, b) => a - b);
			if (indexes.length !== input.choices.length) {
				return { ok: false, code: 'bad-answer', message: 'Each answer can be picked once' };
			}
			if (indexes.length === 0)
				return { ok: false, code: 'bad-answer', message: 'Pick at least one answer' };
			if (indexes.some((i) => !isIndex(i, count))) {
				return { ok: false, code: 'bad-option', message: `This question has ${count} answers` };
			}
			return { ok: true, given: { kind: 'choices', indexes } };
		}
		case 'type-answer': {
			if (input.text === undefined) return wrongKind('a typed answer');
			const text = input.text.normalize('NFC').trim().replace(/\s+/gu, ' ');
			if (text === '') return { ok: false, code: 'bad-answer', message: 'Type an answer first' };
			if (characterCount(text) > MAX_TYPED_ANSWER) {
				return {
					ok: false,
					code: 'bad-answer',
					message: `Answers are at most ${MAX_TYPED_ANSWER} characters`
				};
			}
			return { ok: true, given: { kind: 'text', text } };
		}
		case 'slider': {
			if (input.value === undefined) return wrongKind('a number');
			const { value } = input;
			// As forgiving at the ends as on the grid: 3 × 0.1 is the top of a 0–0.3 slider.
			const epsilon = question.step * 1e-6;
			if (
				!(value >= question.min - epsilon && value <= question.max + epsilon) ||
				!isOnGrid(value, question)
			) {
				return {
					ok: false,
					code: 'bad-answer',
					message: `Pick a value from ${question.min} to ${question.max} in steps of ${question.step}`
				};
			}
			return { ok: true, given: { kind: 'number', value: snapToStep(value, question) } };
		}
		case 'puzzle': {
			if (input.order === undefined) return wrongKind('an order of the items');
			const count = question.items.length;
			const positions = input.order;
			const complete =
				positions.length === count &&
				new Set(positions).size === count &&
				positions.every((p) => isIndex(p, count));
			if (!complete || !shuffle) {
				return {
					ok: false,
					code: 'bad-answer',
					message: `Put all ${count} items in order, each once`
				};
			}
			return { ok: true, given: { kind: 'order', items: positions.map((p) => shuffle[p]!) } };
		}
	}
}

/** The grid value nearest to `value`, without binary noise: 0.30000000000000004 → 0.3. */
export function snapToStep(value: number, q: { min: number; step: number }): number {
	const steps = Math.round((value - q.min) / q.step);
	return Number((q.min + steps * q.step).toPrecision(12));
}

/**
 * How right an answer is: `correct` decides streaks; `accuracy` (0–1) scales the points —
 * 1 for every right answer except a slider guess near, but not on, the value.
 */
export function judge(
	question: AnswerableQuestion,
	given: AnswerGiven
): { correct: boolean; accuracy: number } {
	const yes = { correct: true, accuracy: 1 };
	const no = { correct: false, accuracy: 0 };
	switch (question.type) {
		case 'quiz':
		case 'true-false':
			return given.kind === 'choice' && correctOptions(question).includes(given.index) ? yes : no;
		case 'poll':
			return no;
		case 'multi': {
			if (given.kind !== 'choices') return no;
			// A hand-written quiz may list a correct option twice; the answer's set has it once.
			const correct = [...new Set(question.correct)].sort((a, b) => a - b);
			const exact =
				given.indexes.length === correct.length && given.indexes.every((i, k) => i === correct[k]);
			return exact ? yes : no;
		}
		case 'type-answer':
			return given.kind === 'text' && acceptsText(question, given.text) ? yes : no;
		case 'slider': {
			if (given.kind !== 'number') return no;
			return sliderAccuracy(question, given.value);
		}
		case 'puzzle':
			return given.kind === 'order' && given.items.every((item, position) => item === position)
				? yes
				: no;
	}
}

/**
 * Exact value: full points. Within the tolerance: from full down to half at its edge, like the
 * speed rule never going below half. Outside: nothing.
 */
export function sliderAccuracy(
	question: QuestionOf<'slider'>,
	value: number
): { correct: boolean; accuracy: number } {
	const distance = Math.abs(value - question.answer);
	const epsilon = question.step * 1e-6;
	if (distance <= epsilon) return { correct: true, accuracy: 1 };
	if (distance > question.tolerance + epsilon) return { correct: false, accuracy: 0 };
	return { correct: true, accuracy: 1 - Math.min(1, distance / question.tolerance) / 2 };
}

/** Typed answers compare after trimming, collapsing spaces and (by default) case and accents. */
export function normalizeTyped(
	text: string,
	question: Pick<QuestionOf<'type-answer'>, 'caseSensitive' | 'ignoreAccents'>
): string {
	let result = text.normalize('NFC').trim().replace(/\s+/gu, ' ');
	if (question.ignoreAccents)
		result = result.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
	if (!question.caseSensitive) result = result.toLocaleLowerCase('en');
	return result;
}

export function acceptsText(question: QuestionOf<'type-answer'>, text: string): boolean {
	const typed = normalizeTyped(text, question);
	return question.accepted.some((accepted) => normalizeTyped(accepted, question) === typed);
}

/** A shuffled order of `count` items (position → item), never the solved one. */
export function shuffleOrder(count: number, random: () => number): number[] {
	const order = Array.from({ length: count }, (_, i) => i);
	do {
		for (let i = count - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
	} while (count > 1 && order.every((item, position) => item === position));
	return order;
}

/** A small seeded generator (mulberry32): the same seed shuffles the same way in tests. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Counts per option: picks for choice questions, ticks for select-all. */
export function countOptions(question: Question, answers: Iterable<AnswerGiven>): number[] {
	const counts = optionTexts(question).map(() => 0);
	for (const given of answers) {
		if (given.kind === 'choice') counts[given.index]!++;
		else if (given.kind === 'choices') for (const index of given.indexes) counts[index]!++;
	}
	return counts;
}

export const TOP_TYPED_ANSWERS = 8;
export { SLIDER_BINS } from './slider-bins.ts';

/** The reveal's extra for types without options. */
export function revealDetail(question: Question, answers: AnswerGiven[]): RevealDetail | null {
	switch (question.type) {
		case 'type-answer': {
			const counts = new Map<string, { text: string; count: number }>();
			for (const given of answers) {
				if (given.kind !== 'text') continue;
				const key = normalizeTyped(given.text, question);
				const entry = counts.get(key) ?? { text: given.text, count: 0 };
				entry.count++;
				counts.set(key, entry);
			}
			const topAnswers = [...counts.values()]
				.sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
				.slice(0, TOP_TYPED_ANSWERS)
				.map((entry) => ({ ...entry, correct: acceptsText(question, entry.text) }));
			return { type: 'type-answer', accepted: question.accepted, topAnswers };
		}
		case 'slider':
			return {
				type: 'slider',
				answer: question.answer,
				tolerance: question.tolerance,
				unit: question.unit,
				histogram: sliderHistogram(question, answers)
			};
		case 'puzzle':
			return {
				type: 'puzzle',
				correctOrder: question.items,
				allRight: answers.filter((given) => judge(question, given).correct).length
			};
		default:
			return null;
	}
}

/** Guesses counted per bin (see slider-bins.ts for the bins and the one marked as the answer). */
export function sliderHistogram(
	question: QuestionOf<'slider'>,
	answers: AnswerGiven[]
): { from: number; to: number; count: number }[] {
	const binCount = sliderBinCount(question);
	const width = (question.max - question.min) / binCount;
	const bins = Array.from({ length: binCount }, (_, i) => ({
		from: question.min + i * width,
		to: question.min + (i + 1) * width,
		count: 0
	}));
	for (const given of answers) {
		if (given.kind !== 'number') continue;
		bins[sliderBinOf(question, given.value)]!.count++;
	}
	return bins;
}

/** An answer as a person reads it, for reports: "Rome", "Rome, Paris", "42 km", "B → A → C". */
export function describeAnswer(question: Question, given: AnswerGiven): string {
	switch (given.kind) {
		case 'choice':
			return optionTexts(question)[given.index] ?? `option ${given.index + 1}`;
		case 'choices':
			return given.indexes.map((i) => optionTexts(question)[i] ?? `option ${i + 1}`).join(', ');
		case 'text':
			return given.text;
		case 'number':
			return question.type === 'slider' && question.unit
				? `${given.value} ${question.unit}`
				: String(given.value);
		case 'order':
			return given.items
				.map((i) => (question.type === 'puzzle' ? question.items[i] : undefined) ?? `item ${i + 1}`)
				.join(' → ');
	}
}
