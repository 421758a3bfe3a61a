/**
 * Whole games against the real server process over real WebSockets: what each role receives,
 * in order, and that players never learn an answer before its reveal.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
	CloseCode,
	PROTOCOL_VERSION,
	type PhaseView,
	type PlayerStatus,
	type ServerMessage
} from '../../src/lib/protocol/index.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

interface SampleQuestion {
	text: string;
	options: string[];
	correct: number[];
	timeLimit: number;
	points: 'none' | 'standard' | 'double';
}

/** The answers come from the quiz file: the server must never tell a player. */
function sampleQuiz(id: string): { title: string; questions: SampleQuestion[] } {
	const file = new URL(`../../src/lib/server/quizzes/samples/${id}.json`, import.meta.url);
	return JSON.parse(readFileSync(file, 'utf8'));
}

const BASE_POINTS = { none: 0, standard: 1000, double: 2000 } as const;

type PhaseName = PhaseView['phase'];
type PhaseMessage<P extends PhaseName> = Extract<ServerMessage, { type: 'phase'; phase: P }>;

async function expectPhase<P extends PhaseName>(
	client: TestClient,
	phase: P
): Promise<PhaseMessage<P>> {
	const message = await client.expectNext('phase');
	expect(message.phase).toBe(phase);
	return message as PhaseMessage<P>;
}

let server: RunningServer;
let clients: TestClient[] = [];

beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());
afterEach(async () => {
	await Promise.all(clients.map((client) => client.close()));
	clients = [];
});

async function connect(token?: string): Promise<TestClient> {
	const client = await TestClient.connect(server, token);
	clients.push(client);
	return client;
}

interface Seat {
	nickname: string;
	id: string;
	token: string;
	client: TestClient;
}

/** A fresh game: the host connected first, then every player joined over HTTP and connected. */
async function lobby(
	nicknames: string[],
	options: Record<string, unknown> = { introSeconds: 0 },
	quizId = 'world-geography'
) {
	const game = await createGame(server, quizId, options);
	const host = await connect(game.hostToken);
	expect(host.messages[0]).toMatchObject({
		type: 'state',
		role: 'host',
		pin: game.pin,
		view: { phase: 'lobby' },
		players: [],
		you: null
	});
	const players: Seat[] = [];
	for (const [i, nickname] of nicknames.entries()) {
		const joined = await joinGame(server, game.pin, nickname);
		expect(joined.status).toBe(201);
		expect(joined.body).toMatchObject({ pin: game.pin, nickname });
		const announced = await host.expectNext('player-joined');
		expect(announced).toEqual({
			type: 'player-joined',
			player: { id: joined.body.playerId, nickname, connected: true },
			playerCount: i + 1
		});
		const client = await connect(joined.body.token);
		players.push({ nickname, id: joined.body.playerId, token: joined.body.token, client });
	}
	return { game, host, players };
}

/** Everything a player received while a question was being asked must hide its answer. */
function expectNoAnswerBeforeReveal(client: TestClient, questions: SampleQuestion[]): void {
	let asking: number | null = -1; // the lobby counts as "before the reveal" too
	let checked = 0;
	client.messages.forEach((message, i) => {
		if (message.type === 'phase' && (message.phase === 'intro' || message.phase === 'open')) {
			asking = message.question.index;
		} else if (message.type === 'phase' && message.phase === 'reveal') {
			asking = null;
		}
		if (asking === null) return;
		const frame = client.frames[i]!;
		expect(frame).not.toContain('"correct"');
		for (const question of asking >= 0 ? [questions[asking]!] : questions) {
			expect(frame).not.toContain(JSON.stringify(question.text));
			for (const option of question.options) expect(frame).not.toContain(JSON.stringify(option));
		}
		checked++;
	});
	expect(checked).toBeGreaterThan(0);
}

function rankOf(statuses: PlayerStatus[], rank: number): PlayerStatus {
	return statuses.find((status) => status.rank === rank)!;
}

/** Ranks are 1..n, and a higher total never ranks below a lower one. */
function expectConsistentRanks(statuses: PlayerStatus[]): void {
	expect(statuses.map((s) => s.rank).sort()).toEqual(statuses.map((_, i) => i + 1));
	for (const a of statuses) {
		for (const b of statuses) {
			if (a.score > b.score) expect(a.rank!).toBeLessThan(b.rank!);
		}
		if (a.rank === 1) {
			expect(a.ahead).toBeNull();
		} else {
			const above = rankOf(statuses, a.rank! - 1);
			expect(a.ahead).toEqual({ nickname: above.nickname, gap: above.score - a.score });
		}
	}
}

