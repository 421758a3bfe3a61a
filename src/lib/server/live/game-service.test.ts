/**
 * The GameService's part in keeping games alive across restarts, with the in-memory store and
 * a fake clock: what it writes (a game at creation and at every phase change, each join, each
 * answer before its acknowledgement), how a second service on the same store picks the games
 * up (`restore`), what a clean `shutdown` does, and how abandoned and ended games are put away.
 * A "crash" is simply a second service opened on the store the first one was writing to.
 */
import { FakeClock } from '../../testing/fake-clock.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
	CloseCode,
	DEFAULT_GAME_OPTIONS,
	type ClientMessage,
	type GameOptions,
	type Quiz,
	type ServerMessage
} from '../../protocol/index.ts';
import { GameService, type GameServiceConfig } from './game-service.ts';
import type { Room, RoomSocket, Seat } from './room.ts';
import type { GameRecord } from '../../game/record.ts';
import { StoreUnavailableError } from '../storage/errors.ts';
import { DiskSpace } from '../storage/disk-full.ts';
import { MemoryLiveRooms, RoomToSave } from '../storage/live-rooms.ts';
import { MemoryStorage } from '../storage/memory.ts';

// ---------------------------------------------------------------------------------------------
// Fakes (as in room.test.ts)

/** Records every frame and every close; `onSend` looks at the world as each frame goes out. */
class FakeSocket implements RoomSocket {
	readonly messages: ServerMessage[] = [];
	readonly closes: { code: number; reason: string }[] = [];
	onSend?: (message: ServerMessage) => void;

	send(text: string): void {
		const message = JSON.parse(text) as ServerMessage;
		this.onSend?.(message);
		this.messages.push(message);
	}

	close(code: number, reason: string): void {
		this.closes.push({ code, reason });
	}

	ofType<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
		return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
	}

	get state(): Extract<ServerMessage, { type: 'state' }> {
		return this.ofType('state').at(-1)!;
	}
}

// ---------------------------------------------------------------------------------------------
// Setup

const QUIZ: Quiz = {
	version: 1,
	id: 'service-test',
	title: 'Service test',
	description: '',
	questions: [
		{
			type: 'quiz',
			text: 'Which is blue?',
			options: ['Sky', 'Grass', 'Sun', 'Snow'],
			correct: [0],
			timeLimit: 20,
			points: 'standard'
		},
		{
			type: 'quiz',
			text: 'Which is green?',
			options: ['Sky', 'Grass'],
			correct: [1],
			timeLimit: 20,
			points: 'standard'
		}
	]
};

const RIGHT = [0, 1];
const WRONG = [1, 0];

const START = 1_700_000_000_000;

async function service(
	storage = new MemoryStorage(),
	clock = new FakeClock(START),
	config: Partial<GameServiceConfig> = {}
) {
	if (!(await storage.getQuiz(QUIZ.id))) await storage.saveQuiz(QUIZ, clock.now());
	const games = new GameService({ storage, clock, ...config });
	return { games, storage, clock };
}

/** A socket sitting in a seat: what a browser with that token would be. */
interface Client {
	seat: Seat;
	room: Room;
	socket: FakeSocket;
	send(message: ClientMessage): void;
	leave(): void;
}

function connect(games: GameService, token: string): Client {
	const found = games.seatFor(token);
	if (!found) throw new Error('token refused');
	const socket = new FakeSocket();
	found.room.connect(found.seat, socket);
	return {
		...found,
		socket,
		send: (message) => found.room.handleMessage(found.seat, socket, message),
		leave: () => found.room.disconnect(found.seat, socket)
	};
}

async function createGame(games: GameService, options: Partial<GameOptions> = {}) {
	const created = await games.createGame(QUIZ.id, {
		...DEFAULT_GAME_OPTIONS,
		introSeconds: 0,
		...options
	});
	if (!created.ok) throw new Error(created.message);
	return created;
}

function join(games: GameService, pin: string, nickname: string) {
	const joined = games.join(pin, nickname);
	if (!joined.ok) throw new Error(joined.message);
	return joined;
}

/** A game with a connected host and players, started: the first question is open. */
async function startedGame(games: GameService, ...nicknames: string[]) {
	const { pin, hostToken } = await createGame(games);
	const seats = nicknames.map((nickname) => join(games, pin, nickname));
	const host = connect(games, hostToken);
	const players = seats.map((seat) => connect(games, seat.token));
	host.send({ type: 'start' });
	expect(games.room(pin)!.phase).toBe('open');
	return { pin, hostToken, seats, host, players, room: games.room(pin)! };
}

function answer(client: Client, choice: number): void {
	client.send({ type: 'answer', questionIndex: client.room.state.questionIndex, choice });
}

