/**
 * The LiveRooms contract (games in progress, kept for a restart), one suite run against the
 * in-memory store and the SQLite one; then what only a file can show: the records survive
 * closing and opening the database again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GAME_OPTIONS } from '../../protocol/messages.ts';
import { apply, type GameEvent } from '../../game/rules.ts';
import { toSnapshot, type GameSnapshot } from '../../game/snapshot.ts';
import { createGameState, type Answer } from '../../game/state.ts';
import { makeQuiz } from './fixtures.ts';
import {
	MemoryLiveRooms,
	type LiveAnswer,
	type LivePlayer,
	type LiveRooms,
	RoomToSave
} from './live-rooms.ts';
import { SqliteStorage } from './sqlite.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures: real snapshots of a small game

const T0 = 1_700_000_000_000;

/** A game with Ana and Ben, in the lobby or at the open question `questionIndex`. */
function snapshotAt(questionIndex: number, answered: string[] = []): GameSnapshot {
	const state = createGameState({
		quiz: makeQuiz('live'),
		options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0 },
		maxPlayers: 50
	});
	const play = (event: GameEvent, now = T0) => {
		const outcome = apply(state, event, now);
		if (outcome.error) throw new Error(outcome.error.message);
	};
	play({ type: 'join', playerId: 'p-ana', nickname: 'Ana' });
	play({ type: 'join', playerId: 'p-ben', nickname: 'Ben' });
	play({ type: 'join', playerId: 'p-cy', nickname: 'Cy' });
	if (questionIndex >= 0) play({ type: 'start' });
	while (state.questionIndex < questionIndex) {
		play({ type: 'next' });
		play({ type: 'next' });
		play({ type: 'next' });
	}
	for (const id of answered) {
		play({ type: 'answer', playerId: id, questionIndex, choice: 0 }, T0 + 500);
	}
	return toSnapshot(state);
}

function room(pin: string, snapshot = snapshotAt(-1), gameId = `game-${pin}`): RoomToSave {
	return new RoomToSave({ pin, gameId, hostToken: `host-${gameId}`, createdAt: T0, snapshot });
}

function player(id: string, joinOrder: number, firstQuestion = 0): LivePlayer {
	return {
		id,
		token: `token-${id}`,
		nickname: id.replace('p-', ''),
		joinOrder,
		firstQuestion,
		device: null
	};
}

const ANSWER: Answer = {
	input: { choice: 2 },
	given: { kind: 'choice', index: 2 },
	elapsedMs: 1234
};

function liveAnswer(playerId: string, questionIndex: number, receivedAt = T0): LiveAnswer {
	return { playerId, questionIndex, answer: ANSWER, receivedAt };
}

// ---------------------------------------------------------------------------------------------
// The two implementations

interface Harness {
	open(): LiveRooms;
	cleanup(): Promise<void>;
}

function memoryHarness(): Harness {
	return { open: () => new MemoryLiveRooms(), cleanup: async () => {} };
}

