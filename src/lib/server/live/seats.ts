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

/**
 * The signed-in host behind a request or a socket, as the live side needs to know them: a
 * game's host seat opens only for the account that created the game, or for an admin.
 */
export interface Identity {
	accountId: string;
	admin: boolean;
	/** The session it came with, so ending the session closes its host screens. */
	sessionId: string;
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

export type { Refusal, Result } from '../../protocol/http.ts';

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