afterEach(() => {
	vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------

describe('what is written while a game runs', () => {
	test('a game is on record from its creation, with its host token', async () => {
		const { games, storage } = await service();
		const { pin, hostToken } = await createGame(games);
		const room = games.room(pin)!;
		expect(storage.live.list()).toEqual([
			expect.objectContaining({
				pin,
				gameId: room.gameId,
				hostToken,
				createdAt: START,
				savedAt: START,
				players: [],
				answers: [],
				snapshot: expect.objectContaining({ phase: 'lobby', questionIndex: -1, players: [] })
			})
		]);
	});

	test('every join is logged with the player’s token before the join returns', async () => {
		const { games, storage } = await service();
		const { pin } = await createGame(games);
		const ana = join(games, pin, ' Ana ');
		const ben = join(games, pin, 'Ben');
		expect(storage.live.list()[0]!.players).toEqual([
			{
				id: ana.playerId,
				token: ana.token,
				nickname: 'Ana',
				joinOrder: 0,
				firstQuestion: 0,
				device: null
			},
			{
				id: ben.playerId,
				token: ben.token,
				nickname: 'Ben',
				joinOrder: 1,
				firstQuestion: 0,
				device: null
			}
		]);
	});

	test('a snapshot is written at every phase change', async () => {
		const { games, storage, clock } = await service();
		const { host } = await startedGame(games, 'Ana');
		const phase = () => storage.live.list()[0]!.snapshot.phase;
		expect(phase()).toBe('open');
		clock.advance(20_000);
		expect(phase()).toBe('reveal');
		host.send({ type: 'next' });
		expect(phase()).toBe('scoreboard');
		expect(storage.live.list()[0]!.savedAt).toBe(START + 20_000);
	});

	test('an answer is logged before its acknowledgement goes out', async () => {
		const { games, storage, clock } = await service();
		const { pin, players, seats } = await startedGame(games, 'Ana', 'Ben');
		const [ana] = players;
		let loggedAtAck: unknown = null;
		ana!.socket.onSend = (message) => {
			if (message.type === 'answer-ack') loggedAtAck = storage.live.list()[0]!.answers;
		};
		clock.advance(1500);
		answer(ana!, 2);
		expect(ana!.socket.ofType('answer-ack')).toHaveLength(1);
		expect(loggedAtAck).toEqual([
			{
				questionIndex: 0,
				playerId: seats[0]!.playerId,
				answer: { input: { choice: 2 }, given: { kind: 'choice', index: 2 }, elapsedMs: 1500 },
				receivedAt: START + 1500
			}
		]);
		// Refused answers are not logged.
		answer(ana!, 1);
		expect(storage.live.list().find((r) => r.pin === pin)!.answers).toHaveLength(1);
	});

	test('a kicked player is struck off, and their token stops working', async () => {
		const { games, storage } = await service();
		const { pin, hostToken } = await createGame(games);
		const ana = join(games, pin, 'Ana');
		const ben = join(games, pin, 'Ben');
		const host = connect(games, hostToken);
		host.send({ type: 'kick', playerId: ana.playerId });
		expect(storage.live.list()[0]!.players.map((p) => p.id)).toEqual([ben.playerId]);
		expect(games.seatFor(ana.token)).toBeNull();
		expect(games.wasRemoved(ana.token)).toBe(true);
		expect(games.wasRemoved(ben.token)).toBe(false);
	});

	test('markAlive stamps the live games', async () => {
		const { games, storage, clock } = await service();
		await createGame(games);
		clock.advance(2000);
		games.markAlive();
		expect(storage.live.list()[0]).toMatchObject({ savedAt: START, aliveAt: START + 2000 });
	});
});

// ---------------------------------------------------------------------------------------------

describe('restore after a crash', () => {
	const DOWNTIME = 60_000;
	const GRACE = 3000;

	/**
	 * Question 1 revealed (Ana right, Ben wrong), question 2 open with Ana's answer in, Cy late
	 * to the party; then the process dies without a word.
	 */
	async function crashMidQuestion() {
		const first = await service(undefined, undefined, { resumeGraceMs: GRACE });
		const game = await startedGame(first.games, 'Ana', 'Ben');
		const [ana, ben] = game.players;
		first.clock.advance(300);
		answer(ana!, RIGHT[0]!);
		answer(ben!, WRONG[0]!);
		expect(game.room.phase).toBe('reveal');
		const cy = join(first.games, game.pin, 'Cy');
		game.host.send({ type: 'next' });
		game.host.send({ type: 'next' });
		expect(game.room.phase).toBe('open');
		const openedAt = first.clock.now();
		first.clock.advance(4000);
		answer(ana!, RIGHT[1]!);
		first.clock.advance(500);
		const before = structuredClone(game.room.state);
		const crashAt = first.clock.now();

		const clock = new FakeClock(crashAt + DOWNTIME);
		const second = await service(first.storage, clock, { resumeGraceMs: GRACE });
		return { first, game, cy, before, openedAt, crashAt, clock, games: second.games };
	}

	test('puts the game back under the same PIN, with every seat’s token', async () => {
		const { game, cy, games } = await crashMidQuestion();
		expect(games.restore()).toBe(1);
		expect(games.roomCount).toBe(1);
		const room = games.room(game.pin)!;
		expect(room.gameId).toBe(game.room.gameId);
		expect(games.seatFor(game.hostToken)).toEqual({ room, seat: { role: 'host' } });
		for (const seat of [...game.seats, cy]) {
			expect(games.seatFor(seat.token)).toEqual({
				room,
				seat: { role: 'player', playerId: seat.playerId }
			});
		}
		expect(games.seatFor('made-up')).toBeNull();
	});

	test('keeps the scores and the open question’s answers', async () => {
		const { before, games, game } = await crashMidQuestion();
		games.restore();
		const state = games.room(game.pin)!.state;
		expect(state.phase).toBe('open');
		expect(state.questionIndex).toBe(1);
		const scores = (s: typeof state) =>
			[...s.players.values()].map((p) => [p.nickname, p.score, p.streak, p.rank]);
		expect(scores(state)).toEqual(scores(before));
		expect(scores(state)).toEqual([
			['Ana', 1000, 1, 1],
			['Ben', 0, 0, 2],
			['Cy', 0, 0, null]
		]);
		expect([...state.round!.answers]).toEqual([...before.round!.answers]);
		expect(state.round!.distribution).toEqual([0, 1]);
		expect(state.history).toEqual(before.history);
		// Everyone starts out disconnected, and shows so on the projector.
		const host = connect(games, game.hostToken);
		expect(host.socket.state).toMatchObject({
			view: { phase: 'open' },
			answeredCount: 1,
			players: [
				{ nickname: 'Ana', connected: false },
				{ nickname: 'Ben', connected: false },
				{ nickname: 'Cy', connected: false }
			]
		});
	});

	test('a player back on the same token gets their answer in the snapshot', async () => {
		const { games, game } = await crashMidQuestion();
		games.restore();
		const ana = connect(games, game.seats[0]!.token);
		expect(ana.socket.state).toMatchObject({
			role: 'player',
			pin: game.pin,
			view: { phase: 'open', question: { index: 1 } },
			you: { nickname: 'Ana', score: 1000, currentAnswer: { choice: RIGHT[1] } }
		});
		answer(ana, 0);
		expect(ana.socket.ofType('error').at(-1)).toMatchObject({ code: 'already-answered' });
	});

	test('the downtime plus the reconnect grace is added to the question’s times', async () => {
		const { before, games, game, crashAt, clock } = await crashMidQuestion();
		const aliveAt = before.round!.opensAt; // the last write: the question's opening
		games.restore();
		const round = games.room(game.pin)!.state.round!;
		const pausedMs = clock.now() - aliveAt + GRACE;
		expect(round.opensAt).toBe(before.round!.opensAt + pausedMs);
		expect(round.closesAt).toBe(before.round!.closesAt + pausedMs);
		// Nobody loses time: what was left at the crash, and then some.
		const leftAtCrash = before.round!.closesAt - crashAt;
		expect(round.closesAt - clock.now()).toBeGreaterThanOrEqual(leftAtCrash + GRACE);
	});

	test('with a recent markAlive, exactly the downtime plus the grace is given back', async () => {
		const first = await service(undefined, undefined, { resumeGraceMs: GRACE });
		const game = await startedGame(first.games, 'Ana', 'Ben');
		first.clock.advance(7000);
		first.games.markAlive();
		const { opensAt, closesAt } = game.room.state.round!;
		const clock = new FakeClock(first.clock.now() + DOWNTIME);
		const { games } = await service(first.storage, clock, { resumeGraceMs: GRACE });
		games.restore();
		const round = games.room(game.pin)!.state.round!;
		expect(round.opensAt).toBe(opensAt + DOWNTIME + GRACE);
		expect(round.closesAt).toBe(closesAt + DOWNTIME + GRACE);
		expect(round.closesAt - clock.now()).toBe(13_000 + GRACE);
	});

	test('a countdown (intro) is moved the same way', async () => {
		const first = await service(undefined, undefined, { resumeGraceMs: GRACE });
		const { pin, hostToken } = (await first.games.createGame(QUIZ.id, { introSeconds: 5 })) as {
			pin: string;
			hostToken: string;
		};
		join(first.games, pin, 'Ana');
		connect(first.games, hostToken).send({ type: 'start' });
		first.clock.advance(2000);
		const opensAt = first.games.room(pin)!.state.round!.opensAt;
		const clock = new FakeClock(first.clock.now() + DOWNTIME);
		const { games } = await service(first.storage, clock, { resumeGraceMs: GRACE });
		games.restore();
		expect(games.room(pin)!.phase).toBe('intro');
		expect(games.room(pin)!.state.round!.opensAt).toBe(opensAt + DOWNTIME + 2000 + GRACE);
		clock.advance(3000 + GRACE - 1 + 2000);
		expect(games.room(pin)!.phase).toBe('intro');
		clock.advance(1);
		expect(games.room(pin)!.phase).toBe('open');
	});

	test('the restored question does not close early before anyone is back', async () => {
		const { games, game, clock } = await crashMidQuestion();
		games.restore();
		const room = games.room(game.pin)!;
		const closesAt = room.state.round!.closesAt;
		// Ana (who answered) comes back and drops again: nobody who owes an answer is here, but
		// nobody is here at all either, so the question waits.
		const ana = connect(games, game.seats[0]!.token);
		ana.leave();
		expect(room.phase).toBe('open');
		clock.advance(closesAt - clock.now() - 1000);
		expect(room.phase).toBe('open');
		// Ben comes back and answers: now everyone connected has, and it closes before time.
		const host = connect(games, game.hostToken);
		const ben = connect(games, game.seats[1]!.token);
		answer(ben, RIGHT[1]!);
		expect(room.phase).toBe('reveal');
		expect(clock.now()).toBeLessThan(closesAt);
		expect(host.socket.ofType('phase').at(-1)).toMatchObject({
			phase: 'reveal',
			distribution: [0, 2]
		});
	});

	test('the restored question closes at its moved deadline if nobody comes back', async () => {
		const { games, game, clock } = await crashMidQuestion();
		games.restore();
		const room = games.room(game.pin)!;
		const closesAt = room.state.round!.closesAt;
		clock.advance(closesAt - clock.now() - 1);
		expect(room.phase).toBe('open');
		clock.advance(1);
		expect(room.phase).toBe('reveal');
		// Ana's answer from before the crash scored.
		expect(room.state.players.get(game.seats[0]!.playerId)!.score).toBeGreaterThan(1000);
	});

	test('the restored game takes new players and finishes with one report', async () => {
		const { games, game } = await crashMidQuestion();
		games.restore();
		expect(games.join(game.pin, 'ana')).toMatchObject({ ok: false, code: 'nickname-taken' });
		const dee = join(games, game.pin, 'Dee');
		expect(games.room(game.pin)!.state.players.get(dee.playerId)!.joinOrder).toBe(3);
		const host = connect(games, game.hostToken);
		const ben = connect(games, game.seats[1]!.token);
		answer(ben, WRONG[1]!);
		host.send({ type: 'next' });
		host.send({ type: 'next' });
		expect(games.room(game.pin)!.phase).toBe('podium');
		const reports = await games.storage.listGames();
		expect(reports).toHaveLength(1);
		expect(await games.storage.getGame(game.room.gameId)).toMatchObject({
			finished: true,
			rounds: [{ questionIndex: 0 }, { questionIndex: 1 }]
		});
	});

	test('a kicked player stays out after the restart', async () => {
		const first = await service();
		const { pin, hostToken } = await createGame(first.games);
		const ana = join(first.games, pin, 'Ana');
		const ben = join(first.games, pin, 'Ben');
		connect(first.games, hostToken).send({ type: 'kick', playerId: ana.playerId });
		const { games } = await service(first.storage, new FakeClock(START + 1000));
		games.restore();
		expect(games.seatFor(ana.token)).toBeNull();
		expect(games.seatFor(ben.token)).not.toBeNull();
		expect([...games.room(pin)!.state.players.keys()]).toEqual([ben.playerId]);
	});

	test('a kicked browser and a locked lobby stay so after the restart', async () => {
		const first = await service();
		const { pin, hostToken } = await createGame(first.games);
		// Ana joined after the last snapshot: her browser comes from the join log.
		const ana = first.games.join(pin, 'Ana', { device: 'ana-browser' });
		if (!ana.ok) throw new Error(ana.message);
		const host = connect(first.games, hostToken);
		host.send({ type: 'kick', playerId: ana.playerId });
		host.send({ type: 'lock', locked: true });
		const { games } = await service(first.storage, new FakeClock(START + 1000));
		games.restore();
		expect(games.join(pin, 'Ana again', { device: 'ana-browser' })).toMatchObject({
			ok: false,
			code: 'banned'
		});
		expect(games.join(pin, 'Ben', { device: 'ben-browser' })).toMatchObject({
			ok: false,
			code: 'game-locked'
		});
		connect(games, hostToken).send({ type: 'lock', locked: false });
		expect(games.join(pin, 'Ben', { device: 'ben-browser' })).toMatchObject({ ok: true });
	});

	test('one unreadable game does not keep the others down', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const first = await service();
		const good = await createGame(first.games);
		first.storage.live.saveRoom(
			new RoomToSave({
				pin: '999999',
				gameId: 'broken',
				hostToken: 'broken-host',
				hostId: null,
				createdAt: START,
				snapshot: { phase: 'open' } as never
			}),
			START
		);
		const { games } = await service(first.storage, new FakeClock(START + 1000));
		expect(games.restore()).toBe(1);
		expect(games.room(good.pin)).toBeDefined();
		expect(games.room('999999')).toBeUndefined();
		expect(games.seatFor('broken-host')).toBeNull();
		expect(error).toHaveBeenCalledWith(expect.stringContaining('999999'), expect.anything());
	});
});

// ---------------------------------------------------------------------------------------------

describe('shutdown', () => {
	test('refuses new games and players, writes every room, and tells every socket to come back', async () => {
		const { games, storage, clock } = await service();
		const lobby = await createGame(games);
		join(games, lobby.pin, 'Lia');
		const lobbyHost = connect(games, lobby.hostToken);
		const running = await startedGame(games, 'Ana', 'Ben');
		clock.advance(1200);
		answer(running.players[0]!, 0);
		clock.advance(300);

		games.shutdown();

		expect(await games.createGame(QUIZ.id)).toMatchObject({ ok: false, code: 'shutting-down' });
		expect(games.join(lobby.pin, 'Late')).toMatchObject({ ok: false, code: 'shutting-down' });
		for (const client of [lobbyHost, running.host, ...running.players]) {
			expect(client.socket.messages.at(-1)).toMatchObject({ type: 'closed', reason: 'shutdown' });
			expect(client.socket.closes).toEqual([
				{ code: CloseCode.shutdown, reason: expect.any(String) }
			]);
		}
		expect(CloseCode.shutdown).toBe(1012);
		expect(games.roomCount).toBe(0);
		expect(games.seatFor(running.hostToken)).toBeNull();
		expect(clock.pending).toBe(0);

		const records = storage.live.list();
		expect(records.map((r) => r.pin).sort()).toEqual([lobby.pin, running.pin].sort());
		const written = records.find((r) => r.pin === running.pin)!;
		// The snapshot is as of the shutdown: the answer is in it, not only in the answer log.
		expect(written).toMatchObject({ savedAt: START + 1500, aliveAt: START + 1500 });
		expect(written.snapshot.round!.answers).toEqual([
			[running.seats[0]!.playerId, expect.objectContaining({ elapsedMs: 1200 })]
		]);

		// Sockets closing afterwards change nothing.
		for (const client of running.players) client.leave();
		expect(storage.live.list()).toEqual(records);
	});

	test('the next start resumes the games with the downtime and grace given back', async () => {
		const first = await service(undefined, undefined, { resumeGraceMs: 2000 });
		const running = await startedGame(first.games, 'Ana', 'Ben');
		first.clock.advance(5000);
		answer(running.players[0]!, 0);
		const { closesAt } = running.room.state.round!;
		first.games.shutdown();
		const clock = new FakeClock(first.clock.now() + 30_000);
		const { games } = await service(first.storage, clock, { resumeGraceMs: 2000 });
		expect(games.restore()).toBe(1);
		const round = games.room(running.pin)!.state.round!;
		expect(round.closesAt).toBe(closesAt + 32_000);
		expect(round.answers.size).toBe(1);
	});
});

// ---------------------------------------------------------------------------------------------

describe('putting games away', () => {
	const ABANDONED = 60 * 60_000;

	test('an abandoned room is saved as an unfinished report and removed', async () => {
		const { games, storage, clock } = await service(undefined, undefined, {
			abandonedRoomMs: ABANDONED
		});
		const game = await startedGame(games, 'Ana', 'Ben');
		for (const player of game.players) answer(player, 0);
		expect(game.room.phase).toBe('reveal');
		for (const client of [...game.players, game.host]) client.leave();
		clock.advance(ABANDONED);
		games.sweep();
		expect(games.roomCount).toBe(1);

		clock.advance(1);
		games.sweep();
		expect(games.roomCount).toBe(0);
		expect(games.room(game.pin)).toBeUndefined();
		expect(games.seatFor(game.hostToken)).toBeNull();
		expect(games.seatFor(game.seats[0]!.token)).toBeNull();
		expect(storage.live.list()).toEqual([]);
		expect(await storage.getGame(game.room.gameId)).toMatchObject({
			finished: false,
			rounds: [{ questionIndex: 0 }]
		});
	});

	test('a room with anyone connected is not abandoned', async () => {
		const { games, storage, clock } = await service(undefined, undefined, {
			abandonedRoomMs: ABANDONED
		});
		const withPlayer = await startedGame(games, 'Ana');
		withPlayer.host.leave();
		const withHost = await startedGame(games, 'Ben');
		withHost.players[0]!.leave();
		clock.advance(3 * ABANDONED);
		games.sweep();
		expect(games.roomCount).toBe(2);
		expect(storage.live.list()).toHaveLength(2);
		expect(await storage.listGames()).toEqual([]);
	});

	test('a room nobody ever connected to counts as abandoned from its creation', async () => {
		const { games, storage, clock } = await service(undefined, undefined, {
			abandonedRoomMs: ABANDONED
		});
		const { pin } = await createGame(games);
		join(games, pin, 'Ana');
		clock.advance(ABANDONED + 1);
		games.sweep();
		expect(games.roomCount).toBe(0);
		expect(storage.live.list()).toEqual([]);
		// Nothing was played: no report.
		expect(await storage.listGames()).toEqual([]);
	});

	test('a restored room nobody returns to is put away after the same time', async () => {
		const first = await service(undefined, undefined, { abandonedRoomMs: ABANDONED });
		const game = await startedGame(first.games, 'Ana');
		answer(game.players[0]!, 0);
		const clock = new FakeClock(first.clock.now() + 10_000);
		const { games, storage } = await service(first.storage, clock, { abandonedRoomMs: ABANDONED });
		games.restore();
		clock.advance(ABANDONED + 1);
		games.sweep();
		expect(games.roomCount).toBe(0);
		expect(storage.live.list()).toEqual([]);
		expect(await storage.getGame(game.room.gameId)).toMatchObject({ finished: false });
	});

	test('a game the host ends leaves its report and no live record', async () => {
		const { games, storage } = await service();
		const game = await startedGame(games, 'Ana');
		answer(game.players[0]!, 0);
		game.host.send({ type: 'next' });
		game.host.send({ type: 'end' });
		expect(storage.live.list()).toEqual([]);
		expect(games.roomCount).toBe(0);
		expect(games.seatFor(game.seats[0]!.token)).toBeNull();
		expect(await storage.getGame(game.room.gameId)).toMatchObject({ finished: false });
		// After a restart there is nothing to pick up.
		expect((await service(storage)).games.restore()).toBe(0);
	});

	test('a game at the podium has its report; swept later, its live record goes too', async () => {
		const { games, storage, clock } = await service(undefined, undefined, {
			endedRoomTtlMs: 60_000
		});
		const game = await startedGame(games, 'Ana');
		for (const choice of RIGHT) {
			answer(game.players[0]!, choice);
			game.host.send({ type: 'next' });
			game.host.send({ type: 'next' });
		}
		expect(game.room.phase).toBe('podium');
		expect(await storage.getGame(game.room.gameId)).toMatchObject({ finished: true });
		clock.advance(60_001);
		games.sweep();
		expect(games.roomCount).toBe(0);
		expect(storage.live.list()).toEqual([]);
		expect(game.players[0]!.socket.closes).toEqual([
			{ code: CloseCode.ended, reason: expect.any(String) }
		]);
	});
});

describe('a host’s account deleted', () => {
	async function hostedBy(games: GameService, hostId: string) {
		const created = await games.createGame(
			QUIZ.id,
			{ ...DEFAULT_GAME_OPTIONS, introSeconds: 0 },
			{ hostId }
		);
		if (!created.ok) throw new Error(created.message);
		const seat = join(games, created.pin, 'Ana');
		const host = connect(games, created.hostToken);
		const player = connect(games, seat.token);
		host.send({ type: 'start' });
		answer(player, 0);
		expect(games.room(created.pin)!.phase).toBe('reveal');
		return { pin: created.pin, room: games.room(created.pin)!, player };
	}

	const dave = { accountId: 'dave', admin: false, sessionId: 's-dave' };
	const carol = { accountId: 'carol', admin: false, sessionId: 's-carol' };

	test('handed to an heir: the heir takes the host seat, now and after a restart', async () => {
		const { games, storage, clock } = await service();
		const game = await hostedBy(games, 'dave');
		const other = await hostedBy(games, 'someone-else');
		expect(games.hostSeat(game.pin, carol)).toBeNull();

		expect(games.hostRemoved('dave', 'carol')).toBe(1);
		expect(games.hostSeat(game.pin, carol)).toBe(game.room.hostToken);
		expect(games.hostSeat(game.pin, dave)).toBeNull();
		expect(games.room(other.pin)!.hostId).toBe('someone-else');
		expect(game.room.phase).toBe('reveal');
		expect(game.player.socket.closes).toEqual([]);
		expect(storage.live.list().find((record) => record.pin === game.pin)?.hostId).toBe('carol');

		const restarted = await service(storage, new FakeClock(clock.now() + 1000));
		restarted.games.restore();
		expect(restarted.games.hostSeat(game.pin, carol)).toBe(game.room.hostToken);
	});

	test('deleted with its things: its games end at once, phones told, and leave no report', async () => {
		const { games, storage } = await service();
		const game = await hostedBy(games, 'eve');
		const other = await hostedBy(games, 'someone-else');

		expect(games.hostRemoved('eve', null)).toBe(1);
		expect(games.room(game.pin)).toBeUndefined();
		expect(game.player.socket.ofType('closed')).toEqual([
			expect.objectContaining({ reason: 'ended' })
		]);
		expect(game.player.socket.closes).toEqual([
			{ code: CloseCode.ended, reason: expect.any(String) }
		]);
		expect(games.checkPin(game.pin).ok).toBe(false);
		expect(storage.live.list().map((record) => record.pin)).toEqual([other.pin]);
		await Promise.resolve();
		expect(await storage.getGame(game.room.gameId)).toBeNull();
		expect(games.room(other.pin)!.phase).toBe('reveal');
	});
});

describe('a store that fails', () => {
	/** Reports and "last played" cannot be written: the store is down, say. */
	class FailingStorage extends MemoryStorage {
		override async saveGame(): Promise<void> {
			throw new Error('store is down');
		}
		override async markQuizPlayed(): Promise<void> {
			throw new Error('store is down');
		}
	}

	test('costs the report and the "last played" stamp, logged, and the game plays on', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const { games } = await service(new FailingStorage());
		const game = await startedGame(games, 'Ana');
		for (const choice of RIGHT) {
			answer(game.players[0]!, choice);
			game.host.send({ type: 'next' });
			game.host.send({ type: 'next' });
		}
		expect(game.room.phase).toBe('podium');
		expect(game.players[0]!.socket.ofType('phase').at(-1)).toMatchObject({ phase: 'podium' });
		// Not awaited by the room: the failures arrive a moment later, as log lines (an unhandled
		// rejection would fail this test run).
		await vi.waitFor(() => {
			expect(error).toHaveBeenCalledWith(
				expect.stringContaining(`Could not save the report of game ${game.pin}`),
				expect.objectContaining({ message: 'store is down' })
			);
			expect(error).toHaveBeenCalledWith(
				expect.stringContaining(`Could not mark quiz ${QUIZ.id} played`),
				expect.objectContaining({ message: 'store is down' })
			);
		});
	});
});

