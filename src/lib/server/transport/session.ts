/**
 * One client's live session, whichever way its frames travel: it expects `hello` within a few
 * seconds, takes each frame from a token bucket, validates it (`parseClientFrame`), seats the
 * client by its token, answers clock probes, measures round trips for the room and hands game
 * messages to the room. The room sees the session as its `RoomSocket`; the transport under it
 * (a WebSocket, or the HTTP fallback's event stream and POSTs) only carries text.
 */
import {
	CloseCode,
	PROTOCOL_VERSION,
	parseClientFrame,
	type ClientMessage,
	type ServerMessage
} from '../../protocol/index.ts';
import type { GameService } from '../live/game-service.ts';
import type { Identity } from '../live/seats.ts';
import { TokenBucket } from '../limits/limits.ts';
import {
	errorFrame,
	type Room,
	type RoomSocket,
	type Seat,
	type SendOptions
} from '../live/room.ts';

/** Where host screens are kept by their sign-in session (connections.ts `HostScreens`). */
export interface HostScreenRegistry {
	add(sessionId: string, screen: Session): void;
	remove(sessionId: string, screen: Session): void;
}

/** What a session needs from the way its frames travel. */
export interface Transport {
	send(text: string, options?: SendOptions): void;
	/** Says why (a close frame, or the stream's `close` event), then ends the session. */
	close(code: number, reason: string): void;
	/** The link looks dead: cut it now, with no goodbye. */
	terminate(): void;
	cork?(): void;
	uncork?(): void;
	/**
	 * Starts a round-trip measurement: the session's `pong(id)` is to be called when the answer
	 * comes. False when no ping could go out (nothing to wait for).
	 */
	ping(id: number): boolean;
}

export interface SessionLimits {
	helloTimeoutMs: number;
	messagesPerSecond: number;
}

/** Frames dropped for speed that a session may pile up (one forgiven per second) before it is cut. */
const DROPPED_FRAMES_BEFORE_CLOSE = 30;
/** The host steps through a game, and scripts step through fast: a bigger budget, still finite. */
const HOST_BUDGET_FACTOR = 5;
const RTT_SAMPLES = 5;
/**
 * After hello, round trips are measured one after another (this far apart) until the median
 * has its five: the first question's answer times need the way up (game/timing.ts), and the
 * heartbeat alone would take 25 s to get there.
 */
const FIRST_SAMPLES_SPACING_MS = 100;
/** Unanswered pings whose pongs would still count. */
const PINGS_REMEMBERED = 3;

export class Session implements RoomSocket {
	private seated: { room: Room; seat: Seat } | null = null;
	private helloTimer: ReturnType<typeof setTimeout> | null;
	private missedPongs = 0;
	private pingId = 0;
	/** The ping whose answer is awaited, and when it left. */
	private awaiting: { id: number; sentAt: number } | null = null;
	/**
	 * When each ping still unanswered left (the last few): a heartbeat may ping again before a
	 * slow link's pong is back, and that late pong still measures its own ping's round trip.
	 */
	private readonly pingsOut = new Map<number, number>();
	private readonly rttSamples: number[] = [];
	private followUp: ReturnType<typeof setTimeout> | null = null;
	private budget: TokenBucket;
	/** Drops for speed: empty means sustained flooding, and the session is cut. */
	private readonly patience: TokenBucket;
	private readonly messagesPerSecond: number;

	constructor(
		private readonly transport: Transport,
		private readonly games: GameService,
		{ helloTimeoutMs, messagesPerSecond }: SessionLimits,
		/** The signed-in host this connection came with, if any: a host seat needs its host. */
		private readonly identity: Identity | null = null,
		private readonly hostScreens: HostScreenRegistry | null = null
	) {
		const now = performance.now();
		this.messagesPerSecond = messagesPerSecond;
		this.budget = new TokenBucket(messagesPerSecond * 3, messagesPerSecond, now);
		this.patience = new TokenBucket(DROPPED_FRAMES_BEFORE_CLOSE, 1, now);
		this.helloTimer = setTimeout(() => {
			this.sendMessage({ type: 'error', code: 'not-authenticated', message: 'Say hello first' });
			transport.close(CloseCode.helloTimeout, 'No hello');
		}, helloTimeoutMs);
	}

