/**
 * Starts the real Quizroom process (src/server.ts, as `npm start` runs it) on an ephemeral
 * port, and gives tests real WebSocket clients that speak the protocol.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { spawnQuizroom } from '../../scripts/quizroom-process.ts';
import { HostSession, signInAdmin } from '../../scripts/host-session.ts';
import {
	PROTOCOL_VERSION,
	type ClientMessage,
	type CreateGameResponse,
	type JoinResponse,
	type ServerMessage
} from '../../src/lib/protocol/index.ts';

export interface RunningServer {
	url: string;
	port: number;
	/** The server's DATA_DIR: a fresh temporary directory unless the test gave one. */
	dataDir: string;
	process: ChildProcess;
	output(): string;
	stop(): Promise<void>;
	/** Signed in as the server's first admin: what a host's browser sends, cookie and all. */
	admin: HostSession;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
	const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'quizroom-test-'));
	const server = spawnQuizroom({
		env: { LOG_LEVEL: 'error', DATA_DIR: dataDir, ...env },
		timeoutMs: 30_000
	});
	const child = server.child;
	const port = await server.ready;
	const url = `http://127.0.0.1:${port}`;
	const admin = await signInAdmin(url, server.output(), { DATA_DIR: dataDir, ...env });
	return {
		url,
		port,
		dataDir,
		admin,
		process: child,
		output: server.output,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			await once(child, 'exit');
		}
	};
}

export async function createGame(
	server: RunningServer,
	quizId = 'world-geography',
	options: Record<string, unknown> = { introSeconds: 0 }
): Promise<CreateGameResponse> {
	const response = await server.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId, options })
	});
	if (response.status !== 201) throw new Error(`Create failed: ${await response.text()}`);
	return (await response.json()) as CreateGameResponse;
}

export async function joinGame(
	server: RunningServer,
	pin: string,
	nickname: string
): Promise<{ status: number; body: JoinResponse & { code?: string; message?: string } }> {
	const response = await fetch(`${server.url}/api/games/${pin}/players`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ nickname })
	});
	return { status: response.status, body: await response.json() };
}

/**
 * Messages that arrive on their own schedule (a report's save lands when the store answers);
 * `take` and `expectNext` step over them.
 */
export const BACKGROUND_TYPES: ReadonlySet<ServerMessage['type']> = new Set([
	'tick',
	'answers',
	'report'
]);

/** Records every message a client gets and lets tests wait for them, in order. */
export class RecordingClient {
	readonly messages: ServerMessage[] = [];
	/** Every frame as received, for checks on the raw text. */
	readonly frames: string[] = [];
	private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] =
		[];
	private cursor = 0;

	protected record(frame: string): void {
		const message = JSON.parse(frame) as ServerMessage;
		this.frames.push(frame);
		this.messages.push(message);
		this.waiters = this.waiters.filter((waiter) => {
			if (!waiter.match(message)) return true;
			waiter.resolve(message);
			return false;
		});
	}

	/**
	 * The next message of this type not yet consumed by an earlier `next` (including ones that
	 * already arrived), so tests read a role's stream in order.
	 */
	next<T extends ServerMessage['type']>(
		type: T,
		where: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
		timeoutMs = 10_000
	): Promise<Extract<ServerMessage, { type: T }>> {
		type M = Extract<ServerMessage, { type: T }>;
		const match = (m: ServerMessage): m is M => m.type === type && where(m as M);
		for (let i = this.cursor; i < this.messages.length; i++) {
			const message = this.messages[i]!;
			if (match(message)) {
				this.cursor = i + 1;
				return Promise.resolve(message);
			}
		}
		return new Promise<M>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`No "${type}" message within ${timeoutMs} ms`)),
				timeoutMs
			);
			this.waiters.push({
				match,
				resolve: (m) => {
					clearTimeout(timer);
					this.cursor = this.messages.length;
					resolve(m as M);
				}
			});
		});
	}

	/**
	 * The very next message not yet consumed, whatever its type (ticks and answer counts are
	 * stepped over), so tests can assert a role's whole stream in order.
	 */
	take(timeoutMs = 10_000): Promise<ServerMessage> {
		const wanted = (m: ServerMessage) => !BACKGROUND_TYPES.has(m.type);
		while (this.cursor < this.messages.length) {
			const message = this.messages[this.cursor++]!;
			if (wanted(message)) return Promise.resolve(message);
		}
		return new Promise<ServerMessage>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`No message within ${timeoutMs} ms`)),
				timeoutMs
			);
			this.waiters.push({
				match: wanted,
				resolve: (m) => {
					clearTimeout(timer);
					this.cursor = this.messages.length;
					resolve(m);
				}
			});
		});
	}

	/** Like `take`, and fails unless that next message is of this type. */
	async expectNext<T extends ServerMessage['type']>(
		type: T,
		timeoutMs = 10_000
	): Promise<Extract<ServerMessage, { type: T }>> {
		const message = await this.take(timeoutMs);
		if (message.type !== type) {
			throw new Error(`Expected a "${type}" message, got ${JSON.stringify(message)}`);
		}
		return message as Extract<ServerMessage, { type: T }>;
	}

	/** Messages that arrived but were not consumed yet (ticks and answer counts left out). */
	unread(): ServerMessage[] {
		return this.messages.slice(this.cursor).filter((m) => !BACKGROUND_TYPES.has(m.type));
	}

	ofType<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
		return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
	}
}

