/**
 * What only the SQLite store has: a file that outlives the process, a schema that migrates,
 * transactions, and image files. The behaviour both stores share is in storage.test.ts.
 */
import Database from 'better-sqlite3';
import * as v from 'valibot';
import { QuizSchema } from '../../protocol/quiz.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	choice,
	makeGame,
	makeGameOfEveryType,
	makeQuiz,
	PNG
} from '../../testing/quiz-fixtures.ts';
import {
	LATEST_SCHEMA_VERSION,
	MIGRATIONS,
	migrate,
	SchemaTooNewError,
	schemaVersion,
	type Migration
} from './migrations.ts';
import { DATABASE_FILE, IMAGES_DIR, SqliteStorage, type WriteOperation } from './sqlite.ts';

let dir: string;
let dbFile: string;
const opened: { close(): void }[] = [];

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'quizroom-'));
	dbFile = join(dir, DATABASE_FILE);
});

afterEach(() => {
	for (const handle of opened.splice(0)) handle.close();
	rmSync(dir, { recursive: true, force: true });
});

function open(options?: Parameters<typeof SqliteStorage.open>[1]): SqliteStorage {
	const storage = SqliteStorage.open(dir, options);
	opened.push(storage);
	return storage;
}

/** A second connection to the file, to see what another reader (or a restart) would see. */
function inspect(file = dbFile): Database.Database {
	const db = new Database(file);
	opened.push(db);
	return db;
}

