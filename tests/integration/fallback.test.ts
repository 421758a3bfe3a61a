/**
 * The HTTP fallback against the real server: a stream cut mid-question resumes with
 * `Last-Event-ID` and misses nothing (checked against a phone whose stream was not cut), the
 * headers that keep proxies from holding events back, and the WebSocket's limits holding here
 * too: origins, the per-address cap shared with sockets, the frame size, the message budget,
 * kicks, and a POST sent twice played once.
 */
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { CloseCode, type ServerMessage } from '../../src/lib/protocol/index.ts';
import { FallbackClient } from './fallback-client.ts';
import { joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer({ ALLOWED_ORIGINS: 'https://quiz.example.org' });
});
afterAll(() => server?.stop());

/** Two questions of three options (the second is right), long enough not to close by themselves. */
async function newGame(): Promise<{ pin: string; host: TestClient }> {
	const quiz = await server.admin.fetch('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			title: 'Fallback test',
			questions: [
				{
					type: 'quiz',
					text: 'Two plus two?',
					options: ['3', '4', '5'],
					correct: [1],
					timeLimit: 30
				},
				{
					type: 'quiz',
					text: 'Three plus three?',
					options: ['5', '6', '7'],
					correct: [1],
					timeLimit: 30
				}
			]
		})
	});
	const { id } = (await quiz.json()) as { id: string };
	const created = await server.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId: id, options: { introSeconds: 0, speedScoring: false } })
	});
	const game = (await created.json()) as { pin: string; hostToken: string };
	const host = await TestClient.connect(server, game.hostToken);
	onTestFinished(() => host.close());
	return { pin: game.pin, host };
}

async function fallbackPlayer(pin: string, nickname: string): Promise<FallbackClient> {
	const seat = await joinGame(server, pin, nickname);
	const client = await FallbackClient.open(server, seat.body.token);
	onTestFinished(() => client.close());
	return client;
}

/** Messages every phone gets alike (not their own results, nor superseded counts and pings). */
const shared = (messages: ServerMessage[]) =>
	messages.filter((m) => ['phase', 'player-joined', 'player-left', 'locked'].includes(m.type));

