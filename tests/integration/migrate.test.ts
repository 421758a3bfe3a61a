/**
 * `npm run migrate`, the real script: a laptop's data directory into an empty PostgreSQL
 * database, then a server on that database shows each host their quizzes, pictures and reports
 * when they sign in with their old password; a second run changes nothing; a target holding
 * another record is refused; and back from PostgreSQL into an empty data directory, the same
 * checksums. A cluster's Redis from before PostgreSQL (the before-accounts fixture) moves too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { startRedis } from '../../scripts/cluster/redis-server.ts';
import { HostSession } from '../../scripts/host-session.ts';
import { createDatabase } from '../../scripts/postgres-server.ts';
import { hashPassword } from '../../src/lib/server/accounts/passwords.ts';
import { recordSums } from '../../src/lib/server/storage/copy.ts';
import { MemoryLiveRooms } from '../../src/lib/server/storage/live-rooms.ts';
import { PostgresStorage } from '../../src/lib/server/storage/postgres.ts';
import { SqliteStorage } from '../../src/lib/server/storage/sqlite.ts';
import type { Storage } from '../../src/lib/server/storage/storage.ts';
import { makeGame, makeQuiz } from '../../src/lib/testing/quiz-fixtures.ts';
import { startServer } from './harness.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(import.meta.dirname, '../fixtures');
/** A real (tiny) PNG: a picture the server serves as it is. */
const PICTURE = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
	'base64'
);
const ORTIZ = { name: 'Ms Ortiz', password: 'correct horse battery staple' };
const LEE = { name: 'Mr Lee', password: 'a long walk by the river 42' };

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step();
});

function tempDir(name: string): string {
	const dir = mkdtempSync(join(tmpdir(), `quizroom-${name}-`));
	cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

/** `npm run migrate -- …`, as whoever runs the server types it. */
function migrate(...args: string[]): Promise<{ code: number; output: string }> {
	return new Promise((resolve) => {
		execFile(
			'npm',
			['run', '--silent', 'migrate', '--', ...args],
			{ cwd: ROOT, env: { ...process.env, REDIS_PREFIX: '' } },
			(error, stdout, stderr) => {
				const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
				resolve({ code, output: stdout + stderr });
			}
		);
	});
}

/** Signs in with name and password through the sign-in form, as a browser does. */
async function signIn(base: string, who: { name: string; password: string }): Promise<HostSession> {
	const response = await fetch(`${base}/signin`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin: base
		},
		body: new URLSearchParams({ name: who.name, password: who.password })
	});
	const cookie = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0]!)
		.find((pair) => pair.startsWith('quizroom-session='));
	if (response.status !== 303 || !cookie) {
		throw new Error(`${who.name} could not sign in (${response.status}): ${await response.text()}`);
	}
	return new HostSession(base, cookie);
}

/** A laptop's data directory as months of use leave it: two hosts, their quizzes and games. */
async function laptop(): Promise<{ dir: string; picture: string }> {
	const dir = tempDir('laptop');
	const storage = SqliteStorage.open(dir);
	try {
		await storage.accounts.createAccount({
			id: 'acc-ortiz',
			name: ORTIZ.name,
			role: 'admin',
			passwordHash: await hashPassword(ORTIZ.password),
			disabled: false,
			createdAt: 1_700_000_000_000,
			lastSignInAt: 1_700_000_500_000
		});
		await storage.accounts.createAccount({
			id: 'acc-lee',
			name: LEE.name,
			role: 'host',
			passwordHash: await hashPassword(LEE.password),
			disabled: false,
			createdAt: 1_700_000_100_000,
			lastSignInAt: null
		});
		await storage.seedSamples([makeQuiz('world-geography', 'World Geography')], 1_699_000_000_000);
		const picture = await storage.saveImage(PICTURE, 'image/png', 'acc-ortiz');
		const capitals = makeQuiz('capitals', 'Capitals of Europe', 2);
		capitals.questions[0] = { ...capitals.questions[0]!, image: picture };
		await storage.saveQuiz(capitals, 1_700_000_200_000, 'acc-ortiz');
		await storage.saveQuiz(makeQuiz('rivers', 'Rivers', 3), 1_700_000_300_000, 'acc-lee');
		await storage.shareQuiz('rivers', 'acc-ortiz', 'use');
		await storage.markQuizPlayed('capitals', 1_700_000_400_000);
		await storage.saveGame({
			...makeGame('g-capitals', 1_700_000_400_000, capitals),
			hostId: 'acc-ortiz'
		});
		await storage.saveGame({
			...makeGame('g-rivers', 1_700_000_450_000, makeQuiz('rivers', 'Rivers', 3)),
			hostId: 'acc-lee'
		});
		return { dir, picture };
	} finally {
		await storage.close();
	}
}

