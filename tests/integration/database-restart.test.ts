/**
 * A single node with its record in PostgreSQL (DATABASE_URL), on a PostgreSQL of this file's
 * own that it stops and starts: a game plays on to its podium with the database gone, its
 * report waits on the node (the host is told) and lands when the database is back, even across
 * a restart of the node in between; the editor's saves are refused in words while the database
 * is away, and refused as `changed-elsewhere` when someone saved the quiz since.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { startPostgres, type PostgresInstance } from '../../scripts/postgres-server.ts';
import type { QuizChangedResponse, SavedQuizResponse } from '../../src/lib/protocol/quiz-check.ts';
import { DATABASE_FILE } from '../../src/lib/server/storage/sqlite.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

// Its own server, not the run's shared one: this file stops it.
let postgres: PostgresInstance;
const servers: RunningServer[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
	postgres = await startPostgres();
}, 60_000);

afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.close()));
	// A test that failed half-way leaves the database stopped: the next one needs it.
	await postgres.resume();
});

afterAll(async () => {
	await Promise.all(servers.map((server) => server.stop()));
	await postgres?.stop();
});

/**
 * A node on a fresh database of its own. A report is retried 250 ms after its first failure
 * (doubling), not 5 s: the tests wait for the database, not for the back-off.
 */
async function start(databaseUrl: string, dataDir?: string): Promise<RunningServer> {
	const server = await startServer({
		DATABASE_URL: databaseUrl,
		REPORT_RETRY_MS: '250',
		...(dataDir ? { DATA_DIR: dataDir } : {})
	});
	servers.push(server);
	return server;
}

const QUIZ = {
	title: 'Outage quiz',
	questions: [
		{ type: 'quiz', text: 'Two plus two?', options: ['3', '4', '5'], correct: [1], timeLimit: 30 },
		{ type: 'true-false', text: 'The sky is green.', answer: false, timeLimit: 30 }
	]
};

