/**
 * Cluster mode's shared stores, on real processes: two Quizroom nodes with DATABASE_URL and
 * REDIS_URL on a real PostgreSQL and a real redis-server (both started for this file). A quiz
 * and its picture saved through one node are listed and played on the other; the report that
 * game leaves is read on the first. Then each store goes away in turn: without PostgreSQL the
 * library answers 503 in words while a running game plays on and its report lands when the
 * database returns; without Redis the record still answers and a running game plays on.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tinyPng } from '../../src/lib/testing/test-images.ts';
import { startRedis, type RedisInstance } from '../../scripts/cluster/redis-server.ts';
import { startPostgres, type PostgresInstance } from '../../scripts/postgres-server.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

let redis: RedisInstance;
// Its own server, not the run's shared one: this file stops it.
let postgres: PostgresInstance;
let databaseUrl: string;
let one: RunningServer;
let two: RunningServer;

beforeAll(async () => {
	[redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
	databaseUrl = await postgres.newDatabase('quizroom');
	const stores = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl };
	// Started together: both find an empty record, exactly one migrates and seeds the samples.
	[one, two] = await Promise.all([
		startServer({ ...stores, NODE_ID: 'one' }),
		startServer({ ...stores, NODE_ID: 'two' })
	]);
}, 60_000);

afterAll(async () => {
	await Promise.all([one?.stop(), two?.stop()]);
	await Promise.all([redis?.stop(), postgres?.stop()]);
});

/**
 * Cluster mode: a game lives on the node that the create step names (`/n/<node>/ws`). Every
 * socket carries node one's sign-in: sessions are in PostgreSQL, good on either node.
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
	expect(seeded[0]!.output()).toMatch(
		/Added 4 sample quizzes to PostgreSQL at postgres:\/\/\S+\/quizroom/
	);
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

/** A game of "Shared capitals" on node one, its host and Ben's phone connected, not started. */
async function gameWithBen() {
	const quizzes = await getJson<QuizRow[]>(one, '/api/quizzes?q=shared');
	const game = await createGame(one, quizzes[0]!.id, { introSeconds: 0 });
	const host = await connectTo(game.socketUrl, game.hostToken);
	const ben = await joinGame(one, game.pin, 'Ben');
	expect(ben.status).toBe(201);
	const phone = await connectTo(ben.body.socketUrl, ben.body.token);
	return { game, host, phone };
}

/** The one question answered right, then on to the podium; Ben's score as his phone shows it. */
async function playToPodium(host: TestClient, phone: TestClient): Promise<number> {
	host.send({ type: 'start' });
	await phone.next('phase', (m) => m.phase === 'open');
	phone.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await phone.next('phase', (m) => m.phase === 'reveal');
	const { you } = await phone.next('you');
	expect(you).toMatchObject({ lastResult: { correct: true } });
	host.send({ type: 'next' }); // the scoreboard
	host.send({ type: 'next' }); // the podium
	await host.next('phase', (m) => m.phase === 'podium');
	return you.score;
}

/** Waits (generously: a report's retries back off) until node one's reports page lists `pin`. */
async function reportListed(pin: string, timeoutMs = 45_000): Promise<string> {
	const until = Date.now() + timeoutMs;
	let page = '';
	while (Date.now() < until) {
		const response = await one.admin.fetch('/reports');
		page = response.status === 200 ? await response.text() : '';
		if (page.includes(pin)) return page;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return page;
}

test('with PostgreSQL gone, the library answers 503 in words, a running game plays on, and its report lands when the database returns', async () => {
	const { game, host, phone } = await gameWithBen();

	await postgres.pause();

	const api = await one.admin.fetch('/api/quizzes');
	expect(api.status).toBe(503);
	expect(api.headers.get('retry-after')).toBe('5');
	expect(await api.json()).toEqual({
		code: 'store-unavailable',
		message: expect.stringMatching(/unreachable right now.*try again/)
	});
	const page = await two.admin.fetch('/quizzes');
	expect(page.status).toBe(503);
	expect(await page.text()).toContain('unreachable right now');

	// The game lives on its node: it starts, reveals and reaches its podium without the database.
	expect(await playToPodium(host, phone)).toBeGreaterThan(0);
	for (const client of [host, phone]) await client.close();

	// The database comes back with everything it had: the waiting report is saved after all.
	await postgres.resume();
	const reports = await reportListed(game.pin);
	expect(reports).toContain(game.pin);
	expect(reports).toContain('Shared capitals');
}, 90_000);

test('with Redis gone, the record still answers and a running game plays on to its report', async () => {
	const { game, host, phone } = await gameWithBen();

	await redis.stop();

	// Quizzes, pictures, sessions and reports are PostgreSQL's: both nodes still answer.
	const listed = await getJson<QuizRow[]>(two, '/api/quizzes?q=shared');
	expect(listed.map((quiz) => quiz.title)).toEqual(['Shared capitals']);
	expect(await playToPodium(host, phone)).toBeGreaterThan(0);
	for (const client of [host, phone]) await client.close();
	expect(await reportListed(game.pin)).toContain(game.pin);

	redis = await startRedis({ port: redis.port });
}, 90_000);

test('a node that cannot reach PostgreSQL or Redis at startup says which and exits', async () => {
	await postgres.pause();
	const noDatabase = databaseUrl.replace('quizroom:quizroom@', 'quizroom:secret@');
	await expect(startServer({ DATABASE_URL: noDatabase, REDIS_URL: redis.url })).rejects.toThrow(
		/Server exited with 1:[^]*Cannot reach PostgreSQL at postgres:\/\/quizroom:\*\*\*@127\.0\.0\.1:\d+\/quizroom \(DATABASE_URL\)/
	);
	await postgres.resume();

	await redis.stop();
	const noRedis = `redis://127.0.0.1:${redis.port}`;
	await expect(startServer({ DATABASE_URL: databaseUrl, REDIS_URL: noRedis })).rejects.toThrow(
		new RegExp(`Server exited with 1:[^]*Cannot reach Redis at ${noRedis}/? \\(REDIS_URL\\)`)
	);
}, 60_000);

test('a cluster node without DATABASE_URL is refused with what to do', async () => {
	// Before PostgreSQL a cluster kept its record in Redis: REDIS_URL alone was enough.
	await expect(startServer({ REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(
		/Server exited with 1:[^]*Cluster mode \(REDIS_URL\) needs DATABASE_URL too[^]*npm run migrate -- --from redis:\/\//
	);
});
