/**
 * The live side: a Fastify plugin serving one WebSocket endpoint at `/ws`. It authenticates a
 * socket by its first frame, validates every frame, keeps the heartbeat (and with it each
 * player's round-trip time) and hands game messages to the socket's room.
 */
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import {
	CloseCode,
	PROTOCOL_VERSION,
	parseClientFrame,
	type ClientMessage,
	type ServerMessage
} from '../protocol/index.ts';
import type { GameService } from './game-service.ts';
import { errorFrame, type Room, type RoomSocket, type Seat } from './room.ts';

export interface RoomServerOptions {
	games: GameService;
	/** Ping this often; a socket that misses two pongs in a row is cut. */
	heartbeatMs?: number;
	/** A socket that has not said hello by then is closed. */
	helloTimeoutMs?: number;
}

export const MAX_FRAME_BYTES = 4096;
const RTT_SAMPLES = 5;

export const roomServer: FastifyPluginAsync<RoomServerOptions> = async (fastify, options) => {
	const { games } = options;
	const heartbeatMs = options.heartbeatMs ?? 5000;
	const helloTimeoutMs = options.helloTimeoutMs ?? 5000;
	const sessions = new Set<SocketSession>();

	await fastify.register(websocket, {
		options: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false }
	});

	fastify.get('/ws', { websocket: true }, (socket) => {
		// Listeners go on before anything async, or early frames are lost.
		const session = new SocketSession(socket, games, helloTimeoutMs);
		sessions.add(session);
		socket.on('close', () => {
			sessions.delete(session);
			session.closed();
		});
	});

	const heartbeat = setInterval(() => {
		for (const session of sessions) session.heartbeat();
	}, heartbeatMs);
	heartbeat.unref();

	fastify.addHook('onClose', async () => clearInterval(heartbeat));
};

class SocketSession implements RoomSocket {
	private seated: { room: Room; seat: Seat } | null = null;
	private helloTimer: ReturnType<typeof setTimeout> | null;
	private missedPongs = 0;
	private pingSentAt = 0;
	private readonly rttSamples: number[] = [];

	constructor(
		private readonly socket: WebSocket,
		private readonly games: GameService,
		helloTimeoutMs: number
	) {
		socket.on('message', (data, isBinary) => this.receive(data, isBinary));
		socket.on('pong', () => this.pong());
		socket.on('error', () => socket.terminate());
		this.helloTimer = setTimeout(() => {
			this.sendMessage({ type: 'error', code: 'not-authenticated', message: 'Say hello first' });
			socket.close(CloseCode.helloTimeout, 'No hello');
		}, helloTimeoutMs);
	}

	send(text: string): void {
		if (this.socket.readyState === this.socket.OPEN) this.socket.send(text);
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
