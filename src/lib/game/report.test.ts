import { describe, expect, it } from 'vitest';
import { DEFAULT_GAME_OPTIONS } from '../protocol/messages.ts';
import type { AnswerGiven } from './questions.ts';
import type { AnswerRecord, GameRecord, PlayerRecord } from './record.ts';
import {
	average,
	buildReport,
	formatSliderNumber,
	hardestFirst,
	REPORT_TOP_TYPED_ANSWERS,
	type QuestionReport
} from './report.ts';

function player(
	id: string,
	joinOrder: number,
	score: number,
	rank: number | null,
	firstQuestion = 0
): PlayerRecord {
	return {
		id,
		nickname: id[0]!.toUpperCase() + id.slice(1),
		joinOrder,
		score,
		rank,
		firstQuestion
	};
}

function answer(
	playerId: string,
	given: number | AnswerGiven,
	correct: boolean,
	elapsedMs: number,
	points: number
): AnswerRecord {
	const picked: AnswerGiven = typeof given === 'number' ? { kind: 'choice', index: given } : given;
	return { playerId, answer: picked, correct, elapsedMs, points };
}

/**
 * Three questions played by Ana (1st), Ben (2nd), Cleo (3rd, joined late: from question 2) and
 * Dan, who never answered and left before any reveal (no rank).
 */
const record: GameRecord = {
	id: 'game-1',
	pin: '123456',
	hostId: null,
	quiz: {
		version: 1,
		id: 'mixed',
		title: 'Mixed bag',
		description: '',
		questions: [
			{
				type: 'quiz',
				text: '2 + 2?',
				options: ['3', '4', '5'],
				correct: [1],
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'quiz',
				text: 'Capital of Italy?',
				options: ['Rome', 'Milan'],
				correct: [0],
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'quiz',
				text: 'Largest planet?',
				options: ['Mars', 'Jupiter', 'Venus', 'Earth'],
				correct: [1],
				timeLimit: 30,
				points: 'standard'
			}
		]
	},
	options: DEFAULT_GAME_OPTIONS,
	startedAt: 1_000_000,
	endedAt: 1_100_000,
	finished: true,
	players: [
		player('dan', 3, 0, null),
		player('ben', 1, 1700, 2),
		player('ana', 0, 2850, 1),
		player('cleo', 2, 900, 3, 1)
	],
	rounds: [
		{
			questionIndex: 0,
			openedAt: 1_010_000,
			answers: [answer('ben', 0, false, 3000, 0), answer('ana', 1, true, 1200, 950)]
		},
		{
			questionIndex: 1,
			openedAt: 1_040_000,
			answers: [
				answer('ben', 0, true, 800, 1000),
				answer('ana', 0, true, 2000, 950),
				answer('cleo', 1, false, 5000, 0)
			]
		},
		{
			questionIndex: 2,
			openedAt: 1_070_000,
			answers: [
				answer('cleo', 1, true, 1000, 900),
				answer('ben', 1, true, 3000, 700),
				answer('ana', 1, true, 4000, 950)
			]
		}
	]
};

