/**
 * Cluster mode end to end: PostgreSQL (the run's), a real redis-server, three real nodes and
 * the proxy in front of them (`npm run cluster` starts the same thing). Games are placed across
 * nodes with PINs unique cluster-wide; players join through any node; a node killed mid-game hands its game to
 * another, and the game finishes there with every score.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type {
	CreateGameResponse,
	JoinResponse,
	LocateResponse
} from '../../src/lib/protocol/index.ts';
import { startCluster, type LocalCluster } from '../../scripts/cluster/local-cluster.ts';
import { createDatabase } from '../../scripts/postgres-server.ts';
import { HostSession } from '../../scripts/host-session.ts';
import { connectRedis } from '../../src/lib/server/storage/redis-client.ts';
import { TestClient } from './harness.ts';
import { playOnToPodium, survivalQuiz } from './podium.ts';

/** Well under the wait an acknowledgement allows Redis (COPY_WAIT_MS, 1 s). */
const REDIS_PAUSE_MS = 400;

let cluster: LocalCluster;
/** Signed in once, through the proxy: the cookie is good on every node (accounts are in PostgreSQL). */
let admin: HostSession;
const clients: TestClient[] = [];

beforeAll(async () => {
	cluster = await startCluster({
		nodes: 3,
		databaseUrl: await createDatabase(inject('postgresUrl')),
		port: 0,
		dataDir: mkdtempSync(join(tmpdir(), 'quizroom-cluster-')),
		// A dead node is noticed within 2 s instead of 10.
		env: { NODE_TTL_MS: '2000', LOG_LEVEL: 'error' }
	});
	admin = await cluster.signInAdmin();
});

afterAll(async () => {
	for (const client of clients) await client.close().catch(() => {});
	await cluster?.stop();
});

/** A player's POST (joining, asking where a game went): nobody signs in for those. */
async function post<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as T };
}

/** The host's POST, through the proxy or straight to a node (`via`), with the one sign-in. */
async function postAsHost<T>(
	path: string,
	body: unknown,
	via = cluster.url
): Promise<{ status: number; body: T }> {
	const response = await new HostSession(via, admin.cookie).fetch(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as T };
}

function nodeOf(socketUrl: string): string {
	return /\/n\/([^/]+)\/ws$/.exec(socketUrl)![1]!;
}

/**
 * Through the proxy, as a browser on the LAN would, with the host's sign-in (a host seat needs
 * it on whichever node the game lives; a player's seat does not look).
 */
async function connect(socketUrl: string, token: string): Promise<TestClient> {
	const client = await TestClient.connectTo(cluster.url.replace(/^http/, 'ws') + socketUrl, token, {
		headers: { cookie: admin.cookie }
	});
	clients.push(client);
	return client;
}

/** The quiz the podium check plays on (podium.ts). */
async function createQuiz(): Promise<string> {
	const saved = await postAsHost<{ id: string }>('/api/quizzes', survivalQuiz('Cluster test'));
	expect(saved.status).toBe(201);
	return saved.body.id;
}

async function createGame(quizId: string, via = cluster.url): Promise<CreateGameResponse> {
	const body = { quizId, options: { introSeconds: 0 } };
	const created = await postAsHost<CreateGameResponse>('/api/games', body, via);
	expect(created.status).toBe(201);
	return created.body;
}

test('PINs are unique across nodes under concurrent creates, and games spread over the nodes', async () => {
	const quizId = await createQuiz();
	// Every node answers creates at once (the proxy takes turns), all racing for PINs.
	const games = await Promise.all(
		Array.from({ length: 30 }, (_, i) => {
			const node = cluster.nodes[i % cluster.nodes.length]!;
			return createGame(quizId, `http://127.0.0.1:${node.port}`);
		})
	);
	expect(new Set(games.map((game) => game.pin)).size).toBe(30);
	const perNode = new Map<string, number>();
	for (const game of games) {
		const node = nodeOf(game.socketUrl);
		perNode.set(node, (perNode.get(node) ?? 0) + 1);
	}
	expect([...perNode.keys()].sort()).toEqual(['n1', 'n2', 'n3']);
	// Each PIN opens a lobby on the node it names, and nowhere else is it a different game.
	const sample = games[0]!;
	const host = await connect(sample.socketUrl, sample.hostToken);
	const state = host.messages[0]!;
	expect(state.type === 'state' && state.pin).toBe(sample.pin);
});