	/** Whose seat this is, once `hello` was accepted. */
	get seat(): Seat | null {
		return this.seated?.seat ?? null;
	}

	send(text: string, options?: SendOptions): void {
		this.transport.send(text, options);
	}

	cork(): void {
		this.transport.cork?.();
	}

	uncork(): void {
		this.transport.uncork?.();
	}

	close(code: number, reason: string): void {
		this.transport.close(code, reason);
	}

	/** The transport is gone for good: the room no longer reaches this client through it. */
	closed(): void {
		if (this.helloTimer) clearTimeout(this.helloTimer);
		this.helloTimer = null;
		if (this.followUp) clearTimeout(this.followUp);
		this.followUp = null;
		if (this.seated) this.seated.room.disconnect(this.seated.seat, this);
		if (this.seated?.seat.role === 'host' && this.identity) {
			this.hostScreens?.remove(this.identity.sessionId, this);
		}
		this.seated = null;
	}

	/** The host's sign-in session ended: this host screen closes and must sign in again. */
	signedOut(): void {
		this.sendMessage({
			type: 'error',
			code: 'not-your-game',
			message: 'You were signed out: sign in again to host this game'
		});
		this.transport.close(CloseCode.notYourGame, 'Signed out');
	}

	/**
	 * Events this client missed can no longer be replayed: it gets the whole picture again (the
	 * same snapshot a reconnect gets).
	 */
	resync(): void {
		if (this.seated) this.seated.room.sendSnapshot(this.seated.seat, this);
	}

	/** Called once per heartbeat: a client that let two pings go unanswered is cut. */
	heartbeat(): void {
		if (this.missedPongs >= 2) {
			this.missedPongs = 0;
			this.awaiting = null;
			this.transport.terminate();
			return;
		}
		this.ping();
	}

	/** A round-trip sample now, unless one is under way (a fallback stream just came back). */
	measure(): void {
		if (this.seated && !this.awaiting) this.ping();
	}

	/** The answer to ping `id` came back: one more round-trip sample for the room. */
	pong(id: number, heldMs = 0): void {
		// Only a ping that went out counts: an early or repeated pong proves nothing.
		const sentAt = this.pingsOut.get(id);
		if (sentAt === undefined) return;
		for (const out of this.pingsOut.keys()) if (out <= id) this.pingsOut.delete(out);
		if (this.awaiting?.id === id) this.awaiting = null;
		this.missedPongs = 0;
		// Time the pong waited on the phone is not the link's (it can only make a sample shorter).
		const rtt = performance.now() - sentAt;
		this.rttSamples.push(rtt - Math.min(rtt, Math.max(0, heldMs)));
		if (this.rttSamples.length > RTT_SAMPLES) this.rttSamples.shift();
		if (this.seated?.seat.role === 'player') {
			this.seated.room.setRoundTrip(this.seated.seat.playerId, median(this.rttSamples));
			if (this.rttSamples.length < RTT_SAMPLES && !this.followUp) {
				this.followUp = setTimeout(() => {
					this.followUp = null;
					this.measure();
				}, FIRST_SAMPLES_SPACING_MS);
			}
		}
	}

	/** The latest ping's id, for transports whose pongs carry none (WebSocket). */
	get pendingPing(): number | null {
		return this.awaiting?.id ?? null;
	}

	/** One frame from the client; `binary` frames are refused (WebSocket only). */
	receive(text: string, binary = false): void {
		const now = performance.now();
		if (!this.budget.take(now)) {
			if (!this.patience.take(now)) {
				this.sendMessage({
					type: 'error',
					code: 'rate-limited',
					message: 'Too many messages: disconnected'
				});
				this.inTurn(() => this.transport.close(CloseCode.policy, 'Too many messages'));
				return;
			}
			this.sendMessage({
				type: 'error',
				code: 'rate-limited',
				message: 'Too many messages: slow down (this one was dropped)'
			});
			return;
		}
		if (binary) {
			this.sendMessage({ type: 'error', code: 'bad-frame', message: 'Frames must be JSON text' });
			return;
		}
		const parsed = parseClientFrame(text);
		if (!parsed.ok) {
			this.inTurn(() => this.send(errorFrame(parsed.code, parsed.message)));
			return;
		}
		this.handle(parsed.message);
	}

