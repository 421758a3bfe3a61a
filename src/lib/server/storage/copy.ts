/**
 * Moving the record from one store to another (`npm run migrate`): a laptop's data directory
 * into PostgreSQL and back, a cluster's Redis from before PostgreSQL into PostgreSQL.
 *
 * The record is everything but games in progress: accounts with their password hashes,
 * sessions, one-time links and passkeys; quizzes with owners, times and shares; pictures with
 * their bytes, owners and clock; reports; the "samples seeded" flag. Sessions are copied too:
 * they are stored by the SHA-256 of their cookie, so a copy lets nobody in who was not already,
 * and hosts whose browser reaches the new server at the old address stay signed in (a cluster
 * moving its record). Failed sign-ins are not: a back-off that forgets in minutes.
 *
 * How a copy goes:
 *
 * 1. The target's record is counted and checksummed. Empty: on to 3.
 * 2. Not empty: the source's is too. The same: "already there", nothing written (a second run
 *    is harmless). Different: refused, saying what the target holds, unless `force`, which
 *    clears the target's record first.
 * 3. Every batch the source exports is written to the target as it is (each batch one
 *    transaction), and tallied.
 * 4. The target is exported again and tallied the same way: every kind must have the same
 *    count and checksum as the source had, or the copy fails saying which.
 *
 * A checksum of a kind is the SHA-256 of its rows, each as canonical JSON (keys sorted, bytes
 * as their SHA-256), sorted by id: the same rows give the same sum in any store, in any order.
 *
 * The source is never written: a data directory is read through a snapshot (backup.ts); a
 * PostgreSQL database must be at this version's schema (it is not migrated); Redis is read
 * without stamping or upgrading its format.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AccountBatch } from './accounts.ts';
import { backupDataDir, NotADataDirError } from './backup.ts';
import { byId } from './batches.ts';
import { MemoryLiveRooms } from './live-rooms.ts';
import { connectPostgres, redactedDatabaseUrl } from './postgres-client.ts';
import { LATEST_POSTGRES_VERSION, PostgresSchemaTooNewError } from './postgres-migrations.ts';
import { PostgresStorage } from './postgres.ts';
import { connectRedis, redactedUrl, type RedisClient } from './redis-client.ts';
import {
	DEFAULT_REDIS_PREFIX,
	REDIS_FORMAT,
	RedisFormatTooNewError,
	RedisStorage
} from './redis.ts';
import { SqliteStorage } from './sqlite.ts';
import type { RecordBatch, Storage } from './storage.ts';

export type Batch = AccountBatch | RecordBatch;
export type Kind = Batch['kind'];

/** In the order they are copied (an account before what it owns) and shown. */
export const KINDS: readonly Kind[] = [
	'accounts',
	'sessions',
	'links',
	'passkeys',
	'meta',
	'quizzes',
	'images',
	'reports'
];

/** What each kind is called in the summary. */
export const KIND_NAMES: Record<Kind, string> = {
	accounts: 'accounts',
	sessions: 'sessions',
	links: 'one-time links',
	passkeys: 'passkeys',
	meta: 'flags',
	quizzes: 'quizzes',
	images: 'pictures',
	reports: 'reports'
};

// ---------------------------------------------------------------------------------------------
// Counts and checksums

export interface KindSum {
	count: number;
	/** SHA-256 (hex) of the kind's rows, sorted by id. */
	checksum: string;
}

export type RecordSums = Record<Kind, KindSum>;

/** Tallies batches as they pass: per kind, each row's id and the hash of its canonical JSON. */
export class Tally {
	private readonly rows = new Map<Kind, [id: string, hash: string][]>(
		KINDS.map((kind) => [kind, []])
	);
	/** Shares of all quizzes, for the summary. */
	shares = 0;

	add(batch: Batch): void {
		const list = this.rows.get(batch.kind)!;
		for (const row of batch.rows) {
			list.push([rowId(batch.kind, row), sha256(canonicalJson(row))]);
		}
		if (batch.kind === 'quizzes') {
			for (const row of batch.rows) this.shares += row.shares.length;
		}
	}

