/**
 * What only the PostgreSQL store has (the contract itself is storage.test.ts): the schema's
 * migrations under an advisory lock, a newer schema refused, a failed step leaving the version
 * before it, the address in every message without its password, and the pool's bounds. Each
 * test works in a database of its own on the run's server (tests/integration/global-setup.ts).
 */
import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { createDatabase } from '../../../../scripts/postgres-server.ts';
import { makeQuiz } from '../../testing/quiz-fixtures.ts';
import { isStoreUnavailable } from './errors.ts';
import { MemoryLiveRooms } from './live-rooms.ts';
import { connectPostgres, withDatabase } from './postgres-client.ts';
import {
	migratePostgres,
	POSTGRES_MIGRATIONS,
	PostgresSchemaTooNewError
} from './postgres-migrations.ts';
import { PostgresStorage } from './postgres.ts';

const open = (url: string) => PostgresStorage.open({ url, live: new MemoryLiveRooms(), max: 2 });

async function schemaVersion(url: string): Promise<number> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query<{ version: number }>('SELECT version FROM quizroom_schema')).rows[0]!
			.version;
	} finally {
		await client.end();
	}
}

describe('PostgreSQL schema', () => {
	it('three nodes starting together on an empty database migrate it once, and all work', async () => {
		const url = await createDatabase(inject('postgresUrl'));
		const nodes = await Promise.all([open(url), open(url), open(url)]);
		expect(await schemaVersion(url)).toBe(POSTGRES_MIGRATIONS.length);
		// Each sees what another wrote: one database, one schema.
		await nodes[0]!.saveQuiz(makeQuiz('capitals'), 1);
		expect((await nodes[2]!.getQuiz('capitals'))?.quiz.title).toBe(makeQuiz('capitals').title);
		await Promise.all(nodes.map((node) => node.close()));
	});

	it('refuses a database a newer Quizroom wrote, naming both versions and where', async () => {
		const url = await createDatabase(inject('postgresUrl'));
		await (await open(url)).close();
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		await client.query('UPDATE quizroom_schema SET version = 99');
		await client.end();
		const refused = open(url);
		await expect(refused).rejects.toBeInstanceOf(PostgresSchemaTooNewError);
		await expect(refused).rejects.toThrow(
			new RegExp(
				`schema version 99, but this Quizroom knows versions up to ${POSTGRES_MIGRATIONS.length}`
			)
		);
		await expect(refused).rejects.toThrow('postgres://quizroom:***@127.0.0.1');
	});

	it('a step that fails leaves the database at the version before it, nothing half-made', async () => {
		const url = await createDatabase(inject('postgresUrl'));
		const sql = await connectPostgres(url);
		try {
			const broken = [
				...POSTGRES_MIGRATIONS,
				{
					version: POSTGRES_MIGRATIONS.length + 1,
					description: 'a table, then a mistake',
					sql: 'CREATE TABLE half_made (id text); SELECT no_such_function();'
				}
			];
			await expect(migratePostgres(sql, 'test', broken)).rejects.toThrow(/no_such_function/);
			expect(await schemaVersion(url)).toBe(POSTGRES_MIGRATIONS.length);
			const tables = await sql.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_made'");
			expect(tables.rowCount).toBe(0);
			// Run again without the mistake: nothing to do, and the lock was let go.
			expect(await migratePostgres(sql, 'test')).toBe(POSTGRES_MIGRATIONS.length);
		} finally {
			await sql.end();
		}
	});
});

describe('PostgreSQL connection', () => {
	it('a database it cannot reach is named, without its password', async () => {
		const url = 'postgres://quizroom:hunter2@127.0.0.1:1/quizroom';
		const refused = open(url);
		await expect(refused).rejects.toThrow(
			/^Cannot reach PostgreSQL at postgres:\/\/quizroom:\*\*\*@127\.0\.0\.1:1\/quizroom \(DATABASE_URL\)/
		);
		await expect(refused).rejects.not.toThrow('hunter2');
	});

	it('an address that is not a PostgreSQL URL says what one looks like', async () => {
		await expect(open('mysql://root@localhost/quiz')).rejects.toThrow(
			'DATABASE_URL must look like postgres://user:password@host:5432/quizroom'
		);
	});

	it('holds at most its pool of connections, however many calls wait', async () => {
		const url = await createDatabase(inject('postgresUrl'));
		const storage = await open(url);
		const name = new URL(url).pathname.slice(1);
		try {
			const calls = Array.from({ length: 40 }, () => storage.listQuizzes());
			const admin = new pg.Client({ connectionString: inject('postgresUrl') });
			await admin.connect();
			const held = await admin.query<{ n: number }>(
				'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
				[name]
			);
			await admin.end();
			await Promise.all(calls);
			expect(held.rows[0]!.n).toBeLessThanOrEqual(2);
		} finally {
			await storage.close();
		}
	});

	it('a statement past its time limit is cancelled and reported as the store not answering', async () => {
		const url = await createDatabase(inject('postgresUrl'));
		const sql = await connectPostgres(url, { statementTimeoutMs: 200 });
		try {
			const slow = sql.query('SELECT pg_sleep(5)');
			await expect(slow).rejects.toThrow(/statement timeout/);
			const error = await slow.catch((caught: unknown) => caught);
			// Routes answer it as 503 "try again in a moment", reports wait and retry.
			const wrapped = await withDatabase(() => Promise.reject(error)).catch((e: unknown) => e);
			expect(isStoreUnavailable(wrapped)).toBe(true);
		} finally {
			await sql.end();
		}
	});
});
