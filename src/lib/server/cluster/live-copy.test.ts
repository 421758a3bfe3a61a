/**
 * The Redis copy of a game in progress, against a real redis-server started for this file: a
 * room is stored as the same text as ever (copies already in Redis still load), and in cluster
 * mode its snapshot is serialised once for both stores, SQLite and Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startRedis, type RedisInstance } from '../../../../scripts/cluster/redis-server.ts';
import { apply } from '../../game/rules.ts';
import { toSnapshot } from '../../game/snapshot.ts';
import { createGameState } from '../../game/state.ts';
import { DEFAULT_GAME_OPTIONS } from '../../protocol/messages.ts';
import { makeQuiz } from '../storage/fixtures.ts';
import { RoomToSave, type LiveRoom } from '../storage/live-rooms.ts';
import { connectRedis, type RedisClient } from '../storage/redis-client.ts';
import { SqliteStorage } from '../storage/sqlite.ts';
import { RedisLiveCopy, TeeLiveRooms } from './live-copy.ts';
import { Keys } from './redis.ts';

const T0 = 1_700_000_000_000;

let redis: RedisInstance;
let client: RedisClient;

beforeAll(async () => {
	redis = await startRedis();
	client = await connectRedis(redis.url);
});

afterAll(async () => {
	await client?.close();
	await redis?.stop();
});

/** A lobby with Ana in it. */
function lobby(pin: string): LiveRoom {
	const state = createGameState({
		quiz: makeQuiz('live'),
		options: DEFAULT_GAME_OPTIONS,
		maxPlayers: 50
	});
	apply(state, { type: 'join', playerId: 'p-ana', nickname: 'Ana' }, T0);
	return {
		pin,
		gameId: `game-${pin}`,
		hostToken: `host-${pin}`,
		createdAt: T0,
		snapshot: toSnapshot(state)
	};
}

it('stores a room as the text it always was, and loads it back', async () => {
	const keys = new Keys('text:');
	const copy = new RedisLiveCopy(client, keys);
	const room = lobby('111111');
	copy.saveRoom(new RoomToSave(room), T0 + 10);
	await copy.flush();
	expect(await client.hGet(keys.live('111111'), 'room')).toBe(
		JSON.stringify({ ...room, savedAt: T0 + 10 })
	);
	expect(await copy.load('111111', T0 + 20)).toStrictEqual({
		...room,
		savedAt: T0 + 10,
		aliveAt: T0 + 20,
		players: [],
		answers: []
	});
});

it('serialises a snapshot once for SQLite and Redis together', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'quizroom-tee-'));
	const sqlite = SqliteStorage.open(dir);
	try {
		const copy = new RedisLiveCopy(client, new Keys('tee:'));
		const tee = new TeeLiveRooms(sqlite.live, copy);
		const room = lobby('222222');
		// Counts the snapshot's serialisations, alone or inside anything else.
		const serialised = vi.fn(function (this: object) {
			return { ...this };
		});
		Object.defineProperty(room.snapshot, 'toJSON', { value: serialised });
		tee.saveRoom(new RoomToSave(room), T0);
		expect(serialised).toHaveBeenCalledTimes(1);
		await copy.flush();
		expect(sqlite.live.list()[0]!.snapshot).toStrictEqual(room.snapshot);
		expect((await copy.load('222222', T0))!.snapshot).toStrictEqual(room.snapshot);
	} finally {
		await sqlite.close();
		rmSync(dir, { recursive: true, force: true });
	}
});
