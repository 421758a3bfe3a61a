/**
 * Thousands of random and mutated frames thrown at a live room while an honest game plays
 * through it (property-based, with fast-check): the server stays up, every frame gets its one
 * reply and every bad one an error, and the honest players finish with exactly the scores
 * their answers earned. The per-socket message budget is raised here: this is about what the
 * frames say, not how fast they come (abuse.test.ts covers the budget).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
	parseClientFrame,
	PROTOCOL_VERSION,
	type ServerMessage
} from '../../src/lib/protocol/index.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

const QUESTIONS = 4;
const FUZZ_FRAMES = 3000;
const ANONYMOUS_FRAMES = 1000;
const SEED = 20261123;

let server: RunningServer;
beforeAll(async () => {
	server = await startServer({ MESSAGES_PER_SECOND: '100000' });
});
afterAll(() => server?.stop());

// ---------------------------------------------------------------------------------------------
// Frames: valid ones as templates, mutated every way a client could get them wrong

const TEMPLATES: Record<string, unknown>[] = [
	{ type: 'hello', v: PROTOCOL_VERSION, token: 'x'.repeat(21) },
	{ type: 'clock', id: 1, clientSentAt: 123 },
	{ type: 'answer', questionIndex: 0, choice: 1 },
	{ type: 'answer', questionIndex: 1, choices: [0, 2] },
	{ type: 'answer', questionIndex: 2, text: 'Paris' },
	{ type: 'answer', questionIndex: 3, value: 4.5 },
	{ type: 'answer', questionIndex: 0, order: [3, 1, 0, 2] },
	{ type: 'start' },
	{ type: 'next' },
	{ type: 'end' },
	{ type: 'kick', playerId: 'abcdefghij' },
	{ type: 'lock', locked: true },
	{ type: 'pause', paused: true }
];

const fieldName = fc.oneof(
	fc.constantFrom('type', 'v', 'token', 'id', 'questionIndex', 'choice', 'choices', 'text'),
	fc.constantFrom('value', 'order', 'playerId', 'locked', 'paused', '__proto__', 'constructor'),
	fc.string({ maxLength: 12 })
);

const mutated = fc
	.tuple(
		fc.constantFrom(...TEMPLATES),
		fc.array(
			fc.tuple(fc.constantFrom('set', 'drop', 'retype'), fieldName, fc.anything({ maxDepth: 2 })),
			{ minLength: 1, maxLength: 3 }
		)
	)
	.map(([template, changes]) => {
		const frame: Record<string, unknown> = { ...template };
		for (const [change, field, value] of changes) {
			if (change === 'drop') delete frame[field];
			else if (change === 'retype') frame.type = value;
			else frame[field] = value;
		}
		return JSON.stringify(frame) ?? 'undefined';
	});

const frameText = fc.oneof(
	{ arbitrary: mutated, weight: 6 },
	{ arbitrary: fc.json({ maxDepth: 3 }), weight: 2 },
	{ arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 1 },
	{
		arbitrary: fc.constantFrom('', '{', 'null', '[]', '"start"', '{"type":null}', '1e999'),
		weight: 1
	}
);

/** Within the 4 KiB frame limit: oversized frames close the socket, tested on their own. */
function sampleFrames(count: number, seed: number): string[] {
	return fc
		.sample(frameText, { numRuns: count * 2, seed })
		.filter((text) => Buffer.byteLength(text) < 4000)
		.slice(0, count);
}

/** A server message that answers a frame (rather than one that comes on the game's clock). */
const isReply = (m: ServerMessage) =>
	m.type === 'error' || m.type === 'clock' || m.type === 'answer-ack';

// ---------------------------------------------------------------------------------------------
// The honest game

const QUIZ = {
	title: 'Fuzz target',
	description: 'Four questions; the right answer moves along',
	questions: Array.from({ length: QUESTIONS }, (_, i) => ({
		type: 'quiz',
		text: `Question ${i + 1}: which is option ${(i % 4) + 1}?`,
		options: ['One', 'Two', 'Three', 'Four'],
		correct: [i % 4],
		// Short: the question closes on its own when Mallory does not answer (a host `next` could
		// cross an early close, when Mallory happens to answer, and skip a question).
		timeLimit: 10,
		points: 'standard'
	}))
};

/** Who answers what: Ana always right, Ben on even questions, Cleo never. */
const HONEST: Record<string, (question: number) => number> = {
	Ana: (q) => q % 4,
	Ben: (q) => (q % 2 === 0 ? q % 4 : (q + 1) % 4),
	Cleo: (q) => (q + 1) % 4
};
/** No speed scoring, no streak bonus: a right answer is worth exactly 1,000. */
const EXPECTED_SCORES = { Ana: 4000, Ben: 2000, Cleo: 0 };

async function playHonestGame(
	host: TestClient,
	players: Record<string, TestClient>
): Promise<Extract<ServerMessage, { type: 'phase' }>> {
	host.send({ type: 'start' });
	for (let q = 0; q < QUESTIONS; q++) {
		await Promise.all(
			Object.entries(players).map(async ([name, client]) => {
				await client.next('phase', (m) => m.phase === 'open' && m.question.index === q, 20_000);
				client.send({ type: 'answer', questionIndex: q, choice: HONEST[name]!(q) });
				await client.next('answer-ack', (m) => m.questionIndex === q, 20_000);
			})
		);
		await host.next('phase', (m) => m.phase === 'reveal' && m.question.index === q, 20_000);
		host.send({ type: 'next' });
		await host.next('phase', (m) => m.phase === 'scoreboard', 20_000);
		host.send({ type: 'next' });
	}
	return host.next('phase', (m) => m.phase === 'podium', 20_000);
}

