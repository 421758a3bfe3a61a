/**
 * The record in PostgreSQL (DATABASE_URL): quizzes and their shares, pictures, reports,
 * accounts and sessions, shared by every node of a cluster and by whatever backs up the
 * school's databases. Games in progress (`live`) stay in the node's own SQLite file, as they
 * belong to it (in a cluster, copied to Redis as well): the caller hands them in.
 *
 * Every write that touches several rows is one transaction. A report saved twice at once (two
 * nodes after a takeover) locks its row first: the later save waits, then replaces the whole
 * report, so there is exactly one.
 */
import pg from 'pg';
import type { AnswerRecord, GameRecord } from '../../game/record.ts';
import type { Quiz } from '../../protocol/quiz.ts';
import type { LiveRooms } from './live-rooms.ts';
import {
	connectPostgres,
	isDatabaseDown,
	redactedDatabaseUrl,
	transaction,
	withDatabase,
	type Sql,
	type SqlClient
} from './postgres-client.ts';
import { PostgresAccounts } from './postgres-accounts.ts';
import { BATCH_ROWS, REPORTS_PER_BATCH, chunksBySize } from './batches.ts';
import { migratePostgres } from './postgres-migrations.ts';
import {
	accessFor,
	assertGameKeys,
	foldCase,
	imageId,
	imageTypeOf,
	playableQuestionCount,
	titleSearch,
	toJson
} from './shared.ts';
import {
	EVERYONE,
	QuizChangedError,
	type GameListItem,
	type ImageType,
	type OwnedCounts,
	type QuizAccess,
	type QuizListItem,
	type QuizListOptions,
	type QuizShare,
	type RecordBatch,
	type SaveQuizOptions,
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

/** Set once the samples went in; kept even when the host deletes them, so they stay deleted. */
const SAMPLES_SEEDED = 'samples_seeded';

export interface PostgresStorageOptions {
	url: string;
	/** This node's games in progress (its SQLite `LiveRooms`). */
	live: LiveRooms;
	/** A schema of its own in the database (tests: one per test); default the user's. */
	schema?: string;
	/** Connections this node may hold (default 10). */
	max?: number;
	/** Shown in pg_stat_activity. */
	name?: string;
	/** Runs after the pool is closed, e.g. to close the SQLite file behind `live`. */
	onClose?: () => Promise<void> | void;
}

const QUIZ_LIST_COLUMNS = `id, title, description, question_count, created_at, updated_at,
	last_played_at, owner_id`;

export class PostgresStorage implements Storage {
	readonly live: LiveRooms;
	readonly accounts: PostgresAccounts;
	private closed = false;

	private constructor(
		private readonly sql: Sql,
		private readonly options: PostgresStorageOptions
	) {
		this.live = options.live;
		this.accounts = new PostgresAccounts(sql);
	}

	/** Connects, brings the schema up to date (or refuses a newer one), and is ready. */
	static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
		const url = withSearchPath(options.url, options.schema);
		const sql = await connectPostgres(url, { max: options.max, name: options.name });
		try {
			if (options.schema) {
				await sql.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
			}
			await migratePostgres(sql, redactedDatabaseUrl(options.url));
			await checkTables(sql, redactedDatabaseUrl(options.url));
		} catch (error) {
			await sql.end().catch(() => {});
			throw error;
		}
		return new PostgresStorage(sql, options);
	}

	// -------------------------------------------------------------------------------------------
	// Quizzes

	async listQuizzes(options: QuizListOptions = {}): Promise<QuizListItem[]> {
		const { viewer, after, limit } = options;
		const params = [
			titleSearch(options.search),
			viewer?.accountId ?? null,
			after?.updatedAt ?? null,
			after?.id ?? null,
			limit ?? null // LIMIT NULL: all of them
		];
		const chosen = `($1::text IS NULL OR strpos(title_folded, $1) > 0)
			AND ($3::bigint IS NULL OR updated_at < $3 OR (updated_at = $3 AND id COLLATE "C" > $4))`;
		const page = 'ORDER BY updated_at DESC, id COLLATE "C" LIMIT $5';
		// The viewer's access as shared.ts `accessFor` decides it, in SQL (as sqlite.ts does).
		// A host's list is their own quizzes and those shared with them, read as two small sets:
		// one query over all quizzes, the shares joined, let the planner walk the whole library
		// in order for a page (without statistics it joined a nested loop: 55 ms a page, 16 ms
		// the whole list). Now a host's page costs what their quizzes and shares cost, however
		// big the library (scripts/store-bench.ts).
		const sql =
			viewer === undefined || viewer.everything
				? `SELECT ${QUIZ_LIST_COLUMNS},
						CASE WHEN $2::text IS NULL OR owner_id = $2 THEN 'owner' ELSE 'edit' END AS access
					FROM quizzes WHERE ${chosen} ${page}`
				: `SELECT * FROM (
						SELECT ${QUIZ_LIST_COLUMNS}, 'owner' AS access
						FROM quizzes WHERE owner_id = $2 AND ${chosen}
						UNION ALL
						SELECT ${QUIZ_LIST_COLUMNS}, CASE WHEN shared.edit THEN 'edit' ELSE 'use' END
						FROM quizzes JOIN (
							SELECT quiz_id, bool_or(level = 'edit') AS edit FROM quiz_shares
							WHERE grantee IN ($2, '${EVERYONE}') GROUP BY quiz_id
						) AS shared ON shared.quiz_id = quizzes.id
						WHERE owner_id IS DISTINCT FROM $2 AND ${chosen}
					) AS visible ${page}`;
		const { rows } = await this.query<QuizListRow>(sql, params);
		return rows.map(quizListItemFromRow);
	}

	async getQuiz(id: string): Promise<StoredQuiz | null> {
		const { rows } = await this.query<QuizRow>(
			`SELECT ${QUIZ_LIST_COLUMNS}, questions FROM quizzes WHERE id = $1`,
			[id]
		);
		return rows[0] ? storedQuizFromRow(rows[0]) : null;
	}

	async quizAccess(id: string, viewer: Viewer): Promise<QuizAccess | null> {
		const { rows } = await this.query<{ owner_id: string | null }>(
			'SELECT owner_id FROM quizzes WHERE id = $1',
			[id]
		);
		if (!rows[0]) return null;
		return accessFor(rows[0].owner_id, await this.quizShares(id), viewer);
	}

	async saveQuiz(
		quiz: Quiz,
		now: number,
		ownerId: string | null = null,
		options: SaveQuizOptions = {}
	): Promise<StoredQuiz> {
		// Encoded before the transaction: a quiz JSON cannot keep fails without touching anything.
		const questions = toJson(quiz.questions, `Quiz ${quiz.id}`);
		return transaction(this.sql, async (client) => {
			// The row is locked until commit: two nodes saving the same quiz take turns.
			const { rows } = await client.query<{ updated_at: number }>(
				'SELECT updated_at FROM quizzes WHERE id = $1 FOR UPDATE',
				[quiz.id]
			);
			const stored = rows[0];
			if (
				stored &&
				options.expectedUpdatedAt !== undefined &&
				stored.updated_at !== options.expectedUpdatedAt
			) {
				throw new QuizChangedError(quiz.id);
			}
			// Replacing keeps created_at, last_played_at and the owner: an edit is not a new quiz.
			await client.query(
				`INSERT INTO quizzes (id, title, title_folded, description, question_count, questions,
					created_at, updated_at, last_played_at, owner_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $7, NULL, $8)
				ON CONFLICT (id) DO UPDATE SET
					title = excluded.title,
					title_folded = excluded.title_folded,
					description = excluded.description,
					question_count = excluded.question_count,
					questions = excluded.questions,
					updated_at = GREATEST(excluded.updated_at, quizzes.updated_at + 1)`,
				[
					quiz.id,
					quiz.title,
					foldCase(quiz.title),
					quiz.description,
					quiz.questions.length,
					questions,
					now,
					ownerId
				]
			);
			const saved = await client.query<QuizRow>(
				`SELECT ${QUIZ_LIST_COLUMNS}, questions FROM quizzes WHERE id = $1`,
				[quiz.id]
			);
			return storedQuizFromRow(saved.rows[0]!);
		});
	}

	async deleteQuiz(id: string): Promise<boolean> {
		// Its shares go by the cascade.
		const { rowCount } = await this.query('DELETE FROM quizzes WHERE id = $1', [id]);
		return (rowCount ?? 0) > 0;
	}

	async quizShares(id: string): Promise<QuizShare[]> {
		const { rows } = await this.query<QuizShare>(
			`SELECT grantee, level FROM quiz_shares WHERE quiz_id = $1
			ORDER BY position, grantee COLLATE "C"`,
			[id]
		);
		return rows;
	}

	async shareQuiz(id: string, grantee: string, level: ShareLevel | null): Promise<void> {
		if (level === null) {
			await this.query('DELETE FROM quiz_shares WHERE quiz_id = $1 AND grantee = $2', [
				id,
				grantee
			]);
			return;
		}
		// A changed level keeps its place in the list; nothing for a quiz that is not there.
		await this.query(
			`INSERT INTO quiz_shares (quiz_id, grantee, level, position)
			SELECT $1, $2, $3,
				coalesce((SELECT max(position) + 1 FROM quiz_shares WHERE quiz_id = $1), 0)
			WHERE EXISTS (SELECT 1 FROM quizzes WHERE id = $1)
			ON CONFLICT (quiz_id, grantee) DO UPDATE SET level = excluded.level`,
			[id, grantee, level]
		);
	}

	async markQuizPlayed(id: string, at: number): Promise<void> {
		await this.query('UPDATE quizzes SET last_played_at = $2 WHERE id = $1', [id, at]);
	}

	async seedSamples(samples: Quiz[], now: number): Promise<number> {
		const encoded = samples.map((quiz) => ({
			quiz,
			questions: toJson(quiz.questions, `Quiz ${quiz.id}`)
		}));
		return transaction(this.sql, async (client) => {
			// Nodes starting together race here: the flag's row lock lets exactly one seed.
			const flag = await client.query(
				`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
				[SAMPLES_SEEDED, String(now)]
			);
			if (flag.rowCount === 0) return 0;
			let inserted = 0;
			for (const { quiz, questions } of encoded) {
				// A quiz the host already has under a sample's id is theirs: it is not overwritten.
				const added = await client.query(
					`INSERT INTO quizzes (id, title, title_folded, description, question_count, questions,
						created_at, updated_at, last_played_at, owner_id)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $7, NULL, NULL)
					ON CONFLICT (id) DO NOTHING`,
					[
						quiz.id,
						quiz.title,
						foldCase(quiz.title),
						quiz.description,
						quiz.questions.length,
						questions,
						now
					]
				);
				if (added.rowCount === 0) continue;
				await client.query(
					`INSERT INTO quiz_shares (quiz_id, grantee, level, position) VALUES ($1, '${EVERYONE}', 'use', 0)`,
					[quiz.id]
				);
				inserted++;
			}
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
		const id = imageId(bytes, type);
		const now = Date.now();
		await transaction(this.sql, async (client) => {
			// Same address, same bytes: an image already there is this image (used again now).
			await client.query(
				`INSERT INTO images (id, type, bytes, used_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (id) DO UPDATE SET used_at = excluded.used_at`,
				[id, type, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), now]
			);
			if (ownerId !== null) {
				await client.query(
					`INSERT INTO image_owners (image_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
					[id, ownerId]
				);
			}
		});
		return id;
	}

	async imageBytesOf(accountId: string): Promise<number> {
		// octet_length of a bytea is its stored length: the value itself is not read.
		const { rows } = await this.query<{ bytes: string }>(
			`SELECT coalesce(sum(octet_length(images.bytes)), 0) AS bytes
			FROM image_owners JOIN images ON images.id = image_owners.image_id
			WHERE image_owners.account_id = $1`,
			[accountId]
		);
		return Number(rows[0]!.bytes);
	}

	async getImage(id: string): Promise<StoredImage | null> {
		const type = imageTypeOf(id);
		if (!type) return null;
		const { rows } = await this.query<{ bytes: Buffer }>('SELECT bytes FROM images WHERE id = $1', [
			id
		]);
		return rows[0] ? { id, type, bytes: new Uint8Array(rows[0].bytes) } : null;
	}

	async hasImage(id: string): Promise<boolean> {
		if (!imageTypeOf(id)) return false;
		const { rows } = await this.query('SELECT 1 FROM images WHERE id = $1', [id]);
		return rows.length > 0;
	}

	async sweepImages(inUse: ReadonlySet<string>, now: number, keepMs: number): Promise<number> {
		return transaction(this.sql, async (client) => {
			await client.query('UPDATE images SET used_at = $2 WHERE id = ANY($1::text[])', [
				[...inUse],
				now
			]);
			// Owners go by the cascade. An upload of the same picture since (a fresh used_at) keeps it.
			const deleted = await client.query('DELETE FROM images WHERE used_at < $1', [now - keepMs]);
			return deleted.rowCount ?? 0;
		});
	}

	// -------------------------------------------------------------------------------------------
	// Games

	async saveGame(record: GameRecord): Promise<void> {
		assertGameKeys(record);
		const rows = reportRows(record);
		await transaction(this.sql, (client) => writeReport(client, rows));
	}

	async listGames(viewer?: Viewer): Promise<GameListItem[]> {
		const host = viewer && !viewer.everything ? viewer.accountId : null;
		const { rows } = await this.query<GameListRow>(
			`SELECT g.id, g.pin, g.quiz_id, g.quiz_title, g.started_at, g.ended_at, g.finished,
				g.question_count, g.host_id,
				(SELECT count(*) FROM game_players p WHERE p.game_id = g.id) AS player_count,
				(SELECT count(*) FROM game_rounds r WHERE r.game_id = g.id) AS questions_played,
				(SELECT p.nickname FROM game_players p WHERE p.game_id = g.id AND p.rank = 1
					ORDER BY p.position LIMIT 1) AS winner
			FROM games g
			WHERE $1::text IS NULL OR g.host_id = $1
			ORDER BY g.started_at DESC, g.id COLLATE "C"`,
			[host]
		);
		return rows.map(gameListItemFromRow);
	}

	async getGame(id: string): Promise<GameRecord | null> {
		// One read-only snapshot: the four reads see the same saved report.
		return transaction(this.sql, async (client) => {
			await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
			const game = (await client.query<GameRow>('SELECT * FROM games WHERE id = $1', [id])).rows[0];
			if (!game) return null;
			// One after the other: a pg client runs one query at a time anyway (and pg 9 refuses
			// a second one sent while the first runs).
			const players = await client.query<PlayerRow>(
				'SELECT * FROM game_players WHERE game_id = $1 ORDER BY position',
				[id]
			);
			const rounds = await client.query<RoundRow>(
				'SELECT * FROM game_rounds WHERE game_id = $1 ORDER BY position',
				[id]
			);
			const answers = await client.query<AnswerRow>(
				'SELECT * FROM game_answers WHERE game_id = $1 ORDER BY question_index, position',
				[id]
			);
			return gameFromRows(game, players.rows, rounds.rows, answers.rows);
		});
	}

	async deleteGame(id: string): Promise<boolean> {
		const { rowCount } = await this.query('DELETE FROM games WHERE id = $1', [id]);
		return (rowCount ?? 0) > 0;
	}

	// -------------------------------------------------------------------------------------------
	// Owners

	async adoptOrphans(accountId: string): Promise<void> {
		await transaction(this.sql, async (client) => {
			await client.query('UPDATE quizzes SET owner_id = $1 WHERE owner_id IS NULL', [accountId]);
			await client.query('UPDATE games SET host_id = $1 WHERE host_id IS NULL', [accountId]);
			await client.query(
				`INSERT INTO image_owners (image_id, account_id)
				SELECT id, $1 FROM images i
				WHERE NOT EXISTS (SELECT 1 FROM image_owners o WHERE o.image_id = i.id)`,
				[accountId]
			);
		});
	}

	async handOver(fromId: string, toId: string): Promise<void> {
		await transaction(this.sql, async (client) => {
			// Shared with the new owner: theirs now, the share says nothing more.
			await client.query(
				`DELETE FROM quiz_shares WHERE grantee = $2
				AND quiz_id IN (SELECT id FROM quizzes WHERE owner_id = $1)`,
				[fromId, toId]
			);
			await client.query('DELETE FROM quiz_shares WHERE grantee = $1', [fromId]);
			await client.query('UPDATE quizzes SET owner_id = $2 WHERE owner_id = $1', [fromId, toId]);
			await client.query('UPDATE games SET host_id = $2 WHERE host_id = $1', [fromId, toId]);
			await client.query(
				`INSERT INTO image_owners (image_id, account_id)
				SELECT image_id, $2 FROM image_owners WHERE account_id = $1 ON CONFLICT DO NOTHING`,
				[fromId, toId]
			);
			await client.query('DELETE FROM image_owners WHERE account_id = $1', [fromId]);
		});
	}

	async deleteOwnedBy(accountId: string): Promise<void> {
		await transaction(this.sql, async (client) => {
			await client.query('DELETE FROM quiz_shares WHERE grantee = $1', [accountId]);
			await client.query('DELETE FROM quizzes WHERE owner_id = $1', [accountId]);
			await client.query('DELETE FROM games WHERE host_id = $1', [accountId]);
			await client.query('DELETE FROM image_owners WHERE account_id = $1', [accountId]);
		});
	}

	async ownedCounts(accountId: string): Promise<OwnedCounts> {
		const { rows } = await this.query<OwnedCounts>(
			`SELECT
				(SELECT count(*) FROM quizzes WHERE owner_id = $1) AS quizzes,
				(SELECT count(*) FROM games WHERE host_id = $1) AS reports,
				(SELECT count(*) FROM image_owners WHERE account_id = $1) AS images`,
			[accountId]
		);
		return rows[0]!;
	}

	// -------------------------------------------------------------------------------------------
	// The record as rows (npm run migrate, copy.ts)

	async *exportRecord(): AsyncIterable<RecordBatch> {
		const seeded = await this.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [
			SAMPLES_SEEDED
		]);
		if (seeded.rows[0]) {
			yield { kind: 'meta', rows: [{ key: 'samples-seeded', value: seeded.rows[0].value }] };
		}
		for (let after = ''; ;) {
			const rows = await snapshot(this.sql, async (client) => {
				const quizzes = await client.query<QuizRow>(
					`SELECT ${QUIZ_LIST_COLUMNS}, questions FROM quizzes WHERE id > $1 COLLATE "C"
					ORDER BY id COLLATE "C" LIMIT $2`,
					[after, BATCH_ROWS]
				);
				const shares = await client.query<QuizShare & { quiz_id: string }>(
					`SELECT quiz_id, grantee, level FROM quiz_shares WHERE quiz_id = ANY($1::text[])
					ORDER BY position, grantee COLLATE "C"`,
					[quizzes.rows.map((row) => row.id)]
				);
				return quizzes.rows.map((row) => ({
					...storedQuizFromRow(row),
					shares: shares.rows
						.filter((share) => share.quiz_id === row.id)
						.map(({ grantee, level }) => ({ grantee, level }))
				}));
			});
			if (rows.length === 0) break;
			yield { kind: 'quizzes', rows };
			after = rows.at(-1)!.quiz.id;
		}
		const sizes = await this.query<{ id: string; size: number }>(
			'SELECT id, octet_length(bytes) AS size FROM images ORDER BY id COLLATE "C"'
		);
		for (const batch of chunksBySize(sizes.rows, (image) => image.size)) {
			const ids = batch.map((image) => image.id);
			const rows = await snapshot(this.sql, async (client) => {
				const images = await client.query<{
					id: string;
					type: ImageType;
					bytes: Buffer;
					used_at: number;
				}>(
					`SELECT id, type, bytes, used_at FROM images WHERE id = ANY($1::text[])
					ORDER BY id COLLATE "C"`,
					[ids]
				);
				const owners = await client.query<{ image_id: string; account_id: string }>(
					`SELECT image_id, account_id FROM image_owners WHERE image_id = ANY($1::text[])
					ORDER BY account_id COLLATE "C"`,
					[ids]
				);
				return images.rows.map((row) => ({
					id: row.id,
					type: row.type,
					bytes: new Uint8Array(row.bytes),
					usedAt: row.used_at,
					owners: owners.rows
						.filter((owner) => owner.image_id === row.id)
						.map((owner) => owner.account_id)
				}));
			});
			if (rows.length > 0) yield { kind: 'images', rows };
		}
		for (let after = ''; ;) {
			const rows = await snapshot(this.sql, async (client) => {
				const games = await client.query<GameRow>(
					`SELECT * FROM games WHERE id > $1 COLLATE "C" ORDER BY id COLLATE "C" LIMIT $2`,
					[after, REPORTS_PER_BATCH]
				);
				const ids = games.rows.map((game) => game.id);
				const of = async <R extends pg.QueryResultRow & { game_id: string }>(
					text: string
				): Promise<Map<string, R[]>> => {
					const grouped = new Map<string, R[]>(ids.map((id) => [id, []]));
					for (const row of (await client.query<R>(text, [ids])).rows) {
						grouped.get(row.game_id)!.push(row);
					}
					return grouped;
				};
				const players = await of<PlayerRow & { game_id: string }>(
					'SELECT * FROM game_players WHERE game_id = ANY($1::text[]) ORDER BY position'
				);
				const rounds = await of<RoundRow & { game_id: string }>(
					'SELECT * FROM game_rounds WHERE game_id = ANY($1::text[]) ORDER BY position'
				);
				const answers = await of<AnswerRow & { game_id: string }>(
					`SELECT * FROM game_answers WHERE game_id = ANY($1::text[])
					ORDER BY question_index, position`
				);
				return games.rows.map((game) =>
					gameFromRows(game, players.get(game.id)!, rounds.get(game.id)!, answers.get(game.id)!)
				);
			});
			if (rows.length === 0) break;
			yield { kind: 'reports', rows };
			after = rows.at(-1)!.id;
		}
	}

	async importRecord(batch: RecordBatch): Promise<void> {
		switch (batch.kind) {
			case 'meta':
				await transaction(this.sql, async (client) => {
					for (const row of batch.rows) {
						await client.query(
							`INSERT INTO meta (key, value) VALUES ($1, $2)
							ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
							[SAMPLES_SEEDED, row.value]
						);
					}
				});
				return;
			case 'quizzes': {
				const quizzes = columns(
					batch.rows.map((row) => [
						row.quiz.id,
						row.quiz.title,
						foldCase(row.quiz.title),
						row.quiz.description,
						row.quiz.questions.length,
						toJson(row.quiz.questions, `Quiz ${row.quiz.id}`),
						row.createdAt,
						row.updatedAt,
						row.lastPlayedAt,
						row.ownerId
					]),
					10
				);
				const shares = columns(
					batch.rows.flatMap((row) =>
						row.shares.map((share, position) => [row.quiz.id, share.grantee, share.level, position])
					),
					4
				);
				await transaction(this.sql, async (client) => {
					await client.query(
						`INSERT INTO quizzes (id, title, title_folded, description, question_count,
							questions, created_at, updated_at, last_played_at, owner_id)
						SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[],
							$6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])
						ON CONFLICT (id) DO UPDATE SET title = excluded.title,
							title_folded = excluded.title_folded, description = excluded.description,
							question_count = excluded.question_count, questions = excluded.questions,
							created_at = excluded.created_at, updated_at = excluded.updated_at,
							last_played_at = excluded.last_played_at, owner_id = excluded.owner_id`,
						quizzes
					);
					await client.query('DELETE FROM quiz_shares WHERE quiz_id = ANY($1::text[])', [
						quizzes[0]
					]);
					await client.query(
						`INSERT INTO quiz_shares (quiz_id, grantee, level, position)
						SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])`,
						shares
					);
				});
				return;
			}
			case 'images':
				for (const row of batch.rows) {
					const id = imageId(row.bytes, row.type);
					if (id !== row.id) throw new Error(`Picture ${row.id}: its bytes are ${id}`);
				}
				await transaction(this.sql, async (client) => {
					for (const row of batch.rows) {
						const bytes = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
						await client.query(
							`INSERT INTO images (id, type, bytes, used_at) VALUES ($1, $2, $3, $4)
							ON CONFLICT (id) DO UPDATE SET type = excluded.type, bytes = excluded.bytes,
								used_at = excluded.used_at`,
							[row.id, row.type, bytes, row.usedAt]
						);
					}
					const owners = columns(
						batch.rows.flatMap((row) => row.owners.map((owner) => [row.id, owner])),
						2
					);
					await client.query('DELETE FROM image_owners WHERE image_id = ANY($1::text[])', [
						batch.rows.map((row) => row.id)
					]);
					await client.query(
						`INSERT INTO image_owners (image_id, account_id)
						SELECT * FROM unnest($1::text[], $2::text[])`,
						owners
					);
				});
				return;
			case 'reports':
				for (const record of batch.rows) assertGameKeys(record);
				await transaction(this.sql, async (client) => {
					for (const record of batch.rows) await writeReport(client, reportRows(record));
				});
				return;
		}
	}

	async clearRecord(): Promise<void> {
		await this.query(
			`TRUNCATE quiz_shares, quizzes, image_owners, images, game_answers, game_rounds,
				game_players, games, meta, account_sessions, one_time_tokens, passkeys,
				sign_in_failures, accounts`
		);
	}

	/** Waits for the queries under way, then closes the pool and `onClose`. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		try {
			await this.sql.end();
		} finally {
			await this.options.onClose?.();
		}
	}

	private query<R extends pg.QueryResultRow = pg.QueryResultRow>(
		text: string,
		values: unknown[] = []
	): Promise<pg.QueryResult<R>> {
		return withDatabase(() => this.sql.query<R>(text, values));
	}
}

/** Reads in one consistent snapshot: a quiz with its shares, a report with its answers. */
function snapshot<T>(sql: Sql, work: (client: SqlClient) => Promise<T>): Promise<T> {
	return transaction(sql, async (client) => {
		await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
		return work(client);
	});
}

/** A report's rows as statement parameters, encoded before any transaction starts. */
interface ReportRows {
	id: string;
	game: unknown[];
	players: unknown[][];
	rounds: unknown[][];
	answers: string;
}

function reportRows(record: GameRecord): ReportRows {
	return {
		id: record.id,
		game: gameParams(record),
		players: columns(
			record.players.map((player, position) => [
				player.id,
				position,
				player.nickname,
				player.joinOrder,
				player.score,
				player.rank,
				player.firstQuestion
			]),
			7
		),
		rounds: columns(
			record.rounds.map((round, position) => [round.questionIndex, position, round.openedAt]),
			3
		),
		answers: answerRows(record)
	};
}

/** One report written whole, replacing any earlier save of it, inside the caller's transaction. */
async function writeReport(client: SqlClient, rows: ReportRows): Promise<void> {
	// The game's row first, locked: a second save of the same game (two nodes after a
	// takeover) waits here, then replaces this one whole. The cascade clears the old rows.
	await client.query(
		`INSERT INTO games (id, pin, quiz_id, quiz_title, question_count, quiz, options,
			started_at, ended_at, finished, host_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET pin = excluded.pin, quiz_id = excluded.quiz_id,
			quiz_title = excluded.quiz_title, question_count = excluded.question_count,
			quiz = excluded.quiz, options = excluded.options, started_at = excluded.started_at,
			ended_at = excluded.ended_at, finished = excluded.finished, host_id = excluded.host_id`,
		rows.game
	);
	await client.query('DELETE FROM game_players WHERE game_id = $1', [rows.id]);
	await client.query('DELETE FROM game_rounds WHERE game_id = $1', [rows.id]);
	// A burst of rows in one statement each: 40,000 answers are one round trip, not 40,000.
	await client.query(
		`INSERT INTO game_players (game_id, player_id, position, nickname, join_order, score,
			rank, first_question)
		SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::int[], $6::int[],
			$7::int[], $8::int[])`,
		[rows.id, ...rows.players]
	);
	await client.query(
		`INSERT INTO game_rounds (game_id, question_index, position, opened_at)
		SELECT $1, * FROM unnest($2::int[], $3::int[], $4::bigint[])`,
		[rows.id, ...rows.rounds]
	);
	await client.query(INSERT_ANSWERS, [rows.id, rows.answers]);
}

/**
 * A report's answers as one JSON array of rows (`answerRows`), for one statement: 40,000 of
 * them as pg's array literals took about 120 ms of the node's event loop to build and the
 * server as long again to parse; JSON.stringify takes about 25 ms (scripts/store-bench.ts).
 */
const INSERT_ANSWERS = `INSERT INTO game_answers (game_id, question_index, player_id, position,
		answer, elapsed_ms, correct, points)
	SELECT $1, (r->>0)::int, r->>1, (r->>2)::int, r->>3, (r->>4)::float8, (r->>5)::boolean,
		(r->>6)::int
	FROM jsonb_array_elements($2::jsonb) AS r`;

function answerRows(record: GameRecord): string {
	return JSON.stringify(
		record.rounds.flatMap((round) =>
			round.answers.map((answer, position) =>
				answerRow(record.id, round.questionIndex, answer, position)
			)
		)
	);
}

/** The URL with a search path, so every connection of the pool works in that schema. */
function withSearchPath(url: string, schema: string | undefined): string {
	if (!schema) return url;
	const parsed = new URL(url);
	parsed.searchParams.set('options', `-c search_path=${schema}`);
	return parsed.toString();
}

/**
 * The start's check (as quick_check is SQLite's, integrity.ts): the schema is readable and
 * every table answers a one-row query, so a table PostgreSQL cannot read is named at start
 * rather than in the middle of a game. An outage is not damage: it is thrown as it is.
 */
async function checkTables(sql: Sql, where: string): Promise<void> {
	const tables = await sql.query<{ name: string }>(
		'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1'
	);
	for (const { name } of tables.rows) {
		try {
			await sql.query(`SELECT * FROM ${quoteIdentifier(name)} LIMIT 1`);
		} catch (error) {
			if (isDatabaseDown(error)) throw error;
			throw new Error(
				`PostgreSQL at ${where}: the table ${name} cannot be read ` +
					`(${error instanceof Error ? error.message : error}). Quizroom will not start on it. ` +
					'Restore the last dump (stop every node first): pg_restore --clean --if-exists ' +
					'--no-owner --dbname="$DATABASE_URL" <the dump>'
			);
		}
	}
}

function quoteIdentifier(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

/** Rows as one array per column, for `unnest`: a thousand rows are one statement. */
function columns(rows: unknown[][], width: number): unknown[][] {
	const out: unknown[][] = Array.from({ length: width }, () => []);
	for (const row of rows) row.forEach((value, i) => out[i]!.push(value));
	return out;
}

function answerRow(
	gameId: string,
	questionIndex: number,
	answer: AnswerRecord,
	position: number
): unknown[] {
	return [
		questionIndex,
		answer.playerId,
		position,
		toJson(
			answer.answer,
			`Game ${gameId}: answer of ${answer.playerId} to question ${questionIndex}`
		),
		answer.elapsedMs,
		answer.correct,
		answer.points
	];
}

// ---------------------------------------------------------------------------------------------
// Interface types → parameters; rows → types: rows.ts.

function gameParams(record: GameRecord): unknown[] {
	return [
		record.id,
		record.pin,
		record.quiz.id,
		record.quiz.title,
		playableQuestionCount(record.quiz),
		toJson(record.quiz, `Game ${record.id}: quiz`),
		toJson(record.options, `Game ${record.id}: options`),
		record.startedAt,
		record.endedAt,
		record.finished,
		record.hostId
	];
}
