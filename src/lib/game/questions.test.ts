/**
 * What each question type means for the rules, function by function: which answers it takes,
 * what counts as right, how right a slider guess is, and what the reveal and the reports show.
 * Questions go through QuestionSchema first, so they carry the defaults a real quiz has.
 */
import * as v from 'valibot';
import { describe, expect, it, test } from 'vitest';
import type { AnswerInput } from '../protocol/messages.ts';
import {
	QuestionSchema,
	type AnswerableQuestion,
	type Question,
	type QuestionOf,
	type QuestionType
} from '../protocol/quiz.ts';
import {
	acceptsText,
	snapToStep,
	checkAnswer,
	correctOptions,
	countOptions,
	describeAnswer,
	isAnswerable,
	isScored,
	judge,
	normalizeTyped,
	optionTexts,
	revealDetail,
	seededRandom,
	shuffleOrder,
	SLIDER_BINS,
	sliderAccuracy,
	sliderHistogram,
	TOP_TYPED_ANSWERS,
	type AnswerGiven
} from './questions.ts';

// ---------------------------------------------------------------------------------------------
// One question of each type, as the schema hands them to the rules

function parse<T extends QuestionType>(type: T, fields: Record<string, unknown>): QuestionOf<T> {
	return v.parse(QuestionSchema, { type, text: `A ${type} question`, ...fields }) as QuestionOf<T>;
}

const base = { timeLimit: 20 };
const planets = ['Venus', 'Mars', 'Jupiter', 'Saturn'];

const quiz = (fields: Record<string, unknown> = {}) =>
	parse('quiz', { ...base, options: planets, correct: [1], ...fields });
const trueFalse = (answer: boolean, fields: Record<string, unknown> = {}) =>
	parse('true-false', { ...base, answer, ...fields });
/** Mars and Jupiter are correct. */
const multi = (fields: Record<string, unknown> = {}) =>
	parse('multi', { ...base, options: planets, correct: [1, 2], ...fields });
const typeAnswer = (accepted: string[], fields: Record<string, unknown> = {}) =>
	parse('type-answer', { ...base, accepted, ...fields });
/** 0–100 in steps of 1, answer 40, tolerance 10. */
const slider = (fields: Record<string, unknown> = {}) =>
	parse('slider', { ...base, min: 0, max: 100, step: 1, answer: 40, tolerance: 10, ...fields });
const puzzle = (items = ['Mercury', 'Venus', 'Earth', 'Mars'], fields = {}) =>
	parse('puzzle', { ...base, items, ...fields });
const poll = (fields: Record<string, unknown> = {}) =>
	parse('poll', { ...base, options: ['Cats', 'Dogs', 'Fish'], ...fields });
const info = (fields: Record<string, unknown> = {}) =>
	parse('info', { body: 'Next round: space', ...fields });

function accepted(
	question: AnswerableQuestion,
	input: AnswerInput,
	shuffle: number[] | null = null
) {
	const checked = checkAnswer(question, input, shuffle);
	if (!checked.ok) throw new Error(`Refused: ${checked.code} ${checked.message}`);
	return checked.given;
}

function refused(
	question: AnswerableQuestion,
	input: AnswerInput,
	shuffle: number[] | null = null
) {
	const checked = checkAnswer(question, input, shuffle);
	if (checked.ok) throw new Error(`Accepted: ${JSON.stringify(checked.given)}`);
	expect(checked.message).not.toBe('');
	return checked.code;
}

/** Whether a typed answer counts, as the rules check and judge it end to end. */
function typedCounts(question: QuestionOf<'type-answer'>, text: string): boolean {
	return judge(question, accepted(question, { text })).correct;
}

const choice = (index: number): AnswerGiven => ({ kind: 'choice', index });
const choices = (...indexes: number[]): AnswerGiven => ({ kind: 'choices', indexes });
const text = (value: string): AnswerGiven => ({ kind: 'text', text: value });
const number = (value: number): AnswerGiven => ({ kind: 'number', value });
const order = (...items: number[]): AnswerGiven => ({ kind: 'order', items });

// =============================================================================================

describe('isAnswerable', () => {
	it('is true for every type but the info slide', () => {
		const all: Question[] = [
			quiz(),
			trueFalse(true),
			multi(),
			typeAnswer(['Paris']),
			slider(),
			puzzle(),
			poll(),
			info()
		];
		expect(all.map((q) => [q.type, isAnswerable(q)])).toEqual([
			['quiz', true],
			['true-false', true],
			['multi', true],
			['type-answer', true],
			['slider', true],
			['puzzle', true],
			['poll', true],
			['info', false]
		]);
	});
});

describe('optionTexts', () => {
	it('are the options of quiz, select-all and poll questions', () => {
		expect(optionTexts(quiz())).toEqual(planets);
		expect(optionTexts(multi())).toEqual(planets);
		expect(optionTexts(poll())).toEqual(['Cats', 'Dogs', 'Fish']);
	});

	it('are always True, False for true/false, whichever is right', () => {
		expect(optionTexts(trueFalse(true))).toEqual(['True', 'False']);
		expect(optionTexts(trueFalse(false))).toEqual(['True', 'False']);
	});

	it('are empty for types without options', () => {
		for (const q of [typeAnswer(['Paris']), slider(), puzzle(), info()]) {
			expect(optionTexts(q)).toEqual([]);
		}
	});

	it('hand out a copy for true/false: nobody can change the shared labels', () => {
		optionTexts(trueFalse(true)).push('Maybe');
		expect(optionTexts(trueFalse(true))).toEqual(['True', 'False']);
	});
});

