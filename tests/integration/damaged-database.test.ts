/**
 * Issue 25: a damaged quizroom.db (pages garbled, or the file cut to 8 KB, as a power cut or a
 * full SD card leaves it) stops the real server at start with the file's path, SQLite's words
 * and both ways out, and the file is left byte for byte; `npm run restore` then puts the
 * automatic backup back (the damaged directory moved aside) and a server on it has the quiz
 * and the reports. On that server a damaged picture and a report damaged while it runs are
 * skipped with a warning naming them, and the rest is served.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
	cpSync,
	existsSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	rmSync,
	truncateSync,
	writeSync,
	closeSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AutomaticBackups } from '../../src/lib/server/storage/auto-backup.ts';
import { SqliteStorage } from '../../src/lib/server/storage/sqlite.ts';
import { makeGame, makeQuiz } from '../../src/lib/testing/quiz-fixtures.ts';
import { spawnQuizroom } from '../../scripts/quizroom-process.ts';
import { startServer } from './harness.ts';

const ROOT = join(import.meta.dirname, '../..');
const PICTURE = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
	'base64'
);
const OTHER_PICTURE = Buffer.concat([PICTURE, Buffer.from([0])]);

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step();
});

const root = mkdtempSync(join(tmpdir(), 'quizroom-damaged-'));
cleanup.push(() => rmSync(root, { recursive: true, force: true }));
/** The record as it was, with its automatic backup: copied for each test. */
const original = join(root, 'original');
let backupName = '';
let pictures: string[] = [];

beforeAll(async () => {
	const storage = SqliteStorage.open(original);
	await storage.saveQuiz(makeQuiz('kept', 'Kept through a power cut'), Date.now());
	await storage.saveGame(makeGame('report-kept'));
	await storage.saveGame(makeGame('report-damaged'));
	pictures = [
		await storage.saveImage(PICTURE, 'image/png'),
		await storage.saveImage(OTHER_PICTURE, 'image/png')
	];
	// As the server makes it a minute after its start.
	const backups = new AutomaticBackups({
		dataDir: original,
		keep: 7,
		log: { log: () => {}, error: () => {} }
	});
	backupName = (await backups.backupNow()).dir.split('/').at(-1)!;
	await storage.close();
});

function copyOf(name: string): string {
	const dir = join(root, name, 'data');
	cpSync(original, dir, { recursive: true });
	return dir;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The server started on it, to its exit: its code and everything it printed. */
async function refusedStart(dataDir: string): Promise<{ code: number | null; output: string }> {
	const server = spawnQuizroom({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'error' } });
	const [code] = (await once(server.child, 'exit')) as [number | null];
	return { code, output: server.output() };
}

function npm(script: string, env: Record<string, string>, ...args: string[]) {
	return new Promise<{ code: number; output: string }>((resolve) => {
		execFile(
			'npm',
			['run', '--silent', script, '--', ...args],
			{ cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env } },
			(error, stdout, stderr) => {
				const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
				resolve({ code, output: stdout + stderr });
			}
		);
	});
}

/** Pages 2 to 4 (the first tables' roots) overwritten, as a torn write leaves them. */
function garblePages(file: string): void {
	const fd = openSync(file, 'r+');
	try {
		for (const page of [1, 2, 3]) writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, page * 4096);
	} finally {
		closeSync(fd);
	}
}

function expectWaysOut(output: string, dataDir: string): void {
	const file = join(dataDir, 'quizroom.db');
	expect(output).toContain(`The database ${file} is damaged: Quizroom will not start on it.`);
	expect(output).toContain('The file is left exactly as it is');
	expect(output).toContain(
		`DATA_DIR=${dataDir} npm run restore -- ${join(dataDir, 'backups', backupName)}`
	);
	const aside = new RegExp(`mv ${dataDir} (${dataDir}-damaged-[\\dTZ-]+)\\n`).exec(output);
	expect(aside, output).not.toBeNull();
	expect(output).toContain(`mkdir ${dataDir}\n`);
	expect(output).toContain(`mv ${aside![1]}/backups ${dataDir}/backups\n`);
	// Typed in the folder the server runs from.
	expect(output).toContain(`Two ways out, typed in ${ROOT}:`);
}

