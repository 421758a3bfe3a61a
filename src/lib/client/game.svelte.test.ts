/**
 * The screen state over a fake socket: answers kept across a drop and settled by the next
 * snapshot, the server restarting, a seat taken by another tab, the browser going offline.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
	AnswerInput,
	PhaseView,
	PlayerStatus,
	QuestionView,
	ServerMessage
} from '../protocol/messages.ts';
import { DEFAULT_GAME_OPTIONS } from '../protocol/messages.ts';
import { MISSED_ANSWER } from './answer-outbox.ts';
import { FakeSocket } from '../testing/fake-socket.ts';
import { Game } from './game.svelte.ts';

function question(index: number): QuestionView {
	return {
		index,
		total: 3,
		number: index + 1,
		questionCount: 3,
		type: 'quiz',
		text: null,
		options: null,
		optionCount: 4,
		points: 'standard',
		timeLimitMs: 20_000,
		image: null,
		body: null,
		slider: null,
		items: null,
		maxLength: null
	};
}

/** Opened just now: the answers are open on arrival, and not late. */
const open = (index: number): PhaseView => ({
	phase: 'open',
	question: question(index),
	opensAt: Date.now(),
	closesAt: Date.now() + 20_000
});

function you(currentAnswer: AnswerInput | null = null): PlayerStatus {
	return {
		id: 'p1',
		nickname: 'Maya',
		score: 0,
		streak: 0,
		rank: null,
		playerCount: 2,
		ahead: null,
		lastResult: null,
		firstQuestion: 0,
		currentAnswer
	};
}

function snapshot(view: PhaseView, status: PlayerStatus = you()): ServerMessage {
	return {
		type: 'state',
		v: 1,
		role: 'player',
		pin: '123456',
		quizTitle: 'Quiz',
		questionCount: 3,
		options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0 },
		serverTime: Date.now(),
		view,
		players: null,
		playerCount: 2,
		answeredCount: 0,
		answeredOf: 2,
		you: status,
		locked: false
	};
}

const games: Game[] = [];

/** Connects a game and brings its socket to the given view. */
function connected(view: PhaseView): Game {
	const game = new Game();
	games.push(game);
	game.connect('token-1');
	FakeSocket.last.accept();
	FakeSocket.last.push(snapshot(view));
	return game;
}

/** Lets the reconnect backoff run out; the new socket is accepted. */
function reconnect(): FakeSocket {
	const before = FakeSocket.all.length;
	// Accepted as soon as it is opened, as a server that is up would.
	for (let waited = 0; FakeSocket.all.length === before && waited < 5000; waited += 50) {
		vi.advanceTimersByTime(50);
	}
	expect(FakeSocket.all.length).toBeGreaterThan(before);
	FakeSocket.last.accept();
	return FakeSocket.last;
}

const windowEvents = new EventTarget();

beforeEach(() => {
	vi.useFakeTimers();
	FakeSocket.all = [];
	vi.stubGlobal('WebSocket', FakeSocket);
	// The screen over one kind of link: sockets cut at once, again and again, would otherwise
	// (rightly) send it to the HTTP fallback; switching has its own tests (connection.test.ts).
	vi.stubGlobal('location', { protocol: 'http:', host: 'quiz.test', search: '?transport=ws' });
	vi.stubGlobal('window', windowEvents);
});

afterEach(() => {
	for (const game of games.splice(0)) game.disconnect();
	vi.useRealTimers();
	vi.unstubAllGlobals();
});

