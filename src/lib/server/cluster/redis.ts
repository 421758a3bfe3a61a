/**
 * The cluster's keys in Redis. Commands on one connection are sent in order, so a write issued
 * without awaiting still lands after the writes issued before it. (The shared store's keys —
 * quizzes, pictures, reports — are in storage/redis.ts, under the same prefix.)
 */
import type { RedisClient } from '../storage/redis-client.ts';

export type Redis = RedisClient;

/** Keys of one cluster, all under one prefix so a Redis can be shared with other things. */
export class Keys {
	constructor(readonly prefix = 'quizroom:') {}
	/** Set of every node id that registered and was not yet cleaned up. */
	nodes = () => `${this.prefix}nodes`;
	/** A node's description; expires unless its heartbeat renews it. */
	node = (id: string) => `${this.prefix}node:${id}`;
	/** When the node was last alive (ms), kept after it dies: downtime is measured from it. */
	seen = (id: string) => `${this.prefix}node:${id}:seen`;
	/** The PINs a node owns. */
	rooms = (id: string) => `${this.prefix}node:${id}:rooms`;
	/** Rooms per live node, for placing new games. */
	load = () => `${this.prefix}load`;
	/** A PIN's owner: the id of the node whose memory holds the room. */
	pin = (pin: string) => `${this.prefix}pin:${pin}`;
	/** A seat token's PIN, so any node can say where a phone should reconnect. */
	seat = (token: string) => `${this.prefix}seat:${token}`;
	/**
	 * The room's last snapshot (a hash: the quiz and each revealed round in fields of their own),
	 * its players and the answers since (see live-copy.ts).
	 */
	live = (pin: string) => `${this.prefix}live:${pin}`;
	livePlayers = (pin: string) => `${this.prefix}live:${pin}:players`;
	liveAnswers = (pin: string) => `${this.prefix}live:${pin}:answers`;
	liveTokens = (pin: string) => `${this.prefix}live:${pin}:tokens`;
	rpc = (id: string) => `${this.prefix}rpc:${id}`;
	reply = (id: string) => `${this.prefix}reply:${id}`;
}

/**
 * Waits for a task at most `ms`, and never fails: for the waits a node must not hang on when
 * Redis is slow or gone (node-redis queues commands while it reconnects).
 */
export async function within(ms: number, task: () => Promise<unknown>): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		task().catch(() => {}),
		new Promise((done) => (timer = setTimeout(done, ms)))
	]);
	clearTimeout(timer);
}
