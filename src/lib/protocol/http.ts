/** Bodies of the JSON HTTP API (the same steps the forms take, for scripts and the bench). */
import * as v from 'valibot';
import { GameOptionsSchema, type Phase } from './messages.ts';

export const CreateGameRequestSchema = v.object({
	quizId: v.pipe(v.string(), v.maxLength(64)),
	options: v.optional(GameOptionsSchema, {})
});
export type CreateGameRequest = v.InferInput<typeof CreateGameRequestSchema>;

export interface CreateGameResponse {
	pin: string;
	hostToken: string;
	joinUrl: string;
}

export const JoinRequestSchema = v.object({
	nickname: v.pipe(v.string(), v.maxLength(200))
});

export interface JoinResponse {
	pin: string;
	playerId: string;
	token: string;
	nickname: string;
}

export interface ApiError {
	code: string;
	message: string;
}

/** `GET /api/games/:pin`: is this game still there, and does it take new players? */
export interface GameLookupResponse {
	pin: string;
	phase: Phase;
	/** New players may join (not over, not full). */
	joinable: boolean;
}
