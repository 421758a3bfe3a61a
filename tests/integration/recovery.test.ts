/**
 * Crash recovery with the real server process: killed with SIGKILL in the middle of an open
 * question, restarted on the same data directory, the game goes on with every acknowledged
 * answer and every score; and a clean SIGTERM tells browsers to come back and keeps the game.
 */
import { once } from 'node:events';
import { afterEach, expect, test } from 'vitest';
import { CloseCode } from '../../src/lib/protocol/index.ts';
import { joinGame, startServer, TestClient, type RunningServer } from './harness.ts';
import { playOnToPodium, survivalQuiz } from './podium.ts';

const servers: RunningServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
	for (const client of clients.splice(0)) await client.close().catch(() => {});
	for (const server of servers.splice(0)) await server.stop();
});

async function start(dataDir?: string): Promise<RunningServer> {
	const server = await startServer(dataDir ? { DATA_DIR: dataDir } : {});
	servers.push(server);
	return server;
}

async function connect(server: RunningServer, token: string): Promise<TestClient> {
	const client = await TestClient.connect(server, token);
	clients.push(client);
	return client;
}

async function kill(server: RunningServer): Promise<void> {
	server.process.kill('SIGKILL');
	await once(server.process, 'exit');
}

/** The quiz the podium check plays on (podium.ts). */
async function createQuiz(server: RunningServer): Promise<string> {
	const response = await server.admin.fetch('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(survivalQuiz('Crash test'))
	});
	return ((await response.json()) as { id: string }).id;
}

test('SIGKILL mid-question, restart: the question resumes, no acknowledged answer is lost', async () => {
	const first = await start();
	const quizId = await createQuiz(first);
	const created = await first.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId, options: { introSeconds: 0 } })
	});
	const game = (await created.json()) as { pin: string; hostToken: string };
	const seats = [];
	for (const nickname of ['Ana', 'Ben', 'Cy']) {
		seats.push((await joinGame(first, game.pin, nickname)).body);
	}
	const host = await connect(first, game.hostToken);
	const players = await Promise.all(seats.map((seat) => connect(first, seat.token)));
	host.send({ type: 'start' });
	const open = await host.next('phase', (m) => m.phase === 'open');
	if (open.phase !== 'open') throw new Error('not open');
	for (const player of players) await player.next('phase', (m) => m.phase === 'open');

	// Ana right, Ben wrong, both acknowledged; Cy has not answered when the server dies.
	players[0]!.send({ type: 'answer', questionIndex: 0, choice: 1 });
	players[1]!.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await players[0]!.next('answer-ack');
	await players[1]!.next('answer-ack');
	const remainingBefore = open.closesAt - Date.now();
	await kill(first);

	const second = await start(first.dataDir);
	expect(second.output()).toContain('Picked up 1 game in progress');
	const host2 = await connect(second, game.hostToken);
	const hostState = host2.messages[0]!;
	if (hostState.type !== 'state' || hostState.view.phase !== 'open') {
		throw new Error(`Expected the open question, got ${JSON.stringify(hostState)}`);
	}
	// Same PIN, the question still open, with (at least) the time it had left: the downtime is
	// not charged to the players.
	expect(hostState.pin).toBe(game.pin);
	expect(hostState.answeredCount).toBe(2);
	expect(hostState.view.closesAt - Date.now()).toBeGreaterThan(remainingBefore - 1000);

	const [ana, ben, cy] = await Promise.all(seats.map((seat) => connect(second, seat.token)));
	for (const [client, answer] of [
		[ana!, { choice: 1 }],
		[ben!, { choice: 0 }],
		[cy!, null]
	] as const) {
		const state = client.messages[0]!;
		if (state.type !== 'state') throw new Error('no snapshot');
		expect(state.view.phase).toBe('open');
		expect(state.you!.currentAnswer).toEqual(answer);
	}
	// Ana cannot answer twice across the restart.
	ana!.send({ type: 'answer', questionIndex: 0, choice: 2 });
	expect(await ana!.next('error')).toMatchObject({ code: 'already-answered' });

	// Cy answers: everyone has, the question closes, and the scores count Ana's early answer.
	cy!.send({ type: 'answer', questionIndex: 0, choice: 1 });
	await cy!.next('answer-ack');
	const reveal = await host2.next('phase', (m) => m.phase === 'reveal');
	if (reveal.phase !== 'reveal') throw new Error('no reveal');
	expect(reveal.distribution).toEqual([1, 2, 0]);
	const anaResult = (await ana!.next('you')).you;
	const benResult = (await ben!.next('you')).you;
	const cyResult = (await cy!.next('you')).you;
	expect(anaResult.lastResult).toMatchObject({ correct: true });
	expect(benResult.lastResult).toMatchObject({ correct: false, points: 0 });
	expect(cyResult.lastResult).toMatchObject({ correct: true });
	// Ana answered first, before the crash: she scores at least as much as Cy.
	expect(anaResult.score).toBeGreaterThanOrEqual(cyResult.score);
	expect(anaResult.score).toBeGreaterThan(900);

	// And the game finishes normally: every phone's final score is the projector's, and Ana
	// (right twice) wins.
	await playOnToPodium(host2, [ana!, ben!, cy!], anaResult.score);

	const reports = await (await second.admin.fetch('/reports')).text();
	expect(reports).toContain('Crash test');
	expect(reports).not.toContain('unfinished');
});

test('SIGTERM: browsers are told to come back, and the lobby is still there after the restart', async () => {
	const first = await start();
	const [quiz] = await first.admin.json<{ id: string }[]>('/api/quizzes');
	const created = await first.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId: quiz!.id })
	});
	const game = (await created.json()) as { pin: string; hostToken: string };
	const seat = (await joinGame(first, game.pin, 'Maya')).body;
	const host = await connect(first, game.hostToken);
	const player = await connect(first, seat.token);

	const started = Date.now();
	first.process.kill('SIGTERM');
	const closed = await player.next('closed');
	expect(closed).toMatchObject({ reason: 'shutdown' });
	await once(first.process, 'exit');
	expect(Date.now() - started).toBeLessThan(5000);
	expect(player.closeCode).toBe(CloseCode.shutdown);
	expect(host.closeCode).toBe(CloseCode.shutdown);

	const second = await start(first.dataDir);
	const back = await connect(second, seat.token);
	const state = back.messages[0]!;
	expect(state).toMatchObject({ type: 'state', pin: game.pin, view: { phase: 'lobby' } });
	const hostBack = await connect(second, game.hostToken);
	expect(hostBack.messages[0]).toMatchObject({
		type: 'state',
		players: [{ nickname: 'Maya', connected: true }]
	});
	// New players can still join the same PIN.
	expect((await joinGame(second, game.pin, 'Theo')).status).toBe(201);
});