describe('correctOptions', () => {
	it('are the marked options of quiz and select-all questions', () => {
		expect(correctOptions(quiz({ correct: [1, 3] }))).toEqual([1, 3]);
		expect(correctOptions(multi())).toEqual([1, 2]);
	});

	it('are [0] (True) for a true statement and [1] (False) for a false one', () => {
		expect(correctOptions(trueFalse(true))).toEqual([0]);
		expect(correctOptions(trueFalse(false))).toEqual([1]);
	});

	it('are empty for a poll (no correct answer) and for types without options', () => {
		for (const q of [poll(), typeAnswer(['Paris']), slider(), puzzle(), info()]) {
			expect(correctOptions(q)).toEqual([]);
		}
	});
});

describe('isScored', () => {
	it('is true for every answerable type but the poll, at standard or double points', () => {
		for (const points of ['standard', 'double']) {
			for (const q of [
				quiz({ points }),
				trueFalse(true, { points }),
				multi({ points }),
				typeAnswer(['Paris'], { points }),
				slider({ points }),
				puzzle(undefined, { points })
			]) {
				expect(isScored(q), q.type).toBe(true);
			}
		}
	});

	it('is false for no-points questions, polls and info slides', () => {
		expect(isScored(quiz({ points: 'none' }))).toBe(false);
		expect(isScored(slider({ points: 'none' }))).toBe(false);
		expect(isScored(poll())).toBe(false);
		expect(isScored(info())).toBe(false);
	});
});

// ---------------------------------------------------------------------------------------------

describe('checkAnswer: quiz, true/false and poll take one choice', () => {
	it('accepts any option of the question, right or wrong', () => {
		expect(accepted(quiz(), { choice: 0 })).toEqual(choice(0));
		expect(accepted(quiz(), { choice: 3 })).toEqual(choice(3));
		expect(accepted(poll(), { choice: 2 })).toEqual(choice(2));
	});

	it('true/false: choice 0 is True and 1 is False; 2 does not exist', () => {
		const q = trueFalse(false);
		expect(accepted(q, { choice: 0 })).toEqual(choice(0));
		expect(accepted(q, { choice: 1 })).toEqual(choice(1));
		expect(refused(q, { choice: 2 })).toBe('bad-option');
	});

	it('refuses an option past the last one with bad-option, naming how many there are', () => {
		const checked = checkAnswer(quiz(), { choice: 4 }, null);
		expect(checked).toEqual({
			ok: false,
			code: 'bad-option',
			message: 'This question has 4 answers'
		});
		expect(refused(poll(), { choice: 3 })).toBe('bad-option');
	});

	it('refuses a negative or fractional option with bad-option', () => {
		for (const bad of [-1, 0.5, 1.5, Number.NaN]) {
			expect(refused(quiz(), { choice: bad }), String(bad)).toBe('bad-option');
		}
	});

	it('refuses the other kinds of answer with bad-answer', () => {
		const q = quiz();
		for (const input of [{ choices: [1] }, { text: 'Mars' }, { value: 1 }, { order: [0] }, {}]) {
			expect(checkAnswer(q, input, null)).toEqual({
				ok: false,
				code: 'bad-answer',
				message: 'This question takes one choice'
			});
		}
	});
});

describe('checkAnswer: select-all takes a set of choices', () => {
	it('accepts any non-empty set, in any order, kept sorted', () => {
		expect(accepted(multi(), { choices: [2, 0] })).toEqual(choices(0, 2));
		expect(accepted(multi(), { choices: [3, 2, 1, 0] })).toEqual(choices(0, 1, 2, 3));
		expect(accepted(multi(), { choices: [1] })).toEqual(choices(1));
	});

	it('refuses an empty set with bad-answer', () => {
		expect(refused(multi(), { choices: [] })).toBe('bad-answer');
	});

	it('refuses the same option twice with bad-answer', () => {
		expect(refused(multi(), { choices: [1, 1] })).toBe('bad-answer');
		expect(refused(multi(), { choices: [0, 2, 0] })).toBe('bad-answer');
	});

	it('refuses an option the question does not have with bad-option', () => {
		expect(refused(multi(), { choices: [1, 4] })).toBe('bad-option');
		expect(refused(multi(), { choices: [-1, 1] })).toBe('bad-option');
		expect(refused(multi(), { choices: [0.5] })).toBe('bad-option');
	});

	it('refuses a single choice: select-all answers are sets', () => {
		expect(refused(multi(), { choice: 1 })).toBe('bad-answer');
	});
});

