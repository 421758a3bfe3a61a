/**
 * Which store a node uses:
 *
 * - Nothing set: everything in the SQLite file in DATA_DIR (a laptop, one server).
 * - DATABASE_URL: the record (quizzes, pictures, reports, accounts) in PostgreSQL; games in
 *   progress stay in the node's own SQLite file (`live`), as they belong to it.
 * - DATABASE_URL and REDIS_URL: a cluster. The record in PostgreSQL, shared by every node;
 *   Redis keeps only what moves fast (the PIN directory, calls between nodes, live copies of
 *   running games), handed in as `live`.
 *
 * REDIS_URL alone is refused with what to do: before PostgreSQL, a cluster kept its record in
 * Redis, and `npm run migrate -- --from redis://…` moves it.
 */
import { checkDataDir } from './integrity.ts';
import { redactedDatabaseUrl } from './postgres-client.ts';
import { PostgresStorage } from './postgres.ts';
import { SqliteStorage } from './sqlite.ts';
import type { LiveRooms } from './live-rooms.ts';
import type { Storage } from './storage.ts';

export interface StoreConfig {
	dataDir: string;
	/** Set: the record in PostgreSQL. */
	databaseUrl?: string;
	/** Connections to PostgreSQL this node may hold (default 10). */
	databasePoolSize?: number;
	/** Set (with databaseUrl): cluster mode. */
	redisUrl?: string;
	/** Cluster mode: the node's games in progress, copied to Redis as well (see cluster/). */
	live?: (local: LiveRooms) => LiveRooms;
	/** Shown in PostgreSQL's list of connections. */
	name?: string;
}

export interface OpenedStore {
	storage: Storage;
	/** Where quizzes and reports are kept, for the startup messages. */
	where: string;
}

/** What a start with this configuration would be missing, in words; null if nothing. */
export function missingStore(config: Pick<StoreConfig, 'databaseUrl' | 'redisUrl'>): string | null {
	if (config.redisUrl && !config.databaseUrl) {
		return (
			'Cluster mode (REDIS_URL) needs DATABASE_URL too: the nodes keep quizzes, pictures, ' +
			'reports and accounts in PostgreSQL, and Redis only for games in progress. ' +
			'A cluster that kept them in Redis moves them with ' +
			'`npm run migrate -- --from redis://… --to postgres://…` (see README, Laptop to school server).'
		);
	}
	return null;
}

export async function openStorage(config: StoreConfig): Promise<OpenedStore> {
	const missing = missingStore(config);
	if (missing) throw new Error(missing);
	// A damaged file is refused in words before anything writes to it (integrity.ts).
	checkDataDir({ dataDir: config.dataDir, recordElsewhere: Boolean(config.databaseUrl) });
	const local = SqliteStorage.open(config.dataDir);
	if (!config.databaseUrl) return { storage: local, where: config.dataDir };
	try {
		const storage = await PostgresStorage.open({
			url: config.databaseUrl,
			max: config.databasePoolSize,
			live: config.live ? config.live(local.live) : local.live,
			name: config.name,
			onClose: () => local.close()
		});
		return { storage, where: `PostgreSQL at ${redactedDatabaseUrl(config.databaseUrl)}` };
	} catch (error) {
		await local.close();
		throw error;
	}
}
