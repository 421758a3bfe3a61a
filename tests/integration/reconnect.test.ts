/**
 * Reconnects with the real server process and real WebSocket clients: a phone whose socket
 * dropped comes back on the same token and finds its game (its answer, its result), fifty
 * phones dropping and coming back at once, a second tab taking a seat over, and the heartbeat
 * cutting a socket that stopped answering pings while the player stays in the game.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CloseCode, type ServerMessage } from '../../src/lib/protocol/index.ts';
import { joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

type StateMessage = Extract<ServerMessage, { type: 'state' }>;

let clients: TestClient[] = [];
afterEach(async () => {
	await Promise.all(clients.map((client) => client.close().catch(() => {})));
	clients = [];
});

async function connect(
	server: RunningServer,
	token: string,
	options?: { autoPong?: boolean }
): Promise<TestClient> {
	const client = await TestClient.connect(server, token, options);
	clients.push(client);
	return client;
}

/** The snapshot a (re)connected socket got first. */
function stateOf(client: TestClient): StateMessage {
	const first = client.messages[0];
	if (first?.type !== 'state')
		throw new Error(`Expected a state first, got ${JSON.stringify(first)}`);
	return first;
}

/** Polls until `check` holds; for counts of messages spread over many sockets. */
async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Two questions of three options (the second one is right); `timeLimit` seconds each. */
async function createQuiz(server: RunningServer, timeLimit: number): Promise<string> {
	const response = await server.admin.fetch('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			title: `Reconnect test (${timeLimit} s)`,
			questions: [
				{ type: 'quiz', text: 'Two plus two?', options: ['3', '4', '5'], correct: [1], timeLimit },
				{
					type: 'quiz',
					text: 'Three plus three?',
					options: ['5', '6', '7'],
					correct: [1],
					timeLimit
				}
			]
		})
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

const RIGHT = 1;
const WRONG = 0;

interface Seat {
	nickname: string;
	playerId: string;
	token: string;
}

/** A game with its host connected and these players joined over HTTP (not yet connected). */
async function newGame(server: RunningServer, quizId: string, nicknames: string[]) {
	const created = await server.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId, options: { introSeconds: 0 } })
	});
	expect(created.status).toBe(201);
	const { pin, hostToken } = (await created.json()) as { pin: string; hostToken: string };
	const seats: Seat[] = await Promise.all(
		nicknames.map(async (nickname) => {
			const joined = await joinGame(server, pin, nickname);
			expect(joined.status).toBe(201);
			return joined.body;
		})
	);
	const host = await connect(server, hostToken);
	return { pin, hostToken, seats, host };
}

/** The host's `player-connection` messages about this player so far. */
function connectionsOf(host: TestClient, playerId: string): boolean[] {
	return host
		.ofType('player-connection')
		.filter((m) => m.playerId === playerId)
		.map((m) => m.connected);
}

// ---------------------------------------------------------------------------------------------

