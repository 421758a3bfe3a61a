/** Quizzes, games and image bytes for the storage tests. */
import * as v from 'valibot';
import type { AnswerGiven } from '../game/questions.ts';
import type { AnswerRecord, GameRecord } from '../game/record.ts';
import { DEFAULT_GAME_OPTIONS } from '../protocol/messages.ts';
import { QuizSchema, type Question, type QuestionOf, type Quiz } from '../protocol/quiz.ts';

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
		hostId: null,
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
					{ playerId: 'p-bob', answer: choice(0), elapsedMs: 812.5, correct: true, points: 1950 },
					{
						playerId: 'p-ada',
						answer: choice(0),
						elapsedMs: 3_120.25,
						correct: true,
						points: 1890
					},
					{ playerId: 'p-kicked', answer: choice(2), elapsedMs: 400, correct: false, points: 0 }
				]
			},
			{ questionIndex: 1, openedAt: startedAt + 40_000, answers: [] }
		]
	};
}

/** A question the test knows is a quiz question (pick one of 2–6), typed as one. */
export function quizQuestion(question: Question | undefined): QuestionOf<'quiz'> {
	if (question?.type !== 'quiz') throw new Error(`Expected a quiz question, got ${question?.type}`);
	return question;
}

/** An option pick, as the rules record it. */
export function choice(index: number): AnswerGiven {
	return { kind: 'choice', index };
}

/** One question of each type, every optional field set somewhere (a slider with decimals). */
export function makeQuizOfEveryType(id: string, title = 'Every question type'): Quiz {
	return v.parse(QuizSchema, {
		id,
		title,
		description: 'One of each',
		questions: [
			{
				type: 'quiz',
				text: 'Capital of Italy?',
				options: ['Rome', 'Milan', 'Turin'],
				correct: [0],
				timeLimit: 20,
				points: 'double',
				image: `${'a'.repeat(64)}.png`
			},
			{ type: 'true-false', text: 'The Sun is a star.', answer: true, timeLimit: 10 },
			{
				type: 'multi',
				text: 'Which are prime?',
				options: ['2', '4', '5', '9'],
				correct: [0, 2],
				timeLimit: 30
			},
			{
				type: 'type-answer',
				text: 'Capital of Sweden?',
				accepted: ['Stockholm', 'Sthlm'],
				caseSensitive: false,
				ignoreAccents: true,
				timeLimit: 30,
				points: 'none'
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
				timeLimit: 20
			},
			{
				type: 'puzzle',
				text: 'Order the planets from the Sun',
				items: ['Mercury', 'Venus', 'Earth', 'Mars'],
				timeLimit: 60
			},
			{
				type: 'poll',
				text: 'Favourite season?',
				options: ['Spring', 'Summer', 'Autumn', 'Winter'],
				timeLimit: 20
			},
			{ type: 'info', text: 'Half-time', body: 'Stretch your legs.' }
		]
	});
}

/** A game of makeQuizOfEveryType with an answer of every kind (the info slide is no round). */
export function makeGameOfEveryType(id: string, startedAt = 5_000_000): GameRecord {
	const round = (questionIndex: number, answers: AnswerRecord[]) => ({
		questionIndex,
		openedAt: startedAt + 30_000 * (questionIndex + 1),
		answers
	});
	const answer = (
		playerId: string,
		given: AnswerGiven,
		correct: boolean,
		points: number
	): AnswerRecord => ({ playerId, answer: given, elapsedMs: 1_500.5, correct, points });
	return {
		id,
		pin: '736155',
		hostId: null,
		quiz: makeQuizOfEveryType('every-type'),
		options: DEFAULT_GAME_OPTIONS,
		startedAt,
		endedAt: startedAt + 300_000,
		finished: true,
		players: [
			{ id: 'p-ada', nickname: 'Ada', joinOrder: 0, score: 6200, rank: 1, firstQuestion: 0 },
			{ id: 'p-bob', nickname: 'Bob', joinOrder: 1, score: 900, rank: 2, firstQuestion: 0 }
		],
		rounds: [
			round(0, [answer('p-ada', choice(0), true, 2000), answer('p-bob', choice(1), false, 0)]),
			round(1, [answer('p-ada', choice(0), true, 1000)]),
			round(2, [answer('p-ada', { kind: 'choices', indexes: [0, 2] }, true, 1000)]),
			round(3, [
				answer('p-ada', { kind: 'text', text: 'stockholm' }, true, 0),
				answer('p-bob', { kind: 'text', text: 'Göteborg 😀' }, false, 0)
			]),
			round(4, [answer('p-ada', { kind: 'number', value: 4.6 }, true, 800)]),
			round(5, [answer('p-bob', { kind: 'order', items: [0, 1, 2, 3] }, true, 900)]),
			round(6, [answer('p-ada', choice(3), false, 0), answer('p-bob', choice(3), false, 0)])
		]
	};
}

export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
