/**
 * The Redis copy of a game in progress, against a real redis-server started for this file: a
 * room's quiz and each revealed round are written once per game, copies written before that
 * still load, and in cluster mode each piece of a snapshot is serialised once for both stores,
 * SQLite and Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startRedis, type RedisInstance } from '../../../../scripts/cluster/redis-server.ts';
import { apply, type GameEvent } from '../../game/rules.ts';
import { fromSnapshot, toSnapshot } from '../../game/snapshot.ts';
import { createGameState, type GameState } from '../../game/state.ts';
import { DEFAULT_GAME_OPTIONS } from '../../protocol/messages.ts';
import { makeQuiz } from '../../testing/quiz-fixtures.ts';
import { MemoryLiveRooms, RoomToSave, type LiveRoom } from '../storage/live-rooms.ts';
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

/** A game with Ana and Ben in its lobby, and a way to play it on. */
function newGame(quiz = makeQuiz('live', 'The live quiz', 3)) {
	const state = createGameState({
		quiz,
		options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0 },
		maxPlayers: 50
	});
	const play = (event: GameEvent, now = T0) => {
		const outcome = apply(state, event, now);
		if (outcome.error) throw new Error(outcome.error.message);
	};
	play({ type: 'join', playerId: 'p-ana', nickname: 'Ana' });
	play({ type: 'join', playerId: 'p-ben', nickname: 'Ben' });
	return { state, play };
}

/** Opens the next question (or the first), Ana answers it, and it is revealed. */
function revealNext({ state, play }: ReturnType<typeof newGame>): void {
	if (state.phase === 'lobby') play({ type: 'start' });
	while (state.phase !== 'open') play({ type: 'next' });
	play({ type: 'answer', playerId: 'p-ana', questionIndex: state.questionIndex, choice: 0 });
	play({ type: 'next' });
	expect(state.phase).toBe('reveal');
}

function room(pin: string, state: GameState, gameId = `game-${pin}`): LiveRoom {
	return {
		pin,
		gameId,
		hostToken: `host-${pin}`,
		hostId: null,
		createdAt: T0,
		snapshot: toSnapshot(state)
	};
}

/** `saved` as `load` gives it back: saved at T0 + 10, loaded at T0 + 20, nobody logged since. */
function loadedAt(saved: LiveRoom) {
	return { ...saved, savedAt: T0 + 10, aliveAt: T0 + 20, players: [], answers: [] };
}

it('stores a room in one hash, its quiz, players and each round in fields of their own, and loads it back', async () => {
	const keys = new Keys('text:');
	const copy = new RedisLiveCopy(client, keys);
	const game = newGame();
	revealNext(game);
	revealNext(game);
	const saved = room('111111', game.state);
	copy.saveRoom(new RoomToSave(saved), T0 + 10);
	await copy.flush();
	const { quiz: _quiz, history: _history, players, ...rest } = saved.snapshot;
	expect(await client.hGetAll(keys.live('111111'))).toStrictEqual({
		room: JSON.stringify({ ...saved, snapshot: rest, savedAt: T0 + 10 }),
		question: '1',
		quiz: JSON.stringify(saved.snapshot.quiz),
		players: JSON.stringify(players),
		'round:0': JSON.stringify(game.state.history[0]),
		'round:1': JSON.stringify(game.state.history[1])
	});
	expect(await copy.load('111111', T0 + 20)).toStrictEqual(loadedAt(saved));
});

it('writes the quiz once per game and each round once', async () => {
	const keys = new Keys('once:');
	const copy = new RedisLiveCopy(client, keys);
	const game = newGame();
	const save = () => copy.saveRoom(new RoomToSave(room('111111', game.state)), T0);
	save();
	revealNext(game);
	save();
	await copy.flush();
	// Changed behind the copy's back: a rewrite would put them back.
	await client.hSet(keys.live('111111'), { quiz: '"changed quiz"', 'round:0': '"changed round"' });
	game.play({ type: 'next' });
	save();
	revealNext(game);
	save();
	await copy.flush();
	const hash = await client.hGetAll(keys.live('111111'));
	expect(hash.quiz).toBe('"changed quiz"');
	expect(hash['round:0']).toBe('"changed round"');
	expect(hash['round:1']).toBe(JSON.stringify(game.state.history[1]));
	expect((await copy.load('111111', T0))!.snapshot.history).toEqual([
		'changed round',
		game.state.history[1]
	]);
});

it('still loads a copy written before the quiz and rounds were split off', async () => {
	const keys = new Keys('old:');
	const game = newGame();
	revealNext(game);
	const saved = room('111111', game.state);
	await client.hSet(keys.live('111111'), {
		room: JSON.stringify({ ...saved, savedAt: T0 + 10 }),
		question: '0'
	});
	const copy = new RedisLiveCopy(client, keys);
	expect(await copy.load('111111', T0 + 20)).toStrictEqual(loadedAt(saved));
	// Its next save (a node that took it over) is in the new layout, and loads back the same.
	game.play({ type: 'next' });
	copy.saveRoom(new RoomToSave(room('111111', game.state)), T0 + 30);
	await copy.flush();
	expect(JSON.parse((await client.hGet(keys.live('111111'), 'room'))!).snapshot).not.toHaveProperty(
		'history'
	);
	expect((await copy.load('111111', T0))!.snapshot).toStrictEqual(toSnapshot(game.state));
});