describe('the report of a game', () => {
	const report = buildReport(record);

	it('ranks players by final rank, the never-ranked last', () => {
		expect(report.ranking).toEqual([
			{
				playerId: 'ana',
				nickname: 'Ana',
				rank: 1,
				score: 2850,
				correctCount: 3,
				answeredCount: 3,
				averageMs: 2400
			},
			{
				playerId: 'ben',
				nickname: 'Ben',
				rank: 2,
				score: 1700,
				correctCount: 2,
				answeredCount: 3,
				averageMs: 6800 / 3
			},
			{
				playerId: 'cleo',
				nickname: 'Cleo',
				rank: 3,
				score: 900,
				correctCount: 1,
				answeredCount: 2,
				averageMs: 3000
			},
			{
				playerId: 'dan',
				nickname: 'Dan',
				rank: null,
				score: 0,
				correctCount: 0,
				answeredCount: 0,
				averageMs: null
			}
		]);
	});

	it('sums up each question: picks per option, and % correct of the players who could answer', () => {
		expect(report.questions).toEqual([
			{
				index: 0,
				number: 1,
				type: 'quiz',
				text: '2 + 2?',
				options: ['3', '4', '5'],
				correct: [1],
				distribution: [1, 1, 0],
				scored: true,
				players: 3, // Cleo joined after it
				answered: 2,
				correctCount: 1,
				percentCorrect: 100 / 3,
				averageMs: 2100,
				detail: null
			},
			{
				index: 1,
				number: 2,
				type: 'quiz',
				text: 'Capital of Italy?',
				options: ['Rome', 'Milan'],
				correct: [0],
				distribution: [2, 1],
				scored: true,
				players: 4,
				answered: 3,
				correctCount: 2,
				percentCorrect: 50,
				averageMs: 2600,
				detail: null
			},
			{
				index: 2,
				number: 3,
				type: 'quiz',
				text: 'Largest planet?',
				options: ['Mars', 'Jupiter', 'Venus', 'Earth'],
				correct: [1],
				distribution: [0, 3, 0, 0],
				scored: true,
				players: 4,
				answered: 3,
				correctCount: 3,
				percentCorrect: 75,
				averageMs: 8000 / 3,
				detail: null
			}
		]);
		expect(report.hardestFirst).toEqual([0, 1, 2]);
	});

	it('lists every player on every question they could answer, by question then rank', () => {
		expect(
			report.answers.map((a) => [
				a.questionIndex,
				a.nickname,
				a.answerText,
				a.correct,
				a.elapsedMs,
				a.points
			])
		).toEqual([
			[0, 'Ana', '4', true, 1200, 950],
			[0, 'Ben', '3', false, 3000, 0],
			[0, 'Dan', null, false, null, 0],
			[1, 'Ana', 'Rome', true, 2000, 950],
			[1, 'Ben', 'Rome', true, 800, 1000],
			[1, 'Cleo', 'Milan', false, 5000, 0],
			[1, 'Dan', null, false, null, 0],
			[2, 'Ana', 'Jupiter', true, 4000, 950],
			[2, 'Ben', 'Jupiter', true, 3000, 700],
			[2, 'Cleo', 'Jupiter', true, 1000, 900],
			[2, 'Dan', null, false, null, 0]
		]);
		expect(report.answers[2]!.answer).toBeNull();
		expect(report.answers[0]!.answer).toEqual({ kind: 'choice', index: 1 });
	});

	it('covers only the questions that were played in an unfinished game', () => {
		const unfinished = { ...record, finished: false, rounds: record.rounds.slice(0, 1) };
		const partial = buildReport(unfinished);
		expect(partial.questions.map((q) => q.index)).toEqual([0]);
		expect(partial.hardestFirst).toEqual([0]);
		expect(partial.ranking.find((p) => p.playerId === 'cleo')).toMatchObject({
			answeredCount: 0,
			averageMs: null
		});
	});

	it('is empty for a game nobody played', () => {
		expect(buildReport({ ...record, players: [], rounds: [] })).toEqual({
			ranking: [],
			questions: [],
			hardestFirst: [],
			answers: []
		});
	});
});

/**
 * One question of each type (an info slide in the middle, which is never a round) played by
 * Ana, Ben and Cleo. Times are chosen so that ties in % correct break one way.
 */