describe('checkAnswer: type answer takes a short text', () => {
	const q = typeAnswer(['Paris']);

	it('keeps the text trimmed, with inner spaces collapsed, in NFC', () => {
		expect(accepted(q, { text: '  New \t  York  ' })).toEqual(text('New York'));
		expect(accepted(q, { text: 'Malmo\u0308' })).toEqual(text('Malm\u00f6'));
	});

	it('keeps case and accents as typed (judging ignores them, the reports do not)', () => {
		expect(accepted(q, { text: 'PARÍS' })).toEqual(text('PARÍS'));
	});

	it('refuses an empty or all-space text with bad-answer', () => {
		expect(refused(q, { text: '' })).toBe('bad-answer');
		expect(refused(q, { text: '   \t\n ' })).toBe('bad-answer');
		expect(refused(q, { text: '\u00a0\u3000' })).toBe('bad-answer'); // no-break, ideographic
	});

	it('accepts 20 characters and refuses 21 with bad-answer', () => {
		expect(accepted(q, { text: 'x'.repeat(20) })).toEqual(text('x'.repeat(20)));
		expect(checkAnswer(q, { text: 'x'.repeat(21) }, null)).toEqual({
			ok: false,
			code: 'bad-answer',
			message: 'Answers are at most 20 characters'
		});
	});

	it('counts characters after trimming and collapsing spaces', () => {
		expect(accepted(q, { text: `   ${'x'.repeat(10)}     ${'y'.repeat(9)}   ` })).toEqual(
			text(`${'x'.repeat(10)} ${'y'.repeat(9)}`)
		);
	});

	it('counts characters as people see them: an accent or an emoji is one', () => {
		// 20 letters each with a combining accent: 40 code points, 20 characters.
		expect(accepted(q, { text: 'e\u0301'.repeat(20) }).kind).toBe('text');
		// Flags, a family and a skin tone: each one character though several code units.
		const emoji = '🇸🇪'.repeat(18) + '👨‍👩‍👧‍👦' + '👍🏽';
		expect(accepted(q, { text: emoji })).toEqual(text(emoji));
		expect(refused(q, { text: emoji + '🎉' })).toBe('bad-answer');
	});

	it('refuses the other kinds of answer with bad-answer', () => {
		expect(refused(q, { choice: 0 })).toBe('bad-answer');
	});
});

describe('checkAnswer: slider takes a value on its grid', () => {
	it('accepts the bounds and any whole step between them', () => {
		for (const value of [0, 1, 39, 40, 99, 100]) {
			expect(accepted(slider(), { value })).toEqual(number(value));
		}
	});

	it('refuses values outside the range with bad-answer, saying what the range is', () => {
		expect(checkAnswer(slider(), { value: 101 }, null)).toEqual({
			ok: false,
			code: 'bad-answer',
			message: 'Pick a value from 0 to 100 in steps of 1'
		});
		expect(refused(slider(), { value: -1 })).toBe('bad-answer');
		expect(refused(slider({ min: -50, max: 50, answer: 0 }), { value: -51 })).toBe('bad-answer');
	});

	it('refuses values between steps with bad-answer', () => {
		expect(refused(slider(), { value: 40.5 })).toBe('bad-answer');
		expect(refused(slider({ step: 5 }), { value: 42 })).toBe('bad-answer');
		expect(refused(slider({ step: 5, min: 3, max: 103, answer: 43 }), { value: 45 })).toBe(
			'bad-answer'
		);
	});

	it('refuses a non-finite value', () => {
		for (const value of [Number.NaN, Infinity, -Infinity]) {
			expect(refused(slider(), { value }), String(value)).toBe('bad-answer');
		}
	});

	it('takes floating steps as they add up in binary (0.1 + 0.2 is 0.3 on a 0.1 grid), stored snapped', () => {
		const q = slider({ min: 0, max: 1, step: 0.1, answer: 0.3, tolerance: 0.2 });
		expect(accepted(q, { value: 0.1 + 0.2 })).toEqual(number(0.3));
		expect(accepted(q, { value: 0.7 })).toEqual(number(0.7));
		expect(refused(q, { value: 0.35 })).toBe('bad-answer');
		expect(refused(q, { value: 1.1 })).toBe('bad-answer');
	});

	it('takes a top value that floating steps overshoot by a hair: 3 × 0.1 ends a 0–0.3 slider', () => {
		const q = slider({ min: 0, max: 0.3, step: 0.1, answer: 0.3, tolerance: 0 });
		expect(3 * 0.1).toBeGreaterThan(0.3);
		expect(accepted(q, { value: 3 * 0.1 })).toEqual(number(0.3));
		expect(judge(q, number(3 * 0.1))).toEqual({ correct: true, accuracy: 1 });
		expect(refused(q, { value: 0.4 })).toBe('bad-answer');
	});

	it('refuses the other kinds of answer with bad-answer', () => {
		expect(refused(slider(), { choice: 0 })).toBe('bad-answer');
		expect(refused(slider(), { text: '40' })).toBe('bad-answer');
	});
});

