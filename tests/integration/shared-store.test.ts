/**
 * Cluster mode's shared store, on real processes: two Quizroom nodes with REDIS_URL on one real
 * redis-server (started for this file). A quiz and its picture saved through one node are
 * listed and played on the other; the report that game leaves is read on the first. Then Redis
 * goes away: the library answers 503 in words, and a game already running plays on.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tinyPng } from '../../src/lib/testing/test-images.ts';
import { startRedis, type RedisInstance } from '../../scripts/cluster/redis-server.ts';
import { signInAdmin } from '../../scripts/host-session.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

let redis: RedisInstance;
let one: RunningServer;
let two: RunningServer;

beforeAll(async () => {
	redis = await startRedis();
	// Started together: both find an empty store, exactly one seeds the samples.
	[one, two] = await Promise.all([
		startServer({ REDIS_URL: redis.url, NODE_ID: 'one' }),
		startServer({ REDIS_URL: redis.url, NODE_ID: 'two' })
	]);
});

afterAll(async () => {
	await Promise.all([one?.stop(), two?.stop()]);
	await redis?.stop();
});

/**
 * Cluster mode: a game lives on the node that the create step names (`/n/<node>/ws`). Every
 * socket carries node one's sign-in: sessions are in Redis, good on either node.
 */
async function connectTo(socketUrl: string, token: string): Promise<TestClient> {
	const node = socketUrl.startsWith('/n/one/') ? one : two;
	return TestClient.connectTo(node.url.replace(/^http/, 'ws') + socketUrl, token, {
		headers: { cookie: one.admin.cookie }
	});
}

/** A host's GET on this node, signed in (the two nodes' sign-ins are one store's accounts). */
async function getJson<T>(node: RunningServer, path: string): Promise<T> {
	const response = await node.admin.fetch(path);
	expect(response.status, path).toBe(200);
	return (await response.json()) as T;
}

interface QuizRow {
	id: string;
	title: string;
	lastPlayedAt: number | null;
}

test('the samples are seeded once for the cluster, and both nodes list them', async () => {
	const seeded = [one, two].filter((node) => node.output().includes('Added 4 sample quizzes'));
	expect(seeded).toHaveLength(1);
	expect(seeded[0]!.output()).toContain(`Added 4 sample quizzes to Redis at ${redis.url}`);
	const titles = async (node: RunningServer) =>
		(await getJson<QuizRow[]>(node, '/api/quizzes')).map((quiz) => quiz.title).sort();
	expect(await titles(one)).toHaveLength(4);
	expect(await titles(two)).toEqual(await titles(one));
});

test('a quiz saved on one node is played on the other, and its report read on the first', async () => {
	// The editor's steps on node one: a picture, then the quiz that shows it.
	const png = tinyPng();
	const uploaded = await one.admin.fetch('/api/images', {
		method: 'POST',
		headers: { 'content-type': 'image/png' },
		body: png as Uint8Array<ArrayBuffer>
	});
	expect(uploaded.status).toBe(201);
	const { id: imageId } = (await uploaded.json()) as { id: string };
	const saved = await one.admin.fetch('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			title: 'Shared capitals',
			description: 'Saved on node one',
			questions: [
				{
					text: 'Capital of Peru?',
					options: ['Lima', 'Quito'],
					correct: [0],
					timeLimit: 5,
					image: imageId
				}
			]
		})
	});
	expect(saved.status).toBe(201);
	const { id: quizId } = (await saved.json()) as { id: string };

	// Node two lists it, shows its picture, and plays it.
	const listed = await getJson<QuizRow[]>(two, '/api/quizzes?q=shared');
	expect(listed).toEqual([expect.objectContaining({ id: quizId, title: 'Shared capitals' })]);
	const picture = await fetch(`${two.url}/images/${imageId}`);
	expect(picture.status).toBe(200);
	expect(new Uint8Array(await picture.arrayBuffer())).toEqual(png);

	const game = await createGame(two, quizId, { introSeconds: 0 });
	const host = await connectTo(game.socketUrl, game.hostToken);
	const ana = await joinGame(two, game.pin, 'Ana');
	expect(ana.status).toBe(201);
	const phone = await connectTo(ana.body.socketUrl, ana.body.token);
	host.send({ type: 'start' });
	await phone.next('phase', (m) => m.phase === 'open');
	phone.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await host.next('phase', (m) => m.phase === 'reveal');
	host.send({ type: 'next' }); // the scoreboard
	host.send({ type: 'next' }); // the podium
	await host.next('phase', (m) => m.phase === 'podium');

	// The report, written by node two at the podium, is on node one's reports page.
	let list = '';
	for (let tries = 0; tries < 50 && !list.includes('Shared capitals'); tries++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		list = await (await one.admin.fetch('/reports')).text();
	}
	const reportId = /href="\.?\/reports\/([\w-]+)"/.exec(list)?.[1];
	expect(reportId, list).toBeTruthy();
	const csv = await (await one.admin.fetch(`/reports/${reportId}/export/csv`)).text();
	expect(csv).toContain('Ana');
	expect(csv).toContain('Lima');
	const played = await getJson<QuizRow[]>(one, '/api/quizzes?q=shared');
	expect(played[0]!.lastPlayedAt).toEqual(expect.any(Number));
	for (const client of [host, phone]) await client.close();
});

