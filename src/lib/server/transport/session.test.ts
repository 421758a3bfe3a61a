/**
 * The session whatever carries its frames, over a fake transport and a fake room: the hello
 * timeout, seating, and round trips measured from pings for the room (on the fallback a `pong`
 * frame answers; on a WebSocket a protocol-level pong).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CloseCode, PROTOCOL_VERSION } from '../../protocol/index.ts';
import type { GameService } from '../live/game-service.ts';
import type { Room } from '../live/room.ts';
import { Session, type Transport } from './session.ts';

class FakeTransport implements Transport {
	sent: Record<string, unknown>[] = [];
	closedWith: [number, string] | null = null;
	terminated = 0;
	pings: number[] = [];
	canPing = true;
	send(text: string) {
		this.sent.push(JSON.parse(text) as Record<string, unknown>);
	}
	close(code: number, reason: string) {
		this.closedWith = [code, reason];
	}
	terminate() {
		this.terminated++;
	}
	ping(id: number) {
		if (!this.canPing) return false;
		this.pings.push(id);
		return true;
	}
}

function setup() {
	const roundTrips: number[] = [];
	const room = {
		connect: vi.fn(),
		disconnect: vi.fn(),
		handleMessage: vi.fn(),
		sendSnapshot: vi.fn(),
		setRoundTrip: (_playerId: string, rtt: number) => roundTrips.push(rtt)
	};
	const games = {
		seatFor: (token: string) =>
			token === 'good'
				? { room: room as unknown as Room, seat: { role: 'player', playerId: 'p1' } }
				: null,
		wasRemoved: () => false
	} as unknown as GameService;
	const transport = new FakeTransport();
	const session = new Session(transport, games, { helloTimeoutMs: 5000, messagesPerSecond: 10 });
	return { session, transport, room, roundTrips };
}

const hello = (session: Session) =>
	session.receive(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token: 'good' }));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Session', () => {
	test('without hello within the limit: told so, and closed (4005)', () => {
		const { transport } = setup();
		vi.advanceTimersByTime(5000);
		expect(transport.sent).toEqual([expect.objectContaining({ code: 'not-authenticated' })]);
		expect(transport.closedWith?.[0]).toBe(CloseCode.helloTimeout);
	});

	test('hello seats it in the room, and a first ping goes out at once', () => {
		const { session, transport, room } = setup();
		hello(session);
		expect(room.connect).toHaveBeenCalledWith({ role: 'player', playerId: 'p1' }, session);
		expect(transport.pings).toEqual([1]);
		vi.advanceTimersByTime(5000);
		expect(transport.closedWith).toBeNull();
	});

	test('pongs feed the room the median of the last five round trips', () => {
		const { session, transport, roundTrips } = setup();
		hello(session);
		for (const ms of [40, 10, 30, 200, 20, 50]) {
			vi.advanceTimersByTime(ms);
			session.receive(JSON.stringify({ type: 'pong', id: transport.pings.at(-1) }));
			session.heartbeat();
		}
		// 40; 10, 40 → 25; 10, 30, 40 → 30; …; the last five: 10, 30, 200, 20, 50 → 30.
		expect(roundTrips).toEqual([40, 25, 30, 35, 30, 30]);
	});

	test('after hello, round trips are measured one after another until there are five', () => {
		const { session, transport, roundTrips } = setup();
		hello(session);
		for (let i = 0; i < 7; i++) {
			vi.advanceTimersByTime(30);
			session.pong(transport.pings.at(-1)!);
			vi.advanceTimersByTime(100);
		}
		// Five samples within a second of hello; then only the heartbeat pings.
		expect(roundTrips).toEqual([30, 30, 30, 30, 30]);
		expect(transport.pings).toEqual([1, 2, 3, 4, 5]);
	});

	test('a pong for no ping, or a repeated one, proves nothing', () => {
		const { session, transport, roundTrips } = setup();
		hello(session);
		session.receive(JSON.stringify({ type: 'pong', id: 2 }));
		expect(roundTrips).toEqual([]);
		session.pong(transport.pings.at(-1)!);
		session.pong(transport.pings.at(-1)!);
		expect(roundTrips).toHaveLength(1);
	});

	test('a late pong measures its own ping, not the one sent after it', () => {
		const { session, transport, roundTrips } = setup();
		hello(session);
		vi.advanceTimersByTime(400);
		session.heartbeat(); // ping 2, while ping 1 is still out
		vi.advanceTimersByTime(200);
		session.pong(1);
		expect(roundTrips).toEqual([600]);
		vi.advanceTimersByTime(100);
		session.pong(2);
		expect(roundTrips).toEqual([600, 450]);
		expect(transport.pings).toEqual([1, 2]);
	});

	test('two pings unanswered: the link is cut; pings that could not go out do not count', () => {
		const { session, transport } = setup();
		hello(session);
		transport.canPing = false;
		session.heartbeat();
		session.heartbeat();
		session.heartbeat();
		expect(transport.terminated).toBe(0);
		transport.canPing = true;
		session.heartbeat();
		session.heartbeat();
		expect(transport.terminated).toBe(1);
	});

	test('a fallback stream back from a cut gets its round trip measured again', () => {
		const { session, transport } = setup();
		session.measure();
		expect(transport.pings).toEqual([]);
		hello(session);
		session.measure();
		expect(transport.pings).toEqual([1]);
		session.pong(1);
		session.measure();
		expect(transport.pings).toEqual([1, 2]);
	});
});