test('players who joined through different nodes play one game', async () => {
	const quizId = await createQuiz();
	const game = await createGame(quizId);
	const host = await connect(game.socketUrl, game.hostToken);
	const seats: JoinResponse[] = [];
	for (const [i, nickname] of ['Ana', 'Ben', 'Cy'].entries()) {
		const node = cluster.nodes[i]!;
		const joined = await post<JoinResponse>(
			`http://127.0.0.1:${node.port}/api/games/${game.pin}/players`,
			{ nickname }
		);
		expect(joined.status).toBe(201);
		// Whichever node answered, the phone is sent to the game's own node.
		expect(joined.body.socketUrl).toBe(game.socketUrl);
		seats.push(joined.body);
	}
	// A taken nickname is refused whichever node is asked.
	const again = await post<{ code: string }>(
		`http://127.0.0.1:${cluster.nodes[2]!.port}/api/games/${game.pin}/players`,
		{ nickname: 'ana' }
	);
	expect(again).toMatchObject({ status: 409, body: { code: 'nickname-taken' } });

	const players = await Promise.all(seats.map((seat) => connect(seat.socketUrl, seat.token)));
	// The host (on the game's node) saw every one of them arrive, whichever node they came through.
	const joined = [];
	for (let i = 0; i < 3; i++) joined.push((await host.next('player-joined')).player.nickname);
	expect(joined.sort()).toEqual(['Ana', 'Ben', 'Cy']);
	host.send({ type: 'start' });
	await host.next('phase', (m) => m.phase === 'open');
	players.forEach((player, i) => player.send({ type: 'answer', questionIndex: 0, choice: i }));
	const reveal = await host.next('phase', (m) => m.phase === 'reveal');
	if (reveal.phase !== 'reveal') throw new Error('no reveal');
	expect(reveal.distribution).toEqual([1, 1, 1]);
	const ben = (await players[1]!.next('you')).you;
	expect(ben.lastResult).toMatchObject({ correct: true });
	expect(ben.score).toBeGreaterThan(0);
});

test('a node killed mid-question: another node takes the game over and it finishes with every score', async () => {
	const quizId = await createQuiz();
	const game = await createGame(quizId);
	const owner = nodeOf(game.socketUrl);
	const seats: JoinResponse[] = [];
	for (const nickname of ['Ana', 'Ben', 'Cy']) {
		seats.push(
			(await post<JoinResponse>(`${cluster.url}/api/games/${game.pin}/players`, { nickname })).body
		);
	}
	const host = await connect(game.socketUrl, game.hostToken);
	const players = await Promise.all(seats.map((seat) => connect(seat.socketUrl, seat.token)));
	host.send({ type: 'start' });
	await host.next('phase', (m) => m.phase === 'open');
	// Ana right and Ben wrong, both acknowledged; the node dies the moment the acks are in.
	// Redis is made slow to write first: an acknowledgement must wait for the Redis copy, or
	// the node taking over would never hear of an answer the phone was told had counted.
	const redis = await connectRedis(cluster.redisUrl, { name: 'quizroom-test' });
	const pausedAt = Date.now();
	await redis.sendCommand(['CLIENT', 'PAUSE', String(REDIS_PAUSE_MS), 'WRITE']);
	await redis.close();
	players[0]!.send({ type: 'answer', questionIndex: 0, choice: 1 });
	players[1]!.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await players[0]!.next('answer-ack');
	await players[1]!.next('answer-ack');
	expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(REDIS_PAUSE_MS - 50);
	await cluster.kill(owner);

	// Phones ask any node where their game is now, as the browser does after failed reconnects.
	let moved: LocateResponse | null = null;
	const deadline = Date.now() + 20_000;
	while (!moved && Date.now() < deadline) {
		const asked = await post<LocateResponse>(`${cluster.url}/api/seats/locate`, {
			token: seats[0]!.token
		});
		if (asked.status === 200 && nodeOf(asked.body.socketUrl) !== owner) moved = asked.body;
		else await new Promise((done) => setTimeout(done, 250));
	}
	if (!moved) throw new Error('The game was not taken over');
	expect(moved.pin).toBe(game.pin);

	const host2 = await connect(moved.socketUrl, game.hostToken);
	const hostState = host2.messages[0]!;
	if (hostState.type !== 'state' || hostState.view.phase !== 'open') {
		throw new Error(`Expected the open question, got ${JSON.stringify(hostState)}`);
	}
	expect(hostState.answeredCount).toBe(2);
	const [ana, ben, cy] = await Promise.all(
		seats.map((seat) => connect(moved!.socketUrl, seat.token))
	);
	cy!.send({ type: 'answer', questionIndex: 0, choice: 1 });
	await cy!.next('answer-ack');
	const reveal = await host2.next('phase', (m) => m.phase === 'reveal');
	if (reveal.phase !== 'reveal') throw new Error('no reveal');
	expect(reveal.distribution).toEqual([1, 2, 0]);
	const anaFirst = (await ana!.next('you')).you;
	expect(anaFirst.lastResult).toMatchObject({ correct: true });
	expect(anaFirst.score).toBeGreaterThan(900);
	expect((await ben!.next('you')).you.lastResult).toMatchObject({ correct: false, points: 0 });

	await playOnToPodium(host2, [ana!, ben!, cy!], anaFirst.score);
	// The sockets to the dead node were cut, not fed garbage by the proxy.
	expect(clients.map((client) => client.error?.message ?? null)).toEqual(clients.map(() => null));

	// The report, in the shared store, is readable through any node.
	const reports = await (await admin.fetch('/reports')).text();
	expect(reports).toContain('Cluster test');
});
