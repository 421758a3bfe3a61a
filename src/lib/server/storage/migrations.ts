/**
 * The SQLite schema, as the list of steps that build it. `PRAGMA user_version` records the
 * last step a database has taken; opening runs the ones it has not, each in its own
 * transaction, so a failed step leaves the database at the previous version, never half-way.
 *
 * Never edit a step that has shipped: add the next one. Tables are STRICT so a value of the
 * wrong type is refused instead of being stored as something else.
 */
import type Database from 'better-sqlite3';

export interface Migration {
	version: number;
	description: string;
	up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		description: 'quizzes, and meta for one-off flags such as "samples seeded"',
		up(db) {
			db.exec(`
				CREATE TABLE meta (
					key TEXT PRIMARY KEY,
					value TEXT NOT NULL
				) STRICT;

				-- Questions as JSON: a quiz is always read and written whole. The other columns
				-- let the library list and search quizzes without parsing any of it.
				CREATE TABLE quizzes (
					id TEXT PRIMARY KEY,
					title TEXT NOT NULL,
					description TEXT NOT NULL,
					question_count INTEGER NOT NULL,
					questions TEXT NOT NULL CHECK (json_valid(questions)),
					created_at INTEGER NOT NULL,
					updated_at INTEGER NOT NULL,
					last_played_at INTEGER
				) STRICT;

				CREATE INDEX quizzes_by_newest_edit ON quizzes (updated_at DESC, id);
			`);
		}
	},
	{
		version: 2,
		description: 'games with their players, rounds and every answer',
		up(db) {
			db.exec(`
				-- No foreign key to quizzes: a report outlives its quiz and keeps the quiz as
				-- it was played (quiz, as JSON).
				CREATE TABLE games (
					id TEXT PRIMARY KEY,
					pin TEXT NOT NULL,
					quiz_id TEXT NOT NULL,
					quiz_title TEXT NOT NULL,
					question_count INTEGER NOT NULL,
					quiz TEXT NOT NULL CHECK (json_valid(quiz)),
					options TEXT NOT NULL CHECK (json_valid(options)),
					started_at INTEGER NOT NULL,
					ended_at INTEGER NOT NULL,
					finished INTEGER NOT NULL CHECK (finished IN (0, 1))
				) STRICT;

				CREATE INDEX games_by_newest_start ON games (started_at DESC, id);

				-- position: the index in the record's list, so lists read back in the order
				-- they were saved.
				CREATE TABLE game_players (
					game_id TEXT NOT NULL REFERENCES games (id) ON DELETE CASCADE,
					player_id TEXT NOT NULL,
					position INTEGER NOT NULL,
					nickname TEXT NOT NULL,
					join_order INTEGER NOT NULL,
					score INTEGER NOT NULL,
					rank INTEGER,
					first_question INTEGER NOT NULL,
					PRIMARY KEY (game_id, player_id)
				) STRICT;

				CREATE TABLE game_rounds (
					game_id TEXT NOT NULL REFERENCES games (id) ON DELETE CASCADE,
					question_index INTEGER NOT NULL,
					position INTEGER NOT NULL,
					opened_at INTEGER NOT NULL,
					PRIMARY KEY (game_id, question_index)
				) STRICT;

				-- An answer belongs to a round (and through it to the game), not to a listed
				-- player: a player kicked after a reveal is gone from the list, their revealed
				-- answers are not. elapsed_ms is REAL: latency compensation is fractional.
				CREATE TABLE game_answers (
					game_id TEXT NOT NULL,
					question_index INTEGER NOT NULL,
					player_id TEXT NOT NULL,
					position INTEGER NOT NULL,
					choice INTEGER NOT NULL,
					elapsed_ms REAL NOT NULL,
					correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
					points INTEGER NOT NULL,
					PRIMARY KEY (game_id, question_index, player_id),
					FOREIGN KEY (game_id, question_index)
						REFERENCES game_rounds (game_id, question_index) ON DELETE CASCADE
				) STRICT;
			`);
		}
	},
	{
		version: 3,
		description: 'answers of every question type: the answer as JSON instead of an option number',
		up(db) {
			// STRICT tables cannot change a column's type or drop a NOT NULL, so game_answers is
			// rebuilt (SQLite's documented procedure: new table, copy, drop, rename). Nothing
			// references game_answers, so foreign keys can stay on: the copy is checked against
			// game_rounds row by row, and dropping a child table cannot break anything.
			// Old answers were all option picks: {"kind":"choice","index":<choice>}.
			db.exec(`
				CREATE TABLE game_answers_v3 (
					game_id TEXT NOT NULL,
					question_index INTEGER NOT NULL,
					player_id TEXT NOT NULL,
					position INTEGER NOT NULL,
					answer TEXT NOT NULL CHECK (json_valid(answer)),
					elapsed_ms REAL NOT NULL,
					correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
					points INTEGER NOT NULL,
					PRIMARY KEY (game_id, question_index, player_id),
					FOREIGN KEY (game_id, question_index)
						REFERENCES game_rounds (game_id, question_index) ON DELETE CASCADE
				) STRICT;

				INSERT INTO game_answers_v3 (game_id, question_index, player_id, position, answer,
					elapsed_ms, correct, points)
				SELECT game_id, question_index, player_id, position,
					json_object('kind', 'choice', 'index', choice), elapsed_ms, correct, points
				FROM game_answers;

				DROP TABLE game_answers;
				ALTER TABLE game_answers_v3 RENAME TO game_answers;
			`);
		}
	},
	{
		version: 4,
		description: 'question types: questions stored before types existed become type "quiz"',
		up(db) {
			// Stored questions are always in the current quiz format (see sqlite.ts), so the
			// questions of quizzes and of played games' copies get their type written in.
			const quizzes = db.prepare('SELECT id, questions FROM quizzes').all() as {
				id: string;
				questions: string;
			}[];
			const saveQuiz = db.prepare('UPDATE quizzes SET questions = ? WHERE id = ?');
			for (const row of quizzes) {
				saveQuiz.run(JSON.stringify(typedQuestions(JSON.parse(row.questions))), row.id);
			}
			const games = db.prepare('SELECT id, quiz FROM games').all() as {
				id: string;
				quiz: string;
			}[];
			const saveGame = db.prepare('UPDATE games SET quiz = ? WHERE id = ?');
			for (const row of games) {
				const quiz = JSON.parse(row.quiz) as { questions: unknown[] };
				saveGame.run(
					JSON.stringify({ ...quiz, questions: typedQuestions(quiz.questions) }),
					row.id
				);
			}
		}
	},
	{
		version: 5,
		description: 'games in progress: room snapshots, joined players and accepted answers',
		up(db) {
			db.exec(`
				CREATE TABLE live_rooms (
					pin TEXT PRIMARY KEY,
					game_id TEXT NOT NULL,
					host_token TEXT NOT NULL,
					created_at INTEGER NOT NULL,
					snapshot TEXT NOT NULL CHECK (json_valid(snapshot)),
					saved_at INTEGER NOT NULL,
					alive_at INTEGER NOT NULL
				) STRICT;

				CREATE TABLE live_players (
					pin TEXT NOT NULL REFERENCES live_rooms (pin) ON DELETE CASCADE,
					player_id TEXT NOT NULL,
					token TEXT NOT NULL,
					nickname TEXT NOT NULL,
					join_order INTEGER NOT NULL,
					first_question INTEGER NOT NULL,
					PRIMARY KEY (pin, player_id)
				) STRICT;

				CREATE TABLE live_answers (
					pin TEXT NOT NULL REFERENCES live_rooms (pin) ON DELETE CASCADE,
					question_index INTEGER NOT NULL,
					player_id TEXT NOT NULL,
					answer TEXT NOT NULL CHECK (json_valid(answer)),
					received_at INTEGER NOT NULL,
					PRIMARY KEY (pin, question_index, player_id)
				) STRICT;
			`);
		}
	},
	{
		version: 6,
		description: "players' browsers, so a host's kick keeps that browser out after a restart",
		up(db) {
			db.exec('ALTER TABLE live_players ADD COLUMN device TEXT');
		}
	},
	{
		version: 7,
		description:
			'games in progress: the quiz and each revealed round stored once, not in every snapshot',
		up(db) {
			// Rooms saved before this step keep quiz and history inside their snapshot (quiz stays
			// NULL, no rounds): live-rooms.ts reads both layouts.
			db.exec(`
				ALTER TABLE live_rooms ADD COLUMN quiz TEXT;

				CREATE TABLE live_rounds (
					pin TEXT NOT NULL REFERENCES live_rooms (pin) ON DELETE CASCADE,
					question_index INTEGER NOT NULL,
					record TEXT NOT NULL,
					PRIMARY KEY (pin, question_index)
				) STRICT;
			`);
		}
	},
	{
		version: 8,
		description: 'a game in progress stores its players apart, rewritten only when scores move',
		up(db) {
			db.exec('ALTER TABLE live_rooms ADD COLUMN players TEXT');
		}
	},
	{
		version: 9,
		description: 'games in progress: the running server stamps one row, not every room',
		up(db) {
			// A room's own alive_at stays: when it was last saved. The later of the two counts.
			db.exec(`
				CREATE TABLE live_alive (
					id INTEGER PRIMARY KEY CHECK (id = 1),
					at INTEGER NOT NULL
				) STRICT;
			`);
		}
	},
	{
		version: 10,
		description:
			"hosts' accounts, sessions, one-time links and passkeys; owners and shares of quizzes, " +
			'pictures, reports and games in progress',
		up(db) {
			db.exec(`
				-- name_key: the name as accountNameKey folds it, so "ADMIN" cannot sit beside "Admin".
				CREATE TABLE accounts (
					id TEXT PRIMARY KEY,
					name TEXT NOT NULL,
					name_key TEXT NOT NULL UNIQUE,
					role TEXT NOT NULL CHECK (role IN ('admin', 'host')),
					password_hash TEXT,
					disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
					created_at INTEGER NOT NULL,
					last_sign_in_at INTEGER
				) STRICT;

				-- id: SHA-256 of the cookie's token; the token itself is never stored.
				CREATE TABLE account_sessions (
					id TEXT PRIMARY KEY,
					account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
					created_at INTEGER NOT NULL,
					last_seen_at INTEGER NOT NULL,
					expires_at INTEGER NOT NULL,
					device TEXT NOT NULL
				) STRICT;
				CREATE INDEX account_sessions_by_account ON account_sessions (account_id);

				CREATE TABLE one_time_tokens (
					id TEXT PRIMARY KEY,
					kind TEXT NOT NULL CHECK (kind IN ('setup', 'invite', 'sign-in', 'challenge')),
					account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
					created_at INTEGER NOT NULL,
					expires_at INTEGER NOT NULL,
					issuer TEXT
				) STRICT;

				CREATE TABLE passkeys (
					id TEXT PRIMARY KEY,
					account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
					public_key BLOB NOT NULL,
					counter INTEGER NOT NULL,
					transports TEXT NOT NULL CHECK (json_valid(transports)),
					created_at INTEGER NOT NULL,
					last_used_at INTEGER
				) STRICT;
				CREATE INDEX passkeys_by_account ON passkeys (account_id);

				CREATE TABLE sign_in_failures (
					key TEXT PRIMARY KEY,
					count INTEGER NOT NULL,
					last_at INTEGER NOT NULL
				) STRICT;

				-- Owners: NULL only for what was kept before accounts, until the first admin adopts it.
				ALTER TABLE quizzes ADD COLUMN owner_id TEXT REFERENCES accounts (id) ON DELETE SET NULL;
				CREATE INDEX quizzes_by_owner ON quizzes (owner_id);

				-- grantee: an account id, or '*' for every account on this server.
				CREATE TABLE quiz_shares (
					quiz_id TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
					grantee TEXT NOT NULL,
					level TEXT NOT NULL CHECK (level IN ('use', 'edit')),
					position INTEGER NOT NULL,
					PRIMARY KEY (quiz_id, grantee)
				) STRICT;
				CREATE INDEX quiz_shares_by_grantee ON quiz_shares (grantee);

				ALTER TABLE games ADD COLUMN host_id TEXT;
				CREATE INDEX games_by_host ON games (host_id, started_at DESC, id);

				-- Pictures are content-addressed: two hosts uploading the same bytes both own it.
				CREATE TABLE image_owners (
					image_id TEXT NOT NULL,
					account_id TEXT NOT NULL,
					PRIMARY KEY (image_id, account_id)
				) STRICT;
				CREATE INDEX image_owners_by_account ON image_owners (account_id);

				ALTER TABLE live_rooms ADD COLUMN host_id TEXT;

				-- The four samples shipped before accounts stay open to every host, as new ones start.
				INSERT INTO quiz_shares (quiz_id, grantee, level, position)
				SELECT id, '*', 'use', 0 FROM quizzes
				WHERE id IN ('world-geography', 'science-and-nature', 'computers-and-the-internet',
					'question-types-tour');
			`);
		}
	},
	{
		version: 11,
		description:
			"finished games' reports held on this node until the record store (PostgreSQL) has them",
		up(db) {
			// record: a GameRecord as JSON. Not checked with json_valid: a report of thousands of
			// players is megabytes, and it is only ever written by JSON.stringify.
			db.exec(`
				CREATE TABLE held_reports (
					game_id TEXT PRIMARY KEY,
					record TEXT NOT NULL,
					held_at INTEGER NOT NULL
				) STRICT;
			`);
		}
	}
];