async function saveQuiz(
	server: RunningServer,
	body: object,
	id?: string
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await server.admin.fetch(id ? `/api/quizzes/${id}` : '/api/quizzes', {
		method: id ? 'PUT' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A game of the outage quiz, its host and three phones connected, in the lobby. */
async function gameOfThree(server: RunningServer) {
	const created = await saveQuiz(server, QUIZ);
	expect(created.status).toBe(201);
	const game = await createGame(server, (created.body as unknown as SavedQuizResponse).id, {
		introSeconds: 0
	});
	const host = await TestClient.connect(server, game.hostToken);
	clients.push(host);
	const phones: TestClient[] = [];
	for (const nickname of ['Ana', 'Ben', 'Cy']) {
		const joined = await joinGame(server, game.pin, nickname);
		expect(joined.status).toBe(201);
		// A phone carries no host's sign-in: its socket asks nothing of the database.
		const phone = await TestClient.connect(server, joined.body.token, { headers: {} });
		phones.push(phone);
		clients.push(phone);
	}
	return { game, host, phones };
}

/**
 * One question: every phone answers (`choices`, in phone order) and has it acknowledged, and
 * the reveal and every phone's result follow; then the scoreboard.
 */
async function playQuestion(
	host: TestClient,
	phones: TestClient[],
	questionIndex: number,
	choices: number[]
): Promise<void> {
	await Promise.all(
		phones.map((phone) =>
			phone.next('phase', (m) => m.phase === 'open' && m.question.index === questionIndex)
		)
	);
	phones.forEach((phone, i) => phone.send({ type: 'answer', questionIndex, choice: choices[i]! }));
	await Promise.all(
		phones.map((phone) => phone.next('answer-ack', (m) => m.questionIndex === questionIndex))
	);
	await host.next('phase', (m) => m.phase === 'reveal' && m.question.index === questionIndex);
	await Promise.all(
		phones.map((phone) =>
			phone.next('you', (m) => m.you.lastResult?.questionIndex === questionIndex)
		)
	);
	host.send({ type: 'next' });
	const scoreboard = await host.next('phase', (m) => m.phase === 'scoreboard');
	if (scoreboard.phase !== 'scoreboard') throw new Error('no scoreboard');
	expect(scoreboard.standings.map((standing) => standing.nickname).sort()).toEqual([
		'Ana',
		'Ben',
		'Cy'
	]);
}

/** Polls (generously) until the report's download answers, and gives its text. */
async function reportCsv(server: RunningServer, reportId: string, timeoutMs = 30_000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const response = await server.admin.fetch(`/reports/${reportId}/export/csv`);
		if (response.status === 200) return response.text();
		await response.body?.cancel();
		if (Date.now() > until) throw new Error(`Report ${reportId}: still ${response.status}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The reports this node's SQLite holds for the record store, by game id. */
function heldReports(dataDir: string): string[] {
	const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
	try {
		return db.prepare('SELECT game_id FROM held_reports').pluck().all() as string[];
	} finally {
		db.close();
	}
}

test('a game plays on to its podium with PostgreSQL gone; its report waits on the node and lands when the database is back', async () => {
	const server = await start(await postgres.newDatabase());
	const three = await gameOfThree(server);
	const { game, phones } = three;
	let host = three.host;
	host.send({ type: 'start' });
	await playQuestion(host, phones, 0, [1, 1, 0]);

	// Mid-game, between the first question's scoreboard and the second question.
	await postgres.pause();
	// The host screen's connection drops with the database away: it comes back all the same,
	// known by the sign-in this node checked when it first connected.
	host.socket.terminate();
	host = await TestClient.connect(server, game.hostToken);
	clients.push(host);
	expect(host.ofType('state')[0]!.view.phase).toBe('scoreboard');
	host.send({ type: 'next' });
	await playQuestion(host, phones, 1, [1, 0, 1]);
	host.send({ type: 'next' });
	const podium = await host.next('phase', (m) => m.phase === 'podium');
	if (podium.phase !== 'podium') throw new Error('no podium');
	// Ana answered both right; Ben and Cy one each.
	expect(podium.standings[0]!.nickname).toBe('Ana');
	expect(podium.standings).toHaveLength(3);
	await Promise.all(phones.map((phone) => phone.next('phase', (m) => m.phase === 'podium')));

	// The host hears the report go out, then wait on this server for the database.
	const saving = await host.next('report');
	expect(saving.status).toBe('saving');
	const waiting = await host.next('report', undefined, 20_000);
	expect(waiting.status).toBe('waiting');
	const reportId = waiting.reportId;
	expect(heldReports(server.dataDir)).toEqual([reportId]);
	// The server's log comes down another pipe than the host's socket: a moment later, perhaps.
	await vi.waitFor(
		() =>
			expect(server.output()).toContain(
				`the report of game ${game.pin} waits on this server, retrying`
			),
		{ timeout: 5000 }
	);

	await postgres.resume();
	const saved = await host.next('report', (m) => m.status === 'saved', 45_000);
	expect(saved.reportId).toBe(reportId);
	const csv = await reportCsv(server, reportId);
	for (const nickname of ['Ana', 'Ben', 'Cy']) expect(csv).toContain(nickname);
	const list = await (await server.admin.fetch('/reports')).text();
	expect(list).toContain(`/reports/${reportId}`);
	expect(heldReports(server.dataDir)).toEqual([]);
	await vi.waitFor(
		() => expect(server.output()).toContain(`Saved the report of game ${game.pin} after all`),
		{ timeout: 5000 }
	);
}, 120_000);

test('a node stopped with a report held sends it when it starts again, once the database is back', async () => {
	const databaseUrl = await postgres.newDatabase();
	const first = await start(databaseUrl);
	const { game, host, phones } = await gameOfThree(first);
	host.send({ type: 'start' });
	await playQuestion(host, phones, 0, [1, 1, 0]);
	host.send({ type: 'next' });
	await playQuestion(host, phones, 1, [1, 0, 1]);

	await postgres.pause();
	host.send({ type: 'next' });
	await host.next('phase', (m) => m.phase === 'podium');
	const waiting = await host.next('report', (m) => m.status === 'waiting', 20_000);
	const reportId = waiting.reportId;

	// SIGTERM with the database still away: the report stays on the node's disk.
	await first.stop();
	expect(first.output()).toContain('1 game report waits on this server for the store');
	expect(heldReports(first.dataDir)).toEqual([reportId]);
	clients.splice(0).forEach((client) => client.socket.terminate());

	await postgres.resume();
	const second = await start(databaseUrl, first.dataDir);
	expect(second.output()).toContain('Sending 1 game report held on this server');
	const csv = await reportCsv(second, reportId);
	for (const nickname of ['Ana', 'Ben', 'Cy']) expect(csv).toContain(nickname);
	expect(heldReports(first.dataDir)).toEqual([]);

	// The game came back on its podium; its host, back too, is told the report is saved.
	const again = await TestClient.connect(second, game.hostToken);
	clients.push(again);
	expect(again.ofType('state')[0]!.view.phase).toBe('podium');
	const saved = await again.next('report', (m) => m.status === 'saved');
	expect(saved.reportId).toBe(reportId);
}, 120_000);

test('a quiz saved while PostgreSQL is gone is refused in words (503); a stale save is refused as changed elsewhere (409)', async () => {
	const server = await start(await postgres.newDatabase());
	const created = await saveQuiz(server, QUIZ);
	expect(created.status).toBe(201);
	const { id, updatedAt: opened } = created.body as unknown as SavedQuizResponse;
	// A save is stamped to the millisecond: the next one must not land in the same one.
	await new Promise((resolve) => setTimeout(resolve, 5));

	// Two editors opened it at `opened`: the first to save wins.
	const mine = await saveQuiz(server, { ...QUIZ, title: 'Mine', expectedUpdatedAt: opened }, id);
	expect(mine.status).toBe(200);
	const theirs = mine.body as unknown as SavedQuizResponse;
	expect(theirs.updatedAt).toBeGreaterThan(opened);
	const stale = await saveQuiz(server, { ...QUIZ, title: 'Stale', expectedUpdatedAt: opened }, id);
	expect(stale.status).toBe(409);
	expect(stale.body).toEqual({
		code: 'changed-elsewhere',
		message: expect.stringMatching(/saved this quiz since you opened it/),
		updatedAt: theirs.updatedAt
	} satisfies QuizChangedResponse);
	// The refused save changed nothing; saved against their version, it goes through.
	const kept = await server.admin.fetch(`/api/quizzes/${id}`);
	expect(((await kept.json()) as { title: string }).title).toBe('Mine');
	const over = await saveQuiz(
		server,
		{ ...QUIZ, title: 'Over theirs', expectedUpdatedAt: theirs.updatedAt },
		id
	);
	expect(over.status).toBe(200);
	// A malformed expectation is a 400, not a silent overwrite.
	const bad = await saveQuiz(server, { ...QUIZ, expectedUpdatedAt: 'yesterday' }, id);
	expect(bad.status).toBe(400);

	await postgres.pause();
	const down = await saveQuiz(server, { ...QUIZ, title: 'While down' }, id);
	expect(down.status).toBe(503);
	expect(down.body).toEqual({
		code: 'store-unavailable',
		message: expect.stringMatching(/unreachable right now.*try again in a moment/)
	});
	await postgres.resume();
	// Back: the same save goes through (a first try may still meet a connection the restart
	// broke, and be told to try again in a moment).
	const latest = (over.body as unknown as SavedQuizResponse).updatedAt;
	const until = Date.now() + 15_000;
	let after = await saveQuiz(server, { ...QUIZ, title: 'After', expectedUpdatedAt: latest }, id);
	while (after.status === 503 && Date.now() < until) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		after = await saveQuiz(server, { ...QUIZ, title: 'After', expectedUpdatedAt: latest }, id);
	}
	expect(after.status).toBe(200);
}, 90_000);
