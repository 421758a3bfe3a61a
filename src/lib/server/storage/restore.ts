/**
 * `npm run restore`: a backup (an automatic one, DATA_DIR/backups/<stamp>, or one `npm run
 * backup` made) put back as the data directory, after checking it.
 *
 * In order: the data directory's lock is taken (lock.ts; refused while a server runs on it);
 * the backup is checked (quick_check, a schema version this Quizroom knows, its counts) and
 * copied beside the data directory (`<dir>.restoring-<stamp>`, read through SQLite, so a backup
 * a server was once started on is copied with its -wal); then the data directory is renamed
 * aside (`<dir>-before-restore-<stamp>`: never deleted, never written), the copy renamed into
 * its place, and the automatic backups moved from the old directory into the new one, so they
 * go on (and an older one can still be chosen). A failure before the renames leaves the data
 * directory as it was, and removes only the copy it made.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { copyFile, rm, stat, utimes } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BACKUPS_DIR, stamp } from './auto-backup.ts';
import { NotADataDirError } from './backup.ts';
import { databaseProblems } from './integrity.ts';
import { lockDataDir } from './lock.ts';
import { LATEST_SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from './migrations.ts';
import { imageTypeOf } from './shared.ts';
import { DATABASE_FILE, IMAGES_DIR } from './sqlite.ts';

export interface CheckedBackup {
	dir: string;
	schemaVersion: number;
	quizzes: number;
	reports: number;
	accounts: number;
	pictures: number;
}

export interface RestoreResult extends CheckedBackup {
	dataDir: string;
	/** Where the data directory that was there went; null if there was none. */
	aside: string | null;
	/** The automatic backups moved from the old directory into the restored one. */
	backupsMoved: boolean;
	ms: number;
}

/** A backup that is not fit to restore, said with why. */
export class BackupUnfitError extends Error {
	override readonly name = 'BackupUnfitError';
}

/** Reads a backup (never writes it) and says what it holds, or why it is not fit. */
export function checkBackup(dir: string): CheckedBackup {
	const from = resolve(dir);
	const file = join(from, DATABASE_FILE);
	if (!existsSync(file)) throw new NotADataDirError(from);
	const problems = databaseProblems(file);
	if (problems.length > 0) {
		throw new BackupUnfitError(`The backup ${file} is damaged too: ${problems.join('; ')}`);
	}
	const db = new Database(file, { readonly: true, fileMustExist: true });
	try {
		const version = schemaVersion(db);
		if (version > LATEST_SCHEMA_VERSION) {
			throw new SchemaTooNewError(file, version, LATEST_SCHEMA_VERSION);
		}
		const has = (table: string): boolean =>
			db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !==
			undefined;
		// Accounts came with schema version 10: an older backup has none.
		const count = (table: string): number =>
			has(table) ? (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) : 0;
		if (version === 0 || !has('quizzes')) {
			throw new BackupUnfitError(`${file} holds no Quizroom record (schema version ${version})`);
		}
		const images = join(from, IMAGES_DIR);
		return {
			dir: from,
			schemaVersion: version,
			quizzes: count('quizzes'),
			reports: count('games'),
			accounts: count('accounts'),
			pictures: existsSync(images)
				? readdirSync(images).filter((name) => imageTypeOf(name) !== null).length
				: 0
		};
	} finally {
		db.close();
	}
}

export async function restoreDataDir(
	backupDir: string,
	dataDir: string,
	now = Date.now()
): Promise<RestoreResult> {
	const started = Date.now();
	const from = resolve(backupDir);
	const target = resolve(dataDir);
	if (from === target) throw new BackupUnfitError(`${from} is the data directory itself`);
	const lock = existsSync(target) ? lockDataDir(target) : null;
	const staging = `${target}.restoring-${stamp(now)}`;
	let staged = false;
	try {
		const checked = checkBackup(from);
		if (existsSync(staging)) throw new Error(`${staging} is in the way: move it elsewhere`);
		mkdirSync(join(staging, IMAGES_DIR), { recursive: true });
		staged = true;
		const db = new Database(join(from, DATABASE_FILE), { readonly: true, fileMustExist: true });
		try {
			await db.backup(join(staging, DATABASE_FILE));
		} finally {
			db.close();
		}
		const images = join(from, IMAGES_DIR);
		for (const name of existsSync(images) ? readdirSync(images) : []) {
			if (imageTypeOf(name) === null) continue;
			const { mtimeMs } = await stat(join(images, name));
			await copyFile(join(images, name), join(staging, IMAGES_DIR, name));
			await utimes(join(staging, IMAGES_DIR, name), mtimeMs / 1000, mtimeMs / 1000);
		}

		let aside: string | null = null;
		if (existsSync(target)) {
			aside = freeName(`${target}-before-restore-${stamp(now)}`);
			renameSync(target, aside);
		}
		renameSync(staging, target);
		staged = false;
		let backupsMoved = false;
		if (aside && existsSync(join(aside, BACKUPS_DIR))) {
			renameSync(join(aside, BACKUPS_DIR), join(target, BACKUPS_DIR));
			backupsMoved = true;
		}
		return { ...checked, dataDir: target, aside, backupsMoved, ms: Date.now() - started };
	} finally {
		if (staged) await rm(staging, { recursive: true, force: true });
		lock?.release();
	}
}

/** `path`, or `path-2`, `path-3`… whichever is free. */
function freeName(path: string): string {
	let candidate = path;
	for (let n = 2; existsSync(candidate); n++) candidate = `${path}-${n}`;
	return candidate;
}