	private ping(): void {
		const id = ++this.pingId;
		const sentAt = performance.now();
		if (!this.transport.ping(id)) return;
		this.missedPongs++;
		this.awaiting = { id, sentAt };
		this.pingsOut.set(id, sentAt);
		if (this.pingsOut.size > PINGS_REMEMBERED)
			this.pingsOut.delete(this.pingsOut.keys().next().value!);
	}

	private handle(message: ClientMessage): void {
		if (message.type === 'clock') {
			// Stamped as it leaves: a reply held behind a commit would otherwise skew the countdown
			// (a held one has a longer round trip, and the phone trusts the shortest).
			this.inTurn(() => this.send(JSON.stringify({ ...message, serverTime: Date.now() })));
			return;
		}
		if (message.type === 'pong') {
			this.pong(message.id, message.heldMs);
			return;
		}
		if (message.type === 'hello') {
			this.hello(message.v, message.token);
			return;
		}
		if (!this.seated) {
			this.sendMessage({ type: 'error', code: 'not-authenticated', message: 'Say hello first' });
			return;
		}
		this.seated.room.handleMessage(this.seated.seat, this, message);
	}

	private hello(version: number, token: string): void {
		if (this.seated) {
			this.sendMessage({
				type: 'error',
				code: 'already-authenticated',
				message: 'Hello only once'
			});
			return;
		}
		if (this.helloTimer) clearTimeout(this.helloTimer);
		this.helloTimer = null;
		if (version !== PROTOCOL_VERSION) {
			this.sendMessage({
				type: 'error',
				code: 'bad-version',
				message: `This server speaks protocol ${PROTOCOL_VERSION}: reload the page`
			});
			this.transport.close(CloseCode.badVersion, 'Protocol version mismatch');
			return;
		}
		const seated = this.games.seatFor(token);
		if (!seated && this.games.wasRemoved(token)) {
			this.sendMessage({
				type: 'error',
				code: 'kicked',
				message: 'You were removed from the game by the host'
			});
			this.transport.close(CloseCode.kicked, 'Removed by the host');
			return;
		}
		if (!seated) {
			this.sendMessage({
				type: 'error',
				code: 'bad-token',
				message: 'This game is over or the link is no longer valid'
			});
			this.transport.close(CloseCode.badToken, 'Unknown token');
			return;
		}
		// A host link alone (the token) is not enough: it must come with the host's sign-in.
		if (seated.seat.role === 'host' && !this.games.mayHost(seated.room, this.identity)) {
			this.sendMessage({
				type: 'error',
				code: 'not-your-game',
				message: "Sign in as this game's host to open its host screen"
			});
			this.transport.close(CloseCode.notYourGame, 'Not your game');
			return;
		}
		this.seated = seated;
		if (seated.seat.role === 'host') {
			if (this.identity) this.hostScreens?.add(this.identity.sessionId, this);
			const perSecond = this.messagesPerSecond * HOST_BUDGET_FACTOR;
			this.budget = new TokenBucket(perSecond * 3, perSecond, performance.now());
		}
		seated.room.connect(seated.seat, this);
		// A first round-trip sample now, rather than at the next heartbeat.
		this.ping();
	}

	private sendMessage(message: ServerMessage): void {
		const text = JSON.stringify(message);
		this.inTurn(() => this.send(text));
	}

	/**
	 * Replies leave in the order of the frames they answer: once seated, behind what the room
	 * holds for this socket (an answer's acknowledgement waiting for its commit).
	 */
	private inTurn(write: () => void): void {
		if (this.seated) this.seated.room.inTurn(this.seated.seat, write);
		else write();
	}
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