it('a new game on the PIN of a copy left behind starts with none of its rounds', async () => {
	const keys = new Keys('reused:');
	const copy = new RedisLiveCopy(client, keys);
	const old = newGame();
	revealNext(old);
	revealNext(old);
	copy.saveRoom(new RoomToSave(room('111111', old.state, 'old-game')), T0);
	const { state } = newGame(makeQuiz('new', 'The new quiz'));
	copy.saveRoom(new RoomToSave(room('111111', state, 'new-game')), T0 + 1);
	await copy.flush();
	expect(Object.keys(await client.hGetAll(keys.live('111111'))).sort()).toEqual([
		'players',
		'question',
		'quiz',
		'room'
	]);
	expect((await copy.load('111111', T0))!.snapshot).toStrictEqual(toSnapshot(state));
});

it('a node taking a game over writes it whole, then saves on as before', async () => {
	const keys = new Keys('takeover:');
	const game = newGame();
	revealNext(game);
	new RedisLiveCopy(client, keys).saveRoom(new RoomToSave(room('111111', game.state)), T0);
	// The node that took it over: its own copy, a game restored from what it loaded.
	const copy = new RedisLiveCopy(client, keys);
	const record = (await copy.load('111111', T0))!;
	const adopted = fromSnapshot({
		snapshot: record.snapshot,
		roster: record.snapshot.players,
		laterAnswers: []
	});
	const save = () => copy.saveRoom(new RoomToSave(room('111111', adopted)), T0 + 1);
	await client.hDel(keys.live('111111'), ['quiz', 'round:0']);
	save();
	await copy.flush();
	expect((await copy.load('111111', T0))!.snapshot).toStrictEqual(toSnapshot(adopted));
	expect(apply(adopted, { type: 'next' }, T0).error).toBeUndefined();
	save();
	await copy.flush();
	expect((await copy.load('111111', T0))!.snapshot).toStrictEqual(toSnapshot(adopted));
});

it('after a failed write, the next save writes everything again', async () => {
	const error = vi.spyOn(console, 'error').mockImplementation(() => {});
	try {
		const keys = new Keys('failed:');
		const copy = new RedisLiveCopy(client, keys);
		const game = newGame();
		const save = () => copy.saveRoom(new RoomToSave(room('111111', game.state)), T0);
		save();
		await copy.flush();
		// Not a hash any more: Redis refuses the next write.
		await client.set(keys.live('111111'), 'in the way');
		revealNext(game);
		save();
		await copy.flush();
		expect(error).toHaveBeenCalledWith(expect.stringContaining('the snapshot of game 111111'));
		await client.del(keys.live('111111'));
		game.play({ type: 'next' });
		save();
		await copy.flush();
		expect((await copy.load('111111', T0))!.snapshot).toStrictEqual(toSnapshot(game.state));
	} finally {
		error.mockRestore();
	}
});

it('serialises each piece of a snapshot once for SQLite and Redis together', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'quizroom-tee-'));
	const sqlite = SqliteStorage.open(dir);
	try {
		const copy = new RedisLiveCopy(client, new Keys('tee:'));
		const tee = new TeeLiveRooms(sqlite.live, copy);
		const game = newGame();
		revealNext(game);
		const saved = room('222222', game.state);
		// Counts serialisations of the quiz, a round and the players, alone or inside anything.
		const counted = [saved.snapshot.quiz, saved.snapshot.history[0]!, saved.snapshot.players];
		const serialised = counted.map((value) => {
			const toJSON = vi.fn(function (this: object) {
				return Array.isArray(this) ? [...this] : { ...this };
			});
			Object.defineProperty(value, 'toJSON', { value: toJSON });
			return toJSON;
		});
		tee.saveRoom(new RoomToSave(saved), T0);
		for (const toJSON of serialised) expect(toJSON).toHaveBeenCalledTimes(1);
		await copy.flush();
		const expected = JSON.parse(JSON.stringify(saved.snapshot)) as unknown;
		expect(sqlite.live.list()[0]!.snapshot).toStrictEqual(expected);
		expect((await copy.load('222222', T0))!.snapshot).toStrictEqual(expected);
	} finally {
		await sqlite.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

it("a burst's answers settle once both stores have them: the node's shared commit and the copy", async () => {
	const landings: Record<'local' | 'copy', () => void> = { local: () => {}, copy: () => {} };
	const confirmingLater = (name: 'local' | 'copy') =>
		Object.assign(new MemoryLiveRooms(), {
			addAnswers: () => new Promise<void>((landed) => (landings[name] = landed))
		});
	const tee = new TeeLiveRooms(confirmingLater('local'), confirmingLater('copy'));
	let settled = false;
	void (tee.addAnswers('111111', []) as Promise<void>).then(() => (settled = true));
	landings.copy();
	await new Promise((done) => setImmediate(done));
	expect(settled).toBe(false);
	landings.local();
	await new Promise((done) => setImmediate(done));
	expect(settled).toBe(true);
});