describe('checkAnswer: puzzle takes every shown position once, in the player’s order', () => {
	// Shown to players as: Earth, Mercury, Mars, Venus.
	const shuffle = [2, 0, 3, 1];
	const q = puzzle();

	it('turns the positions as shown into item numbers', () => {
		// Mercury (shown 2nd), Venus (4th), Earth (1st), Mars (3rd): the solved order.
		expect(accepted(q, { order: [1, 3, 0, 2] }, shuffle)).toEqual(order(0, 1, 2, 3));
		// Left as shown.
		expect(accepted(q, { order: [0, 1, 2, 3] }, shuffle)).toEqual(order(2, 0, 3, 1));
	});

	it('refuses an order with an item missing with bad-answer', () => {
		expect(checkAnswer(q, { order: [1, 3, 0] }, shuffle)).toEqual({
			ok: false,
			code: 'bad-answer',
			message: 'Put all 4 items in order, each once'
		});
		expect(refused(q, { order: [] }, shuffle)).toBe('bad-answer');
	});

	it('refuses an order with an item twice with bad-answer', () => {
		expect(refused(q, { order: [1, 1, 0, 2] }, shuffle)).toBe('bad-answer');
		expect(refused(q, { order: [1, 3, 0, 2, 2] }, shuffle)).toBe('bad-answer');
	});

	it('refuses positions that do not exist with bad-answer', () => {
		expect(refused(q, { order: [1, 3, 0, 4] }, shuffle)).toBe('bad-answer');
		expect(refused(q, { order: [-1, 0, 1, 2] }, shuffle)).toBe('bad-answer');
		expect(refused(q, { order: [0.5, 0, 1, 2] }, shuffle)).toBe('bad-answer');
		const three = puzzle(['A', 'B', 'C']);
		expect(refused(three, { order: [0, 1, 3] }, [1, 2, 0])).toBe('bad-answer');
		expect(accepted(three, { order: [2, 0, 1] }, [1, 2, 0])).toEqual(order(0, 1, 2));
	});

	it('refuses any order when the game has no shuffle for the question', () => {
		expect(refused(q, { order: [0, 1, 2, 3] }, null)).toBe('bad-answer');
	});

	it('refuses the other kinds of answer with bad-answer', () => {
		expect(refused(q, { choices: [0, 1, 2, 3] }, shuffle)).toBe('bad-answer');
	});
});

// ---------------------------------------------------------------------------------------------

describe('judge', () => {
	const right = { correct: true, accuracy: 1 };
	const wrong = { correct: false, accuracy: 0 };

	it('quiz: any correct option is right, any other wrong', () => {
		const q = quiz({ correct: [1, 3] });
		expect([0, 1, 2, 3].map((i) => judge(q, choice(i)))).toEqual([wrong, right, wrong, right]);
	});

	it('true/false: True is right for a true statement, False for a false one', () => {
		expect(judge(trueFalse(true), choice(0))).toEqual(right);
		expect(judge(trueFalse(true), choice(1))).toEqual(wrong);
		expect(judge(trueFalse(false), choice(1))).toEqual(right);
		expect(judge(trueFalse(false), choice(0))).toEqual(wrong);
	});

	it('multi: full points only for exactly the correct set', () => {
		const q = multi();
		expect(judge(q, choices(1, 2))).toEqual(right);
		expect(judge(q, choices(1)), 'a subset').toEqual(wrong);
		expect(judge(q, choices(1, 2, 3)), 'a superset').toEqual(wrong);
		expect(judge(q, choices(0, 3)), 'the others').toEqual(wrong);
		expect(judge(q, choices(0, 1, 2, 3)), 'everything').toEqual(wrong);
	});

	it('multi: the order the correct options were marked in does not matter', () => {
		expect(judge(multi({ correct: [2, 1] }), choices(1, 2))).toEqual(right);
	});

	it('multi: a correct option listed twice in the quiz still takes the set once', () => {
		expect(judge(multi({ correct: [1, 2, 1] }), choices(1, 2))).toEqual(right);
	});

	it('poll: nothing is right or wrong, and nothing scores', () => {
		for (const i of [0, 1, 2]) expect(judge(poll(), choice(i))).toEqual(wrong);
	});

	it('type answer: right when it matches an accepted answer', () => {
		const q = typeAnswer(['Paris', 'Paname']);
		expect(judge(q, text('paris'))).toEqual(right);
		expect(judge(q, text('Paname'))).toEqual(right);
		expect(judge(q, text('Lyon'))).toEqual(wrong);
	});

	it('slider: full for the value, less within the tolerance, nothing outside', () => {
		expect(judge(slider(), number(40))).toEqual(right);
		expect(judge(slider(), number(45))).toEqual({ correct: true, accuracy: 0.75 });
		expect(judge(slider(), number(51))).toEqual(wrong);
	});

	it('puzzle: right only with every item in place', () => {
		const q = puzzle();
		expect(judge(q, order(0, 1, 2, 3))).toEqual(right);
		expect(judge(q, order(1, 0, 2, 3)), 'two swapped').toEqual(wrong);
		expect(judge(q, order(3, 2, 1, 0)), 'reversed').toEqual(wrong);
	});

	it('an answer of the wrong kind is never right', () => {
		expect(judge(quiz(), choices(1))).toEqual(wrong);
		expect(judge(multi(), choice(1))).toEqual(wrong);
		expect(judge(typeAnswer(['1']), number(1))).toEqual(wrong);
		expect(judge(slider(), text('40'))).toEqual(wrong);
		expect(judge(puzzle(), choices(0, 1, 2, 3))).toEqual(wrong);
	});
});