	sums(): RecordSums {
		const sums = {} as RecordSums;
		for (const [kind, list] of this.rows) {
			const sorted = [...list].sort((a, b) => byId(a[0], b[0]) || byId(a[1], b[1]));
			const hash = createHash('sha256');
			for (const [id, rowHash] of sorted) hash.update(`${id}\t${rowHash}\n`);
			sums[kind] = { count: list.length, checksum: hash.digest('hex') };
		}
		return sums;
	}
}

function rowId(kind: Kind, row: Batch['rows'][number]): string {
	if (kind === 'quizzes') return (row as { quiz: { id: string } }).quiz.id;
	if (kind === 'meta') return (row as { key: string }).key;
	return (row as { id: string }).id;
}

/**
 * JSON with every object's keys sorted and bytes as `{"sha256": …}`, so equal rows give equal
 * text whichever store they came from and in whatever order it built them.
 */
export function canonicalJson(value: unknown): string {
	if (value instanceof Uint8Array) return JSON.stringify({ sha256: sha256(value) });
	if (Array.isArray(value))
		return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value)
			.filter(([, item]) => item !== undefined)
			.sort(([a], [b]) => byId(a, b));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

function sha256(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Every batch of the store's record: accounts first, as they must go in. */
export async function* exportEverything(storage: Storage): AsyncIterable<Batch> {
	yield* storage.accounts.exportAccounts();
	yield* storage.exportRecord();
}

/** Counts and checksums of everything the store holds. */
export async function recordSums(storage: Storage): Promise<{ sums: RecordSums; shares: number }> {
	const tally = new Tally();
	for await (const batch of exportEverything(storage)) tally.add(batch);
	return { sums: tally.sums(), shares: tally.shares };
}

export function isEmpty(sums: RecordSums): boolean {
	return KINDS.every((kind) => sums[kind].count === 0);
}

/** The kinds whose count or checksum differ. */
export function differences(a: RecordSums, b: RecordSums): Kind[] {
	return KINDS.filter(
		(kind) => a[kind].count !== b[kind].count || a[kind].checksum !== b[kind].checksum
	);
}

// ---------------------------------------------------------------------------------------------
// Where a record is

export type Place =
	| { kind: 'data-dir'; dir: string }
	| { kind: 'postgres'; url: string }
	| { kind: 'redis'; url: string; prefix: string };

/** `postgres://…`, `redis://…` or a data directory's path. */
export function parsePlace(text: string, redisPrefix = DEFAULT_REDIS_PREFIX): Place {
	if (/^postgres(ql)?:\/\//i.test(text)) return { kind: 'postgres', url: text };
	if (/^rediss?:\/\//i.test(text)) return { kind: 'redis', url: text, prefix: redisPrefix };
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
		throw new MigrateError(
			`${text.replace(/:[^:@/]*@/, ':***@')}: a data directory, postgres://… or redis://… was expected`
		);
	}
	return { kind: 'data-dir', dir: resolve(text) };
}

export function describePlace(place: Place): string {
	switch (place.kind) {
		case 'data-dir':
			return `the data directory ${place.dir}`;
		case 'postgres':
			return `PostgreSQL at ${redactedDatabaseUrl(place.url)}`;
		case 'redis':
			return `Redis at ${redactedUrl(place.url)} (prefix ${place.prefix})`;
	}
}

function samePlace(a: Place, b: Place): boolean {
	if (a.kind === 'data-dir' && b.kind === 'data-dir') return a.dir === b.dir;
	if (a.kind === 'postgres' && b.kind === 'postgres') {
		const [x, y] = [new URL(a.url), new URL(b.url)];
		return x.host === y.host && x.pathname === y.pathname;
	}
	return false;
}

/** A store opened for the copy, and what it holds that is not copied. */
export interface OpenedPlace {
	storage: Storage;
	where: string;
	/** Games in progress there (not part of the record: they belong to the server running them). */
	liveGames: number;
	/** Finished games' reports a node still holds for its record store (not yet in the record). */
	heldReports: number;
	close(): Promise<void>;
}

/** Something the person running the copy must hear, without a stack trace. */
export class MigrateError extends Error {
	override readonly name = 'MigrateError';
}

/** Opens the source to read: a snapshot of a data directory; a database or Redis as it is. */
export async function openSource(place: Place): Promise<OpenedPlace> {
	const where = describePlace(place);
	switch (place.kind) {
		case 'data-dir': {
			if (!existsSync(join(place.dir, 'quizroom.db'))) {
				throw new MigrateError(`Source: ${new NotADataDirError(place.dir).message}`);
			}
			const snapshotDir = mkdtempSync(join(tmpdir(), 'quizroom-migrate-'));
			const snapshot = join(snapshotDir, 'data');
			try {
				const taken = await backupDataDir(place.dir, snapshot).catch(sourceError(where));
				const storage = SqliteStorage.open(snapshot);
				return {
					storage,
					where,
					liveGames: taken.liveGames,
					heldReports: taken.heldReports,
					close: async () => {
						await storage.close();
						rmSync(snapshotDir, { recursive: true, force: true });
					}
				};
			} catch (error) {
				rmSync(snapshotDir, { recursive: true, force: true });
				throw error;
			}
		}
		case 'postgres': {
			await checkPostgresSource(place.url, where);
			const storage = await PostgresStorage.open({
				url: place.url,
				live: new MemoryLiveRooms(),
				max: 2,
				name: 'quizroom-migrate'
			}).catch(sourceError(where));
			return { storage, where, liveGames: 0, heldReports: 0, close: () => storage.close() };
		}
		case 'redis': {
			const client = await connectRedis(place.url, { name: 'quizroom-migrate' }).catch(
				sourceError(where)
			);
			try {
				const liveGames = await checkRedisSource(client, place.prefix, where);
				const storage = RedisStorage.forReading({
					client,
					live: new MemoryLiveRooms(),
					prefix: place.prefix
				});
				return { storage, where, liveGames, heldReports: 0, close: () => storage.close() };
			} catch (error) {
				await client.close().catch(() => {});
				throw error;
			}
		}
	}
}

/** Refuses a copy that cannot be, before anything is opened. */
export function checkCopy(source: Place, target: Place): void {
	if (target.kind === 'redis') {
		throw new MigrateError(
			'Redis no longer keeps the record: copy it to PostgreSQL (--to postgres://…) or to a data directory'
		);
	}
	if (samePlace(source, target)) {
		throw new MigrateError(`The source and the target are the same: ${describePlace(target)}`);
	}
}

/** Opens the target to write: a data directory (made if missing) or a PostgreSQL database. */
export async function openTarget(place: Place, source?: Place): Promise<OpenedPlace> {
	const where = describePlace(place);
	if (source) checkCopy(source, place);
	switch (place.kind) {
		case 'data-dir': {
			const storage = await Promise.resolve()
				.then(() => SqliteStorage.open(place.dir))
				.catch(targetError(where));
			return { storage, where, liveGames: 0, heldReports: 0, close: () => storage.close() };
		}
		case 'postgres': {
			const storage = await PostgresStorage.open({
				url: place.url,
				live: new MemoryLiveRooms(),
				max: 2,
				name: 'quizroom-migrate'
			}).catch(targetError(where));
			return { storage, where, liveGames: 0, heldReports: 0, close: () => storage.close() };
		}
		case 'redis':
			throw new MigrateError('Redis no longer keeps the record');
	}
}

/**
 * The source database must hold a Quizroom record at this version's schema: an older one would
 * have to be migrated, and the source is not written. Start this Quizroom on it once first.
 */
async function checkPostgresSource(url: string, where: string): Promise<void> {
	const sql = await connectPostgres(url, { max: 1, name: 'quizroom-migrate' }).catch(
		sourceError(where)
	);
	try {
		const found = await sql.query<{ table: string | null }>(
			"SELECT to_regclass('quizroom_schema')::text AS table"
		);
		if (!found.rows[0]?.table) {
			throw new MigrateError(
				`Source: ${where} holds no Quizroom record (no quizroom_schema table)`
			);
		}
		const { rows } = await sql.query<{ version: number }>('SELECT version FROM quizroom_schema');
		const version = rows[0]?.version ?? 0;
		if (version > LATEST_POSTGRES_VERSION) {
			throw new MigrateError(
				`Source: ${new PostgresSchemaTooNewError(redactedDatabaseUrl(url), version, LATEST_POSTGRES_VERSION).message}`
			);
		}
		if (version < LATEST_POSTGRES_VERSION) {
			throw new MigrateError(
				`Source: ${where} has Quizroom schema version ${version}, older than this Quizroom's ` +
					`${LATEST_POSTGRES_VERSION}, and a copy never writes to its source: start this ` +
					'Quizroom on it once (it upgrades the schema), then copy.'
			);
		}
	} finally {
		await sql.end();
	}
}

/** The format must be one this version reads; returns how many games are in progress there. */
async function checkRedisSource(
	client: RedisClient,
	prefix: string,
	where: string
): Promise<number> {
	const format = await client.get(`${prefix}meta:format`);
	if (format === null) {
		throw new MigrateError(
			`Source: ${where} holds no Quizroom record under the prefix "${prefix}" (REDIS_PREFIX names another)`
		);
	}
	if (Number(format) > REDIS_FORMAT) {
		throw new MigrateError(`Source: ${where}: ${new RedisFormatTooNewError(format).message}`);
	}
	let live = 0;
	const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}live:*`;
	for await (const keys of client.scanIterator({ MATCH: match, COUNT: 500 })) {
		// live:<pin> is the game; live:<pin>:players and the like are its parts.
		live += keys.filter((key) => !key.slice(prefix.length + 'live:'.length).includes(':')).length;
	}
	return live;
}

function sourceError(where: string): (error: unknown) => never {
	return (error) => {
		throw wrapped('Source', where, error);
	};
}

function targetError(where: string): (error: unknown) => never {
	return (error) => {
		throw wrapped('Target', where, error);
	};
}

function wrapped(side: string, where: string, error: unknown): Error {
	if (error instanceof MigrateError) return error;
	// The connection helpers name the server's variable, which is not what was given here.
	const message = (error instanceof Error ? error.message : String(error)).replace(
		/ \((DATABASE_URL|REDIS_URL)\)/,
		''
	);
	return new MigrateError(
		message.includes(where.replace(/^the data directory /, '')) || /Cannot reach/.test(message)
			? `${side}: ${message}`
			: `${side} (${where}): ${message}`,
		{ cause: error }
	);
}

// ---------------------------------------------------------------------------------------------
// The copy

export interface CopyOptions {
	/** Replace a target that holds another record. */
	force?: boolean;
	/** Each batch as it is written (progress). */
	onBatch?: (batch: Batch) => void;
}

export interface CopyResult {
	/** `copied`; `already-there`: the target held exactly this record, nothing was written. */
	outcome: 'copied' | 'already-there';
	/** What the source held (as copied), and the target after. */
	source: RecordSums;
	target: RecordSums;
	/** Quiz shares, counted with their quizzes. */
	shares: number;
	/** The target's record before, when `force` replaced it. */
	replaced: RecordSums | null;
	ms: number;
}

/** The target holds another record: what is there, and how it differs. */
export class TargetNotEmptyError extends MigrateError {
	constructor(
		readonly target: RecordSums,
		readonly differing: Kind[]
	) {
		super(
			`The target already holds a different record: ${holding(target)}. ` +
				`It differs from the source in ${differing.map((kind) => KIND_NAMES[kind]).join(', ')}. ` +
				(looksFresh(target)
					? 'It looks like a Quizroom started on it once (no accounts, reports or pictures). '
					: '') +
				'Run again with --force to replace the target’s record with the source’s.'
		);
	}
}

/** The copy did not come out the same: which kinds, with both sides' counts. */
export class CopyMismatchError extends MigrateError {
	constructor(
		readonly differing: Kind[],
		source: RecordSums,
		target: RecordSums
	) {
		super(
			'The copy does not match its source in ' +
				differing
					.map(
						(kind) =>
							`${KIND_NAMES[kind]} (source ${source[kind].count}, target ${target[kind].count})`
					)
					.join(', ') +
				': run again with --force to copy it again.'
		);
	}
}

/** "12 quizzes, 3 pictures, …": the kinds there are, counted. */
export function holding(sums: RecordSums): string {
	const there = KINDS.filter((kind) => sums[kind].count > 0);
	if (there.length === 0) return 'nothing';
	return there.map((kind) => counted(sums[kind].count, kind)).join(', ');
}

/** "1 quiz", "3 quizzes". */
export function counted(count: number, kind: Kind): string {
	const name = KIND_NAMES[kind];
	if (count === 1) return `1 ${name === 'quizzes' ? 'quiz' : name.replace(/s$/, '')}`;
	return `${count} ${name}`;
}

function looksFresh(sums: RecordSums): boolean {
	return sums.accounts.count === 0 && sums.reports.count === 0 && sums.images.count === 0;
}

export async function copyRecord(
	source: Storage,
	target: Storage,
	options: CopyOptions = {}
): Promise<CopyResult> {
	const started = Date.now();
	const before = await recordSums(target);
	let replaced: RecordSums | null = null;
	if (!isEmpty(before.sums)) {
		const wanted = await recordSums(source);
		const differing = differences(wanted.sums, before.sums);
		if (differing.length === 0) {
			return {
				outcome: 'already-there',
				source: wanted.sums,
				target: before.sums,
				shares: wanted.shares,
				replaced: null,
				ms: Date.now() - started
			};
		}
		if (!options.force) throw new TargetNotEmptyError(before.sums, differing);
		await target.clearRecord();
		replaced = before.sums;
	}
	const copied = new Tally();
	for await (const batch of exportEverything(source)) {
		copied.add(batch);
		if (isAccountBatch(batch)) await target.accounts.importAccounts(batch);
		else await target.importRecord(batch);
		options.onBatch?.(batch);
	}
	const sums = copied.sums();
	const after = await recordSums(target);
	const differing = differences(sums, after.sums);
	if (differing.length > 0) throw new CopyMismatchError(differing, sums, after.sums);
	return {
		outcome: 'copied',
		source: sums,
		target: after.sums,
		shares: copied.shares,
		replaced,
		ms: Date.now() - started
	};
}

export function isAccountBatch(batch: Batch): batch is AccountBatch {
	return (
		batch.kind === 'accounts' ||
		batch.kind === 'sessions' ||
		batch.kind === 'links' ||
		batch.kind === 'passkeys'
	);
}

/** The summary table: each kind, its count on both sides, its checksum, whether they agree. */
export function summaryTable(result: Pick<CopyResult, 'source' | 'target' | 'shares'>): string {
	const rows = KINDS.map((kind) => {
		const name = kind === 'quizzes' ? `quizzes (${result.shares} shares)` : KIND_NAMES[kind];
		const same =
			result.source[kind].count === result.target[kind].count &&
			result.source[kind].checksum === result.target[kind].checksum;
		return [
			name,
			String(result.source[kind].count),
			String(result.target[kind].count),
			result.source[kind].checksum.slice(0, 16),
			same ? 'same' : 'DIFFERENT'
		];
	});
	const header = ['', 'source', 'target', 'checksum (sha256)', ''];
	const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
	const line = (row: string[]) =>
		row
			.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
			.join('  ')
			.trimEnd();
	return [line(header), ...rows.map(line)].join('\n');
}
