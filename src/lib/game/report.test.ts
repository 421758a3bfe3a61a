import { describe, expect, it } from 'vitest';
import { DEFAULT_GAME_OPTIONS } from '../protocol/messages.ts';
import type { AnswerRecord, GameRecord, PlayerRecord } from './record.ts';
import { average, buildReport, hardestFirst, type QuestionReport } from './report.ts';

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
	choice: number,
	correct: boolean,
	elapsedMs: number,
	points: number
): AnswerRecord {
	return { playerId, choice, correct, elapsedMs, points };
}

/**
 * Three questions played by Ana (1st), Ben (2nd), Cleo (3rd, joined late: from question 2) and
 * Dan, who never answered and left before any reveal (no rank).
 */
const record: GameRecord = {
	id: 'game-1',
	pin: '123456',
	quiz: {
		version: 1,
		id: 'mixed',
		title: 'Mixed bag',
		description: '',
		questions: [
			{ text: '2 + 2?', options: ['3', '4', '5'], correct: [1], timeLimit: 20, points: 'standard' },
			{
				text: 'Capital of Italy?',
				options: ['Rome', 'Milan'],
				correct: [0],
				timeLimit: 20,
				points: 'standard'
			},
			{
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
				text: '2 + 2?',
				options: ['3', '4', '5'],
				correct: [1],
				distribution: [1, 1, 0],
				players: 3, // Cleo joined after it
				answered: 2,
				correctCount: 1,
				percentCorrect: 100 / 3,
				averageMs: 2100
			},
			{
				index: 1,
				text: 'Capital of Italy?',
				options: ['Rome', 'Milan'],
				correct: [0],
				distribution: [2, 1],
				players: 4,
				answered: 3,
				correctCount: 2,
				percentCorrect: 50,
				averageMs: 2600
			},
			{
				index: 2,
				text: 'Largest planet?',
				options: ['Mars', 'Jupiter', 'Venus', 'Earth'],
				correct: [1],
				distribution: [0, 3, 0, 0],
				players: 4,
				answered: 3,
				correctCount: 3,
				percentCorrect: 75,
				averageMs: 8000 / 3
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
		expect(report.answers[2]!.choice).toBeNull();
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
