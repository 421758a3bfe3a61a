/**
 * The LiveRooms contract (games in progress, kept for a restart), one suite run against the
 * in-memory store and the SQLite one; then what only a file can show: the records survive
 * closing and opening the database again, and a game's quiz and each revealed round are
 * written once, not at every save (rooms saved before that still load).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GAME_OPTIONS } from '../../protocol/messages.ts';
import { apply, type GameEvent } from '../../game/rules.ts';
import { fromSnapshot, toSnapshot, type GameSnapshot } from '../../game/snapshot.ts';
import { createGameState, type Answer, type GameState } from '../../game/state.ts';
import { makeGame, makeQuiz } from '../../testing/quiz-fixtures.ts';
import {
	MemoryLiveRooms,
	type LiveAnswer,
	type LivePlayer,
	type LiveRooms,
	RoomToSave,
	SqliteLiveRooms
} from './live-rooms.ts';
import { DiskSpace } from './disk-full.ts';
import { migrate } from './migrations.ts';
import { DATABASE_FILE, SqliteStorage } from './sqlite.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures: real snapshots of a small game

const T0 = 1_700_000_000_000;

/** A game with Ana, Ben and Cy in its lobby, and a way to play it on. */
function newGame(quiz = makeQuiz('live')) {
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
	play({ type: 'join', playerId: 'p-cy', nickname: 'Cy' });
	return { state, play };
}

/**
 * A game played from its lobby to its podium, as the room saves it: `save` gets the snapshot
 * of every phase (the same state throughout, as in a room), `answered` answers each question.
 */
function playThrough(
	save: (snapshot: GameSnapshot) => void,
	{ quiz = makeQuiz('live', 'The live quiz', 3), answered = ['p-ana', 'p-cy'] } = {}
): GameState {
	const { state, play } = newGame(quiz);
	save(toSnapshot(state));
	play({ type: 'start' });
	while (state.phase !== 'podium') {
		save(toSnapshot(state));
		if (state.phase === 'open') {
			answered.forEach((id, i) => {
				play({ type: 'answer', playerId: id, questionIndex: state.questionIndex, choice: i });
			});
			save(toSnapshot(state));
		}
		play({ type: 'next' });
	}
	save(toSnapshot(state));
	return state;
}