describe('a full disk', () => {
	const diskFull = () =>
		Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

	/** The node's live store on a disk that can fill up: every write then refused, as SQLite does. */
	class LiveOnSmallDisk extends MemoryLiveRooms {
		full = false;
		readonly log = { error: vi.fn(), log: vi.fn() };
		readonly disk = new DiskSpace('/data', this.log);
		override saveRoom(...args: Parameters<MemoryLiveRooms['saveRoom']>): void {
			this.check();
			super.saveRoom(...args);
			this.disk.stored();
		}
		override addPlayer(...args: Parameters<MemoryLiveRooms['addPlayer']>): void {
			this.check();
			super.addPlayer(...args);
		}
		override addAnswers(...args: Parameters<MemoryLiveRooms['addAnswers']>): void {
			this.check();
			super.addAnswers(...args);
		}
		override markAlive(now: number): void {
			this.check();
			super.markAlive(now);
		}
		override removeRoom(pin: string): void {
			this.check();
			super.removeRoom(pin);
		}
		override removePlayer(pin: string, playerId: string): void {
			this.check();
			super.removePlayer(pin, playerId);
		}
		private check(): void {
			if (this.full) throw diskFull();
		}
	}

	/** The record in the same SQLite file: it fills up with it. */
	class StorageOnSmallDisk extends MemoryStorage {
		override readonly live = new LiveOnSmallDisk();
		override async saveGame(record: GameRecord): Promise<void> {
			if (this.live.full) throw diskFull();
			return super.saveGame(record);
		}
		override async markQuizPlayed(id: string, at: number): Promise<void> {
			if (this.live.full) throw diskFull();
			return super.markQuizPlayed(id, at);
		}
	}

	const settle = () => new Promise((resolve) => setImmediate(resolve));

	test('the game plays on; the host is told results cannot be saved; with room again all is written, the report too', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		vi.spyOn(console, 'log').mockImplementation(() => {});
		const storage = new StorageOnSmallDisk();
		const { games, clock } = await service(storage, new FakeClock(START), {
			recordIsLocal: true,
			reportRetryMs: 1000
		});
		const game = await startedGame(games, 'Ana', 'Ben');
		const [ana, ben] = game.players as [Client, Client];
		storage.live.full = true;

		answer(ana, 0);
		answer(ben, 1);
		// They count: the reveal came, Ana scored. Their acknowledgements say they are not stored.
		expect(game.room.phase).toBe('reveal');
		expect(ana.socket.ofType('answer-ack')[0]!.stored).toBe(false);
		expect(game.room.state.players.get(game.seats[0]!.playerId)!.score).toBeGreaterThan(0);
		expect(game.host.socket.ofType('report').map((m) => m.status)).toEqual(['disk-full']);
		// A player joining meanwhile plays; the alive stamp does not throw out of its timer.
		const cy = join(games, game.pin, 'Cy');
		games.markAlive();
		game.host.send({ type: 'next' });
		game.host.send({ type: 'next' });
		expect(game.room.phase).toBe('open');
		answer(ana, 1);
		answer(ben, 0);
		// Cy's seat is not claimed yet: the question waits for Cy until the host moves on.
		for (let i = 0; i < 3 && game.room.phase !== 'podium'; i++) game.host.send({ type: 'next' });
		expect(game.room.phase).toBe('podium');
		await settle();
		expect(game.host.socket.ofType('report').map((m) => m.status)).toEqual([
			'disk-full',
			'saving',
			'disk-full'
		]);
		// Said once, with where to free space; nothing else logged.
		expect(storage.live.log.error).toHaveBeenCalledTimes(1);
		expect(String(storage.live.log.error.mock.calls[0])).toContain('Free space on /data');
		expect(error).not.toHaveBeenCalled();
		// Tried again with a growing delay, while the disk stays full.
		clock.advance(1000 + 2000 + 4000);
		await settle();
		expect(await storage.listGames()).toHaveLength(0);

		storage.live.full = false;
		clock.advance(8000);
		await settle();
		clock.advance(0);
		await settle();
		expect(game.host.socket.ofType('report').at(-1)).toEqual({
			type: 'report',
			reportId: game.room.gameId,
			status: 'saved'
		});
		expect(await storage.listGames()).toHaveLength(1);
		// The game as it is now, and the seat the disk refused, are on record for a restart.
		const [record] = storage.live.list();
		expect(record!.snapshot.phase).toBe('podium');
		expect(record!.players.map((player) => player.token)).toContain(cy.token);
		expect(String(storage.live.log.log.mock.calls[0])).toContain('There is room on /data again');
	});

	test('a kick and a game ended on a full disk are written once there is room: a restart brings neither back', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const storage = new StorageOnSmallDisk();
		const { games, clock } = await service(storage, new FakeClock(START), { reportRetryMs: 1000 });
		const kept = await startedGame(games, 'Ana', 'Ben');
		const ended = await startedGame(games, 'Cy');
		storage.live.full = true;
		kept.host.send({ type: 'kick', playerId: kept.seats[1]!.playerId });
		ended.host.send({ type: 'end' });
		expect(games.room(ended.pin)).toBeUndefined();
		expect(storage.live.list().map((record) => record.pin)).toContain(ended.pin);
		storage.live.full = false;
		clock.advance(1000);
		clock.advance(0);
		const records = storage.live.list();
		expect(records.map((record) => record.pin)).toEqual([kept.pin]);
		expect(records[0]!.players.map((player) => player.nickname)).toEqual(['Ana']);
	});

	test('a game in progress is told when there is room again; a new game on a full disk plays, its host told', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const storage = new StorageOnSmallDisk();
		const { games, clock } = await service(storage, new FakeClock(START), { reportRetryMs: 1000 });
		const game = await startedGame(games, 'Ana');
		storage.live.full = true;
		const other = await createGame(games);
		const otherHost = connect(games, other.hostToken);
		expect(otherHost.socket.ofType('report').map((m) => m.status)).toEqual(['disk-full']);
		answer(game.players[0]!, 0);
		expect(game.host.socket.ofType('report').map((m) => m.status)).toEqual(['disk-full']);
		storage.live.full = false;
		clock.advance(1000);
		clock.advance(0);
		for (const host of [game.host, otherHost]) {
			expect(host.socket.ofType('report').map((m) => m.status)).toEqual(['disk-full', 'saving']);
		}
		expect(
			storage.live
				.list()
				.map((record) => record.pin)
				.sort()
		).toEqual([game.pin, other.pin].sort());
	});
});

