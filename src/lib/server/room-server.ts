/**
 * The live side: a Fastify plugin serving one WebSocket endpoint at `/ws`. It refuses upgrades
 * from other sites' pages and from addresses with too many sockets, authenticates a socket by
 * its first frame, rations and validates every frame, keeps the heartbeat (and with it each
 * player's round-trip time) and hands game messages to the socket's room.
 */
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import {
	CloseCode,
	PROTOCOL_VERSION,
	parseClientFrame,
	type ClientMessage,
	type ServerMessage
} from '../protocol/index.ts';
import type { GameService } from './game-service.ts';
import { ConnectionCounter, TokenBucket } from './limits.ts';
import { errorFrame, type Room, type RoomSocket, type Seat, type SendOptions } from './room.ts';

export interface RoomServerOptions {
	games: GameService;
	/** Ping this often; a socket that misses two pongs in a row is cut. */
	heartbeatMs?: number;
	/** A socket that has not said hello by then is closed. */
	helloTimeoutMs?: number;
	/**
	 * Pages from these origins may open sockets too (ALLOWED_ORIGINS), besides the app's own:
	 * any other page is refused, so a site a player visits cannot play (or spy) as them.
	 */
	allowedOrigins?: readonly string[];
	/** Open sockets one address may have (a school's whole hall may share one address). */
	maxConnectionsPerAddress?: number;
	/** Frames per second a socket may send on average, in bursts of up to three times that. */
	messagesPerSecond?: number;
}

export const MAX_FRAME_BYTES = 4096;
export const MAX_CONNECTIONS_PER_ADDRESS_DEFAULT = 2500;
export const MESSAGES_PER_SECOND_DEFAULT = 10;
/** Frames dropped for speed that a socket may pile up (one forgiven per second) before it is cut. */
const DROPPED_FRAMES_BEFORE_CLOSE = 30;
/** The host steps through a game, and scripts step through fast: a bigger budget, still finite. */
const HOST_BUDGET_FACTOR = 5;
const RTT_SAMPLES = 5;
/** Every socket is still pinged once per heartbeat, a tenth of them at a time. */
const HEARTBEAT_SLICES = 10;
/** Unsent bytes past which a socket lags: ticks and answer counts are skipped for it. */
const LAGGING_BYTES = 64 * 1024;
/** Unsent bytes past which a socket is cut (above any snapshot, even a host's of 20,000 players). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * The last frame's bytes: a broadcast hands every socket the same string, which is then
 * encoded once instead of once per socket.
 */
let lastText = '';
let lastBytes = Buffer.alloc(0);
function encoded(text: string): Buffer {
	if (text !== lastText) {
		lastText = text;
		lastBytes = Buffer.from(text);
	}
	return lastBytes;
}

/** The TCP socket under a `ws` socket (`ws` keeps it as `_socket`), for cork and uncork. */
function rawSocket(socket: WebSocket): Socket | undefined {
	return (socket as unknown as { _socket?: Socket })._socket;
}

/**
 * Cross-site WebSocket hijacking: a browser always says which page opened the socket. Our own
 * pages are served from the host the upgrade was sent to. Clients that are not browsers send
 * no Origin; they could claim any, so refusing them would protect nothing.
 */
export function originAllowed(
	origin: string | undefined,
	host: string,
	allowed: readonly string[]
): boolean {
	if (origin === undefined) return true;
	if (allowed.includes(origin)) return true;
	try {
		return new URL(origin).host === host;
	} catch {
		return false;
	}
}

export const roomServer: FastifyPluginAsync<RoomServerOptions> = async (fastify, options) => {
	const { games } = options;
	const heartbeatMs = options.heartbeatMs ?? 5000;
	const limits: SessionLimits = {
		helloTimeoutMs: options.helloTimeoutMs ?? 5000,
		messagesPerSecond: options.messagesPerSecond ?? MESSAGES_PER_SECOND_DEFAULT
	};
	const allowedOrigins = options.allowedOrigins ?? [];
	const connections = new ConnectionCounter(
		options.maxConnectionsPerAddress ?? MAX_CONNECTIONS_PER_ADDRESS_DEFAULT
	);
	// Pinged a slice at a time, spread over the interval: 10,000 pings (and their pongs) in one
	// go would stall every room's clock for a moment every few seconds.
	const slices = Array.from({ length: HEARTBEAT_SLICES }, () => new Set<SocketSession>());
	let nextSlice = 0;

	await fastify.register(websocket, {
		options: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false }
	});

	/** Runs before the upgrade: a refusal here is a plain HTTP answer, and no socket opens. */
	const checkOrigin = async (request: FastifyRequest, reply: FastifyReply) => {
		if (!originAllowed(request.headers.origin, request.host, allowedOrigins)) {
			return reply.code(403).send({
				code: 'bad-origin',
				message: `Pages from ${request.headers.origin} may not open Quizroom sockets`
			});
		}
	};

	fastify.get('/ws', { websocket: true, preValidation: checkOrigin }, (socket, request) => {
		// Counted once the socket is open, so nothing is counted that never opened.
		const address = request.ip;
		if (!connections.tryOpen(address)) {
			socket.send(
				errorFrame(
					'too-many-connections',
					'Too many connections from your network: close some tabs and try again'
				)
			);
			socket.close(CloseCode.policy, 'Too many connections');
			return;
		}
		// Listeners go on before anything async, or early frames are lost.
		const session = new SocketSession(socket, games, limits);
		const slice = slices[nextSlice++ % HEARTBEAT_SLICES]!;
		slice.add(session);
		socket.on('close', () => {
			connections.close(address);
			slice.delete(session);
			session.closed();
		});
	});

	let dueSlice = 0;
	const heartbeat = setInterval(() => {
		for (const session of slices[dueSlice]!) session.heartbeat();
		dueSlice = (dueSlice + 1) % HEARTBEAT_SLICES;
	}, heartbeatMs / HEARTBEAT_SLICES);
	heartbeat.unref();

	fastify.addHook('onClose', async () => clearInterval(heartbeat));
};

