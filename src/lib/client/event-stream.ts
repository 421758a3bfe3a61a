/**
 * Reads a `text/event-stream` body chunk by chunk (what EventSource does, for a stream fetched
 * with our own headers): `data:`, `id:` and `event:` fields, comment lines skipped, an event at
 * each blank line. Lines end in `\n` or `\r\n` (the room server writes `\n`).
 */
export interface StreamEvent {
	/** This event's `id:`, or null when it has none. */
	id: string | null;
	event: string;
	data: string;
}

export class EventStreamParser {
	private buffer = '';
	private data: string[] = [];
	private event = '';
	private id: string | null = null;

	constructor(private readonly onEvent: (event: StreamEvent) => void) {}

	push(chunk: string): void {
		this.buffer += chunk;
		let start = 0;
		for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n', start)) {
			const line = this.buffer.slice(start, this.buffer[end - 1] === '\r' ? end - 1 : end);
			start = end + 1;
			this.line(line);
		}
		this.buffer = this.buffer.slice(start);
	}

	private line(line: string): void {
		if (line === '') {
			if (this.data.length > 0) {
				this.onEvent({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
			}
			this.data = [];
			this.event = '';
			this.id = null;
			return;
		}
		if (line[0] === ':') return;
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value[0] === ' ') value = value.slice(1);
		if (field === 'data') this.data.push(value);
		else if (field === 'event') this.event = value;
		else if (field === 'id') this.id = value;
	}
}