describe('a cut stream', () => {
	test('resumes with Last-Event-ID and gets every event it missed, once, in order', async () => {
		const { pin, host } = await newGame();
		const uncut = await fallbackPlayer(pin, 'Ana');
		const cut = await fallbackPlayer(pin, 'Ben');
		host.send({ type: 'start' });
		await uncut.next('phase', (m) => m.phase === 'open');
		await cut.next('phase', (m) => m.phase === 'open');

		// Mid-question, Ben's stream is cut; his answer still goes out (POSTs need no stream).
		cut.cut();
		const resumeFrom = cut.lastEventId!;
		cut.send({ type: 'answer', questionIndex: 0, choice: 1 });
		uncut.send({ type: 'answer', questionIndex: 0, choice: 0 });
		// Both answered: the question closes, the reveal and the results go out meanwhile.
		await uncut.next('you', (m) => m.you.lastResult?.questionIndex === 0);
		host.send({ type: 'next' });
		await uncut.next('phase', (m) => m.phase === 'scoreboard');
		expect(cut.ofType('answer-ack')).toEqual([]);

		expect(await cut.listen()).toBe(200);
		const ack = await cut.next('answer-ack');
		expect(ack).toMatchObject({ questionIndex: 0, choice: 1 });
		const result = await cut.next('you', (m) => m.you.lastResult?.questionIndex === 0);
		expect(result.you).toMatchObject({ score: 1000, lastResult: { correct: true } });
		await cut.next('phase', (m) => m.phase === 'scoreboard');

		// Nothing lost, nothing twice: ids run on without a gap, and no snapshot was needed.
		const ids = cut.events.map((e) => e.id).filter((id): id is number => id !== null);
		expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
		expect(ids.filter((id) => id > resumeFrom).length).toBeGreaterThanOrEqual(4);
		expect(cut.ofType('state')).toHaveLength(1);
		// The same game as the phone that was never cut.
		expect(shared(cut.messages)).toEqual(shared(uncut.messages));
		// And the rest of the game goes on as usual over the resumed stream.
		host.send({ type: 'next' });
		await cut.next('phase', (m) => m.phase === 'open' && m.question.index === 1);
	});

	test('comes with headers that keep proxies from buffering, caching or compressing it', async () => {
		const { pin } = await newGame();
		const client = await fallbackPlayer(pin, 'Cleo');
		const headers = client.streamHeaders!;
		expect(headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(headers.get('cache-control')).toBe('no-cache, no-transform');
		expect(headers.get('x-accel-buffering')).toBe('no');
		expect(headers.get('content-encoding')).toBeNull();
		// The round trip is measured here too: the server pings, the client answers.
		await client.next('ping');
	});

	test('a session that is gone answers 404, and the client starts over with hello', async () => {
		const response = await fetch(`${server.url}/ws/events`, {
			headers: { 'x-quizroom-session': 'AAAAAAAAAAAAAAAAAAAAAAAA' }
		});
		expect(response.status).toBe(404);
		expect(await response.json()).toMatchObject({ code: 'unknown-session' });
		const bad = await fetch(`${server.url}/ws/events`, {
			headers: { 'x-quizroom-session': 'AAAAAAAAAAAAAAAAAAAAAAAA', 'last-event-id': 'soon' }
		});
		expect(bad.status).toBe(400);
	});
});

describe('the WebSocket limits hold on the fallback', () => {
	test("another site's page is refused on every endpoint; ours and ALLOWED_ORIGINS are not", async () => {
		for (const [method, path] of [
			['POST', '/ws/sessions'],
			['GET', '/ws/events'],
			['POST', '/ws/messages'],
			['DELETE', '/ws/sessions']
		] as const) {
			const response = await fetch(`${server.url}${path}`, {
				method,
				headers: { origin: 'http://evil.example' }
			});
			expect(response.status, `${method} ${path}`).toBe(403);
			expect(await response.json()).toMatchObject({ code: 'bad-origin' });
		}
		await (await FallbackClient.open(server, undefined, { origin: server.url })).close();
		const allowed = await FallbackClient.open(server, undefined, {
			origin: 'https://quiz.example.org'
		});
		expect(allowed.streamHeaders!.get('access-control-allow-origin')).toBe(
			'https://quiz.example.org'
		);
		await allowed.close();
	});

	test('a frame over 4 KiB closes the session (1009); the seat opens again', async () => {
		const { pin } = await newGame();
		const seat = await joinGame(server, pin, 'Big Mouth');
		const client = await FallbackClient.open(server, seat.body.token);
		const response = await client.sendRaw(
			JSON.stringify({ type: 'answer', questionIndex: 0, text: 'x'.repeat(5000) })
		);
		expect(response.status).toBe(413);
		expect(await client.closed()).toBe(1009);
		const again = await FallbackClient.open(server, seat.body.token);
		expect(again.messages[0]).toMatchObject({ type: 'state', pin });
		// A body over the request cap is refused before it is read whole, with the same end.
		expect((await again.sendRaw(' '.repeat(20_000))).status).toBe(413);
		expect(await again.closed()).toBe(1009);
	});

	test('frames past the budget are "rate-limited", then the session is cut', async () => {
		const flooder = await FallbackClient.open(server);
		const frames = Array.from({ length: 120 }, (_, i) =>
			JSON.stringify({ type: 'clock', id: i, clientSentAt: 0 })
		);
		// Four POSTs of thirty frames: each frame counts, however they are packed.
		for (let i = 0; i < frames.length; i += 30) {
			await flooder.post(frames.slice(i, i + 30).join('\n'));
		}
		expect(await flooder.closed()).toBe(CloseCode.policy);
		const replies = flooder.ofType('clock').length;
		expect(replies).toBeGreaterThanOrEqual(30);
		expect(replies).toBeLessThan(40);
		expect(flooder.ofType('error').at(-1)).toMatchObject({
			code: 'rate-limited',
			message: 'Too many messages: disconnected'
		});
	});

	test('a POST sent again (same number) is played once', async () => {
		const client = await FallbackClient.open(server);
		onTestFinished(() => client.close());
		const frame = JSON.stringify({ type: 'clock', id: 42, clientSentAt: 1 });
		expect((await client.post(frame, 1)).status).toBe(204);
		expect((await client.post(frame, 1)).status).toBe(204);
		expect(
			(await client.post(JSON.stringify({ type: 'clock', id: 43, clientSentAt: 1 }), 2)).status
		).toBe(204);
		await client.next('clock', (m) => m.id === 43);
		expect(client.ofType('clock').map((m) => m.id)).toEqual([42, 43]);
	});

	test('a kicked player is told, and the session closes with 4001', async () => {
		const { pin, host } = await newGame();
		const client = await fallbackPlayer(pin, 'Mallory');
		const joined = await host.next('player-joined', (m) => m.player.nickname === 'Mallory');
		host.send({ type: 'kick', playerId: joined.player.id });
		expect(await client.closed()).toBe(CloseCode.kicked);
		expect(client.ofType('closed')).toEqual([expect.objectContaining({ reason: 'kicked' })]);
	});

	test('sessions and sockets share the per-address cap; a closed session frees a place', async () => {
		const capped = await startServer({ MAX_CONNECTIONS_PER_IP: '2' });
		onTestFinished(() => capped.stop());
		const socket = await TestClient.connect(capped);
		const session = await FallbackClient.open(capped);
		const refused = await fetch(`${capped.url}/ws/sessions`, { method: 'POST' });
		expect(refused.status).toBe(429);
		expect(await refused.json()).toMatchObject({ code: 'too-many-connections' });
		const third = await TestClient.connect(capped);
		expect(await third.closed()).toBe(CloseCode.policy);
		await session.close();
		const again = await FallbackClient.open(capped);
		await again.close();
		await socket.close();
	});
});
