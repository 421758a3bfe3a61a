/**
 * A small played game for the report export tests: two questions; Ana wins, "=cmd" (a nickname
 * that looks like a spreadsheet formula) is second, Cleo joined for the second question only and
 * Dan never answered and was never ranked.
 */
import type { GameRecord } from '../game/record.ts';
import { DEFAULT_GAME_OPTIONS } from '../protocol/messages.ts';

export const FORMULA_NICKNAME = '=HYPERLINK("http://evil.example","prize")';

export const playedGame: GameRecord = {
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
				text: 'Rome, Paris or "Milan": capital of Italy?',
				options: ['Rome', 'Paris', 'Milan'],
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
	startedAt: Date.UTC(2026, 0, 15, 9, 0),
	endedAt: Date.UTC(2026, 0, 15, 9, 5),
	finished: true,
	players: [
		{ id: 'ana', nickname: 'Ana', joinOrder: 0, score: 1900, rank: 1, firstQuestion: 0 },
		{ id: 'eve', nickname: FORMULA_NICKNAME, joinOrder: 1, score: 700, rank: 2, firstQuestion: 0 },
		{ id: 'cleo', nickname: 'Cleo', joinOrder: 2, score: 0, rank: 3, firstQuestion: 1 },
		{ id: 'dan', nickname: 'Dan', joinOrder: 3, score: 0, rank: null, firstQuestion: 2 }
	],
	rounds: [
		{
			questionIndex: 0,
			openedAt: Date.UTC(2026, 0, 15, 9, 1),
			answers: [
				{
					playerId: 'ana',
					answer: { kind: 'choice', index: 0 },
					correct: true,
					elapsedMs: 1234,
					points: 950
				},
				{
					playerId: 'eve',
					answer: { kind: 'choice', index: 2 },
					correct: false,
					elapsedMs: 4000,
					points: 0
				}
			]
		},
		{
			questionIndex: 1,
			openedAt: Date.UTC(2026, 0, 15, 9, 2),
			answers: [
				{
					playerId: 'eve',
					answer: { kind: 'choice', index: 1 },
					correct: true,
					elapsedMs: 2500,
					points: 700
				},
				{
					playerId: 'ana',
					answer: { kind: 'choice', index: 1 },
					correct: true,
					elapsedMs: 3050,
					points: 950
				}
			]
		}
	]
};
