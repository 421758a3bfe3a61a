/**
 * The cluster's Redis connections. node-redis queues commands while it reconnects and sends
 * them in order on one connection, so a write issued without awaiting still lands after the
 * writes issued before it.
 */
import { createClient } from '@redis/client';

export type Redis = ReturnType<typeof newClient>;

function newClient(url: string, name: string) {
	return createClient({
		url,
		name,
		socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) }
	});
}

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
	/** The room's last snapshot, its players and the answers since (see live-copy.ts). */
	live = (pin: string) => `${this.prefix}live:${pin}`;
	livePlayers = (pin: string) => `${this.prefix}live:${pin}:players`;
	liveAnswers = (pin: string) => `${this.prefix}live:${pin}:answers`;
	liveTokens = (pin: string) => `${this.prefix}live:${pin}:tokens`;
	rpc = (id: string) => `${this.prefix}rpc:${id}`;
	reply = (id: string) => `${this.prefix}reply:${id}`;
}

/**
 * Connects, or fails with a message an operator can act on. Once connected, a lost connection
 * is retried forever: rooms keep running on their node while Redis is away.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
	const client = newClient(url, name);
	let lastLogged = 0;
	client.on('error', (error: Error) => {
		// Once every 10 s at most: a Redis restart would otherwise flood the log.
		if (Date.now() - lastLogged < 10_000) return;
		lastLogged = Date.now();
		console.error(`Redis (${name}): ${error.message}`);
	});
	try {
		await connectWithin(client, 5000);
	} catch (error) {
		client.destroy();
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(`Cannot reach Redis at ${redactUrl(url)} (REDIS_URL): ${reason}`);
	}
	return client;
}

async function connectWithin(client: Redis, ms: number): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
	});
	try {
		await Promise.race([client.connect(), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'an unreadable URL';
	}
}
