/**
 * A session's frames over a WebSocket: text frames each way, protocol-level pings for the round
 * trip, and the send path that keeps a full room cheap (one encoding per broadcast, corked
 * writes, ticks skipped for a socket that lags, a socket cut that stopped reading).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { SendOptions } from './room.ts';
import type { Transport } from './session.ts';

/** Unsent bytes past which a socket lags: ticks and answer counts are skipped for it. */
export const LAGGING_BYTES = 64 * 1024;
/** Unsent bytes past which a socket is cut (above any snapshot, even a host's of 20,000 players). */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * The last frame's bytes: a broadcast hands every socket the same string, which is then
 * encoded once instead of once per socket.
 */
let lastText = '';
let lastBytes = Buffer.alloc(0);
function encoded(text: string): Buffer {
	if (text !== lastText) {
		lastText = text;
		lastBytes = Buffer.from(text);
	}
	return lastBytes;
}

/** The TCP socket under a `ws` socket (`ws` keeps it as `_socket`), for cork and uncork. */
function rawSocket(socket: WebSocket): Socket | undefined {
	return (socket as unknown as { _socket?: Socket })._socket;
}

export class SocketTransport implements Transport {
	constructor(private readonly socket: WebSocket) {}

	send(text: string, options?: SendOptions): void {
		const socket = this.socket;
		if (socket.readyState !== socket.OPEN) return;
		const queued = socket.bufferedAmount;
		if (queued > MAX_BUFFERED_BYTES) {
			// Not reading (a phone in a pocket on a dead link): cut it rather than hold its frames
			// without end. It reconnects, if it ever does, to a fresh snapshot.
			socket.terminate();
			return;
		}
		if (options?.droppable && queued > LAGGING_BYTES) return;
		socket.send(encoded(text), { binary: false });
	}

	cork(): void {
		rawSocket(this.socket)?.cork();
	}

	uncork(): void {
		rawSocket(this.socket)?.uncork();
	}

	close(code: number, reason: string): void {
		this.socket.close(code, reason);
	}

	terminate(): void {
		this.socket.terminate();
	}

	ping(): boolean {
		this.socket.ping();
		return true;
	}
}