describe('a whole game', () => {
	test('one host and three players play a sample quiz to the podium', async () => {
		const quiz = sampleQuiz('world-geography');
		const questions = quiz.questions;
		const { game, host, players } = await lobby(['Ana', 'Ben', 'Cy']);

		for (const [i, { client, nickname, id }] of players.entries()) {
			expect(client.messages[0]).toMatchObject({
				type: 'state',
				role: 'player',
				pin: game.pin,
				quizTitle: quiz.title,
				questionCount: questions.length,
				options: { questionOnPhones: false },
				view: { phase: 'lobby' },
				players: null,
				playerCount: i + 1,
				you: { id, nickname, score: 0, streak: 0, rank: null, lastResult: null, firstQuestion: 0 }
			});
		}

		// Ana always knows; Ben knows every other one; Cy only the last (double points) question.
		const knows = (player: number, question: number): boolean =>
			[true, question % 2 === 0, question === questions.length - 1][player]!;
		const totals = players.map(() => 0);
		const streaks = players.map(() => 0);
		let previousRanks: (number | null)[] = players.map(() => null);

		for (const [q, question] of questions.entries()) {
			host.send({ type: q === 0 ? 'start' : 'next' });

			const hostOpen = await expectPhase(host, 'open');
			expect(hostOpen.question).toEqual({
				index: q,
				total: questions.length,
				number: q + 1,
				questionCount: questions.length,
				// Sample questions predate types: they are quiz questions.
				type: 'quiz',
				text: question.text,
				options: question.options,
				optionCount: question.options.length,
				points: question.points,
				timeLimitMs: question.timeLimit * 1000,
				image: null,
				body: null,
				slider: null,
				items: null,
				maxLength: null
			});
			expect(hostOpen.closesAt - hostOpen.opensAt).toBe(question.timeLimit * 1000);

			for (const { client } of players) {
				const open = await expectPhase(client, 'open');
				expect(open).toEqual({
					...hostOpen,
					question: { ...hostOpen.question, text: null, options: null, image: null }
				});
			}

			// Everyone answers at once; right or wrong as planned.
			const choices = players.map((_, p) => {
				const right = question.correct[0]!;
				return knows(p, q) ? right : (right + 1) % question.options.length;
			});
			players.forEach(({ client }, p) =>
				client.send({ type: 'answer', questionIndex: q, choice: choices[p]! })
			);
			for (const [p, { client }] of players.entries()) {
				expect(await client.expectNext('answer-ack')).toEqual({
					type: 'answer-ack',
					questionIndex: q,
					choice: choices[p]
				});
			}

			const distribution = question.options.map(
				(_, option) => choices.filter((choice) => choice === option).length
			);
			const hostReveal = await expectPhase(host, 'reveal');
			// Closed because everyone answered, not because time ran out.
			expect(Date.now()).toBeLessThan(hostOpen.closesAt - 5000);
			expect(hostReveal).toEqual({
				type: 'phase',
				phase: 'reveal',
				question: hostOpen.question,
				correct: question.correct,
				distribution,
				answeredCount: players.length,
				detail: null
			});

			const statuses: PlayerStatus[] = [];
			for (const [p, { client, nickname }] of players.entries()) {
				const reveal = await expectPhase(client, 'reveal');
				expect(reveal).toEqual({
					...hostReveal,
					question: { ...hostReveal.question, text: null, options: null, image: null }
				});

				const { you } = await client.expectNext('you');
				const right = knows(p, q);
				streaks[p] = right ? streaks[p]! + 1 : 0;
				const bonus = right ? Math.min(500, (streaks[p]! - 1) * 100) : 0;
				expect(you.lastResult).toEqual({
					questionIndex: q,
					type: 'quiz',
					answered: true,
					scored: true,
					correct: right,
					accuracy: right ? 1 : 0,
					points: expect.any(Number),
					streakBonus: bonus,
					streak: streaks[p]
				});
				const points = you.lastResult!.points;
				if (right) {
					// Answered within milliseconds: (close to) the full points, plus the streak bonus.
					const base = BASE_POINTS[question.points];
					expect(points - bonus).toBeLessThanOrEqual(base);
					expect(points - bonus).toBeGreaterThanOrEqual(base * 0.9);
				} else {
					expect(points).toBe(0);
				}
				totals[p] = totals[p]! + points;
				expect(you).toMatchObject({
					nickname,
					score: totals[p],
					streak: streaks[p],
					playerCount: players.length,
					firstQuestion: 0,
					currentAnswer: null
				});
				statuses.push(you);
			}
			expectConsistentRanks(statuses);

			host.send({ type: 'next' });
			const board = await expectPhase(host, 'scoreboard');
			expect(board).toMatchObject({ questionIndex: q, total: questions.length });
			expect(board.standings).toEqual(
				[...statuses]
					.sort((a, b) => a.rank! - b.rank!)
					.map((status) => ({
						playerId: status.id,
						nickname: status.nickname,
						score: status.score,
						rank: status.rank,
						previousRank: previousRanks[players.findIndex((p) => p.id === status.id)]
					}))
			);
			const scores = board.standings.map((standing) => standing.score);
			expect(scores).toEqual([...scores].sort((a, b) => b - a));
			for (const { client } of players) {
				expect(await expectPhase(client, 'scoreboard')).toEqual(board);
				expect(client.frames.at(-1)).toBe(host.frames.at(-1));
			}
			previousRanks = statuses.map((status) => status.rank);
		}

		host.send({ type: 'next' });
		const podium = await expectPhase(host, 'podium');
		expect(podium.standings.map((s) => [s.nickname, s.rank, s.score])).toEqual([
			['Ana', 1, totals[0]],
			['Ben', 2, totals[1]],
			['Cy', 3, totals[2]]
		]);
		for (const [p, { client }] of players.entries()) {
			expect(await expectPhase(client, 'podium')).toEqual(podium);
			const { you } = await client.expectNext('you');
			expect(you).toMatchObject({ rank: p + 1, score: totals[p], playerCount: 3 });
		}

		// Nothing else arrived for anyone, and no phone ever saw an answer before its reveal.
		expect(host.unread()).toEqual([]);
		expect(host.ofType('you')).toEqual([]);
		expect(host.ofType('answer-ack')).toEqual([]);
		for (const { client } of players) {
			expect(client.unread()).toEqual([]);
			expect(client.ofType('error')).toEqual([]);
			expectNoAnswerBeforeReveal(client, questions);
		}

		// The game is over: nobody joins now.
		const late = await joinGame(server, game.pin, 'Dee');
		expect(late).toEqual({ status: 410, body: { code: 'game-over', message: expect.any(String) } });
	});

	test('with an intro, phones get "get ready" before the question opens', async () => {
		const { host, players } = await lobby(['Ana'], { introSeconds: 2 });
		const [ana] = players;
		host.send({ type: 'start' });
		const intro = await expectPhase(host, 'intro');
		expect(intro.question.text).not.toBeNull();
		const phoneIntro = await expectPhase(ana!.client, 'intro');
		expect(phoneIntro.question.text).toBeNull();
		expect(phoneIntro.opensAt).toBe(intro.opensAt);
		// Too early: answers are not open yet.
		ana!.client.send({ type: 'answer', questionIndex: 0, choice: 0 });
		expect(await ana!.client.expectNext('error')).toMatchObject({ code: 'wrong-phase' });
		const open = await expectPhase(ana!.client, 'open');
		expect(open.opensAt).toBeGreaterThanOrEqual(intro.opensAt);
		expect(await expectPhase(host, 'open')).toMatchObject({ opensAt: open.opensAt });
		expectNoAnswerBeforeReveal(ana!.client, sampleQuiz('world-geography').questions);
	});
});

