/**
 * What the HTTP step into a game hands out and answers: who is asking, the seats it gives
 * (host and player), the lookups and refusals. Plain types, shared by the one-node game service,
 * the lobby in front of it and the cluster's lobby.
 */
import type { Phase } from '../../protocol/index.ts';

/** Who is asking: the client's address (for PIN-guess limits) and browser (for bans). */
export interface Visitor {
	address?: string;
	device?: string;
}

export interface HostSeat {
	pin: string;
	hostToken: string;
}

export interface PlayerSeat {
	pin: string;
	playerId: string;
	token: string;
	nickname: string;
}

export type Refusal<C extends string> = {
	ok: false;
	code: C;
	message: string;
	/** Too many tries: when the next may come. */
	retryAfterS?: number;
};
export type Result<T, C extends string> = ({ ok: true } & T) | Refusal<C>;

export type CreateErrorCode = 'unknown-quiz' | 'bad-options' | 'shutting-down';

/** Where the browser opens the seat's live connection (`/ws` on one node). */
export interface Located {
	socketUrl: string;
}

export interface GameLookup {
	pin: string;
	phase: Phase;
	/** New players may join (not over, not locked, not full). */
	joinable: boolean;
	/** The game hands out names: the phone asks for none. */
	friendlyNames: boolean;
}

export type LookupErrorCode = 'unknown-pin' | 'too-many-guesses';
