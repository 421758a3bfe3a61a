/**
 * A browser WebSocket for tests, stubbed in with `vi.stubGlobal('WebSocket', FakeSocket)`: it
 * records what the page sends, and the test plays the server (accept, push, drop). Shared by the
 * connection and screen-state tests; not a *.test.ts, so vitest does not run it on its own.
 */
import type { ServerMessage } from '../protocol/messages.ts';

export class FakeSocket {
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSING = 2;
	static readonly CLOSED = 3;
	/** Every socket opened since the test emptied this, oldest first. */
	static all: FakeSocket[] = [];

	readyState = FakeSocket.CONNECTING;
	sent: Record<string, unknown>[] = [];
	onopen: (() => void) | null = null;
	onmessage: ((event: { data: string }) => void) | null = null;
	onclose: ((event: { code: number }) => void) | null = null;

	constructor(readonly url: string) {
		FakeSocket.all.push(this);
	}

	static get last(): FakeSocket {
		return FakeSocket.all[FakeSocket.all.length - 1]!;
	}

	send(text: string): void {
		this.sent.push(JSON.parse(text) as Record<string, unknown>);
	}

	close(): void {
		this.readyState = FakeSocket.CLOSED;
	}

	// The server side
	accept(): void {
		this.readyState = FakeSocket.OPEN;
		this.onopen?.();
	}
	push(message: ServerMessage): void {
		this.onmessage?.({ data: JSON.stringify(message) });
	}
	drop(code: number): void {
		this.readyState = FakeSocket.CLOSED;
		this.onclose?.({ code });
	}
	answers(): Record<string, unknown>[] {
		return this.sent.filter((frame) => frame.type === 'answer');
	}
}
