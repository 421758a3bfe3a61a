/**
 * The browser's one socket to the room server: says hello with the token, keeps the clock in
 * sync, and reconnects by itself with backoff and jitter until the server says the seat is gone.
 *
 * A socket can die without a close event (Wi-Fi gone, phone asleep): the browser going offline
 * drops it at once, coming back online reconnects at once, and `checkAlive` lets the screen ask
 * "is anyone there?" when an answer waits for its acknowledgement or the page becomes visible.
 */
import { CloseCode, PROTOCOL_VERSION } from '../protocol/basics.ts';
import type { ClientMessage, ServerMessage } from '../protocol/messages.ts';
import { ClockSync, localNow } from './clock-sync.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionOptions {
	token: string;
	onMessage(message: ServerMessage): void;
	/** `closeCode`: why the last socket closed (1012: the server is restarting). */
	onStatus(status: ConnectionStatus, closeCode: number | null): void;
	url?: string;
}

/** Close codes after which trying again cannot help. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
	CloseCode.kicked,
	CloseCode.ended,
	CloseCode.replaced,
	CloseCode.badToken,
	CloseCode.badVersion
]);

const FIRST_PROBES = 6;
const PROBE_SPACING_MS = 120;
const PROBE_INTERVAL_MS = 15_000;
const MAX_BACKOFF_MS = 4000;
/** While the browser says it is offline, try now and then anyway: it may be wrong. */
const OFFLINE_RETRY_MS = 10_000;
/** A socket with no snapshot by then is stuck (a connect into a dead network can hang). */
const CONNECT_TIMEOUT_MS = 8000;

export class GameConnection {
	readonly clock = new ClockSync();
	private socket: WebSocket | null = null;
	private attempts = 0;
	private probeId = 0;
	private timers = new Set<ReturnType<typeof setTimeout>>();
	private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
	/** Frames received on the current socket, for `checkAlive`. */
	private received = 0;
	/** Had a snapshot once: any later attempt is a reconnect. */
	private everOpen = false;
	private stopped = false;
	private readonly onOffline = () => this.drop(null);
	private readonly onOnline = () => this.reconnectNow();

	constructor(private readonly options: ConnectionOptions) {
		this.open(null);
		this.later(() => this.repeatProbes(), PROBE_INTERVAL_MS);
		if (typeof window !== 'undefined') {
			window.addEventListener('offline', this.onOffline);
			window.addEventListener('online', this.onOnline);
		}
	}

	send(message: ClientMessage): boolean {
		if (this.socket?.readyState !== WebSocket.OPEN) return false;
		this.socket.send(JSON.stringify(message));
		return true;
	}

	close(): void {
		this.stopped = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.clearReconnect();
		this.stopListening();
		this.socket?.close(1000, 'Page closed');
		this.socket = null;
	}

	private stopListening(): void {
		if (typeof window === 'undefined') return;
		window.removeEventListener('offline', this.onOffline);
		window.removeEventListener('online', this.onOnline);
	}

	/**
	 * Sends a clock probe; if nothing at all arrives within `withinMs`, the socket is taken for
	 * dead and replaced. Any frame counts, so a busy server is not mistaken for a dead one.
	 */
	checkAlive(withinMs: number): void {
		const socket = this.socket;
		if (!socket || socket.readyState !== WebSocket.OPEN) return;
		const before = this.received;
		this.probe();
		this.later(() => {
			if (this.socket === socket && this.received === before) this.drop(null);
		}, withinMs);
	}

	/** Skips the backoff: the network is back. */
	private reconnectNow(): void {
		if (this.stopped || this.socket?.readyState === WebSocket.OPEN) return;
		this.clearReconnect();
		const stuck = this.socket;
		this.socket = null;
		stuck?.close();
		this.attempts = 0;
		this.open(null);
	}

	/** Gives up on the current socket (it may be half dead) and tries again. */
	private drop(closeCode: number | null): void {
		if (this.stopped) return;
		const socket = this.socket;
		if (socket) {
			this.socket = null;
			socket.close(1000, 'Reconnecting');
		}
		this.scheduleReconnect(closeCode);
	}

	private open(lastCloseCode: number | null): void {
		const first = this.attempts === 0 && !this.everOpen;
		this.options.onStatus(first ? 'connecting' : 'reconnecting', lastCloseCode);
		const socket = new WebSocket(this.options.url ?? defaultUrl());
		this.socket = socket;
		let seated = false;
		this.later(() => {
			if (this.socket === socket && !seated) this.drop(null);
		}, CONNECT_TIMEOUT_MS);
		socket.onopen = () => {
			socket.send(
				JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token: this.options.token })
			);
			for (let i = 0; i < FIRST_PROBES; i++) this.later(() => this.probe(), i * PROBE_SPACING_MS);
		};
		socket.onmessage = (event) => {
			if (this.socket !== socket) return;
			const receivedAt = localNow();
			this.received++;
			const message = JSON.parse(String(event.data)) as ServerMessage;
			if (message.type === 'clock') {
				this.clock.add(message.clientSentAt, message.serverTime, receivedAt);
				return;
			}
			if (message.type === 'state') {
				seated = true;
				this.attempts = 0;
				this.everOpen = true;
				this.clock.seed(message.serverTime, receivedAt);
				this.options.onStatus('open', null);
			}
			this.options.onMessage(message);
		};
		socket.onclose = (event) => {
			if (this.socket !== socket) return;
			this.socket = null;
			if (this.stopped || FINAL_CLOSE_CODES.has(event.code)) {
				this.stopped = true;
				this.clearReconnect();
				this.stopListening();
				this.options.onStatus('closed', event.code);
				return;
			}
			this.scheduleReconnect(event.code);
		};
	}

	private scheduleReconnect(closeCode: number | null): void {
		this.clearReconnect();
		this.attempts++;
		this.options.onStatus('reconnecting', closeCode);
		const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
		const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (this.attempts - 1));
		const delay = offline ? OFFLINE_RETRY_MS : backoff * (0.5 + Math.random() / 2);
		this.reconnectTimer = setTimeout(() => {
			this.reconnectTimer = null;
			if (!this.stopped) this.open(closeCode);
		}, delay);
	}

	private clearReconnect(): void {
		if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
		this.reconnectTimer = null;
	}

	private probe(): void {
		this.send({ type: 'clock', id: ++this.probeId, clientSentAt: localNow() });
	}

	private repeatProbes(): void {
		this.probe();
		this.later(() => this.repeatProbes(), PROBE_INTERVAL_MS);
	}

	private later(callback: () => void, ms: number): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (!this.stopped) callback();
		}, ms);
		this.timers.add(timer);
	}
}

function defaultUrl(): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
