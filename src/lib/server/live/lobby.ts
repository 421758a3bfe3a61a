/**
 * The HTTP side's way into games: create one, look a PIN up, join, and find where a seat's
 * live connection goes. On one node every game is in this process (`LocalLobby`); in a cluster
 * (cluster/cluster-lobby.ts) a game may live on another node, and the answer carries that
 * node's socket address. Routes only ever talk to a `Lobby`.
 */
import type { JoinErrorCode } from '../../protocol/index.ts';
import type { GameService, LiveGame } from './game-service.ts';
import type {
	CreateErrorCode,
	GameLookup,
	HostSeat,
	Identity,
	Located,
	LookupErrorCode,
	PlayerSeat,
	Result,
	Visitor
} from './seats.ts';

export interface Lobby {
	/** Several nodes: phones must ask where their game went when its node is gone. */
	readonly clustered: boolean;
	/** A game of the quiz, hosted by the account `hostId` (who may use the quiz: the caller checks). */
	createGame(
		quizId: string,
		options: unknown,
		hostId: string
	): Promise<Result<HostSeat & Located, CreateErrorCode>>;
	/** Wrong PINs count against the asker's browser and address, as in `GameService.checkPin`. */
	lookup(pin: string, from?: Visitor): Promise<Result<GameLookup, LookupErrorCode>>;
	join(
		pin: string,
		nickname: string,
		visitor?: Visitor
	): Promise<Result<PlayerSeat & Located, JoinErrorCode | 'shutting-down'>>;
	/**
	 * The game's host seat, if this signed-in host may take it (GameService.mayHost): its token
	 * for the screen's cookie, and where the screen connects.
	 */
	hostSeat(
		pin: string,
		identity: Identity | null
	): Promise<(Located & { hostToken: string }) | null>;
	/** Every game running, on every node. */
	liveGames(): Promise<LiveGame[]>;
	/**
	 * The account was deleted: its games, on every node, go to `heir`, or end with no report
	 * when there is none (GameService.hostRemoved). How many games that was.
	 */
	hostRemoved(hostId: string, heir: string | null): Promise<number>;
	/** Where this seat's game lives now (it may have moved to another node). */
	locate(token: string): Promise<(Located & { pin: string }) | null>;
}

/** Over, for the join page: the podium is up or the game has ended. */
export function isOver(game: GameLookup): boolean {
	return game.phase === 'podium' || game.phase === 'ended';
}

export const SINGLE_NODE_SOCKET = '/ws';

export class LocalLobby implements Lobby {
	readonly clustered = false;

	constructor(
		private readonly games: GameService,
		private readonly socketUrl = SINGLE_NODE_SOCKET
	) {}

	async createGame(quizId: string, options: unknown, hostId: string) {
		const created = await this.games.createGame(quizId, options, { hostId });
		return created.ok ? { ...created, socketUrl: this.socketUrl } : created;
	}

	async lookup(pin: string, from?: Visitor): Promise<Result<GameLookup, LookupErrorCode>> {
		const found = this.games.checkPin(pin, from);
		if (!found.ok && found.code !== 'game-over') return { ...found, code: found.code };
		const game = this.games.describe(pin);
		if (!game) return { ok: false, code: 'unknown-pin', message: `No game with PIN ${pin}` };
		return { ok: true, ...game };
	}

	async join(pin: string, nickname: string, visitor?: Visitor) {
		const joined = this.games.join(pin, nickname, visitor);
		return joined.ok ? { ...joined, socketUrl: this.socketUrl } : joined;
	}

	async hostSeat(pin: string, identity: Identity | null) {
		const hostToken = this.games.hostSeat(pin, identity);
		return hostToken ? { hostToken, socketUrl: this.socketUrl } : null;
	}

	async liveGames(): Promise<LiveGame[]> {
		return this.games.liveGames();
	}

	async hostRemoved(hostId: string, heir: string | null): Promise<number> {
		return this.games.hostRemoved(hostId, heir);
	}

	async locate(token: string) {
		const seated = this.games.seatFor(token);
		return seated ? { pin: seated.room.pin, socketUrl: this.socketUrl } : null;
	}
}
