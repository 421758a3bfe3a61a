/**
 * Which way the connection goes, over a fake WebSocket and a fake fallback server (fetch),
 * with fake timers: straight to the fallback without WebSocket, to it after two WebSockets that
 * never opened or were cut at once, back to a WebSocket found working in the background, and
 * never away from a forced transport.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../protocol/messages.ts';
import { GameConnection, SOCKET_RETRY_MS, type ConnectionStatus } from './connection.ts';
import { FakeSocket } from '../testing/fake-socket.ts';
import type { Transport } from './transport-choice.ts';

/** The fallback's endpoints, in memory. */
class FakeFallback {
	sessions = 0;
	deleted = 0;
	frames: Record<string, unknown>[] = [];
	private streams: ReadableStreamDefaultController<Uint8Array>[] = [];
	private id = 0;

	fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
		const method = init.method ?? 'GET';
		const path = url.replace(/^.*\/ws/, '');
		if (path === '/sessions' && method === 'POST') {
			this.sessions++;
			return new Response(JSON.stringify({ session: 'S'.repeat(24) }), { status: 201 });
		}
		if (path === '/sessions' && method === 'DELETE') {
			this.deleted++;
			return new Response(null, { status: 204 });
		}
		if (path === '/messages') {
			for (const line of String(init.body).split('\n')) this.frames.push(JSON.parse(line));
			return new Response(null, { status: 204 });
		}
		let controller!: ReadableStreamDefaultController<Uint8Array>;
		const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
		init.signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
		this.streams.push(controller);
		return new Response(body, { status: 200 });
	};

	push(message: ServerMessage): void {
		const text = `id: ${++this.id}\ndata: ${JSON.stringify(message)}\n\n`;
		this.streams.at(-1)!.enqueue(new TextEncoder().encode(text));
	}

	get hellos(): number {
		return this.frames.filter((f) => f.type === 'hello').length;
	}
}

const state = { type: 'state', serverTime: Date.now() } as unknown as ServerMessage;

let fallback: FakeFallback;
let connection: GameConnection | null = null;
let transports: Transport[];
let statuses: ConnectionStatus[];

function connect(transport: Transport | null = null): GameConnection {
	connection = new GameConnection({
		token: 'token-1',
		transport,
		onMessage: () => {},
		onStatus: (status) => statuses.push(status),
		onTransport: (t) => transports.push(t)
	});
	return connection;
}

/** Lets promises and timers run for `ms`. */
const run = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
	vi.useFakeTimers();
	FakeSocket.all = [];
	fallback = new FakeFallback();
	transports = [];
	statuses = [];
	vi.stubGlobal('WebSocket', FakeSocket);
	vi.stubGlobal('fetch', fallback.fetch);
	vi.stubGlobal('location', { protocol: 'http:', host: 'quiz.test', search: '' });
});

afterEach(() => {
	connection?.close();
	connection = null;
	vi.useRealTimers();
	vi.unstubAllGlobals();
});

