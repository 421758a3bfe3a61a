/**
 * How a simulated phone reaches the room server, for the transport comparison: a WebSocket
 * (as phones normally play), the HTTP fallback (event stream down, numbered POSTs up, as a
 * phone behind a proxy that cuts WebSockets), or naive polling (bench only: the same POSTs up,
 * and every second a GET of whatever events are new; the server offers it only when started
 * with QUIZROOM_BENCH_POLLING=1). The phones above it (worker.ts) play the same either way.
 *
 * HTTP goes through Node's fetch, which sends fewer headers than a phone's browser (no long
 * user agent, no cookies): bytes per request here are a floor.
 */
import WebSocket from 'ws';
import { EventStreamParser } from '../../src/lib/client/event-stream.ts';
import {
	FALLBACK_PATHS,
	SEQUENCE_HEADER,
	SESSION_HEADER,
	type FallbackClose,
	type SessionOpened
} from '../../src/lib/protocol/index.ts';

export type BenchTransport = 'ws' | 'sse' | 'poll';
export const BENCH_TRANSPORTS: readonly BenchTransport[] = ['ws', 'sse', 'poll'];
export const POLL_INTERVAL_MS = 1000;

export interface PlayerLinkEvents {
	open(): void;
	/** One server frame (pings are answered by the link itself). */
	message(text: string): void;
	close(code: number): void;
}

export interface PlayerLink {
	readonly open: boolean;
	readonly closed: boolean;
	send(text: string): void;
	/** Ends it from our side at once. */
	terminate(): void;
}

/** Same options a lean phone client would use: no compression; the frames are trusted text. */
const SOCKET_OPTIONS: WebSocket.ClientOptions = {
	perMessageDeflate: false,
	skipUTF8Validation: true
};

/**
 * Where a seat's live connection goes: the `socketUrl` the join step answered (`/ws`, or in
 * cluster mode the owning node's `/n/<id>/ws`), on that node's own address when the bench
 * knows it (no proxy in between), else on the address the phone asked.
 */
export function liveUrl(
	socketUrl: string,
	askedUrl: string,
	nodes: Readonly<Record<string, string>> = {}
): string {
	const node = /^\/n\/([^/]+)\//.exec(socketUrl)?.[1];
	return (node !== undefined ? (nodes[node] ?? askedUrl) : askedUrl) + socketUrl;
}

/** `url`: the live endpoint's HTTP address (see liveUrl). */
export function openLink(
	transport: BenchTransport,
	url: string,
	events: PlayerLinkEvents
): PlayerLink {
	if (transport === 'ws') return new SocketLink(url, events);
	return new HttpLink(url, events, transport === 'poll');
}

class SocketLink implements PlayerLink {
	private readonly socket: WebSocket;
	closed = false;

	constructor(url: string, events: PlayerLinkEvents) {
		this.socket = new WebSocket(url.replace(/^http/, 'ws'), SOCKET_OPTIONS);
		this.socket.on('open', () => events.open());
		this.socket.on('message', (data: Buffer) => events.message(data.toString()));
		this.socket.on('error', () => {});
		this.socket.on('close', (code) => {
			this.closed = true;
			events.close(code);
		});
	}

	get open(): boolean {
		return this.socket.readyState === WebSocket.OPEN;
	}

	send(text: string): void {
		this.socket.send(text);
	}

	terminate(): void {
		this.socket.terminate();
	}
}

/** The fallback's session: frames POSTed in order; events from a stream, or polled. */
class HttpLink implements PlayerLink {
	private session: string | null = null;
	private readonly base: string;
	private readonly stream = new AbortController();
	private pollTimer: ReturnType<typeof setTimeout> | null = null;
	private lastEventId = 0;
	private queue: string[] = [];
	private posting = false;
	private sequence = 0;
	closed = false;

	constructor(
		url: string,
		private readonly events: PlayerLinkEvents,
		private readonly polling: boolean
	) {
		this.base = url;
		void this.start();
	}

	get open(): boolean {
		return this.session !== null && !this.closed;
	}

	send(text: string): void {
		if (!this.open) return;
		this.queue.push(text);
		void this.flush();
	}

	terminate(): void {
		this.end(1000);
	}

	private async start(): Promise<void> {
		try {
			const response = await fetch(this.base + FALLBACK_PATHS.sessions, { method: 'POST' });
			if (response.status !== 201) throw new Error(`session: ${response.status}`);
			this.session = ((await response.json()) as SessionOpened).session;
		} catch {
			return this.end(1006);
		}
		if (this.polling) this.pollTimer = setTimeout(() => void this.poll(), 0);
		else void this.listen();
		this.events.open();
	}

	private async listen(): Promise<void> {
		try {
			const response = await fetch(this.base + FALLBACK_PATHS.events, {
				headers: { [SESSION_HEADER]: this.session! },
				signal: this.stream.signal
			});
			if (response.status !== 200 || !response.body) throw new Error(`${response.status}`);
			const parser = new EventStreamParser((event) => {
				if (event.event === 'close') this.end((JSON.parse(event.data) as FallbackClose).code);
				else this.receive(event.data);
			});
			const reader = response.body.getReader();
			const decoder = new TextDecoder();
			for (;;) {
				const { value, done } = await reader.read();
				if (done || this.closed) break;
				parser.push(decoder.decode(value, { stream: true }));
			}
		} catch {
			// Aborted by us, or cut: this bench does not resume.
		}
		this.end(1006);
	}

	/** Naive polling: ask for what is new, wait a second, ask again. */
	private async poll(): Promise<void> {
		if (this.closed) return;
		try {
			const response = await fetch(this.base + '/poll', {
				headers: { [SESSION_HEADER]: this.session!, 'last-event-id': String(this.lastEventId) }
			});
			if (response.status !== 200) throw new Error(`${response.status}`);
			const items = (await response.json()) as { id: number; event?: string; data: unknown }[];
			for (const item of items) {
				this.lastEventId = item.id;
				if (item.event === 'close') return this.end((item.data as FallbackClose).code);
				this.receive(JSON.stringify(item.data));
			}
		} catch {
			return this.end(1006);
		}
		if (!this.closed) this.pollTimer = setTimeout(() => void this.poll(), POLL_INTERVAL_MS);
	}

	private receive(text: string): void {
		if (this.closed) return;
		// Pings are answered at once, as a browser's connection does (round-trip time).
		if (text.startsWith('{"type":"ping"')) {
			const { id } = JSON.parse(text) as { id: number };
			this.send(JSON.stringify({ type: 'pong', id }));
			return;
		}
		this.events.message(text);
	}

	private async flush(): Promise<void> {
		if (this.posting || this.queue.length === 0 || this.closed) return;
		this.posting = true;
		const body = this.queue.splice(0).join('\n');
		try {
			const response = await fetch(this.base + FALLBACK_PATHS.messages, {
				method: 'POST',
				headers: {
					[SESSION_HEADER]: this.session!,
					[SEQUENCE_HEADER]: String(++this.sequence),
					'content-type': 'text/plain'
				},
				body
			});
			await response.arrayBuffer();
		} catch {
			return this.end(1006);
		}
		this.posting = false;
		void this.flush();
	}

	private end(code: number): void {
		if (this.closed) return;
		this.closed = true;
		this.stream.abort();
		if (this.pollTimer) clearTimeout(this.pollTimer);
		this.events.close(code);
	}
}