async function sumsOf(open: () => Promise<Storage> | Storage) {
	const storage = await open();
	try {
		return (await recordSums(storage)).sums;
	} finally {
		await storage.close();
	}
}

const openPostgres = (url: string) => () =>
	PostgresStorage.open({ url, live: new MemoryLiveRooms(), max: 2 });

describe('a laptop’s data directory into PostgreSQL and back', () => {
	test('every host finds their quizzes, pictures and reports with their password', async () => {
		const { dir, picture } = await laptop();
		const url = await createDatabase(inject('postgresUrl'));

		const first = await migrate('--from', dir, '--to', url);
		expect(first.output).toContain('Copied and checked');
		expect(first.code, first.output).toBe(0);
		expect(first.output).toMatch(/accounts\s+2\s+2\s+\w+\s+same/);
		expect(first.output).toMatch(/quizzes \(2 shares\)\s+3\s+3\s+\w+\s+same/);
		expect(first.output).toMatch(/pictures\s+1\s+1\s+\w+\s+same/);
		expect(first.output).toMatch(/reports\s+2\s+2\s+\w+\s+same/);
		expect(first.output).toContain('Games in progress are never copied');
		// The password is not in what it prints.
		expect(first.output).not.toContain(':quizroom@');

		// A second run finds the same record there and writes nothing.
		const again = await migrate('--from', dir, '--to', url);
		expect(again.code, again.output).toBe(0);
		expect(again.output).toContain('already holds exactly this record: nothing was copied');
		expect(await sumsOf(openPostgres(url))).toStrictEqual(
			await sumsOf(() => SqliteStorage.open(dir))
		);

		const server = await startServer({ DATABASE_URL: url });
		cleanup.push(() => server.stop());
		expect(server.output()).not.toMatch(/\/setup\//);
		const ortiz = await signIn(server.url, ORTIZ);
		const hers =
			await ortiz.json<{ id: string; access: string; lastPlayedAt: number }[]>('/api/quizzes');
		expect(hers.map((quiz) => `${quiz.id}:${quiz.access}`).sort()).toEqual([
			'capitals:owner',
			'rivers:edit',
			'world-geography:edit'
		]);
		expect(hers.find((quiz) => quiz.id === 'capitals')!.lastPlayedAt).toBe(1_700_000_400_000);
		const quiz = await ortiz.json<{ questions: { image?: string }[] }>('/api/quizzes/capitals');
		expect(quiz.questions[0]!.image).toBe(picture);
		const served = await ortiz.fetch(`/images/${picture}`);
		expect(served.status).toBe(200);
		expect(Buffer.from(await served.arrayBuffer())).toEqual(PICTURE);
		const reports = await (await ortiz.fetch('/reports')).text();
		expect(reports).toContain('Capitals of Europe');

		const lee = await signIn(server.url, LEE);
		const his = await lee.json<{ id: string; access: string }[]>('/api/quizzes');
		expect(his.map((item) => `${item.id}:${item.access}`).sort()).toEqual([
			'rivers:owner',
			'world-geography:use'
		]);
		const leeReports = await (await lee.fetch('/reports')).text();
		expect(leeReports).toContain('Rivers');
		expect(leeReports).not.toContain('Capitals of Europe');

		// The target now holds more than the laptop (the sign-ins): another run is refused, and
		// says what is there.
		const refused = await migrate('--from', dir, '--to', url);
		expect(refused.code).toBe(1);
		expect(refused.output).toContain('already holds a different record: 2 accounts');
		expect(refused.output).toContain('--force');

		// And back, into an empty data directory: the same record, checksum for checksum.
		const back = tempDir('back');
		const home = await migrate('--from', url, '--to', back);
		expect(home.code, home.output).toBe(0);
		expect(await sumsOf(() => SqliteStorage.open(back))).toStrictEqual(
			await sumsOf(openPostgres(url))
		);
		// What no server changed since the laptop is as it was there.
		const [laptopSums, backSums] = [
			await sumsOf(() => SqliteStorage.open(dir)),
			await sumsOf(() => SqliteStorage.open(back))
		];
		expect(backSums.reports).toStrictEqual(laptopSums.reports);
		expect(backSums.passkeys).toStrictEqual(laptopSums.passkeys);
	}, 120_000);

	test('--force replaces a target holding another record', async () => {
		const { dir } = await laptop();
		const url = await createDatabase(inject('postgresUrl'));
		const other = tempDir('other');
		const storage = SqliteStorage.open(other);
		await storage.saveQuiz(makeQuiz('someone-else'), 1_000);
		await storage.close();
		expect((await migrate('--from', other, '--to', url)).code).toBe(0);

		const refused = await migrate('--from', dir, '--to', url);
		expect(refused.code).toBe(1);
		expect(refused.output).toContain('already holds a different record: 1 quiz.');
		const forced = await migrate('--from', dir, '--to', url, '--force');
		expect(forced.code, forced.output).toBe(0);
		expect(forced.output).toContain('Replaced the target');
		expect(await sumsOf(openPostgres(url))).toStrictEqual(
			await sumsOf(() => SqliteStorage.open(dir))
		);
	}, 60_000);

	test('says clearly what is wrong with a source or a target', async () => {
		const empty = tempDir('empty');
		const url = await createDatabase(inject('postgresUrl'));
		const notData = await migrate('--from', empty, '--to', url);
		expect(notData.code).toBe(1);
		expect(notData.output).toContain('has no quizroom.db: it is not a Quizroom data directory');
		const nowhere = await migrate('--from', url.replace(/:\d+\//, ':1/'), '--to', empty);
		expect(nowhere.output).toContain('Source: Cannot reach PostgreSQL at');
		const noRecord = await migrate('--from', url, '--to', empty);
		expect(noRecord.output).toContain('holds no Quizroom record');
		// A database a newer Quizroom wrote.
		const { dir } = await laptop();
		expect((await migrate('--from', dir, '--to', url)).code).toBe(0);
		const newer = new (await import('pg')).default.Client({ connectionString: url });
		await newer.connect();
		await newer.query('UPDATE quizroom_schema SET version = version + 1');
		await newer.end();
		const tooNew = await migrate('--from', dir, '--to', url);
		expect(tooNew.code).toBe(1);
		expect(tooNew.output).toMatch(
			/Target: .*schema version 2, but this Quizroom knows versions up to 1/
		);
	}, 60_000);
});

describe('a cluster’s Redis from before PostgreSQL', () => {
	test('moves into PostgreSQL, and the source is left as it was', async () => {
		const redis = await startRedis({
			snapshot: join(FIXTURES, 'before-accounts-cluster/dump.rdb')
		});
		cleanup.push(() => redis.stop());
		const url = await createDatabase(inject('postgresUrl'));
		const keysBefore = await redisKeys(redis.url);

		const moved = await migrate('--from', redis.url, '--to', url);
		expect(moved.code, moved.output).toBe(0);
		expect(moved.output).toMatch(/quizzes \(4 shares\)\s+5\s+5/);
		expect(moved.output).toContain('Not copied: 2 games in progress, which stay in this Redis');
		expect(await redisKeys(redis.url)).toEqual(keysBefore);

		// The first admin of the new server takes over what was kept before accounts.
		const server = await startServer({ DATABASE_URL: url });
		cleanup.push(() => server.stop());
		const quizzes = await server.admin.json<{ id: string; access: string }[]>('/api/quizzes');
		expect(quizzes.map((quiz) => quiz.id)).toContain('55rqbw0ur80x');
		expect(quizzes.every((quiz) => quiz.access === 'owner')).toBe(true);
		const image = '56c71da4c976d7a3fcb427e97d4d672de849f17965c1abe64dc3e7d8c2d3814b.png';
		expect((await server.admin.fetch(`/images/${image}`)).status).toBe(200);
		expect(await (await server.admin.fetch('/reports')).text()).toContain('Before accounts');
		const shares = await server.admin.json<{ shares: { grantee: string }[] }>(
			'/api/quizzes/world-geography/shares'
		);
		expect(shares.shares).toEqual([expect.objectContaining({ grantee: '*', level: 'use' })]);
	}, 120_000);
});

/** Every key with its whole value, to see that nothing changed. */
async function redisKeys(url: string): Promise<string[]> {
	const { createClient } = await import('@redis/client');
	const client = createClient({ url });
	await client.connect();
	try {
		const lines = [];
		for (const key of (await client.keys('*')).sort()) {
			const type = await client.type(key);
			const value =
				type === 'hash'
					? await client.hGetAll(key)
					: type === 'set'
						? (await client.sMembers(key)).sort()
						: type === 'zset'
							? await client.zRangeWithScores(key, 0, -1)
							: await client.get(key);
			lines.push(`${key} ${type} ${JSON.stringify(value)} ${await client.pTTL(key)}`);
		}
		return lines;
	} finally {
		await client.close();
	}
}
