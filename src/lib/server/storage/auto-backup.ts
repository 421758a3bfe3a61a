/**
 * Automatic backups of the SQLite record (no DATABASE_URL), so that "restore the last backup"
 * (integrity.ts, `npm run restore`) always has something to restore:
 *
 *   <DATA_DIR>/backups/2026-12-08T03-00-00Z/    quizroom.db and images/: a data directory
 *
 * Each is made by backupDataDir (backup.ts): the database copied in a worker thread as one
 * consistent moment, the pictures by the thread pool, so games play on meanwhile; pictures an
 * earlier backup has are hard-linked from it. One is due when there is none or the newest is a day old: the
 * first a minute after a start (a fresh party laptop has one before its first game ends),
 * then daily. A server restarting often does not make one per start, so a crash loop cannot
 * push the good backups out. The newest BACKUPS_KEPT (7) are kept, the older deleted; only
 * directories named as ours are ever deleted. A backup is made under a hidden `.partial` name
 * and renamed when whole, so a crash mid-way never leaves one that looks complete.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { backupDataDir, type BackupResult } from './backup.ts';
import { DATABASE_FILE, IMAGES_DIR } from './sqlite.ts';

export const BACKUPS_DIR = 'backups';
export const BACKUPS_KEPT = 7;
export const BACKUP_EVERY_MS = 24 * 60 * 60_000;
export const FIRST_BACKUP_AFTER_MS = 60_000;
/** Left free on the disk after a backup, for the games' writes; less, and it waits. */
const RESERVE_BYTES = 100 * 1024 * 1024;
/** After a failed backup (a full disk, say): tried again this much later. */
const RETRY_AFTER_MS = 60 * 60_000;
const NAME = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)Z$/;
const PARTIAL = /^\..+\.partial$/;

export interface BackupEntry {
	name: string;
	/** Absolute. */
	dir: string;
	/** When it was made, from its name. */
	at: number;
}

/** The automatic backups in a data directory, oldest first. */
export function listBackups(dataDir: string): BackupEntry[] {
	const backups = join(dataDir, BACKUPS_DIR);
	if (!existsSync(backups)) return [];
	return readdirSync(backups, { withFileTypes: true })
		.flatMap((entry) => {
			const at = entry.isDirectory() ? timeOf(entry.name) : null;
			return at === null ? [] : [{ name: entry.name, dir: join(backups, entry.name), at }];
		})
		.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
}

