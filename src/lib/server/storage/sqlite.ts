/**
 * The real store: one SQLite file in the data directory (WAL mode, schema from migrations.ts)
 * and uploaded images as files beside it.
 *
 *   <dataDir>/quizroom.db        quizzes, meta, games with every answer
 *   <dataDir>/images/<id>        one file per image, named by its content address
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { AnswerRecord, GameRecord, PlayerRecord, RoundRecord } from '../../game/record.ts';
import type { Quiz } from '../../protocol/quiz.ts';
import { BATCH_ROWS, REPORTS_PER_BATCH, byId, chunksBySize } from './batches.ts';
import { ImageDirectory } from './images.ts';
import { SqliteLiveRooms } from './live-rooms.ts';
import { migrate } from './migrations.ts';
import { SqliteAccounts } from './sqlite-accounts.ts';
import {
	accessFor,
	foldCase,
	playableQuestionCount,
	nextUpdatedAt,
	stale,
	titleSearch,
	toJson
} from './shared.ts';
import {
	EVERYONE,
	QuizChangedError,
	type SaveQuizOptions,
	type GameListItem,
	type ImageType,
	type OwnedCounts,
	type QuizAccess,
	type QuizListItem,
	type QuizListOptions,
	type QuizShare,
	type RecordBatch,
	type ShareLevel,
	type Storage,
	type StoredImage,
	type StoredQuiz,
	type Viewer
} from './storage.ts';
import {
	gameFromRows,
	gameListItemFromRow,
	quizListItemFromRow,
	storedQuizFromRow,
	type AnswerRow,
	type GameListRow,
	type GameRow,
	type PlayerRow,
	type QuizListRow,
	type QuizRow,
	type RoundRow
} from './rows.ts';

export const DATABASE_FILE = 'quizroom.db';
export const IMAGES_DIR = 'images';

/** Set once the samples went in; kept even when the host deletes them, so they stay deleted. */
const SAMPLES_SEEDED = 'samples_seeded';

export type WriteOperation = 'saveQuiz' | 'seedSamples' | 'saveGame' | 'handOver' | 'deleteOwnedBy';

export interface SqliteStorageOptions {
	/**
	 * Keep the database in memory (gone on close), for tests that want SQLite's behaviour
	 * without a file. Images are still files, in `<dataDir>/images`.
	 */
	inMemory?: boolean;
	/** Tests only: simulate a crash inside a write. Never set in the app. */
	faultInjection?: {
		/** Runs inside each write transaction after its last statement; throw to abort it. */
		beforeCommit?(operation: WriteOperation): void;
	};
}

export class SqliteStorage implements Storage {
	readonly live: SqliteLiveRooms;
	readonly accounts: SqliteAccounts;
	private readonly sql: Statements;

	private constructor(
		private readonly db: Database.Database,
		private readonly images: ImageDirectory,
		private readonly options: SqliteStorageOptions
	) {
		this.sql = prepareStatements(db);
		this.live = new SqliteLiveRooms(db);
		this.accounts = new SqliteAccounts(db);
	}

	/** Opens (creating the directory and the file if missing) and migrates to the latest schema. */
	static open(dataDir: string, options: SqliteStorageOptions = {}): SqliteStorage {
		mkdirSync(dataDir, { recursive: true });
		const db = new Database(options.inMemory ? ':memory:' : join(dataDir, DATABASE_FILE));
		try {
			// Another process (a backup, a second server by mistake) may hold the lock briefly.
			db.pragma('busy_timeout = 5000');
			db.pragma('foreign_keys = ON');
			// Before anything writes to the file: migrate() refuses a database from the future.
			migrate(db);
			// Readers never block the writer and a commit is one append: fine for a live server.
			db.pragma('journal_mode = WAL');
			// With WAL, NORMAL commits survive the process being killed (not the machine losing
			// power) without an fsync per commit: an answer burst is thousands of small commits.
			db.pragma('synchronous = NORMAL');
			db.function('fold_case', { deterministic: true }, (text: unknown) =>
				typeof text === 'string' ? foldCase(text) : text
			);
			return new SqliteStorage(db, ImageDirectory.open(join(dataDir, IMAGES_DIR)), options);
		} catch (error) {
			db.close();
			throw error;
		}
	}

