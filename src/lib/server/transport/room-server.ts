/**
 * The live side: a Fastify plugin serving the room server under `/ws`: the WebSocket at `/ws`
 * itself, and the HTTP fallback (event stream and POSTs, http-fallback.ts) beside it for
 * networks that cut WebSockets. Both refuse other sites' pages and addresses with too many
 * connections, and hand every frame to a `Session` (session.ts), which authenticates, rations,
 * validates and measures round trips the same way whatever carries the frames.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CloseCode } from '../../protocol/index.ts';
import type { GameService } from '../live/game-service.ts';
import type { Identity } from '../live/seats.ts';
import { httpFallback, type FallbackOptions } from './http-fallback.ts';
import { ConnectionCounter } from '../limits/limits.ts';
import {
	Heartbeat,
	HostScreens,
	MAX_FRAME_BYTES,
	originAllowed,
	TOO_MANY_CONNECTIONS,
	type Identify,
	type LiveContext
} from './connections.ts';
import { errorFrame } from '../live/room.ts';
import { Session } from './session.ts';
import { SocketTransport } from './socket-transport.ts';

export interface RoomServerOptions {
	games: GameService;
	/** Ping this often; a client that misses two pongs in a row is cut. */
	heartbeatMs?: number;
	/** A client that has not said hello by then is closed. */
	helloTimeoutMs?: number;
	/**
	 * Pages from these origins may connect too (ALLOWED_ORIGINS), besides the app's own: any
	 * other page is refused, so a site a player visits cannot play (or spy) as them.
	 */
	allowedOrigins?: readonly string[];
	/** Open connections one address may have (a school's whole hall may share one address). */
	maxConnectionsPerAddress?: number;
	/** Frames per second a client may send on average, in bursts of up to three times that. */
	messagesPerSecond?: number;
	/** The HTTP fallback's timing, and the bench-only polling endpoint. */
	fallback?: Partial<FallbackOptions>;
	/**
	 * The signed-in host behind a connection, by its session cookie; a host seat opens only for
	 * its game's host (or an admin). Without it, no connection is anyone's: host seats stay shut.
	 */
	identify?: Identify;
	/** Where host screens are kept by sign-in session, so an ended session closes its screens. */
	hostScreens?: HostScreens;
}

declare module 'fastify' {
	interface FastifyRequest {
		/** Set before a WebSocket upgrade: who it comes from. */
		identity: Identity | null;
	}
}

export const MAX_CONNECTIONS_PER_ADDRESS_DEFAULT = 2500;
export const MESSAGES_PER_SECOND_DEFAULT = 10;

export const roomServer: FastifyPluginAsync<RoomServerOptions> = async (fastify, options) => {
	const live: LiveContext = {
		games: options.games,
		limits: {
			helloTimeoutMs: options.helloTimeoutMs ?? 5000,
			messagesPerSecond: options.messagesPerSecond ?? MESSAGES_PER_SECOND_DEFAULT
		},
		allowedOrigins: options.allowedOrigins ?? [],
		connections: new ConnectionCounter(
			options.maxConnectionsPerAddress ?? MAX_CONNECTIONS_PER_ADDRESS_DEFAULT
		),
		heartbeat: new Heartbeat(options.heartbeatMs ?? 5000),
		identify: options.identify ?? (async () => null),
		hostScreens: options.hostScreens ?? new HostScreens()
	};
	fastify.decorateRequest('identity', null);
	const { games, limits, connections } = live;

	await fastify.register(websocket, {
		options: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false }
	});

	/**
	 * Runs before the upgrade: a refusal here is a plain HTTP answer, and no socket opens. Who
	 * the connection comes from is looked up here too, while waiting is still allowed.
	 */
	const checkOrigin = async (request: FastifyRequest, reply: FastifyReply) => {
		if (!originAllowed(request.headers.origin, request.host, live.allowedOrigins)) {
			return reply.code(403).send({
				code: 'bad-origin',
				message: `Pages from ${request.headers.origin} may not open Quizroom sockets`
			});
		}
		request.identity = await live.identify(request.headers);
	};

	fastify.get('/ws', { websocket: true, preValidation: checkOrigin }, (socket, request) => {
		// Counted once the socket is open, so nothing is counted that never opened.
		const address = request.ip;
		releaseUpgrade(socket, request);
		if (!connections.tryOpen(address)) {
			socket.send(errorFrame('too-many-connections', TOO_MANY_CONNECTIONS));
			socket.close(CloseCode.policy, 'Too many connections');
			return;
		}
		// Listeners go on before anything async, or early frames are lost.
		const session = new Session(
			new SocketTransport(socket),
			games,
			limits,
			request.identity,
			live.hostScreens
		);
		const leaveHeartbeat = live.heartbeat.add(session);
		socket.on('message', (data, isBinary) => {
			session.receive(isBinary ? '' : data.toString(), isBinary);
		});
		socket.on('pong', (payload) => {
			// The ping's id, echoed: a late pong is not taken for the latest ping's (which would
			// make the round trip look short).
			const echoed = Number(payload.toString());
			const id = Number.isSafeInteger(echoed) && echoed > 0 ? echoed : session.pendingPing;
			if (id !== null) session.pong(id);
		});
		socket.on('error', () => socket.terminate());
		socket.on('close', () => {
			connections.close(address);
			leaveHeartbeat();
			session.closed();
		});
	});

	await fastify.register(httpFallback, { live, ...options.fallback });

	fastify.addHook('onClose', async () => live.heartbeat.stop());
};

/**
 * @fastify/websocket keeps each upgrade's request, reply (a ServerResponse that never finishes,
 * tied to the TCP socket), their logger and headers alive for the socket's whole life: through
 * that response, and through its own 'error' listener, a closure over both. About 2 KB a
 * player, a fifth of what a phone costs the server. Both links go here; our own 'error'
 * listener (below) does what the plugin's did, minus the log line (a phone dropping off is no
 * server error).
 */
function releaseUpgrade(socket: WebSocket, request: FastifyRequest): void {
	socket.removeAllListeners('error');
	const raw = request.raw.socket as Socket & { _httpMessage?: ServerResponse | null };
	raw._httpMessage?.detachSocket(raw);
}
