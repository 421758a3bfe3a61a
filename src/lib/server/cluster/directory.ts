/**
 * Who is in the cluster and who owns which game. Every ownership change is one Lua script, so
 * it is atomic in Redis: a PIN is claimed by exactly one node, and a dead node's room is taken
 * over by exactly one live node.
 */
import type { Keys, Redis } from './redis.ts';

export interface NodeInfo {
	id: string;
	/** Where browsers open this node's live endpoint, e.g. `/n/n1/ws` (behind the proxy). */
	socketUrl: string;
	startedAt: number;
}

export interface LiveNode extends NodeInfo {
	rooms: number;
}

/** SET pin NX, and the PIN into the node's room set and its load, in one step. */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
	redis.call('SADD', KEYS[2], ARGV[2])
	redis.call('ZINCRBY', KEYS[3], 1, ARGV[1])
	return 1
end
return 0`;

/** Only the owner gives a PIN back: a node that lost its room must not free another's. */
const RELEASE = `
redis.call('SREM', KEYS[2], ARGV[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('DEL', KEYS[1])
	redis.call('ZINCRBY', KEYS[3], -1, ARGV[1])
	return 1
end
return 0`;

/** Moves a room from a dead node to this one, if nobody moved it first. */
const TAKE_OVER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[2])
	redis.call('SMOVE', KEYS[2], KEYS[3], ARGV[3])
	redis.call('ZINCRBY', KEYS[4], 1, ARGV[2])
	return 1
end
redis.call('SREM', KEYS[2], ARGV[3])
return 0`;

export class Directory {
	constructor(
		private readonly redis: Redis,
		private readonly keys: Keys,
		readonly nodeId: string,
		private readonly ttlMs: number
	) {}

	/** Registers or renews this node; `rooms` is its true count (corrects any drift in the load). */
	async heartbeat(info: NodeInfo, rooms: number, now: number): Promise<void> {
		const { keys } = this;
		await this.redis
			.multi()
			.set(keys.node(info.id), JSON.stringify(info), {
				expiration: { type: 'PX', value: this.ttlMs }
			})
			.set(keys.seen(info.id), String(now))
			.sAdd(keys.nodes(), info.id)
			.zAdd(keys.load(), { score: rooms, value: info.id })
			.exec();
	}

	/** Clean shutdown: gone at once, so the others take its rooms over without waiting. */
	async leave(): Promise<void> {
		await this.redis.del(this.keys.node(this.nodeId));
	}

	async liveNodes(): Promise<LiveNode[]> {
		const ids = await this.redis.sMembers(this.keys.nodes());
		if (ids.length === 0) return [];
		const infos = await this.redis.mGet(ids.map((id) => this.keys.node(id)));
		const load = await this.redis.zmScore(this.keys.load(), ids);
		const live: LiveNode[] = [];
		infos.forEach((info, i) => {
			if (info) live.push({ ...(JSON.parse(info) as NodeInfo), rooms: load[i] ?? 0 });
		});
		return live;
	}

	/** Registered once, heartbeat now expired: their rooms are up for taking. */
	async deadNodes(): Promise<string[]> {
		const ids = await this.redis.sMembers(this.keys.nodes());
		if (ids.length === 0) return [];
		const infos = await this.redis.mGet(ids.map((id) => this.keys.node(id)));
		return ids.filter((_, i) => infos[i] === null);
	}

	async node(id: string): Promise<NodeInfo | null> {
		const info = await this.redis.get(this.keys.node(id));
		return info ? (JSON.parse(info) as NodeInfo) : null;
	}

	/** The node with the fewest rooms (ties broken at random), to place a new game on. */
	async leastLoaded(): Promise<LiveNode | null> {
		const nodes = await this.liveNodes();
		if (nodes.length === 0) return null;
		const fewest = Math.min(...nodes.map((node) => node.rooms));
		const candidates = nodes.filter((node) => node.rooms === fewest);
		return candidates[Math.floor(Math.random() * candidates.length)]!;
	}

	/** Claims the PIN for this node if no room anywhere has it. */
	async claim(pin: string): Promise<boolean> {
		const { keys } = this;
		const claimed = await this.redis.eval(CLAIM, {
			keys: [keys.pin(pin), keys.rooms(this.nodeId), keys.load()],
			arguments: [this.nodeId, pin]
		});
		return claimed === 1;
	}

	async release(pin: string): Promise<void> {
		const { keys } = this;
		await this.redis.eval(RELEASE, {
			keys: [keys.pin(pin), keys.rooms(this.nodeId), keys.load()],
			arguments: [this.nodeId, pin]
		});
	}

	async owner(pin: string): Promise<string | null> {
		return this.redis.get(this.keys.pin(pin));
	}

	async owners(pins: string[]): Promise<(string | null)[]> {
		if (pins.length === 0) return [];
		return this.redis.mGet(pins.map((pin) => this.keys.pin(pin)));
	}

	/** The PINs a (dead) node still owns. */
	async roomsOf(id: string): Promise<string[]> {
		return this.redis.sMembers(this.keys.rooms(id));
	}

	async takeOver(pin: string, from: string): Promise<boolean> {
		const { keys } = this;
		const moved = await this.redis.eval(TAKE_OVER, {
			keys: [keys.pin(pin), keys.rooms(from), keys.rooms(this.nodeId), keys.load()],
			arguments: [from, this.nodeId, pin]
		});
		return moved === 1;
	}

	/** When the dead node was last seen: its rooms' clocks give that time back. */
	async lastSeen(id: string): Promise<number | null> {
		const seen = await this.redis.get(this.keys.seen(id));
		return seen === null ? null : Number(seen);
	}

	/** A dead node with no rooms left: forget it. */
	async forget(id: string): Promise<void> {
		const { keys } = this;
		await this.redis
			.multi()
			.sRem(keys.nodes(), id)
			.zRem(keys.load(), id)
			.del([keys.seen(id), keys.rooms(id)])
			.exec();
	}

	async seatPin(token: string): Promise<string | null> {
		return this.redis.get(this.keys.seat(token));
	}
}