	// -------------------------------------------------------------------------------------------
	// Quizzes

	async listQuizzes(options: QuizListOptions = {}): Promise<QuizListItem[]> {
		const folded = titleSearch(options.search);
		const { viewer, after, limit } = options;
		return this.sql.listQuizzes
			.all({
				folded,
				viewer: viewer?.accountId ?? null,
				everything: viewer === undefined || viewer.everything ? 1 : 0,
				afterAt: after?.updatedAt ?? null,
				afterId: after?.id ?? null,
				limit: limit ?? -1 // SQLite: a negative LIMIT is none
			})
			.map(quizListItemFromRow);
	}

	async getQuiz(id: string): Promise<StoredQuiz | null> {
		const row = this.sql.getQuiz.get(id);
		return row ? storedQuizFromRow(row) : null;
	}

	async quizAccess(id: string, viewer: Viewer): Promise<QuizAccess | null> {
		const owner = this.sql.quizOwner.get(id);
		if (!owner) return null;
		return accessFor(owner.owner_id, this.sql.quizShares.all(id), viewer);
	}

	async saveQuiz(
		quiz: Quiz,
		now: number,
		ownerId: string | null = null,
		options: SaveQuizOptions = {}
	): Promise<StoredQuiz> {
		return this.write('saveQuiz', () => {
			const stored = this.sql.quizUpdatedAt.get(quiz.id);
			if (stored && stale(stored.updated_at, options)) throw new QuizChangedError(quiz.id);
			// created_at is kept by the upsert: only a new quiz takes this one.
			this.sql.upsertQuiz.run({
				...quizParams(quiz, nextUpdatedAt(stored?.updated_at, now)),
				ownerId
			});
			// Read back what is stored, so the caller gets exactly what getQuiz will give.
			return storedQuizFromRow(this.sql.getQuiz.get(quiz.id)!);
		});
	}

	async deleteQuiz(id: string): Promise<boolean> {
		// Its shares go by the cascade.
		return this.sql.deleteQuiz.run(id).changes > 0;
	}

	async quizShares(id: string): Promise<QuizShare[]> {
		return this.sql.quizShares.all(id);
	}

	async shareQuiz(id: string, grantee: string, level: ShareLevel | null): Promise<void> {
		if (level === null) this.sql.unshareQuiz.run({ id, grantee });
		else this.sql.shareQuiz.run({ id, grantee, level });
	}

	async markQuizPlayed(id: string, at: number): Promise<void> {
		this.sql.markQuizPlayed.run({ id, at });
	}

	async seedSamples(samples: Quiz[], now: number): Promise<number> {
		const params = samples.map((quiz) => quizParams(quiz, now));
		return this.write('seedSamples', () => {
			if (this.sql.getMeta.get(SAMPLES_SEEDED)) return 0;
			let inserted = 0;
			// A quiz the host already has under a sample's id is theirs: it is not overwritten.
			for (const quiz of params) {
				if (this.sql.insertQuizIfAbsent.run({ ...quiz, ownerId: null }).changes === 0) continue;
				this.sql.shareQuiz.run({ id: quiz.id, grantee: EVERYONE, level: 'use' });
				inserted++;
			}
			this.sql.setMeta.run({ key: SAMPLES_SEEDED, value: String(now) });
			return inserted;
		});
	}

	// -------------------------------------------------------------------------------------------
	// Images

	async saveImage(
		bytes: Uint8Array,
		type: ImageType,
		ownerId: string | null = null
	): Promise<string> {
		const id = this.images.save(bytes, type);
		if (ownerId !== null) this.sql.addImageOwner.run({ id, ownerId });
		return id;
	}

	async imageBytesOf(accountId: string): Promise<number> {
		// Pictures are files: their sizes are the files' (a stat each, ~5 µs).
		let bytes = 0;
		for (const { image_id } of this.sql.imagesOf.all(accountId)) {
			bytes += this.images.size(image_id) ?? 0;
		}
		return bytes;
	}

	async getImage(id: string): Promise<StoredImage | null> {
		return this.images.get(id);
	}

	async hasImage(id: string): Promise<boolean> {
		return this.images.has(id);
	}

