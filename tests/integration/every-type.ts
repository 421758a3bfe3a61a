/**
 * A quiz with one question of each type, and a whole game of it played over the JSON API and
 * real WebSockets by five players, so a report has something of everything: used by
 * report-types.test.ts (and handy for looking at the report page by hand).
 */
import type { AnswerInput, PhaseView } from '../../src/lib/protocol/index.ts';
import { createGame, joinGame, TestClient, type RunningServer } from './harness.ts';

export const EVERY_TYPE_QUIZ = {
	title: 'Every question type',
	description: 'One question of each type',
	questions: [
		{
			type: 'quiz',
			text: 'What is the capital of Italy?',
			options: ['Rome', 'Milan', 'Turin', 'Naples'],
			correct: [0],
			timeLimit: 20
		},
		{ type: 'true-false', text: 'The Sun is a star.', answer: true, timeLimit: 10 },
		{
			type: 'multi',
			text: 'Which of these are prime numbers?',
			options: ['2', '4', '5', '9'],
			correct: [0, 2],
			timeLimit: 30
		},
		{ type: 'info', text: 'Half-time', body: 'Stretch your legs: more types after the break.' },
		{
			type: 'type-answer',
			text: 'What is the capital of Sweden?',
			accepted: ['Stockholm', 'Sthlm'],
			timeLimit: 30
		},
		{
			type: 'slider',
			text: 'How high is Mont Blanc?',
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
			text: 'Put the planets in order from the Sun',
			items: ['Mercury', 'Venus', 'Earth', 'Mars'],
			timeLimit: 60
		},
		{
			type: 'poll',
			text: 'Which season do you like best?',
			options: ['Spring', 'Summer', 'Autumn', 'Winter'],
			timeLimit: 20
		}
	]
};

const PUZZLE_ORDER = EVERY_TYPE_QUIZ.questions[6]!.items!;

type OpenView = Extract<PhaseView, { phase: 'open' }>;

/** Player number → what they answer, by question index (no entry: they let it pass). */
const ANSWERS: Record<number, ((view: OpenView) => AnswerInput)[]> = {
	0: [() => ({ choice: 0 }), () => ({ choice: 0 }), () => ({ choice: 1 }), () => ({ choice: 0 })],
	1: [() => ({ choice: 0 }), () => ({ choice: 1 }), () => ({ choice: 0 }), () => ({ choice: 0 })],
	2: [
		() => ({ choices: [0, 2] }),
		() => ({ choices: [0] }),
		() => ({ choices: [0, 1, 2] }),
		() => ({ choices: [0, 2] }),
		() => ({ choices: [2, 3] })
	],
	4: [
		() => ({ text: 'stockholm' }),
		() => ({ text: ' Stockholm ' }),
		() => ({ text: 'Göteborg' }),
		() => ({ text: 'STOCKHOLM' }),
		() => ({ text: 'Oslo' })
	],
	5: [
		() => ({ value: 4.8 }),
		() => ({ value: 5.1 }),
		() => ({ value: 3 }),
		() => ({ value: 4.5 }),
		() => ({ value: 8.8 })
	],
	6: [
		(view) => ({ order: PUZZLE_ORDER.map((item) => view.question.items!.indexOf(item)) }),
		(view) => ({
			order: [1, 0, 2, 3].map((i) => view.question.items!.indexOf(PUZZLE_ORDER[i]!))
		}),
		(view) => ({ order: PUZZLE_ORDER.map((item) => view.question.items!.indexOf(item)) })
	],
	7: [
		() => ({ choice: 1 }),
		() => ({ choice: 1 }),
		() => ({ choice: 3 }),
		() => ({ choice: 0 }),
		() => ({ choice: 1 })
	]
};

export const EVERY_TYPE_PLAYERS = ['Ana', 'Ben', 'Cleo', 'Dev', 'Eli'];

/** Creates the quiz, plays it through to the podium, and returns the quiz id. */
export async function playEveryTypeGame(server: RunningServer): Promise<string> {
	const created = await server.admin.fetch('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(EVERY_TYPE_QUIZ)
	});
	if (created.status !== 201) throw new Error(`Quiz refused: ${await created.text()}`);
	const { id: quizId } = (await created.json()) as { id: string };

	const game = await createGame(server, quizId, { introSeconds: 0 });
	const host = await TestClient.connect(server, game.hostToken);
	const players: TestClient[] = [];
	for (const nickname of EVERY_TYPE_PLAYERS) {
		const joined = await joinGame(server, game.pin, nickname);
		players.push(await TestClient.connect(server, joined.body.token));
	}
	try {
		host.send({ type: 'start' });
		for (let index = 0; index < EVERY_TYPE_QUIZ.questions.length; index++) {
			if (EVERY_TYPE_QUIZ.questions[index]!.type === 'info') {
				await host.next('phase', (m) => m.phase === 'slide');
				host.send({ type: 'next' });
				continue;
			}
			const answers = ANSWERS[index] ?? [];
			await Promise.all(
				players.map(async (player, p) => {
					const open = (await player.next(
						'phase',
						(m) => m.phase === 'open' && m.question.index === index
					)) as OpenView & { type: 'phase' };
					const answer = answers[p];
					if (!answer) return;
					player.send({ type: 'answer', questionIndex: index, ...answer(open) });
					await player.next('answer-ack', (m) => m.questionIndex === index);
				})
			);
			// Not everyone answers every question: the host closes it.
			if (answers.length < players.length) {
				await host.next('phase', (m) => m.phase === 'open' && m.question.index === index);
				host.send({ type: 'next' });
			}
			await host.next('phase', (m) => m.phase === 'reveal' && m.question.index === index);
			host.send({ type: 'next' });
			await host.next('phase', (m) => m.phase === 'scoreboard');
			host.send({ type: 'next' });
		}
		await host.next('phase', (m) => m.phase === 'podium');
	} finally {
		for (const client of [host, ...players]) await client.close();
	}
	return quizId;
}