function typedQuestions(questions: unknown[]): unknown[] {
	return questions.map((question) =>
		question && typeof question === 'object' && !('type' in question)
			? { type: 'quiz', ...question }
			: question
	);
}

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** Refused rather than used: this code would not know what the newer schema means. */
export class SchemaTooNewError extends Error {
	constructor(file: string, version: number, latest: number) {
		super(
			`${file} has schema version ${version}, but this Quizroom knows versions up to ${latest}: ` +
				'a newer Quizroom wrote it. Run that newer version, or use another data directory.'
		);
		this.name = 'SchemaTooNewError';
	}
}

export function schemaVersion(db: Database.Database): number {
	return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `target` (the latest unless a test wants an older schema) and
 * returns the version it ends at. Each step runs in an IMMEDIATE transaction that re-reads the
 * version first, so two processes opening the same file at once do not both run a step.
 *
 * PRAGMA foreign_keys cannot change inside a transaction: a future step that rebuilds a table
 * other tables reference (dropping it would cascade or fail) must switch it off around
 * migrate() and run `PRAGMA foreign_key_check` after. Rebuilding a table nothing references
 * (step 3, game_answers) needs neither.
 */
export function migrate(
	db: Database.Database,
	target = LATEST_SCHEMA_VERSION,
	migrations: readonly Migration[] = MIGRATIONS
): number {
	const latest = migrations.length;
	const current = schemaVersion(db);
	if (current > latest) throw new SchemaTooNewError(db.name, current, latest);
	const step = db.transaction(() => {
		const version = schemaVersion(db);
		const next = migrations[version];
		if (version >= target || !next) return version;
		if (next.version !== version + 1) {
			throw new Error(`Migration ${version + 1} is listed as version ${next.version}`);
		}
		next.up(db);
		// user_version lives in the file header, which the transaction covers: it rolls back too.
		db.pragma(`user_version = ${next.version}`);
		return next.version;
	});
	for (let reached = current; ;) {
		const next = step.immediate();
		if (next === reached) return next;
		reached = next;
	}
}