describe('the transport', () => {
	it('is the fallback at once in a browser without WebSocket; pings are answered', async () => {
		vi.stubGlobal('WebSocket', undefined);
		connect();
		await run(10);
		expect(fallback.sessions).toBe(1);
		expect(fallback.frames[0]).toMatchObject({ type: 'hello', token: 'token-1' });
		fallback.push(state);
		fallback.push({ type: 'ping', id: 3 });
		await run(10);
		expect(transports).toEqual(['sse']);
		expect(statuses.at(-1)).toBe('open');
		expect(fallback.frames).toContainEqual({ type: 'pong', id: 3 });
	});

	it('goes to the fallback after two WebSockets that never opened', async () => {
		connect();
		expect(FakeSocket.all).toHaveLength(1);
		await run(4000); // not open: a proxy swallowed the upgrade
		expect(FakeSocket.all[0]!.readyState).toBe(FakeSocket.CLOSED);
		await run(1000);
		expect(FakeSocket.all).toHaveLength(2);
		FakeSocket.last.drop(1006); // refused outright
		expect(fallback.sessions).toBe(0);
		await run(1000);
		expect(FakeSocket.all).toHaveLength(2);
		expect(fallback.sessions).toBe(1);
		fallback.push(state);
		await run(10);
		expect(transports).toEqual(['sse']);
		expect(connection!.transport).toBe('sse');
	});

	it('goes to the fallback after WebSockets cut twice right after their snapshot', async () => {
		connect();
		for (let i = 0; i < 2; i++) {
			await run(1000);
			FakeSocket.last.accept();
			FakeSocket.last.push(state);
			await run(1000);
			FakeSocket.last.drop(1006);
		}
		await run(1000);
		expect(fallback.sessions).toBe(1);
		expect(transports).toEqual(['ws', 'ws']);
	});

	it('stays on WebSocket when one is cut after a good while (that is the network dropping)', async () => {
		connect();
		for (let i = 0; i < 3; i++) {
			await run(1000);
			FakeSocket.last.accept();
			FakeSocket.last.push(state);
			await run(10_000);
			FakeSocket.last.drop(1006);
		}
		await run(1000);
		expect(fallback.sessions).toBe(0);
		expect(FakeSocket.all).toHaveLength(4);
	});

	it('moves back to a WebSocket that gets through in the background, without a hiccup', async () => {
		connect();
		for (let i = 0; i < 2; i++) {
			await run(1000);
			FakeSocket.last.drop(1006);
		}
		await run(1000);
		fallback.push(state);
		await run(10);
		expect(transports).toEqual(['sse']);
		const socketsBefore = FakeSocket.all.length;
		const statusesBefore = statuses.length;

		await run(SOCKET_RETRY_MS);
		const probe = FakeSocket.last;
		expect(FakeSocket.all).toHaveLength(socketsBefore + 1);
		probe.accept();
		expect(probe.sent[0]).toMatchObject({ type: 'clock' });
		probe.push({ type: 'clock', id: 1, clientSentAt: 0, serverTime: 0 });
		await run(5000);
		// Through, and still open a few seconds later: hello over it takes the seat.
		expect(probe.sent.filter((f) => f.type === 'hello')).toEqual([
			expect.objectContaining({ token: 'token-1' })
		]);
		expect(fallback.deleted).toBe(0);
		probe.push(state);
		await run(10);
		expect(transports).toEqual(['sse', 'ws']);
		expect(fallback.deleted).toBe(1);
		expect(statuses.slice(statusesBefore)).toEqual(['open']);
		expect(connection!.send({ type: 'next' })).toBe(true);
		expect(probe.sent.at(-1)).toEqual({ type: 'next' });
	});

	it('stays on the fallback when the background WebSocket opens but nothing comes through', async () => {
		vi.stubGlobal('location', { protocol: 'http:', host: 'quiz.test', search: '' });
		connect();
		for (let i = 0; i < 2; i++) {
			await run(1000);
			FakeSocket.last.drop(1006);
		}
		await run(1000);
		fallback.push(state);
		await run(SOCKET_RETRY_MS);
		const probe = FakeSocket.last;
		probe.accept();
		await run(5000);
		expect(probe.readyState).toBe(FakeSocket.CLOSED);
		expect(probe.sent.some((f) => f.type === 'hello')).toBe(false);
		expect(connection!.transport).toBe('sse');
		expect(fallback.deleted).toBe(0);
	});

	it('never leaves a forced WebSocket, nor a forced fallback', async () => {
		connect('ws');
		for (let i = 0; i < 4; i++) {
			await run(5000);
			FakeSocket.last.drop(1006);
		}
		expect(fallback.sessions).toBe(0);
		connection!.close();

		FakeSocket.all = [];
		connect('sse');
		await run(10);
		fallback.push(state);
		await run(SOCKET_RETRY_MS * 2);
		expect(FakeSocket.all).toHaveLength(0);
		expect(fallback.sessions).toBe(1);
	});
});