	async sweepImages(inUse: ReadonlySet<string>, now: number, keepMs: number): Promise<number> {
		const deleted = this.images.sweep(inUse, now, keepMs);
		for (const id of deleted) this.sql.deleteImageOwners.run(id);
		return deleted.length;
	}

	// -------------------------------------------------------------------------------------------
	// Games

	async saveGame(record: GameRecord): Promise<void> {
		const game = gameParams(record);
		this.write('saveGame', () => {
			// Replacing whole: the cascade clears players, rounds and answers of an earlier save.
			this.sql.deleteGame.run(record.id);
			this.sql.insertGame.run(game);
			record.players.forEach((player, position) =>
				this.sql.insertPlayer.run(playerParams(record.id, player, position))
			);
			record.rounds.forEach((round, position) => {
				this.sql.insertRound.run(roundParams(record.id, round, position));
				round.answers.forEach((answer, answerPosition) =>
					this.sql.insertAnswer.run(answerParams(record.id, round, answer, answerPosition))
				);
			});
		});
	}

	async listGames(viewer?: Viewer): Promise<GameListItem[]> {
		const host = viewer && !viewer.everything ? viewer.accountId : null;
		return this.sql.listGames.all({ host }).map(gameListItemFromRow);
	}

	async getGame(id: string): Promise<GameRecord | null> {
		// One read transaction: the four queries see the same snapshot of the game.
		const read = this.db.transaction(() => {
			const game = this.sql.getGame.get(id);
			if (!game) return null;
			return gameFromRows(
				game,
				this.sql.getPlayers.all(id),
				this.sql.getRounds.all(id),
				this.sql.getAnswers.all(id)
			);
		});
		try {
			return read();
		} catch (error) {
			// One report damaged since the start's check (integrity.ts) is skipped, named in the
			// log; the list, the library and the other reports go on.
			if (!isUnreadable(error)) throw error;
			console.warn(`Report ${id} in ${this.db.name} cannot be read, skipped: ${error.message}`);
			return null;
		}
	}

	async deleteGame(id: string): Promise<boolean> {
		return this.sql.deleteGame.run(id).changes > 0;
	}

	async adoptOrphans(accountId: string): Promise<void> {
		this.db.transaction(() => {
			this.sql.adoptQuizzes.run(accountId);
			this.sql.adoptGames.run(accountId);
			for (const id of this.images.ids()) this.sql.adoptImage.run({ id, accountId });
		})();
	}

	async handOver(fromId: string, toId: string): Promise<void> {
		this.write('handOver', () => {
			// Shared with the new owner: theirs now, the share says nothing more.
			this.sql.unshareOwnedWith.run({ owner: fromId, grantee: toId });
			this.sql.unshareWith.run(fromId);
			this.sql.handOverQuizzes.run({ fromId, toId });
			this.sql.handOverGames.run({ fromId, toId });
			this.sql.handOverImages.run({ fromId, toId });
			this.sql.dropImageOwner.run(fromId);
		});
	}

	async deleteOwnedBy(accountId: string): Promise<void> {
		this.write('deleteOwnedBy', () => {
			this.sql.unshareWith.run(accountId);
			this.sql.deleteQuizzesOf.run(accountId);
			this.sql.deleteGamesOf.run(accountId);
			this.sql.dropImageOwner.run(accountId);
		});
	}

	async ownedCounts(accountId: string): Promise<OwnedCounts> {
		return this.sql.ownedCounts.get({ id: accountId })!;
	}

	// -------------------------------------------------------------------------------------------
	// The record as rows (npm run migrate, copy.ts). Pictures are files: `usedAt` is a file's
	// modification time, to the millisecond.