describe('answers across a dropped connection', () => {
	it('sends at once on a live socket and locks in on the ack', () => {
		const game = connected(open(0));
		game.answer({ choice: 1 });
		expect(FakeSocket.last.answers()).toEqual([{ type: 'answer', questionIndex: 0, choice: 1 }]);
		expect(game.pendingAnswer).toEqual({ choice: 1 });
		expect(game.answerWaiting).toBe(false);
		FakeSocket.last.push({ type: 'answer-ack', questionIndex: 0, choice: 1 });
		expect(game.lockedAnswer).toEqual({ choice: 1 });
		expect(game.pendingAnswer).toBeNull();
	});

	it('keeps an answer made while down and sends it after the snapshot', () => {
		const game = connected(open(0));
		FakeSocket.last.drop(1006);
		expect(game.status).toBe('reconnecting');
		game.answer({ choice: 2 });
		expect(game.answerWaiting).toBe(true);
		expect(game.notice).toBeNull();

		const socket = reconnect();
		expect(socket.answers()).toEqual([]); // not before the snapshot
		socket.push(snapshot(open(0)));
		expect(socket.answers()).toEqual([{ type: 'answer', questionIndex: 0, choice: 2 }]);
		expect(game.answerWaiting).toBe(false);
		socket.push({ type: 'answer-ack', questionIndex: 0, choice: 2 });
		expect(game.lockedAnswer).toEqual({ choice: 2 });
	});

	it('does not send twice what the server already has', () => {
		const game = connected(open(0));
		game.answer({ choice: 3 });
		FakeSocket.last.drop(1006); // the ack was lost with the socket
		const socket = reconnect();
		socket.push(snapshot(open(0), you({ choice: 3 })));
		expect(socket.answers()).toEqual([]);
		expect(game.lockedAnswer).toEqual({ choice: 3 });
		expect(game.notice).toBeNull();
	});

	it('tells the player when the question moved on meanwhile', () => {
		const game = connected(open(0));
		FakeSocket.last.drop(1006);
		game.answer({ choice: 0 });
		const socket = reconnect();
		socket.push(snapshot(open(1)));
		expect(socket.answers()).toEqual([]);
		expect(game.notice).toBe(MISSED_ANSWER);
		expect(game.lockedAnswer).toBeNull();
		expect(game.pendingAnswer).toBeNull();
	});

	it('says "didn\'t reach the game in time" when a re-sent answer is refused as too late', () => {
		const game = connected(open(0));
		FakeSocket.last.drop(1006);
		game.answer({ choice: 0 });
		const socket = reconnect();
		socket.push(snapshot(open(0)));
		socket.push({ type: 'error', code: 'too-late', message: 'Too late: time was up' });
		expect(game.notice).toBe(MISSED_ANSWER);
		expect(game.pendingAnswer).toBeNull();
	});

	it('a socket that says nothing after an answer is replaced', () => {
		const game = connected(open(0));
		const first = FakeSocket.last;
		game.answer({ choice: 1 });
		vi.advanceTimersByTime(4100);
		expect(game.status).toBe('reconnecting');
		expect(first.readyState).toBe(FakeSocket.CLOSED);
		const socket = reconnect();
		socket.push(snapshot(open(0)));
		expect(socket.answers()).toEqual([{ type: 'answer', questionIndex: 0, choice: 1 }]);
	});
});

describe('connection states', () => {
	it('a server restart shows as restarting until the next snapshot', () => {
		const game = connected({ phase: 'lobby' });
		FakeSocket.last.push({ type: 'closed', reason: 'shutdown', message: 'Restarting' });
		FakeSocket.last.drop(1012);
		expect(game.closed).toBeNull();
		expect(game.status).toBe('reconnecting');
		expect(game.restarting).toBe(true);
		// The server is still down: failed attempts keep the restart message.
		vi.advanceTimersByTime(1000);
		FakeSocket.last.drop(1006);
		expect(game.restarting).toBe(true);
		const socket = reconnect();
		expect(socket.sent[0]).toMatchObject({ type: 'hello', token: 'token-1' });
		socket.push(snapshot({ phase: 'lobby' }));
		expect(game.status).toBe('open');
		expect(game.restarting).toBe(false);
	});

	it('a seat taken by another tab stays closed until taken back', () => {
		const game = connected({ phase: 'lobby' });
		FakeSocket.last.push({
			type: 'closed',
			reason: 'replaced',
			message: 'This game was opened in another tab or device'
		});
		FakeSocket.last.drop(4003);
		expect(game.closed?.reason).toBe('replaced');
		expect(game.status).toBe('closed');
		const count = FakeSocket.all.length;
		vi.advanceTimersByTime(30_000);
		expect(FakeSocket.all.length).toBe(count); // no fight over the seat

		game.takeBack();
		expect(game.closed).toBeNull();
		FakeSocket.last.accept();
		expect(FakeSocket.last.sent[0]).toMatchObject({ type: 'hello', token: 'token-1' });
	});

	it('a connection attempt that hangs is given up and tried again', () => {
		const game = connected({ phase: 'lobby' });
		FakeSocket.last.drop(1006);
		vi.advanceTimersByTime(5000);
		const stuck = FakeSocket.last; // never accepted: the network swallows the handshake
		vi.advanceTimersByTime(8000);
		expect(stuck.readyState).toBe(FakeSocket.CLOSED);
		const socket = reconnect();
		expect(socket).not.toBe(stuck);
		socket.push(snapshot({ phase: 'lobby' }));
		expect(game.status).toBe('open');
	});

	it('a close code alone is enough to know the seat is gone', () => {
		const game = connected({ phase: 'lobby' });
		FakeSocket.last.drop(4001);
		expect(game.closed?.reason).toBe('kicked');
	});

	it('a host screen whose sign-in ended says so once, and does not try again', () => {
		const game = connected({ phase: 'lobby' });
		FakeSocket.last.push({
			type: 'error',
			code: 'not-your-game',
			message: 'You were signed out: sign in again to host this game'
		});
		FakeSocket.last.drop(4007);
		expect(game.closed).toMatchObject({ reason: 'error', code: 'not-your-game' });
		// Not "Connection lost — reconnecting…": nothing but signing in again can help.
		expect(game.status).toBe('closed');
		const count = FakeSocket.all.length;
		vi.advanceTimersByTime(30_000);
		expect(FakeSocket.all.length).toBe(count);
	});

	it('going offline drops the socket at once; coming online reconnects at once', () => {
		const game = connected(open(0));
		const first = FakeSocket.last;
		windowEvents.dispatchEvent(new Event('offline'));
		expect(game.status).toBe('reconnecting');
		expect(first.readyState).toBe(FakeSocket.CLOSED);
		game.answer({ choice: 1 });
		expect(game.answerWaiting).toBe(true);

		const count = FakeSocket.all.length;
		windowEvents.dispatchEvent(new Event('online'));
		expect(FakeSocket.all.length).toBe(count + 1);
		FakeSocket.last.accept();
		FakeSocket.last.push(snapshot(open(0)));
		expect(FakeSocket.last.answers()).toEqual([{ type: 'answer', questionIndex: 0, choice: 1 }]);
	});
});

