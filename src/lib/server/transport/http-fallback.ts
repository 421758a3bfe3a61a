/**
 * The HTTP fallback's routes, beside the WebSocket under `/ws` (addresses and headers in
 * protocol/fallback.ts). A session opened here is a `Session` like a socket's, on a
 * `StreamTransport`: the same hello, token bucket, validation, round trips and room. The same
 * limits hold: other sites' pages are refused, a session counts against its address's
 * connection cap from open to end, a frame over 4 KiB closes it (1009).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
	FALLBACK_PATHS,
	MAX_POST_BYTES,
	SEQUENCE_HEADER,
	SESSION_HEADER,
	type SessionOpened
} from '../../protocol/index.ts';
import {
	MAX_FRAME_BYTES,
	originAllowed,
	TOO_MANY_CONNECTIONS,
	type LiveContext
} from './connections.ts';
import { Session } from './session.ts';
import { STREAM_TIMING, StreamTransport, type StreamTiming } from './stream-transport.ts';

export interface FallbackOptions extends StreamTiming {
	/**
	 * Bench only (QUIZROOM_BENCH_POLLING): `GET /ws/poll` answers at once with the events after
	 * `Last-Event-ID`, so the bench can measure naive polling against the stream. Never on in
	 * production: it exists to show why the stream is used.
	 */
	polling: boolean;
}

/** Unguessable: 144 random bits. */
const SESSION_ID = /^[A-Za-z0-9_-]{24}$/;
const newSessionId = () => randomBytes(18).toString('base64url');

/** Headers a page of an allowed other origin may send here (after a CORS preflight). */
const ALLOWED_HEADERS = ['content-type', SESSION_HEADER, SEQUENCE_HEADER, 'last-event-id'].join(
	', '
);

const PREFIX = '/ws';

export const httpFallback: FastifyPluginAsync<
	Partial<FallbackOptions> & { live: LiveContext }
