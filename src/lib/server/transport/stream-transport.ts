/**
 * A session's frames over the HTTP fallback: server → client as Server-Sent Events on a stream
 * that may be cut and resumed, client → server as POSTed lines. To the session (and so to the
 * room) it is one steady link, like a WebSocket.
 *
 * Every frame that matters gets an `id:` and is kept in the session's log, so a stream that
 * comes back with `Last-Event-ID` gets exactly what it missed. Ticks and answer counts carry no
 * id and are not kept: the next one supersedes them (as on a WebSocket that lags). A session
 * with no stream for longer than the grace period is gone for the room (a player shown as
 * disconnected), as a WebSocket that stopped answering pings would be.
 */
import type { ServerResponse } from 'node:http';
import type { FallbackClose } from '../../protocol/index.ts';
import { EventLog, type LoggedEvent } from './event-log.ts';
import type { SendOptions } from '../live/room.ts';
import type { Session, Transport } from './session.ts';
import { LAGGING_BYTES, MAX_BUFFERED_BYTES } from './socket-transport.ts';

export interface StreamTiming {
	/** A session with no stream this long is gone (and a closed one forgotten). */
	graceMs: number;
	/** A comment line this often keeps proxies from closing a quiet stream. */
	keepAliveMs: number;
}

export const STREAM_TIMING: StreamTiming = { graceMs: 10_000, keepAliveMs: 15_000 };

/** WebSocket's code for a link that died without a close frame. */
const GONE_ABNORMALLY = 1006;

/**
 * Tell every proxy on the way to pass events on as they come: no caching, no transforming
 * (compressing), no buffering (nginx reads `X-Accel-Buffering`).
 */
export const STREAM_HEADERS = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache, no-transform',
	'x-accel-buffering': 'no',
	'x-content-type-options': 'nosniff',
	connection: 'keep-alive'
} as const;

/** One SSE event. Frames are JSON.stringify'd, so `data` is one line (no raw line breaks). */
function format(event: LoggedEvent): string {
	return event.event
		? `id: ${event.id}\nevent: ${event.event}\ndata: ${event.data}\n\n`
		: `id: ${event.id}\ndata: ${event.data}\n\n`;
}

export interface StreamTransportEvents {
	/** The session is over for the room (closed, or no stream within the grace). Called once. */
	onFinished(): void;
	/** Nothing more to resume: drop the session id. */
	onForgotten(): void;
}

export class StreamTransport implements Transport {
	session!: Session;
	private stream: ServerResponse | null = null;
	private readonly log: EventLog;
	private graceTimer: ReturnType<typeof setTimeout> | null = null;
	private keepAlive: ReturnType<typeof setInterval> | null = null;
	/** Set once the session is closed: why, for a stream that comes back to hear it. */
	private ended: FallbackClose | null = null;
	private finished = false;
	private lastSequence = 0;

	constructor(
		readonly id: string,
		private readonly events: StreamTransportEvents,
		private readonly timing: StreamTiming = STREAM_TIMING,
		log = new EventLog()
	) {
		this.log = log;
		// No stream yet: the client has the grace period to open one.
		this.startGrace();
	}

	get attached(): boolean {
		return this.stream !== null;
	}

	get closedWith(): FallbackClose | null {
		return this.ended;
	}

	// --- Transport ---------------------------------------------------------------------------

	send(text: string, options?: SendOptions): void {
		if (this.ended) return;
		const stream = this.stream;
		if (options?.droppable) {
			if (stream && stream.writableLength <= LAGGING_BYTES) stream.write(`data: ${text}\n\n`);
			return;
		}
		const event = this.log.append(text);
		if (stream) this.write(stream, event);
	}

	close(code: number, reason: string): void {
		if (this.ended) return;
		this.ended = { code, reason };
		const event = this.log.append(JSON.stringify(this.ended), 'close');
		const stream = this.stream;
		if (stream) {
			this.write(stream, event);
			this.detach();
			stream.end();
		}
		this.finish();
		// Kept a little longer, so a stream that was away when this happened still hears why.
		this.startGrace();
	}

	/** The stream looks dead (pings unanswered, or not reading): cut it; the client may resume. */
	terminate(): void {
		this.stream?.destroy();
	}

	cork(): void {
		this.stream?.cork();
	}

	uncork(): void {
		this.stream?.uncork();
	}

	ping(id: number): boolean {
		const stream = this.stream;
		if (!stream || stream.writableLength > LAGGING_BYTES) return false;
		stream.write(`data: {"type":"ping","id":${id}}\n\n`);
		return true;
	}