describe('bad frames and refusals', () => {
	test('malformed frames get an error and the connection and game carry on', async () => {
		const { host, players } = await lobby(['Ana', 'Ben']);
		const [ana, ben] = players;
		host.send({ type: 'start' });
		await expectPhase(host, 'open');
		await expectPhase(ana!.client, 'open');
		await expectPhase(ben!.client, 'open');

		ana!.client.sendRaw('not json');
		expect(await ana!.client.expectNext('error')).toEqual({
			type: 'error',
			code: 'bad-json',
			message: expect.any(String)
		});
		ana!.client.sendRaw('{"type":"nope"}');
		expect(await ana!.client.expectNext('error')).toEqual({
			type: 'error',
			code: 'unknown-type',
			message: expect.stringContaining('nope')
		});
		ana!.client.send({ type: 'answer', questionIndex: 0, choice: 9 });
		expect(await ana!.client.expectNext('error')).toEqual({
			type: 'error',
			code: 'bad-frame',
			message: expect.stringContaining('choice')
		});
		ana!.client.socket.send(Buffer.from('{"type":"start"}'), { binary: true });
		expect(await ana!.client.expectNext('error')).toMatchObject({ code: 'bad-frame' });
		// Valid for the schema, but this question has only four answers.
		ana!.client.send({ type: 'answer', questionIndex: 0, choice: 5 });
		expect(await ana!.client.expectNext('error')).toMatchObject({ code: 'bad-option' });
		ana!.client.send({ type: 'answer', questionIndex: 3, choice: 0 });
		expect(await ana!.client.expectNext('error')).toMatchObject({ code: 'wrong-question' });
		ana!.client.send({ type: 'hello', v: PROTOCOL_VERSION, token: ana!.token });
		expect(await ana!.client.expectNext('error')).toMatchObject({ code: 'already-authenticated' });
		host.sendRaw('{"type":"kick"}');
		expect(await host.expectNext('error')).toMatchObject({
			code: 'bad-frame',
			message: expect.stringContaining('playerId')
		});

		ana!.client.send({ type: 'answer', questionIndex: 0, choice: 2 });
		expect(await ana!.client.expectNext('answer-ack')).toEqual({
			type: 'answer-ack',
			questionIndex: 0,
			choice: 2
		});
		ben!.client.send({ type: 'answer', questionIndex: 0, choice: 1 });
		await ben!.client.expectNext('answer-ack');
		const reveal = await expectPhase(host, 'reveal');
		expect(reveal.distribution).toEqual([0, 1, 1, 0]);
		expect(await expectPhase(ana!.client, 'reveal')).toMatchObject({ answeredCount: 2 });
		expect((await ana!.client.expectNext('you')).you.lastResult).toMatchObject({ correct: true });
		expect(ana!.client.closeCode).toBeNull();
		expect(host.closeCode).toBeNull();
		expect(ben!.client.ofType('error')).toEqual([]);
	});

	test('a player token cannot start, advance, kick or end', async () => {
		const { host, players } = await lobby(['Ana', 'Ben']);
		const [ana, ben] = players;
		for (const command of [
			{ type: 'start' },
			{ type: 'next' },
			{ type: 'kick', playerId: ben!.id },
			{ type: 'end' }
		] as const) {
			ana!.client.send(command);
			expect(await ana!.client.expectNext('error')).toEqual({
				type: 'error',
				code: 'forbidden',
				message: expect.stringContaining(command.type)
			});
		}
		// Nothing happened: still the lobby, Ben still in it, and the host can start.
		expect(host.unread()).toEqual([]);
		expect(ben!.client.unread()).toEqual([]);
		expect(ben!.client.closeCode).toBeNull();
		host.send({ type: 'start' });
		await expectPhase(host, 'open');
		await expectPhase(ana!.client, 'open');
		await expectPhase(ben!.client, 'open');
	});

	test('a second answer to the same question is refused', async () => {
		const { host, players } = await lobby(['Ana', 'Ben']);
		const [ana, ben] = players;
		host.send({ type: 'start' });
		await expectPhase(ana!.client, 'open');
		await expectPhase(ben!.client, 'open');
		ana!.client.send({ type: 'answer', questionIndex: 0, choice: 0 });
		await ana!.client.expectNext('answer-ack');
		ana!.client.send({ type: 'answer', questionIndex: 0, choice: 2 });
		expect(await ana!.client.expectNext('error')).toMatchObject({ code: 'already-answered' });
		ben!.client.send({ type: 'answer', questionIndex: 0, choice: 1 });
		await ben!.client.expectNext('answer-ack');
		await expectPhase(host, 'open');
		const reveal = await expectPhase(host, 'reveal');
		// The first answer stands.
		expect(reveal.distribution).toEqual([1, 1, 0, 0]);
		await expectPhase(ana!.client, 'reveal');
		expect((await ana!.client.expectNext('you')).you.lastResult).toMatchObject({
			answered: true,
			correct: false,
			points: 0
		});
	});

	test('an answer after the host skipped the question is too late', async () => {
		const { host, players } = await lobby(['Ana', 'Ben']);
		const [ana, ben] = players;
		host.send({ type: 'start' });
		await expectPhase(host, 'open');
		await expectPhase(ana!.client, 'open');
		await expectPhase(ben!.client, 'open');
		ana!.client.send({ type: 'answer', questionIndex: 0, choice: 2 });
		await ana!.client.expectNext('answer-ack');
		host.send({ type: 'next' });
		expect(await expectPhase(host, 'reveal')).toMatchObject({
			answeredCount: 1,
			distribution: [0, 0, 1, 0]
		});
		await expectPhase(ben!.client, 'reveal');
		const { you } = await ben!.client.expectNext('you');
		expect(you).toMatchObject({ score: 0, lastResult: { answered: false, points: 0 } });
		ben!.client.send({ type: 'answer', questionIndex: 0, choice: 2 });
		expect(await ben!.client.expectNext('error')).toMatchObject({ code: 'too-late' });
		expect(ben!.client.ofType('answer-ack')).toEqual([]);
	});

	test('a kicked player is closed with 4001, and their token only says so from then on', async () => {
		const { host, players } = await lobby(['Ana', 'Ben']);
		const [ana] = players;
		host.send({ type: 'kick', playerId: ana!.id });
		expect(await ana!.client.expectNext('closed')).toMatchObject({ reason: 'kicked' });
		expect(await ana!.client.closed()).toBe(CloseCode.kicked);
		expect(await host.expectNext('player-left')).toEqual({
			type: 'player-left',
			playerId: ana!.id,
			playerCount: 1
		});
		const again = await connect();
		again.send({ type: 'hello', v: PROTOCOL_VERSION, token: ana!.token });
		expect(await again.expectNext('error')).toEqual({
			type: 'error',
			code: 'kicked',
			message: 'You were removed from the game by the host'
		});
		expect(await again.closed()).toBe(CloseCode.kicked);
	});
});

