import { FakeClock } from '../../testing/fake-clock.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
	CloseCode,
	DEFAULT_GAME_OPTIONS,
	type GameOptions,
	type Quiz,
	type ServerMessage
} from '../../protocol/index.ts';
import { DISCONNECT_SETTLE_MS } from '../../game/rules.ts';
import {
	FIRST_CONNECT_GRACE_MS,
	Room,
	type AcceptedAnswer,
	type RoomEvents,
	type RoomSocket,
	type SendOptions
} from './room.ts';

// ---------------------------------------------------------------------------------------------
// Fakes

/** Records every frame (raw text, parsed, and when it was sent) and every close. */
class FakeSocket implements RoomSocket {
	readonly frames: string[] = [];
	readonly sentAt: number[] = [];
	readonly closes: { code: number; reason: string }[] = [];

	constructor(private readonly clock: FakeClock) {}

	send(text: string): void {
		if (this.closes.length > 0) throw new Error('send after close');
		this.frames.push(text);
		this.sentAt.push(this.clock.now());
	}

	close(code: number, reason: string): void {
		this.closes.push({ code, reason });
	}

	get messages(): ServerMessage[] {
		return this.frames.map((frame) => JSON.parse(frame) as ServerMessage);
	}

	get last(): ServerMessage | undefined {
		return this.messages.at(-1);
	}

	ofType<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
		return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
	}

	/** Frames since the last call. */
	private read = 0;
	take(): ServerMessage[] {
		const fresh = this.messages.slice(this.read);
		this.read = this.frames.length;
		return fresh;
	}
}

// ---------------------------------------------------------------------------------------------
// Setup

const QUIZ: Quiz = {
	version: 1,
	id: 'room-test',
	title: 'Room test',
	description: '',
	questions: [
		{
			type: 'quiz',
			text: 'Which is blue?',
			options: ['Sky', 'Grass', 'Sun', 'Snow'],
			correct: [0],
			timeLimit: 5,
			points: 'standard'
		},
		{
			type: 'quiz',
			text: 'Which is green?',
			options: ['Sky', 'Grass'],
			correct: [1],
			timeLimit: 10,
			points: 'double'
		}
	]
};

const host = { role: 'host' } as const;
const seat = (playerId: string) => ({ role: 'player', playerId }) as const;

function setup(options: Partial<GameOptions> = {}, events: RoomEvents = {}) {
	const clock = new FakeClock();
	const room = new Room({
		pin: '123456',
		quiz: QUIZ,
		options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0, ...options },
		maxPlayers: 100,
		clock,
		events
	});
	const socket = () => new FakeSocket(clock);
	/** Joins over "HTTP" and opens a socket for each nickname. */
	const players = (...nicknames: string[]) =>
		nicknames.map((nickname, i) => {
			const id = `p${i + 1}`;
			expect(room.join(id, nickname).error).toBeUndefined();
			const s = socket();
			room.connect(seat(id), s);
			return { id, nickname, socket: s };
		});
	return { clock, room, socket, players };
}

