/**
 * Cluster mode (REDIS_URL): this node's part in a cluster of room servers sharing one Redis.
 *
 * - Each game lives on exactly one node; Redis maps its PIN to that node (directory.ts).
 * - Any node answers the HTTP steps: a new game goes to the node with the fewest rooms, a join
 *   is forwarded to the game's node (rpc.ts), and the answer names the socket address of the
 *   node that holds the game, where the browser then connects.
 * - Every room is copied to Redis as it goes (live-copy.ts). A node whose heartbeat expires is
 *   dead: live nodes take its rooms over from that copy, and phones that lost their socket ask
 *   any node where their game went (`locate`).
 */
import { randomPin } from '../live/pin.ts';
import type { JoinErrorCode } from '../../protocol/index.ts';
import type { GameService, LiveGame } from '../live/game-service.ts';
import type { Lobby } from '../live/lobby.ts';
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
} from '../live/seats.ts';
import type { LiveRooms } from '../storage/live-rooms.ts';
import { Directory, type NodeInfo } from './directory.ts';
import { COPY_WAIT_MS, RedisLiveCopy, TeeLiveRooms } from './live-copy.ts';
import { connectRedis } from '../storage/redis-client.ts';
import { Keys, within, type Redis } from './redis.ts';
import { NodeUnavailable, Rpc } from './rpc.ts';

export interface ClusterConfig {
	redisUrl: string;
	nodeId: string;
	/** The node's address as browsers reach it (a path behind the proxy, or a full URL). */
	nodeUrl: string;
	/** A node silent this long is dead and its rooms are taken over. */
	nodeTtlMs?: number;
	keyPrefix?: string;
}

export const NODE_TTL_MS_DEFAULT = 10_000;
const PIN_ATTEMPTS = 50;

const UNAVAILABLE = {
	ok: false,
	code: 'shutting-down',
	message: 'The game’s server is busy or restarting: try again in a moment'
} as const;

export class Cluster implements Lobby {
	readonly clustered = true;
	readonly nodeId: string;
	readonly socketUrl: string;
	private readonly directory: Directory;
	private readonly copy: RedisLiveCopy;
	private readonly ttlMs: number;
	private games: GameService | null = null;
	private rpc: Rpc | null = null;
	private timers: NodeJS.Timeout[] = [];
	/** Closes this node's host screens of sign-in sessions that ended on another node. */
	private endScreens: (sessionIds: string[]) => void = () => {};
	/** Rooms being taken over right now: a second request for one waits for the first. */
	private readonly adopting = new Map<string, Promise<boolean>>();
	private readonly startedAt = Date.now();

	private constructor(
		readonly redis: Redis,
		private readonly subscriber: Redis,
		private readonly keys: Keys,
		config: ClusterConfig
	) {
		this.nodeId = config.nodeId;
		this.socketUrl = `${config.nodeUrl.replace(/\/$/, '')}/ws`;
		this.ttlMs = config.nodeTtlMs ?? NODE_TTL_MS_DEFAULT;
		this.directory = new Directory(redis, keys, config.nodeId, this.ttlMs);
		this.copy = new RedisLiveCopy(redis, keys);
	}

	static async connect(config: ClusterConfig): Promise<Cluster> {
		const redis = await connectRedis(config.redisUrl, { name: `quizroom-${config.nodeId}` });
		// Pub/sub needs a connection of its own; errors are reported by the main one.
		const subscriber = redis.duplicate();
		subscriber.on('error', () => {});
		await subscriber.connect();
		return new Cluster(redis, subscriber, new Keys(config.keyPrefix), config);
	}

	/** The node's games in progress: its own SQLite, and a copy in Redis for the others. */
	liveRooms(local: LiveRooms): LiveRooms {
		return new TeeLiveRooms(local, this.copy, (pin) => this.release(pin));
	}