const everyType: GameRecord = {
	id: 'game-2',
	pin: '654321',
	hostId: null,
	quiz: {
		version: 1,
		id: 'every-type',
		title: 'Every type',
		description: '',
		questions: [
			{
				type: 'quiz',
				text: 'Capital of Italy?',
				options: ['Rome', 'Milan', 'Turin'],
				correct: [0],
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'true-false',
				text: 'The Sun is a star.',
				answer: true,
				timeLimit: 10,
				points: 'standard'
			},
			{
				type: 'multi',
				text: 'Which are prime?',
				options: ['2', '4', '5', '9'],
				correct: [0, 2],
				timeLimit: 30,
				points: 'standard'
			},
			{ type: 'info', text: 'Half-time', body: 'Stretch your legs.' },
			{
				type: 'type-answer',
				text: 'Capital of Sweden?',
				accepted: ['Stockholm'],
				caseSensitive: false,
				ignoreAccents: true,
				timeLimit: 30,
				points: 'standard'
			},
			{
				type: 'slider',
				text: 'Height of Mont Blanc?',
				min: 0,
				max: 10,
				step: 0.1,
				answer: 4.8,
				tolerance: 0.5,
				unit: 'km',
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'puzzle',
				text: 'Order the planets from the Sun',
				items: ['Mercury', 'Venus', 'Earth', 'Mars'],
				timeLimit: 60,
				points: 'standard'
			},
			{
				type: 'poll',
				text: 'Favourite season?',
				options: ['Spring', 'Summer', 'Autumn', 'Winter'],
				timeLimit: 20
			}
		]
	},
	options: DEFAULT_GAME_OPTIONS,
	startedAt: 2_000_000,
	endedAt: 2_400_000,
	finished: true,
	players: [player('ana', 0, 6000, 1), player('ben', 1, 2500, 2), player('cleo', 2, 1500, 3)],
	rounds: [
		{
			questionIndex: 0,
			openedAt: 2_010_000,
			answers: [
				answer('ana', 0, true, 1000, 1000),
				answer('ben', 1, false, 2000, 0),
				answer('cleo', 0, true, 3000, 900)
			]
		},
		{
			questionIndex: 1,
			openedAt: 2_040_000,
			answers: [answer('ana', 0, true, 1000, 1000), answer('ben', 1, false, 2000, 0)]
		},
		{
			questionIndex: 2,
			openedAt: 2_070_000,
			answers: [
				answer('ana', { kind: 'choices', indexes: [0, 2] }, true, 4000, 900),
				answer('ben', { kind: 'choices', indexes: [0] }, false, 4000, 0),
				answer('cleo', { kind: 'choices', indexes: [0, 1, 2] }, false, 4000, 0)
			]
		},
		{
			questionIndex: 4,
			openedAt: 2_130_000,
			answers: [
				answer('ana', { kind: 'text', text: 'stockholm' }, true, 5000, 900),
				answer('ben', { kind: 'text', text: 'Stockholm' }, true, 6000, 850),
				answer('cleo', { kind: 'text', text: 'Göteborg' }, false, 7000, 0)
			]
		},
		{
			questionIndex: 5,
			openedAt: 2_160_000,
			answers: [
				answer('ana', { kind: 'number', value: 4.8 }, true, 2000, 1000),
				answer('ben', { kind: 'number', value: 5.2 }, true, 2000, 600),
				answer('cleo', { kind: 'number', value: 9 }, false, 2000, 0)
			]
		},
		{
			questionIndex: 6,
			openedAt: 2_190_000,
			answers: [
				answer('ana', { kind: 'order', items: [0, 1, 2, 3] }, true, 8000, 800),
				answer('ben', { kind: 'order', items: [1, 0, 2, 3] }, false, 9000, 0)
			]
		},
		{
			questionIndex: 7,
			openedAt: 2_220_000,
			answers: [
				answer('ana', 1, false, 1000, 0),
				answer('ben', 1, false, 1000, 0),
				answer('cleo', 3, false, 1000, 0)
			]
		}
	]
};

