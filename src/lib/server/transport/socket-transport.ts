/**
 * A session's frames over a WebSocket: text frames each way, protocol-level pings for the round
 * trip, and the send path that keeps a full room cheap (one encoding per broadcast, corked
 * writes, ticks skipped for a socket that lags, a socket cut that stopped reading).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { SendOptions } from '../live/room.ts';
import type { Transport } from './session.ts';

/** Unsent bytes past which a socket lags: ticks and answer counts are skipped for it. */
export const LAGGING_BYTES = 64 * 1024;
/** Unsent bytes past which a socket is cut (above any snapshot, even a host's of 20,000 players). */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * The last frame, whole: a broadcast hands every socket the same string, which is then encoded
 * and framed once instead of once per socket, and leaves as one write (through `ws`, each frame
 * is a header and a payload written corked: two chunks and a `writev` per socket).
 */
let lastText = '';
let lastFrame = Buffer.alloc(0);
export function textFrame(text: string): Buffer {
	if (text !== lastText) {
		lastText = text;
		const payload = Buffer.from(text);
		// RFC 6455 §5.2: FIN + text opcode; a server's frames are not masked.
		const length = payload.length;
		const header =
			length < 126
				? Buffer.from([0x81, length])
				: length < 65536
					? Buffer.from([0x81, 126, length >> 8, length & 0xff])
					: Buffer.concat([Buffer.from([0x81, 127]), bigEndian64(length)]);
		lastFrame = Buffer.concat([header, payload]);
	}
	return lastFrame;
}

function bigEndian64(value: number): Buffer {
	const bytes = Buffer.alloc(8);
	bytes.writeBigUInt64BE(BigInt(value));
	return bytes;
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
		const raw = rawSocket(socket);
		// Straight onto the TCP socket: with no extension (no compression) `ws` queues nothing of
		// its own, so its pings and close frames still leave in the order they were sent.
		if (raw && socket.extensions === '') raw.write(textFrame(text));
		else socket.send(text);
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

	/** The id rides in the ping's payload, which the pong echoes (RFC 6455, 5.5.3). */
	ping(id: number): boolean {
		this.socket.ping(String(id));
		return true;
	}
}