	/**
	 * Joins the cluster: picks up this node's own rooms from its database (those no other node
	 * took over while it was away), starts the heartbeat, answers calls, watches for dead nodes.
	 */
	async start(games: GameService): Promise<number> {
		this.games = games;
		const pins = games.storedPins();
		const owners = await this.directory.owners(pins);
		const mine = new Set(pins.filter((_, i) => owners[i] === this.nodeId));
		const restored = games.restore((pin) => mine.has(pin));
		await this.beat();
		this.rpc = new Rpc(this.redis, this.subscriber, this.keys, this.nodeId, {
			createGame: (quizId: string, options: unknown, hostId: string) =>
				this.createHere(quizId, options, hostId),
			lookup: async (pin: string) => this.describeHere(pin),
			join: async (pin: string, nickname: string, visitor: Visitor) =>
				this.joinHere(pin, nickname, visitor),
			hostSeat: async (pin: string, identity: Identity | null) => this.hostHere(pin, identity),
			liveGames: async () => this.service.liveGames(),
			hostRemoved: async (hostId: string, heir: string | null) =>
				this.service.hostRemoved(hostId, heir),
			endHostScreens: async (sessionIds: string[]) => this.endScreens(sessionIds)
		});
		await this.rpc.start();
		const heartbeatMs = Math.max(200, Math.round(this.ttlMs / 4));
		this.every(heartbeatMs, () => this.beat());
		this.every(Math.max(200, Math.round(this.ttlMs / 5)), () => this.watch());
		return restored;
	}

	/** Clean shutdown: rooms written down, the node gone from the directory at once. */
	async stop(): Promise<void> {
		for (const timer of this.timers) clearInterval(timer);
		this.timers = [];
		this.rpc?.stop();
		// Redis may be gone: the goodbye is worth a moment, not a hung shutdown.
		await within(2000, async () => {
			await this.copy.flush();
			await this.directory.leave();
		});
		await within(1000, () => this.subscriber.close());
		await within(1000, () => this.redis.close());
		for (const client of [this.subscriber, this.redis]) if (client.isOpen) client.destroy();
	}

	/** How this node closes its host screens when another node ends their sessions. */
	onHostScreensEnded(end: (sessionIds: string[]) => void): void {
		this.endScreens = end;
	}

	/** Sessions ended here: every other node closes their host screens too (best effort). */
	endHostScreensElsewhere(sessionIds: string[]): void {
		void this.directory.liveNodes().then(
			(nodes) => {
				for (const node of nodes) {
					if (node.id === this.nodeId) continue;
					this.call(node.id, 'endHostScreens', [sessionIds]).catch(() => {});
				}
			},
			() => {}
		);
	}

	// ---- the Lobby, as any node answers it ----

	async createGame(
		quizId: string,
		options: unknown,
		hostId: string
	): Promise<Result<HostSeat & Located, CreateErrorCode>> {
		const target = await this.directory.leastLoaded();
		if (target && target.id !== this.nodeId) {
			try {
				return await this.call(target.id, 'createGame', [quizId, options, hostId]);
			} catch (error) {
				// The chosen node is gone or stuck: this one takes the game.
				if (!(error instanceof NodeUnavailable)) throw error;
			}
		}
		return this.createHere(quizId, options, hostId);
	}

	async lookup(pin: string, from: Visitor = {}): Promise<Result<GameLookup, LookupErrorCode>> {
		const games = this.service;
		const waiting = games.guessRefusal(from);
		if (waiting) return waiting;
		const here = this.describeHere(pin);
		if (here) return { ok: true, ...here };
		const found = await this.find(pin);
		const game =
			found === 'here'
				? this.describeHere(pin)
				: found && (await this.call<GameLookup | null>(found, 'lookup', [pin]).catch(() => null));
		if (!game) {
			games.wrongGuess(from);
			return {
				ok: false,
				code: 'unknown-pin',
				message: `No game with PIN ${pin}: check the screen`
			};
		}
		return { ok: true, ...game };
	}

