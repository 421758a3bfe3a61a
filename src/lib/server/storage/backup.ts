/**
 * A backup of a data directory while its server runs (`npm run backup`), and the snapshot
 * `npm run migrate` reads a laptop's record from, so it never writes to the source.
 *
 * A backup is itself a data directory: `quizroom.db`, copied with SQLite's online backup
 * (`db.backup()`: page by page, restarting when the server commits meanwhile, so the copy is
 * one consistent moment even though the server holds the file open in WAL mode and writes on),
 * and `images/`, the pictures, which are files beside it (content-addressed, written whole and
 * never changed, so a plain copy of each is exact). A directory rather than one archive: it is
 * restored by copying it back (or by pointing DATA_DIR at it), needs no tool to unpack on any
 * laptop, and a server started on it is the test that it works.
 *
 * Games in progress are left out of a backup: restored later, they would start again from the
 * moment of the backup although they went on (and ended) after it. Reports held for the record
 * store (live-rooms.ts) stay: they are finished games not yet saved.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { copyFile, link, rm, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { LATEST_SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from './migrations.ts';
import { imageTypeOf } from './shared.ts';
import { DATABASE_FILE, IMAGES_DIR, SqliteStorage } from './sqlite.ts';

export interface BackupResult {
	/** The backup's directory, absolute. */
	dir: string;
	quizzes: number;
	reports: number;
	accounts: number;
	pictures: number;
	/** Bytes of quizroom.db and the pictures. */
	bytes: number;
	/** Games in progress in the source, left out. */
	liveGames: number;
	/** Finished games' reports the source's node still holds for its record store (kept). */
	heldReports: number;
	ms: number;
}

/** A data directory that is not one: said with what was looked for. */
export class NotADataDirError extends Error {
	override readonly name = 'NotADataDirError';
	constructor(dir: string) {
		super(
			existsSync(dir)
				? `${dir} has no ${DATABASE_FILE}: it is not a Quizroom data directory (DATA_DIR)`
				: `There is no directory ${dir} (a Quizroom data directory, DATA_DIR, was expected)`
		);
	}
}

export interface BackupOptions {
	/**
	 * An earlier backup: a picture it has is hard-linked from it rather than copied again, so
	 * seven daily backups of a GB of pictures do not take 7 GB. Links between backups only,
	 * never into DATA_DIR/images: a picture damaged there later is not damaged in a backup.
	 */
	linkPicturesFrom?: string;
	/** Abandons the copy (a server stopping): the caller removes what was made. */
	signal?: AbortSignal;
}

/**
 * Copies the data directory's record into `into` (a new or empty directory), safely while a
 * server runs on it. The source is only read. Nothing but quizroom.db and images/ is copied:
 * not the backups beside them, nor the lock. The database is copied in a worker thread and
 * the pictures by the thread pool, so a server making one keeps its games' ticks.
 */
export async function backupDataDir(
	dataDir: string,
	into: string,
	options: BackupOptions = {}
): Promise<BackupResult> {
	const started = Date.now();
	const source = resolve(dataDir);
	const target = resolve(into);
	const file = join(source, DATABASE_FILE);
	if (!existsSync(file)) throw new NotADataDirError(source);
	if (existsSync(target) && readdirSync(target).length > 0) {
		throw new Error(`${target} already exists and is not empty: name a new directory`);
	}
	mkdirSync(join(target, IMAGES_DIR), { recursive: true });

	// Read-only: the server's file is never written, not even migrated.
	const db = new Database(file, { readonly: true, fileMustExist: true });
	try {
		const version = schemaVersion(db);
		if (version > LATEST_SCHEMA_VERSION) {
			throw new SchemaTooNewError(file, version, LATEST_SCHEMA_VERSION);
		}
	} finally {
		db.close();
	}
	await copyDatabase(file, join(target, DATABASE_FILE), options.signal);
	// After the database: a picture its quizzes name was there when it was copied (the sweep
	// deletes only pictures unused for 30 days).
	let bytes = statSync(join(target, DATABASE_FILE)).size;
	let pictures = 0;
	const images = join(source, IMAGES_DIR);
	const earlier = options.linkPicturesFrom && join(options.linkPicturesFrom, IMAGES_DIR);
	for (const name of existsSync(images) ? readdirSync(images) : []) {
		// Only pictures: a half-written upload (`.tmp`) is not one yet.
		if (imageTypeOf(name) === null) continue;
		const to = join(target, IMAGES_DIR, name);
		const from = join(images, name);
		const copied =
			(earlier && (await linkPicture(join(earlier, name), from, to))) ||
			(await copyPicture(from, to));
		if (copied === null) continue;
		bytes += copied;
		pictures++;
	}

	// Opened as a server would open it: brought to this version's schema, games in progress out.
	const storage = SqliteStorage.open(target);
	try {
		const live = storage.live.list();
		for (const room of live) storage.live.removeRoom(room.pin);
		return {
			dir: target,
			...storage.recordCounts(),
			pictures,
			bytes,
			liveGames: live.length,
			heldReports: storage.live.heldReports().length,
			ms: Date.now() - started
		};
	} finally {
		await storage.close();
	}
}

