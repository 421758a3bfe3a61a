/**
 * What only the Redis store has: keys under a prefix, several nodes sharing one store, a
 * layout version, and a Redis that goes away and comes back. The behaviour all stores share
 * is in storage.test.ts. A real redis-server, started for this file.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedis, type RedisInstance } from '../../../../scripts/cluster/redis-server.ts';
import { isStoreUnavailable, StoreUnavailableError } from './errors.ts';
import { makeGame, makeQuiz, PNG } from '../../testing/quiz-fixtures.ts';
import { MemoryLiveRooms } from './live-rooms.ts';
import { REDIS_FORMAT, RedisFormatTooNewError, RedisStorage } from './redis.ts';
import { connectRedis, redactedUrl, type RedisClient } from './redis-client.ts';

let redis: RedisInstance;
/** A plain client for looking at the keys behind the store's back. */
let inspector: RedisClient;
const opened: RedisStorage[] = [];
let prefixes = 0;

beforeAll(async () => {
	redis = await startRedis();
	inspector = await connectRedis(redis.url);
});

afterEach(async () => {
	await Promise.all(opened.splice(0).map((storage) => storage.close()));
});

afterAll(async () => {
	await inspector?.close();
	await redis?.stop();
});

/** A node's store; nodes given the same prefix share it. */
async function open(prefix = `redis-${++prefixes}:`, url = redis.url): Promise<RedisStorage> {
	const storage = await RedisStorage.open({
		client: await connectRedis(url),
		live: new MemoryLiveRooms(),
		prefix
	});
	opened.push(storage);
	return storage;
}

describe('keys', () => {
	it('keeps every key under its prefix, in the documented layout', async () => {
		const storage = await open('layout:');
		await storage.seedSamples([makeQuiz('sample')], 500);
		await storage.saveQuiz(makeQuiz('capitals'), 1_000);
		await storage.markQuizPlayed('capitals', 1_500);
		const image = await storage.saveImage(PNG, 'image/png');
		await storage.saveGame(makeGame('g1'));
		expect((await inspector.keys('layout:*')).sort()).toEqual([
			'layout:game:g1',
			'layout:games',
			`layout:image:${image}`,
			'layout:images:used',
			'layout:meta:format',
			'layout:meta:samples-seeded',
			'layout:quiz-shares:sample',
			'layout:quiz:capitals',
			'layout:quiz:sample',
			'layout:quizzes'
		]);
		expect(await inspector.hGetAll('layout:quiz:capitals')).toMatchObject({
			title: 'Quiz capitals',
			createdAt: '1000',
			updatedAt: '1000',
			lastPlayedAt: '1500'
		});
		expect(await inspector.get('layout:meta:format')).toBe(String(REDIS_FORMAT));
		expect(Object.keys(await inspector.hGetAll('layout:images:used'))).toEqual([image]);
	});

	it('counts an image stored before uploads were stamped from its first sweep', async () => {
		const storage = await open('unstamped:');
		const id = `${'c'.repeat(64)}.png`;
		await inspector.set(`unstamped:image:${id}`, 'old bytes');
		const now = Date.now() + 365 * 24 * 60 * 60 * 1000;
		expect(await storage.sweepImages(new Set(), now, 1000)).toBe(0);
		expect(await inspector.hGet('unstamped:images:used', id)).toBe(String(now));
		expect(await storage.sweepImages(new Set(), now + 1001, 1000)).toBe(1);
		expect(await storage.hasImage(id)).toBe(false);
		expect(await inspector.hGet('unstamped:images:used', id)).toBeNull();
	});

	it('keeps stores with different prefixes apart on one server', async () => {
		const school = await open();
		const conference = await open();
		await school.saveQuiz(makeQuiz('capitals'), 1_000);
		await school.saveGame(makeGame('g1'));
		expect(await conference.listQuizzes()).toEqual([]);
		expect(await conference.getQuiz('capitals')).toBeNull();
		expect(await conference.listGames()).toEqual([]);
		expect(await conference.seedSamples([makeQuiz('sample')], 2_000)).toBe(1);
		expect(await school.seedSamples([makeQuiz('sample')], 2_000)).toBe(1);
	});

	it('stamps "last played" on a quiz deleted meanwhile without bringing half of it back', async () => {
		const storage = await open('played:');
		await storage.saveQuiz(makeQuiz('capitals'), 1_000);
		await storage.deleteQuiz('capitals');
		await storage.markQuizPlayed('capitals', 2_000);
		expect(await inspector.exists('played:quiz:capitals')).toBe(0);
		expect(await storage.listQuizzes()).toEqual([]);
	});
});

