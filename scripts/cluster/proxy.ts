/**
 * The local cluster's front door, standing in for nginx: `/n/<node>/…` goes to that node (the
 * prefix removed), everything else to the nodes in turn, skipping one that is down (or first to
 * the node `steer` names, as a sticky load balancer would). WebSocket upgrades and event streams
 * pass straight through, unbuffered. Each answer says which node gave it (`x-served-by`).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface Upstream {
	id: string;
	host: string;
	port: number;
}

export interface Proxy {
	port: number;
	close(): Promise<void>;
}

const NODE_PATH = /^\/n\/([A-Za-z0-9_-]+)(\/.*)?$/;
/** Bodies are held so a request can go to the next node if the first is down. */
const MAX_BODY_BYTES = 21 * 1024 * 1024;

export async function startProxy(
	upstreams: () => Upstream[],
	port: number,
	host = '0.0.0.0',
	steer: () => string | null = () => null
): Promise<Proxy> {
	let turn = 0;
	/** The node for this path, and the path it sees; several candidates for shared paths. */
	const route = (url: string): { candidates: Upstream[]; path: string } => {
		const nodes = upstreams();
		const match = NODE_PATH.exec(url.split('?')[0]!);
		if (match) {
			const node = nodes.find((n) => n.id === match[1]);
			const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
			return { candidates: node ? [node] : [], path: (match[2] ?? '/') + query };
		}
		turn = (turn + 1) % Math.max(1, nodes.length);
		const inTurn = [...nodes.slice(turn), ...nodes.slice(0, turn)];
		const steered = inTurn.find((node) => node.id === steer());
		const candidates = steered ? [steered, ...inTurn.filter((n) => n !== steered)] : inTurn;
		return { candidates, path: url };
	};

	const server = http.createServer((request, response) => {
		void forward(request, response);
	});

	async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const { candidates, path } = route(request.url ?? '/');
		let body: Buffer;
		try {
			body = await readBody(request);
		} catch {
			response.writeHead(413).end('Request too large');
			return;
		}
		for (const upstream of candidates) {
			const sent = await attempt(upstream, request, path, body, response);
			if (sent) return;
		}
		if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
		response.end('No Quizroom node is answering');
	}

	server.on('upgrade', (request: IncomingMessage, client: Duplex) => {
		const { candidates, path } = route(request.url ?? '/');
		const upstream = candidates[0];
		if (!upstream) {
			client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
			return;
		}
		let connected = false;
		const socket = net.connect(upstream.port, upstream.host, () => {
			connected = true;
			const headers = forwardedHeaders(request);
			const lines = [`${request.method} ${path} HTTP/1.1`];
			for (const [name, value] of Object.entries(headers)) {
				for (const one of [value].flat()) if (one !== undefined) lines.push(`${name}: ${one}`);
			}
			socket.write(lines.join('\r\n') + '\r\n\r\n');
			socket.pipe(client).pipe(socket);
		});
		socket.on('error', () => {
			// Once bytes flow, the client speaks WebSocket: an HTTP status now would be read as a
			// broken frame. A node that died mid-stream is a cut connection, as it would be direct.
			if (connected) client.destroy();
			else client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
		});
		socket.on('close', () => client.destroy());
		client.on('error', () => socket.destroy());
		client.on('close', () => socket.destroy());
	});

	await new Promise<void>((resolve) => server.listen(port, host, resolve));
	const address = server.address();
	return {
		port: typeof address === 'object' && address ? address.port : port,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** Sends the request to one node; false when the node could not be reached at all. */
function attempt(
	upstream: Upstream,
	request: IncomingMessage,
	path: string,
	body: Buffer,
	response: ServerResponse
): Promise<boolean> {
	return new Promise((resolve) => {
		const outgoing = http.request(
			{
				host: upstream.host,
				port: upstream.port,
				method: request.method,
				path,
				headers: { ...forwardedHeaders(request), 'content-length': String(body.length) }
			},
			(incoming) => {
				response.writeHead(incoming.statusCode ?? 502, {
					...incoming.headers,
					'x-served-by': upstream.id
				});
				// Event streams must not wait for a buffer to fill.
				response.flushHeaders();
				incoming.pipe(response);
				resolve(true);
			}
		);
		outgoing.on('error', (error: NodeJS.ErrnoException) => {
			if (!response.headersSent && error.code === 'ECONNREFUSED') resolve(false);
			else {
				response.destroy();
				resolve(true);
			}
		});
		response.on('close', () => outgoing.destroy());
		outgoing.end(body);
	});
}

function forwardedHeaders(request: IncomingMessage): http.IncomingHttpHeaders {
	const address = request.socket.remoteAddress ?? '';
	const previous = request.headers['x-forwarded-for'];
	const headers: http.IncomingHttpHeaders = { ...request.headers };
	delete headers['content-length'];
	delete headers['transfer-encoding'];
	headers['x-forwarded-for'] = previous ? `${previous}, ${address}` : address;
	headers['x-forwarded-proto'] = 'http';
	return headers;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new Error('too large');
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}
