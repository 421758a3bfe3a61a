/**
 * How long the library's and reports' calls take on each store, and how much memory Redis
 * spends on them: SQLite (a temp directory) against Redis (a real redis-server on this
 * machine, started for the run, no persistence). The figures in docs/ARCHITECTURE.md come
 * from here.
 *
 *   node --import tsx scripts/store-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startRedis } from './cluster/redis-server.ts';
import type { GameRecord } from '../src/lib/game/record.ts';
import { loadSampleQuizzes } from '../src/lib/server/quizzes/samples.ts';
import { makeGame, makeQuiz } from '../src/lib/testing/quiz-fixtures.ts';
import { MemoryLiveRooms } from '../src/lib/server/storage/live-rooms.ts';
import { RedisStorage } from '../src/lib/server/storage/redis.ts';
import { connectRedis } from '../src/lib/server/storage/redis-client.ts';
import { SqliteStorage } from '../src/lib/server/storage/sqlite.ts';
import type { Storage } from '../src/lib/server/storage/storage.ts';

const QUIZZES = 1000;
const GAMES = 200;
const BIG_GAME_PLAYERS = 2000;
const BIG_GAME_QUESTIONS = 10;
const IMAGE_BYTES = 1024 * 1024;
const RUNS = 20;

/** A finished game of 2,000 players and 10 questions, everyone answering every question. */
function bigGame(id: string): GameRecord {
	const game = makeGame(id, 1_000_000, makeQuiz('big', 'Big', BIG_GAME_QUESTIONS));
	game.players = Array.from({ length: BIG_GAME_PLAYERS }, (_, i) => ({
		id: `player-${i}`,
		nickname: `Player ${i}`,
		joinOrder: i,
		score: 10_000 - i,
		rank: i + 1,
		firstQuestion: 0
	}));
	game.rounds = Array.from({ length: BIG_GAME_QUESTIONS }, (_, q) => ({
		questionIndex: q,
		openedAt: 1_000_000 + q * 30_000,
		answers: game.players.map((player, i) => ({
			playerId: player.id,
			answer: { kind: 'choice', index: i % 3 },
			elapsedMs: 1000 + (i % 5000),
			correct: i % 3 === q % 3,
			points: i % 3 === q % 3 ? 800 : 0
		}))
	}));
	return game;
}

async function median(run: () => Promise<unknown>): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		await run();
		times.push(performance.now() - start);
	}
	return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

async function measure(storage: Storage): Promise<Record<string, number>> {
	const sample = loadSampleQuizzes()[0]!;
	for (let i = 0; i < QUIZZES; i++) await storage.saveQuiz(makeQuiz(`q${i}`, `Quiz ${i}`, 10), i);
	for (let i = 0; i < GAMES; i++) await storage.saveGame(makeGame(`g${i}`, i));
	const image = new Uint8Array(IMAGE_BYTES).map((_, i) => i % 251);
	let imageId = '';
	const big = bigGame('big');
	let n = 0;
	return {
		'save a sample quiz': await median(() => storage.saveQuiz({ ...sample, id: `s${n++}` }, n)),
		'get a sample quiz': await median(() => storage.getQuiz('s1')),
		[`list ${QUIZZES} quizzes`]: await median(() => storage.listQuizzes()),
		[`search ${QUIZZES} quizzes`]: await median(() => storage.listQuizzes('quiz 99')),
		'save a 1 MB picture (hash, send)': await median(
			async () => (imageId = await storage.saveImage(image, 'image/png'))
		),
		'get a 1 MB picture': await median(() => storage.getImage(imageId)),
		[`save a report (${BIG_GAME_PLAYERS} players × ${BIG_GAME_QUESTIONS})`]: await median(() =>
			storage.saveGame(big)
		),
		[`get that report`]: await median(() => storage.getGame('big')),
		[`list ${GAMES} reports`]: await median(() => storage.listGames())
	};
}

const redis = await startRedis();
const dir = mkdtempSync(join(tmpdir(), 'quizroom-store-bench-'));
try {
	const sqlite = SqliteStorage.open(dir);
	const client = await connectRedis(redis.url);
	const inspector = await connectRedis(redis.url);
	const redisStore = await RedisStorage.open({ client, live: new MemoryLiveRooms() });
	const onSqlite = await measure(sqlite);
	const onRedis = await measure(redisStore);
	console.log('| call | SQLite | Redis |');
	console.log('| --- | ---: | ---: |');
	for (const name of Object.keys(onSqlite)) {
		console.log(`| ${name} | ${onSqlite[name]!.toFixed(2)} ms | ${onRedis[name]!.toFixed(2)} ms |`);
	}
	const usage = async (key: string) =>
		((await inspector.memoryUsage(`quizroom:${key}`, { SAMPLES: 0 })) ?? 0) / 1024;
	console.log('\nRedis memory per item:');
	console.log(
		`  a sample quiz (${loadSampleQuizzes()[0]!.title}): ${(await usage('quiz:s1')).toFixed(1)} KB`
	);
	console.log(`  a quiz of 10 short questions: ${(await usage('quiz:q1')).toFixed(1)} KB`);
	console.log(`  a report of 3 players × 2 questions: ${(await usage('game:g1')).toFixed(1)} KB`);
	console.log(
		`  a report of ${BIG_GAME_PLAYERS} players × ${BIG_GAME_QUESTIONS}: ${(await usage('game:big')).toFixed(0)} KB`
	);
	await inspector.close();
	await redisStore.close();
	await sqlite.close();
} finally {
	rmSync(dir, { recursive: true, force: true });
	await redis.stop();
}