test('with Redis gone, the library answers 503 in words and a running game plays on', async () => {
	const quizzes = await getJson<QuizRow[]>(one, '/api/quizzes');
	const quiz = quizzes.find((q) => q.title === 'Shared capitals')!;
	const game = await createGame(one, quiz.id, { introSeconds: 0 });
	const host = await connectTo(game.socketUrl, game.hostToken);
	const ben = await joinGame(one, game.pin, 'Ben');
	const phone = await connectTo(ben.body.socketUrl, ben.body.token);

	await redis.stop();

	const api = await one.admin.fetch('/api/quizzes');
	expect(api.status).toBe(503);
	expect(api.headers.get('retry-after')).toBe('5');
	expect(await api.json()).toEqual({
		code: 'store-unavailable',
		message: expect.stringMatching(/quiz library is unreachable right now.*try again/)
	});
	const page = await two.admin.fetch('/quizzes');
	expect(page.status).toBe(503);
	expect(await page.text()).toContain('quiz library is unreachable right now');

	// The game lives on its node: it starts, reveals and reaches its podium without Redis.
	host.send({ type: 'start' });
	await phone.next('phase', (m) => m.phase === 'open');
	phone.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await phone.next('phase', (m) => m.phase === 'reveal');
	const { you } = await phone.next('you');
	expect(you).toMatchObject({ score: expect.any(Number), lastResult: { correct: true } });
	expect(you.score).toBeGreaterThan(0);
	host.send({ type: 'next' }); // the scoreboard
	host.send({ type: 'next' }); // the podium
	await host.next('phase', (m) => m.phase === 'podium');
	// Its report waits on its node (either: games are placed cluster-wide), which says so.
	const waits = `the report of game ${game.pin} waits, retrying`;
	for (let tries = 0; tries < 50 && !(one.output() + two.output()).includes(waits); tries++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	expect(one.output() + two.output()).toContain(waits);
	for (const client of [host, phone]) await client.close();

	// Redis comes back (empty: this one keeps no files): the report is saved after all.
	redis = await startRedis({ port: redis.port });
	const saved = `Saved the report of game ${game.pin} after all`;
	for (let tries = 0; tries < 150 && !(one.output() + two.output()).includes(saved); tries++) {
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	expect(one.output() + two.output()).toContain(saved);
	// The empty Redis has no accounts either: the admin is made again, as on a first start.
	const admin = await signInAdmin(one.url, '', { REDIS_URL: redis.url });
	expect(await (await admin.fetch('/reports')).text()).toContain(game.pin);
}, 60_000);

test('a node that cannot reach Redis at startup says so and exits', async () => {
	await redis.stop();
	const nowhere = `redis://127.0.0.1:${redis.port}`;
	await expect(startServer({ REDIS_URL: nowhere })).rejects.toThrow(
		new RegExp(`Server exited with 1:[^]*Cannot reach Redis at ${nowhere}/? \\(REDIS_URL\\)`)
	);
});
