/**
 * The automatic backups on a clock the test moves (days pass in milliseconds): one when due,
 * none when the newest is recent, the newest N kept, nothing else in backups/ touched, and a
 * backup taken while the server's connection keeps writing is whole.
 */
import Database from 'better-sqlite3';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { makeGame, makeQuiz } from '../../testing/quiz-fixtures.ts';
import { AutomaticBackups, BACKUP_EVERY_MS, listBackups, stamp } from './auto-backup.ts';
import { checkDataDir } from './integrity.ts';
import { SqliteStorage } from './sqlite.ts';

const DAY = BACKUP_EVERY_MS;
const T0 = Date.parse('2026-12-01T03:00:00Z');
const quiet = { log: () => {}, error: () => {} };
const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'quizroom-auto-backup-'));
	dirs.push(dir);
	return dir;
}

test('one when due, none while the newest is recent; the newest N kept, nothing else touched', async () => {
	const dir = dataDir();
	const storage = SqliteStorage.open(dir);
	await storage.saveQuiz(makeQuiz('q1'), T0);
	const picture = await storage.saveImage(new Uint8Array([1, 2, 3]), 'image/png');
	let now = T0;
	const backups = new AutomaticBackups({ dataDir: dir, keep: 3, now: () => now, log: quiet });
	// Someone's own copy, and a backup a crash cut short: the one kept, the other cleared.
	mkdirSync(join(dir, 'backups', 'my-copy'), { recursive: true });
	mkdirSync(join(dir, 'backups', `.${stamp(T0 - DAY)}.partial`));

	const first = await backups.runIfDue();
	expect(first?.dir).toBe(join(dir, 'backups', stamp(T0)));
	expect(first).toMatchObject({ quizzes: 1, reports: 0, pictures: 1 });
	// A data directory of its own: not the backups, not the lock.
	expect(readdirSync(first!.dir).sort()).toEqual(['images', 'quizroom.db']);
	now += DAY / 2;
	expect(await backups.runIfDue()).toBeNull();

	for (let day = 1; day <= 5; day++) {
		now = T0 + day * DAY;
		await storage.saveGame(makeGame(`g${day}`, now));
		expect(await backups.runIfDue()).not.toBeNull();
	}
	const kept = listBackups(dir);
	expect(kept.map((backup) => backup.name)).toEqual([3, 4, 5].map((day) => stamp(T0 + day * DAY)));
	expect(readdirSync(join(dir, 'backups')).sort()).toEqual(
		[...kept.map((backup) => backup.name), 'my-copy'].sort()
	);
	// Each a whole record of its day; the picture one file shared by links, not three copies.
	const newest = SqliteStorage.open(kept.at(-1)!.dir);
	expect((await newest.listGames()).length).toBe(5);
	await newest.close();
	expect(statSync(join(kept.at(-1)!.dir, 'images', picture)).nlink).toBe(3);
	await storage.close();
});

test('started, it makes the first soon and the next when due; stopped, no more', async () => {
	const dir = dataDir();
	const storage = SqliteStorage.open(dir);
	let now = T0;
	const backups = new AutomaticBackups({
		dataDir: dir,
		keep: 7,
		firstAfterMs: 5,
		everyMs: 30,
		// Each look is a day later: names are by the second.
		now: () => (now += DAY),
		log: quiet
	}).start();
	for (let i = 0; i < 200 && listBackups(dir).length < 2; i++) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	await backups.stop();
	const made = listBackups(dir).length;
	expect(made).toBeGreaterThanOrEqual(2);
	await new Promise((resolve) => setTimeout(resolve, 100));
	expect(listBackups(dir).length).toBe(made);
	await storage.close();
});

test('a backup under way when the server stops is abandoned, leaving no partial copy', async () => {
	const dir = dataDir();
	const storage = SqliteStorage.open(dir);
	await storage.saveQuiz(makeQuiz('q1'), T0);
	const backups = new AutomaticBackups({ dataDir: dir, keep: 7, log: quiet });
	const making = backups.backupNow().catch(() => null);
	await backups.stop();
	await making;
	expect(readdirSync(join(dir, 'backups')).filter((name) => name.startsWith('.'))).toEqual([]);
	await storage.close();
});

test('a backup while the server writes is whole', async () => {
	const dir = dataDir();
	const storage = SqliteStorage.open(dir);
	for (let i = 0; i < 300; i++) await storage.saveQuiz(makeQuiz(`q${i}`, `Quiz ${i}`, 10), T0);
	const backups = new AutomaticBackups({ dataDir: dir, keep: 7, log: quiet });
	let writing = true;
	let written = 0;
	const writes = (async () => {
		while (writing) {
			await storage.saveGame(makeGame(`g${written++}`));
			await new Promise((resolve) => setImmediate(resolve));
		}
	})();
	const done = await backups.backupNow();
	writing = false;
	await writes;
	expect(written).toBeGreaterThan(0);
	const copy = new Database(join(done.dir, 'quizroom.db'), { readonly: true });
	expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
	expect(copy.prepare('SELECT count(*) FROM quizzes').pluck().get()).toBe(300);
	copy.close();
	await storage.close();
});

test('an empty quizroom.db is a fresh start, unless a record was beside it', () => {
	const fresh = dataDir();
	new Database(join(fresh, 'quizroom.db')).close();
	expect(() => checkDataDir({ dataDir: fresh })).not.toThrow();
	mkdirSync(join(fresh, 'images'));
	writeFileSync(join(fresh, 'images', `${'b'.repeat(64)}.png`), 'a picture');
	expect(() => checkDataDir({ dataDir: fresh })).toThrow(/the file is empty \(0 bytes\)/);
	expect(existsSync(join(fresh, 'quizroom.db'))).toBe(true);
});
