/**
 * Mounts a Node-style request handler (SvelteKit's built handler, or Vite's dev middlewares)
 * behind every route Fastify does not own. Fastify must not read the body: SvelteKit parses
 * form posts and JSON itself from the raw request stream.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NodeHandler = (
	req: IncomingMessage,
	res: ServerResponse,
	next: (error?: unknown) => void
) => void;

/**
 * adapter-node assumes https unless a header says otherwise, which breaks SvelteKit's form
 * CSRF check on a plain-http LAN party. We tell it the real protocol in our own header (set
 * `PROTOCOL_HEADER` to this before loading the handler), overwriting anything a client sent.
 */
export const PROTOCOL_HEADER = 'x-quizroom-proto';

/**
 * The client's address as Fastify worked it out (X-Forwarded-For only with TRUST_PROXY), for
 * SvelteKit's `getClientAddress()` (set `ADDRESS_HEADER` to this). Overwrites what a client sent.
 */
export const ADDRESS_HEADER = 'x-quizroom-client';

/**
 * On everything, including the files adapter-node serves itself (which never reach SvelteKit's
 * hook, where pages and API responses get the rest: see hooks.server.ts).
 */
const BASE_HEADERS: [string, string][] = [
	['x-content-type-options', 'nosniff'],
	['x-frame-options', 'DENY'],
	['referrer-policy', 'same-origin']
];

export interface WebAppOptions {
	handler: NodeHandler;
	/** Behind a reverse proxy: believe its X-Forwarded-Proto. */
	trustProxy?: boolean;
}

export const webApp: FastifyPluginAsync<WebAppOptions> = async (fastify, options) => {
	const { handler, trustProxy = false } = options;
	// Scoped to this plugin: leave every body untouched for the handler.
	fastify.removeAllContentTypeParsers();
	fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));

	fastify.all('/*', (request, reply) => {
		reply.hijack();
		const forwarded = request.headers['x-forwarded-proto'];
		const encrypted = 'encrypted' in request.raw.socket && request.raw.socket.encrypted;
		request.raw.headers[ADDRESS_HEADER] = request.ip;
		request.raw.headers[PROTOCOL_HEADER] =
			trustProxy && typeof forwarded === 'string'
				? forwarded.split(',')[0]!.trim()
				: encrypted
					? 'https'
					: 'http';
		for (const [name, value] of BASE_HEADERS) reply.raw.setHeader(name, value);
		handler(request.raw, reply.raw, (error) => {
			const res = reply.raw;
			if (res.headersSent) return res.end();
			res.statusCode = error ? 500 : 404;
			res.setHeader('content-type', 'text/plain; charset=utf-8');
			res.end(error ? 'Internal error' : 'Not found');
		});
	});
};