describe('joining', () => {
	test('join errors over HTTP', async () => {
		const { game, host } = await lobby([]);

		// Real PINs never start with 0, so this one cannot exist.
		expect(await joinGame(server, '012345', 'Maya')).toEqual({
			status: 404,
			body: { code: 'unknown-pin', message: expect.any(String) }
		});
		expect((await joinGame(server, 'abc', 'Maya')).body.code).toBe('unknown-pin');

		for (const empty of ['', '   ']) {
			expect(await joinGame(server, game.pin, empty)).toEqual({
				status: 400,
				body: { code: 'nickname-empty', message: expect.any(String) }
			});
		}
		expect(await joinGame(server, game.pin, 'x'.repeat(21))).toEqual({
			status: 400,
			body: { code: 'nickname-too-long', message: expect.any(String) }
		});
		expect((await joinGame(server, game.pin, 'y'.repeat(20))).status).toBe(201);

		expect((await joinGame(server, game.pin, 'Maya')).status).toBe(201);
		for (const taken of ['MAYA', ' maya ']) {
			expect(await joinGame(server, game.pin, taken)).toEqual({
				status: 409,
				body: { code: 'nickname-taken', message: expect.any(String) }
			});
		}
		// Only the two successful joins reached the host.
		await host.expectNext('player-joined');
		await host.expectNext('player-joined');
		expect(host.unread()).toEqual([]);

		// The host skips through every question to the podium; then the game takes nobody.
		const { questions } = sampleQuiz('world-geography');
		host.send({ type: 'start' });
		for (let q = 0; q < questions.length; q++) {
			await host.next('phase', (m) => m.phase === 'open');
			host.send({ type: 'next' });
			await host.next('phase', (m) => m.phase === 'reveal');
			host.send({ type: 'next' });
			await host.next('phase', (m) => m.phase === 'scoreboard');
			host.send({ type: 'next' });
		}
		await host.next('phase', (m) => m.phase === 'podium');
		expect(await joinGame(server, game.pin, 'Late')).toEqual({
			status: 410,
			body: { code: 'game-over', message: expect.any(String) }
		});
	});

	test('a late joiner gets a snapshot, is not waited for, and plays the next question from 0', async () => {
		const quiz = sampleQuiz('world-geography');
		const { game, host, players } = await lobby(['Ana', 'Ben']);
		const [ana, ben] = players;
		host.send({ type: 'start' });
		const open = await expectPhase(host, 'open');
		for (const { client } of players) await expectPhase(client, 'open');

		const joined = await joinGame(server, game.pin, 'Cy');
		expect(joined.status).toBe(201);
		expect(await host.expectNext('player-joined')).toMatchObject({
			player: { nickname: 'Cy' },
			playerCount: 3
		});
		const cy = await connect(joined.body.token);
		expect(cy.messages[0]).toMatchObject({
			type: 'state',
			role: 'player',
			view: { phase: 'open', question: { index: 0, text: null }, closesAt: open.closesAt },
			playerCount: 3,
			you: { nickname: 'Cy', score: 0, rank: null, firstQuestion: 1, currentAnswer: null }
		});
		expect(cy.frames[0]).not.toContain('"correct"');

		// This question is not Cy's.
		cy.send({ type: 'answer', questionIndex: 0, choice: 0 });
		expect(await cy.expectNext('error')).toMatchObject({ code: 'not-playing' });

		const right0 = quiz.questions[0]!.correct[0]!;
		ana!.client.send({ type: 'answer', questionIndex: 0, choice: right0 });
		ben!.client.send({ type: 'answer', questionIndex: 0, choice: right0 });
		const reveal = await expectPhase(host, 'reveal');
		expect(Date.now()).toBeLessThan(open.closesAt - 5000);
		expect(reveal.answeredCount).toBe(2);
		await expectPhase(cy, 'reveal');
		const afterFirst = (await cy.expectNext('you')).you;
		expect(afterFirst).toMatchObject({ score: 0, rank: 3, lastResult: null, playerCount: 3 });

		host.send({ type: 'next' });
		const board = await expectPhase(host, 'scoreboard');
		expect(board.standings.at(-1)).toMatchObject({ nickname: 'Cy', score: 0, rank: 3 });
		await expectPhase(cy, 'scoreboard');

		host.send({ type: 'next' });
		await expectPhase(host, 'open');
		await expectPhase(cy, 'open');
		const right1 = quiz.questions[1]!.correct[0]!;
		ana!.client.send({ type: 'answer', questionIndex: 1, choice: right1 });
		ben!.client.send({ type: 'answer', questionIndex: 1, choice: 1 - right1 });
		await ana!.client.expectNext('answer-ack');
		await ben!.client.expectNext('answer-ack');
		// Cy plays this one: the question waits for them.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(host.unread()).toEqual([]);
		cy.send({ type: 'answer', questionIndex: 1, choice: right1 });
		expect(await cy.expectNext('answer-ack')).toMatchObject({ questionIndex: 1, choice: right1 });
		expect(await expectPhase(host, 'reveal')).toMatchObject({ answeredCount: 3 });
		await expectPhase(cy, 'reveal');
		const { you } = await cy.expectNext('you');
		expect(you.lastResult).toMatchObject({ questionIndex: 1, answered: true, correct: true });
		expect(you.lastResult!.points).toBeGreaterThanOrEqual(900);
		expect(you.lastResult!.points).toBeLessThanOrEqual(1000);
		expect(you.score).toBe(you.lastResult!.points);
		expectNoAnswerBeforeReveal(cy, quiz.questions);
	});
});