	async *exportRecord(): AsyncIterable<RecordBatch> {
		const rows = recordStatements(this.db);
		const seeded = this.sql.getMeta.get(SAMPLES_SEEDED);
		if (seeded) yield { kind: 'meta', rows: [{ key: 'samples-seeded', value: seeded.value }] };
		for (let after = ''; ;) {
			// One read transaction per batch: each quiz with its shares as they were together.
			const quizzes = this.db.transaction(() =>
				rows.quizzesAfter.all({ after, limit: BATCH_ROWS }).map((row) => ({
					...storedQuizFromRow(row),
					shares: this.sql.quizShares.all(row.id)
				}))
			)();
			if (quizzes.length === 0) break;
			yield { kind: 'quizzes', rows: quizzes };
			after = quizzes.at(-1)!.quiz.id;
		}
		const files = this.images
			.ids()
			.sort(byId)
			.flatMap((id) => {
				const size = fileSize(join(this.images.dir, id));
				return size === null ? [] : [{ id, size }];
			});
		for (const batch of chunksBySize(files, (file) => file.size)) {
			const images = batch.flatMap(({ id }) => {
				const image = this.images.get(id);
				const modified = fileModified(join(this.images.dir, id));
				// Swept meanwhile: gone from the record, so not in it.
				if (!image || modified === null) return [];
				return [{ ...image, usedAt: modified, owners: rows.imageOwners.pluck().all(id) }];
			});
			if (images.length > 0) yield { kind: 'images', rows: images };
		}
		for (let after = ''; ;) {
			const ids = rows.gamesAfter.pluck().all({ after, limit: REPORTS_PER_BATCH });
			if (ids.length === 0) break;
			const reports: GameRecord[] = [];
			for (const id of ids) {
				const report = await this.getGame(id);
				if (report) reports.push(report);
			}
			yield { kind: 'reports', rows: reports };
			after = ids.at(-1)!;
		}
	}

	async importRecord(batch: RecordBatch): Promise<void> {
		const rows = recordStatements(this.db);
		switch (batch.kind) {
			case 'meta':
				this.db.transaction(() => {
					for (const row of batch.rows)
						this.sql.setMeta.run({ key: SAMPLES_SEEDED, value: row.value });
				})();
				return;
			case 'quizzes': {
				const params = batch.rows.map((row) => ({
					...quizParams(row.quiz, row.createdAt),
					updatedAt: row.updatedAt,
					lastPlayedAt: row.lastPlayedAt,
					ownerId: row.ownerId
				}));
				this.db
					.transaction(() => {
						batch.rows.forEach((row, i) => {
							rows.putQuiz.run(params[i]!);
							rows.dropShares.run(row.quiz.id);
							row.shares.forEach((share, position) =>
								rows.putShare.run({ id: row.quiz.id, ...share, position })
							);
						});
					})
					.immediate();
				return;
			}
			case 'images': {
				// Files first (each written whole, then renamed into place), then their owners.
				for (const row of batch.rows) {
					const id = this.images.save(row.bytes, row.type);
					if (id !== row.id) throw new Error(`Picture ${row.id}: its bytes are ${id}`);
					utimesSync(join(this.images.dir, id), row.usedAt / 1000, row.usedAt / 1000);
				}
				this.db
					.transaction(() => {
						for (const row of batch.rows) {
							this.sql.deleteImageOwners.run(row.id);
							for (const ownerId of row.owners) this.sql.addImageOwner.run({ id: row.id, ownerId });
						}
					})
					.immediate();
				return;
			}
			case 'reports': {
				const games = batch.rows.map((record) => ({ record, game: gameParams(record) }));
				this.db
					.transaction(() => {
						// As saveGame: replacing whole, the cascade clears an earlier save's rows.
						for (const { record, game } of games) {
							this.sql.deleteGame.run(record.id);
							this.sql.insertGame.run(game);
							record.players.forEach((player, position) =>
								this.sql.insertPlayer.run(playerParams(record.id, player, position))
							);
							record.rounds.forEach((round, position) => {
								this.sql.insertRound.run(roundParams(record.id, round, position));
								round.answers.forEach((answer, answerPosition) =>
									this.sql.insertAnswer.run(answerParams(record.id, round, answer, answerPosition))
								);
							});
						}
					})
					.immediate();
				return;
			}
		}
	}

	async clearRecord(): Promise<void> {
		this.db.exec(`BEGIN IMMEDIATE;
			DELETE FROM quiz_shares; DELETE FROM quizzes; DELETE FROM image_owners;
			DELETE FROM games; DELETE FROM meta;
			DELETE FROM account_sessions; DELETE FROM one_time_tokens; DELETE FROM passkeys;
			DELETE FROM sign_in_failures; DELETE FROM accounts;
			COMMIT;`);
		for (const id of this.images.ids()) rmSync(join(this.images.dir, id), { force: true });
	}