function tables(db: Database.Database): string[] {
	return db
		.prepare<[], { name: string }>(
			`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
		)
		.all()
		.map((row) => row.name);
}

function count(db: Database.Database, table: string): number {
	return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
}

/** Every table, index and trigger as SQLite keeps it, internal ones included, by name. */
function schema(db: Database.Database): { type: string; name: string; sql: string | null }[] {
	return db
		.prepare<[], { type: string; name: string; tbl_name: string; sql: string | null }>(
			`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`
		)
		.all();
}

const ALL_TABLES = [
	'account_sessions',
	'accounts',
	'game_answers',
	'game_players',
	'game_rounds',
	'games',
	'held_reports',
	'image_owners',
	'live_alive',
	'live_answers',
	'live_players',
	'live_rooms',
	'live_rounds',
	'meta',
	'one_time_tokens',
	'passkeys',
	'quiz_shares',
	'quizzes',
	'sign_in_failures'
];

describe('opening', () => {
	it('creates the data directory, the database and the images folder', () => {
		dir = join(dir, 'nested', 'data');
		dbFile = join(dir, DATABASE_FILE);
		open();
		expect(existsSync(dbFile)).toBe(true);
		expect(existsSync(join(dir, IMAGES_DIR))).toBe(true);
	});

	it('migrates an empty file to the latest schema', () => {
		writeFileSync(dbFile, '');
		open();
		const db = inspect();
		expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
		expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
		expect(tables(db)).toEqual(ALL_TABLES);
	});

	it('puts the file in WAL mode', () => {
		open();
		expect(inspect().pragma('journal_mode', { simple: true })).toBe('wal');
	});

	it('enforces foreign keys: deleting a game removes its players, rounds and answers', async () => {
		const storage = open();
		await storage.saveGame(makeGame('g1'));
		await storage.saveGame(makeGame('g2'));
		const db = inspect();
		expect(count(db, 'game_answers')).toBe(6);
		await storage.deleteGame('g1');
		expect(count(db, 'game_players')).toBe(3);
		expect(count(db, 'game_rounds')).toBe(2);
		expect(count(db, 'game_answers')).toBe(3);
	});

	it('can keep the database in memory, images still in <dir>/images', async () => {
		const storage = open({ inMemory: true });
		await storage.saveQuiz(makeQuiz('capitals'), 1_000);
		const id = await storage.saveImage(PNG, 'image/png');
		expect(await storage.getQuiz('capitals')).not.toBeNull();
		expect(existsSync(dbFile)).toBe(false);
		expect(existsSync(join(dir, IMAGES_DIR, id))).toBe(true);
	});

	it('closing twice is harmless', async () => {
		const storage = open();
		await storage.close();
		await expect(storage.close()).resolves.toBeUndefined();
	});
});

describe('migrations', () => {
	it('are numbered 1, 2, … in order', () => {
		expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
			MIGRATIONS.map((_, index) => index + 1)
		);
	});

	it('upgrades a database from the previous version, keeping its quizzes', async () => {
		const v1 = new Database(dbFile);
		expect(migrate(v1, 1)).toBe(1);
		expect(tables(v1)).toEqual(['meta', 'quizzes']);
		const quiz = makeQuiz('capitals');
		v1.prepare(
			`INSERT INTO quizzes (id, title, description, question_count, questions, created_at,
				updated_at, last_played_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		).run(
			quiz.id,
			quiz.title,
			quiz.description,
			quiz.questions.length,
			JSON.stringify(quiz.questions),
			1_000,
			2_000,
			1_500
		);
		v1.prepare(`INSERT INTO meta (key, value) VALUES ('samples_seeded', '900')`).run();
		v1.close();

		const storage = open();
		expect(schemaVersion(inspect())).toBe(LATEST_SCHEMA_VERSION);
		expect(tables(inspect())).toEqual(ALL_TABLES);
		expect(await storage.getQuiz('capitals')).toStrictEqual({
			quiz,
			// Nobody's until the first admin adopts it.
			ownerId: null,
			createdAt: 1_000,
			updatedAt: 2_000,
			lastPlayedAt: 1_500
		});
		expect(await storage.seedSamples([makeQuiz('sample')], 3_000)).toBe(0);
		// The new tables work on the upgraded file.
		await storage.saveGame(makeGame('g1'));
		expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
	});

	it('gives questions stored before question types their type, in quizzes and game copies', async () => {
		const v3 = new Database(dbFile);
		expect(migrate(v3, 3)).toBe(3);
		const legacy = {
			text: 'Capital of France?',
			options: ['Paris', 'Rome'],
			correct: [0],
			timeLimit: 20,
			points: 'standard'
		};
		v3.prepare(
			`INSERT INTO quizzes (id, title, description, question_count, questions, created_at,
				updated_at, last_played_at)
			VALUES ('old', 'Old quiz', '', 1, ?, 1, 1, NULL)`
		).run(JSON.stringify([legacy]));
		v3.prepare(
			`INSERT INTO games (id, pin, quiz_id, quiz_title, question_count, quiz, options,
				started_at, ended_at, finished)
			VALUES ('g-old', '123456', 'old', 'Old quiz', 1, ?, '{}', 1, 2, 1)`
		).run(
			JSON.stringify({
				version: 1,
				id: 'old',
				title: 'Old quiz',
				description: '',
				questions: [legacy]
			})
		);
		v3.close();

		const storage = open();
		expect((await storage.getQuiz('old'))!.quiz.questions).toEqual([{ type: 'quiz', ...legacy }]);
		expect(v.safeParse(QuizSchema, (await storage.getQuiz('old'))!.quiz).success).toBe(true);
		const copy = inspect().prepare(`SELECT quiz FROM games WHERE id = 'g-old'`).get() as {
			quiz: string;
		};
		expect(JSON.parse(copy.quiz).questions).toEqual([{ type: 'quiz', ...legacy }]);
	});

	it('upgrades a version-2 database: answers become JSON, keys and cascades kept', async () => {
		const v2 = new Database(dbFile);
		v2.pragma('foreign_keys = ON');
		expect(migrate(v2, 2)).toBe(2);
		const game = makeGame('g1');
		v2.prepare(
			`INSERT INTO games (id, pin, quiz_id, quiz_title, question_count, quiz, options,
				started_at, ended_at, finished)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`
		).run(
			game.id,
			game.pin,
			game.quiz.id,
			game.quiz.title,
			game.quiz.questions.length,
			JSON.stringify(game.quiz),
			JSON.stringify(game.options),
			game.startedAt,
			game.endedAt
		);
		game.players.forEach((player, position) =>
			v2
				.prepare(`INSERT INTO game_players VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
				.run(
					game.id,
					player.id,
					position,
					player.nickname,
					player.joinOrder,
					player.score,
					player.rank,
					player.firstQuestion
				)
		);
		const insertAnswer = v2.prepare(
			`INSERT INTO game_answers (game_id, question_index, player_id, position, choice,
				elapsed_ms, correct, points)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		);
		game.rounds.forEach((round, position) => {
			v2.prepare(`INSERT INTO game_rounds VALUES (?, ?, ?, ?)`).run(
				game.id,
				round.questionIndex,
				position,
				round.openedAt
			);
			round.answers.forEach((answer, answerPosition) => {
				if (answer.answer.kind !== 'choice') throw new Error('version 2 stored choices only');
				insertAnswer.run(
					game.id,
					round.questionIndex,
					answer.playerId,
					answerPosition,
					answer.answer.index,
					answer.elapsedMs,
					answer.correct ? 1 : 0,
					answer.points
				);
			});
		});
		v2.close();

		const storage = open();
		const db = inspect();
		expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
		expect(
			db
				.prepare<[], { answer: string }>(
					`SELECT answer FROM game_answers ORDER BY question_index, position`
				)
				.all()
				.map((row) => row.answer)
		).toEqual([
			'{"kind":"choice","index":0}',
			'{"kind":"choice","index":0}',
			'{"kind":"choice","index":2}'
		]);
		expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
		expect(db.pragma('foreign_key_check')).toEqual([]);

		// The rebuilt table is the table a fresh database gets: same columns, keys and indexes.
		const freshDir = mkdtempSync(join(tmpdir(), 'quizroom-fresh-'));
		try {
			await SqliteStorage.open(freshDir).close();
			const fresh = new Database(join(freshDir, DATABASE_FILE));
			try {
				expect(schema(db)).toEqual(schema(fresh));
			} finally {
				fresh.close();
			}
		} finally {
			rmSync(freshDir, { recursive: true, force: true });
		}
		expect(db.pragma('foreign_key_list(game_answers)')).toEqual([
			expect.objectContaining({ table: 'game_rounds', from: 'game_id', on_delete: 'CASCADE' }),
			expect.objectContaining({
				table: 'game_rounds',
				from: 'question_index',
				on_delete: 'CASCADE'
			})
		]);

		// Keys and cascades still hold on the upgraded file.
		const duplicate = makeGame('g1');
		duplicate.rounds[0]!.answers.push({ ...duplicate.rounds[0]!.answers[0]! });
		await expect(storage.saveGame(duplicate)).rejects.toThrow(
			/UNIQUE constraint failed: game_answers/
		);
		await storage.saveGame(makeGameOfEveryType('g2'));
		expect(await storage.getGame('g2')).toStrictEqual(makeGameOfEveryType('g2'));
		await storage.deleteGame('g1');
		expect(count(db, 'game_answers')).toBe(10);
	});

	it('keeps answers as JSON in a fresh database, and refuses text that is not JSON', () => {
		open();
		const db = inspect();
		const columns = db
			.prepare<[], { name: string; type: string; notnull: number }>(
				`SELECT name, type, "notnull" FROM pragma_table_info('game_answers')`
			)
			.all();
		expect(columns.map((column) => column.name)).toEqual([
			'game_id',
			'question_index',
			'player_id',
			'position',
			'answer',
			'elapsed_ms',
			'correct',
			'points'
		]);
		expect(columns.find((column) => column.name === 'answer')).toEqual({
			name: 'answer',
			type: 'TEXT',
			notnull: 1
		});
		db.prepare(`INSERT INTO games VALUES ('g', '1', 'q', 'Q', 1, '{}', '{}', 0, 0, 1, NULL)`).run();
		db.prepare(`INSERT INTO game_rounds VALUES ('g', 0, 0, 0)`).run();
		expect(() =>
			db.prepare(`INSERT INTO game_answers VALUES ('g', 0, 'p', 0, 'Rome', 1.5, 1, 0)`).run()
		).toThrow(/CHECK constraint failed/);
	});

	it('refuses a database from a newer Quizroom, and leaves it untouched', () => {
		const future = new Database(dbFile);
		future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
		future.close();
		const before = readFileSync(dbFile);
		expect(() => SqliteStorage.open(dir)).toThrow(SchemaTooNewError);
		expect(() => SqliteStorage.open(dir)).toThrow(
			new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}.*newer Quizroom`)
		);
		expect(readFileSync(dbFile)).toEqual(before);
		expect(existsSync(`${dbFile}-wal`)).toBe(false);
	});

	it('rolls a failing migration back whole: version and tables as before', () => {
		const failing: Migration[] = [
			...MIGRATIONS.slice(0, 1),
			{
				version: 2,
				description: 'fails half-way',
				up(db) {
					db.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)');
					throw new Error('disk on fire');
				}
			}
		];
		const db = inspect();
		expect(() => migrate(db, 2, failing)).toThrow('disk on fire');
		expect(schemaVersion(db)).toBe(1);
		expect(tables(db)).toEqual(['meta', 'quizzes']);
		// Once fixed, the same file migrates on.
		expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
	});

	it('does nothing to a database already at the latest version', async () => {
		await open().saveQuiz(makeQuiz('capitals'), 1_000);
		const db = inspect();
		expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
		expect(count(db, 'quizzes')).toBe(1);
	});
});

describe('durability', () => {
	it('keeps quizzes, games, images and the seeded flag across close and reopen', async () => {
		const first = open();
		await first.seedSamples([makeQuiz('sample')], 500);
		await first.deleteQuiz('sample');
		await first.saveQuiz(makeQuiz('capitals'), 1_000);
		await first.markQuizPlayed('capitals', 1_500);
		await first.saveGame(makeGame('g1'));
		const imageId = await first.saveImage(PNG, 'image/webp');
		await first.close();

		const second = open();
		expect(await second.getQuiz('capitals')).toStrictEqual({
			quiz: makeQuiz('capitals'),
			ownerId: null,
			createdAt: 1_000,
			updatedAt: 1_000,
			lastPlayedAt: 1_500
		});
		expect((await second.listQuizzes()).map((item) => item.id)).toEqual(['capitals']);
		expect(await second.seedSamples([makeQuiz('sample')], 2_000)).toBe(0);
		expect(await second.getQuiz('sample')).toBeNull();
		expect(await second.getGame('g1')).toStrictEqual(makeGame('g1'));
		expect(await second.getImage(imageId)).toMatchObject({ id: imageId, type: 'image/webp' });
		expect([...(await second.getImage(imageId))!.bytes]).toEqual([...PNG]);
	});
});

describe('transactions', () => {
	/** Makes one kind of write fail after its last statement, before it commits. */
	function failing(operation: WriteOperation): { storage: SqliteStorage; arm(): void } {
		let armed = false;
		const storage = open({
			faultInjection: {
				beforeCommit(current) {
					if (armed && current === operation) throw new Error(`crash in ${operation}`);
				}
			}
		});
		return { storage, arm: () => (armed = true) };
	}

	it('a quiz replace that fails before commit leaves the old version', async () => {
		const { storage, arm } = failing('saveQuiz');
		const original = await storage.saveQuiz(makeQuiz('capitals', 'Capitals', 3), 1_000);
		arm();
		await expect(storage.saveQuiz(makeQuiz('capitals', 'Half-saved', 1), 2_000)).rejects.toThrow(
			'crash in saveQuiz'
		);
		expect(await storage.getQuiz('capitals')).toStrictEqual(original);
		expect((await storage.listQuizzes())[0]).toMatchObject({ title: 'Capitals', questionCount: 3 });
		const row = inspect().prepare('SELECT title, updated_at FROM quizzes').get();
		expect(row).toEqual({ title: 'Capitals', updated_at: 1_000 });
	});

	it('a new quiz that fails before commit is not there at all', async () => {
		const { storage, arm } = failing('saveQuiz');
		arm();
		await expect(storage.saveQuiz(makeQuiz('capitals'), 1_000)).rejects.toThrow();
		expect(await storage.getQuiz('capitals')).toBeNull();
		expect(count(inspect(), 'quizzes')).toBe(0);
	});

	it('a seeding that fails leaves no samples and no flag, so the next start seeds', async () => {
		const { storage, arm } = failing('seedSamples');
		arm();
		const samples = [makeQuiz('sample-a'), makeQuiz('sample-b')];
		await expect(storage.seedSamples(samples, 1_000)).rejects.toThrow();
		expect(count(inspect(), 'quizzes')).toBe(0);
		expect(count(inspect(), 'meta')).toBe(0);
		await storage.close();
		expect(await open().seedSamples(samples, 2_000)).toBe(2);
	});

	it('a game save that hits a constraint part-way leaves the earlier save whole', async () => {
		const storage = open();
		await storage.saveGame(makeGame('g1'));
		const db = inspect();
		const before = ALL_TABLES.map((table) => count(db, table));
		const broken = makeGame('g1');
		broken.players = broken.players.slice(0, 1);
		broken.rounds[1]!.answers = [
			{ playerId: 'p-ada', answer: choice(0), elapsedMs: 1, correct: true, points: 1000 },
			{ playerId: 'p-ada', answer: choice(1), elapsedMs: 2, correct: false, points: 0 }
		];
		// By the duplicate answer the old rows are deleted and the new game, players and first
		// round are in: the rollback has to undo all of it.
		await expect(storage.saveGame(broken)).rejects.toThrow(
			/UNIQUE constraint failed: game_answers/
		);
		expect(ALL_TABLES.map((table) => count(db, table))).toEqual(before);
		expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
	});

	it('a game save that fails before commit leaves the earlier save whole', async () => {
		const { storage, arm } = failing('saveGame');
		await storage.saveGame(makeGame('g1'));
		arm();
		const resumed = makeGame('g1');
		resumed.players.pop();
		resumed.rounds.pop();
		await expect(storage.saveGame(resumed)).rejects.toThrow('crash in saveGame');
		expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
		expect((await storage.listGames())[0]).toMatchObject({ playerCount: 3, questionsPlayed: 2 });
		await expect(storage.saveGame(makeGame('g2'))).rejects.toThrow();
		expect(await storage.getGame('g2')).toBeNull();
		expect(count(inspect(), 'games')).toBe(1);
	});
});

describe('image files', () => {
	it('writes each image as a file named by its id, and nothing else', async () => {
		const storage = open();
		const id = await storage.saveImage(PNG, 'image/png');
		await storage.saveImage(PNG, 'image/png');
		expect(readdirSync(join(dir, IMAGES_DIR))).toEqual([id]);
		expect([...readFileSync(join(dir, IMAGES_DIR, id))]).toEqual([...PNG]);
	});

	it('answers null for an image whose file is gone', async () => {
		const storage = open();
		const id = await storage.saveImage(PNG, 'image/png');
		rmSync(join(dir, IMAGES_DIR, id));
		expect(await storage.getImage(id)).toBeNull();
	});

	it('clears temp files a crash left behind, on open', async () => {
		await open().close();
		const leftover = join(dir, IMAGES_DIR, `${'b'.repeat(64)}.png.0a1b2c.tmp`);
		writeFileSync(leftover, 'half an image');
		open();
		expect(existsSync(leftover)).toBe(false);
	});
});
