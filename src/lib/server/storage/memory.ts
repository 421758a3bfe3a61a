/**
 * The store for tests: the same behaviour as SqliteStorage and RedisStorage (storage.test.ts
 * runs one suite against all three), no I/O. Everything goes in and comes out as a copy, so a caller mutating
 * what it saved or got cannot change what is stored.
 */
import { MemoryAccounts } from './memory-accounts.ts';
import { BATCH_ROWS, REPORTS_PER_BATCH, byId, chunks, chunksBySize } from './batches.ts';
import { MemoryLiveRooms } from './live-rooms.ts';
import type { GameRecord } from '../../game/record.ts';
import { QUIZ_FORMAT_VERSION, type Quiz } from '../../protocol/quiz.ts';
import {
	accessFor,
	nextUpdatedAt,
	stale,
	assertGameKeys,
	byNewestEdit,
	quizListPage,
	byNewestStart,
	foldCase,
	gameListItem,
	imageId,
	imageTypeOf,
	quizListItem,
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

export class MemoryStorage implements Storage {
	readonly live = new MemoryLiveRooms();
	readonly accounts = new MemoryAccounts();
	private readonly quizzes = new Map<string, StoredQuiz>();
	/** Per quiz, in the order shared. */
	private readonly shares = new Map<string, QuizShare[]>();
	/** Bytes, when they were last uploaded or found in use, and who uploaded them. */
	private readonly images = new Map<
		string,
		{ bytes: Uint8Array; usedAt: number; owners: Set<string> }
	>();
	private readonly games = new Map<string, GameRecord>();
	/** When the samples went in (ms, as text), or null: not yet. */
	private samplesSeeded: string | null = null;

	async listQuizzes(options: QuizListOptions = {}): Promise<QuizListItem[]> {
		const folded = titleSearch(options.search);
		const items: QuizListItem[] = [];
		for (const stored of this.quizzes.values()) {
			if (folded !== null && !foldCase(stored.quiz.title).includes(folded)) continue;
			const access = options.viewer
				? accessFor(stored.ownerId, this.shares.get(stored.quiz.id) ?? [], options.viewer)
				: 'owner';
			if (access) items.push(quizListItem(stored, access));
		}
		return quizListPage(items.sort(byNewestEdit), options);
	}

	async getQuiz(id: string): Promise<StoredQuiz | null> {
		const stored = this.quizzes.get(id);
		return stored ? structuredClone(stored) : null;
	}

	async quizAccess(id: string, viewer: Viewer): Promise<QuizAccess | null> {
		const stored = this.quizzes.get(id);
		return stored ? accessFor(stored.ownerId, this.shares.get(id) ?? [], viewer) : null;
	}

	async saveQuiz(
		quiz: Quiz,
		now: number,
		ownerId: string | null = null,
		options: SaveQuizOptions = {}
	): Promise<StoredQuiz> {
		const existing = this.quizzes.get(quiz.id);
		if (existing && stale(existing.updatedAt, options)) throw new QuizChangedError(quiz.id);
		this.quizzes.set(quiz.id, {
			quiz: asStored(quiz),
			ownerId: existing ? existing.ownerId : ownerId,
			createdAt: existing?.createdAt ?? now,
			updatedAt: nextUpdatedAt(existing?.updatedAt, now),
			lastPlayedAt: existing?.lastPlayedAt ?? null
		});
		return structuredClone(this.quizzes.get(quiz.id)!);
	}

	async deleteQuiz(id: string): Promise<boolean> {
		this.shares.delete(id);
		return this.quizzes.delete(id);
	}

	async quizShares(id: string): Promise<QuizShare[]> {
		return (this.shares.get(id) ?? []).map((share) => ({ ...share }));
	}

	async shareQuiz(id: string, grantee: string, level: ShareLevel | null): Promise<void> {
		if (!this.quizzes.has(id)) return;
		const kept = (this.shares.get(id) ?? []).filter((share) => share.grantee !== grantee);
		const existing = this.shares.get(id)?.find((share) => share.grantee === grantee);
		if (level !== null) {
			// A changed level keeps its place in the list.
			if (existing) kept.splice(this.shares.get(id)!.indexOf(existing), 0, { grantee, level });
			else kept.push({ grantee, level });
		}
		this.shares.set(id, kept);
	}

	async markQuizPlayed(id: string, at: number): Promise<void> {
		const stored = this.quizzes.get(id);
		if (stored) stored.lastPlayedAt = at;
	}

	async seedSamples(samples: Quiz[], now: number): Promise<number> {
		if (this.samplesSeeded !== null) return 0;
		// Encode all first: one that cannot be stored leaves nothing seeded, as in a transaction.
		const fresh = samples.map(asStored).filter((quiz) => !this.quizzes.has(quiz.id));
		for (const quiz of fresh) {
			this.quizzes.set(quiz.id, {
				quiz,
				ownerId: null,
				createdAt: now,
				updatedAt: now,
				lastPlayedAt: null
			});
			this.shares.set(quiz.id, [{ grantee: EVERYONE, level: 'use' }]);
		}
		this.samplesSeeded = String(now);
		return fresh.length;
	}

	async saveImage(
		bytes: Uint8Array,
		type: ImageType,
		ownerId: string | null = null
	): Promise<string> {
		const id = imageId(bytes, type);
		let stored = this.images.get(id);
		if (stored) stored.usedAt = Date.now();
		else
			this.images.set(
				id,
				(stored = { bytes: bytes.slice(), usedAt: Date.now(), owners: new Set() })
			);
		if (ownerId !== null) stored.owners.add(ownerId);
		return id;
	}

	async imageBytesOf(accountId: string): Promise<number> {
		let bytes = 0;
		for (const image of this.images.values()) {
			if (image.owners.has(accountId)) bytes += image.bytes.byteLength;
		}
		return bytes;
	}

	async getImage(id: string): Promise<StoredImage | null> {
		const type = imageTypeOf(id);
		const stored = this.images.get(id);
		return type && stored ? { id, type, bytes: stored.bytes.slice() } : null;
	}

	async hasImage(id: string): Promise<boolean> {
		return this.images.has(id);
	}

	async sweepImages(inUse: ReadonlySet<string>, now: number, keepMs: number): Promise<number> {
		let deleted = 0;
		for (const [id, stored] of this.images) {
			if (inUse.has(id)) stored.usedAt = now;
			else if (stored.usedAt < now - keepMs && this.images.delete(id)) deleted++;
		}
		return deleted;
	}

	async saveGame(record: GameRecord): Promise<void> {
		assertGameKeys(record);
		const stored = structuredClone(record);
		// Through JSON like SQLite's columns, so both refuse (and drop) the same things.
		stored.quiz = JSON.parse(toJson(record.quiz, `Game ${record.id}: quiz`));
		stored.options = JSON.parse(toJson(record.options, `Game ${record.id}: options`));
		for (const round of stored.rounds) {
			for (const answer of round.answers) {
				const what = `Game ${record.id}: answer of ${answer.playerId} to question ${round.questionIndex}`;
				answer.answer = JSON.parse(toJson(answer.answer, what));
			}
		}
		this.games.set(record.id, stored);
	}

	async listGames(viewer?: Viewer): Promise<GameListItem[]> {
		return [...this.games.values()]
			.filter((game) => !viewer || viewer.everything || game.hostId === viewer.accountId)
			.map(gameListItem)
			.sort(byNewestStart);
	}

	async getGame(id: string): Promise<GameRecord | null> {
		const record = this.games.get(id);
		return record ? structuredClone(record) : null;
	}

	async deleteGame(id: string): Promise<boolean> {
		return this.games.delete(id);
	}

	async adoptOrphans(accountId: string): Promise<void> {
		for (const stored of this.quizzes.values()) stored.ownerId ??= accountId;
		for (const game of this.games.values()) game.hostId ??= accountId;
		for (const image of this.images.values())
			if (image.owners.size === 0) image.owners.add(accountId);
	}

	async handOver(fromId: string, toId: string): Promise<void> {
		for (const [id, stored] of this.quizzes) {
			if (stored.ownerId !== fromId) continue;
			stored.ownerId = toId;
			// Shared with the new owner: theirs now, the share says nothing more.
			await this.shareQuiz(id, toId, null);
		}
		for (const shares of this.shares.values()) {
			const index = shares.findIndex((share) => share.grantee === fromId);
			if (index >= 0) shares.splice(index, 1);
		}
		for (const game of this.games.values()) if (game.hostId === fromId) game.hostId = toId;
		for (const image of this.images.values()) {
			if (image.owners.delete(fromId)) image.owners.add(toId);
		}
	}

	async deleteOwnedBy(accountId: string): Promise<void> {
		for (const [id, stored] of this.quizzes)
			if (stored.ownerId === accountId) await this.deleteQuiz(id);
		for (const shares of this.shares.values()) {
			const index = shares.findIndex((share) => share.grantee === accountId);
			if (index >= 0) shares.splice(index, 1);
		}
		for (const [id, game] of this.games) if (game.hostId === accountId) this.games.delete(id);
		for (const image of this.images.values()) image.owners.delete(accountId);
	}

	async ownedCounts(accountId: string): Promise<OwnedCounts> {
		const count = <T>(values: Iterable<T>, owned: (value: T) => boolean) =>
			[...values].filter(owned).length;
		return {
			quizzes: count(this.quizzes.values(), (stored) => stored.ownerId === accountId),
			reports: count(this.games.values(), (game) => game.hostId === accountId),
			images: count(this.images.values(), (image) => image.owners.has(accountId))
		};
	}

	// -------------------------------------------------------------------------------------------
	// The record as rows (npm run migrate, copy.ts)

	async *exportRecord(): AsyncIterable<RecordBatch> {
		if (this.samplesSeeded !== null) {
			yield { kind: 'meta', rows: [{ key: 'samples-seeded', value: this.samplesSeeded }] };
		}
		const quizIds = [...this.quizzes.keys()].sort(byId);
		for (const ids of chunks(quizIds, BATCH_ROWS)) {
			const rows = ids.map((id) => ({
				...structuredClone(this.quizzes.get(id)!),
				shares: structuredClone(this.shares.get(id) ?? [])
			}));
			yield { kind: 'quizzes', rows };
		}
		const imageIds = [...this.images.keys()].sort(byId);
		for (const ids of chunksBySize(imageIds, (id) => this.images.get(id)!.bytes.byteLength)) {
			const rows = ids.map((id) => {
				const image = this.images.get(id)!;
				return {
					id,
					type: imageTypeOf(id)!,
					bytes: image.bytes.slice(),
					usedAt: image.usedAt,
					owners: [...image.owners].sort(byId)
				};
			});
			yield { kind: 'images', rows };
		}
		const gameIds = [...this.games.keys()].sort(byId);
		for (const ids of chunks(gameIds, REPORTS_PER_BATCH)) {
			yield { kind: 'reports', rows: ids.map((id) => structuredClone(this.games.get(id)!)) };
		}
	}

	async importRecord(batch: RecordBatch): Promise<void> {
		// Everything copied and checked first: a batch goes in whole or not at all.
		switch (batch.kind) {
			case 'meta':
				for (const row of batch.rows) this.samplesSeeded = row.value;
				return;
			case 'quizzes': {
				const rows = batch.rows.map((row) => ({
					stored: {
						quiz: asStored(row.quiz),
						ownerId: row.ownerId,
						createdAt: row.createdAt,
						updatedAt: row.updatedAt,
						lastPlayedAt: row.lastPlayedAt
					},
					shares: row.shares.map(({ grantee, level }) => ({ grantee, level }))
				}));
				for (const { stored, shares } of rows) {
					this.quizzes.set(stored.quiz.id, stored);
					this.shares.set(stored.quiz.id, shares);
				}
				return;
			}
			case 'images':
				for (const row of batch.rows) {
					this.images.set(row.id, {
						bytes: row.bytes.slice(),
						usedAt: row.usedAt,
						owners: new Set(row.owners)
					});
				}
				return;
			case 'reports': {
				const scratch = new MemoryStorage();
				for (const record of batch.rows) await scratch.saveGame(record);
				for (const [id, record] of scratch.games) this.games.set(id, record);
				return;
			}
		}
	}

	async clearRecord(): Promise<void> {
		this.quizzes.clear();
		this.shares.clear();
		this.images.clear();
		this.games.clear();
		this.samplesSeeded = null;
		this.accounts.clear();
	}

	async close(): Promise<void> {}
}

/** The quiz as SQLite gives it back: questions through JSON, the current format version. */
function asStored(quiz: Quiz): Quiz {
	return {
		version: QUIZ_FORMAT_VERSION,
		id: quiz.id,
		title: quiz.title,
		description: quiz.description,
		questions: JSON.parse(toJson(quiz.questions, `Quiz ${quiz.id}`))
	};
}
