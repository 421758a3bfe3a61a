/**
 * Which store a node uses. Single node (no REDIS_URL): everything in the SQLite file in
 * DATA_DIR. Cluster mode (REDIS_URL set): quizzes, images and reports in Redis, shared by every
 * node; games in progress stay in the node's own SQLite file (`live`), as they belong to it.
 */
import type { RedisClient } from './redis-client.ts';
import { connectRedis, redactedUrl } from './redis-client.ts';
import { RedisStorage } from './redis.ts';
import { SqliteStorage } from './sqlite.ts';
import type { LiveRooms } from './live-rooms.ts';
import type { Storage } from './storage.ts';

export interface StoreConfig {
	dataDir: string;
	/** Set: cluster mode. */
	redisUrl?: string;
	/** Key prefix in Redis (default `quizroom:`). */
	redisPrefix?: string;
	/** Cluster mode: the node's games in progress, copied to Redis as well (see cluster/). */
	live?: (local: LiveRooms) => LiveRooms;
}

export interface OpenedStore {
	storage: Storage;
	/** Where quizzes and reports are kept, for the startup messages. */
	where: string;
}

export async function openStorage(
	config: StoreConfig,
	log: Pick<Console, 'warn'> = console
): Promise<OpenedStore> {
	const local = SqliteStorage.open(config.dataDir);
	if (!config.redisUrl) return { storage: local, where: config.dataDir };
	try {
		const client = await connectRedis(config.redisUrl, { name: 'quizroom-store' });
		await warnWithoutAppendOnly(client, config.redisUrl, log);
		const storage = await RedisStorage.open({
			client,
			live: config.live ? config.live(local.live) : local.live,
			prefix: config.redisPrefix,
			onClose: () => local.close()
		});
		return { storage, where: `Redis at ${redactedUrl(config.redisUrl)}` };
	} catch (error) {
		await local.close();
		throw error;
	}
}

/**
 * Without the append-only file a Redis restart loses what was written since its last snapshot
 * (minutes of new quizzes and reports). A managed Redis may refuse CONFIG: then say nothing.
 */
async function warnWithoutAppendOnly(
	client: RedisClient,
	url: string,
	log: Pick<Console, 'warn'>
): Promise<void> {
	let appendOnly: string | undefined;
	try {
		appendOnly = (await client.configGet('appendonly')).appendonly;
	} catch {
		return;
	}
	if (appendOnly === 'no') {
		log.warn(
			`  Warning: Redis at ${redactedUrl(url)} runs without appendonly: a Redis restart ` +
				'loses the quizzes and reports written since its last snapshot. Run it with ' +
				'`appendonly yes` (see README, Cluster mode).'
		);
	}
}