describe('the report on the podium (host)', () => {
	it('follows the report’s save, and starts afresh with each snapshot', () => {
		const podium: PhaseView = { phase: 'podium', standings: [] };
		const game = connected(podium);
		expect(game.report).toBeNull();
		FakeSocket.last.push({ type: 'report', reportId: 'g1', status: 'waiting' });
		expect(game.report).toEqual({ reportId: 'g1', status: 'waiting' });
		FakeSocket.last.push({ type: 'report', reportId: 'g1', status: 'saved' });
		expect(game.report).toEqual({ reportId: 'g1', status: 'saved' });
		// A reconnect's snapshot: the server sends the report's state again after it, if any.
		FakeSocket.last.push(snapshot(podium));
		expect(game.report).toBeNull();
	});
});

describe('answers open at opensAt by the clock, not when a frame arrives', () => {
	it('turns the intro into the open question at opensAt', () => {
		const game = connected(open(0));
		const opensAt = Date.now() + 1_000;
		FakeSocket.last.push({
			type: 'phase',
			phase: 'intro',
			question: question(1),
			opensAt,
			closesAt: opensAt + 20_000
		});
		expect(game.view?.phase).toBe('intro');
		vi.advanceTimersByTime(999);
		expect(game.view?.phase).toBe('intro');
		vi.advanceTimersByTime(1);
		expect(game.view?.phase).toBe('open');
		game.answer({ choice: 1 });
		// On time: nothing to credit.
		expect(FakeSocket.last.answers()).toEqual([{ type: 'answer', questionIndex: 1, choice: 1 }]);
	});

	it('shows an open question sent ahead of opensAt as "get ready" until then', () => {
		const game = connected(open(0));
		const opensAt = Date.now() + 200;
		FakeSocket.last.push({
			type: 'phase',
			phase: 'open',
			question: question(1),
			opensAt,
			closesAt: opensAt + 20_000
		});
		expect(game.view?.phase).toBe('intro');
		vi.advanceTimersByTime(200);
		expect(game.view?.phase).toBe('open');
	});

	it('says how late the answers opened when the question came after opensAt', () => {
		const game = connected(open(0));
		const opensAt = Date.now() - 120;
		FakeSocket.last.push({
			type: 'phase',
			phase: 'open',
			question: question(1),
			opensAt,
			closesAt: opensAt + 20_000
		});
		expect(game.view?.phase).toBe('open');
		game.answer({ choice: 2 });
		expect(FakeSocket.last.answers()).toEqual([
			{ type: 'answer', questionIndex: 1, lateMs: 120, choice: 2 }
		]);
	});
});