> = async (fastify, options) => {
	const { live } = options;
	const timing: StreamTiming = {
		graceMs: options.graceMs ?? STREAM_TIMING.graceMs,
		keepAliveMs: options.keepAliveMs ?? STREAM_TIMING.keepAliveMs
	};
	const sessions = new Map<string, StreamTransport>();

	// Frames arrive as text, whatever the content type says (browsers send text/plain).
	fastify.removeAllContentTypeParsers();
	fastify.addContentTypeParser(
		'*',
		{ parseAs: 'string', bodyLimit: MAX_POST_BYTES },
		(_request, body, done) => done(null, body)
	);

	/** Before the body is read: other sites' pages get nothing; allowed ones get CORS. */
	fastify.addHook('onRequest', async (request, reply) => {
		const origin = request.headers.origin;
		if (!originAllowed(origin, request.host, live.allowedOrigins)) {
			return refuse(
				reply,
				403,
				'bad-origin',
				`Pages from ${origin} may not use Quizroom's live game`
			);
		}
		if (origin !== undefined && live.allowedOrigins.includes(origin)) {
			reply.header('access-control-allow-origin', origin);
			reply.header('vary', 'origin');
		}
	});

	fastify.setErrorHandler(
		(error: Error & { code?: string; statusCode?: number }, request, reply) => {
			if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
				// As a WebSocket is closed for a frame over its limit.
				sessionOf(request)?.close(1009, 'Frame too big');
				return frameTooLarge(reply);
			}
			const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
			return refuse(
				reply,
				status,
				'bad-request',
				status < 500 ? error.message : 'Something went wrong'
			);
		}
	);

	function sessionOf(request: FastifyRequest): StreamTransport | undefined {
		const id = request.headers[SESSION_HEADER];
		return typeof id === 'string' && SESSION_ID.test(id) ? sessions.get(id) : undefined;
	}

	/** The session a request names, or a 404 the client answers by opening a new one. */
	function sessionFor(request: FastifyRequest, reply: FastifyReply): StreamTransport | null {
		const transport = sessionOf(request);
		if (!transport) {
			void refuse(
				reply,
				404,
				'unknown-session',
				`No such session: open one with POST ${PREFIX}${FALLBACK_PATHS.sessions} and send its id in ${SESSION_HEADER}`
			);
			return null;
		}
		return transport;
	}

	/** A CORS preflight: only pages the origin check lets through get this far. */
	const paths: string[] = [...Object.values(FALLBACK_PATHS), ...(options.polling ? ['/poll'] : [])];
	for (const path of paths) {
		fastify.options(PREFIX + path, async (_request, reply) =>
			reply
				.code(204)
				.header('access-control-allow-methods', 'GET, POST, DELETE')
				.header('access-control-allow-headers', ALLOWED_HEADERS)
				.header('access-control-max-age', '600')
				.send()
		);
	}

	fastify.post(PREFIX + FALLBACK_PATHS.sessions, async (request, reply) => {
		const address = request.ip;
		// Looked up before anything is counted or kept: a throw here leaves nothing behind.
		const identity = await live.identify(request.headers);
		if (!live.connections.tryOpen(address)) {
			return refuse(reply, 429, 'too-many-connections', TOO_MANY_CONNECTIONS);
		}
		let id = newSessionId();
		while (sessions.has(id)) id = newSessionId();
		let leaveHeartbeat = () => {};
		const transport = new StreamTransport(
			id,
			{
				onFinished: () => {
					live.connections.close(address);
					leaveHeartbeat();
				},
				onForgotten: () => sessions.delete(id)
			},
			timing
		);
		transport.session = new Session(transport, live.games, live.limits, identity, live.hostScreens);
		leaveHeartbeat = live.heartbeat.add(transport.session);
		sessions.set(id, transport);
		return withBodyHeaders(reply)
			.code(201)
			.send({ session: id } satisfies SessionOpened);
	});

	fastify.get(PREFIX + FALLBACK_PATHS.events, async (request, reply) => {
		const lastEventId = readLastEventId(request, reply);
		if (lastEventId === undefined) return reply;
		const transport = sessionFor(request, reply);
		if (!transport) return reply;
		// Headers Fastify set so far (CORS), then the stream is ours to write.
		for (const [name, value] of Object.entries(reply.getHeaders())) {
			if (value !== undefined) reply.raw.setHeader(name, value);
		}
		reply.hijack();
		transport.attach(reply.raw, lastEventId);
		return reply;
	});

	fastify.post(PREFIX + FALLBACK_PATHS.messages, async (request, reply) => {
		const transport = sessionFor(request, reply);
		if (!transport) return reply;
		const raw = request.headers[SEQUENCE_HEADER];
		let sequence: number | null = null;
		if (raw !== undefined) {
			sequence = Number(raw);
			if (!Number.isSafeInteger(sequence) || sequence < 1) {
				return refuse(
					reply,
					400,
					'bad-request',
					`${SEQUENCE_HEADER} must be a whole number from 1`
				);
			}
		}
		const body = typeof request.body === 'string' ? request.body : '';
		if (transport.receive(body, sequence, MAX_FRAME_BYTES) === 'too-big')
			return frameTooLarge(reply);
		// Replies come on the stream, in order with everything else.
		return reply.code(204).send();
	});

	fastify.delete(PREFIX + FALLBACK_PATHS.sessions, async (request, reply) => {
		const transport = sessionFor(request, reply);
		if (!transport) return reply;
		transport.close(1000, 'Closed by the client');
		return reply.code(204).send();
	});

	if (options.polling) {
		// Bench only: the events after Last-Event-ID as a JSON list, at once, however few.
		fastify.get(PREFIX + '/poll', async (request, reply) => {
			const lastEventId = readLastEventId(request, reply);
			if (lastEventId === undefined) return reply;
			const transport = sessionFor(request, reply);
			if (!transport) return reply;
			return withBodyHeaders(reply)
				.type('application/json')
				.send(transport.poll(lastEventId ?? 0));
		});
	}

	// Streams are responses in flight: end them before the server waits for those to finish.
	fastify.addHook('preClose', async () => {
		for (const transport of sessions.values()) transport.shutdown();
		sessions.clear();
	});
};

/** The `Last-Event-ID` header as a number; null when absent; undefined after a 400. */
function readLastEventId(request: FastifyRequest, reply: FastifyReply): number | null | undefined {
	const raw = request.headers['last-event-id'];
	if (raw === undefined || raw === '') return null;
	const id = Number(raw);
	if (typeof raw !== 'string' || !Number.isSafeInteger(id) || id < 0) {
		void refuse(reply, 400, 'bad-request', 'Last-Event-ID must be a whole number');
		return undefined;
	}
	return id;
}

function frameTooLarge(reply: FastifyReply) {
	return refuse(
		reply,
		413,
		'frame-too-large',
		`At most ${MAX_POST_BYTES / 1024} KB of frames per request, ${MAX_FRAME_BYTES / 1024} KB each: the session is closed`
	);
}

function refuse(reply: FastifyReply, status: number, code: string, message: string) {
	return withBodyHeaders(reply).code(status).send({ code, message });
}

/**
 * On answers with a body (the stream has its own): as on every response that is not a page
 * (hooks.server.ts), nothing in it may run or be cached. The many 204s to POSTed frames go
 * without them: they carry nothing, and every byte of theirs is paid per answer.
 */
function withBodyHeaders(reply: FastifyReply): FastifyReply {
	return reply
		.header('cache-control', 'no-store')
		.header('x-content-type-options', 'nosniff')
		.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; sandbox");
}
