/**
 * The browser's one socket to the room server: says hello with the token, keeps the clock in
 * sync, and reconnects by itself with backoff and jitter until the server says the seat is gone.
 */
import {
	CloseCode,
	PROTOCOL_VERSION,
	type ClientMessage,
	type ServerMessage
} from '../protocol/messages.ts';
import { ClockSync, localNow } from './clock-sync.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionOptions {
	token: string;
	onMessage(message: ServerMessage): void;
	onStatus(status: ConnectionStatus): void;
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

export class GameConnection {
	readonly clock = new ClockSync();
	private socket: WebSocket | null = null;
	private attempts = 0;
	private probeId = 0;
	private timers = new Set<ReturnType<typeof setTimeout>>();
	private stopped = false;

	constructor(private readonly options: ConnectionOptions) {
		this.open();
		this.later(() => this.repeatProbes(), PROBE_INTERVAL_MS);
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
		this.socket?.close(1000, 'Page closed');
		this.socket = null;
	}

	private open(): void {
		this.options.onStatus(this.attempts === 0 ? 'connecting' : 'reconnecting');
		const socket = new WebSocket(this.options.url ?? defaultUrl());
		this.socket = socket;
		socket.onopen = () => {
			socket.send(
				JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token: this.options.token })
			);
			for (let i = 0; i < FIRST_PROBES; i++) this.later(() => this.probe(), i * PROBE_SPACING_MS);
		};
		socket.onmessage = (event) => {
			const receivedAt = localNow();
			const message = JSON.parse(String(event.data)) as ServerMessage;
			if (message.type === 'clock') {
				this.clock.add(message.clientSentAt, message.serverTime, receivedAt);
				return;
			}
			if (message.type === 'state') {
				this.attempts = 0;
				this.clock.seed(message.serverTime, receivedAt);
				this.options.onStatus('open');
			}
			this.options.onMessage(message);
		};
		socket.onclose = (event) => {
			if (this.socket !== socket) return;
			this.socket = null;
			if (this.stopped || FINAL_CLOSE_CODES.has(event.code)) {
				this.stopped = true;
				this.options.onStatus('closed');
				return;
			}
			this.attempts++;
			this.options.onStatus('reconnecting');
			const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (this.attempts - 1));
			this.later(() => this.open(), backoff * (0.5 + Math.random() / 2));
		};
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