/** A game with Ana, Ben and Cy, in the lobby or at the open question `questionIndex`. */
function snapshotAt(questionIndex: number, answered: string[] = []): GameSnapshot {
	const { state, play } = newGame();
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
	return new RoomToSave({
		pin,
		gameId,
		hostToken: `host-${gameId}`,
		hostId: null,
		createdAt: T0,
		snapshot
	});
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

	it('a later save with another host keeps that host (the account was deleted, its heir hosts)', () => {
		live.saveRoom(new RoomToSave({ ...room('111111'), hostId: 'dave' }), T0);
		live.addPlayer('111111', player('p-ana', 0));
		live.saveRoom(new RoomToSave({ ...room('111111'), hostId: 'carol' }), T0 + 10);
		expect(live.list()).toMatchObject([{ hostId: 'carol', players: [player('p-ana', 0)] }]);
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
		// A save after the stamp is itself a sign of life.
		live.saveRoom(room('333333'), T0 + 3000);
		expect(live.list().map((r) => [r.pin, r.aliveAt])).toEqual([
			['111111', T0 + 2000],
			['222222', T0 + 2000],
			['333333', T0 + 3000]
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

	it('a game saved at every phase lists back whole, its quiz and every revealed round', () => {
		let saves = 0;
		let last: GameSnapshot | null = null;
		const state = playThrough((snapshot) => {
			live.saveRoom(room('111111', snapshot), T0 + ++saves);
			expect(live.list()[0]!.snapshot).toStrictEqual(snapshot);
			last = snapshot;
		});
		expect(state.history).toHaveLength(3);
		expect(state.history[2]!.answers).toHaveLength(2);
		expect(live.list()).toStrictEqual([
			{
				...room('111111', last!),
				savedAt: T0 + saves,
				aliveAt: T0 + saves,
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

	it('holds reports until released, oldest first; a newer one of a game replaces it', () => {
		expect(live.heldReports()).toEqual([]);
		live.holdReport({ ...makeGame('g1'), finished: false }, T0);
		live.holdReport(makeGame('g2'), T0 + 1);
		live.holdReport(makeGame('g1'), T0 + 2);
		expect(live.heldReports()).toStrictEqual([
			{ record: makeGame('g2'), heldAt: T0 + 1 },
			{ record: makeGame('g1'), heldAt: T0 + 2 }
		]);
		live.releaseReport('g1');
		live.releaseReport('unknown');
		expect(live.heldReports()).toStrictEqual([{ record: makeGame('g2'), heldAt: T0 + 1 }]);
		// Held apart from the rooms: a room ending does not touch them.
		live.saveRoom(room('111111'), T0);
		live.removeRoom('111111');
		expect(live.heldReports()).toHaveLength(1);
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
		first.live.holdReport(makeGame('g1'), T0 + 3000);
		const before = first.live.list();
		await first.close();

		const second = SqliteStorage.open(dir);
		try {
			expect(second.live.list()).toStrictEqual(before);
			expect(second.live.heldReports()).toStrictEqual([
				{ record: makeGame('g1'), heldAt: T0 + 3000 }
			]);
			expect(before[0]).toMatchObject({
				aliveAt: T0 + 2000,
				players: [player('p-ana', 0), player('p-ben', 1)],
				answers: [liveAnswer('p-ben', 0, T0 + 700)]
			});
		} finally {
			await second.close();
		}
	});

	it('skips a held report that cannot be read, names it, and keeps it in the file', async () => {
		const storage = SqliteStorage.open(dir);
		storage.live.holdReport(makeGame('g1'), T0);
		storage.live.holdReport(makeGame('g2'), T0 + 1);
		await storage.close();
		const db = new Database(join(dir, 'quizroom.db'));
		db.prepare("UPDATE held_reports SET record = '{\"cut off' WHERE game_id = 'g1'").run();
		db.close();

		const reopened = SqliteStorage.open(dir);
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			expect(reopened.live.heldReports()).toStrictEqual([
				{ record: makeGame('g2'), heldAt: T0 + 1 }
			]);
			expect(warn).toHaveBeenCalledWith(
				expect.stringContaining('The held report of game g1 cannot be read, skipped')
			);
		} finally {
			warn.mockRestore();
			await reopened.close();
		}
		const check = new Database(join(dir, 'quizroom.db'), { readonly: true });
		expect(check.prepare('SELECT count(*) AS n FROM held_reports').get()).toEqual({ n: 2 });
		check.close();
	});
});

describe('SqliteLiveRooms: the quiz and each revealed round written once per game, the players when scored', () => {
	let dir: string;
	let storage: SqliteStorage;
	let inspector: Database.Database;

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'quizroom-live-'));
		storage = SqliteStorage.open(dir);
		// A second connection, to read and change rows behind the store's back.
		inspector = new Database(join(dir, DATABASE_FILE));
	});

	afterEach(async () => {
		inspector.close();
		await storage.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const stored = () =>
		inspector
			.prepare<[], { snapshot: string; quiz: string | null }>(
				'SELECT snapshot, quiz FROM live_rooms'
			)
			.get()!;
	const rounds = () =>
		inspector
			.prepare<[], { question_index: number; record: string }>(
				'SELECT question_index, record FROM live_rounds ORDER BY question_index'
			)
			.all();

	it('keeps the quiz and the rounds out of the snapshot, one row per round', () => {
		const state = playThrough((snapshot) => storage.live.saveRoom(room('111111', snapshot), T0));
		const { snapshot, quiz } = stored();
		expect(snapshot).not.toContain('The live quiz');
		expect(snapshot).not.toContain('openedAt');
		expect(JSON.parse(snapshot)).not.toHaveProperty('quiz');
		expect(JSON.parse(snapshot)).not.toHaveProperty('history');
		expect(quiz).toBe(JSON.stringify(state.quiz));
		expect(rounds()).toStrictEqual(
			state.history.map((round) => ({
				question_index: round.questionIndex,
				record: JSON.stringify(round)
			}))
		);
	});

	it('a later save writes neither the quiz nor a round already written', () => {
		const { state, play } = newGame(makeQuiz('live', 'The live quiz', 3));
		const save = () => storage.live.saveRoom(room('111111', toSnapshot(state)), T0);
		play({ type: 'start' });
		play({ type: 'answer', playerId: 'p-ana', questionIndex: 0, choice: 0 });
		play({ type: 'next' });
		save();
		expect(rounds()).toHaveLength(1);
		// Changed behind the store's back: a rewrite would put them back.
		const otherQuiz = JSON.stringify(makeQuiz('other'));
		inspector.prepare('UPDATE live_rooms SET quiz = ?').run(otherQuiz);
		inspector.prepare(`UPDATE live_rounds SET record = '{"changed":true}'`).run();
		play({ type: 'next' });
		save();
		play({ type: 'next' });
		save();
		expect(stored().quiz).toBe(otherQuiz);
		expect(rounds().map((round) => round.record)).toEqual(['{"changed":true}']);
		play({ type: 'next' });
		save();
		expect(rounds().map((round) => round.record)).toEqual([
			'{"changed":true}',
			JSON.stringify(state.history[1])
		]);
		expect(storage.live.list()[0]!.snapshot.history).toEqual([{ changed: true }, state.history[1]]);
	});

	it('writes the players when their standings move (a reveal, the podium), not at every save', () => {
		const { state, play } = newGame(makeQuiz('live', 'The live quiz', 2));
		const save = () => storage.live.saveRoom(room('111111', toSnapshot(state)), T0);
		const players = () =>
			inspector.prepare<[], string>('SELECT players FROM live_rooms').pluck().get()!;
		save();
		expect(JSON.parse(stored().snapshot)).not.toHaveProperty('players');
		expect(players()).toBe(JSON.stringify([...state.players.values()]));
		play({ type: 'start' });
		play({ type: 'answer', playerId: 'p-ana', questionIndex: 0, choice: 0 });
		// Same standings: the question opening, a player dropping out, leave the stored players be.
		inspector.prepare(`UPDATE live_rooms SET players = '[]'`).run();
		state.players.get('p-ben')!.connected = false;
		save();
		expect(players()).toBe('[]');
		play({ type: 'next' });
		expect(state.phase).toBe('reveal');
		save();
		expect(JSON.parse(players())).toEqual([...state.players.values()]);
		expect(storage.live.list()[0]!.snapshot.players[0]).toMatchObject({ id: 'p-ana', rank: 1 });
		expect(storage.live.list()[0]!.snapshot.players[0]!.score).toBeGreaterThan(0);
	});

	it('after a failed save, the next one writes everything again', () => {
		const { state, play } = newGame();
		const save = () => storage.live.saveRoom(room('111111', toSnapshot(state)), T0);
		play({ type: 'start' });
		save();
		inspector.exec(`CREATE TRIGGER no_rounds BEFORE INSERT ON live_rounds
			BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
		play({ type: 'answer', playerId: 'p-ana', questionIndex: 0, choice: 0 });
		play({ type: 'next' });
		expect(save).toThrow('disk on fire');
		inspector.exec('DROP TRIGGER no_rounds');
		inspector.prepare(`UPDATE live_rooms SET quiz = '{}'`).run();
		play({ type: 'next' });
		save();
		expect(stored().quiz).toBe(JSON.stringify(state.quiz));
		expect(storage.live.list()[0]!.snapshot).toStrictEqual(toSnapshot(state));
	});

	it('a new game on the PIN of a record left behind starts with none of its rounds', () => {
		playThrough((snapshot) => storage.live.saveRoom(room('111111', snapshot, 'old-game'), T0));
		expect(rounds()).toHaveLength(3);
		const { state } = newGame(makeQuiz('new', 'The new quiz'));
		storage.live.saveRoom(room('111111', toSnapshot(state), 'new-game'), T0 + 1);
		expect(rounds()).toEqual([]);
		expect(storage.live.list()[0]!.snapshot).toStrictEqual(toSnapshot(state));
		expect(storage.live.list()[0]!.snapshot.quiz.title).toBe('The new quiz');
	});

	it('a game taken over again, from a copy a few phases behind, is written afresh', () => {
		// This node ran the game to its podium, then lost it; the copy it takes it back from
		// (cluster mode) has one round of history.
		const snapshots: GameSnapshot[] = [];
		playThrough((snapshot) => {
			storage.live.saveRoom(room('111111', snapshot), T0);
			snapshots.push(JSON.parse(JSON.stringify(snapshot)) as GameSnapshot);
		});
		const copy = snapshots.find((snapshot) => snapshot.history.length === 1)!;
		const adopted = fromSnapshot({ snapshot: copy, roster: copy.players, laterAnswers: [] });
		storage.live.saveRoom(room('111111', toSnapshot(adopted)), T0 + 1);
		expect(rounds()).toHaveLength(1);
		expect(storage.live.list()[0]!.snapshot).toStrictEqual(toSnapshot(adopted));
	});

	it('a game restored after a restart is written whole once, then saved on as before', async () => {
		const { state, play } = newGame(makeQuiz('live', 'The live quiz', 3));
		play({ type: 'start' });
		play({ type: 'answer', playerId: 'p-ana', questionIndex: 0, choice: 0 });
		play({ type: 'next' });
		storage.live.saveRoom(room('111111', toSnapshot(state)), T0);
		await storage.close();

		storage = SqliteStorage.open(dir);
		const [record] = storage.live.list();
		expect(record!.snapshot).toStrictEqual(toSnapshot(state));
		// As GameService.restore puts the game back: a new state, saved on from there.
		const restored = fromSnapshot({
			snapshot: record!.snapshot,
			roster: record!.snapshot.players,
			laterAnswers: []
		});
		const replay = (event: GameEvent) => {
			const outcome = apply(restored, event, T0 + 1000);
			if (outcome.error) throw new Error(outcome.error.message);
			storage.live.saveRoom(room('111111', toSnapshot(restored)), T0 + 1000);
		};
		replay({ type: 'next' });
		replay({ type: 'next' });
		replay({ type: 'answer', playerId: 'p-ben', questionIndex: 1, choice: 1 });
		replay({ type: 'next' });
		expect(restored.history).toHaveLength(2);
		expect(storage.live.list()[0]!.snapshot).toStrictEqual(toSnapshot(restored));
		expect(rounds()).toHaveLength(2);
		expect(JSON.parse(stored().snapshot)).not.toHaveProperty('history');
	});

	it('still loads a room saved before the quiz and rounds were split off', async () => {
		await storage.close();
		inspector.close();
		for (const suffix of ['', '-wal', '-shm'])
			rmSync(join(dir, DATABASE_FILE + suffix), { force: true });
		// A database of the previous version, with a room it saved: the whole snapshot as one.
		const old = new Database(join(dir, DATABASE_FILE));
		migrate(old, 6);
		const { state, play } = newGame(makeQuiz('live', 'The live quiz', 3));
		play({ type: 'start' });
		play({ type: 'answer', playerId: 'p-ana', questionIndex: 0, choice: 0 });
		play({ type: 'next' });
		play({ type: 'next' });
		const snapshot = toSnapshot(state);
		old
			.prepare(
				`INSERT INTO live_rooms (pin, game_id, host_token, created_at, snapshot, saved_at, alive_at)
			VALUES ('111111', 'game-111111', 'host-game-111111', ?, ?, ?, ?)`
			)
			.run(T0, JSON.stringify(snapshot), T0, T0 + 500);
		old.close();

		storage = SqliteStorage.open(dir);
		inspector = new Database(join(dir, DATABASE_FILE));
		expect(stored().quiz).toBeNull();
		expect(storage.live.list()).toStrictEqual([
			{ ...room('111111', snapshot), savedAt: T0, aliveAt: T0 + 500, players: [], answers: [] }
		]);
		// Its next save is in the new layout, and lists back the same.
		play({ type: 'next' });
		storage.live.saveRoom(room('111111', toSnapshot(state)), T0 + 1000);
		expect(JSON.parse(stored().snapshot)).not.toHaveProperty('quiz');
		expect(rounds()).toHaveLength(1);
		expect(storage.live.list()[0]!.snapshot).toStrictEqual(toSnapshot(state));
	});
});

describe('SqliteLiveRooms: a burst’s answers share commits across games', () => {
	let dir: string;
	let db: Database.Database;
	let inspector: Database.Database;

	/** A store whose answers wait up to `windowMs` for a shared commit. */
	function open(windowMs: number): SqliteLiveRooms {
		const live = new SqliteLiveRooms(db, windowMs);
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.saveRoom(room('222222', snapshotAt(0)), T0);
		return live;
	}
	/** What a reader (or a restart) sees on disk. */
	const onDisk = () =>
		inspector
			.prepare<[], { pin: string; player_id: string }>(
				'SELECT pin, player_id FROM live_answers ORDER BY pin, player_id'
			)
			.all()
			.map((row) => `${row.pin} ${row.player_id}`);

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'quizroom-live-'));
		db = new Database(join(dir, DATABASE_FILE));
		migrate(db);
		db.pragma('journal_mode = WAL');
		db.pragma('foreign_keys = ON');
		inspector = new Database(join(dir, DATABASE_FILE));
	});

	afterEach(() => {
		inspector.close();
		if (db.open) db.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('the first answers commit at once; the next, within the window, settle once on disk', async () => {
		const live = open(30);
		expect(live.addAnswers('111111', [liveAnswer('p-ana', 0)])).toBeUndefined();
		expect(onDisk()).toEqual(['111111 p-ana']);

		const ben = live.addAnswers('111111', [liveAnswer('p-ben', 0)]);
		const cy = live.addAnswers('222222', [liveAnswer('p-cy', 0)]);
		expect(ben).toBeInstanceOf(Promise);
		expect(onDisk()).toEqual(['111111 p-ana']);
		await Promise.all([ben, cy]);
		expect(onDisk()).toEqual(['111111 p-ana', '111111 p-ben', '222222 p-cy']);
	});

	it('answers waiting for their commit land before any later write: a kick still removes them', () => {
		const live = open(60_000);
		live.addAnswers('111111', [liveAnswer('p-ana', 0)]);
		void live.addAnswers('111111', [liveAnswer('p-ben', 0), liveAnswer('p-cy', 0)]);
		live.removePlayer('111111', 'p-ben');
		expect(onDisk()).toEqual(['111111 p-ana', '111111 p-cy']);
		void live.addAnswers('222222', [liveAnswer('p-dee', 0)]);
		expect(live.list().map((record) => record.answers.map((a) => a.playerId))).toEqual([
			['p-ana', 'p-cy'],
			['p-dee']
		]);
	});

	it('answers waiting for their commit are written when the store closes', async () => {
		db.close();
		const storage = SqliteStorage.open(dir);
		storage.live.saveRoom(room('111111', snapshotAt(0)), T0);
		storage.live.addAnswers('111111', [liveAnswer('p-ana', 0)]);
		const waiting = storage.live.addAnswers('111111', [liveAnswer('p-ben', 0)]);
		await storage.close();
		await waiting;
		expect(onDisk()).toEqual(['111111 p-ana', '111111 p-ben']);
	});

	it('a game whose row is gone loses its own answers only, and says so', async () => {
		const live = open(30);
		const errors: unknown[] = [];
		const logged = vi.spyOn(console, 'error').mockImplementation((...args) => errors.push(args));
		try {
			live.addAnswers('111111', [liveAnswer('p-ana', 0)]);
			// Behind the store's back: the row its answers point at goes.
			inspector.prepare("DELETE FROM live_rooms WHERE pin = '222222'").run();
			const waiting = live.addAnswers('222222', [liveAnswer('p-cy', 0)]);
			void live.addAnswers('111111', [liveAnswer('p-ben', 0)]);
			await waiting;
			expect(onDisk()).toEqual(['111111 p-ana', '111111 p-ben']);
			expect(String(errors[0])).toContain('Could not store 1 answer in game 222222');
		} finally {
			logged.mockRestore();
		}
	});
});

describe('SqliteLiveRooms: phase-change saves share commits across games', () => {
	let dir: string;
	let db: Database.Database;
	let inspector: Database.Database;
	let live: SqliteLiveRooms;

	/** The question of the game's snapshot on disk, and whether its quiz is there. */
	const onDisk = (pin: string) => {
		const row = inspector
			.prepare<[string], { snapshot: string; quiz: string | null }>(
				'SELECT snapshot, quiz FROM live_rooms WHERE pin = ?'
			)
			.get(pin)!;
		const snapshot = JSON.parse(row.snapshot) as { questionIndex: number };
		return { question: snapshot.questionIndex, quiz: row.quiz !== null };
	};

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'quizroom-live-'));
		db = new Database(join(dir, DATABASE_FILE));
		migrate(db);
		db.pragma('journal_mode = WAL');
		inspector = new Database(join(dir, DATABASE_FILE));
		live = new SqliteLiveRooms(db, 30);
		live.saveRoom(room('111111', snapshotAt(0)), T0);
		live.saveRoom(room('222222', snapshotAt(0)), T0);
	});

	afterEach(() => {
		inspector.close();
		db.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('the first commits at once; the next, within the window, is on disk once it settles', async () => {
		expect(live.saveRoom(room('111111', snapshotAt(1)), T0, { shared: true })).toBeUndefined();
		expect(onDisk('111111').question).toBe(1);
		const second = live.saveRoom(room('222222', snapshotAt(1)), T0, { shared: true });
		expect(second).toBeInstanceOf(Promise);
		expect(onDisk('222222').question).toBe(0);
		await second;
		expect(onDisk('222222').question).toBe(1);
	});

	it('a shared save that fails is logged, and the game’s next save writes everything again', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			const { state, play } = newGame();
			const save = (shared: boolean) =>
				live.saveRoom(room('222222', toSnapshot(state)), T0, { shared });
			save(false);
			live.saveRoom(room('111111', snapshotAt(1)), T0, { shared: true });
			inspector.exec(`CREATE TRIGGER no_saves BEFORE UPDATE ON live_rooms
				WHEN NEW.pin = '222222' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
			play({ type: 'start' });
			const failing = save(true);
			// Queued behind the failing one, and built on it: not written either.
			play({ type: 'answer', playerId: 'p-ana', questionIndex: 0, choice: 0 });
			play({ type: 'next' });
			const after = save(true);
			await Promise.all([failing, after]);
			// Once: the save built on it is not stored either, and says nothing more.
			expect(logged).toHaveBeenCalledTimes(1);
			expect(String(logged.mock.calls[0])).toContain('the snapshot of game 222222');
			inspector.exec('DROP TRIGGER no_saves');
			inspector.prepare(`UPDATE live_rooms SET quiz = NULL WHERE pin = '222222'`).run();
			play({ type: 'next' });
			save(false);
			expect(onDisk('222222').quiz).toBe(true);
			expect(live.list()[1]!.snapshot).toStrictEqual(JSON.parse(JSON.stringify(toSnapshot(state))));
		} finally {
			logged.mockRestore();
		}
	});

	it('a full disk: answers not stored settle as such, said once; the next commit that lands says there is room', async () => {
		const log = { error: vi.fn(), log: vi.fn() };
		live = new SqliteLiveRooms(db, 30, new DiskSpace(dir, log));
		const changes: boolean[] = [];
		live.disk.onChange((full) => changes.push(full));
		// Long ids: 400 of them take pages the file does not have yet.
		const answers = (from: number) =>
			Array.from({ length: 400 }, (_, i) => liveAnswer(`p-${from + i}-${'x'.repeat(200)}`, 0));
		const answersOnDisk = () =>
			inspector.prepare('SELECT count(*) FROM live_answers').pluck().get();
		// No page more than the file has: SQLite's own SQLITE_FULL, as a full disk gives it.
		const pages = db.pragma('page_count', { simple: true }) as number;
		db.pragma(`max_page_count = ${pages}`);
		live.saveRoom(room('111111', snapshotAt(0)), T0, { shared: true });
		const first = live.addAnswers('111111', answers(0));
		const second = live.addAnswers('222222', answers(1000));
		expect(await first).toBe(false);
		expect(await second).toBe(false);
		expect(live.disk.full).toBe(true);
		expect(log.error).toHaveBeenCalledTimes(1);
		expect(String(log.error.mock.calls[0])).toContain(`Free space on ${dir}`);
		expect(answersOnDisk()).toBe(0);

		db.pragma(`max_page_count = ${pages * 100}`);
		await live.addAnswers('111111', answers(3000));
		expect(live.disk.full).toBe(false);
		expect(changes).toEqual([true, false]);
		expect(String(log.log.mock.calls[0])).toContain(`There is room on ${dir} again`);
		expect(answersOnDisk()).toBe(400);
		expect(db.pragma('quick_check', { simple: true })).toBe('ok');
	});
});