describe('sliderAccuracy', () => {
	it('exact value: correct, full accuracy', () => {
		expect(sliderAccuracy(slider(), 40)).toEqual({ correct: true, accuracy: 1 });
	});

	it('within the tolerance: correct, falling linearly from full to half', () => {
		const q = slider(); // answer 40, tolerance 10
		expect([41, 42, 45, 48, 39, 35, 32].map((value) => sliderAccuracy(q, value))).toEqual([
			{ correct: true, accuracy: 0.95 },
			{ correct: true, accuracy: 0.9 },
			{ correct: true, accuracy: 0.75 },
			{ correct: true, accuracy: 0.6 },
			{ correct: true, accuracy: 0.95 },
			{ correct: true, accuracy: 0.75 },
			{ correct: true, accuracy: 0.6 }
		]);
	});

	it('exactly at the tolerance edge, on either side: correct, half accuracy (inclusive)', () => {
		expect(sliderAccuracy(slider(), 50)).toEqual({ correct: true, accuracy: 0.5 });
		expect(sliderAccuracy(slider(), 30)).toEqual({ correct: true, accuracy: 0.5 });
	});

	it('one step past the edge: not correct, nothing', () => {
		expect(sliderAccuracy(slider(), 51)).toEqual({ correct: false, accuracy: 0 });
		expect(sliderAccuracy(slider(), 29)).toEqual({ correct: false, accuracy: 0 });
	});

	it('with no tolerance only the exact value counts', () => {
		const q = slider({ tolerance: 0 });
		expect(sliderAccuracy(q, 40)).toEqual({ correct: true, accuracy: 1 });
		expect(sliderAccuracy(q, 41)).toEqual({ correct: false, accuracy: 0 });
		expect(sliderAccuracy(q, 39)).toEqual({ correct: false, accuracy: 0 });
	});

	it('at the bounds of the range, answer at a bound', () => {
		const low = slider({ answer: 0, tolerance: 10 });
		expect(sliderAccuracy(low, 0)).toEqual({ correct: true, accuracy: 1 });
		expect(sliderAccuracy(low, 10)).toEqual({ correct: true, accuracy: 0.5 });
		expect(sliderAccuracy(low, 100)).toEqual({ correct: false, accuracy: 0 });
		const high = slider({ answer: 100, tolerance: 100 });
		expect(sliderAccuracy(high, 0)).toEqual({ correct: true, accuracy: 0.5 });
		expect(sliderAccuracy(high, 100)).toEqual({ correct: true, accuracy: 1 });
	});

	it('floating steps: the edges hold although 0.5 − 0.3 is not 0.2 in binary', () => {
		const q = slider({ min: 0, max: 1, step: 0.1, answer: 0.3, tolerance: 0.2 });
		expect(sliderAccuracy(q, 0.1 + 0.2)).toEqual({ correct: true, accuracy: 1 });
		expect(sliderAccuracy(q, 0.5)).toEqual({ correct: true, accuracy: 0.5 });
		expect(sliderAccuracy(q, 0.1)).toEqual({ correct: true, accuracy: 0.5 });
		expect(sliderAccuracy(q, 0.4).accuracy).toBeCloseTo(0.75, 9);
		expect(sliderAccuracy(q, 0.6)).toEqual({ correct: false, accuracy: 0 });
		expect(sliderAccuracy(q, 0)).toEqual({ correct: false, accuracy: 0 });
	});

	it('negative ranges and a tolerance that is not a whole number of steps', () => {
		const q = slider({ min: -40, max: 40, step: 2, answer: -10, tolerance: 5 });
		expect(sliderAccuracy(q, -10)).toEqual({ correct: true, accuracy: 1 });
		expect(sliderAccuracy(q, -14)).toEqual({ correct: true, accuracy: 0.6 });
		expect(sliderAccuracy(q, -16)).toEqual({ correct: false, accuracy: 0 });
		expect(sliderAccuracy(q, -6)).toEqual({ correct: true, accuracy: 0.6 });
	});
});

// ---------------------------------------------------------------------------------------------

describe('normalizeTyped', () => {
	const loose = { caseSensitive: false, ignoreAccents: true };
	const exact = { caseSensitive: true, ignoreAccents: false };

	it('trims, collapses inner whitespace of any kind, and by default drops case and accents', () => {
		expect(normalizeTyped('  São \t Paulo\n', loose)).toBe('sao paulo');
		expect(normalizeTyped('Malmö', loose)).toBe('malmo');
		expect(normalizeTyped('ÅLESUND', loose)).toBe('alesund');
	});

	it('matches as the editor hint says: spaces around never count, a run of them counts once', () => {
		const question = parse('type-answer', { accepted: ['New York', 'Au'], timeLimit: 20 });
		expect(acceptsText(question, '  new   york ')).toBe(true);
		// A space between letters is still a space: these are other answers.
		expect(acceptsText(question, 'NewYork')).toBe(false);
		expect(acceptsText(question, 'A u')).toBe(false);
	});

	it('gives the same for the composed (NFC) and decomposed (NFD) spellings', () => {
		const nfc = 'Malm\u00f6';
		const nfd = 'Malmo\u0308';
		expect(nfc).not.toBe(nfd);
		for (const options of [loose, exact, { caseSensitive: false, ignoreAccents: false }]) {
			expect(normalizeTyped(nfd, options)).toBe(normalizeTyped(nfc, options));
		}
		expect(normalizeTyped(nfd, exact)).toBe(nfc);
	});

	it('keeps case when case-sensitive, and accents when told to', () => {
		expect(normalizeTyped(' Malmö ', exact)).toBe('Malmö');
		expect(normalizeTyped('Malmö', { caseSensitive: true, ignoreAccents: true })).toBe('Malmo');
		expect(normalizeTyped('Malmö', { caseSensitive: false, ignoreAccents: false })).toBe('malmö');
	});

	it('leaves emoji, other scripts and punctuation alone', () => {
		expect(normalizeTyped('  🇸🇪  Sverige 👍🏽 ', loose)).toBe('🇸🇪 sverige 👍🏽');
		expect(normalizeTyped('東京', loose)).toBe('東京');
		expect(normalizeTyped('Москва', loose)).toBe('москва');
		expect(normalizeTyped("rock 'n' roll!", loose)).toBe("rock 'n' roll!");
	});
});