function timeOf(name: string): number | null {
	const match = NAME.exec(name);
	if (!match) return null;
	const at = Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`);
	return Number.isNaN(at) ? null : at;
}

/** A UTC moment as a name: 2026-12-08T00-12-03Z (sorts by time; no colons, for Windows). */
export function stamp(at: number): string {
	return `${new Date(at).toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
}

export interface AutomaticBackupOptions {
	/** The record's directory: its server holds it open and writes on meanwhile. */
	dataDir: string;
	/** Backups kept (the newest); the rest are deleted after each new one. */
	keep: number;
	everyMs?: number;
	firstAfterMs?: number;
	now?: () => number;
	log?: Pick<Console, 'log' | 'error'>;
}

function count(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

function megabytes(bytes: number): string {
	return `${Math.round(bytes / 1024 / 1024)} MB`;
}

export class AutomaticBackups {
	private timer: ReturnType<typeof setTimeout> | null = null;
	private running: Promise<unknown> | null = null;
	private stopping = false;
	private readonly abandon = new AbortController();
	private readonly now: () => number;
	private readonly log: Pick<Console, 'log' | 'error'>;

	constructor(private readonly options: AutomaticBackupOptions) {
		this.now = options.now ?? Date.now;
		this.log = options.log ?? console;
	}

	/** The first look a minute from now (FIRST_BACKUP_AFTER_MS); each look plans the next. */
	start(): this {
		this.plan(this.options.firstAfterMs ?? FIRST_BACKUP_AFTER_MS);
		return this;
	}

	/** Makes one if due; either way plans the next look. Null when none was due. */
	async runIfDue(): Promise<BackupResult | null> {
		const every = this.options.everyMs ?? BACKUP_EVERY_MS;
		const newest = listBackups(this.options.dataDir).at(-1);
		const age = newest ? this.now() - newest.at : Infinity;
		// A newest one from the future (the clock set back) is not trusted to be recent.
		if (age >= 0 && age < every) {
			this.plan(every - age);
			return null;
		}
		try {
			const done = await this.backupNow();
			this.plan(every);
			return done;
		} catch (error) {
			if (this.stopping) return null;
			this.log.error(
				`Automatic backup of ${this.options.dataDir} failed (tried again in an hour): ` +
					(error instanceof Error ? error.message : String(error))
			);
			this.plan(RETRY_AFTER_MS);
			return null;
		}
	}

	/** A backup now, then the oldest beyond `keep` deleted. */
	async backupNow(): Promise<BackupResult> {
		const work = this.make();
		this.running = work.catch(() => {});
		try {
			return await work;
		} finally {
			this.running = null;
		}
	}

	/** No further backups; one under way is abandoned (its partial copy removed). */
	async stop(): Promise<void> {
		this.stopping = true;
		this.abandon.abort();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		await this.running;
	}

	private plan(inMs: number): void {
		if (this.stopping) return;
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.runIfDue(), inMs);
		this.timer.unref();
	}

	private async make(): Promise<BackupResult> {
		const { dataDir } = this.options;
		const backups = join(dataDir, BACKUPS_DIR);
		mkdirSync(backups, { recursive: true });
		// Left by a backup a crash or a stop cut short: ours, never a whole backup.
		for (const name of readdirSync(backups)) {
			if (PARTIAL.test(name)) await rm(join(backups, name), { recursive: true, force: true });
		}
		const name = stamp(this.now());
		const dir = join(backups, name);
		if (existsSync(dir)) throw new Error(`${dir} already exists`);
		const partial = join(backups, `.${name}.partial`);
		const earlier = listBackups(dataDir).at(-1);
		await this.checkRoom(backups, Boolean(earlier));
		let done: BackupResult;
		try {
			done = await backupDataDir(dataDir, partial, {
				linkPicturesFrom: earlier?.dir,
				signal: this.abandon.signal
			});
			await rename(partial, dir);
		} catch (error) {
			await rm(partial, { recursive: true, force: true });
			throw error;
		}
		const pruned = await this.prune();
		this.log.log(
			`  Backed up to ${dir} in ${(done.ms / 1000).toFixed(1)} s: ` +
				`${count(done.quizzes, 'quiz', 'quizzes')}, ${count(done.reports, 'report')}, ` +
				`${count(done.pictures, 'picture')}` +
				(pruned > 0 ? `; ${count(pruned, 'older backup')} deleted` : '')
		);
		return { ...done, dir };
	}

	/**
	 * A backup must not be what fills the disk under a game: it is skipped (and tried again in
	 * an hour) unless, after it, RESERVE_BYTES stay free. Its size is the database's and its
	 * WAL's, and the pictures' when there is no earlier backup to link them from.
	 */
	private async checkRoom(backups: string, linked: boolean): Promise<void> {
		const { dataDir } = this.options;
		const sizeOf = async (path: string) => (await stat(path).catch(() => null))?.size ?? 0;
		let needed =
			(await sizeOf(join(dataDir, DATABASE_FILE))) +
			(await sizeOf(join(dataDir, `${DATABASE_FILE}-wal`)));
		if (!linked) {
			const images = join(dataDir, IMAGES_DIR);
			for (const name of existsSync(images) ? readdirSync(images) : []) {
				needed += await sizeOf(join(images, name));
			}
		}
		const { bavail, bsize } = await statfs(backups);
		const free = bavail * bsize;
		if (free - needed < RESERVE_BYTES) {
			throw new Error(
				`${megabytes(free)} free there, and a backup takes about ${megabytes(needed)} ` +
					`with ${megabytes(RESERVE_BYTES)} kept free for the games: make room (older backups ` +
					`are in ${backups})`
			);
		}
	}

	private async prune(): Promise<number> {
		const all = listBackups(this.options.dataDir);
		const old = all.slice(0, Math.max(0, all.length - this.options.keep));
		for (const backup of old) await rm(backup.dir, { recursive: true, force: true });
		return old.length;
	}
}
