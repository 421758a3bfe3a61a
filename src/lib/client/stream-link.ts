/**
 * The HTTP fallback's link (protocol/fallback.ts): a session opened by POST, its events read
 * from a fetched `text/event-stream` (fetch rather than EventSource: the session id goes in a
 * header, never in an address, and a refused stream tells its status), frames POSTed in order.
 *
 * A cut stream is resumed with `Last-Event-ID` and misses nothing; only when the session is
 * gone (or cannot be reached within the server's grace period) does the link end, and the
 * connection says hello on a new one. POSTs go one at a time, frames queued meanwhile go
 * together in the next; each is numbered, so one sent again after a lost answer is not played
 * twice.
 */
import { CloseCode } from '../protocol/basics.ts';
import {
	FALLBACK_PATHS,
	SEQUENCE_HEADER,
	SESSION_HEADER,
	type FallbackClose,
	type SessionOpened
} from '../protocol/fallback.ts';
import { EventStreamParser } from './event-stream.ts';
import type { Link, LinkEvents } from './links.ts';

/** Under the server's 10 s grace: after that the session is gone anyway. */
const RESUME_WITHIN_MS = 8000;
/** The server pings every few seconds and writes a comment every 15 s: silence is a dead link. */
const STALL_MS = 20_000;
const POST_TIMEOUT_MS = 10_000;
const POST_TRIES = 3;
/** Frames per POST at most, in characters: well under the server's 16 KB. */
const POST_CHARS = 12 * 1024;

export class StreamLink implements Link {
	private session: string | null = null;
	private lastEventId: string | null = null;
	private stream: AbortController | null = null;
	/** Since when the stream is down (null: up, or never opened). */
	private cutAt: number | null = null;
	private resumes = 0;
	private queue: string[] = [];
	private posting = false;
	private sequence = 0;
	private done = false;

	constructor(
		private readonly base: string,
		private readonly events: LinkEvents
	) {
		void this.start();
	}

	send(text: string): boolean {
		if (this.done || this.session === null) return false;
		this.queue.push(text);
		void this.flush();
		return true;
	}

	get busy(): boolean {
		return this.posting || this.queue.length > 0;
	}

	close(): void {
		if (this.done) return;
		this.done = true;
		this.stream?.abort();
		this.forget();
	}

	private async start(): Promise<void> {
		let response: Response;
		try {
			response = await fetch(this.base + FALLBACK_PATHS.sessions, {
				method: 'POST',
				cache: 'no-store'
			});
		} catch {
			return this.end(null);
		}
		if (this.done) return;
		const body = (await response.json().catch(() => null)) as
			(SessionOpened & { code?: string; message?: string }) | null;
		if (response.status !== 201 || !body?.session) {
			// Refused (too many connections from this network…): say why, as a socket would.
			if (body?.code) {
				this.events.message(
					JSON.stringify({ type: 'error', code: body.code, message: body.message })
				);
			}
			return this.end(response.status === 429 ? CloseCode.policy : null);
		}
		this.session = body.session;
		void this.listen();
		this.events.open();
	}

	private async listen(): Promise<void> {
		const controller = new AbortController();
		this.stream = controller;
		const headers: Record<string, string> = {
			[SESSION_HEADER]: this.session!,
			accept: 'text/event-stream'
		};
		if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId;
		let stall: ReturnType<typeof setTimeout> | undefined;
		const watch = () => {
			clearTimeout(stall);
			stall = setTimeout(() => controller.abort(), STALL_MS);
		};
		try {
			watch();
			const response = await fetch(this.base + FALLBACK_PATHS.events, {
				headers,
				cache: 'no-store',
				signal: controller.signal
			});
			// The session is gone (its grace ran out, or the server restarted): start over.
			if (response.status === 404) return this.end(null);
			if (!response.ok || !response.body) throw new Error(`Stream refused: ${response.status}`);
			this.cutAt = null;
			this.resumes = 0;
			const reader = response.body.getReader();
			const decoder = new TextDecoder();
			let closing: FallbackClose | null = null;
			const parser = new EventStreamParser((event) => {
				if (event.id !== null) this.lastEventId = event.id;
				if (event.event === 'close') closing = JSON.parse(event.data) as FallbackClose;
				else if (!closing && !this.done) this.events.message(event.data);
			});
			for (;;) {
				watch();
				const { value, done } = await reader.read();
				if (done || this.done) break;
				parser.push(decoder.decode(value, { stream: true }));
				if (closing) return this.end((closing as FallbackClose).code);
			}
		} catch {
			// Cut, refused or stalled: resumed below.
		} finally {
			clearTimeout(stall);
		}
		if (this.done || this.stream !== controller) return;
		this.resume();
	}

	/** The stream was cut: come back where it stopped, while the server still keeps the session. */
	private resume(): void {
		const now = Date.now();
		this.cutAt ??= now;
		if (now - this.cutAt > RESUME_WITHIN_MS) return this.end(null);
		const delay = Math.min(2000, 250 * 2 ** this.resumes++);
		setTimeout(() => {
			if (!this.done) void this.listen();
		}, delay);
	}

	/** Frames in order: one POST at a time, whatever queued meanwhile in the next. */
	private async flush(): Promise<void> {
		if (this.posting || this.done || this.queue.length === 0) return;
		this.posting = true;
		let chars = 0;
		let count = 0;
		while (
			count < this.queue.length &&
			(count === 0 || chars + this.queue[count]!.length < POST_CHARS)
		) {
			chars += this.queue[count++]!.length + 1;
		}
		const body = this.queue.splice(0, count).join('\n');
		const sequence = ++this.sequence;
		for (let attempt = 1; ; attempt++) {
			const status = await this.post(body, sequence);
			if (this.done) return;
			// Unknown session: it is gone; a new link says hello again.
			if (status === 404) return this.end(null);
			// Taken (204), or refused for what it said (the stream says why): next batch.
			if (status !== null && status < 500) break;
			if (attempt >= POST_TRIES) return this.end(null);
			await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
		}
		this.posting = false;
		void this.flush();
	}

	private async post(body: string, sequence: number): Promise<number | null> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), POST_TIMEOUT_MS);
		try {
			const response = await fetch(this.base + FALLBACK_PATHS.messages, {
				method: 'POST',
				headers: {
					[SESSION_HEADER]: this.session!,
					[SEQUENCE_HEADER]: String(sequence),
					'content-type': 'text/plain'
				},
				body,
				cache: 'no-store',
				signal: controller.signal
			});
			return response.status;
		} catch {
			return null;
		} finally {
			clearTimeout(timer);
		}
	}

	private end(code: number | null): void {
		if (this.done) return;
		this.done = true;
		this.stream?.abort();
		if (code === null) this.forget();
		this.events.close(code);
	}

	/** Tells the server the session is over now rather than after its grace period. */
	private forget(): void {
		if (this.session === null) return;
		void fetch(this.base + FALLBACK_PATHS.sessions, {
			method: 'DELETE',
			headers: { [SESSION_HEADER]: this.session },
			keepalive: true
		}).catch(() => {});
	}
}