describe('acceptsText and typed answers end to end', () => {
	it('ignores case, surrounding and repeated spaces by default', () => {
		const q = typeAnswer(['New York']);
		for (const typed of ['New York', 'new york', 'NEW YORK', '  new    york ', 'New\tYork']) {
			expect(typedCounts(q, typed), typed).toBe(true);
		}
		expect(typedCounts(q, 'NewYork')).toBe(false);
		expect(typedCounts(q, 'New York City')).toBe(false);
	});

	it('"Malmö" and "malmo" both count by default, whichever is the accepted one', () => {
		expect(typedCounts(typeAnswer(['Malmö']), 'malmo')).toBe(true);
		expect(typedCounts(typeAnswer(['Malmö']), 'MALMÖ')).toBe(true);
		expect(typedCounts(typeAnswer(['Malmo']), 'Malmö')).toBe(true);
	});

	it('NFD input matches an NFC accepted answer and the other way round', () => {
		const nfd = 'Malmo\u0308';
		expect(typedCounts(typeAnswer(['Malm\u00f6']), nfd)).toBe(true);
		expect(typedCounts(typeAnswer([nfd]), 'Malm\u00f6')).toBe(true);
		const keeping = { ignoreAccents: false, caseSensitive: true };
		expect(typedCounts(typeAnswer(['Malm\u00f6'], keeping), nfd)).toBe(true);
		expect(typedCounts(typeAnswer([nfd], keeping), 'Malm\u00f6')).toBe(true);
	});

	it('with accents kept, "malmo" does not count for "Malmö", "malmö" still does', () => {
		const q = typeAnswer(['Malmö'], { ignoreAccents: false });
		expect(typedCounts(q, 'malmo')).toBe(false);
		expect(typedCounts(q, 'malmö')).toBe(true);
		expect(typedCounts(q, 'MALMÖ')).toBe(true);
	});

	it('case-sensitive: only the same capitals count, accents still ignored', () => {
		const q = typeAnswer(['Paris'], { caseSensitive: true });
		expect(typedCounts(q, 'Paris')).toBe(true);
		expect(typedCounts(q, ' Paris  ')).toBe(true);
		expect(typedCounts(q, 'Parìs')).toBe(true);
		expect(typedCounts(q, 'paris')).toBe(false);
		expect(typedCounts(q, 'PARIS')).toBe(false);
	});

	it('case-sensitive and accent-keeping: only the exact spelling counts', () => {
		const q = typeAnswer(['Malmö'], { caseSensitive: true, ignoreAccents: false });
		expect(typedCounts(q, ' Malmö ')).toBe(true);
		expect(typedCounts(q, 'Malmo')).toBe(false);
		expect(typedCounts(q, 'malmö')).toBe(false);
	});

	it('any of several accepted answers counts', () => {
		const q = typeAnswer(['H2O', 'water', 'dihydrogen oxide']);
		for (const typed of ['h2o', 'Water', 'DIHYDROGEN  OXIDE']) {
			expect(typedCounts(q, typed), typed).toBe(true);
		}
		expect(typedCounts(q, 'ice')).toBe(false);
	});

	it('emoji answers: the same emoji counts, another does not', () => {
		const q = typeAnswer(['🦁', '🇸🇪']);
		expect(typedCounts(q, ' 🦁 ')).toBe(true);
		expect(typedCounts(q, '🇸🇪')).toBe(true);
		expect(typedCounts(q, '🐯')).toBe(false);
		expect(typedCounts(q, '🇳🇴')).toBe(false);
	});

	it('acceptsText works on raw text too: it normalises both sides', () => {
		const q = typeAnswer(['  Saint  Étienne ']);
		expect(acceptsText(q, 'saint etienne')).toBe(true);
		expect(acceptsText(q, 'saint-etienne')).toBe(false);
	});
});

// ---------------------------------------------------------------------------------------------

describe('shuffleOrder and seededRandom', () => {
	it('the same seed gives the same numbers, another seed others', () => {
		const a = seededRandom(42);
		const b = seededRandom(42);
		const first = Array.from({ length: 5 }, () => a());
		expect(Array.from({ length: 5 }, () => b())).toEqual(first);
		const c = seededRandom(43);
		expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
		for (const x of first) {
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
		}
	});

	it('is a permutation of the items, never the solved order, for many seeds', () => {
		for (const count of [2, 3, 4]) {
			for (let seed = 0; seed < 500; seed++) {
				const shuffled = shuffleOrder(count, seededRandom(seed));
				expect([...shuffled].sort()).toEqual(Array.from({ length: count }, (_, i) => i));
				expect(shuffled.every((item, position) => item === position)).toBe(false);
			}
		}
	});

	it('is deterministic per seed', () => {
		for (const seed of [0, 1, 7, 2 ** 31 - 1]) {
			expect(shuffleOrder(4, seededRandom(seed))).toEqual(shuffleOrder(4, seededRandom(seed)));
		}
	});

	it('spreads over every other order of 3 and 4 items across seeds', () => {
		for (const [count, orders] of [
			[3, 5],
			[4, 23]
		] as const) {
			const seen = new Set<string>();
			for (let seed = 0; seed < 2000; seed++) {
				seen.add(shuffleOrder(count, seededRandom(seed)).join(''));
			}
			expect(seen.size).toBe(orders);
		}
	});

	it('shuffles again when a draw comes out solved', () => {
		// The first pass draws the identity (j = i every time), the second swaps.
		const draws = [0.99, 0.99, 0.99, 0, 0, 0];
		const shuffled = shuffleOrder(4, () => draws.shift() ?? 0);
		expect(shuffled).not.toEqual([0, 1, 2, 3]);
		expect([...shuffled].sort()).toEqual([0, 1, 2, 3]);
	});

	it('a single item has only one order', () => {
		expect(shuffleOrder(1, seededRandom(1))).toEqual([0]);
	});
});