describe('the report of a game with every question type', () => {
	const report = buildReport(everyType);
	const byIndex = new Map(report.questions.map((q) => [q.index, q]));
	const question = (index: number) => byIndex.get(index)!;

	it('has every round in play order, and no info slide', () => {
		expect(report.questions.map((q) => [q.index, q.type])).toEqual([
			[0, 'quiz'],
			[1, 'true-false'],
			[2, 'multi'],
			[4, 'type-answer'],
			[5, 'slider'],
			[6, 'puzzle'],
			[7, 'poll']
		]);
	});

	it('numbers the questions as players saw them: the slide before the type answer is not counted', () => {
		expect(report.questions.map((q) => [q.type, q.number])).toEqual([
			['quiz', 1],
			['true-false', 2],
			['multi', 3],
			['type-answer', 4],
			['slider', 5],
			['puzzle', 6],
			['poll', 7]
		]);
		const puzzleAnswers = report.answers.filter((a) => a.questionIndex === 6);
		expect(puzzleAnswers.map((a) => a.questionNumber)).toEqual([6, 6, 6]);
	});

	it('counts picks per option for quiz and true/false, with the right ones', () => {
		expect(question(0)).toMatchObject({
			options: ['Rome', 'Milan', 'Turin'],
			correct: [0],
			distribution: [2, 1, 0],
			scored: true,
			percentCorrect: 200 / 3,
			detail: null
		});
		expect(question(1)).toMatchObject({
			options: ['True', 'False'],
			correct: [0],
			distribution: [1, 1],
			answered: 2,
			players: 3,
			percentCorrect: 100 / 3
		});
	});

	it('counts ticks per option for select all; only the exact set is correct', () => {
		expect(question(2)).toMatchObject({
			options: ['2', '4', '5', '9'],
			correct: [0, 2],
			distribution: [3, 1, 2, 0],
			correctCount: 1,
			percentCorrect: 100 / 3
		});
	});

	it('lists the most common typed answers, alike answers together, with whether they counted', () => {
		expect(question(4)).toMatchObject({
			options: [],
			correct: [],
			distribution: [],
			percentCorrect: 200 / 3,
			detail: {
				type: 'type-answer',
				accepted: ['Stockholm'],
				caseSensitive: false,
				ignoreAccents: true,
				topAnswers: [
					{ text: 'stockholm', count: 2, correct: true },
					{ text: 'Göteborg', count: 1, correct: false }
				],
				otherAnswers: 0
			}
		});
	});

	it('keeps only the most common typed answers and counts the rest', () => {
		const many = structuredClone(everyType);
		const round = many.rounds.find((r) => r.questionIndex === 4)!;
		many.players = [];
		round.answers = Array.from({ length: REPORT_TOP_TYPED_ANSWERS + 3 }, (_, i) =>
			answer(`p${i}`, { kind: 'text', text: i < 2 ? 'Oslo' : `Town ${i}` }, false, 1000, 0)
		);
		const detail = buildReport(many).questions.find((q) => q.index === 4)!.detail;
		expect(detail).toMatchObject({ type: 'type-answer', otherAnswers: 2 });
		if (detail?.type !== 'type-answer') throw new Error('type-answer detail expected');
		expect(detail.topAnswers).toHaveLength(REPORT_TOP_TYPED_ANSWERS);
		expect(detail.topAnswers[0]).toEqual({ text: 'Oslo', count: 2, correct: false });
	});

	it('sums up slider guesses: average guess, average distance, exact hits and the histogram', () => {
		const slider = question(5);
		expect(slider.percentCorrect).toBeCloseTo(200 / 3);
		const detail = slider.detail;
		if (detail?.type !== 'slider') throw new Error('slider detail expected');
		expect(detail).toMatchObject({
			min: 0,
			max: 10,
			step: 0.1,
			answer: 4.8,
			tolerance: 0.5,
			unit: 'km',
			exact: 1
		});
		expect(detail.averageGuess).toBeCloseTo(19 / 3);
		expect(detail.averageDistance).toBeCloseTo(4.6 / 3);
		expect(detail.histogram).toHaveLength(10);
		expect(detail.histogram.map((bin) => bin.count)).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 1]);
		expect(detail.histogram[4]).toMatchObject({ from: 4, to: 5 });
	});

	it('counts a guess a rounding error past the end of the slider, and drops nonsense', () => {
		const odd = structuredClone(everyType);
		odd.rounds.find((r) => r.questionIndex === 5)!.answers = [
			answer('ana', { kind: 'number', value: 10.000000000000002 }, false, 1000, 0),
			answer('ben', { kind: 'number', value: 0.30000000000000004 }, false, 1000, 0),
			answer('cleo', { kind: 'number', value: 55 }, false, 1000, 0)
		];
		const detail = buildReport(odd).questions.find((q) => q.index === 5)!.detail;
		if (detail?.type !== 'slider') throw new Error('slider detail expected');
		expect(detail.histogram.map((bin) => bin.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
		expect(detail.averageGuess).toBeCloseTo(5.15);
	});

	it('gives a slider nobody answered no averages', () => {
		const silent = structuredClone(everyType);
		silent.rounds.find((r) => r.questionIndex === 5)!.answers = [];
		const detail = buildReport(silent).questions.find((q) => q.index === 5)!.detail;
		expect(detail).toMatchObject({ averageGuess: null, averageDistance: null, exact: 0 });
	});

	it('gives a puzzle its right order and how many got it fully right', () => {
		expect(question(6)).toMatchObject({
			answered: 2,
			players: 3,
			percentCorrect: 100 / 3,
			detail: {
				type: 'puzzle',
				correctOrder: ['Mercury', 'Venus', 'Earth', 'Mars'],
				allRight: 1
			}
		});
	});

	it('counts poll votes but scores nothing: no % correct, no right option', () => {
		expect(question(7)).toMatchObject({
			options: ['Spring', 'Summer', 'Autumn', 'Winter'],
			correct: [],
			distribution: [0, 2, 0, 1],
			scored: false,
			correctCount: 0,
			percentCorrect: null,
			answered: 3
		});
	});

	it('leaves polls out of the hardest questions', () => {
		// 1/3 right: true/false (1.5 s), select all (4 s), puzzle (8.5 s); 2/3: quiz (2 s),
		// type answer (6 s), slider (2 s).
		expect(report.hardestFirst).toEqual([6, 2, 1, 4, 0, 5]);
	});

	it('shows every answer readably', () => {
		expect(
			report.answers.map((a) => [a.questionIndex, a.nickname, a.answerText, a.correct])
		).toEqual([
			[0, 'Ana', 'Rome', true],
			[0, 'Ben', 'Milan', false],
			[0, 'Cleo', 'Rome', true],
			[1, 'Ana', 'True', true],
			[1, 'Ben', 'False', false],
			[1, 'Cleo', null, false],
			[2, 'Ana', '2, 5', true],
			[2, 'Ben', '2', false],
			[2, 'Cleo', '2, 4, 5', false],
			[4, 'Ana', 'stockholm', true],
			[4, 'Ben', 'Stockholm', true],
			[4, 'Cleo', 'Göteborg', false],
			[5, 'Ana', '4.8 km', true],
			[5, 'Ben', '5.2 km', true],
			[5, 'Cleo', '9 km', false],
			[6, 'Ana', 'Mercury → Venus → Earth → Mars', true],
			[6, 'Ben', 'Venus → Mercury → Earth → Mars', false],
			[6, 'Cleo', null, false],
			[7, 'Ana', 'Summer', false],
			[7, 'Ben', 'Summer', false],
			[7, 'Cleo', 'Winter', false]
		]);
		expect(report.answers[0]!.answer).toEqual({ kind: 'choice', index: 0 });
	});

	it('counts correct answers, answers and average time per player without polls', () => {
		expect(report.ranking.map((r) => [r.nickname, r.correctCount, r.answeredCount])).toEqual([
			['Ana', 6, 6],
			['Ben', 2, 6],
			['Cleo', 1, 4]
		]);
		// Ana's six scored answers took 21 s; her 1 s poll vote would make it 22 s / 7.
		expect(report.ranking.map((r) => r.averageMs)).toEqual([3500, 25_000 / 6, 4000]);
	});

	it('ignores a recorded pick of an option the question does not have', () => {
		const odd = structuredClone(everyType);
		odd.rounds[0]!.answers[0]!.answer = { kind: 'choice', index: 9 };
		expect(buildReport(odd).questions[0]!.distribution).toEqual([1, 1, 0]);
	});
});

