/**
 * Rules every storage implementation follows, kept in one place so memory, SQLite and Redis
 * cannot drift apart: content addresses of images, how lists are ordered and searched, what a game
 * summary says, and which values can be stored at all.
 */
import { createHash } from 'node:crypto';
import type { GameRecord } from '../../game/record.ts';
import { questionCount } from '../../game/question-numbers.ts';
import { IMAGE_ID_PATTERN, type Quiz } from '../../protocol/quiz.ts';
import {
	EVERYONE,
	type GameListItem,
	type ImageType,
	type QuizAccess,
	type QuizListCursor,
	type QuizListItem,
	type QuizListOptions,
	type QuizShare,
	type SaveQuizOptions,
	type StoredQuiz,
	type Viewer
} from './storage.ts';

// ---------------------------------------------------------------------------------------------
// Images

const EXTENSION_OF: Record<ImageType, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/gif': 'gif',
	'image/webp': 'webp'
};

const TYPE_OF = new Map(
	Object.entries(EXTENSION_OF).map(([type, ext]) => [ext, type as ImageType] as const)
);

/** `<sha256 hex>.<ext>`: the same bytes of the same type always get the same id. */
export function imageId(bytes: Uint8Array, type: ImageType): string {
	return `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSION_OF[type]}`;
}

