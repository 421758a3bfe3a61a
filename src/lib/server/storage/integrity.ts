/**
 * The record checked before a server opens it, and a damaged one refused in words.
 *
 * SQLite: `PRAGMA quick_check` reads every page of quizroom.db (about 25 ms for a school's
 * record, 10,000 quizzes and 200 reports, 18 MB). A power cut or a full SD card leaves pages
 * garbled or the file cut short; today that surfaced later as one log line, "database disk
 * image is malformed". Refused here, the message names the file, says what SQLite found (in
 * its own words, a few lines) and the two ways out: restore the newest automatic backup
 * (auto-backup.ts) with `npm run restore`, or start on an empty data directory after moving
 * the damaged one aside. The file is opened read-only: never repaired, moved or deleted here.
 *
 * PostgreSQL: its own checksums and WAL guard its pages; what a node can cheaply check is that
 * the schema is readable and each table answers a one-row query (checkPostgresTables).
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { BACKUPS_DIR, listBackups, stamp } from './auto-backup.ts';
import { DATABASE_FILE, IMAGES_DIR } from './sqlite.ts';

/** SQLite's lines shown at most; quick_check stops after this many problems anyway. */
const SHOWN_PROBLEMS = 4;

/** A database that failed its check: the message is the whole advice, ready to print. */
export class DamagedDatabaseError extends Error {
	override readonly name = 'DamagedDatabaseError';
	constructor(
		readonly file: string,
		readonly problems: readonly string[],
		advice: string
	) {
		super(advice);
	}
}

/**
 * What is wrong with a SQLite file, in SQLite's words (and ours for a file cut short); empty
 * when it is whole or absent. Only reads it.
 */
export function databaseProblems(file: string): string[] {
	if (!existsSync(file)) return [];
	const problems: string[] = [];
	const cut = cutShort(file);
	if (cut) problems.push(cut);
	let db: Database.Database;
	try {
		db = new Database(file, { readonly: true, fileMustExist: true });
	} catch (error) {
		return [...problems, reason(error)];
	}
	try {
		// Iterated, not .all(): quick_check lists the damage it finds, then often fails on it
		// (a table scan for CHECK constraints reaching a garbled page); the list comes first.
		const tables = tableRoots(db);
		try {
			for (const line of db.prepare(`PRAGMA quick_check(${SHOWN_PROBLEMS})`).pluck().iterate()) {
				if (line === 'ok') continue;
				for (const part of String(line).split('\n')) {
					if (part.startsWith('*** in database')) continue;
					problems.push(part.replace(/^Tree (\d+)/, (tree, root) => named(tree, tables.get(root))));
				}
			}
		} catch (error) {
			problems.push(reason(error));
		}
	} finally {
		db.close();
	}
	return [...new Set(problems)];
}

/** "Tree 4" as "Tree 4 (table quizzes)", when the schema could be read. */
function named(tree: string, table: string | undefined): string {
	return table ? `${tree} (${table})` : tree;
}

function tableRoots(db: Database.Database): Map<string, string> {
	try {
		const rows = db
			.prepare<[], { type: string; name: string; rootpage: number }>(
				'SELECT type, name, rootpage FROM sqlite_schema WHERE rootpage > 0'
			)
			.all();
		return new Map(rows.map((row) => [String(row.rootpage), `${row.type} ${row.name}`]));
	} catch {
		return new Map();
	}
}

/**
 * A file shorter than its own header says (bytes 16-17: page size, 28-31: pages, valid while
 * bytes 92-95 equal the change counter at 24-27). In WAL mode the file is never shorter than
 * that: new pages wait in the -wal file until a checkpoint writes them and the header together.
 */
function cutShort(file: string): string | null {
	const size = statSync(file).size;
	if (size < 100) return size === 0 ? null : `the file is ${size} bytes: cut short`;
	const header = Buffer.alloc(100);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, header, 0, 100, 0);
	} finally {
		closeSync(fd);
	}
	if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null;
	const raw = header.readUInt16BE(16);
	const pageSize = raw === 1 ? 65536 : raw;
	const pages = header.readUInt32BE(28);
	if (header.readUInt32BE(92) !== header.readUInt32BE(24) || pages === 0) return null;
	const expected = pages * pageSize;
	if (size >= expected) return null;
	return `the file is ${bytes(size)}, but its header says ${bytes(expected)} (${pages} pages): it was cut short`;
}

