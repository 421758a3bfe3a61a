/**
 * Everything Quizroom keeps: quizzes, images and the records of played games. One interface,
 * two implementations: SQLite for the real thing (sqlite.ts), memory for fast tests (memory.ts).
 * Calls are synchronous: better-sqlite3 is, and a write of one quiz or one game takes
 * well under a millisecond.
 */
import type { GameRecord } from '../../game/record.ts';
import type { Quiz } from '../../protocol/quiz.ts';
import type { LiveRooms } from './live-rooms.ts';

export interface StoredQuiz {
	quiz: Quiz;
	createdAt: number;
	updatedAt: number;
	lastPlayedAt: number | null;
}

export interface QuizListItem {
	id: string;
	title: string;
	description: string;
	questionCount: number;
	createdAt: number;
	updatedAt: number;
	lastPlayedAt: number | null;
}

export interface GameListItem {
	id: string;
	pin: string;
	quizId: string;
	quizTitle: string;
	startedAt: number;
	endedAt: number;
	finished: boolean;
	playerCount: number;
	questionsPlayed: number;
	/** Questions the quiz plays as rounds: info slides are not counted. */
	questionCount: number;
	/** Nickname of the player ranked first, if any. */
	winner: string | null;
}

export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface StoredImage {
	/** Content address: `<sha256 hex>.<ext>`, e.g. `9f86…08.png`. */
	id: string;
	type: ImageType;
	bytes: Uint8Array;
}

export interface Storage {
	/** Games in progress, for picking them up after a restart. */
	readonly live: LiveRooms;

	/** Newest edit first; `search` matches titles, ignoring case. */
	listQuizzes(search?: string): QuizListItem[];
	getQuiz(id: string): StoredQuiz | null;
	/**
	 * Creates the quiz or replaces it whole, in one transaction: a crash mid-save leaves the old
	 * version. The quiz must already be valid (QuizSchema); `now` stamps updatedAt (and
	 * createdAt when new).
	 */
	saveQuiz(quiz: Quiz, now: number): StoredQuiz;
	deleteQuiz(id: string): boolean;
	markQuizPlayed(id: string, at: number): void;
	/**
	 * Inserts the sample quizzes the first time this store is ever opened, and never again
	 * (not even after the host deleted them). Returns how many were inserted.
	 */
	seedSamples(samples: Quiz[], now: number): number;

	/** Stores image bytes under their content address (idempotent); the type is already checked. */
	saveImage(bytes: Uint8Array, type: ImageType): string;
	getImage(id: string): StoredImage | null;

	/** Creates or replaces the record of a game (a resumed game overwrites its earlier save). */
	saveGame(record: GameRecord): void;
	/** Newest first. */
	listGames(): GameListItem[];
	getGame(id: string): GameRecord | null;
	deleteGame(id: string): boolean;

	close(): void;
}