describe('reports on their way to the store', () => {
	/** A record store that can be taken down, as PostgreSQL behind DATABASE_URL can. */
	class StoreThatGoesDown extends MemoryStorage {
		down = false;
		override async saveGame(record: GameRecord): Promise<void> {
			if (this.down) throw new StoreUnavailableError(new Error('ECONNREFUSED'));
			return super.saveGame(record);
		}
	}

	/** Both questions played by Ana: the game is on its podium. */
	async function playedToPodium(games: GameService) {
		const game = await startedGame(games, 'Ana');
		for (const choice of RIGHT) {
			answer(game.players[0]!, choice);
			game.host.send({ type: 'next' });
			game.host.send({ type: 'next' });
		}
		expect(game.room.phase).toBe('podium');
		return game;
	}

	const settle = () => new Promise((resolve) => setImmediate(resolve));
	const reportSteps = (client: Client) =>
		client.socket.ofType('report').map((message) => message.status);

	test('the host sees the report being saved, then saved, with its address', async () => {
		const { games, storage } = await service();
		const game = await playedToPodium(games);
		await settle();
		expect(game.host.socket.ofType('report')).toEqual([
			{ type: 'report', reportId: game.room.gameId, status: 'saving' },
			{ type: 'report', reportId: game.room.gameId, status: 'saved' }
		]);
		// Right after the podium itself.
		expect(game.host.socket.messages.at(-3)).toMatchObject({ type: 'phase', phase: 'podium' });
		expect(storage.live.heldReports()).toEqual([]);
		// Only the host hears of it.
		expect(game.players[0]!.socket.ofType('report')).toEqual([]);
		// A host screen opened again on the podium is told too, after its snapshot.
		const again = connect(games, game.hostToken);
		expect(again.socket.messages.map((message) => message.type)).toEqual(['state', 'report']);
		expect(again.socket.ofType('report')[0]!.status).toBe('saved');
	});

	test('with the store down the host sees the report wait on this server; a restart sends it', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		vi.spyOn(console, 'log').mockImplementation(() => {});
		const storage = new StoreThatGoesDown();
		const { games } = await service(storage);
		storage.down = true;
		const game = await playedToPodium(games);
		await settle();
		expect(reportSteps(game.host)).toEqual(['saving', 'waiting']);
		expect(storage.live.heldReports().map((held) => held.record.id)).toEqual([game.room.gameId]);
		expect(await storage.getGame(game.room.gameId)).toBeNull();

		// The server stops with the store still down, and starts again once it is back.
		games.shutdown();
		storage.down = false;
		const restarted = (await service(storage, new FakeClock(START + 60_000))).games;
		expect(restarted.restore()).toBe(1);
		const host = connect(restarted, game.hostToken);
		await settle();
		expect(await storage.getGame(game.room.gameId)).toMatchObject({ finished: true });
		expect(storage.live.heldReports()).toEqual([]);
		expect(reportSteps(host).at(-1)).toBe('saved');
	});
});