	async join(
		pin: string,
		nickname: string,
		visitor: Visitor = {}
	): Promise<Result<PlayerSeat & Located, JoinErrorCode | 'shutting-down'>> {
		const games = this.service;
		if (games.room(pin)) return this.joinHere(pin, nickname, visitor);
		const waiting = games.guessRefusal(visitor);
		if (waiting) return waiting;
		const found = await this.find(pin);
		if (found === 'here') return this.joinHere(pin, nickname, visitor);
		if (!found) {
			games.wrongGuess(visitor);
			return {
				ok: false,
				code: 'unknown-pin',
				message: `No game with PIN ${pin}: check the screen`
			};
		}
		try {
			// The address stays here (guesses were counted here); the device goes for bans.
			return await this.call(found, 'join', [pin, nickname, { device: visitor.device }]);
		} catch {
			return UNAVAILABLE;
		}
	}

	async hostSeat(
		pin: string,
		identity: Identity | null
	): Promise<(Located & { hostToken: string }) | null> {
		const here = this.hostHere(pin, identity);
		if (here) return here;
		const found = await this.find(pin);
		if (found === 'here') return this.hostHere(pin, identity);
		if (!found) return null;
		return this.call<(Located & { hostToken: string }) | null>(found, 'hostSeat', [
			pin,
			identity
		]).catch(() => null);
	}

	/** Every node's games; a node that does not answer in time is left out. */
	async liveGames(): Promise<LiveGame[]> {
		const nodes = await this.directory.liveNodes();
		const lists = await Promise.all(
			nodes.map((node) =>
				node.id === this.nodeId
					? this.service.liveGames()
					: this.call<LiveGame[]>(node.id, 'liveGames', []).catch(() => [])
			)
		);
		return lists.flat();
	}

	/**
	 * Every node hands over (or ends) the deleted account's games it runs. A node that does not
	 * answer in time is left out: its games keep the old host until an admin takes them.
	 */
	async hostRemoved(hostId: string, heir: string | null): Promise<number> {
		const nodes = await this.directory.liveNodes();
		const counts = await Promise.all(
			nodes.map((node) =>
				node.id === this.nodeId
					? this.service.hostRemoved(hostId, heir)
					: this.call<number>(node.id, 'hostRemoved', [hostId, heir]).catch((error: unknown) => {
							const reason = error instanceof Error ? error.message : String(error);
							console.error(`Node ${node.id} did not hand over the games of ${hostId}: ${reason}`);
							return 0;
						})
			)
		);
		return counts.reduce((sum, count) => sum + count, 0);
	}

	async locate(token: string): Promise<(Located & { pin: string }) | null> {
		const seated = this.service.seatFor(token);
		if (seated) return { pin: seated.room.pin, socketUrl: this.socketUrl };
		const pin = await this.directory.seatPin(token);
		if (!pin) return null;
		const found = await this.find(pin);
		if (found === 'here') return { pin, socketUrl: this.socketUrl };
		if (!found) return null;
		const node = await this.directory.node(found);
		return node && { pin, socketUrl: node.socketUrl };
	}

	// ---- this node's own games ----

	/** Creates the game on this node under a PIN no node has. */
	private async createHere(
		quizId: string,
		options: unknown,
		hostId: string
	): Promise<Result<HostSeat & Located, CreateErrorCode>> {
		const games = this.service;
		let pin: string | null = null;
		for (let i = 0; i < PIN_ATTEMPTS && pin === null; i++) {
			const candidate = randomPin();
			if (!games.room(candidate) && (await this.directory.claim(candidate))) pin = candidate;
		}
		if (pin === null) throw new Error('No free PIN found: too many live games');
		const created = await games.createGame(quizId, options, { hostId, pin });
		if (!created.ok) {
			await this.directory.release(pin);
			return created;
		}
		await this.copied();
		return { ...created, socketUrl: this.socketUrl };
	}

	private describeHere(pin: string): GameLookup | null {
		return this.service.describe(pin);
	}

	private async joinHere(
		pin: string,
		nickname: string,
		visitor: Visitor
	): Promise<Result<PlayerSeat & Located, JoinErrorCode | 'shutting-down'>> {
		const joined = this.service.join(pin, nickname, visitor);
		if (!joined.ok) return joined;
		await this.copied();
		return { ...joined, socketUrl: this.socketUrl };
	}

	/**
	 * A seat is handed out only once Redis has it: a node that died just after would otherwise
	 * leave a phone with a token the node taking over has never heard of.
	 */
	private copied(): Promise<void> {
		return within(COPY_WAIT_MS, () => this.copy.flush());
	}

