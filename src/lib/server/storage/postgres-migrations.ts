/**
 * PostgreSQL's schema, as the steps that build it (as migrations.ts is SQLite's). Each step
 * runs in its own transaction, and every node takes the same advisory lock first, so three
 * nodes starting together migrate once: the second waits, then finds nothing left to do.
 * A database a newer Quizroom wrote is refused with both versions named.
 *
 * Never edit a step that has shipped: add the next one.
 */
import type { Sql } from './postgres-client.ts';

export interface PostgresMigration {
	version: number;
	description: string;
	sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
	{
		version: 1,
		description: 'the record: accounts and sign-in, quizzes and their shares, pictures, reports',
		sql: `
			CREATE TABLE meta (
				key text PRIMARY KEY,
				value text NOT NULL
			);

			-- name_key: the name as accountNameKey folds it, so "ADMIN" cannot sit beside "Admin".
			CREATE TABLE accounts (
				id text PRIMARY KEY,
				name text NOT NULL,
				name_key text NOT NULL UNIQUE,
				role text NOT NULL CHECK (role IN ('admin', 'host')),
				password_hash text,
				disabled boolean NOT NULL,
				created_at bigint NOT NULL,
				last_sign_in_at bigint
			);

			-- id: SHA-256 of the cookie's token; the token itself is never stored.
			CREATE TABLE account_sessions (
				id text PRIMARY KEY,
				account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				created_at bigint NOT NULL,
				last_seen_at bigint NOT NULL,
				expires_at bigint NOT NULL,
				device text NOT NULL
			);
			CREATE INDEX account_sessions_by_account ON account_sessions (account_id);

			CREATE TABLE one_time_tokens (
				id text PRIMARY KEY,
				kind text NOT NULL CHECK (kind IN ('setup', 'invite', 'sign-in', 'challenge')),
				account_id text REFERENCES accounts (id) ON DELETE CASCADE,
				created_at bigint NOT NULL,
				expires_at bigint NOT NULL,
				issuer text
			);

			CREATE TABLE passkeys (
				id text PRIMARY KEY,
				account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				public_key bytea NOT NULL,
				counter bigint NOT NULL,
				transports text NOT NULL,
				created_at bigint NOT NULL,
				last_used_at bigint
			);
			CREATE INDEX passkeys_by_account ON passkeys (account_id);

			CREATE TABLE sign_in_failures (
				key text PRIMARY KEY,
				count integer NOT NULL,
				last_at bigint NOT NULL
			);

			-- Questions as JSON text: a quiz is always read and written whole. title_folded is
			-- the title as the library's search folds it (in JavaScript, the same on every store).
			CREATE TABLE quizzes (
				id text PRIMARY KEY,
				title text NOT NULL,
				title_folded text NOT NULL,
				description text NOT NULL,
				question_count integer NOT NULL,
				questions text NOT NULL,
				created_at bigint NOT NULL,
				updated_at bigint NOT NULL,
				last_played_at bigint,
				owner_id text REFERENCES accounts (id) ON DELETE SET NULL
			);
			CREATE INDEX quizzes_by_newest_edit ON quizzes (updated_at DESC, id);
			CREATE INDEX quizzes_by_owner ON quizzes (owner_id);

			-- grantee: an account id, or '*' for every account on this server.
			CREATE TABLE quiz_shares (
				quiz_id text NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
				grantee text NOT NULL,
				level text NOT NULL CHECK (level IN ('use', 'edit')),
				position integer NOT NULL,
				PRIMARY KEY (quiz_id, grantee)
			);
			CREATE INDEX quiz_shares_by_grantee ON quiz_shares (grantee);

			-- Pictures by content address; used_at: last uploaded or found in use (the sweep).
			CREATE TABLE images (
				id text PRIMARY KEY,
				type text NOT NULL,
				bytes bytea NOT NULL,
				used_at bigint NOT NULL
			);
			CREATE TABLE image_owners (
				image_id text NOT NULL REFERENCES images (id) ON DELETE CASCADE,
				account_id text NOT NULL,
				PRIMARY KEY (image_id, account_id)
			);
			CREATE INDEX image_owners_by_account ON image_owners (account_id);

			-- A report outlives its quiz: no foreign key to quizzes, the quiz kept as played.
			CREATE TABLE games (
				id text PRIMARY KEY,
				pin text NOT NULL,
				quiz_id text NOT NULL,
				quiz_title text NOT NULL,
				question_count integer NOT NULL,
				quiz text NOT NULL,
				options text NOT NULL,
				started_at bigint NOT NULL,
				ended_at bigint NOT NULL,
				finished boolean NOT NULL,
				host_id text
			);
			CREATE INDEX games_by_newest_start ON games (started_at DESC, id);
			CREATE INDEX games_by_host ON games (host_id, started_at DESC, id);

			CREATE TABLE game_players (
				game_id text NOT NULL REFERENCES games (id) ON DELETE CASCADE,
				player_id text NOT NULL,
				position integer NOT NULL,
				nickname text NOT NULL,
				join_order integer NOT NULL,
				score integer NOT NULL,
				rank integer,
				first_question integer NOT NULL,
				PRIMARY KEY (game_id, player_id)
			);

			CREATE TABLE game_rounds (
				game_id text NOT NULL REFERENCES games (id) ON DELETE CASCADE,
				question_index integer NOT NULL,
				position integer NOT NULL,
				opened_at bigint NOT NULL,
				PRIMARY KEY (game_id, question_index)
			);

			CREATE TABLE game_answers (
				game_id text NOT NULL,
				question_index integer NOT NULL,
				player_id text NOT NULL,
				position integer NOT NULL,
				answer text NOT NULL,
				elapsed_ms double precision NOT NULL,
				correct boolean NOT NULL,
				points integer NOT NULL,
				PRIMARY KEY (game_id, question_index, player_id)
			);
			-- No foreign key to game_rounds: it checks each inserted row on its own, and that was
			-- a third of a 2,000-player, 20-question report's save (40,000 answers, written only
			-- with their rounds, in one transaction). Its ON DELETE CASCADE is this trigger, once
			-- per statement: a report deleted or saved again loses its old answers with its rounds.
			CREATE FUNCTION delete_answers_of_deleted_rounds() RETURNS trigger
			LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
			BEGIN
				DELETE FROM game_answers a USING deleted_rounds r
				WHERE a.game_id = r.game_id AND a.question_index = r.question_index;
				RETURN NULL;
			END
			$$;
			CREATE TRIGGER game_rounds_deleted AFTER DELETE ON game_rounds
			REFERENCING OLD TABLE AS deleted_rounds
			FOR EACH STATEMENT EXECUTE FUNCTION delete_answers_of_deleted_rounds();
		`
	}
];