describe('PIN guessing', () => {
	test('ten wrong PINs a minute from one browser, then it waits, even with the right PIN; its classmates on the same address still join', async () => {
		const { games, clock } = await service();
		const { pin } = await createGame(games);
		const wrong = pin === '111111' ? '222222' : '111111';
		const school = '10.0.0.9';
		for (let i = 0; i < 10; i++) {
			expect(games.checkPin(wrong, { address: school, device: 'guesser' })).toMatchObject({
				code: 'unknown-pin'
			});
			clock.advance(1000);
		}
		const blocked = games.join(pin, 'Ana', { address: school, device: 'guesser' });
		expect(blocked).toMatchObject({ ok: false, code: 'too-many-guesses', retryAfterS: 50 });
		expect(blocked.ok || blocked.message).toBe('Too many wrong PINs: try again in 50 seconds');
		// Thirty classmates behind the same address are not held up.
		for (let i = 0; i < 30; i++) {
			expect(games.join(pin, `Kid ${i}`, { address: school, device: `kid-${i}` })).toMatchObject({
				ok: true
			});
		}
		clock.advance(50_000);
		expect(games.join(pin, 'Ana', { address: school, device: 'guesser' })).toMatchObject({
			ok: true
		});
	});

	test("a guesser who drops its cookie every time meets its address's budget: twenty browsers' worth", async () => {
		const { games } = await service();
		const { pin } = await createGame(games);
		const wrong = pin === '111111' ? '222222' : '111111';
		for (let i = 0; i < 200; i++) {
			expect(games.checkPin(wrong, { address: '10.0.0.9', device: `fresh-${i}` })).toMatchObject({
				code: 'unknown-pin'
			});
		}
		expect(games.checkPin(pin, { address: '10.0.0.9', device: 'another' })).toMatchObject({
			code: 'too-many-guesses'
		});
		expect(games.checkPin(pin, { address: '10.0.0.10', device: 'elsewhere' })).toMatchObject({
			ok: true
		});
	});

	test('only wrong PINs count: joining a real game over and over is no guess', async () => {
		const { games } = await service(undefined, undefined, { pinGuessesPerMinute: 2 });
		const { pin } = await createGame(games);
		for (let i = 0; i < 5; i++) {
			expect(games.checkPin(pin, { address: '10.0.0.9' })).toMatchObject({ ok: true });
		}
	});
});

