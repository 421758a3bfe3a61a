/**
 * What only the SQLite store has: a file that outlives the process, a schema that migrates,
 * transactions, and image files. The behaviour both stores share is in storage.test.ts.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeGame, makeQuiz, PNG } from './fixtures.ts';
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

const ALL_TABLES = ['game_answers', 'game_players', 'game_rounds', 'games', 'meta', 'quizzes'];

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

	it('enforces foreign keys: deleting a game removes its players, rounds and answers', () => {
		const storage = open();
		storage.saveGame(makeGame('g1'));
		storage.saveGame(makeGame('g2'));
		const db = inspect();
		expect(count(db, 'game_answers')).toBe(6);
		storage.deleteGame('g1');
		expect(count(db, 'game_players')).toBe(3);
		expect(count(db, 'game_rounds')).toBe(2);
		expect(count(db, 'game_answers')).toBe(3);
	});

	it('can keep the database in memory, images still in <dir>/images', () => {
		const storage = open({ inMemory: true });
		storage.saveQuiz(makeQuiz('capitals'), 1_000);
		const id = storage.saveImage(PNG, 'image/png');
		expect(storage.getQuiz('capitals')).not.toBeNull();
		expect(existsSync(dbFile)).toBe(false);
		expect(existsSync(join(dir, IMAGES_DIR, id))).toBe(true);
	});

	it('closing twice is harmless', () => {
		const storage = open();
		storage.close();
		expect(() => storage.close()).not.toThrow();
	});
});

describe('migrations', () => {
	it('are numbered 1, 2, … in order', () => {
		expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
			MIGRATIONS.map((_, index) => index + 1)
		);
	});

	it('upgrades a database from the previous version, keeping its quizzes', () => {
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
		expect(storage.getQuiz('capitals')).toStrictEqual({
			quiz,
			createdAt: 1_000,
			updatedAt: 2_000,
			lastPlayedAt: 1_500
		});
		expect(storage.seedSamples([makeQuiz('sample')], 3_000)).toBe(0);
		// The new tables work on the upgraded file.
		storage.saveGame(makeGame('g1'));
		expect(storage.getGame('g1')).toStrictEqual(makeGame('g1'));
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

	it('does nothing to a database already at the latest version', () => {
		open().saveQuiz(makeQuiz('capitals'), 1_000);
		const db = inspect();
		expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION);
		expect(count(db, 'quizzes')).toBe(1);
	});
});

describe('durability', () => {
	it('keeps quizzes, games, images and the seeded flag across close and reopen', () => {
		const first = open();
		first.seedSamples([makeQuiz('sample')], 500);
		first.deleteQuiz('sample');
		first.saveQuiz(makeQuiz('capitals'), 1_000);
		first.markQuizPlayed('capitals', 1_500);
		first.saveGame(makeGame('g1'));
		const imageId = first.saveImage(PNG, 'image/webp');
		first.close();

		const second = open();
		expect(second.getQuiz('capitals')).toStrictEqual({
			quiz: makeQuiz('capitals'),
			createdAt: 1_000,
			updatedAt: 1_000,
			lastPlayedAt: 1_500
		});
		expect(second.listQuizzes().map((item) => item.id)).toEqual(['capitals']);
		expect(second.seedSamples([makeQuiz('sample')], 2_000)).toBe(0);
		expect(second.getQuiz('sample')).toBeNull();
		expect(second.getGame('g1')).toStrictEqual(makeGame('g1'));
		expect(second.getImage(imageId)).toMatchObject({ id: imageId, type: 'image/webp' });
		expect([...second.getImage(imageId)!.bytes]).toEqual([...PNG]);
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

	it('a quiz replace that fails before commit leaves the old version', () => {
		const { storage, arm } = failing('saveQuiz');
		const original = storage.saveQuiz(makeQuiz('capitals', 'Capitals', 3), 1_000);
		arm();
		expect(() => storage.saveQuiz(makeQuiz('capitals', 'Half-saved', 1), 2_000)).toThrow(
			'crash in saveQuiz'
		);
		expect(storage.getQuiz('capitals')).toStrictEqual(original);
		expect(storage.listQuizzes()[0]).toMatchObject({ title: 'Capitals', questionCount: 3 });
		const row = inspect().prepare('SELECT title, updated_at FROM quizzes').get();
		expect(row).toEqual({ title: 'Capitals', updated_at: 1_000 });
	});

	it('a new quiz that fails before commit is not there at all', () => {
		const { storage, arm } = failing('saveQuiz');
		arm();
		expect(() => storage.saveQuiz(makeQuiz('capitals'), 1_000)).toThrow();
		expect(storage.getQuiz('capitals')).toBeNull();
		expect(count(inspect(), 'quizzes')).toBe(0);
	});

	it('a seeding that fails leaves no samples and no flag, so the next start seeds', () => {
		const { storage, arm } = failing('seedSamples');
		arm();
		const samples = [makeQuiz('sample-a'), makeQuiz('sample-b')];
		expect(() => storage.seedSamples(samples, 1_000)).toThrow();
		expect(count(inspect(), 'quizzes')).toBe(0);
		expect(count(inspect(), 'meta')).toBe(0);
		storage.close();
		expect(open().seedSamples(samples, 2_000)).toBe(2);
	});

	it('a game save that hits a constraint part-way leaves the earlier save whole', () => {
		const storage = open();
		storage.saveGame(makeGame('g1'));
		const db = inspect();
		const before = ALL_TABLES.map((table) => count(db, table));
		const broken = makeGame('g1');
		broken.players = broken.players.slice(0, 1);
		broken.rounds[1]!.answers = [
			{ playerId: 'p-ada', choice: 0, elapsedMs: 1, correct: true, points: 1000 },
			{ playerId: 'p-ada', choice: 1, elapsedMs: 2, correct: false, points: 0 }
		];
		// By the duplicate answer the old rows are deleted and the new game, players and first
		// round are in: the rollback has to undo all of it.
		expect(() => storage.saveGame(broken)).toThrow(/UNIQUE constraint failed: game_answers/);
		expect(ALL_TABLES.map((table) => count(db, table))).toEqual(before);
		expect(storage.getGame('g1')).toStrictEqual(makeGame('g1'));
	});

	it('a game save that fails before commit leaves the earlier save whole', () => {
		const { storage, arm } = failing('saveGame');
		storage.saveGame(makeGame('g1'));
		arm();
		const resumed = makeGame('g1');
		resumed.players.pop();
		resumed.rounds.pop();
		expect(() => storage.saveGame(resumed)).toThrow('crash in saveGame');
		expect(storage.getGame('g1')).toStrictEqual(makeGame('g1'));
		expect(storage.listGames()[0]).toMatchObject({ playerCount: 3, questionsPlayed: 2 });
		expect(() => storage.saveGame(makeGame('g2'))).toThrow();
		expect(storage.getGame('g2')).toBeNull();
		expect(count(inspect(), 'games')).toBe(1);
	});
});

describe('image files', () => {
	it('writes each image as a file named by its id, and nothing else', () => {
		const storage = open();
		const id = storage.saveImage(PNG, 'image/png');
		storage.saveImage(PNG, 'image/png');
		expect(readdirSync(join(dir, IMAGES_DIR))).toEqual([id]);
		expect([...readFileSync(join(dir, IMAGES_DIR, id))]).toEqual([...PNG]);
	});

	it('answers null for an image whose file is gone', () => {
		const storage = open();
		const id = storage.saveImage(PNG, 'image/png');
		rmSync(join(dir, IMAGES_DIR, id));
		expect(storage.getImage(id)).toBeNull();
	});

	it('clears temp files a crash left behind, on open', () => {
		open().close();
		const leftover = join(dir, IMAGES_DIR, `${'b'.repeat(64)}.png.0a1b2c.tmp`);
		writeFileSync(leftover, 'half an image');
		open();
		expect(existsSync(leftover)).toBe(false);
	});
});