function sqliteHarness(): Harness {
	const dir = mkdtempSync(join(tmpdir(), 'quizroom-live-'));
	let storage: SqliteStorage | null = null;
	return {
		open: () => (storage = SqliteStorage.open(dir)).live,
		cleanup: async () => {
			await storage?.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

describe.each([
	{ name: 'MemoryLiveRooms', harness: memoryHarness },
	{ name: 'SqliteLiveRooms', harness: sqliteHarness }
])('LiveRooms contract: $name', ({ harness }) => {
	let setup: Harness;
	let live: LiveRooms;

	beforeEach(() => {
		setup = harness();
		live = setup.open();
	});

	afterEach(() => setup.cleanup());

	it('starts empty', () => {
		expect(live.list()).toEqual([]);
	});

	it('gives a saved room back as saved, stamped with now, with no players or answers yet', () => {
		const saved = room('111111');
		live.saveRoom(saved, T0 + 10);
		expect(live.list()).toStrictEqual([
			{ ...saved, savedAt: T0 + 10, aliveAt: T0 + 10, players: [], answers: [] }
		]);
	});

	it('keeps a snapshot of an open question exactly, answers and all', () => {
		const snapshot = snapshotAt(0, ['p-ana', 'p-cy']);
		expect(snapshot.round!.answers).toHaveLength(2);
		live.saveRoom(room('111111', snapshot), T0);
		expect(live.list()[0]!.snapshot).toStrictEqual(JSON.parse(JSON.stringify(snapshot)));
	});

	it('a later save replaces the snapshot and keeps the room and its players', () => {
		live.saveRoom(room('111111'), T0);
		live.addPlayer('111111', player('p-ana', 0));
		const later = snapshotAt(0);
		live.saveRoom(room('111111', later), T0 + 5000);
		const [record] = live.list();
		expect(record).toMatchObject({
			pin: '111111',
			gameId: 'game-111111',
			hostToken: 'host-game-111111',
			createdAt: T0,
			savedAt: T0 + 5000,
			aliveAt: T0 + 5000,
			players: [player('p-ana', 0)]
		});
		expect(record!.snapshot.phase).toBe('open');
		expect(live.list()).toHaveLength(1);
	});

	it('lists players in join order, with their tokens, and forgets removed ones', () => {
		live.saveRoom(room('111111'), T0);
		live.addPlayer('111111', player('p-ana', 0));
		live.addPlayer('111111', player('p-ben', 1));
		live.addPlayer('111111', player('p-late', 2, 3));
		expect(live.list()[0]!.players).toStrictEqual([
			player('p-ana', 0),
			player('p-ben', 1),
			player('p-late', 2, 3)
		]);
		live.removePlayer('111111', 'p-ben');
		expect(live.list()[0]!.players.map((p) => p.id)).toEqual(['p-ana', 'p-late']);
		// Removing someone not there is no error.
		live.removePlayer('111111', 'p-nobody');
	});

	it('lists the answers to the snapshot’s question, oldest first', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.addAnswer('111111', liveAnswer('p-ben', 0, T0 + 100));
		live.addAnswer('111111', liveAnswer('p-ana', 0, T0 + 200));
		expect(live.list()[0]!.answers).toStrictEqual([
			liveAnswer('p-ben', 0, T0 + 100),
			liveAnswer('p-ana', 0, T0 + 200)
		]);
	});

	it('adds a burst of answers in one go', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.addAnswers('111111', [liveAnswer('p-ben', 0, T0 + 100), liveAnswer('p-ana', 0, T0 + 200)]);
		live.addAnswers('111111', []);
		expect(live.list()[0]!.answers).toStrictEqual([
			liveAnswer('p-ben', 0, T0 + 100),
			liveAnswer('p-ana', 0, T0 + 200)
		]);
	});

	it('keeps a player’s first answer to a question (an answer is given once)', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.addAnswer('111111', liveAnswer('p-ana', 0, T0 + 100));
		live.addAnswer('111111', {
			...liveAnswer('p-ana', 0, T0 + 300),
			answer: { ...ANSWER, elapsedMs: 9 }
		});
		expect(live.list()[0]!.answers).toStrictEqual([liveAnswer('p-ana', 0, T0 + 100)]);
	});

	it('answers to the current question survive a save of the same question (a shutdown)', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.addAnswer('111111', liveAnswer('p-ana', 0));
		live.saveRoom(room('111111', snapshotAt(0, ['p-ana'])), T0 + 1000);
		expect(live.list()[0]!.answers).toStrictEqual([liveAnswer('p-ana', 0)]);
	});

	it('answers to earlier questions are dropped once the snapshot moves on', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.addAnswer('111111', liveAnswer('p-ana', 0));
		live.saveRoom(room('111111', snapshotAt(1)), T0 + 30_000);
		expect(live.list()[0]!.answers).toEqual([]);
		live.addAnswer('111111', liveAnswer('p-ben', 1));
		expect(live.list()[0]!.answers).toStrictEqual([liveAnswer('p-ben', 1)]);
	});

	it('a removed player’s answers go with them', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.addPlayer('111111', player('p-ana', 0));
		live.addPlayer('111111', player('p-ben', 1));
		live.addAnswer('111111', liveAnswer('p-ana', 0));
		live.addAnswer('111111', liveAnswer('p-ben', 0));
		live.removePlayer('111111', 'p-ana');
		expect(live.list()[0]!.answers.map((a) => a.playerId)).toEqual(['p-ben']);
	});

	it('markAlive stamps every room, leaving savedAt alone', () => {
		live.saveRoom(room('111111'), T0);
		live.saveRoom(room('222222'), T0 + 10);
		live.markAlive(T0 + 2000);
		expect(live.list().map((r) => [r.pin, r.savedAt, r.aliveAt])).toEqual([
			['111111', T0, T0 + 2000],
			['222222', T0 + 10, T0 + 2000]
		]);
	});

	it('keeps rooms apart', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.saveRoom(room('222222', snapshotAt(0)), T0);
		live.addPlayer('111111', player('p-ana', 0));
		live.addPlayer('222222', player('p-ana', 0));
		live.addAnswer('222222', liveAnswer('p-ana', 0));
		live.removePlayer('111111', 'p-ana');
		const [first, second] = live.list();
		expect(first).toMatchObject({ pin: '111111', players: [], answers: [] });
		expect(second).toMatchObject({
			pin: '222222',
			players: [player('p-ana', 0)],
			answers: [liveAnswer('p-ana', 0)]
		});
	});

	it('removing a room removes its players and answers with it', () => {
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.addPlayer('111111', player('p-ana', 0));
		live.addAnswer('111111', liveAnswer('p-ana', 0));
		live.saveRoom(room('222222'), T0);
		live.removeRoom('111111');
		expect(live.list().map((r) => r.pin)).toEqual(['222222']);
		// The same PIN, later, for the same game id: nothing of the old record shows through.
		live.saveRoom(room('111111', snapshotAt(0)), T0 + 1);
		expect(live.list()[1]).toMatchObject({ pin: '111111', players: [], answers: [] });
		live.removeRoom('999999');
	});

	it('a new game on a PIN still on record replaces that record whole', () => {
		// A record left behind (one that could not be restored) and a new game that drew its PIN.
		live.saveRoom(room('111111', snapshotAt(0), 'old-game'), T0);
		live.addPlayer('111111', player('p-old', 0));
		live.addAnswer('111111', liveAnswer('p-old', 0));
		live.saveRoom(
			new RoomToSave({ ...room('111111', snapshotAt(0), 'new-game'), createdAt: T0 + 5 }),
			T0 + 5
		);
		expect(live.list()).toStrictEqual([
			{
				...room('111111', JSON.parse(JSON.stringify(snapshotAt(0))), 'new-game'),
				createdAt: T0 + 5,
				savedAt: T0 + 5,
				aliveAt: T0 + 5,
				players: [],
				answers: []
			}
		]);
	});

	it('refuses players and answers for a room it does not have', () => {
		expect(() => live.addPlayer('404404', player('p-ana', 0))).toThrow();
		expect(() => live.addAnswer('404404', liveAnswer('p-ana', 0))).toThrow();
		expect(live.list()).toEqual([]);
	});

	it('hands out copies: changing what was saved or listed changes nothing stored', () => {
		const saved = room('111111', snapshotAt(0));
		const joined = player('p-ana', 0);
		const answered = liveAnswer('p-ana', 0);
		live.saveRoom(saved, T0);
		live.addPlayer('111111', joined);
		live.addAnswer('111111', answered);
		const before = live.list();
		saved.snapshot.players[0]!.score = 99;
		joined.nickname = 'Changed';
		answered.answer.elapsedMs = 1;
		const listed = live.list()[0]!;
		listed.players.pop();
		listed.snapshot.phase = 'podium';
		listed.answers[0]!.receivedAt = 0;
		expect(live.list()).toStrictEqual(before);
	});
});

describe('SqliteLiveRooms on disk', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'quizroom-live-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('everything written is there after the database is closed and opened again', async () => {
		const first = SqliteStorage.open(dir);
		const snapshot = snapshotAt(0, ['p-ana']);
		first.live.saveRoom(room('111111', snapshot), T0);
		first.live.addPlayer('111111', player('p-ana', 0));
		first.live.addPlayer('111111', player('p-ben', 1));
		first.live.addAnswer('111111', liveAnswer('p-ben', 0, T0 + 700));
		first.live.markAlive(T0 + 2000);
		const before = first.live.list();
		await first.close();

		const second = SqliteStorage.open(dir);
		try {
			expect(second.live.list()).toStrictEqual(before);
			expect(before[0]).toMatchObject({
				aliveAt: T0 + 2000,
				players: [player('p-ana', 0), player('p-ben', 1)],
				answers: [liveAnswer('p-ben', 0, T0 + 700)]
			});
		} finally {
			await second.close();
		}
	});
});
