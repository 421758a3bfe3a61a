/**
 * The connection pool to PostgreSQL (DATABASE_URL), with Quizroom's policy: a small bounded
 * pool per node, every statement given up after a few seconds, a database that is down or
 * restarting answered as StoreUnavailableError (routes say "try again in a moment", reports
 * wait and are retried), and going down and coming back logged once each.
 *
 * `pg` (node-postgres 8) rather than `postgres` (porsager): the reference client, plain
 * JavaScript (no native build on a school's server), a pool of its own, and parameters typed
 * by PostgreSQL, arrays included, which the bulk `unnest` inserts of a report rely on.
 * `postgres` is faster on tiny queries, but our hot path is the room server, not the
 * database: a report is one transaction per game, a library page one query.
 */
import pg from 'pg';
import { StoreUnavailableError } from './errors.ts';

// bigint columns (milliseconds, counts) come back as numbers: every one of ours fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Sql = pg.Pool;
export type SqlClient = pg.PoolClient;

export interface PostgresOptions {
	/** Connections this node may hold (default 10): the database's limit is for all nodes. */
	max?: number;
	/** A statement running longer is cancelled (default 10 s): nothing of ours takes that long. */
	statementTimeoutMs?: number;
	/** Where going down and coming back are reported (default console). */
	log?: Pick<Console, 'error' | 'log'>;
	/** Shown in pg_stat_activity, e.g. `quizroom-n1`. */
	name?: string;
}

/** SQLSTATE classes and codes that mean "the database is not there right now". */
const UNAVAILABLE_CODES = new Set([
	'57P01', // admin_shutdown: a restart
	'57P02', // crash_shutdown
	'57P03', // cannot_connect_now: starting up
	'53300', // too_many_connections
	'57014' // query_canceled: the statement timeout
]);

/** Errors of the connection itself, before or after any statement. */
const UNAVAILABLE_MESSAGES =
	/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/;

export function isDatabaseDown(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	const code = (error as { code?: string }).code;
	if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
	return UNAVAILABLE_MESSAGES.test(`${code ?? ''} ${error.message}`);
}

/** The URL without its password, for messages. */
export function redactedDatabaseUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return url.replace(/:[^:@/]*@/, ':***@');
	}
}

export function checkDatabaseUrl(url: string): void {
	let protocol: string | null = null;
	try {
		protocol = new URL(url).protocol;
	} catch {
		// Reported below.
	}
	if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
		throw new Error(
			`DATABASE_URL must look like postgres://user:password@host:5432/quizroom, got "${redactedDatabaseUrl(url)}"`
		);
	}
}

/** A pool, once one connection has worked; a clear error naming the address otherwise. */
export async function connectPostgres(url: string, options: PostgresOptions = {}): Promise<Sql> {
	checkDatabaseUrl(url);
	const where = redactedDatabaseUrl(url);
	const log = options.log ?? console;
	const pool = new pg.Pool({
		connectionString: url,
		max: options.max ?? 10,
		connectionTimeoutMillis: 5000,
		idleTimeoutMillis: 30_000,
		statement_timeout: options.statementTimeoutMs ?? 10_000,
		idle_in_transaction_session_timeout: 30_000,
		application_name: options.name ?? 'quizroom'
	});
	let down = false;
	// An idle connection that breaks (the database restarted) emits here; without a listener
	// it would end the process.
	pool.on('error', (error) => {
		if (!down) {
			down = true;
			log.error(`Lost a connection to PostgreSQL at ${where} (${error.message}): retrying`);
		}
	});
	pool.on('connect', () => {
		if (down) log.log(`Connected to PostgreSQL at ${where} again`);
		down = false;
	});
	try {
		const client = await pool.connect();
		client.release();
	} catch (error) {
		await pool.end().catch(() => {});
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(`Cannot reach PostgreSQL at ${where} (DATABASE_URL): ${reason}`, {
			cause: error
		});
	}
	return pool;
}

/** Runs database work; an outage becomes StoreUnavailableError, anything else stays itself. */
export async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (isDatabaseDown(error)) throw new StoreUnavailableError(error);
		throw error;
	}
}

/** One transaction on one connection: all of `work` or none of it. */
export async function transaction<T>(
	sql: Sql,
	work: (client: SqlClient) => Promise<T>
): Promise<T> {
	return withDatabase(async () => {
		const client = await sql.connect();
		let broken: Error | undefined;
		try {
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => {});
			// A connection that broke is not given back to the pool.
			if (isDatabaseDown(error)) broken = error as Error;
			throw error;
		} finally {
			client.release(broken);
		}
	});
}
