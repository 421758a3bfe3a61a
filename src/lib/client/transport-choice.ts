/**
 * Which way the browser reaches the room server: a WebSocket, or the HTTP fallback (events
 * stream down, POSTs up) where a network's proxy cuts WebSockets. The rules, kept apart from
 * the sockets so they are tested on their own:
 *
 * - Start on a WebSocket (the fallback at once in a browser without WebSocket).
 * - A transport that fails twice in a row through the network's fault (it never got its
 *   snapshot, or it was cut without a close frame within a few seconds of getting it) is
 *   swapped for the other. A failure while the browser says it is offline does not count; nor
 *   does a close the server chose (restart, kick, too many connections).
 * - On the fallback, a WebSocket is tried in the background as soon as the fallback is seated
 *   (the failures may have been a server restarting, not the network), then now and then
 *   (connection.ts); when one gets through, the game moves back to it.
 * - In a cluster, a node that dies looks like a network fault (its sockets are cut, new ones
 *   fail) until another node takes its games over. When the game turns out to have moved,
 *   those failures were the node's: the transport goes back to what it was before them.
 * - `?transport=ws` or `?transport=sse` on the page's address forces one (tests, support).
 */

export type Transport = 'ws' | 'sse';

/** A link that dies sooner than this after its snapshot counts as cut. */
export const SHORT_LIVED_MS = 5000;
/** Failures in a row that make the other transport worth trying. */
const STRIKES = 2;
/** The close code browsers report when a socket died without a close frame. */
const ABNORMAL = 1006;

export class TransportChoice {
	current: Transport;
	private strikes = 0;
	/** The transport before the current run of failures began (null: no failures since). */
	private beforeFailures: Transport | null = null;

	constructor(
		readonly forced: Transport | null,
		readonly hasWebSocket: boolean
	) {
		this.current = forced ?? (hasWebSocket ? 'ws' : 'sse');
	}

	/** Whether to look for a working WebSocket in the background. */
	get probing(): boolean {
		return this.current === 'sse' && this.forced === null && this.hasWebSocket;
	}

	/** A link of the current transport ended, but not through the network's fault. */
	worked(): void {
		this.strikes = 0;
	}

	/** A link of the current transport got its snapshot. */
	seated(): void {
		this.beforeFailures = null;
	}

	/** A link of the current transport failed through the network's fault. */
	failed(): void {
		if (this.forced !== null || !this.hasWebSocket) return;
		this.beforeFailures ??= this.current;
		if (++this.strikes < STRIKES) return;
		this.strikes = 0;
		this.current = this.current === 'ws' ? 'sse' : 'ws';
	}

	/** The game is on another node now: the failures since the last snapshot were the old node's. */
	moved(): void {
		if (this.beforeFailures !== null) this.current = this.beforeFailures;
		this.beforeFailures = null;
		this.strikes = 0;
	}

	/** A background WebSocket got through: back to it. */
	socketsWork(): void {
		this.current = 'ws';
		this.strikes = 0;
	}
}

/**
 * Did a link end through the network's fault? `code`: its close code (null: it never opened,
 * or we gave up on it); `seatedForMs`: how long it had its snapshot (null: never).
 */
export function networkFailure(code: number | null, seatedForMs: number | null): boolean {
	if (seatedForMs !== null && seatedForMs >= SHORT_LIVED_MS) return false;
	return code === null || code === ABNORMAL;
}

/** `?transport=ws` / `?transport=sse` in a page address's query; anything else: null. */
export function forcedTransport(search: string): Transport | null {
	const value = new URLSearchParams(search).get('transport');
	return value === 'ws' || value === 'sse' ? value : null;
}