describe('hardest questions first', () => {
	const question = (index: number, percentCorrect: number, averageMs: number | null) =>
		({ index, percentCorrect, averageMs }) as QuestionReport;

	it('puts the lowest % correct first, then the slowest, then play order', () => {
		expect(
			hardestFirst([
				question(0, 50, 3000),
				question(1, 20, 1000),
				question(2, 50, 6000),
				question(3, 50, 3000),
				question(4, 0, null),
				question(5, 0, 9000)
			])
		).toEqual([4, 5, 1, 2, 0, 3]);
	});
});

describe('average', () => {
	it('is null for no values', () => {
		expect(average([])).toBeNull();
		expect(average([1, 2, 6])).toBe(3);
	});
});

describe('slider figures as text', () => {
	it('shows one decimal more than the step, no trailing zeros, with the unit', () => {
		expect(formatSliderNumber(19 / 3, { step: 0.1, unit: 'km' })).toBe('6.33 km');
		expect(formatSliderNumber(4.8, { step: 0.1, unit: 'km' })).toBe('4.8 km');
		expect(formatSliderNumber(1234.5678, { step: 1, unit: '' })).toBe('1234.6');
		expect(formatSliderNumber(0.30000000000000004, { step: 0.05, unit: '%' })).toBe('0.3 %');
		expect(formatSliderNumber(-2, { step: 0.5, unit: '°C' })).toBe('-2 °C');
	});
});