describe('joining again from the same browser', () => {
	test('the same name from the same browser gets its seat back: no "taken", no second player', async () => {
		const { games } = await service();
		const { pin } = await createGame(games);
		// The first answer was lost on the way: the phone asks again (spelled a little differently).
		const first = games.join(pin, 'Maya', { device: 'maya-phone' });
		const again = games.join(pin, ' maya ', { device: 'maya-phone' });
		expect(again).toEqual(first);
		expect(games.room(pin)!.state.players.size).toBe(1);

		// Anyone else with that name is still told it is taken.
		expect(games.join(pin, 'Maya', { device: 'theo-phone' })).toMatchObject({
			ok: false,
			code: 'nickname-taken'
		});
		expect(games.join(pin, 'Maya')).toMatchObject({ ok: false, code: 'nickname-taken' });
		// The same browser under another name is another player (two people, one phone).
		expect(games.join(pin, 'Theo', { device: 'maya-phone' })).toMatchObject({ ok: true });
		expect(games.room(pin)!.state.players.size).toBe(2);
	});

	test('a locked lobby still lets a player who is in have their seat again', async () => {
		const { games } = await service();
		const { pin, hostToken } = await createGame(games);
		const maya = games.join(pin, 'Maya', { device: 'maya-phone' });
		connect(games, hostToken).send({ type: 'lock', locked: true });
		expect(games.join(pin, 'Maya', { device: 'maya-phone' })).toEqual(maya);
		expect(games.join(pin, 'Theo', { device: 'theo-phone' })).toMatchObject({
			code: 'game-locked'
		});
	});

	test('with friendly names, a browser gets back the name it never came for; once played, a second one', async () => {
		const { games } = await service();
		const { pin, hostToken } = await createGame(games, { friendlyNames: true });
		// The phone asks for no name; the answer with the given one was lost on the way.
		const first = games.join(pin, '', { device: 'maya-phone' });
		if (!first.ok) throw new Error(first.message);
		expect(games.join(pin, '', { device: 'maya-phone' })).toEqual(first);
		// Another browser gets a name of its own.
		const theo = games.join(pin, '', { device: 'theo-phone' });
		expect(theo).toMatchObject({ ok: true });
		expect(theo.ok && theo.nickname).not.toBe(first.nickname);
		expect(games.room(pin)!.state.players.size).toBe(2);

		// Once the phone has come for its seat, the same browser joining again is someone else
		// (two people sharing one phone), as it is in a game where players type their names.
		connect(games, first.token);
		const second = games.join(pin, '', { device: 'maya-phone' });
		expect(second).toMatchObject({ ok: true });
		expect(second.ok && second.playerId).not.toBe(first.playerId);
		expect(games.room(pin)!.state.players.size).toBe(3);

		// A locked lobby still gives back a seat not yet come for, and only that.
		connect(games, hostToken).send({ type: 'lock', locked: true });
		expect(games.join(pin, '', { device: 'maya-phone' })).toEqual(second);
		expect(games.join(pin, '', { device: 'ada-phone' })).toMatchObject({ code: 'game-locked' });
	});

	test('a removed player does not get back in that way', async () => {
		const { games } = await service();
		const { pin, hostToken } = await createGame(games);
		const host = connect(games, hostToken);
		const ben = games.join(pin, 'Ben', { device: 'ben-phone' });
		if (!ben.ok) throw new Error(ben.message);
		host.send({ type: 'kick', playerId: ben.playerId });
		expect(games.join(pin, 'Ben', { device: 'ben-phone' })).toMatchObject({ code: 'banned' });
	});
});
