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
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
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

/**
 * Copies the data directory's record into `into` (a new or empty directory), safely while a
 * server runs on it. The source is only read.
 */
export async function backupDataDir(dataDir: string, into: string): Promise<BackupResult> {
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
		db.pragma('busy_timeout = 5000');
		const version = schemaVersion(db);
		if (version > LATEST_SCHEMA_VERSION) {
			throw new SchemaTooNewError(file, version, LATEST_SCHEMA_VERSION);
		}
		await db.backup(join(target, DATABASE_FILE));
	} finally {
		db.close();
	}
	// After the database: a picture its quizzes name was there when it was copied (the sweep
	// deletes only pictures unused for 30 days).
	let bytes = statSync(join(target, DATABASE_FILE)).size;
	let pictures = 0;
	const images = join(source, IMAGES_DIR);
	for (const name of existsSync(images) ? readdirSync(images) : []) {
		// Only pictures: a half-written upload (`.tmp`) is not one yet.
		if (imageTypeOf(name) === null) continue;
		const copied = copyPicture(join(images, name), join(target, IMAGES_DIR, name));
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
			quizzes: (await storage.listQuizzes()).length,
			reports: (await storage.listGames()).length,
			accounts: (await storage.accounts.listAccounts()).length,
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

/** Copies one picture with its modification time (the sweep's clock); null if it is gone. */
function copyPicture(from: string, to: string): number | null {
	try {
		const { mtimeMs, size } = statSync(from);
		copyFileSync(from, to);
		// In seconds with the fraction: a Date would cut the sub-millisecond part.
		utimesSync(to, mtimeMs / 1000, mtimeMs / 1000);
		return size;
	} catch (error) {
		// Swept between the listing and the copy.
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

/** The commands that back up and restore the record in PostgreSQL, for whoever runs it. */
export function postgresBackupCommands(file: string): { backup: string; restore: string } {
	return {
		backup: `pg_dump --format=custom --file=${file} "$DATABASE_URL"`,
		restore: `pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" ${file}`
	};
}