	private hostHere(
		pin: string,
		identity: Identity | null
	): (Located & { hostToken: string }) | null {
		const hostToken = this.service.hostSeat(pin, identity);
		return hostToken ? { hostToken, socketUrl: this.socketUrl } : null;
	}

	// ---- ownership ----

	/**
	 * Which node holds the game: 'here', another node's id, or null when no game has the PIN.
	 * A game whose node is dead is taken over on the spot rather than waiting for the watcher.
	 */
	private async find(pin: string): Promise<string | 'here' | null> {
		const owner = await this.directory.owner(pin);
		if (owner === null) return null;
		if (owner === this.nodeId) {
			// Ours in Redis but not in memory: a takeover is still loading, or the room is gone.
			await this.adopting.get(pin);
			return this.service.room(pin) ? 'here' : null;
		}
		if (await this.directory.node(owner)) return owner;
		return (await this.adopt(pin, owner)) ? 'here' : null;
	}

	private adopt(pin: string, from: string): Promise<boolean> {
		const running = this.adopting.get(pin);
		if (running) return running;
		const adoption = this.takeOver(pin, from).finally(() => this.adopting.delete(pin));
		this.adopting.set(pin, adoption);
		return adoption;
	}

	private async takeOver(pin: string, from: string): Promise<boolean> {
		if (!(await this.directory.takeOver(pin, from))) return false;
		const lastSeen = (await this.directory.lastSeen(from)) ?? Date.now() - this.ttlMs;
		const record = await this.copy.load(pin, lastSeen);
		if (!record || !this.service.adopt(record)) {
			// Nothing left to run (or unreadable): give the PIN back rather than hold it empty.
			await this.directory.release(pin);
			return false;
		}
		console.log(`  Took over game ${pin} from node ${from}`);
		return true;
	}

	/** Dead nodes' rooms, a fair share per pass, so the live nodes split them between them. */
	private async watch(): Promise<void> {
		const dead = await this.directory.deadNodes();
		if (dead.length === 0) return;
		const live = Math.max(1, (await this.directory.liveNodes()).length);
		for (const node of dead) {
			const pins = await this.directory.roomsOf(node);
			if (pins.length === 0) {
				await this.directory.forget(node);
				continue;
			}
			const share = Math.ceil(pins.length / live);
			for (const pin of shuffle(pins).slice(0, share)) await this.adopt(pin, node);
		}
	}

	private async beat(): Promise<void> {
		const games = this.service;
		const info: NodeInfo = {
			id: this.nodeId,
			socketUrl: this.socketUrl,
			startedAt: this.startedAt
		};
		await this.directory.heartbeat(info, games.roomCount, Date.now());
		// Redis was away long enough for another node to take a room over: that node has it now,
		// so this copy steps aside and its phones reconnect there.
		const pins = games.pins();
		const owners = await this.directory.owners(pins);
		pins.forEach((pin, i) => {
			if (owners[i] !== this.nodeId && !this.adopting.has(pin)) games.evict(pin);
		});
	}

	private release(pin: string): void {
		this.directory.release(pin).catch((error: unknown) => {
			console.error(`Could not free PIN ${pin} in Redis`, error);
		});
	}

	private call<T>(node: string, method: string, args: unknown[]): Promise<T> {
		if (!this.rpc) throw new Error('The cluster is not started');
		return this.rpc.call<T>(node, method, args);
	}

	private every(ms: number, task: () => Promise<void>): void {
		let running = false;
		const timer = setInterval(() => {
			if (running) return;
			running = true;
			task()
				.catch((error: unknown) => {
					console.error(`Cluster: ${error instanceof Error ? error.message : error}`);
				})
				.finally(() => (running = false));
		}, ms);
		timer.unref();
		this.timers.push(timer);
	}

	private get service(): GameService {
		if (!this.games) throw new Error('The cluster is not started');
		return this.games;
	}
}

function shuffle<T>(items: T[]): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[copy[i], copy[j]] = [copy[j]!, copy[i]!];
	}
	return copy;
}