test('garbled pages, or a file cut to 8 KB: the path, SQLite’s words, both ways out, the file untouched', async () => {
	const garbled = copyOf('garbled');
	garblePages(join(garbled, 'quizroom.db'));
	const cut = copyOf('cut');
	truncateSync(join(cut, 'quizroom.db'), 8192);
	const before = [sha256(join(garbled, 'quizroom.db')), sha256(join(cut, 'quizroom.db'))];

	const [first, second] = await Promise.all([refusedStart(garbled), refusedStart(cut)]);
	expect(first.code, first.output).toBe(1);
	expectWaysOut(first.output, garbled);
	expect(first.output).toMatch(/Tree \d+ \(table \w+\) page \d+: btreeInitPage\(\) returns error/);
	expect(first.output).not.toContain('Listening on port');

	expect(second.code, second.output).toBe(1);
	expectWaysOut(second.output, cut);
	expect(second.output).toMatch(
		/the file is 8 KB, but its header says \d+ KB \(\d+ pages\): it was cut short/
	);
	expect(second.output).toContain('database disk image is malformed');

	expect([sha256(join(garbled, 'quizroom.db')), sha256(join(cut, 'quizroom.db'))]).toEqual(before);
}, 60_000);

test('npm run restore puts the backup back; a damaged picture and report are skipped, the rest served', async () => {
	const dataDir = copyOf('restored');
	garblePages(join(dataDir, 'quizroom.db'));
	const damaged = sha256(join(dataDir, 'quizroom.db'));

	// The newest automatic backup, by default.
	const restored = await npm('restore', { DATA_DIR: dataDir });
	expect(restored.code, restored.output).toBe(0);
	expect(restored.output).toContain(
		`Checked ${join(dataDir, 'backups', backupName)} (quick_check ok, schema version`
	);
	expect(restored.output).toContain('1 quiz, 2 reports, 0 accounts, 2 pictures.');
	const aside = /aside, kept: (\S+)/.exec(restored.output)?.[1];
	expect(aside, restored.output).toMatch(new RegExp(`^${dataDir}-before-restore-`));
	// Moved aside whole and as it was; the backups came along into the restored directory.
	expect(sha256(join(aside!, 'quizroom.db'))).toBe(damaged);
	expect(readdirSync(join(dataDir, 'backups'))).toEqual([backupName]);
	expect(existsSync(join(aside!, 'backups'))).toBe(false);

	// One picture damaged on the disk before the start (its bytes no longer its name).
	const [whole, broken] = pictures as [string, string];
	const fd = openSync(join(dataDir, 'images', broken), 'r+');
	writeSync(fd, Buffer.from('XX'), 0, 2, 20);
	closeSync(fd);

	const server = await startServer({ DATA_DIR: dataDir });
	cleanup.push(() => server.stop());
	const library = await server.admin.json<{ id: string; title: string }[]>('/api/quizzes');
	expect(library.map((quiz) => quiz.title)).toContain('Kept through a power cut');
	expect((await server.admin.fetch(`/images/${whole}`)).status).toBe(200);
	expect((await server.admin.fetch(`/images/${broken}`)).status).toBe(404);
	expect(server.output()).toContain(
		`Picture skipped: ${join(dataDir, 'images', broken)} is damaged: its bytes no longer match its name`
	);

	// A report damaged while the server runs (an answer no longer JSON).
	const db = new Database(join(dataDir, 'quizroom.db'));
	db.pragma('busy_timeout = 5000');
	db.pragma('ignore_check_constraints = ON');
	db.prepare("UPDATE game_answers SET answer = '{\"kind' WHERE game_id = 'report-damaged'").run();
	db.close();
	expect((await server.admin.fetch('/reports/report-damaged')).status).toBe(404);
	expect(server.output()).toMatch(/Report report-damaged in \S+ cannot be read, skipped: /);
	expect((await server.admin.fetch('/reports/report-kept')).status).toBe(200);
	const list = await server.admin.fetch('/reports');
	expect(list.status).toBe(200);
	expect(await list.text()).toContain('reports/report-kept');

	// Not while a server runs on it.
	const refused = await npm('restore', { DATA_DIR: dataDir });
	expect(refused.code).toBe(1);
	expect(refused.output).toContain(`${dataDir} is in use by another Quizroom`);
	expect(existsSync(join(dataDir, 'quizroom.db'))).toBe(true);
}, 60_000);

test('with DATABASE_URL, restore prints the pg_restore command and touches nothing', async () => {
	const dataDir = copyOf('postgres');
	const printed = await npm(
		'restore',
		{ DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:secret@db/quizroom' },
		'night.dump'
	);
	expect(printed.code).toBe(0);
	expect(printed.output).toContain(
		'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" night.dump'
	);
	expect(printed.output).not.toContain('secret');
	expect(readdirSync(join(dataDir, '..'))).toEqual(['data']);
});