afterEach(() => {
	vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------

describe('snapshots on connect', () => {
	test('the host gets the full player list and no `you`', () => {
		const { room, socket } = setup();
		room.join('p1', 'Maya');
		room.join('p2', 'Lee');
		const hostSocket = socket();
		room.connect(host, hostSocket);
		expect(hostSocket.messages).toEqual([
			{
				type: 'state',
				v: 1,
				role: 'host',
				pin: '123456',
				quizTitle: 'Room test',
				questionCount: 2,
				options: expect.objectContaining({ introSeconds: 0 }),
				serverTime: 1_700_000_000_000,
				view: { phase: 'lobby' },
				players: [
					{ id: 'p1', nickname: 'Maya', connected: true },
					{ id: 'p2', nickname: 'Lee', connected: true }
				],
				playerCount: 2,
				answeredCount: 0,
				answeredOf: 0,
				you: null,
				locked: false
			}
		]);
	});

	test('a player gets `you` and no player list', () => {
		const { room, socket } = setup();
		room.join('p1', 'Maya');
		const playerSocket = socket();
		room.connect(seat('p1'), playerSocket);
		expect(playerSocket.messages).toHaveLength(1);
		expect(playerSocket.last).toMatchObject({
			type: 'state',
			role: 'player',
			pin: '123456',
			view: { phase: 'lobby' },
			players: null,
			playerCount: 1,
			you: { id: 'p1', nickname: 'Maya', score: 0, streak: 0, rank: null, firstQuestion: 0 }
		});
	});

	test('a player reconnecting mid-question gets the open question without answers', () => {
		const { room, socket, players } = setup();
		const [maya] = players('Maya', 'Lee');
		const hostSocket = socket();
		room.connect(host, hostSocket);
		room.handleMessage(host, hostSocket, { type: 'start' });
		room.handleMessage(seat(maya!.id), maya!.socket, {
			type: 'answer',
			questionIndex: 0,
			choice: 2
		});
		const again = socket();
		room.connect(seat(maya!.id), again);
		const [state] = again.messages;
		expect(state).toMatchObject({
			type: 'state',
			view: { phase: 'open', question: { index: 0, text: null, options: null, optionCount: 4 } },
			answeredCount: 1,
			you: { currentAnswer: { choice: 2 } }
		});
		expect(again.frames[0]).not.toContain('correct');
	});
});

describe('one socket per seat', () => {
	test('a second socket for a player replaces the first', () => {
		const { room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya] = players('Maya');
		const first = maya!.socket;
		const second = socket();
		room.connect(seat('p1'), second);

		expect(first.last).toEqual({ type: 'closed', reason: 'replaced', message: expect.any(String) });
		expect(first.closes).toEqual([{ code: CloseCode.replaced, reason: expect.any(String) }]);
		expect(CloseCode.replaced).toBe(4003);
		expect(second.messages).toEqual([expect.objectContaining({ type: 'state', role: 'player' })]);

		// The old socket's close arrives later: it must not mark the player as gone.
		hostSocket.take();
		room.disconnect(seat('p1'), first);
		expect(hostSocket.take()).toEqual([]);

		// Broadcasts reach the new socket only.
		const firstCount = first.frames.length;
		room.handleMessage(host, hostSocket, { type: 'start' });
		expect(first.frames).toHaveLength(firstCount);
		expect(second.last).toMatchObject({ type: 'phase', phase: 'open' });
	});

	test('a second host socket replaces the first', () => {
		const { room, socket } = setup();
		const first = socket();
		const second = socket();
		room.connect(host, first);
		room.connect(host, second);
		expect(first.last).toMatchObject({ type: 'closed', reason: 'replaced' });
		expect(first.closes).toEqual([{ code: 4003, reason: expect.any(String) }]);
		room.disconnect(host, first);
		expect(room.hostConnected).toBe(true);
		room.disconnect(host, second);
		expect(room.hostConnected).toBe(false);
	});

	test('reconnecting over the same socket object closes nothing', () => {
		const { room, socket } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		room.connect(host, hostSocket);
		expect(hostSocket.closes).toEqual([]);
	});

	test('a player whose socket closes is shown as disconnected, and back on reconnect', () => {
		const { room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya] = players('Maya');
		hostSocket.take();
		room.disconnect(seat(maya!.id), maya!.socket);
		expect(hostSocket.take()).toEqual([
			{ type: 'player-connection', playerId: 'p1', connected: false }
		]);
		room.connect(seat(maya!.id), socket());
		expect(hostSocket.take()).toEqual([
			{ type: 'player-connection', playerId: 'p1', connected: true }
		]);
	});
});

describe('roles', () => {
	test.each([
		{ type: 'start' },
		{ type: 'next' },
		{ type: 'end' },
		{ type: 'kick', playerId: 'p2' }
	] as const)('a player cannot $type', (command) => {
		const { room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya, lee] = players('Maya', 'Lee');
		hostSocket.take();
		maya!.socket.take();
		room.handleMessage(seat(maya!.id), maya!.socket, command);
		expect(maya!.socket.take()).toEqual([
			{ type: 'error', code: 'forbidden', message: expect.stringContaining(command.type) }
		]);
		expect(room.phase).toBe('lobby');
		expect(room.state.players.size).toBe(2);
		expect(lee!.socket.closes).toEqual([]);
		expect(hostSocket.take()).toEqual([]);
	});

	test('the host cannot answer', () => {
		const { room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		players('Maya', 'Lee');
		room.handleMessage(host, hostSocket, { type: 'start' });
		hostSocket.take();
		room.handleMessage(host, hostSocket, { type: 'answer', questionIndex: 0, choice: 0 });
		expect(hostSocket.take()).toEqual([
			{ type: 'error', code: 'bad-frame', message: expect.stringContaining('answer') }
		]);
		expect(room.state.round?.answers.size).toBe(0);
		expect(room.phase).toBe('open');
	});

	test('rule errors go back to the sender only', () => {
		const { room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya, lee] = players('Maya', 'Lee');
		lee!.socket.take();
		hostSocket.take();
		room.handleMessage(seat(maya!.id), maya!.socket, {
			type: 'answer',
			questionIndex: 0,
			choice: 0
		});
		expect(maya!.socket.last).toMatchObject({ type: 'error', code: 'wrong-question' });
		expect(lee!.socket.take()).toEqual([]);
		expect(hostSocket.take()).toEqual([]);
	});
});

describe('broadcasts', () => {
	test('a phase broadcast is serialised once and the same text goes to every socket', () => {
		const { room, socket, players } = setup({ questionOnPhones: true });
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const everyone = [...players('Maya', 'Lee', 'Kai').map((p) => p.socket), hostSocket];
		for (const s of everyone) s.take();

		const stringify = vi.spyOn(JSON, 'stringify');
		room.handleMessage(host, hostSocket, { type: 'start' });
		expect(stringify).toHaveBeenCalledTimes(1);
		const text = stringify.mock.results[0]!.value as string;
		for (const s of everyone) {
			expect(s.frames.at(-1)).toBe(text);
			expect(s.take()).toEqual([expect.objectContaining({ type: 'phase', phase: 'open' })]);
		}
	});

	test('host and players get one serialisation each when their views differ', () => {
		const { room, socket, players } = setup({ questionOnPhones: false });
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const phones = players('Maya', 'Lee', 'Kai').map((p) => p.socket);
		const stringify = vi.spyOn(JSON, 'stringify');
		room.handleMessage(host, hostSocket, { type: 'start' });
		expect(stringify).toHaveBeenCalledTimes(2);
		const [first, ...rest] = phones.map((s) => s.frames.at(-1));
		expect(rest).toEqual([first, first]);
		expect(first).not.toBe(hostSocket.frames.at(-1));
		expect(JSON.parse(first!)).toMatchObject({ phase: 'open', question: { text: null } });
		expect(hostSocket.last).toMatchObject({ phase: 'open', question: { text: 'Which is blue?' } });
	});

	test('a countdown tick is serialised once for everyone', () => {
		const { clock, room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const everyone = [...players('Maya', 'Lee').map((p) => p.socket), hostSocket];
		room.handleMessage(host, hostSocket, { type: 'start' });
		for (const s of everyone) s.take();
		const stringify = vi.spyOn(JSON, 'stringify');
		clock.advance(1000);
		expect(stringify).toHaveBeenCalledTimes(1);
		for (const s of everyone) {
			expect(s.take()).toEqual([{ type: 'tick', questionIndex: 0, remaining: 4 }]);
		}
	});
});

describe('kicking', () => {
	test('closes the player socket with 4001 after a `closed` message', () => {
		const removed: string[] = [];
		const { room, socket, players } = setup(
			{},
			{ onPlayerRemoved: (_room, playerId) => removed.push(playerId) }
		);
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya, lee] = players('Maya', 'Lee');
		hostSocket.take();
		room.handleMessage(host, hostSocket, { type: 'kick', playerId: maya!.id });

		expect(maya!.socket.last).toEqual({
			type: 'closed',
			reason: 'kicked',
			message: expect.any(String)
		});
		expect(maya!.socket.closes).toEqual([{ code: CloseCode.kicked, reason: expect.any(String) }]);
		expect(CloseCode.kicked).toBe(4001);
		expect(removed).toEqual(['p1']);
		expect(hostSocket.take()).toEqual([{ type: 'player-left', playerId: 'p1', playerCount: 1 }]);
		expect(lee!.socket.closes).toEqual([]);

		// The socket's close event comes later and changes nothing; the nickname is free again.
		room.disconnect(seat(maya!.id), maya!.socket);
		expect(hostSocket.take()).toEqual([]);
		expect(room.join('p3', 'maya').error).toBeUndefined();
	});

	test('kicking an unknown player is an error for the host', () => {
		const { room, socket } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		room.handleMessage(host, hostSocket, { type: 'kick', playerId: 'nobody' });
		expect(hostSocket.last).toMatchObject({ type: 'error', code: 'unknown-player' });
	});

	test('ending the game closes every socket with 4002', () => {
		const ended = vi.fn();
		const { room, socket, players } = setup({}, { onEnded: ended });
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const phones = players('Maya', 'Lee').map((p) => p.socket);
		room.handleMessage(host, hostSocket, { type: 'end' });
		for (const s of [hostSocket, ...phones]) {
			expect(s.messages.slice(-2)).toEqual([
				{ type: 'phase', phase: 'ended' },
				{ type: 'closed', reason: 'ended', message: expect.any(String) }
			]);
			expect(s.closes).toEqual([{ code: CloseCode.ended, reason: expect.any(String) }]);
		}
		expect(ended).toHaveBeenCalledOnce();
	});

	test('a game ended after a reveal tells its host, and only its host, where its report is', () => {
		const { clock, room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya] = players('Maya');
		room.handleMessage(host, hostSocket, { type: 'start' });
		clock.advance(300);
		room.handleMessage(seat(maya!.id), maya!.socket, {
			type: 'answer',
			questionIndex: 0,
			choice: 0
		});
		expect(room.phase).toBe('reveal');
		room.handleMessage(host, hostSocket, { type: 'end' });
		expect(hostSocket.last).toEqual({
			type: 'closed',
			reason: 'ended',
			message: expect.any(String),
			reportId: room.gameId
		});
		expect(maya!.socket.last).toEqual({
			type: 'closed',
			reason: 'ended',
			message: expect.any(String)
		});
	});
});

describe('first connection grace', () => {
	test('a player who joined over HTTP but never connected is shown as disconnected', () => {
		const { clock, room, socket } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		expect(hostSocket.take()).toEqual([expect.objectContaining({ type: 'state', players: [] })]);
		room.join('p1', 'Maya');
		expect(hostSocket.take()).toEqual([
			{
				type: 'player-joined',
				player: { id: 'p1', nickname: 'Maya', connected: true },
				playerCount: 1
			}
		]);

		clock.advance(FIRST_CONNECT_GRACE_MS - 1);
		expect(hostSocket.take()).toEqual([]);
		clock.advance(1);
		expect(hostSocket.take()).toEqual([
			{ type: 'player-connection', playerId: 'p1', connected: false }
		]);

		const laterHost = socket();
		room.connect(host, laterHost);
		expect(laterHost.last).toMatchObject({
			players: [{ id: 'p1', nickname: 'Maya', connected: false }]
		});

		// Turning up late still works.
		room.connect(seat('p1'), socket());
		expect(laterHost.take().at(-1)).toEqual({
			type: 'player-connection',
			playerId: 'p1',
			connected: true
		});
	});

	test('a player who connects in time is never marked gone', () => {
		const { clock, room, socket } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		room.join('p1', 'Maya');
		clock.advance(FIRST_CONNECT_GRACE_MS / 2);
		room.connect(seat('p1'), socket());
		hostSocket.take();
		clock.advance(FIRST_CONNECT_GRACE_MS * 2);
		expect(hostSocket.take()).toEqual([]);
		expect(clock.pending).toBe(0);
	});

	test('a never-connected player stops holding the question open once the grace ends', () => {
		const { clock, room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya] = players('Maya');
		room.join('p9', 'Ghost');
		clock.advance(FIRST_CONNECT_GRACE_MS - 2000);
		room.handleMessage(host, hostSocket, { type: 'start' });
		clock.advance(500);
		room.handleMessage(seat(maya!.id), maya!.socket, {
			type: 'answer',
			questionIndex: 0,
			choice: 0
		});
		// Ghost still counts as present: the question stays open for them.
		expect(room.phase).toBe('open');
		clock.advance(1499);
		expect(room.phase).toBe('open');
		clock.advance(1);
		// Grace over, Ghost is gone; a moment later (others might be dropping too) everyone
		// present has answered, long before the deadline.
		expect(room.phase).toBe('open');
		clock.advance(DISCONNECT_SETTLE_MS);
		expect(room.phase).toBe('reveal');
		expect(room.state.round!.closesAt - clock.now()).toBe(3000 - DISCONNECT_SETTLE_MS);
		expect(hostSocket.ofType('player-connection')).toEqual([
			{ type: 'player-connection', playerId: 'p9', connected: false }
		]);
	});
});

describe('timers', () => {
	test('the room wakes the rules at each due time: intro → open → ticks → reveal', () => {
		const { clock, room, socket, players } = setup({ introSeconds: 4 });
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya] = players('Maya');
		const phone = maya!.socket;
		const t0 = clock.now();
		hostSocket.take();
		phone.take();
		const sentSince = (s: FakeSocket, from: number) =>
			s.messages.slice(from).map((m, i) => ({ at: s.sentAt[from + i]! - t0, message: m }));

		const fromStart = phone.frames.length;
		room.handleMessage(host, hostSocket, { type: 'start' });
		expect(phone.take()).toEqual([
			expect.objectContaining({ type: 'phase', phase: 'intro', opensAt: t0 + 4000 })
		]);
		expect(phone.frames.at(-1)).not.toContain('correct');

		clock.advance(3999);
		expect(phone.take()).toEqual([]);
		clock.advance(1);
		expect(phone.take()).toEqual([
			expect.objectContaining({
				type: 'phase',
				phase: 'open',
				opensAt: t0 + 4000,
				closesAt: t0 + 9000
			})
		]);

		clock.advance(10_000);
		const timeline = sentSince(phone, fromStart).map(({ at, message }) => ({
			at,
			type: message.type,
			detail:
				message.type === 'tick'
					? message.remaining
					: message.type === 'phase'
						? message.phase
						: null
		}));
		expect(timeline).toEqual([
			{ at: 0, type: 'phase', detail: 'intro' },
			{ at: 4000, type: 'phase', detail: 'open' },
			{ at: 5000, type: 'tick', detail: 4 },
			{ at: 6000, type: 'tick', detail: 3 },
			{ at: 7000, type: 'tick', detail: 2 },
			{ at: 8000, type: 'tick', detail: 1 },
			{ at: 9000, type: 'phase', detail: 'reveal' },
			{ at: 9000, type: 'you', detail: null }
		]);
		const reveal = phone.ofType('phase').at(-1);
		expect(reveal).toMatchObject({ phase: 'reveal', correct: [0], distribution: [0, 0, 0, 0] });
		expect(phone.last).toMatchObject({
			type: 'you',
			you: { score: 0, lastResult: { answered: false, correct: false, points: 0 } }
		});
		// Nothing is left running once the question is revealed.
		expect(clock.pending).toBe(0);
		expect(room.phase).toBe('reveal');
	});

	test('the question closes as soon as every connected player answered', () => {
		const { clock, room, socket, players } = setup();
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya, lee] = players('Maya', 'Lee');
		room.handleMessage(host, hostSocket, { type: 'start' });
		clock.advance(300);
		room.handleMessage(seat(maya!.id), maya!.socket, {
			type: 'answer',
			questionIndex: 0,
			choice: 0
		});
		expect(room.phase).toBe('open');
		clock.advance(300);
		// The host hears the answer count, throttled, before the question closes.
		expect(hostSocket.last).toEqual({ type: 'answers', questionIndex: 0, count: 1, of: 2 });
		room.handleMessage(seat(lee!.id), lee!.socket, { type: 'answer', questionIndex: 0, choice: 3 });
		expect(room.phase).toBe('reveal');
		expect(lee!.socket.messages.slice(-3)).toEqual([
			{ type: 'answer-ack', questionIndex: 0, choice: 3 },
			expect.objectContaining({ type: 'phase', phase: 'reveal', distribution: [1, 0, 0, 1] }),
			expect.objectContaining({
				type: 'you',
				you: expect.objectContaining({ lastResult: expect.objectContaining({ correct: false }) })
			})
		]);
		expect(maya!.socket.last).toMatchObject({
			type: 'you',
			you: { score: 1000, rank: 1, lastResult: { correct: true, points: 1000 } }
		});
		// The deadline timer was cleared: no ticks or second reveal later.
		const count = hostSocket.frames.length;
		clock.advance(60_000);
		expect(hostSocket.frames).toHaveLength(count);
		expect(clock.pending).toBe(0);
	});

	test('the host skipping the countdown reschedules the deadline', () => {
		const { clock, room, socket, players } = setup({ introSeconds: 4 });
		const hostSocket = socket();
		room.connect(host, hostSocket);
		const [maya] = players('Maya');
		room.handleMessage(host, hostSocket, { type: 'start' });
		clock.advance(1000);
		room.handleMessage(host, hostSocket, { type: 'next' });
		const t = clock.now();
		expect(maya!.socket.last).toMatchObject({ phase: 'open', opensAt: t, closesAt: t + 5000 });
		clock.advance(4999);
		expect(room.phase).toBe('open');
		clock.advance(1);
		expect(room.phase).toBe('reveal');
	});

	test('dispose clears every timer', () => {
		const { clock, room, socket } = setup({ introSeconds: 4 });
		const hostSocket = socket();
		room.connect(host, hostSocket);
		room.join('p1', 'Maya');
		room.handleMessage(host, hostSocket, { type: 'start' });
		expect(clock.pending).toBeGreaterThan(0);
		room.dispose();
		expect(clock.pending).toBe(0);
	});
});

describe('answers of every question type', () => {
	const TYPED_QUIZ: Quiz = {
		version: 1,
		id: 'typed',
		title: 'Typed',
		description: '',
		questions: [
			{
				type: 'type-answer',
				text: 'Capital of France?',
				accepted: ['Paris'],
				caseSensitive: false,
				ignoreAccents: true,
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'puzzle',
				text: 'Alphabetical order',
				items: ['Alpha', 'Bravo', 'Charlie'],
				timeLimit: 20,
				points: 'standard'
			}
		]
	};

	test('go through the room to the rules; the ack echoes them; refusals go to the sender', () => {
		const clock = new FakeClock();
		const room = new Room({
			pin: '654321',
			quiz: TYPED_QUIZ,
			options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0 },
			maxPlayers: 10,
			seed: 5,
			clock
		});
		const hostSocket = new FakeSocket(clock);
		room.connect(host, hostSocket);
		const phones = ['Maya', 'Lee'].map((nickname, i) => {
			const id = `p${i + 1}`;
			room.join(id, nickname);
			const socket = new FakeSocket(clock);
			room.connect(seat(id), socket);
			return { id, socket };
		});
		const [maya, lee] = phones as [(typeof phones)[0], (typeof phones)[0]];
		room.handleMessage(host, hostSocket, { type: 'start' });
		expect(maya.socket.last).toMatchObject({
			phase: 'open',
			question: { type: 'type-answer', text: null, maxLength: 20 }
		});
		expect(maya.socket.frames.at(-1)).not.toContain('Paris');

		room.handleMessage(seat(maya.id), maya.socket, {
			type: 'answer',
			questionIndex: 0,
			text: ' paris '
		});
		expect(maya.socket.last).toEqual({ type: 'answer-ack', questionIndex: 0, text: ' paris ' });
		lee.socket.take();
		hostSocket.take();
		room.handleMessage(seat(lee.id), lee.socket, { type: 'answer', questionIndex: 0, text: '  ' });
		expect(lee.socket.take()).toEqual([
			{ type: 'error', code: 'bad-answer', message: expect.any(String) }
		]);
		expect(hostSocket.take()).toEqual([]);
		room.handleMessage(seat(lee.id), lee.socket, { type: 'answer', questionIndex: 0, value: 3 });
		expect(lee.socket.last).toMatchObject({ type: 'error', code: 'bad-answer' });
		room.handleMessage(seat(lee.id), lee.socket, {
			type: 'answer',
			questionIndex: 0,
			text: 'Rome'
		});
		expect(room.phase).toBe('reveal');
		expect(hostSocket.ofType('phase').at(-1)).toMatchObject({
			phase: 'reveal',
			detail: {
				type: 'type-answer',
				accepted: ['Paris'],
				topAnswers: [
					{ text: 'paris', count: 1, correct: true },
					{ text: 'Rome', count: 1, correct: false }
				]
			}
		});
		expect(maya.socket.last).toMatchObject({ you: { lastResult: { correct: true } } });

		room.handleMessage(host, hostSocket, { type: 'next' });
		room.handleMessage(host, hostSocket, { type: 'next' });
		const open = maya.socket.ofType('phase').at(-1);
		const shuffle = room.state.round!.shuffle!;
		expect(open).toMatchObject({
			phase: 'open',
			question: { type: 'puzzle', items: shuffle.map((i) => ['Alpha', 'Bravo', 'Charlie'][i]) }
		});
		expect(shuffle).not.toEqual([0, 1, 2]);
		const solved = shuffle.map((_, item) => shuffle.indexOf(item));
		room.handleMessage(seat(maya.id), maya.socket, {
			type: 'answer',
			questionIndex: 1,
			order: solved
		});
		expect(maya.socket.last).toEqual({ type: 'answer-ack', questionIndex: 1, order: solved });
		room.handleMessage(seat(lee.id), lee.socket, {
			type: 'answer',
			questionIndex: 1,
			order: [0, 0, 1]
		});
		expect(lee.socket.last).toMatchObject({ type: 'error', code: 'bad-answer' });
		room.handleMessage(seat(lee.id), lee.socket, {
			type: 'answer',
			questionIndex: 1,
			order: [0, 1, 2]
		});
		expect(room.phase).toBe('reveal');
		expect(lee.socket.ofType('phase').at(-1)).toMatchObject({
			detail: { type: 'puzzle', correctOrder: ['Alpha', 'Bravo', 'Charlie'], allRight: 1 }
		});
		expect(room.state.history[1]!.answers.map((a) => a.answer)).toEqual([
			{ kind: 'order', items: [0, 1, 2] },
			{ kind: 'order', items: shuffle }
		]);
	});
});