	/** What the record holds, counted: for backups and restores to say. */
	recordCounts(): { quizzes: number; reports: number; accounts: number } {
		return this.db
			.prepare<[], { quizzes: number; reports: number; accounts: number }>(
				`SELECT (SELECT count(*) FROM quizzes) AS quizzes, (SELECT count(*) FROM games) AS reports,
					(SELECT count(*) FROM accounts) AS accounts`
			)
			.get()!;
	}

	async close(): Promise<void> {
		if (!this.db.open) return;
		this.live.flush();
		// Cheap, and keeps the query planner's statistics fresh for the next start.
		this.db.pragma('optimize');
		this.db.close();
	}

	/** A write in one IMMEDIATE transaction: takes the write lock up front, all or nothing. */
	private write<T>(operation: WriteOperation, work: () => T): T {
		return this.db
			.transaction(() => {
				const result = work();
				this.options.faultInjection?.beforeCommit?.(operation);
				return result;
			})
			.immediate();
	}
}

// ---------------------------------------------------------------------------------------------
// Statements, prepared once per connection

function prepareStatements(db: Database.Database) {
	const quizListColumns = `id, title, description, question_count, created_at, updated_at,
		last_played_at, owner_id`;
	const quizColumns = `${quizListColumns}, questions`;
	return {
		// The viewer's access as shared.ts `accessFor` decides it: owner, then an admin's edit,
		// then the better of the shares to the viewer and to everyone. instr, not LIKE: the
		// search is plain text, so % and _ in it match themselves.
		listQuizzes: db.prepare<
			{
				folded: string | null;
				viewer: string | null;
				everything: number;
				afterAt: number | null;
				afterId: string | null;
				limit: number;
			},
			QuizListRow
		>(
			`SELECT * FROM (
				SELECT ${quizListColumns},
					CASE
						WHEN @viewer IS NULL THEN 'owner'
						WHEN owner_id = @viewer THEN 'owner'
						WHEN @everything = 1 THEN 'edit'
						ELSE (SELECT CASE WHEN max(s.level = 'edit') = 1 THEN 'edit' ELSE 'use' END
							FROM quiz_shares s WHERE s.quiz_id = quizzes.id
								AND s.grantee IN (@viewer, '${EVERYONE}')
							HAVING count(*) > 0)
					END AS access
				FROM quizzes
				WHERE (@folded IS NULL OR instr(fold_case(title), @folded) > 0)
					AND (@afterAt IS NULL OR updated_at < @afterAt
						OR (updated_at = @afterAt AND id > @afterId))
			)
			WHERE access IS NOT NULL
			ORDER BY updated_at DESC, id
			LIMIT @limit`
		),
		getQuiz: db.prepare<[string], QuizRow>(`SELECT ${quizColumns} FROM quizzes WHERE id = ?`),
		quizUpdatedAt: db.prepare<[string], { updated_at: number }>(
			'SELECT updated_at FROM quizzes WHERE id = ?'
		),
		quizOwner: db.prepare<[string], { owner_id: string | null }>(
			'SELECT owner_id FROM quizzes WHERE id = ?'
		),
		quizShares: db.prepare<[string], QuizShare>(
			'SELECT grantee, level FROM quiz_shares WHERE quiz_id = ? ORDER BY position, grantee'
		),
		// A changed level keeps its place in the list.
		shareQuiz: db.prepare<{ id: string; grantee: string; level: string }>(
			`INSERT INTO quiz_shares (quiz_id, grantee, level, position)
			SELECT @id, @grantee, @level,
				coalesce((SELECT max(position) + 1 FROM quiz_shares WHERE quiz_id = @id), 0)
			WHERE EXISTS (SELECT 1 FROM quizzes WHERE id = @id)
			ON CONFLICT (quiz_id, grantee) DO UPDATE SET level = excluded.level`
		),
		unshareQuiz: db.prepare<{ id: string; grantee: string }>(
			'DELETE FROM quiz_shares WHERE quiz_id = @id AND grantee = @grantee'
		),
		unshareWith: db.prepare<[string]>('DELETE FROM quiz_shares WHERE grantee = ?'),
		unshareOwnedWith: db.prepare<{ owner: string; grantee: string }>(
			`DELETE FROM quiz_shares WHERE grantee = @grantee
				AND quiz_id IN (SELECT id FROM quizzes WHERE owner_id = @owner)`
		),
		// Replacing keeps created_at, last_played_at and the owner: an edit is not a new quiz.
		upsertQuiz: db.prepare<QuizParams & { ownerId: string | null }>(
			`INSERT INTO quizzes (${quizColumns})
			VALUES (@id, @title, @description, @questionCount, @createdAt, @updatedAt, NULL,
				@ownerId, @questions)
			ON CONFLICT (id) DO UPDATE SET
				title = excluded.title,
				description = excluded.description,
				question_count = excluded.question_count,
				questions = excluded.questions,
				updated_at = excluded.updated_at`
		),
		insertQuizIfAbsent: db.prepare<QuizParams & { ownerId: string | null }>(
			`INSERT INTO quizzes (${quizColumns})
			VALUES (@id, @title, @description, @questionCount, @createdAt, @updatedAt, NULL,
				@ownerId, @questions)
			ON CONFLICT (id) DO NOTHING`
		),
		adoptQuizzes: db.prepare<[string]>('UPDATE quizzes SET owner_id = ? WHERE owner_id IS NULL'),
		adoptGames: db.prepare<[string]>('UPDATE games SET host_id = ? WHERE host_id IS NULL'),
		addImageOwner: db.prepare<{ id: string; ownerId: string }>(
			`INSERT INTO image_owners (image_id, account_id) VALUES (@id, @ownerId)
			ON CONFLICT DO NOTHING`
		),
		deleteImageOwners: db.prepare<[string]>('DELETE FROM image_owners WHERE image_id = ?'),
		imagesOf: db.prepare<[string], { image_id: string }>(
			'SELECT image_id FROM image_owners WHERE account_id = ?'
		),
		// A picture nobody owns yet: uploaded before accounts, when no owner was kept.
		adoptImage: db.prepare<{ id: string; accountId: string }>(
			`INSERT INTO image_owners (image_id, account_id)
			SELECT @id, @accountId WHERE NOT EXISTS (SELECT 1 FROM image_owners WHERE image_id = @id)`
		),
		handOverQuizzes: db.prepare<{ fromId: string; toId: string }>(
			'UPDATE quizzes SET owner_id = @toId WHERE owner_id = @fromId'
		),
		handOverGames: db.prepare<{ fromId: string; toId: string }>(
			'UPDATE games SET host_id = @toId WHERE host_id = @fromId'
		),
		handOverImages: db.prepare<{ fromId: string; toId: string }>(
			`INSERT INTO image_owners (image_id, account_id)
			SELECT image_id, @toId FROM image_owners WHERE account_id = @fromId
			ON CONFLICT DO NOTHING`
		),
		dropImageOwner: db.prepare<[string]>('DELETE FROM image_owners WHERE account_id = ?'),
		deleteQuizzesOf: db.prepare<[string]>('DELETE FROM quizzes WHERE owner_id = ?'),
		deleteGamesOf: db.prepare<[string]>('DELETE FROM games WHERE host_id = ?'),
		ownedCounts: db.prepare<{ id: string }, OwnedCounts>(
			`SELECT
				(SELECT count(*) FROM quizzes WHERE owner_id = @id) AS quizzes,
				(SELECT count(*) FROM games WHERE host_id = @id) AS reports,
				(SELECT count(*) FROM image_owners WHERE account_id = @id) AS images`
		),
		deleteQuiz: db.prepare<[string]>(`DELETE FROM quizzes WHERE id = ?`),
		markQuizPlayed: db.prepare<{ id: string; at: number }>(
			`UPDATE quizzes SET last_played_at = @at WHERE id = @id`
		),
		getMeta: db.prepare<[string], { value: string }>(`SELECT value FROM meta WHERE key = ?`),
		setMeta: db.prepare<{ key: string; value: string }>(
			`INSERT INTO meta (key, value) VALUES (@key, @value)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`
		),

		listGames: db.prepare<{ host: string | null }, GameListRow>(
			`SELECT g.id, g.pin, g.quiz_id, g.quiz_title, g.started_at, g.ended_at, g.finished,
				g.question_count, g.host_id,
				(SELECT count(*) FROM game_players p WHERE p.game_id = g.id) AS player_count,
				(SELECT count(*) FROM game_rounds r WHERE r.game_id = g.id) AS questions_played,
				(SELECT p.nickname FROM game_players p WHERE p.game_id = g.id AND p.rank = 1
					ORDER BY p.position LIMIT 1) AS winner
			FROM games g
			WHERE @host IS NULL OR g.host_id = @host
			ORDER BY g.started_at DESC, g.id`
		),
		getGame: db.prepare<[string], GameRow>(
			`SELECT id, pin, quiz, options, started_at, ended_at, finished, host_id
			FROM games WHERE id = ?`
		),
		getPlayers: db.prepare<[string], PlayerRow>(
			`SELECT player_id, nickname, join_order, score, rank, first_question
			FROM game_players WHERE game_id = ? ORDER BY position`
		),
		getRounds: db.prepare<[string], RoundRow>(
			`SELECT question_index, opened_at FROM game_rounds WHERE game_id = ? ORDER BY position`
		),
		getAnswers: db.prepare<[string], AnswerRow>(
			`SELECT question_index, player_id, answer, elapsed_ms, correct, points
			FROM game_answers WHERE game_id = ? ORDER BY question_index, position`
		),
		deleteGame: db.prepare<[string]>(`DELETE FROM games WHERE id = ?`),
		insertGame: db.prepare<GameParams>(
			`INSERT INTO games (id, pin, quiz_id, quiz_title, question_count, quiz, options,
				started_at, ended_at, finished, host_id)
			VALUES (@id, @pin, @quizId, @quizTitle, @questionCount, @quiz, @options,
				@startedAt, @endedAt, @finished, @hostId)`
		),
		insertPlayer: db.prepare<PlayerParams>(
			`INSERT INTO game_players (game_id, player_id, position, nickname, join_order, score,
				rank, first_question)
			VALUES (@gameId, @playerId, @position, @nickname, @joinOrder, @score, @rank,
				@firstQuestion)`
		),
		insertRound: db.prepare<RoundParams>(
			`INSERT INTO game_rounds (game_id, question_index, position, opened_at)
			VALUES (@gameId, @questionIndex, @position, @openedAt)`
		),
		insertAnswer: db.prepare<AnswerParams>(
			`INSERT INTO game_answers (game_id, question_index, player_id, position, answer,
				elapsed_ms, correct, points)
			VALUES (@gameId, @questionIndex, @playerId, @position, @answer, @elapsedMs, @correct,
				@points)`
		)
	};
}

