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

export const webApp: FastifyPluginAsync<{ handler: NodeHandler }> = async (
	fastify,
	{ handler }
) => {
	// Scoped to this plugin: leave every body untouched for the handler.
	fastify.removeAllContentTypeParsers();
	fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));

	fastify.all('/*', (request, reply) => {
		reply.hijack();
		handler(request.raw, reply.raw, (error) => {
			const res = reply.raw;
			if (res.headersSent) return res.end();
			res.statusCode = error ? 500 : 404;
			res.setHeader('content-type', 'text/plain; charset=utf-8');
			res.end(error ? 'Internal error' : 'Not found');
		});
	});
};