describe('sending to a full room', () => {
	/** Records what the room asks of a socket, in order: frames (with their options), corks. */
	class RecordingSocket extends FakeSocket {
		readonly calls: string[] = [];
		readonly droppable: boolean[] = [];

		send(text: string, options?: SendOptions): void {
			super.send(text);
			this.calls.push((JSON.parse(text) as ServerMessage).type);
			this.droppable.push(options?.droppable === true);
		}

		cork(): void {
			this.calls.push('cork');
		}

		uncork(): void {
			this.calls.push('uncork');
		}
	}

	/** A room whose clock defers like setImmediate, run by hand; answers stored in batches. */
	function burstSetup({
		confirmLater = false,
		refused = false
	}: {
		confirmLater?: boolean;
		/** The store did not take them (a full disk): `false`, or a landing of `false`. */
		refused?: boolean;
	} = {}) {
		const clock = new FakeClock();
		const deferred: (() => void)[] = [];
		const stored: AcceptedAnswer[][] = [];
		/** With `confirmLater`, each write's "it landed", in order (the cluster's Redis copy). */
		const landings: ((result: void | false) => void)[] = [];
		const sockets = new Map<string, RecordingSocket>();
		const room = new Room({
			pin: '123456',
			quiz: QUIZ,
			options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0 },
			maxPlayers: 100,
			clock: Object.assign(clock, { defer: (callback: () => void) => deferred.push(callback) }),
			events: {
				onAnswersAccepted: (_room, answers) => {
					// Stored before any of their acknowledgements went out.
					for (const answer of answers) {
						expect(sockets.get(answer.playerId)!.calls).not.toContain('answer-ack');
					}
					stored.push(answers);
					if (confirmLater) return new Promise<void | false>((landed) => landings.push(landed));
					if (refused) return false;
				}
			}
		});
		const hostSocket = new RecordingSocket(clock);
		room.connect(host, hostSocket);
		for (const [i, nickname] of ['Maya', 'Lee', 'Ana'].entries()) {
			const id = `p${i + 1}`;
			room.join(id, nickname);
			const socket = new RecordingSocket(clock);
			sockets.set(id, socket);
			room.connect(seat(id), socket);
		}
		room.handleMessage(host, hostSocket, { type: 'start' });
		const answer = (id: string, choice: number) =>
			room.handleMessage(seat(id), sockets.get(id)!, { type: 'answer', questionIndex: 0, choice });
		const runDeferred = () => deferred.splice(0).forEach((callback) => callback());
		return { clock, room, hostSocket, sockets, stored, landings, answer, runDeferred };
	}

	const frames = (socket: RecordingSocket) =>
		socket.calls.filter((call) => call !== 'cork' && call !== 'uncork');
	const settle = () => new Promise((done) => setImmediate(done));

	test('ticks and answer counts may be skipped for a lagging socket; nothing else may', () => {
		const { clock, hostSocket, sockets } = burstSetup();
		clock.advance(1000);
		const maya = sockets.get('p1')!;
		const flags = (socket: RecordingSocket, type: string) =>
			socket.calls
				.filter((c) => c !== 'cork' && c !== 'uncork')
				.flatMap((call, i) => (call === type ? [socket.droppable[i]] : []));
		expect(flags(maya, 'tick')).toEqual([true]);
		expect(flags(maya, 'phase')).toEqual([false]);
		expect(flags(maya, 'state')).toEqual([false]);
		expect(flags(hostSocket, 'tick')).toEqual([true]);
	});

	test("a burst's answers are stored in one write, then acknowledged", () => {
		const { stored, sockets, answer, runDeferred } = burstSetup();
		answer('p1', 0);
		answer('p2', 1);
		expect(stored).toEqual([]);
		expect(sockets.get('p1')!.calls).not.toContain('answer-ack');
		runDeferred();
		expect(stored.map((batch) => batch.map((a) => a.playerId))).toEqual([['p1', 'p2']]);
		expect(sockets.get('p1')!.ofType('answer-ack')).toHaveLength(1);
		expect(sockets.get('p2')!.ofType('answer-ack')).toHaveLength(1);
		expect(sockets.get('p3')!.ofType('answer-ack')).toHaveLength(0);
	});

	test('answers the store refused count, and their acknowledgements say they are not stored', async () => {
		const { sockets, answer, runDeferred, landings } = burstSetup({ refused: true });
		answer('p1', 0);
		runDeferred();
		const [ack] = sockets.get('p1')!.ofType('answer-ack');
		expect(ack).toEqual({ type: 'answer-ack', questionIndex: 0, choice: 0, stored: false });
		expect(landings).toEqual([]);

		// A write that confirms later, and says it did not store them.
		const later = burstSetup({ confirmLater: true });
		later.answer('p1', 0);
		later.answer('p2', 1);
		later.runDeferred();
		expect(later.sockets.get('p1')!.ofType('answer-ack')).toEqual([]);
		later.landings[0]!(false);
		await settle();
		for (const id of ['p1', 'p2']) {
			expect(later.sockets.get(id)!.ofType('answer-ack')[0]!.stored).toBe(false);
		}
		// The next burst is stored: its acknowledgement says nothing more.
		later.answer('p3', 2);
		later.runDeferred();
		later.landings[1]!();
		await settle();
		expect(later.sockets.get('p3')!.ofType('answer-ack')[0]).not.toHaveProperty('stored');
	});

	test('answers whose store threw count, acknowledged as not stored, and the game goes on', () => {
		const clock = new FakeClock();
		const room = new Room({
			pin: '123456',
			quiz: QUIZ,
			options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0 },
			maxPlayers: 100,
			clock,
			events: {
				onAnswersAccepted: () => {
					throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
				},
				onError: () => {}
			}
		});
		const hostSocket = new FakeSocket(clock);
		room.connect(host, hostSocket);
		room.join('p1', 'Maya');
		const maya = new FakeSocket(clock);
		room.connect(seat('p1'), maya);
		room.handleMessage(host, hostSocket, { type: 'start' });
		room.handleMessage(seat('p1'), maya, { type: 'answer', questionIndex: 0, choice: 0 });
		expect(maya.ofType('answer-ack')[0]!.stored).toBe(false);
		// Everyone answered: the reveal came, with Maya's answer in it.
		expect(room.phase).toBe('reveal');
		expect(room.state.players.get('p1')!.score).toBeGreaterThan(0);
	});

	test('a frame due after a held acknowledgement stores the answers and sends it first', () => {
		const { room, stored, sockets, answer, runDeferred } = burstSetup();
		answer('p1', 0);
		answer('p2', 1);
		// The last answer closes the question: the reveal may not overtake the acknowledgements.
		answer('p3', 2);
		expect(room.phase).toBe('reveal');
		expect(stored.map((batch) => batch.length)).toEqual([3]);
		for (const socket of sockets.values()) {
			const frames = socket.calls.filter((c) => c !== 'cork' && c !== 'uncork');
			expect(frames.slice(-3)).toEqual(['answer-ack', 'phase', 'you']);
		}
		runDeferred();
		expect(stored).toHaveLength(1);
	});

	test('with a store that confirms later, acknowledgements and every frame after them wait for it', async () => {
		const { room, stored, landings, sockets, hostSocket, answer, runDeferred } = burstSetup({
			confirmLater: true
		});
		const [maya, lee, ana] = ['p1', 'p2', 'p3'].map((id) => sockets.get(id)!) as [
			RecordingSocket,
			RecordingSocket,
			RecordingSocket
		];
		answer('p1', 0);
		answer('p2', 1);
		runDeferred();
		expect(stored).toHaveLength(1);
		await settle();
		expect(maya.calls).not.toContain('answer-ack');
		// The last answer closes the question: the room moves on, its frames wait in line.
		answer('p3', 2);
		expect(room.phase).toBe('reveal');
		expect(stored).toHaveLength(2);
		expect(hostSocket.ofType('phase').at(-1)).toMatchObject({ phase: 'open' });
		expect(ana.calls).not.toContain('answer-ack');

		landings[0]!();
		await settle();
		expect(frames(maya).at(-1)).toBe('answer-ack');
		expect(frames(lee).at(-1)).toBe('answer-ack');
		expect(ana.calls).not.toContain('answer-ack');
		expect(hostSocket.ofType('phase').at(-1)).toMatchObject({ phase: 'open' });

		landings[1]!();
		await settle();
		expect(frames(ana).slice(-3)).toEqual(['answer-ack', 'phase', 'you']);
		for (const socket of [maya, lee]) expect(frames(socket).slice(-2)).toEqual(['phase', 'you']);
		// Still gathered: each phone's frames leave together.
		expect(ana.calls.slice(-5)).toEqual(['cork', 'answer-ack', 'phase', 'you', 'uncork']);
		expect(hostSocket.ofType('phase').at(-1)).toMatchObject({ phase: 'reveal' });
	});

	test("a phone's replies keep the order of its frames: an error waits behind its held acknowledgement", async () => {
		const { room, landings, sockets, answer, runDeferred } = burstSetup({ confirmLater: true });
		const maya = sockets.get('p1')!;
		answer('p1', 0);
		runDeferred();
		answer('p1', 1);
		room.handleMessage(seat('p1'), maya, { type: 'next' });
		room.inTurn(seat('p1'), () =>
			maya.send(JSON.stringify({ type: 'clock', id: 1, clientSentAt: 0 }))
		);
		expect(maya.calls).not.toContain('answer-ack');
		expect(maya.calls).not.toContain('error');
		landings[0]!();
		await settle();
		expect(frames(maya).slice(-4)).toEqual(['answer-ack', 'error', 'error', 'clock']);
	});

	test("a reply to a phone whose acknowledgement waits for the burst's store sends the store first", () => {
		const { room, stored, sockets, answer } = burstSetup();
		const maya = sockets.get('p1')!;
		const lee = sockets.get('p2')!;
		answer('p2', 1);
		// Maya has nothing held: her reply does not hurry the burst's store.
		room.inTurn(seat('p1'), () =>
			maya.send(JSON.stringify({ type: 'clock', id: 1, clientSentAt: 0 }))
		);
		expect(stored).toHaveLength(0);
		answer('p1', 1);
		// Maya's next frame is answered before the store was due: her acknowledgement (and the
		// answers before it) go first, then the replies, in the order her frames came.
		room.handleMessage(seat('p1'), maya, { type: 'answer', questionIndex: 0, choice: 2 });
		room.inTurn(seat('p1'), () =>
			maya.send(JSON.stringify({ type: 'clock', id: 2, clientSentAt: 0 }))
		);
		expect(stored).toHaveLength(1);
		expect(frames(maya).slice(-4)).toEqual(['clock', 'answer-ack', 'error', 'clock']);
		expect(frames(lee).at(-1)).toBe('answer-ack');
	});

	test('a room closed while frames are held: each phone gets them, then the close', async () => {
		const { room, landings, sockets, answer, runDeferred } = burstSetup({ confirmLater: true });
		const maya = sockets.get('p1')!;
		answer('p1', 0);
		runDeferred();
		room.close('shutdown');
		expect(maya.closes).toEqual([]);
		landings[0]!();
		await settle();
		expect(frames(maya).slice(-2)).toEqual(['answer-ack', 'closed']);
		expect(maya.closes).toHaveLength(1);
	});

	test("a reveal holds each phone's writes until its phase and its result are both in", () => {
		const { sockets, answer, hostSocket } = burstSetup();
		answer('p1', 0);
		answer('p2', 1);
		answer('p3', 2);
		for (const socket of sockets.values()) {
			expect(socket.calls.slice(-5)).toEqual(['cork', 'answer-ack', 'phase', 'you', 'uncork']);
		}
		// The host gets one frame: nothing to gather.
		expect(hostSocket.calls).not.toContain('cork');
	});
});