/** A real WebSocket client that records every message and can wait for one. */
export class TestClient extends RecordingClient {
	readonly socket: WebSocket;
	closeCode: number | null = null;
	/** What broke the connection, if something did (a frame the client could not read…). */
	error: Error | null = null;
	private readonly closedAt: Promise<number>;

	private constructor(socketUrl: string, options: WebSocket.ClientOptions = {}) {
		super();
		this.socket = new WebSocket(socketUrl, options);
		this.socket.on('message', (data) => this.record(String(data)));
		// A broken connection closes the socket (recorded below) instead of throwing.
		this.socket.on('error', (error) => (this.error = error));
		this.closedAt = new Promise((resolve) => {
			this.socket.on('close', (code) => {
				this.closeCode = code;
				resolve(code);
			});
		});
	}

	/**
	 * `options` go to the `ws` client, e.g. `{ autoPong: false }` for a phone that went mute.
	 * The socket carries the admin's session cookie, as a host's browser sends it (a host seat
	 * opens only with its host's session; player seats do not look): a test of that door gives
	 * its own `headers`.
	 */
	static async connect(
		server: RunningServer,
		token?: string,
		options?: WebSocket.ClientOptions
	): Promise<TestClient> {
		return TestClient.connectTo(server.url.replace(/^http/, 'ws') + '/ws', token, {
			headers: { cookie: server.admin.cookie },
			...options
		});
	}

	/** To a socket address as the join step gave it (`ws://…`), e.g. another cluster node's. */
	static async connectTo(
		socketUrl: string,
		token?: string,
		options?: WebSocket.ClientOptions
	): Promise<TestClient> {
		const client = new TestClient(socketUrl, options);
		await once(client.socket, 'open');
		if (token) {
			client.send({ type: 'hello', v: PROTOCOL_VERSION, token });
			await client.next('state');
		}
		return client;
	}

	send(message: ClientMessage | Record<string, unknown>): void {
		this.socket.send(JSON.stringify(message));
	}

	sendRaw(text: string): void {
		this.socket.send(text);
	}

	/** Resolves with the close code once the server (or we) closed the socket. */
	closed(timeoutMs = 10_000): Promise<number> {
		return Promise.race([
			this.closedAt,
			new Promise<never>((_resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`Socket still open after ${timeoutMs} ms`)),
					timeoutMs
				);
				void this.closedAt.then(() => clearTimeout(timer));
			})
		]);
	}

	/** A close handshake, or a cut after a second: the peer may be a node that died. */
	async close(): Promise<void> {
		if (this.socket.readyState === WebSocket.CLOSED) return;
		this.socket.close();
		const timer = setTimeout(() => this.socket.terminate(), 1000);
		await once(this.socket, 'close');
		clearTimeout(timer);
	}
}

/** A form posted by a browser (with JavaScript off: the page, or a redirect, comes back). */
export function form(
	fields: Record<string, string>,
	headers: Record<string, string> = {}
): RequestInit {
	return {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			...headers
		},
		body: new URLSearchParams(fields)
	};
}

/** A JSON request, as the pages' scripts send them. */
export function json(method: string, body: unknown): RequestInit {
	return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
