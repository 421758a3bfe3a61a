/**
 * Table rows ⇄ the storage types, for the two SQL stores: SQLite and PostgreSQL name their
 * columns alike. A flag is 0/1 in SQLite (no booleans) and a boolean in PostgreSQL.
 */
import type { AnswerRecord, GameRecord } from '../../game/record.ts';
import { QUIZ_FORMAT_VERSION } from '../../protocol/quiz.ts';
import type { Account, AccountSession, OneTimeToken, Passkey, TokenKind } from './accounts.ts';
import type { GameListItem, QuizAccess, QuizListItem, StoredQuiz } from './storage.ts';

type Flag = number | boolean;

const isSet = (flag: Flag): boolean => flag === true || flag === 1;

export interface QuizListRow {
	id: string;
	title: string;
	description: string;
	question_count: number;
	created_at: number;
	updated_at: number;
	last_played_at: number | null;
	owner_id: string | null;
	/** Only in lists: the viewer's. */
	access?: QuizAccess;
}

export interface QuizRow extends QuizListRow {
	questions: string;
}

export function quizListItemFromRow(row: QuizListRow): QuizListItem {
	return {
		id: row.id,
		title: row.title,
		description: row.description,
		questionCount: row.question_count,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		lastPlayedAt: row.last_played_at,
		ownerId: row.owner_id,
		access: row.access ?? 'owner'
	};
}

/**
 * The stored questions are always in the current quiz format: when the format changes, a
 * migration rewrites them, so the version is the code's, not a column.
 */
export function storedQuizFromRow(row: QuizRow): StoredQuiz {
	return {
		quiz: {
			version: QUIZ_FORMAT_VERSION,
			id: row.id,
			title: row.title,
			description: row.description,
			questions: JSON.parse(row.questions)
		},
		ownerId: row.owner_id,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		lastPlayedAt: row.last_played_at
	};
}

export interface GameListRow {
	id: string;
	pin: string;
	quiz_id: string;
	quiz_title: string;
	started_at: number;
	ended_at: number;
	finished: Flag;
	question_count: number;
	player_count: number;
	questions_played: number;
	winner: string | null;
	host_id: string | null;
}

export interface GameRow {
	id: string;
	pin: string;
	quiz: string;
	options: string;
	started_at: number;
	ended_at: number;
	finished: Flag;
	host_id: string | null;
}

export interface PlayerRow {
	player_id: string;
	nickname: string;
	join_order: number;
	score: number;
	rank: number | null;
	first_question: number;
}

export interface RoundRow {
	question_index: number;
	opened_at: number;
}

export interface AnswerRow {
	question_index: number;
	player_id: string;
	/** The AnswerGiven as JSON. */
	answer: string;
	elapsed_ms: number;
	correct: Flag;
	points: number;
}

export function gameListItemFromRow(row: GameListRow): GameListItem {
	return {
		id: row.id,
		pin: row.pin,
		quizId: row.quiz_id,
		quizTitle: row.quiz_title,
		startedAt: row.started_at,
		endedAt: row.ended_at,
		finished: isSet(row.finished),
		playerCount: row.player_count,
		questionsPlayed: row.questions_played,
		questionCount: row.question_count,
		winner: row.winner,
		hostId: row.host_id
	};
}

export function gameFromRows(
	game: GameRow,
	players: PlayerRow[],
	rounds: RoundRow[],
	answers: AnswerRow[]
): GameRecord {
	const answersByQuestion = new Map<number, AnswerRecord[]>();
	for (const row of answers) {
		const list = answersByQuestion.get(row.question_index) ?? [];
		list.push({
			playerId: row.player_id,
			answer: JSON.parse(row.answer),
			elapsedMs: row.elapsed_ms,
			correct: isSet(row.correct),
			points: row.points
		});
		answersByQuestion.set(row.question_index, list);
	}
	return {
		id: game.id,
		pin: game.pin,
		quiz: JSON.parse(game.quiz),
		options: JSON.parse(game.options),
		startedAt: game.started_at,
		endedAt: game.ended_at,
		finished: isSet(game.finished),
		hostId: game.host_id,
		players: players.map((row) => ({
			id: row.player_id,
			nickname: row.nickname,
			joinOrder: row.join_order,
			score: row.score,
			rank: row.rank,
			firstQuestion: row.first_question
		})),
		rounds: rounds.map((row) => ({
			questionIndex: row.question_index,
			openedAt: row.opened_at,
			answers: answersByQuestion.get(row.question_index) ?? []
		}))
	};
}

export interface AccountRow {
	id: string;
	name: string;
	role: 'admin' | 'host';
	password_hash: string | null;
	disabled: Flag;
	created_at: number;
	last_sign_in_at: number | null;
}

export interface SessionRow {
	id: string;
	account_id: string;
	created_at: number;
	last_seen_at: number;
	expires_at: number;
	device: string;
}

export interface TokenRow {
	id: string;
	kind: TokenKind;
	account_id: string | null;
	created_at: number;
	expires_at: number;
	issuer: string | null;
}

export interface PasskeyRow {
	id: string;
	account_id: string;
	/** A Buffer from PostgreSQL, which is a Uint8Array too. */
	public_key: Uint8Array;
	counter: number;
	transports: string;
	created_at: number;
	last_used_at: number | null;
}

export function accountFromRow(row: AccountRow): Account {
	return {
		id: row.id,
		name: row.name,
		role: row.role,
		passwordHash: row.password_hash,
		disabled: isSet(row.disabled),
		createdAt: row.created_at,
		lastSignInAt: row.last_sign_in_at
	};
}

export function sessionFromRow(row: SessionRow): AccountSession {
	return {
		id: row.id,
		accountId: row.account_id,
		createdAt: row.created_at,
		lastSeenAt: row.last_seen_at,
		expiresAt: row.expires_at,
		device: row.device
	};
}

export function tokenFromRow(row: TokenRow): OneTimeToken {
	return {
		id: row.id,
		kind: row.kind,
		accountId: row.account_id,
		createdAt: row.created_at,
		expiresAt: row.expires_at,
		issuer: row.issuer
	};
}

export function passkeyFromRow(row: PasskeyRow): Passkey {
	return {
		id: row.id,
		accountId: row.account_id,
		publicKey: new Uint8Array(row.public_key),
		counter: row.counter,
		transports: JSON.parse(row.transports) as string[],
		createdAt: row.created_at,
		lastUsedAt: row.last_used_at
	};
}