	// --- HTTP side ---------------------------------------------------------------------------

	/**
	 * A stream (GET events) for this session; it replaces any earlier one. `lastEventId`: the
	 * last event the client has (null: none yet). Sends what it missed, or, if that is no
	 * longer all kept, a fresh snapshot instead.
	 */
	attach(response: ServerResponse, lastEventId: number | null): void {
		const previous = this.stream;
		if (previous) {
			this.detach();
			previous.end();
		}
		this.clearGrace();
		response.writeHead(200, STREAM_HEADERS);
		response.socket?.setNoDelay(true);
		// Bytes at once, so every proxy on the way passes the response on now.
		response.write(': stream open\n\n');
		this.stream = response;
		response.on('close', () => {
			if (this.stream !== response) return;
			this.detach();
			this.startGrace();
		});

		const after = lastEventId ?? 0;
		const missed = this.log.since(after);
		this.log.acknowledge(after);
		if (missed) {
			for (const event of missed) this.write(response, event);
		} else if (this.ended) {
			// The gap is gone, but not the reason the session ended.
			this.write(response, this.log.append(JSON.stringify(this.ended), 'close'));
		} else {
			// The events after `lastEventId` are no longer all kept: the whole picture instead.
			this.session.resync();
		}
		if (this.ended) {
			this.detach();
			response.end();
			// Kept for the rest of its linger, then forgotten.
			this.startGrace();
			return;
		}
		// The first stream of a session missed the ping sent at hello.
		this.session.measure();
		this.keepAlive = setInterval(() => response.write(': keep-alive\n\n'), this.timing.keepAliveMs);
		this.keepAlive.unref();
	}

	/**
	 * Frames POSTed by the client, one per line, numbered by `sequence` (null: not numbered). A
	 * number seen before is a POST sent again after its answer was lost: already played.
	 */
	receive(body: string, sequence: number | null, maxFrameBytes: number): 'ok' | 'too-big' {
		if (this.ended) return 'ok';
		if (sequence !== null) {
			if (sequence <= this.lastSequence) return 'ok';
			this.lastSequence = sequence;
		}
		for (const line of body.split('\n')) {
			if (line === '' || line === '\r') continue;
			if (Buffer.byteLength(line) > maxFrameBytes) {
				// As a WebSocket closes on a frame over its limit.
				this.close(1009, 'Frame too big');
				return 'too-big';
			}
			this.session.receive(line);
			if (this.ended) break;
		}
		return 'ok';
	}

	/**
	 * Bench only (naive polling): the events after `afterId` as a JSON list, each frame inline.
	 * Each poll counts as the client being there for another grace period.
	 */
	poll(afterId: number): string {
		if (!this.stream) this.startGrace();
		let missed = this.log.since(afterId);
		this.log.acknowledge(afterId);
		if (!missed) {
			const before = this.log.lastId;
			if (!this.ended) this.session.resync();
			missed = this.log.since(before) ?? [];
		}
		const items = missed.map((event) =>
			event.event
				? `{"id":${event.id},"event":"${event.event}","data":${event.data}}`
				: `{"id":${event.id},"data":${event.data}}`
		);
		return `[${items.join(',')}]`;
	}

	/** The server is stopping: end the stream now (its session was told by its room already). */
	shutdown(): void {
		this.clearGrace();
		const stream = this.stream;
		this.detach();
		stream?.end();
		this.finish();
	}

	private write(stream: ServerResponse, event: LoggedEvent): void {
		if (stream.writableLength > MAX_BUFFERED_BYTES) {
			// Not reading: cut it. The log keeps what it missed, or it gets a fresh snapshot.
			stream.destroy();
			return;
		}
		stream.write(format(event));
	}

	private detach(): void {
		this.stream = null;
		if (this.keepAlive) clearInterval(this.keepAlive);
		this.keepAlive = null;
	}

	private startGrace(): void {
		this.clearGrace();
		this.graceTimer = setTimeout(() => {
			this.graceTimer = null;
			if (!this.ended) this.ended = { code: GONE_ABNORMALLY, reason: 'No stream' };
			this.finish();
			this.events.onForgotten();
		}, this.timing.graceMs);
		this.graceTimer.unref();
	}

	private clearGrace(): void {
		if (this.graceTimer) clearTimeout(this.graceTimer);
		this.graceTimer = null;
	}

	private finish(): void {
		if (this.finished) return;
		this.finished = true;
		this.session.closed();
		this.events.onFinished();
	}
}