/**
 * SQLite's online backup of `source` into `target`, in a worker thread with a read-only
 * connection of its own, in one step: one read transaction, so the copy is one consistent
 * moment and the server's commits meanwhile (WAL: they do not wait for it) cannot make it
 * start over, as they would between steps. On the event loop instead, 100-page steps and the
 * copy's final fsync held a game's loop up to 60 ms (18 MB record; see docs/ARCHITECTURE.md).
 */
export function copyDatabase(source: string, target: string, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('Backup abandoned'));
		const worker = new Worker(COPY_WORKER, {
			eval: true,
			workerData: { driver: DRIVER, source, target },
			execArgv: []
		});
		const abandon = () => void worker.terminate();
		signal?.addEventListener('abort', abandon, { once: true });
		let answered = false;
		worker.once('message', (message: { error?: string }) => {
			answered = true;
			if (message.error) reject(new Error(message.error));
			else resolve();
		});
		worker.once('error', (error) => {
			answered = true;
			reject(error);
		});
		worker.once('exit', () => {
			signal?.removeEventListener('abort', abandon);
			if (!answered) reject(new Error('Backup abandoned'));
		});
	});
}

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/** The worker: plain JavaScript, so it needs no TypeScript loader of its own. */
const COPY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.source, { readonly: true, fileMustExist: true, timeout: 5000 });
db.backup(workerData.target, { progress: () => 0x7fffffff }).then(
	() => { db.close(); parentPort.postMessage({}); },
	(error) => { db.close(); parentPort.postMessage({ error: String(error && error.message || error) }); }
);
`;

/** Copies one picture with its modification time (the sweep's clock); null if it is gone. */
async function copyPicture(from: string, to: string): Promise<number | null> {
	try {
		const { mtimeMs, size } = await stat(from);
		await copyFile(from, to);
		// In seconds with the fraction: a Date would cut the sub-millisecond part.
		await utimes(to, mtimeMs / 1000, mtimeMs / 1000);
		return size;
	} catch (error) {
		// Swept between the listing and the copy.
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

/**
 * The same picture from an earlier backup, linked, with the live file's modification time
 * (newer: the earlier backup's link shows it too, harmlessly). Null where it cannot be: not
 * in that backup, or a file system without links (FAT on an SD card): then it is copied.
 */
async function linkPicture(earlier: string, live: string, to: string): Promise<number | null> {
	try {
		const { mtimeMs, size } = await stat(live);
		await link(earlier, to);
		await utimes(to, mtimeMs / 1000, mtimeMs / 1000);
		return size;
	} catch {
		await rm(to, { force: true });
		return null;
	}
}

/** The commands that back up and restore the record in PostgreSQL, for whoever runs it. */
export function postgresBackupCommands(file: string): { backup: string; restore: string } {
	return {
		backup: `pg_dump --format=custom --file=${file} "$DATABASE_URL"`,
		restore: `pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" ${file}`
	};
}