describe('countOptions', () => {
	it('counts picks per option for one-choice questions', () => {
		expect(countOptions(quiz(), [choice(1), choice(1), choice(3)])).toEqual([0, 2, 0, 1]);
		expect(countOptions(trueFalse(true), [choice(0), choice(1), choice(0)])).toEqual([2, 1]);
		expect(countOptions(poll(), [])).toEqual([0, 0, 0]);
	});

	it('counts ticks per option for select-all', () => {
		expect(countOptions(multi(), [choices(1, 2), choices(1), choices(0, 1, 2, 3)])).toEqual([
			1, 3, 2, 1
		]);
	});

	it('is empty for types without options, and skips answers of other kinds', () => {
		expect(countOptions(slider(), [number(40)])).toEqual([]);
		expect(countOptions(quiz(), [text('Mars'), choice(1)])).toEqual([0, 1, 0, 0]);
	});
});

describe('sliderHistogram', () => {
	it('has 10 equal bins across a wide range; the top value falls in the last', () => {
		const bins = sliderHistogram(slider(), [0, 9, 10, 40, 40, 41, 99, 100].map(number));
		expect(bins).toHaveLength(SLIDER_BINS);
		expect(bins.map((b) => [b.from, b.to])).toEqual(
			Array.from({ length: 10 }, (_, i) => [i * 10, (i + 1) * 10])
		);
		expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 3, 0, 0, 0, 0, 2]);
	});

	it('has one bin per value when the slider has few, each value in its own bin', () => {
		const q = slider({ min: 1, max: 5, step: 1, answer: 3, tolerance: 0 });
		const bins = sliderHistogram(q, [1, 2, 2, 3, 3, 3, 5].map(number));
		expect(bins).toHaveLength(5);
		expect(bins.map((b) => b.count)).toEqual([1, 2, 3, 0, 1]);
		expect(bins[0]!.from).toBe(1);
		expect(bins.at(-1)!.to).toBe(5);
		for (const [k, bin] of bins.entries()) {
			expect(1 + k).toBeGreaterThanOrEqual(bin.from);
			expect(1 + k).toBeLessThanOrEqual(bin.to);
		}
	});

	it('floating steps: every value lands in its own bin, not the one below', () => {
		// 0–0.9 in tenths: ten values, ten bins.
		const q = slider({ min: 0, max: 0.9, step: 0.1, answer: 0.3, tolerance: 0 });
		const values = Array.from({ length: 10 }, (_, k) => k / 10);
		const bins = sliderHistogram(q, values.map(number));
		expect(bins.map((b) => b.count)).toEqual(Array(10).fill(1));
		// And as a player's phone might add them up.
		const summed = sliderHistogram(q, [number(0.1 + 0.2), number(0.1 * 7)]);
		expect(summed.map((b) => b.count)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
	});

	it('a value on a bin edge goes to the bin that starts there', () => {
		const q = slider({ min: 0, max: 1, step: 0.1, answer: 0.5, tolerance: 0 });
		expect(0.3 / 0.1).toBeLessThan(3); // why bins are counted in steps, not by division
		const bins = sliderHistogram(q, [number(0.3), number(0.6), number(1)]);
		expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
	});

	it('counts every guess once and ignores other kinds of answer', () => {
		const guesses = [0, 13, 27, 27, 50, 74, 100].map(number);
		const bins = sliderHistogram(slider(), [...guesses, text('50'), choice(1)]);
		expect(bins.reduce((sum, b) => sum + b.count, 0)).toBe(guesses.length);
	});

	it('all zero without guesses', () => {
		expect(sliderHistogram(slider(), []).every((b) => b.count === 0)).toBe(true);
	});

	it('negative ranges', () => {
		const q = slider({ min: -100, max: 100, step: 10, answer: 0, tolerance: 0 });
		const bins = sliderHistogram(q, [-100, -90, 0, 100].map(number));
		expect(bins).toHaveLength(10);
		expect(bins[0]).toEqual({ from: -100, to: -80, count: 2 });
		expect(bins[5]).toEqual({ from: 0, to: 20, count: 1 });
		expect(bins[9]).toEqual({ from: 80, to: 100, count: 1 });
	});
});