type Statements = ReturnType<typeof prepareStatements>;

/** The statements only `npm run migrate` uses, prepared when it asks (once per connection). */
const recordStatementsOf = new WeakMap<Database.Database, ReturnType<typeof prepareRecord>>();

function recordStatements(db: Database.Database) {
	let statements = recordStatementsOf.get(db);
	if (!statements) recordStatementsOf.set(db, (statements = prepareRecord(db)));
	return statements;
}

function prepareRecord(db: Database.Database) {
	return {
		quizzesAfter: db.prepare<{ after: string; limit: number }, QuizRow>(
			`SELECT id, title, description, question_count, created_at, updated_at, last_played_at,
				owner_id, questions
			FROM quizzes WHERE id > @after ORDER BY id LIMIT @limit`
		),
		gamesAfter: db.prepare<{ after: string; limit: number }, string>(
			'SELECT id FROM games WHERE id > @after ORDER BY id LIMIT @limit'
		),
		imageOwners: db.prepare<[string], string>(
			'SELECT account_id FROM image_owners WHERE image_id = ? ORDER BY account_id'
		),
		// Everything as given: times and owner included.
		putQuiz: db.prepare<QuizParams & { ownerId: string | null; lastPlayedAt: number | null }>(
			`INSERT INTO quizzes (id, title, description, question_count, created_at, updated_at,
				last_played_at, owner_id, questions)
			VALUES (@id, @title, @description, @questionCount, @createdAt, @updatedAt,
				@lastPlayedAt, @ownerId, @questions)
			ON CONFLICT (id) DO UPDATE SET
				title = excluded.title,
				description = excluded.description,
				question_count = excluded.question_count,
				created_at = excluded.created_at,
				updated_at = excluded.updated_at,
				last_played_at = excluded.last_played_at,
				owner_id = excluded.owner_id,
				questions = excluded.questions`
		),
		dropShares: db.prepare<[string]>('DELETE FROM quiz_shares WHERE quiz_id = ?'),
		putShare: db.prepare<{ id: string; grantee: string; level: string; position: number }>(
			`INSERT INTO quiz_shares (quiz_id, grantee, level, position)
			VALUES (@id, @grantee, @level, @position)`
		)
	};
}