// ---------------------------------------------------------------------------------------------
// The attackers

interface FuzzReport {
	sent: number;
	replies: ServerMessage[];
	/** Frames the schema refuses, paired with what the server said to each. */
	badFrames: { frame: string; reply: ServerMessage | undefined }[];
}

/**
 * A player with a real seat sends every frame, in batches, waiting for the replies to catch up
 * before the next batch; a seated socket answers every frame with exactly one message.
 */
async function fuzzAsPlayer(client: TestClient, frames: string[]): Promise<FuzzReport> {
	const replies = () => client.messages.filter(isReply);
	const start = replies().length;
	const BATCH = 50;
	for (let i = 0; i < frames.length; i += BATCH) {
		for (const frame of frames.slice(i, i + BATCH)) client.sendRaw(frame);
		const want = start + Math.min(frames.length, i + BATCH);
		await until(() => replies().length >= want || client.closeCode !== null);
		if (client.closeCode !== null) throw new Error(`Fuzzed socket closed: ${client.closeCode}`);
	}
	const mine = replies().slice(start);
	const badFrames = frames
		.map((frame, i) => ({ frame, reply: mine[i] }))
		.filter(({ frame }) => !parseClientFrame(frame).ok);
	return { sent: frames.length, replies: mine, badFrames };
}

/**
 * Sockets with no seat: each frame must get an error (a hello with a made-up token closes the
 * socket, and the attacker opens another).
 */
async function fuzzAnonymously(frames: string[]): Promise<{ answered: number; sent: number }> {
	let answered = 0;
	let client = await TestClient.connect(server);
	for (const frame of frames) {
		const before = client.messages.length;
		client.sendRaw(frame);
		await until(() => client.messages.length > before || client.closeCode !== null);
		const reply = client.messages[before];
		// A clock probe is answered before hello; everything else is refused.
		if (reply?.type === 'error' || reply?.type === 'clock') answered++;
		if (client.closeCode !== null || (reply?.type === 'error' && reply.code === 'bad-token')) {
			await client.close();
			client = await TestClient.connect(server);
		}
	}
	await client.close();
	return { answered, sent: frames.length };
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('Timed out waiting for the server');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

// ---------------------------------------------------------------------------------------------

test('a fuzzed room plays an honest game to the right podium', { timeout: 180_000 }, async () => {
	const created = await server.admin.fetch('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(QUIZ)
	});
	expect(created.status).toBe(201);
	const { id: quizId } = (await created.json()) as { id: string };
	const game = await createGame(server, quizId, {
		introSeconds: 0,
		speedScoring: false,
		streakBonus: false
	});
	const host = await TestClient.connect(server, game.hostToken);
	const players: Record<string, TestClient> = {};
	for (const name of Object.keys(HONEST)) {
		const seat = await joinGame(server, game.pin, name);
		players[name] = await TestClient.connect(server, seat.body.token);
	}
	const mallorySeat = await joinGame(server, game.pin, 'Mallory');
	const mallory = await TestClient.connect(server, mallorySeat.body.token);

	const [podium, fuzzed, anonymous] = await Promise.all([
		playHonestGame(host, players),
		fuzzAsPlayer(mallory, sampleFrames(FUZZ_FRAMES, SEED)),
		fuzzAnonymously(sampleFrames(ANONYMOUS_FRAMES, SEED + 1))
	]);

	// Every frame got its one reply; every bad one an error, and none hit a server bug.
	expect(fuzzed.replies).toHaveLength(fuzzed.sent);
	expect(fuzzed.badFrames.length).toBeGreaterThan(FUZZ_FRAMES / 2);
	for (const { frame, reply } of fuzzed.badFrames) {
		expect(reply, `reply to ${frame}`).toMatchObject({ type: 'error' });
	}
	expect(fuzzed.replies.filter((m) => m.type === 'error' && m.code === 'internal')).toEqual([]);
	expect(anonymous.answered).toBe(anonymous.sent);

	// The honest game: to the podium, with exactly the scores earned.
	if (podium.phase !== 'podium') throw new Error('no podium');
	const scores = Object.fromEntries(podium.standings.map((s) => [s.nickname, s.score]));
	expect(scores).toMatchObject(EXPECTED_SCORES);

	// And the server is still up for everyone else.
	expect((await fetch(`${server.url}/`)).status).toBe(200);
	for (const client of [host, mallory, ...Object.values(players)]) await client.close();
});

test('an oversized frame closes only that socket', async () => {
	const game = await createGame(server);
	const seat = await joinGame(server, game.pin, 'Big Mouth');
	const client = await TestClient.connect(server, seat.body.token);
	client.sendRaw(JSON.stringify({ type: 'answer', questionIndex: 0, text: 'x'.repeat(5000) }));
	expect(await client.closed()).toBe(1009);
	const again = await TestClient.connect(server, seat.body.token);
	expect(again.messages[0]).toMatchObject({ type: 'state', pin: game.pin });
	await again.close();
});