describe('revealDetail', () => {
	it('type answer: the accepted answers and the most common typed ones, with whether they counted', () => {
		const q = typeAnswer(['Paris']);
		const detail = revealDetail(q, [
			text('Paris'),
			text('Lyon'),
			text('paris'),
			text('PARIS'),
			text('Lyon'),
			text('Nice')
		]);
		expect(detail).toEqual({
			type: 'type-answer',
			accepted: ['Paris'],
			topAnswers: [
				{ text: 'Paris', count: 3, correct: true },
				{ text: 'Lyon', count: 2, correct: false },
				{ text: 'Nice', count: 1, correct: false }
			]
		});
	});

	it('type answer: spellings that count the same are grouped under the first one typed', () => {
		const q = typeAnswer(['Malmö']);
		const detail = revealDetail(q, [text('malmo'), text('Malm\u00f6'), text('MALMÖ')]);
		expect(detail).toMatchObject({ topAnswers: [{ text: 'malmo', count: 3, correct: true }] });
		const keeping = typeAnswer(['Malmö'], { ignoreAccents: false, caseSensitive: true });
		expect(revealDetail(keeping, [text('Malmö'), text('Malmo'), text('Malmö')])).toMatchObject({
			topAnswers: [
				{ text: 'Malmö', count: 2, correct: true },
				{ text: 'Malmo', count: 1, correct: false }
			]
		});
	});

	it(`type answer: at most ${TOP_TYPED_ANSWERS} answers, the most common first, ties alphabetical`, () => {
		const q = typeAnswer(['a']);
		const typed = ['j', 'i', 'h', 'g', 'f', 'e', 'd', 'c', 'b', 'a', 'b'].map(text);
		const detail = revealDetail(q, typed);
		expect(detail?.type === 'type-answer' && detail.topAnswers.map((a) => a.text)).toEqual([
			'b',
			'a',
			'c',
			'd',
			'e',
			'f',
			'g',
			'h'
		]);
	});

	it('type answer: no answers, no top answers', () => {
		expect(revealDetail(typeAnswer(['Paris']), [])).toEqual({
			type: 'type-answer',
			accepted: ['Paris'],
			topAnswers: []
		});
	});

	it('slider: the value, tolerance and unit, with a histogram of the guesses', () => {
		const q = slider({ unit: 'km' });
		const detail = revealDetail(q, [number(40), number(45), number(90)]);
		expect(detail).toMatchObject({ type: 'slider', answer: 40, tolerance: 10, unit: 'km' });
		expect(detail?.type === 'slider' && detail.histogram.map((b) => b.count)).toEqual([
			0, 0, 0, 0, 2, 0, 0, 0, 0, 1
		]);
	});

	it('puzzle: the items in the correct order and how many got all of them in place', () => {
		const detail = revealDetail(puzzle(), [
			order(0, 1, 2, 3),
			order(1, 0, 2, 3),
			order(0, 1, 2, 3)
		]);
		expect(detail).toEqual({
			type: 'puzzle',
			correctOrder: ['Mercury', 'Venus', 'Earth', 'Mars'],
			allRight: 2
		});
	});

	it('nothing extra for the option types and info slides', () => {
		expect(revealDetail(quiz(), [choice(1)])).toBeNull();
		expect(revealDetail(trueFalse(true), [choice(0)])).toBeNull();
		expect(revealDetail(multi(), [choices(1, 2)])).toBeNull();
		expect(revealDetail(poll(), [choice(1)])).toBeNull();
		expect(revealDetail(info(), [])).toBeNull();
	});
});

describe('describeAnswer', () => {
	test.each([
		['quiz: the option picked', quiz(), choice(1), 'Mars'],
		['true/false: True', trueFalse(false), choice(0), 'True'],
		['true/false: False', trueFalse(false), choice(1), 'False'],
		['poll: the option picked', poll(), choice(2), 'Fish'],
		['select-all: the options ticked', multi(), choices(0, 2), 'Venus, Jupiter'],
		['type answer: the text as typed', typeAnswer(['Paris']), text('pArís'), 'pArís'],
		['slider with a unit', slider({ unit: 'km' }), number(42), '42 km'],
		['slider without a unit', slider(), number(42), '42'],
		[
			'slider with a fractional value',
			slider({ max: 1, step: 0.5, answer: 0.5 }),
			number(0.5),
			'0.5'
		],
		[
			'puzzle: the items in the player’s order',
			puzzle(['A', 'B', 'C']),
			order(2, 0, 1),
			'C → A → B'
		]
	] as const)('%s', (_name, question, given, expected) => {
		expect(describeAnswer(question, given)).toBe(expected);
	});

	it('names options and items by number when the quiz no longer has them', () => {
		expect(describeAnswer(quiz(), choice(5))).toBe('option 6');
		expect(describeAnswer(multi(), choices(1, 5))).toBe('Mars, option 6');
		expect(describeAnswer(puzzle(['A', 'B', 'C']), order(0, 3))).toBe('A → item 4');
		expect(describeAnswer(quiz(), order(1, 0))).toBe('item 2 → item 1');
		expect(describeAnswer(typeAnswer(['x']), choice(0))).toBe('option 1');
	});
});

describe('snapToStep', () => {
	it('stores a slider guess on the grid, without binary noise', () => {
		expect(snapToStep(0.1 * 3, { min: 0, step: 0.1 })).toBe(0.3);
		expect(snapToStep(-2.5, { min: -5, step: 0.5 })).toBe(-2.5);
		expect(snapToStep(1000, { min: 0, step: 10 })).toBe(1000);
	});
});
