/**
 * Everything Quizroom keeps: quizzes, images and the records of played games. One interface,
 * four implementations: SQLite for one node (sqlite.ts), PostgreSQL for a server or the nodes
 * of a cluster (postgres.ts), memory for fast tests (memory.ts), and Redis (redis.ts), where
 * clusters kept their record before PostgreSQL, read now only to move it.
 *
 * Calls return Promises so a store across the network fits; SQLite and memory do their work
 * synchronously inside (better-sqlite3 is synchronous, and a write of one quiz or one game
 * takes well under a millisecond). A failure is always a rejected Promise, never a throw.
 * `live` (games in progress on this node) stays synchronous and local: see live-rooms.ts.
 */
import type { GameRecord } from '../../game/record.ts';
import type { Quiz } from '../../protocol/quiz.ts';
import type { AccountStore } from './accounts.ts';
import type { LiveRooms } from './live-rooms.ts';

/** Whose library or reports: an account, and whether it sees everyone's (an admin does). */
export interface Viewer {
	accountId: string;
	everything: boolean;
}

/** What a host may do with a quiz: their own; shared to edit; shared to use (host, copy). */
export type QuizAccess = 'owner' | 'edit' | 'use';
export type ShareLevel = 'use' | 'edit';
/** The grantee that stands for every account on this server. */
export const EVERYONE = '*';

export interface QuizShare {
	/** An account id, or `EVERYONE`. */
	grantee: string;
	level: ShareLevel;
}

export interface SaveQuizOptions {
	/**
	 * The `updatedAt` the editor opened the quiz at: saved only if nobody saved it since
	 * (`QuizChangedError` otherwise). Without it, the save replaces whatever is there.
	 */
	expectedUpdatedAt?: number;
}

/** Someone saved the quiz since this editor opened it: its save would lose their changes. */
export class QuizChangedError extends Error {
	override readonly name = 'QuizChangedError';
	readonly code = 'changed-elsewhere';
	constructor(readonly quizId: string) {
		super('This quiz was changed elsewhere since you opened it: your version was not saved');
	}
}

/** By name, not instanceof: SvelteKit's bundle has its own copy of this module. */
export function isQuizChanged(error: unknown): error is QuizChangedError {
	return error instanceof Error && error.name === 'QuizChangedError';
}

/** What an account owns, for the admin's list. */
export interface OwnedCounts {
	quizzes: number;
	reports: number;
	images: number;
}

export interface StoredQuiz {
	quiz: Quiz;
	/** The host it belongs to; null only for quizzes from before accounts, until an admin exists. */
	ownerId: string | null;
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
	ownerId: string | null;
	/** The viewer's access; `owner` when listed with no viewer. */
	access: QuizAccess;
}

export interface QuizListOptions {
	search?: string;
	viewer?: Viewer;
	/** At most this many; all when absent. */
	limit?: number;
	/**
	 * Only the quizzes after this one in the list's order (the last of the page before): keyset
	 * paging, so a page of a 10,000-quiz library costs what the first page costs, and a quiz
	 * saved meanwhile moves to the top without shifting the pages below.
	 */
	after?: QuizListCursor;
}

/** A place in the library's order (newest edit first, then id). */
export interface QuizListCursor {
	updatedAt: number;
	id: string;
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
	/** The account that hosted it: the report is theirs. */
	hostId: string | null;
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
	/** Hosts' accounts and what signs them in. */
	readonly accounts: AccountStore;

