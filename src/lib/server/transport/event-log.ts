/**
 * The events a fallback session sent, kept for a while so a stream that was cut can resume
 * where it stopped (`Last-Event-ID`) and miss nothing. Bounded by count and by size: the oldest
 * go first, and a stream that asks for one of those gets `null` (it needs a fresh snapshot).
 *
 * Broadcasts are the same string in every session's log, so the log holds references, not
 * copies. Pure and synchronous: tested without a server.
 */

export interface LoggedEvent {
	/** 1, 2, 3… per session. */
	id: number;
	/** SSE event name; none for game frames. */
	event?: 'close';
	data: string;
}

export const EVENT_LOG_DEFAULTS = {
	maxEvents: 256,
	/** In characters of data (JSON frames are almost all ASCII, so about bytes). */
	maxChars: 256 * 1024
};

export class EventLog {
	private events: LoggedEvent[] = [];
	/** Index of the oldest kept event in `events` (dropped ones are spliced out in batches). */
	private head = 0;
	private chars = 0;
	private nextId = 1;
	/** Every event up to this id is no longer kept (delivered and acknowledged, or evicted). */
	private goneThrough = 0;

	constructor(
		private readonly maxEvents = EVENT_LOG_DEFAULTS.maxEvents,
		private readonly maxChars = EVENT_LOG_DEFAULTS.maxChars
	) {}

	get lastId(): number {
		return this.nextId - 1;
	}

	get size(): number {
		return this.events.length - this.head;
	}

	append(data: string, event?: LoggedEvent['event']): LoggedEvent {
		const logged: LoggedEvent = event
			? { id: this.nextId++, event, data }
			: { id: this.nextId++, data };
		this.events.push(logged);
		this.chars += data.length;
		// Always keep the newest, however big (a host's snapshot of a full room).
		while (this.size > 1 && (this.size > this.maxEvents || this.chars > this.maxChars)) {
			this.dropOldest();
		}
		return logged;
	}

	/**
	 * Every event after `afterId`, in order; `null` when some of them are no longer kept (or the
	 * id was never handed out), so the caller must send a fresh snapshot instead.
	 */
	since(afterId: number): LoggedEvent[] | null {
		if (!Number.isInteger(afterId) || afterId < this.goneThrough || afterId > this.lastId) {
			return null;
		}
		const kept = this.events;
		let first = this.head;
		// Ids are consecutive from the oldest kept one.
		if (first < kept.length) first += Math.max(0, afterId + 1 - kept[first]!.id);
		return kept.slice(first);
	}

	/** The client has everything up to `id`: those need not be kept any longer. */
	acknowledge(id: number): void {
		while (this.size > 0 && this.events[this.head]!.id <= id) this.dropOldest();
		this.goneThrough = Math.max(this.goneThrough, Math.min(id, this.lastId));
	}

	private dropOldest(): void {
		const dropped = this.events[this.head]!;
		this.events[this.head] = undefined as unknown as LoggedEvent;
		this.head++;
		this.chars -= dropped.data.length;
		this.goneThrough = Math.max(this.goneThrough, dropped.id);
		// Compact now and then rather than shifting on every drop.
		if (this.head > 64 && this.head * 2 > this.events.length) {
			this.events = this.events.slice(this.head);
			this.head = 0;
		}
	}
}
