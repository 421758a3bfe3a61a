/**
 * Who is using a data directory: a running server holds `quizroom.lock` for as long as it
 * runs, and `npm run restore` takes it before moving the directory aside, so neither pulls
 * the directory from under the other (and two servers never play the same games).
 *
 * The lock is SQLite's own file lock (an EXCLUSIVE lock, kept in `locking_mode = EXCLUSIVE`)
 * on a small file of its own, never on quizroom.db: the operating system drops it when the
 * process ends however it ends (a crash, kill -9, a power cut), so there is no stale pid file
 * to clean up, and it works alike on Linux, macOS and Windows.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'quizroom.lock';

export class DataDirInUseError extends Error {
	override readonly name = 'DataDirInUseError';
	constructor(readonly dataDir: string) {
		super(
			`${dataDir} is in use by another Quizroom (a server running on it, or \`npm run restore\`): ` +
				'stop that one first (Ctrl+C in its terminal), or give this one another DATA_DIR.'
		);
	}
}

export interface DataDirLock {
	release(): void;
}

/**
 * Takes the directory's lock (creating the directory if missing), or throws DataDirInUseError.
 * Keep the returned lock referenced until release: a collected connection is closed, and its
 * lock dropped with it.
 */
export function lockDataDir(dataDir: string): DataDirLock {
	mkdirSync(dataDir, { recursive: true });
	// timeout 0: a held lock is an answer, not something to wait for.
	const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 });
	try {
		// No journal file beside it: the lock's transaction never writes anything.
		db.pragma('journal_mode = MEMORY');
		db.pragma('locking_mode = EXCLUSIVE');
		db.exec('BEGIN EXCLUSIVE; COMMIT');
	} catch (error) {
		db.close();
		if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir);
		throw error;
	}
	return { release: () => db.close() };
}