describe('authentication', () => {
	test('a socket that never says hello is closed after the hello timeout', async () => {
		const client = await connect();
		const started = Date.now();
		expect(await client.closed(20_000)).toBe(CloseCode.helloTimeout);
		const waited = Date.now() - started;
		expect(waited).toBeGreaterThan(2_000);
		expect(waited).toBeLessThan(20_000);
		expect(client.messages).toEqual([
			{ type: 'error', code: 'not-authenticated', message: expect.any(String) }
		]);
	});

	test('game messages before hello are refused', async () => {
		const client = await connect();
		client.send({ type: 'answer', questionIndex: 0, choice: 0 });
		expect(await client.expectNext('error')).toMatchObject({ code: 'not-authenticated' });
		client.send({ type: 'clock', id: 7, clientSentAt: 123 });
		const clock = await client.expectNext('clock');
		expect(clock).toMatchObject({ id: 7, clientSentAt: 123, serverTime: expect.any(Number) });
		expect(client.closeCode).toBeNull();
	});

	test('an unknown token gets bad-token and close code 4004', async () => {
		const client = await connect();
		client.send({ type: 'hello', v: PROTOCOL_VERSION, token: 'no-such-token' });
		expect(await client.expectNext('error')).toEqual({
			type: 'error',
			code: 'bad-token',
			message: expect.any(String)
		});
		expect(await client.closed()).toBe(4004);
		expect(CloseCode.badToken).toBe(4004);
	});

	test('another protocol version gets bad-version and close code 4006', async () => {
		const game = await createGame(server);
		const client = await connect();
		client.send({ type: 'hello', v: PROTOCOL_VERSION + 1, token: game.hostToken });
		expect(await client.expectNext('error')).toMatchObject({ code: 'bad-version' });
		expect(await client.closed()).toBe(CloseCode.badVersion);
	});
});