describe('nodes sharing one store', () => {
	it('see each other’s quizzes, images and reports at once', async () => {
		const [one, two] = [await open('shared:'), await open('shared:')];
		await one.saveQuiz(makeQuiz('capitals'), 1_000);
		const image = await one.saveImage(PNG, 'image/png');
		await two.saveGame(makeGame('g1'));
		expect(await two.getQuiz('capitals')).toMatchObject({ quiz: makeQuiz('capitals') });
		expect([...(await two.getImage(image))!.bytes]).toEqual([...PNG]);
		expect(await one.getGame('g1')).toStrictEqual(makeGame('g1'));
		await two.markQuizPlayed('capitals', 2_000);
		expect((await one.listQuizzes())[0]).toMatchObject({ id: 'capitals', lastPlayedAt: 2_000 });
	});

	it('seed the samples exactly once when they start together', async () => {
		const nodes = await Promise.all([1, 2, 3, 4].map(() => open('together:')));
		const samples = [makeQuiz('sample-a'), makeQuiz('sample-b'), makeQuiz('sample-c')];
		const inserted = await Promise.all(nodes.map((node) => node.seedSamples(samples, 1_000)));
		expect(inserted.sort()).toEqual([0, 0, 0, 3]);
		expect((await nodes[0]!.listQuizzes()).map((item) => item.id)).toEqual([
			'sample-a',
			'sample-b',
			'sample-c'
		]);
	});

	it('never mix two concurrent saves of one quiz: the last one wins whole', async () => {
		const [one, two] = [await open('race:'), await open('race:')];
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				(i % 2 ? one : two).saveQuiz(makeQuiz('capitals', `Version ${i}`, 1 + (i % 4)), 1_000 + i)
			)
		);
		const stored = (await one.getQuiz('capitals'))!;
		const version = Number(stored.quiz.title.replace('Version ', ''));
		expect(stored.quiz).toStrictEqual(
			makeQuiz('capitals', `Version ${version}`, 1 + (version % 4))
		);
		// Saves that arrive after a later stamp are stamped one past it: never backwards.
		expect(stored.updatedAt).toBeGreaterThanOrEqual(1_000 + version);
		expect(await one.listQuizzes()).toEqual([
			expect.objectContaining({ title: stored.quiz.title, questionCount: 1 + (version % 4) })
		]);
	});
});

describe('opening', () => {
	it('refuses a store written by a newer Quizroom, and lets go of the connection', async () => {
		await inspector.set('future:meta:format', String(REDIS_FORMAT + 1));
		const client = await connectRedis(redis.url);
		await expect(
			RedisStorage.open({ client, live: new MemoryLiveRooms(), prefix: 'future:' })
		).rejects.toThrow(RedisFormatTooNewError);
		expect(client.isOpen).toBe(false);
	});

	it('says which address it cannot reach, without the password', async () => {
		const nobody = `redis://quizroom:s3cret@127.0.0.1:${redis.port + 1}`;
		const failed = connectRedis(nobody, { connectAttempts: 2 });
		await expect(failed).rejects.toThrow(
			`Cannot reach Redis at redis://quizroom:***@127.0.0.1:${redis.port + 1}`
		);
		await expect(failed).rejects.not.toThrow(/s3cret/);
		expect(redactedUrl('redis://:pw@host:6379/0')).toBe('redis://:***@host:6379/0');
	});

	it('refuses a REDIS_URL that is not a redis:// address', async () => {
		for (const url of ['localhost:6379', 'http://127.0.0.1:6379', '']) {
			await expect(connectRedis(url)).rejects.toThrow(/REDIS_URL must look like redis:\/\//);
		}
	});
});

describe('when Redis goes away', () => {
	it('fails at once with a clear error, and works again once Redis is back', async () => {
		const log = { error: vi.fn(), log: vi.fn() };
		const own = await startRedis();
		try {
			const storage = await RedisStorage.open({
				client: await connectRedis(own.url, { log }),
				live: new MemoryLiveRooms()
			});
			opened.push(storage);
			await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			await own.stop();

			const failure = await storage.listQuizzes().catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(StoreUnavailableError);
			expect(isStoreUnavailable(failure)).toBe(true);
			expect((failure as Error).message).toMatch(/quiz library is unreachable/);
			await expect(storage.saveGame(makeGame('g1'))).rejects.toThrow(StoreUnavailableError);
			expect(log.error).toHaveBeenCalledTimes(1);
			expect(log.error.mock.calls[0]![0]).toMatch(/Lost the connection to Redis at .*: retrying/);

			// Back on the same port (empty: this test server keeps nothing), found by itself.
			const again = await startRedis({ port: own.port });
			own.stop = () => again.stop();
			await vi.waitFor(async () => expect(await storage.listQuizzes()).toEqual([]), {
				timeout: 10_000,
				interval: 100
			});
			expect(log.log).toHaveBeenCalledWith(expect.stringMatching(/Connected to Redis at .* again/));
		} finally {
			await own.stop();
		}
	});
});
