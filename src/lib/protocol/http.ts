/** Bodies of the JSON HTTP API (the same steps the forms take, for scripts and the bench). */
import * as v from 'valibot';
import { GameOptionsSchema, MAX_NICKNAME_UNITS, type Phase } from './messages.ts';

export const CreateGameRequestSchema = v.object({
	quizId: v.pipe(v.string(), v.maxLength(64)),
	options: v.optional(GameOptionsSchema, {})
});
export type CreateGameRequest = v.InferInput<typeof CreateGameRequestSchema>;

export interface CreateGameResponse {
	pin: string;
	hostToken: string;
	joinUrl: string;
	/** Where the host's screen opens its live connection (another node's, in a cluster). */
	socketUrl: string;
}

export const JoinRequestSchema = v.object({
	nickname: v.pipe(v.string(), v.maxLength(MAX_NICKNAME_UNITS))
});

export interface JoinResponse {
	pin: string;
	playerId: string;
	token: string;
	nickname: string;
	/** Where the phone opens its live connection: the node that holds the game. */
	socketUrl: string;
}

export const LocateRequestSchema = v.object({
	token: v.pipe(v.string(), v.maxLength(64))
});

/** `POST /api/seats/locate`: where a seat's game lives now. */
export interface LocateResponse {
	pin: string;
	socketUrl: string;
}

export interface ApiError {
	code: string;
	message: string;
}

/** What a server step answers when it will not: a code to act on, words for people. */
export type Refusal<C extends string> = {
	ok: false;
	code: C;
	message: string;
	/** Too many tries: when the next may come. */
	retryAfterS?: number;
};

/** A server step's answer: done (with what it made), or refused. */
export type Result<T, C extends string> = ({ ok: true } & T) | Refusal<C>;

/** `GET /api/games/:pin`: is this game still there, and does it take new players? */
export interface GameLookupResponse {
	pin: string;
	phase: Phase;
	/** New players may join (not over, not full). */
	joinable: boolean;
}

/** Sharing a quiz: with an account (its id) or with `*`, everyone on this server. */
export const QuizShareRequestSchema = v.object({
	grantee: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
	/** null: stop sharing with them. */
	level: v.nullable(v.picklist(['use', 'edit']))
});
export type QuizShareRequest = v.InferOutput<typeof QuizShareRequestSchema>;

export interface QuizShareView {
	grantee: string;
	/** The account's name, or "Everyone on this server". */
	name: string;
	level: 'use' | 'edit';
}

export interface QuizSharesResponse {
	shares: QuizShareView[];
}