function reason(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function bytes(n: number): string {
	if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
	return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export interface DataDirCheck {
	/** DATA_DIR, absolute. */
	dataDir: string;
	/** Set: the record is in PostgreSQL and this file holds only the node's games in progress. */
	recordElsewhere?: boolean;
	/** The server's folder, where the printed commands are typed (default: the current one). */
	cwd?: string;
	now?: number;
}

/**
 * Refuses a damaged quizroom.db with DamagedDatabaseError. An absent file is a fresh start; an
 * empty one (0 bytes) is too, unless the directory has pictures or backups (a record was there).
 */
export function checkDataDir(check: DataDirCheck): void {
	const file = join(check.dataDir, DATABASE_FILE);
	if (!existsSync(file)) return;
	let problems = databaseProblems(file);
	if (problems.length === 0 && statSync(file).size === 0 && hadRecord(check.dataDir)) {
		problems = ['the file is empty (0 bytes), but pictures or backups are beside it: cut short'];
	}
	if (problems.length === 0) return;
	throw new DamagedDatabaseError(file, problems, damageAdvice(file, problems, check));
}

function hadRecord(dataDir: string): boolean {
	const images = join(dataDir, IMAGES_DIR);
	const pictures = existsSync(images) && readdirSync(images).length > 0;
	return pictures || listBackups(dataDir).length > 0;
}

/** The message a damaged database is refused with: what, where, and the two ways out. */
export function damageAdvice(
	file: string,
	problems: readonly string[],
	check: DataDirCheck
): string {
	const cwd = check.cwd ?? process.cwd();
	const dataDir = resolve(check.dataDir);
	const shown = (path: string) => shownPath(path, cwd);
	const aside = `${dataDir}-damaged-${stamp(check.now ?? Date.now())}`;
	const listed = problems.slice(0, SHOWN_PROBLEMS).map((line) => `    ${line}`);
	if (problems.length > SHOWN_PROBLEMS)
		listed.push(`    … and ${problems.length - SHOWN_PROBLEMS} more`);
	const lines = [
		`The database ${file} is damaged: Quizroom will not start on it. SQLite says:`,
		...listed,
		'The file is left exactly as it is (nothing is repaired, moved or deleted).',
		''
	];
	const envPrefix =
		resolve(cwd, dataDir) === resolve(cwd, 'data') ? '' : `DATA_DIR=${shellWord(shown(dataDir))} `;
	if (check.recordElsewhere) {
		lines.push(
			'The record (quizzes, reports, accounts) is in PostgreSQL and safe: this file holds only',
			"this node's games in progress, and reports of finished games not yet in PostgreSQL.",
			`The way out: move the data directory aside (it is kept) and start again, from ${cwd}:`,
			`    mv ${shellWord(shown(dataDir))} ${shellWord(shown(aside))}`
		);
		return lines.join('\n');
	}
	const backups = listBackups(dataDir);
	const newest = backups.at(-1);
	const backupsDir = join(dataDir, BACKUPS_DIR);
	lines.push(`Two ways out, typed in ${cwd}:`, '');
	if (newest) {
		lines.push(
			`  1. Restore the newest automatic backup, ${newest.name} (${backups.length} in ${shown(backupsDir)}):`,
			`       ${envPrefix}npm run restore -- ${shellWord(shown(newest.dir))}`,
			'     It checks the backup first, then moves the damaged directory aside (nothing is',
			'     deleted). The older backups are beside it: name one instead to go further back.'
		);
	} else {
		lines.push(
			`  1. Restore a backup: there is no automatic one in ${shown(backupsDir)} yet (one is made`,
			'     a minute after a start, then daily). One made with `npm run backup` is restored with',
			`       ${envPrefix}npm run restore -- <its directory>`
		);
	}
	const keepBackups = newest
		? [
				`       mkdir ${shellWord(shown(dataDir))}`,
				`       mv ${shellWord(shown(join(aside, BACKUPS_DIR)))} ${shellWord(shown(backupsDir))}`
			]
		: [];
	lines.push(
		'',
		`  2. Or start with an empty data directory, moving the damaged one aside${newest ? ' (the backups come back)' : ''}:`,
		`       mv ${shellWord(shown(dataDir))} ${shellWord(shown(aside))}`,
		...keepBackups,
		'     The next start begins with the sample quizzes; the damaged copy stays in',
		`     ${shown(aside)} for whoever can recover from it (e.g. sqlite3's .recover).`
	);
	return lines.join('\n');
}

/** A path as typed from `cwd`: relative below it, absolute elsewhere. */
export function shownPath(path: string, cwd = process.cwd()): string {
	const below = relative(cwd, path);
	return below && !below.startsWith('..') && !isAbsolute(below) ? below : path;
}

/** Quoted for a POSIX shell when it holds anything but plain path characters. */
export function shellWord(value: string): string {
	return /^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