describe('with the default heartbeat', () => {
	let server: RunningServer;
	let longQuiz: string;
	let shortQuiz: string;

	beforeAll(async () => {
		server = await startServer();
		longQuiz = await createQuiz(server, 60);
		shortQuiz = await createQuiz(server, 5);
	});
	afterAll(() => server?.stop());

	test('a socket dropped mid-question and back in time keeps its answer; the question closes when the rest answer', async () => {
		const { host, seats } = await newGame(server, longQuiz, ['Ana', 'Ben', 'Cy']);
		const [ana, ben, cy] = await Promise.all(seats.map((seat) => connect(server, seat.token)));
		host.send({ type: 'start' });
		const open = await host.next('phase', (m) => m.phase === 'open');
		if (open.phase !== 'open') throw new Error('not open');
		await ana!.next('phase', (m) => m.phase === 'open');

		ana!.send({ type: 'answer', questionIndex: 0, choice: RIGHT });
		await ana!.next('answer-ack');
		await ana!.close();
		await host.next('player-connection', (m) => m.playerId === seats[0]!.playerId);
		expect(connectionsOf(host, seats[0]!.playerId)).toEqual([false]);

		const back = await connect(server, seats[0]!.token);
		const state = stateOf(back);
		expect(state).toMatchObject({
			role: 'player',
			view: { phase: 'open', question: { index: 0 }, closesAt: open.closesAt },
			answeredCount: 1,
			you: { nickname: 'Ana', currentAnswer: { choice: RIGHT } }
		});
		await eventually(
			() => connectionsOf(host, seats[0]!.playerId).length === 2,
			'the host to see Ana back'
		);
		expect(connectionsOf(host, seats[0]!.playerId)).toEqual([false, true]);
		// The answer stands: no second one.
		back.send({ type: 'answer', questionIndex: 0, choice: WRONG });
		expect(await back.next('error')).toMatchObject({ code: 'already-answered' });

		ben!.send({ type: 'answer', questionIndex: 0, choice: WRONG });
		cy!.send({ type: 'answer', questionIndex: 0, choice: RIGHT });
		const reveal = await host.next('phase', (m) => m.phase === 'reveal');
		// Closed because everyone answered, long before the one-minute deadline.
		expect(Date.now()).toBeLessThan(open.closesAt - 10_000);
		expect(reveal).toMatchObject({ phase: 'reveal', distribution: [1, 2, 0] });
		const result = (await back.next('you')).you;
		expect(result.lastResult).toMatchObject({ answered: true, correct: true });
		expect(result.score).toBeGreaterThan(0);
	});

	test('a player back after the deadline finds the reveal and their result in the snapshot', async () => {
		const { host, seats } = await newGame(server, shortQuiz, ['Ana', 'Ben']);
		const [ana, ben] = await Promise.all(seats.map((seat) => connect(server, seat.token)));
		host.send({ type: 'start' });
		const open = await host.next('phase', (m) => m.phase === 'open');
		if (open.phase !== 'open') throw new Error('not open');
		await ana!.next('phase', (m) => m.phase === 'open');
		ana!.send({ type: 'answer', questionIndex: 0, choice: RIGHT });
		await ana!.next('answer-ack');
		// Ana (answered) drops, then Ben (not answered): nobody left to close it early.
		await ana!.close();
		await host.next('player-connection', (m) => m.playerId === seats[0]!.playerId);
		await ben!.close();
		await host.next('player-connection', (m) => m.playerId === seats[1]!.playerId);

		const reveal = await host.next('phase', (m) => m.phase === 'reveal', 15_000);
		expect(Date.now()).toBeGreaterThanOrEqual(open.closesAt - 100);
		expect(reveal).toMatchObject({ correct: [RIGHT], distribution: [0, 1, 0] });

		const [anaBack, benBack] = await Promise.all(seats.map((seat) => connect(server, seat.token)));
		expect(stateOf(anaBack!)).toMatchObject({
			view: { phase: 'reveal', correct: [RIGHT], distribution: [0, 1, 0] },
			you: {
				nickname: 'Ana',
				rank: 1,
				currentAnswer: null,
				lastResult: { questionIndex: 0, answered: true, correct: true }
			}
		});
		expect(stateOf(anaBack!).you!.score).toBeGreaterThan(0);
		expect(stateOf(anaBack!).you!.score).toBe(stateOf(anaBack!).you!.lastResult!.points);
		expect(stateOf(benBack!)).toMatchObject({
			view: { phase: 'reveal' },
			you: {
				nickname: 'Ben',
				score: 0,
				rank: 2,
				lastResult: { questionIndex: 0, answered: false, correct: false, points: 0 }
			}
		});
		// And they play on.
		host.send({ type: 'next' });
		host.send({ type: 'next' });
		await anaBack!.next('phase', (m) => m.phase === 'open');
		anaBack!.send({ type: 'answer', questionIndex: 1, choice: RIGHT });
		await anaBack!.next('answer-ack');
	});

	test('fifty players drop at once and come back at once: every snapshot right, the host sees it all', async () => {
		const nicknames = Array.from({ length: 50 }, (_, i) => `Player ${i + 1}`);
		// One more phone keeps its connection and answers last, so the question cannot close
		// while the fifty are away however the server happens to order their closes.
		const { host, seats } = await newGame(server, longQuiz, [...nicknames, 'Anchor']);
		const fifty = seats.slice(0, 50);
		const anchor = seats[50]!;
		const sockets = await Promise.all(fifty.map((seat) => connect(server, seat.token)));
		const anchorSocket = await connect(server, anchor.token);
		host.send({ type: 'start' });
		const open = await host.next('phase', (m) => m.phase === 'open');
		if (open.phase !== 'open') throw new Error('not open');
		await Promise.all(sockets.map((s) => s.next('phase', (m) => m.phase === 'open')));

		// The first twenty answer before the drop (even ones right, odd ones wrong).
		const choiceOf = (i: number) => (i % 2 === 0 ? RIGHT : WRONG);
		await Promise.all(
			sockets.slice(0, 20).map(async (socket, i) => {
				socket.send({ type: 'answer', questionIndex: 0, choice: choiceOf(i) });
				await socket.next('answer-ack');
			})
		);

		const isFifty = (playerId: string) => fifty.some((seat) => seat.playerId === playerId);
		const seen = (connected: boolean) =>
			host
				.ofType('player-connection')
				.filter((m) => m.connected === connected && isFifty(m.playerId)).length;

		await Promise.all(sockets.map((socket) => socket.close()));
		await eventually(() => seen(false) === 50, 'the host to grey out all fifty');
		expect(host.ofType('phase').at(-1)).toMatchObject({ phase: 'open' });

		const back = await Promise.all(fifty.map((seat) => connect(server, seat.token)));
		back.forEach((socket, i) => {
			expect(stateOf(socket)).toMatchObject({
				role: 'player',
				view: { phase: 'open', question: { index: 0 }, closesAt: open.closesAt },
				answeredCount: 20,
				playerCount: 51,
				you: {
					id: fifty[i]!.playerId,
					nickname: fifty[i]!.nickname,
					currentAnswer: i < 20 ? { choice: choiceOf(i) } : null
				}
			});
		});
		await eventually(() => seen(true) === 50, 'the host to see all fifty back');
		for (const seat of fifty) {
			expect(connectionsOf(host, seat.playerId)).toEqual([false, true]);
		}

		// The other thirty answer, then the anchor: everyone has, and it closes early.
		await Promise.all(
			back.slice(20).map(async (socket, j) => {
				socket.send({ type: 'answer', questionIndex: 0, choice: choiceOf(20 + j) });
				await socket.next('answer-ack');
			})
		);
		expect(host.ofType('phase').at(-1)).toMatchObject({ phase: 'open' });
		anchorSocket.send({ type: 'answer', questionIndex: 0, choice: RIGHT });
		const reveal = await host.next('phase', (m) => m.phase === 'reveal');
		expect(Date.now()).toBeLessThan(open.closesAt - 10_000);
		expect(reveal).toMatchObject({ distribution: [25, 26, 0], answeredCount: 51 });
		const results = await Promise.all(back.map((socket) => socket.next('you')));
		results.forEach(({ you }, i) => {
			expect(you.lastResult).toMatchObject({ answered: true, correct: choiceOf(i) === RIGHT });
		});
	});

	test('two tabs on one token: the first is told it was replaced, the second plays on', async () => {
		const { host, seats } = await newGame(server, longQuiz, ['Ana', 'Ben']);
		const [ana] = seats;
		const firstTab = await connect(server, ana!.token);
		const ben = await connect(server, seats[1]!.token);
		const secondTab = await connect(server, ana!.token);

		expect(await firstTab.next('closed')).toMatchObject({
			reason: 'replaced',
			message: expect.any(String)
		});
		expect(await firstTab.closed()).toBe(CloseCode.replaced);
		expect(CloseCode.replaced).toBe(4003);
		expect(stateOf(secondTab)).toMatchObject({ you: { id: ana!.playerId, nickname: 'Ana' } });

		host.send({ type: 'start' });
		await secondTab.next('phase', (m) => m.phase === 'open');
		secondTab.send({ type: 'answer', questionIndex: 0, choice: RIGHT });
		await secondTab.next('answer-ack');
		ben.send({ type: 'answer', questionIndex: 0, choice: WRONG });
		await host.next('phase', (m) => m.phase === 'reveal');
		expect((await secondTab.next('you')).you.lastResult).toMatchObject({ correct: true });
		// The first tab's close never showed Ana as gone, and it heard nothing after it.
		expect(connectionsOf(host, ana!.playerId)).toEqual([]);
		expect(firstTab.ofType('phase')).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------

describe('heartbeat', () => {
	let server: RunningServer;
	let quizId: string;
	const HEARTBEAT_MS = 300;

	beforeAll(async () => {
		server = await startServer({ HEARTBEAT_MS: String(HEARTBEAT_MS) });
		quizId = await createQuiz(server, 60);
	});
	afterAll(() => server?.stop());

	test('a socket that stops answering pings is cut; the player stays in the game and comes back', async () => {
		const { host, seats } = await newGame(server, quizId, ['Ana', 'Ben']);
		const [ana, ben] = seats;
		const mute = await connect(server, ana!.token, { autoPong: false });
		const healthy = await connect(server, ben!.token);
		const cutAfter = Date.now();

		// Terminated, not closed politely: no close frame, so the client sees 1006.
		expect(await mute.closed(10_000)).toBe(1006);
		expect(Date.now() - cutAfter).toBeLessThan(10 * HEARTBEAT_MS + 5000);
		await host.next('player-connection', (m) => m.playerId === ana!.playerId && !m.connected);

		// Ana is still in the game (greyed, not removed); sockets that answer pings stay up.
		await new Promise((resolve) => setTimeout(resolve, 5 * HEARTBEAT_MS));
		expect(host.ofType('player-left')).toEqual([]);
		expect(healthy.closeCode).toBeNull();
		expect(host.closeCode).toBeNull();
		expect(connectionsOf(host, ben!.playerId)).toEqual([]);

		const back = await connect(server, ana!.token);
		expect(stateOf(back)).toMatchObject({ view: { phase: 'lobby' }, you: { nickname: 'Ana' } });
		await host.next('player-connection', (m) => m.playerId === ana!.playerId && m.connected);
		host.send({ type: 'start' });
		await back.next('phase', (m) => m.phase === 'open');
		back.send({ type: 'answer', questionIndex: 0, choice: RIGHT });
		await back.next('answer-ack');
	});
});
