/**
 * Everything Quizroom keeps: quizzes, images and the records of played games. One interface,
 * three implementations: SQLite for one node (sqlite.ts), Redis shared by the nodes of a
 * cluster (redis.ts), memory for fast tests (memory.ts).
 *
 * Calls return Promises so a store across the network fits; SQLite and memory do their work
 * synchronously inside (better-sqlite3 is synchronous, and a write of one quiz or one game
 * takes well under a millisecond). A failure is always a rejected Promise, never a throw.
 * `live` (games in progress on this node) stays synchronous and local: see live-rooms.ts.
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
	listQuizzes(search?: string): Promise<QuizListItem[]>;
	getQuiz(id: string): Promise<StoredQuiz | null>;
	/**
	 * Creates the quiz or replaces it whole, in one transaction: a crash mid-save leaves the old
	 * version. The quiz must already be valid (QuizSchema); `now` stamps updatedAt (and
	 * createdAt when new).
	 */
	saveQuiz(quiz: Quiz, now: number): Promise<StoredQuiz>;
	deleteQuiz(id: string): Promise<boolean>;
	markQuizPlayed(id: string, at: number): Promise<void>;
	/**
	 * Inserts the sample quizzes the first time this store is ever opened, and never again
	 * (not even after the host deleted them). Returns how many were inserted.
	 */
	seedSamples(samples: Quiz[], now: number): Promise<number>;

	/** Stores image bytes under their content address (idempotent); the type is already checked. */
	saveImage(bytes: Uint8Array, type: ImageType): Promise<string>;
	getImage(id: string): Promise<StoredImage | null>;
	/** Whether this image is stored (a quiz saved with one that is not gets a clear refusal). */
	hasImage(id: string): Promise<boolean>;
	/**
	 * Deletes the pictures nothing has used for `keepMs`. The images in `inUse` are stamped as
	 * used at `now`, as an upload stamps its image; any other image last stamped before
	 * `now - keepMs` is deleted. Returns how many were.
	 */
	sweepImages(inUse: ReadonlySet<string>, now: number, keepMs: number): Promise<number>;

	/** Creates or replaces the record of a game (a resumed game overwrites its earlier save). */
	saveGame(record: GameRecord): Promise<void>;
	/** Newest first. */
	listGames(): Promise<GameListItem[]>;
	getGame(id: string): Promise<GameRecord | null>;
	deleteGame(id: string): Promise<boolean>;

	/** Lets the writes already started finish, then lets go of the store (and its `live`). */
	close(): Promise<void>;
}
