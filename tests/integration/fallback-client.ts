/**
 * A real client of the HTTP fallback (protocol/fallback.ts), for integration tests: it opens a
 * session, reads the event stream as a browser's `fetch` would, POSTs frames in order and
 * answers pings. Tests can cut its stream and resume it with `Last-Event-ID`.
 */
import {
	FALLBACK_PATHS,
	PROTOCOL_VERSION,
	SEQUENCE_HEADER,
	SESSION_HEADER,
	type ClientMessage,
	type FallbackClose,
	type SessionOpened
} from '../../src/lib/protocol/index.ts';
import { EventStreamParser } from '../../src/lib/client/event-stream.ts';
import { RecordingClient, type RunningServer } from './harness.ts';

export interface ReceivedEvent {
	id: number | null;
	event: string;
	data: string;
}

export interface FallbackClientOptions {
	/** Sent as `Origin` on every request (a browser page's). */
	origin?: string;
	/** Sent as `Cookie` when the session opens: the host's sign-in (default: the server's admin). */
	cookie?: string;
	/** Answer the server's pings (a browser does). */
	autoPong?: boolean;
}

export class FallbackClient extends RecordingClient {
	/** Every event of every stream, in order, with its SSE id. */
	readonly events: ReceivedEvent[] = [];
	/** Response headers of the latest stream. */
	streamHeaders: Headers | null = null;
	lastEventId: number | null = null;
	closeEvent: FallbackClose | null = null;
	private stream: AbortController | null = null;
	private sequence = 0;
	private posts: Promise<unknown> = Promise.resolve();
	private postsOut = 0;
	/** As the browser's: true while its player is answering, when a pong waits (a phone sets it). */
	answering: () => boolean = () => false;
	private closeWaiters: ((close: FallbackClose) => void)[] = [];

	private constructor(
		readonly base: string,
		readonly session: string,
		private readonly options: FallbackClientOptions
	) {
		super();
	}

	/**
	 * Opens a session and its stream; with a token, says hello and waits for the snapshot.
	 * `server`: a test server, or a live endpoint's address as the join step gave it
	 * (`http://…/n/n2/ws` through a cluster's proxy).
	 */
	static async open(
		server: RunningServer | string,
		token?: string,
		options: FallbackClientOptions = {}
	): Promise<FallbackClient> {
		const base = typeof server === 'string' ? server : `${server.url}/ws`;
		const cookie = options.cookie ?? (typeof server === 'string' ? undefined : server.admin.cookie);
		const response = await fetch(base + FALLBACK_PATHS.sessions, {
			method: 'POST',
			headers: {
				...(options.origin ? { origin: options.origin } : {}),
				...(cookie ? { cookie } : {})
			}
		});
		if (response.status !== 201) {
			throw new Error(`Session refused: ${response.status} ${await response.text()}`);
		}
		const { session } = (await response.json()) as SessionOpened;
		const client = new FallbackClient(base, session, { autoPong: true, ...options });
		const status = await client.listen();
		if (status !== 200) throw new Error(`Stream refused: ${status}`);
		if (token) {
			client.send({ type: 'hello', v: PROTOCOL_VERSION, token });
			await client.next('state');
		}
		return client;
	}

	/** Headers every request of this session carries. */
	headers(extra: Record<string, string> = {}): Record<string, string> {
		return {
			[SESSION_HEADER]: this.session,
			...(this.options.origin ? { origin: this.options.origin } : {}),
			...extra
		};
	}

	/**
	 * Opens the event stream (resuming after `lastEventId`, by default the last one seen) and
	 * resolves with its HTTP status once the headers are in; events are read in the background.
	 */
	async listen(lastEventId: number | null = this.lastEventId): Promise<number> {
		this.stream?.abort();
		const controller = new AbortController();
		this.stream = controller;
		const headers = this.headers(
			lastEventId === null ? {} : { 'last-event-id': String(lastEventId) }
		);
		const response = await fetch(this.base + FALLBACK_PATHS.events, {
			headers,
			signal: controller.signal
		});
		this.streamHeaders = response.headers;
		if (response.status !== 200 || !response.body) return response.status;
		const parser = new EventStreamParser((event) => {
			const id = event.id === null ? null : Number(event.id);
			if (id !== null) this.lastEventId = id;
			this.events.push({ id, event: event.event, data: event.data });
			if (event.event === 'close') {
				this.closeEvent = JSON.parse(event.data) as FallbackClose;
				for (const resolve of this.closeWaiters.splice(0)) resolve(this.closeEvent);
				return;
			}
			this.record(event.data);
			const message = this.messages.at(-1)!;
			if (message.type === 'ping' && this.options.autoPong) this.pong(message.id);
		});
		void (async () => {
			const decoder = new TextDecoder();
			const reader = response.body!.getReader();
			try {
				for (;;) {
					const { value, done } = await reader.read();
					if (done) break;
					parser.push(decoder.decode(value, { stream: true }));
				}
			} catch {
				// Cut by the test (abort) or by the server.
			}
		})();
		return 200;
	}

	/** Cuts the stream, as a proxy or a dead link would; the session stays on the server. */
	cut(): void {
		this.stream?.abort();
		this.stream = null;
	}

	send(message: ClientMessage | Record<string, unknown>): void {
		void this.post(JSON.stringify(message));
	}

	sendRaw(text: string): Promise<Response> {
		return this.post(text);
	}

	/**
	 * POSTs frames (one per line), numbered, after the POSTs before it; `sequence` overrides
	 * the number (to send one again).
	 */
	post(body: string, sequence = ++this.sequence): Promise<Response> {
		this.postsOut++;
		const sent = this.posts.then(() =>
			fetch(this.base + FALLBACK_PATHS.messages, {
				method: 'POST',
				headers: this.headers({
					'content-type': 'text/plain',
					[SEQUENCE_HEADER]: String(sequence)
				}),
				body
			})
		);
		this.posts = sent.catch(() => {});
		void this.posts.then(() => this.postsOut--);
		return sent;
	}

	/**
	 * As the browser (client/connection.ts): the pong goes once no POST is in flight, saying how
	 * long it waited, so a queue on this side is not taken for the link's round trip.
	 */
	private pong(id: number, receivedAt = performance.now(), tries = 0): void {
		if ((this.busy || this.answering()) && tries < 40) {
			setTimeout(() => this.pong(id, receivedAt, tries + 1), 50);
			return;
		}
		const heldMs = Math.round(performance.now() - receivedAt);
		this.send({ type: 'pong', id, ...(heldMs > 0 ? { heldMs } : {}) });
	}

	/** A POST is on its way or waiting: a frame sent now would queue behind it. */
	get busy(): boolean {
		return this.postsOut > 0;
	}

	/** The close code the server's `close` event gave. */
	closed(timeoutMs = 10_000): Promise<number> {
		if (this.closeEvent) return Promise.resolve(this.closeEvent.code);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`Session still open after ${timeoutMs} ms`)),
				timeoutMs
			);
			this.closeWaiters.push((close) => {
				clearTimeout(timer);
				resolve(close.code);
			});
		});
	}

	async close(): Promise<void> {
		this.cut();
		await fetch(this.base + FALLBACK_PATHS.sessions, {
			method: 'DELETE',
			headers: this.headers()
		}).catch(() => {});
	}
}