describe('a quiz with every question type', () => {
	const EVERY_TYPE = {
		title: 'Every type',
		description: 'One question of each type, then a slide',
		questions: [
			{
				type: 'quiz',
				text: 'Red planet?',
				options: ['Venus', 'Mars'],
				correct: [1],
				timeLimit: 30
			},
			{ type: 'true-false', text: 'The Sun is a star', answer: true, timeLimit: 30 },
			{
				type: 'multi',
				text: 'Gas giants?',
				options: ['Venus', 'Mars', 'Jupiter', 'Saturn'],
				correct: [2, 3],
				timeLimit: 30
			},
			{ type: 'type-answer', text: 'Capital of Sweden?', accepted: ['Stockholm'], timeLimit: 30 },
			{
				type: 'slider',
				text: 'Moons of Mars?',
				min: 0,
				max: 10,
				step: 1,
				answer: 2,
				tolerance: 2,
				unit: 'moons',
				timeLimit: 30
			},
			{ type: 'puzzle', text: 'From the Sun', items: ['Mercury', 'Venus', 'Earth'], timeLimit: 30 },
			{ type: 'poll', text: 'Favourite?', options: ['Mercury', 'Venus'], timeLimit: 30 },
			{ type: 'info', text: 'Thanks for playing', body: 'See you next time' }
		]
	};
	const PUZZLE_ITEMS = ['Mercury', 'Venus', 'Earth'];
	/** What no phone (and no projector) may see while a question is asked. */
	const SECRETS = [
		'"correct"',
		'"accepted"',
		'"answer":',
		'"tolerance"',
		'"correctOrder"',
		'Stockholm'
	];

	async function createQuiz(): Promise<string> {
		const response = await server.admin.fetch('/api/quizzes', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(EVERY_TYPE)
		});
		expect(response.status).toBe(201);
		return ((await response.json()) as { id: string }).id;
	}

	function expectNoSecretsBeforeReveal(client: TestClient): void {
		let asking = false;
		let checked = 0;
		client.messages.forEach((message, i) => {
			if (message.type === 'phase') asking = message.phase === 'intro' || message.phase === 'open';
			if (!asking) return;
			for (const secret of SECRETS) expect(client.frames[i]).not.toContain(secret);
			checked++;
		});
		expect(checked).toBeGreaterThan(0);
	}

	test('one host and two players play it to the podium', async () => {
		const quizId = await createQuiz();
		const { host, players } = await lobby(['Ana', 'Ben'], { introSeconds: 0 }, quizId);
		const [ana, ben] = players as [Seat, Seat];

		type Input = Record<string, unknown>;
		/** Ana's answers are right; Ben's are wrong except the slider, at the tolerance's edge. */
		const plays: { ana: Input | 'solve'; ben: Input; reveal: Record<string, unknown> }[] = [
			{ ana: { choice: 1 }, ben: { choice: 0 }, reveal: { correct: [1], distribution: [1, 1] } },
			{ ana: { choice: 0 }, ben: { choice: 1 }, reveal: { correct: [0], distribution: [1, 1] } },
			{
				ana: { choices: [3, 2] },
				ben: { choices: [2] },
				reveal: { correct: [2, 3], distribution: [0, 0, 2, 1] }
			},
			{
				ana: { text: '  stockholm ' },
				ben: { text: 'Oslo' },
				reveal: {
					correct: [],
					distribution: [],
					detail: {
						type: 'type-answer',
						accepted: ['Stockholm'],
						topAnswers: [
							{ text: 'Oslo', count: 1, correct: false },
							{ text: 'stockholm', count: 1, correct: true }
						]
					}
				}
			},
			{
				ana: { value: 2 },
				ben: { value: 4 },
				reveal: {
					correct: [],
					distribution: [],
					detail: {
						type: 'slider',
						answer: 2,
						tolerance: 2,
						unit: 'moons',
						histogram: Array.from({ length: 10 }, (_, i) => ({
							from: i,
							to: i + 1,
							count: i === 2 || i === 4 ? 1 : 0
						}))
					}
				}
			},
			{
				ana: 'solve',
				ben: { order: [0, 1, 2] }, // as shown: never the solved order
				reveal: {
					correct: [],
					distribution: [],
					detail: { type: 'puzzle', correctOrder: PUZZLE_ITEMS, allRight: 1 }
				}
			},
			{ ana: { choice: 0 }, ben: { choice: 1 }, reveal: { correct: [], distribution: [1, 1] } }
		];
		const anaPoints: number[] = [];

		for (const [q, play] of plays.entries()) {
			const question = EVERY_TYPE.questions[q]!;
			host.send({ type: q === 0 ? 'start' : 'next' });
			const hostOpen = await expectPhase(host, 'open');
			expect(hostOpen.question).toMatchObject({
				index: q,
				type: question.type,
				text: question.text
			});
			const opens = [await expectPhase(ana.client, 'open'), await expectPhase(ben.client, 'open')];
			const onPhone = opens[0]!.question;
			expect(opens[1]!.question).toEqual(onPhone);
			expect(onPhone).toMatchObject({ type: question.type, text: null });
			if (question.type === 'true-false') expect(onPhone.options).toEqual(['True', 'False']);
			if (question.type === 'type-answer') expect(onPhone.maxLength).toBe(20);
			if (question.type === 'slider') {
				expect(onPhone.slider).toEqual({ min: 0, max: 10, step: 1, unit: 'moons' });
			}
			if (question.type === 'puzzle') {
				expect([...onPhone.items!].sort()).toEqual([...PUZZLE_ITEMS].sort());
				expect(onPhone.items).not.toEqual(PUZZLE_ITEMS);
				expect(hostOpen.question.items).toEqual(onPhone.items);
			}

			// Ana puts the puzzle in order from the items her phone shows, as a phone would.
			const anaInput =
				play.ana === 'solve'
					? { order: PUZZLE_ITEMS.map((item) => onPhone.items!.indexOf(item)) }
					: play.ana;
			ana.client.send({ type: 'answer', questionIndex: q, ...anaInput });
			expect(await ana.client.expectNext('answer-ack')).toEqual({
				type: 'answer-ack',
				questionIndex: q,
				...anaInput
			});
			ben.client.send({ type: 'answer', questionIndex: q, ...play.ben });
			expect(await ben.client.expectNext('answer-ack')).toEqual({
				type: 'answer-ack',
				questionIndex: q,
				...play.ben
			});

			const hostReveal = await expectPhase(host, 'reveal');
			expect(hostReveal).toMatchObject({ answeredCount: 2, detail: null, ...play.reveal });
			for (const { client } of players) {
				const reveal = await expectPhase(client, 'reveal');
				expect({ ...reveal, question: null }).toEqual({ ...hostReveal, question: null });
			}

			const anaYou = (await ana.client.expectNext('you')).you;
			const benYou = (await ben.client.expectNext('you')).you;
			const poll = question.type === 'poll';
			expect(anaYou.lastResult).toMatchObject({
				questionIndex: q,
				type: question.type,
				answered: true,
				scored: !poll,
				correct: !poll,
				streak: q < 6 ? q + 1 : 6,
				streakBonus: poll ? 0 : q * 100
			});
			const points = anaYou.lastResult!.points;
			if (poll) {
				expect(points).toBe(0);
			} else {
				expect(points - q * 100).toBeGreaterThanOrEqual(900);
				expect(points - q * 100).toBeLessThanOrEqual(1000);
			}
			anaPoints.push(points);
			if (question.type === 'slider') {
				// At the edge of the tolerance: right, for half the speed points.
				expect(benYou.lastResult).toMatchObject({ correct: true, streak: 1 });
				expect(benYou.lastResult!.points).toBeGreaterThanOrEqual(450);
				expect(benYou.lastResult!.points).toBeLessThanOrEqual(500);
			} else {
				expect(benYou.lastResult).toMatchObject({ correct: false, points: 0 });
			}

			host.send({ type: 'next' });
			await expectPhase(host, 'scoreboard');
			for (const { client } of players) await expectPhase(client, 'scoreboard');
		}

		// The closing slide: the projector shows its text, phones are told to look up.
		host.send({ type: 'next' });
		const slide = await expectPhase(host, 'slide');
		expect(slide.question).toMatchObject({
			type: 'info',
			text: 'Thanks for playing',
			body: 'See you next time',
			timeLimitMs: 0,
			number: null
		});
		for (const { client } of players) {
			expect((await expectPhase(client, 'slide')).question).toMatchObject({
				type: 'info',
				text: null,
				body: null
			});
		}
		ana.client.send({ type: 'answer', questionIndex: 7, choice: 0 });
		expect(await ana.client.expectNext('error')).toMatchObject({ code: 'wrong-question' });

		host.send({ type: 'next' });
		const podium = await expectPhase(host, 'podium');
		const anaTotal = anaPoints.reduce((sum, p) => sum + p, 0);
		expect(podium.standings.map((s) => [s.nickname, s.rank, s.score])).toEqual([
			['Ana', 1, anaTotal],
			['Ben', 2, expect.any(Number)]
		]);
		for (const { client } of players) {
			await expectPhase(client, 'podium');
			await client.expectNext('you');
			expect(client.unread()).toEqual([]);
			expectNoSecretsBeforeReveal(client);
		}
		expect(host.unread()).toEqual([]);
		expectNoSecretsBeforeReveal(host);
		expect(ben.client.ofType('error')).toEqual([]);
	});
});
