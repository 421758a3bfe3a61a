/**
 * The three Storage implementations, fresh and empty for each test: memory, SQLite in a
 * temporary directory, and Redis under a key prefix of its own on a server the test file
 * started (`startRedis` in its beforeAll). Contract suites run `describe.each(storeHarnesses())`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLiveRooms } from '../server/storage/live-rooms.ts';
import { MemoryStorage } from '../server/storage/memory.ts';
import { connectRedis } from '../server/storage/redis-client.ts';
import { PostgresStorage } from '../server/storage/postgres.ts';
import { RedisStorage } from '../server/storage/redis.ts';
import { SqliteStorage } from '../server/storage/sqlite.ts';
import type { Storage } from '../server/storage/storage.ts';

export interface Harness {
	open(): Promise<Storage>;
	cleanup(): Promise<void>;
}

export function memoryHarness(): Harness {
	return { open: async () => new MemoryStorage(), cleanup: async () => {} };
}

export function sqliteHarness(): Harness {
	const dir = mkdtempSync(join(tmpdir(), 'quizroom-'));
	return {
		open: async () => SqliteStorage.open(dir),
		cleanup: async () => rmSync(dir, { recursive: true, force: true })
	};
}

/** Each test gets its own key prefix on the one server: a fresh, empty store. */
let redisStores = 0;
export function redisHarness(redisUrl: () => string): () => Harness {
	return () => {
		const prefix = `contract-${process.pid}-${++redisStores}:`;
		return {
			open: async () =>
				RedisStorage.open({
					client: await connectRedis(redisUrl()),
					live: new MemoryLiveRooms(),
					prefix
				}),
			cleanup: async () => {}
		};
	};
}

/**
 * Each test gets a schema of its own in the run's database (tests/integration/global-setup.ts
 * starts the server): a fresh, empty store, migrated as a new database would be.
 */
let postgresStores = 0;
export function postgresHarness(postgresUrl: () => string): () => Harness {
	return () => {
		const schema = `contract_${process.pid}_${++postgresStores}`;
		return {
			open: async () =>
				PostgresStorage.open({ url: postgresUrl(), live: new MemoryLiveRooms(), schema, max: 3 }),
			cleanup: async () => {}
		};
	};
}

/** For `describe.each`: each store by name, with a harness maker. */
export function storeHarnesses(redisUrl: () => string, postgresUrl: () => string) {
	return [
		{ name: 'MemoryStorage', harness: memoryHarness },
		{ name: 'SqliteStorage', harness: sqliteHarness },
		{ name: 'RedisStorage', harness: redisHarness(redisUrl) },
		{ name: 'PostgresStorage', harness: postgresHarness(postgresUrl) }
	];
}

/** A fresh, empty store of this kind for each test, handed to `ready`; closed after it. */
export function storeForEachTest(harness: () => Harness, ready: (storage: Storage) => void): void {
	let setup: Harness;
	let storage: Storage;
	beforeEach(async () => {
		setup = harness();
		storage = await setup.open();
		ready(storage);
	});
	afterEach(async () => {
		await storage.close();
		await setup.cleanup();
	});
}
