/**
 * The store for tests: the same behaviour as SqliteStorage and RedisStorage (storage.test.ts
 * runs one suite against all three), no I/O. Everything goes in and comes out as a copy, so a caller mutating
 * what it saved or got cannot change what is stored.
 */
import { MemoryLiveRooms } from './live-rooms.ts';
import type { GameRecord } from '../../game/record.ts';
import { QUIZ_FORMAT_VERSION, type Quiz } from '../../protocol/quiz.ts';
import {
	assertGameKeys,
	byNewestEdit,
	byNewestStart,
	foldCase,
	gameListItem,
	imageId,
	imageTypeOf,
	quizListItem,
	titleSearch,
	toJson
} from './shared.ts';
import type {
	GameListItem,
	ImageType,
	QuizListItem,
	Storage,
	StoredImage,
	StoredQuiz
} from './storage.ts';

export class MemoryStorage implements Storage {
	readonly live = new MemoryLiveRooms();
	private readonly quizzes = new Map<string, StoredQuiz>();
	/** Bytes and when they were last uploaded or found in use. */
	private readonly images = new Map<string, { bytes: Uint8Array; usedAt: number }>();
	private readonly games = new Map<string, GameRecord>();
	private samplesSeeded = false;

	async listQuizzes(search?: string): Promise<QuizListItem[]> {
		const folded = titleSearch(search);
		return [...this.quizzes.values()]
			.filter((stored) => folded === null || foldCase(stored.quiz.title).includes(folded))
			.map(quizListItem)
			.sort(byNewestEdit);
	}

	async getQuiz(id: string): Promise<StoredQuiz | null> {
		const stored = this.quizzes.get(id);
		return stored ? structuredClone(stored) : null;
	}

	async saveQuiz(quiz: Quiz, now: number): Promise<StoredQuiz> {
		const existing = this.quizzes.get(quiz.id);
		this.quizzes.set(quiz.id, {
			quiz: asStored(quiz),
			createdAt: existing?.createdAt ?? now,
			updatedAt: now,
			lastPlayedAt: existing?.lastPlayedAt ?? null
		});
		return structuredClone(this.quizzes.get(quiz.id)!);
	}

	async deleteQuiz(id: string): Promise<boolean> {
		return this.quizzes.delete(id);
	}

	async markQuizPlayed(id: string, at: number): Promise<void> {
		const stored = this.quizzes.get(id);
		if (stored) stored.lastPlayedAt = at;
	}

	async seedSamples(samples: Quiz[], now: number): Promise<number> {
		if (this.samplesSeeded) return 0;
		// Encode all first: one that cannot be stored leaves nothing seeded, as in a transaction.
		const fresh = samples.map(asStored).filter((quiz) => !this.quizzes.has(quiz.id));
		for (const quiz of fresh) {
			this.quizzes.set(quiz.id, { quiz, createdAt: now, updatedAt: now, lastPlayedAt: null });
		}
		this.samplesSeeded = true;
		return fresh.length;
	}

	async saveImage(bytes: Uint8Array, type: ImageType): Promise<string> {
		const id = imageId(bytes, type);
		const stored = this.images.get(id);
		if (stored) stored.usedAt = Date.now();
		else this.images.set(id, { bytes: bytes.slice(), usedAt: Date.now() });
		return id;
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

	async listGames(): Promise<GameListItem[]> {
		return [...this.games.values()].map(gameListItem).sort(byNewestStart);
	}

	async getGame(id: string): Promise<GameRecord | null> {
		const record = this.games.get(id);
		return record ? structuredClone(record) : null;
	}

	async deleteGame(id: string): Promise<boolean> {
		return this.games.delete(id);
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