interface SessionLimits {
	helloTimeoutMs: number;
	messagesPerSecond: number;
}

class SocketSession implements RoomSocket {
	private seated: { room: Room; seat: Seat } | null = null;
	private helloTimer: ReturnType<typeof setTimeout> | null;
	private missedPongs = 0;
	private pingSentAt = 0;
	private readonly rttSamples: number[] = [];
	private budget: TokenBucket;
	/** Drops for speed: empty means sustained flooding, and the socket is cut. */
	private readonly patience: TokenBucket;

	private readonly messagesPerSecond: number;

	constructor(
		private readonly socket: WebSocket,
		private readonly games: GameService,
		{ helloTimeoutMs, messagesPerSecond }: SessionLimits
	) {
		const now = performance.now();
		this.messagesPerSecond = messagesPerSecond;
		this.budget = new TokenBucket(messagesPerSecond * 3, messagesPerSecond, now);
		this.patience = new TokenBucket(DROPPED_FRAMES_BEFORE_CLOSE, 1, now);
		socket.on('message', (data, isBinary) => this.receive(data, isBinary));
		socket.on('pong', () => this.pong());
		socket.on('error', () => socket.terminate());
		this.helloTimer = setTimeout(() => {
			this.sendMessage({ type: 'error', code: 'not-authenticated', message: 'Say hello first' });
			socket.close(CloseCode.helloTimeout, 'No hello');
		}, helloTimeoutMs);
	}

	send(text: string, options?: SendOptions): void {
		const socket = this.socket;
		if (socket.readyState !== socket.OPEN) return;
		const queued = socket.bufferedAmount;
		if (queued > MAX_BUFFERED_BYTES) {
			// Not reading (a phone in a pocket on a dead link): cut it rather than hold its frames
			// without end. It reconnects, if it ever does, to a fresh snapshot.
			socket.terminate();
			return;
		}
		if (options?.droppable && queued > LAGGING_BYTES) return;
		socket.send(encoded(text), { binary: false });
	}

	cork(): void {
		rawSocket(this.socket)?.cork();
	}

	uncork(): void {
		rawSocket(this.socket)?.uncork();
	}

	close(code: number, reason: string): void {
		this.socket.close(code, reason);
	}

	closed(): void {
		if (this.helloTimer) clearTimeout(this.helloTimer);
		if (this.seated) this.seated.room.disconnect(this.seated.seat, this);
		this.seated = null;
	}

	heartbeat(): void {
		if (this.missedPongs >= 2) {
			this.socket.terminate();
			return;
		}
		this.ping();
	}

	private ping(): void {
		this.missedPongs++;
		this.pingSentAt = performance.now();
		this.socket.ping();
	}

	private pong(): void {
		this.missedPongs = 0;
		this.rttSamples.push(performance.now() - this.pingSentAt);
		if (this.rttSamples.length > RTT_SAMPLES) this.rttSamples.shift();
		if (this.seated?.seat.role === 'player') {
			this.seated.room.setRoundTrip(this.seated.seat.playerId, median(this.rttSamples));
		}
	}

	private receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
		const now = performance.now();
		if (!this.budget.take(now)) {
			if (!this.patience.take(now)) {
				this.sendMessage({
					type: 'error',
					code: 'rate-limited',
					message: 'Too many messages: disconnected'
				});
				this.socket.close(CloseCode.policy, 'Too many messages');
				return;
			}
			this.sendMessage({
				type: 'error',
				code: 'rate-limited',
				message: 'Too many messages: slow down (this one was dropped)'
			});
			return;
		}
		if (isBinary) {
			this.sendMessage({ type: 'error', code: 'bad-frame', message: 'Frames must be JSON text' });
			return;
		}
		const parsed = parseClientFrame(data.toString());
		if (!parsed.ok) {
			this.send(errorFrame(parsed.code, parsed.message));
			return;
		}
		this.handle(parsed.message);
	}

	private handle(message: ClientMessage): void {
		if (message.type === 'clock') {
			// Answered here, at once: any delay would skew every phone's countdown.
			this.sendMessage({ ...message, serverTime: Date.now() });
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
			this.socket.close(CloseCode.badVersion, 'Protocol version mismatch');
			return;
		}
		const seated = this.games.seatFor(token);
		if (!seated && this.games.wasRemoved(token)) {
			this.sendMessage({
				type: 'error',
				code: 'kicked',
				message: 'You were removed from the game by the host'
			});
			this.socket.close(CloseCode.kicked, 'Removed by the host');
			return;
		}
		if (!seated) {
			this.sendMessage({
				type: 'error',
				code: 'bad-token',
				message: 'This game is over or the link is no longer valid'
			});
			this.socket.close(CloseCode.badToken, 'Unknown token');
			return;
		}
		this.seated = seated;
		if (seated.seat.role === 'host') {
			const perSecond = this.messagesPerSecond * HOST_BUDGET_FACTOR;
			this.budget = new TokenBucket(perSecond * 3, perSecond, performance.now());
		}
		seated.room.connect(seated.seat, this);
		// A first round-trip sample now, rather than in five seconds.
		this.ping();
	}

	private sendMessage(message: ServerMessage): void {
		this.send(JSON.stringify(message));
	}
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
