/** Quizzes, games and image bytes for the storage tests. */
import * as v from 'valibot';
import type { GameRecord } from '../../game/record.ts';
import { DEFAULT_GAME_OPTIONS } from '../../protocol/messages.ts';
import { QuizSchema, type Quiz } from '../../protocol/quiz.ts';

export function makeQuiz(id: string, title = `Quiz ${id}`, questionCount = 2): Quiz {
	return v.parse(QuizSchema, {
		id,
		title,
		description: `About ${title}`,
		questions: Array.from({ length: questionCount }, (_, i) => ({
			text: `Question ${i + 1}?`,
			options: ['Yes', 'No', 'Maybe'],
			correct: [i % 3],
			timeLimit: 20,
			...(i === 0 ? { points: 'double', image: `${'a'.repeat(64)}.png` } : {})
		}))
	});
}

/**
 * A game with the awkward parts a real one has: a late joiner, a player never ranked, a
 * round nobody answered, fractional answer times, and an answer from a player who was kicked
 * afterwards (so is no longer listed).
 */
export function makeGame(
	id: string,
	startedAt = 1_000_000,
	quiz = makeQuiz('capitals')
): GameRecord {
	return {
		id,
		pin: '482913',
		quiz,
		options: { ...DEFAULT_GAME_OPTIONS, streakBonus: false },
		startedAt,
		endedAt: startedAt + 95_000,
		finished: true,
		players: [
			{ id: 'p-ada', nickname: 'Ada', joinOrder: 0, score: 1890, rank: 2, firstQuestion: 0 },
			{ id: 'p-bob', nickname: 'Bob', joinOrder: 1, score: 2950, rank: 1, firstQuestion: 0 },
			{ id: 'p-cy', nickname: 'Cy', joinOrder: 3, score: 0, rank: null, firstQuestion: 1 }
		],
		rounds: [
			{
				questionIndex: 0,
				openedAt: startedAt + 4_000,
				answers: [
					{ playerId: 'p-bob', choice: 0, elapsedMs: 812.5, correct: true, points: 1950 },
					{ playerId: 'p-ada', choice: 0, elapsedMs: 3_120.25, correct: true, points: 1890 },
					{ playerId: 'p-kicked', choice: 2, elapsedMs: 400, correct: false, points: 0 }
				]
			},
			{ questionIndex: 1, openedAt: startedAt + 40_000, answers: [] }
		]
	};
}

export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