	/**
	 * Newest edit first; `search` matches titles, ignoring case. With a viewer: the quizzes it
	 * owns or that are shared with it or with everyone (all of them for an admin), each with the
	 * viewer's access. Without: every quiz. With `limit`/`after`, one page of that list.
	 */
	listQuizzes(options?: QuizListOptions): Promise<QuizListItem[]>;
	getQuiz(id: string): Promise<StoredQuiz | null>;
	/** What the viewer may do with the quiz, or null: not theirs, not shared, or no such quiz. */
	quizAccess(id: string, viewer: Viewer): Promise<QuizAccess | null>;
	/**
	 * Creates the quiz or replaces it whole, in one transaction: a crash mid-save leaves the old
	 * version. The quiz must already be valid (QuizSchema); `now` stamps updatedAt (and
	 * createdAt when new). `ownerId` owns a new quiz; a replaced one keeps its owner. With
	 * `expectedUpdatedAt`, two saves of one quiz lose nothing: the second is refused.
	 */
	saveQuiz(
		quiz: Quiz,
		now: number,
		ownerId?: string | null,
		options?: SaveQuizOptions
	): Promise<StoredQuiz>;
	/** With its shares. */
	deleteQuiz(id: string): Promise<boolean>;
	/** Oldest share first. */
	quizShares(id: string): Promise<QuizShare[]>;
	/** Shares the quiz with the grantee at this level, or stops sharing it (null). */
	shareQuiz(id: string, grantee: string, level: ShareLevel | null): Promise<void>;
	markQuizPlayed(id: string, at: number): Promise<void>;
	/**
	 * Inserts the sample quizzes the first time this store is ever opened, and never again
	 * (not even after the host deleted them), shared with everyone to use and owned by nobody
	 * until the first admin adopts them. Returns how many were inserted.
	 */
	seedSamples(samples: Quiz[], now: number): Promise<number>;

	/**
	 * Stores image bytes under their content address (idempotent); the type is already checked.
	 * `ownerId` is counted among the picture's owners (two hosts may upload the same bytes).
	 */
	saveImage(bytes: Uint8Array, type: ImageType, ownerId?: string | null): Promise<string>;
	getImage(id: string): Promise<StoredImage | null>;
	/**
	 * Bytes of the pictures the account uploaded, each counted once (a picture two hosts
	 * uploaded counts for both): what the per-host quota weighs.
	 */
	imageBytesOf(accountId: string): Promise<number>;
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
	/** Newest first; with a viewer, only the games it hosted (all of them for an admin). */
	listGames(viewer?: Viewer): Promise<GameListItem[]>;
	getGame(id: string): Promise<GameRecord | null>;
	deleteGame(id: string): Promise<boolean>;

	/** Everything owned by nobody (kept from before accounts) becomes the account's. */
	adoptOrphans(accountId: string): Promise<void>;
	/** Quizzes, pictures and reports of one account become another's (an account deleted). */
	handOver(fromId: string, toId: string): Promise<void>;
	/** Deletes the account's quizzes and reports; its pictures lose that owner. */
	deleteOwnedBy(accountId: string): Promise<void>;
	ownedCounts(accountId: string): Promise<OwnedCounts>;

	// The record as rows, for moving it to another store (`npm run migrate`, copy.ts)

	/**
	 * The record (not games in progress), exactly as stored, a batch at a time: meta, quizzes
	 * with their shares, pictures, reports. Accounts come from `accounts.exportAccounts()`.
	 */
	exportRecord(): AsyncIterable<RecordBatch>;
	/**
	 * Writes the rows as they are, ids and times included, the batch in one transaction; a row
	 * already there under the same id is replaced whole. The accounts the rows name go first.
	 */
	importRecord(batch: RecordBatch): Promise<void>;
	/** Deletes the whole record, accounts and sessions included; games in progress stay. */
	clearRecord(): Promise<void>;

	/** Lets the writes already started finish, then lets go of the store (and its `live`). */
	close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The record as rows (exportRecord, importRecord)

/** A quiz as stored, with its shares in the order they were made. */
export interface QuizEntry extends StoredQuiz {
	shares: QuizShare[];
}

/** A picture as stored: its bytes, who uploaded it (ids in code-unit order), and `usedAt`. */
export interface ImageEntry extends StoredImage {
	/** When it was last uploaded or found in use (ms): the clock the sweep reads. */
	usedAt: number;
	owners: string[];
}

/** A one-off flag of the store: `samples-seeded`, when the samples went in (ms, as text). */
export interface MetaEntry {
	key: 'samples-seeded';
	value: string;
}

export type RecordBatch =
	| { kind: 'meta'; rows: MetaEntry[] }
	| { kind: 'quizzes'; rows: QuizEntry[] }
	| { kind: 'images'; rows: ImageEntry[] }
	| { kind: 'reports'; rows: GameRecord[] };