/** A row SQLite finds damaged, or text that is no longer the JSON it was written as. */
function isUnreadable(error: unknown): error is Error {
	if (error instanceof SyntaxError) return true;
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

/** A file's size, or null when it is gone. */
function fileSize(path: string): number | null {
	try {
		return statSync(path).size;
	} catch {
		return null;
	}
}

/** A file's modification time to the millisecond (utimes writes what it reads), or null. */
function fileModified(path: string): number | null {
	try {
		return Math.round(statSync(path).mtimeMs);
	} catch {
		return null;
	}
}

// ---------------------------------------------------------------------------------------------
// Interface types → parameters (SQLite has no booleans: 0/1); rows → types: rows.ts.

interface QuizParams {
	id: string;
	title: string;
	description: string;
	questionCount: number;
	questions: string;
	createdAt: number;
	updatedAt: number;
}

/** Encodes before the transaction starts: a quiz JSON cannot keep fails without touching it. */
function quizParams(quiz: Quiz, now: number): QuizParams {
	return {
		id: quiz.id,
		title: quiz.title,
		description: quiz.description,
		questionCount: quiz.questions.length,
		questions: toJson(quiz.questions, `Quiz ${quiz.id}`),
		createdAt: now,
		updatedAt: now
	};
}

interface GameParams {
	id: string;
	pin: string;
	quizId: string;
	quizTitle: string;
	questionCount: number;
	quiz: string;
	options: string;
	startedAt: number;
	endedAt: number;
	finished: number;
	hostId: string | null;
}

interface PlayerParams {
	gameId: string;
	playerId: string;
	position: number;
	nickname: string;
	joinOrder: number;
	score: number;
	rank: number | null;
	firstQuestion: number;
}

interface RoundParams {
	gameId: string;
	questionIndex: number;
	position: number;
	openedAt: number;
}

interface AnswerParams {
	gameId: string;
	questionIndex: number;
	playerId: string;
	position: number;
	answer: string;
	elapsedMs: number;
	correct: number;
	points: number;
}

function gameParams(record: GameRecord): GameParams {
	return {
		id: record.id,
		pin: record.pin,
		quizId: record.quiz.id,
		quizTitle: record.quiz.title,
		questionCount: playableQuestionCount(record.quiz),
		quiz: toJson(record.quiz, `Game ${record.id}: quiz`),
		options: toJson(record.options, `Game ${record.id}: options`),
		startedAt: record.startedAt,
		endedAt: record.endedAt,
		finished: record.finished ? 1 : 0,
		hostId: record.hostId
	};
}

function playerParams(gameId: string, player: PlayerRecord, position: number): PlayerParams {
	return {
		gameId,
		playerId: player.id,
		position,
		nickname: player.nickname,
		joinOrder: player.joinOrder,
		score: player.score,
		rank: player.rank,
		firstQuestion: player.firstQuestion
	};
}

function roundParams(gameId: string, round: RoundRecord, position: number): RoundParams {
	return { gameId, questionIndex: round.questionIndex, position, openedAt: round.openedAt };
}

function answerParams(
	gameId: string,
	round: RoundRecord,
	answer: AnswerRecord,
	position: number
): AnswerParams {
	return {
		gameId,
		questionIndex: round.questionIndex,
		playerId: answer.playerId,
		position,
		answer: toJson(
			answer.answer,
			`Game ${gameId}: answer of ${answer.playerId} to question ${round.questionIndex}`
		),
		elapsedMs: answer.elapsedMs,
		correct: answer.correct ? 1 : 0,
		points: answer.points
	};
}
