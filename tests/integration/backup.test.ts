/**
 * `npm run backup`, the real script, while a server runs a game that keeps writing: the backup
 * restored (copied back as a data directory) starts a server that lists the same quizzes,
 * pictures and reports, without the game that was in progress. With DATABASE_URL it prints the
 * pg_dump and pg_restore commands instead.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { SqliteStorage } from '../../src/lib/server/storage/sqlite.ts';
import { survivalQuiz } from './podium.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

const ROOT = join(import.meta.dirname, '../..');
const PICTURE = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
	'base64'
);

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step();
});

function tempDir(name: string): string {
	const dir = mkdtempSync(join(tmpdir(), `quizroom-${name}-`));
	cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

function backup(env: Record<string, string>, ...args: string[]) {
	return new Promise<{ code: number; output: string }>((resolve) => {
		execFile(
			'npm',
			['run', '--silent', 'backup', '--', ...args],
			{ cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env } },
			(error, stdout, stderr) => {
				const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
				resolve({ code, output: stdout + stderr });
			}
		);
	});
}

async function reportIds(server: RunningServer): Promise<string[]> {
	const page = await (await server.admin.fetch('/reports')).text();
	return [
		...new Set([...page.matchAll(/href="\.?\/reports\/([\w-]+)"/g)].map((m) => m[1]!))
	].sort();
}

async function library(server: RunningServer) {
	const quizzes =
		await server.admin.json<{ id: string; updatedAt: number; ownerId: string }[]>('/api/quizzes');
	return quizzes.map(({ id, updatedAt, ownerId }) => ({ id, updatedAt, ownerId }));
}

test('a backup taken while a game writes restores the same quizzes, pictures and reports', async () => {
	const server = await startServer();
	cleanup.push(() => server.stop());

	// A quiz of the host's own, with a picture, played to a report.
	const uploaded = await server.admin.json<{ id: string }>('/api/images', {
		method: 'POST',
		headers: { 'content-type': 'application/octet-stream' },
		body: PICTURE
	});
	const base = survivalQuiz('Backed up');
	const body = {
		...base,
		questions: [{ ...base.questions[0]!, image: uploaded.id }, base.questions[1]]
	};
	const created = await server.admin.json<{ id: string }>('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	const played = await createGame(server, created.id);
	const host = await TestClient.connect(server, played.hostToken);
	const ana = await joinGame(server, played.pin, 'Ana');
	const phone = await TestClient.connect(server, ana.body.token);
	host.send({ type: 'start' });
	await phone.next('phase', (m) => m.phase === 'open');
	phone.send({ type: 'answer', questionIndex: 0, choice: 1 });
	await host.next('phase', (m) => m.phase === 'reveal');
	host.send({ type: 'end' });
	await host.next('closed');
	for (let i = 0; i < 50 && (await reportIds(server)).length === 0; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const reports = await reportIds(server);
	expect(reports).toHaveLength(1);
	const quizzes = await library(server);

	// A game in progress that keeps writing (every join is a commit) while the backup runs.
	const running = await createGame(server, created.id);
	const runningHost = await TestClient.connect(server, running.hostToken);
	let joining = true;
	let joined = 0;
	const joins = (async () => {
		while (joining) {
			const { status } = await joinGame(server, running.pin, `Player ${joined + 1}`);
			if (status >= 300) throw new Error(`A join failed during the backup (${status})`);
			joined++;
		}
	})();
	while (joined < 5) await new Promise((resolve) => setTimeout(resolve, 20));
	const into = join(tempDir('backups'), 'nightly');
	const done = await backup({ DATA_DIR: server.dataDir }, into);
	const joinedDuring = joined;
	joining = false;
	await joins;
	expect(done.code, done.output).toBe(0);
	expect(joinedDuring).toBeGreaterThan(5);
	expect(done.output).toMatch(/in [\d.]+ s: 5 quizzes, 1 report, 1 account, 1 picture /);
	expect(done.output).toContain('Not in the backup: 1 game in progress');
	expect(done.output).toContain('To restore: stop the server');
	expect(readdirSync(into).sort()).toEqual(['images', 'quizroom.db']);
	expect(readdirSync(join(into, 'images'))).toEqual([uploaded.id]);
	await runningHost.close();

	// Restored as the output says: copied back as a data directory, a server started on it.
	const restored = join(tempDir('restored'), 'data');
	cpSync(into, restored, { recursive: true });
	const again = await startServer({ DATA_DIR: restored });
	cleanup.push(() => again.stop());
	expect(again.output()).not.toContain('Picked up');
	expect(await library(again)).toEqual(quizzes);
	expect(await reportIds(again)).toEqual(reports);
	const picture = await again.admin.fetch(`/images/${uploaded.id}`);
	expect(Buffer.from(await picture.arrayBuffer())).toEqual(PICTURE);
	expect((await again.admin.fetch(`/host/${running.pin}`)).status).toBe(404);
}, 90_000);

test('refuses to overwrite, and names what is not a data directory', async () => {
	const dataDir = tempDir('data');
	const notData = await backup({ DATA_DIR: dataDir }, join(dataDir, 'backup'));
	expect(notData.code).toBe(1);
	expect(notData.output).toContain(`${dataDir} has no quizroom.db`);
	expect(existsSync(join(dataDir, 'backup'))).toBe(false);

	SqliteStorage.open(dataDir).close();
	const into = tempDir('existing');
	cpSync(join(ROOT, 'package.json'), join(into, 'package.json'));
	const refused = await backup({ DATA_DIR: dataDir }, into);
	expect(refused.code).toBe(1);
	expect(refused.output).toContain('already exists and is not empty: name a new directory');
});

test('with DATABASE_URL, prints the pg_dump and pg_restore commands', async () => {
	const printed = await backup({ DATABASE_URL: 'postgres://u:secret@db/quizroom' }, 'night.dump');
	expect(printed.code).toBe(0);
	expect(printed.output).toContain('pg_dump --format=custom --file=night.dump "$DATABASE_URL"');
	expect(printed.output).toContain(
		'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" night.dump'
	);
	expect(printed.output).not.toContain('secret');
});