/** The type an image id stands for, or null when it is not an image id at all. */
export function imageTypeOf(id: string): ImageType | null {
	if (!IMAGE_ID_PATTERN.test(id)) return null;
	return TYPE_OF.get(id.slice(id.lastIndexOf('.') + 1)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Quizzes

/**
 * Case folding for title search. Done in JS on both sides because SQLite's LIKE and lower()
 * fold ASCII only: "ÉCOLE" must find "école". NFC so a decomposed "é" (some phone keyboards)
 * matches a composed one.
 */
export function foldCase(text: string): string {
	return text.normalize('NFC').toLowerCase();
}

/** The search a host typed, folded; null when it filters nothing (empty or blank). */
export function titleSearch(search: string | undefined): string | null {
	const trimmed = search?.trim() ?? '';
	return trimmed === '' ? null : foldCase(trimmed);
}

export function quizListItem(stored: StoredQuiz, access: QuizAccess): QuizListItem {
	return {
		id: stored.quiz.id,
		title: stored.quiz.title,
		description: stored.quiz.description,
		questionCount: stored.quiz.questions.length,
		createdAt: stored.createdAt,
		updatedAt: stored.updatedAt,
		lastPlayedAt: stored.lastPlayedAt,
		ownerId: stored.ownerId,
		access
	};
}

/** A save made against an older version than the stored one (QuizChangedError). */
/**
 * The stamp a save gets: now, or one past the stored one if that is not earlier. Two saves in
 * the same millisecond must not share a stamp, or the second editor's version check could not
 * tell them apart.
 */
export function nextUpdatedAt(storedUpdatedAt: number | undefined, now: number): number {
	return storedUpdatedAt === undefined ? now : Math.max(now, storedUpdatedAt + 1);
}

export function stale(storedUpdatedAt: number, options: SaveQuizOptions): boolean {
	return options.expectedUpdatedAt !== undefined && storedUpdatedAt !== options.expectedUpdatedAt;
}

/**
 * What a viewer may do with a quiz: its owner owns it; an admin may edit any; anyone else gets
 * the better of what is shared with them and with everyone, or nothing (null). SQLite's list
 * query says the same in SQL (sqlite.ts, `listQuizzesFor`).
 */
export function accessFor(
	ownerId: string | null,
	shares: readonly QuizShare[],
	viewer: Viewer
): QuizAccess | null {
	if (ownerId !== null && ownerId === viewer.accountId) return 'owner';
	if (viewer.everything) return 'edit';
	let access: QuizAccess | null = null;
	for (const share of shares) {
		if (share.grantee !== viewer.accountId && share.grantee !== EVERYONE) continue;
		if (share.level === 'edit') return 'edit';
		access = 'use';
	}
	return access;
}

/** Newest edit first; equal times by id, as SQLite's `ORDER BY updated_at DESC, id` does. */
export function byNewestEdit(a: QuizListCursor, b: QuizListCursor): number {
	return b.updatedAt - a.updatedAt || compareIds(a.id, b.id);
}

/** The page `options` asks for of a whole list in `byNewestEdit` order (the stores in JS). */
export function quizListPage(
	sorted: QuizListItem[],
	options: Pick<QuizListOptions, 'limit' | 'after'>
): QuizListItem[] {
	const { after, limit } = options;
	const from = after ? sorted.findIndex((item) => byNewestEdit(after, item) < 0) : 0;
	if (from < 0) return [];
	return sorted.slice(from, limit === undefined ? undefined : from + limit);
}

// ---------------------------------------------------------------------------------------------
// Games

export function gameListItem(record: GameRecord): GameListItem {
	return {
		id: record.id,
		pin: record.pin,
		quizId: record.quiz.id,
		quizTitle: record.quiz.title,
		startedAt: record.startedAt,
		endedAt: record.endedAt,
		finished: record.finished,
		playerCount: record.players.length,
		questionsPlayed: record.rounds.length,
		questionCount: playableQuestionCount(record.quiz),
		winner: record.players.find((player) => player.rank === 1)?.nickname ?? null,
		hostId: record.hostId
	};
}

/**
 * The questions of a quiz a game plays as rounds: all but info slides, which are shown and
 * never answered. A game's "questions played" is out of this.
 */
export function playableQuestionCount(quiz: Quiz): number {
	return questionCount(quiz.questions);
}

/** Newest start first; equal times by id, as SQLite's `ORDER BY started_at DESC, id` does. */
export function byNewestStart(a: GameListItem, b: GameListItem): number {
	return b.startedAt - a.startedAt || compareIds(a.id, b.id);
}

/**
 * The keys SQLite enforces on a game record (one row per player, per round, per answer of a
 * player in a round), checked up front by the memory store so both refuse the same records.
 * Answers may come from players no longer listed: a player kicked after a reveal keeps the
 * answers already revealed, so answers are keyed by round, not tied to the player list.
 */
export function assertGameKeys(record: GameRecord): void {
	assertUnique(
		record.players.map((player) => player.id),
		'player'
	);
	assertUnique(
		record.rounds.map((round) => String(round.questionIndex)),
		'round for question'
	);
	for (const round of record.rounds) {
		assertUnique(
			round.answers.map((answer) => answer.playerId),
			`answer in round ${round.questionIndex} from player`
		);
	}
}

function assertUnique(keys: string[], what: string): void {
	const seen = new Set<string>();
	for (const key of keys) {
		if (seen.has(key)) throw new Error(`Game record has a duplicate ${what} ${key}`);
		seen.add(key);
	}
}

// ---------------------------------------------------------------------------------------------
// Values

/** Code-unit order, which is SQLite's BINARY collation for the ASCII ids Quizroom makes. */
function compareIds(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * JSON.stringify that refuses what JSON would silently change (NaN becomes null, a Map becomes
 * {}, undefined in an array becomes null), so a store never keeps something it cannot give
 * back as it was given. An undefined property is fine: it reads back as a missing one.
 */
export function toJson(value: unknown, what: string): string {
	return JSON.stringify(value, function (this: unknown, key: string, replaced: unknown) {
		// The replacer sees values after toJSON(); check the original, so a Date is refused too.
		const original = (this as Record<string, unknown>)[key];
		if (!isJsonSafe(original, Array.isArray(this))) {
			throw new TypeError(`${what} holds a value that cannot be stored as JSON at "${key}"`);
		}
		return replaced;
	});
}

function isJsonSafe(value: unknown, inArray: boolean): boolean {
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return true;
		case 'number':
			return Number.isFinite(value);
		case 'undefined':
			return !inArray;
		case 'object':
			return value === null || Array.isArray(value) || isPlainObject(value);
		default:
			return false;
	}
}

function isPlainObject(value: object): boolean {
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}