export const LATEST_POSTGRES_VERSION = POSTGRES_MIGRATIONS.length;

export class PostgresSchemaTooNewError extends Error {
	constructor(where: string, version: number, latest: number) {
		super(
			`PostgreSQL at ${where} has Quizroom schema version ${version}, but this Quizroom knows ` +
				`versions up to ${latest}: a newer Quizroom wrote it. Run that newer version on ` +
				'every node, or point DATABASE_URL at another database.'
		);
		this.name = 'PostgresSchemaTooNewError';
	}
}

/**
 * Brings the schema up to date under an advisory lock (one per schema name), and returns its
 * version. `where` names the database in messages.
 */
export async function migratePostgres(
	sql: Sql,
	where: string,
	migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS
): Promise<number> {
	const client = await sql.connect();
	try {
		const schema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema'))
			.rows[0]!.schema;
		await client.query("SELECT pg_advisory_lock(hashtext('quizroom-migrate:' || $1))", [schema]);
		try {
			await client.query('CREATE TABLE IF NOT EXISTS quizroom_schema (version integer NOT NULL)');
			const found = await client.query<{ version: number }>('SELECT version FROM quizroom_schema');
			let version = found.rows[0]?.version ?? 0;
			if (found.rows.length === 0) await client.query('INSERT INTO quizroom_schema VALUES (0)');
			if (version > migrations.length) {
				throw new PostgresSchemaTooNewError(where, version, migrations.length);
			}
			for (const step of migrations.slice(version)) {
				await client.query('BEGIN');
				try {
					await client.query(step.sql);
					await client.query('UPDATE quizroom_schema SET version = $1', [step.version]);
					await client.query('COMMIT');
				} catch (error) {
					await client.query('ROLLBACK').catch(() => {});
					throw error;
				}
				version = step.version;
			}
			return version;
		} finally {
			await client.query("SELECT pg_advisory_unlock(hashtext('quizroom-migrate:' || $1))", [
				schema
			]);
		}
	} finally {
		client.release();
	}
}
