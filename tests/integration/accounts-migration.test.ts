/**
 * What was kept before accounts existed is kept after: a data directory (and a cluster's Redis,
 * its record moved to PostgreSQL with `npm run migrate`) written by the release before accounts
 * opens with its quizzes, pictures, reports and the game that was running, all of it the first
 * admin's, and none of it another host's.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { startRedis } from '../../scripts/cluster/redis-server.ts';
import { createDatabase } from '../../scripts/postgres-server.ts';
import { inviteHost, type HostSession } from '../../scripts/host-session.ts';
import { startServer, TestClient, type RunningServer } from './harness.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const IMAGE = '56c71da4c976d7a3fcb427e97d4d672de849f17965c1abe64dc3e7d8c2d3814b.png';
const SAMPLES = [
	'computers-and-the-internet',
	'question-types-tour',
	'science-and-nature',
	'world-geography'
];

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step();
});

interface Kept {
	quiz: string;
	pin: string;
	hostToken: string;
}

/** Everything the old release left must be the first admin's, and a new host's none of it. */
async function expectAdopted(server: RunningServer, kept: Kept): Promise<void> {
	const admin = server.admin;
	const quizzes =
		await admin.json<{ id: string; access: string; ownerId: string }[]>('/api/quizzes');
	expect(quizzes.map((quiz) => quiz.id).sort()).toEqual([kept.quiz, ...SAMPLES].sort());
	expect(quizzes.every((quiz) => quiz.access === 'owner')).toBe(true);
	const own = await admin.json<{ questions: { image?: string }[] }>(`/api/quizzes/${kept.quiz}`);
	expect(own.questions[0]!.image).toBe(IMAGE);
	expect((await fetch(`${server.url}/images/${IMAGE}`)).status).toBe(200);
	// The samples stay open to every host of the server, as new ones start.
	const shares = await admin.json<{ shares: { grantee: string }[] }>(
		'/api/quizzes/world-geography/shares'
	);
	expect(shares.shares).toEqual([expect.objectContaining({ grantee: '*', level: 'use' })]);
	const reports = await (await admin.fetch('/reports')).text();
	expect(reports).toContain('Before accounts');
	expect(reports).toContain('Old Timer');

	const newcomer = await inviteHost(admin, 'Newcomer');
	const theirs = await newcomer.json<{ id: string; access: string }[]>('/api/quizzes');
	expect(theirs.map((quiz) => `${quiz.id}:${quiz.access}`).sort()).toEqual(
		SAMPLES.map((id) => `${id}:use`).sort()
	);
	expect(await (await newcomer.fetch('/reports')).text()).not.toContain('Old Timer');
	expect((await newcomer.fetch(`/host/${kept.pin}`)).status).toBe(404);
	await expectRunningGame(server, admin, newcomer, kept);
}

/** The game that was running goes on, under the admin; its report is theirs. */
async function expectRunningGame(
	server: RunningServer,
	admin: HostSession,
	newcomer: HostSession,
	kept: Kept
): Promise<void> {
	const page = await admin.fetch(`/host/${kept.pin}`);
	expect(page.status).toBe(200);
	const located = await admin.json<{ socketUrl: string }>('/api/seats/locate', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ token: kept.hostToken })
	});
	const socketUrl = new URL(
		located.socketUrl.replace(/^http/, 'ws'),
		server.url.replace(/^http/, 'ws')
	);
	// Its old host link alone opens nothing now; with the admin's sign-in it opens.
	const stranger = await TestClient.connectTo(socketUrl.href, undefined, {
		headers: { cookie: newcomer.cookie }
	});
	stranger.send({ type: 'hello', v: 1, token: kept.hostToken });
	expect((await stranger.next('error')).code).toBe('not-your-game');
	const host = await TestClient.connectTo(socketUrl.href, kept.hostToken, {
		headers: { cookie: admin.cookie }
	});
	const state = host.ofType('state')[0]!;
	// On its first question, its one player's answer in (so the question may close at once).
	expect(['open', 'reveal']).toContain(state.view.phase);
	expect(state.view).toMatchObject({ question: { index: 0 } });
	expect(state.players?.map((player) => player.nickname)).toEqual(['Old Timer']);
	host.send({ type: 'end' });
	await host.closed();
	for (let i = 0; i < 50; i++) {
		const reports = await (await admin.fetch('/reports')).text();
		if ((reports.match(/Before accounts/g) ?? []).length >= 2) break;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const reports = await (await admin.fetch('/reports')).text();
	expect((reports.match(/Before accounts/g) ?? []).length).toBeGreaterThanOrEqual(2);
	expect(await (await newcomer.fetch('/reports')).text()).not.toContain('Before accounts');
}

describe('a data directory from before accounts', () => {
	test('opens with everything in it the first admin’s, the running game included', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'quizroom-before-accounts-'));
		cpSync(join(FIXTURES, 'before-accounts'), dataDir, { recursive: true });
		cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
		const server = await startServer({ DATA_DIR: dataDir });
		cleanup.push(() => server.stop());
		// The game on its podium, and the one mid-question.
		expect(server.output()).toContain('Picked up 2 games in progress');
		expect(server.output()).toMatch(/\/setup\/[\w-]{43}/);
		await expectAdopted(server, {
			quiz: '6xd097aury0a',
			pin: '211801',
			hostToken: '2oQr3iEi_p4XJqM3Ll7tu'
		});
	}, 60_000);
});

describe('a cluster’s Redis from before accounts (and before PostgreSQL)', () => {
	test('moves its record to PostgreSQL, and a new node opens it the same way, taking the dead node’s game over', async () => {
		const redis = await startRedis({
			snapshot: join(FIXTURES, 'before-accounts-cluster/dump.rdb')
		});
		cleanup.push(() => redis.stop());
		// The record goes to PostgreSQL as the README says; the game in progress stays in Redis.
		const databaseUrl = await createDatabase(inject('postgresUrl'));
		const moved = spawnSync(
			process.execPath,
			['--import', 'tsx', 'scripts/migrate.ts', '--from', redis.url, '--to', databaseUrl],
			{ encoding: 'utf8', env: { ...process.env, REDIS_PREFIX: '' } }
		);
		expect(moved.status, moved.stdout + moved.stderr).toBe(0);
		const server = await startServer({
			DATABASE_URL: databaseUrl,
			REDIS_URL: redis.url,
			NODE_ID: 'new1',
			NODE_TTL_MS: '2000'
		});
		cleanup.push(() => server.stop());
		await expectAdopted(server, {
			quiz: '55rqbw0ur80x',
			pin: '900394',
			hostToken: '6XGnRQZaBCaJE_VrlG_Vp'
		});
	}, 90_000);
});
