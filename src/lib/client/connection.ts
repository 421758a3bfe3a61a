/**
 * The browser's one connection to the room server: says hello with the token, keeps the clock
 * in sync, and reconnects by itself with backoff and jitter until the server says the seat is
 * gone. It goes by WebSocket, or by the HTTP fallback where a network cuts WebSockets (the
 * rules are in transport-choice.ts), and back to a WebSocket when one gets through again.
 *
 * A link can die without a close event (Wi-Fi gone, phone asleep): the browser going offline
 * drops it at once, coming back online reconnects at once, and `checkAlive` lets the screen ask
 * "is anyone there?" when an answer waits for its acknowledgement or the page becomes visible.
 */
import { CloseCode, PROTOCOL_VERSION } from '../protocol/basics.ts';
import type { ClientMessage, ServerMessage } from '../protocol/messages.ts';
import { ClockSync, localNow } from './clock-sync.ts';
import { liveAddresses, type LiveAddresses } from './live-addresses.ts';
import { socketLink, type Link, type LinkEvents } from './links.ts';
import { StreamLink } from './stream-link.ts';
import {
	networkFailure,
	SHORT_LIVED_MS,
	TransportChoice,
	type Transport
} from './transport-choice.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionOptions {
	token: string;
	onMessage(message: ServerMessage): void;
	/** `closeCode`: why the last link closed (1012: the server is restarting). */
	onStatus(status: ConnectionStatus, closeCode: number | null): void;
	/** A link of this transport got its snapshot: the fallback is "compatibility mode". */
	onTransport?(transport: Transport): void;
	/** Where the live game is: a path (default `/ws`) or an absolute ws(s):// or http(s):// URL. */
	url?: string;
	/** Only this transport (`?transport=` on the page address); default: WebSocket first. */
	transport?: Transport | null;
	/**
	 * In a cluster: asks where the game lives now (its node may have died and another taken it
	 * over). Called before every reconnect attempt; null keeps the current address.
	 */
	locate?: () => Promise<string | null>;
	/**
	 * True while the player is answering: on the fallback a pong then waits (saying how long), so
	 * it does not hold the link for a round trip just as the answer goes.
	 */
	answering?: () => boolean;
}

/** Close codes after which trying again cannot help. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
	CloseCode.kicked,
	CloseCode.ended,
	CloseCode.replaced,
	CloseCode.badToken,
	CloseCode.badVersion,
	// The host's sign-in ended (or never was): only signing in again helps.
	CloseCode.notYourGame
]);

const FIRST_PROBES = 8;
const PROBE_SPACING_MS = 120;
const PROBE_INTERVAL_MS = 15_000;
/** After a reveal, each phone probes within this long (spread: not a room at once). */
const PROBE_SPREAD_MS = 250;
/** A probe waits for a free link this often, this many times at most. */
const IDLE_RETRY_MS = 50;
const IDLE_TRIES = 40;
const MAX_BACKOFF_MS = 4000;
/** While the browser says it is offline, try now and then anyway: it may be wrong. */
const OFFLINE_RETRY_MS = 10_000;
/** A link with no snapshot by then is stuck (a connect into a dead network can hang). */
const CONNECT_TIMEOUT_MS = 8000;
/** A WebSocket not even open by then is taken for blocked (a proxy that swallows upgrades). */
const SOCKET_OPEN_TIMEOUT_MS = 4000;
/** On the fallback, a WebSocket is tried in the background this often. */
export const SOCKET_RETRY_MS = 60_000;

export class GameConnection {
	readonly clock = new ClockSync();
	private addresses: LiveAddresses;
	private readonly choice: TransportChoice;
	private link: Link | null = null;
	/** The link a background WebSocket replaces, closed once that one has its snapshot. */
	private retiring: Link | null = null;
	private attempts = 0;
	private probeId = 0;
	private timers = new Set<ReturnType<typeof setTimeout>>();
	private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
	/** Frames received on the current link, for `checkAlive`. */
	private received = 0;
	/** Had a snapshot once: any later attempt is a reconnect. */
	private everOpen = false;
	/** The current link has its snapshot. */
	private seated = false;
	private stopped = false;
	private readonly onOffline = () => this.drop(null);
	private readonly onOnline = () => this.reconnectNow();

	constructor(private readonly options: ConnectionOptions) {
		this.addresses = liveAddresses(options.url ?? '/ws', pageAddress());
		this.choice = new TransportChoice(options.transport ?? null, typeof WebSocket !== 'undefined');
		this.open(null);
		this.later(() => this.repeatProbes(), PROBE_INTERVAL_MS);
		this.later(() => this.tryWebSocket(), SOCKET_RETRY_MS);
		if (typeof window !== 'undefined') {
			window.addEventListener('offline', this.onOffline);
			window.addEventListener('online', this.onOnline);
		}
	}

	/** Which way the game goes now. */
	get transport(): Transport {
		return this.choice.current;
	}

	send(message: ClientMessage): boolean {
		return this.link?.send(JSON.stringify(message)) ?? false;
	}

	/**
	 * Sends once the link is free (at once on a WebSocket; on the fallback, after the POST in
	 * flight): `build` learns how long the frame waited here, which an answer is credited.
	 */
	sendWhenFree(build: (heldMs: number) => ClientMessage): boolean {
		const link = this.link;
		if (!link) return false;
		if (!link.busy) return link.send(JSON.stringify(build(0)));
		const since = localNow();
		this.whenIdle(link, () => link.send(JSON.stringify(build(Math.round(localNow() - since)))));
		return true;
	}

	close(): void {
		this.stopped = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.clearReconnect();
		this.stopListening();
		this.link?.close();
		this.link = null;
		this.retire();
	}

	private stopListening(): void {
		if (typeof window === 'undefined') return;
		window.removeEventListener('offline', this.onOffline);
		window.removeEventListener('online', this.onOnline);
	}

	/**
	 * Sends a clock probe; if nothing at all arrives within `withinMs`, the link is taken for
	 * dead and replaced. Any frame counts, so a busy server is not mistaken for a dead one.
	 */
	checkAlive(withinMs: number): void {
		const link = this.link;
		if (!link) return;
		const before = this.received;
		if (!this.probe()) return;
		this.later(() => {
			if (this.link === link && this.received === before) this.drop(null);
		}, withinMs);
	}

	/** Skips the backoff: the network is back. */
	private reconnectNow(): void {
		if (this.stopped || (this.link && this.seated)) return;
		this.clearReconnect();
		this.link?.close();
		this.link = null;
		this.attempts = 0;
		this.open(null);
	}

	/** Gives up on the current link (it may be half dead) and tries again. */
	private drop(closeCode: number | null): void {
		if (this.stopped) return;
		const link = this.link;
		if (link) {
			this.link = null;
			link.close();
		}
		this.scheduleReconnect(closeCode);
	}

	/** `adopted`: a background WebSocket that got through, to carry on over. */
	private open(lastCloseCode: number | null, adopted?: WebSocket): void {
		if (!adopted) {
			const first = this.attempts === 0 && !this.everOpen;
			this.options.onStatus(first ? 'connecting' : 'reconnecting', lastCloseCode);
		}
		const kind: Transport = adopted ? 'ws' : this.choice.current;
		let seatedAt: number | null = null;
		let opened = false;
		this.seated = false;
		const events: LinkEvents = {
			open: () => {
				if (this.link !== link) return;
				opened = true;
				link.send(
					JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token: this.options.token })
				);
				for (let i = 0; i < FIRST_PROBES; i++) {
					this.later(() => this.probeWhenIdle(), i * PROBE_SPACING_MS);
				}
			},
			message: (text) => {
				if (this.link !== link) return;
				const receivedAt = localNow();
				this.received++;
				const message = JSON.parse(text) as ServerMessage;
				if (message.type === 'clock') {
					this.clock.add(message.clientSentAt, message.serverTime, receivedAt);
					return;
				}
				if (message.type === 'ping') {
					// Behind a POST in flight, the pong says how long it waited here: the server
					// takes that off the round trip (the answers' way up), rather than read it as a
					// slow link.
					const { id } = message;
					this.whenIdle(
						link,
						() => {
							const heldMs = Math.round(localNow() - receivedAt);
							link.send(JSON.stringify({ type: 'pong', id, ...(heldMs > 0 ? { heldMs } : {}) }));
						},
						0,
						this.options.answering
					);
					return;
				}
				if (message.type === 'state') {
					seatedAt ??= Date.now();
					this.seated = true;
					this.attempts = 0;
					this.everOpen = true;
					this.retire();
					this.choice.seated();
					// Seated on the fallback: a WebSocket is tried at once, not at the next round. The
					// failures that brought it here may have been the server's (down for a restart),
					// not a network blocking WebSockets.
					if (this.choice.probing) this.later(() => this.probeSocket(), 0);
					this.clock.seed(message.serverTime, receivedAt);
					this.options.onTransport?.(kind);
					this.options.onStatus('open', null);
				}
				this.options.onMessage(message);
			},
			close: (code) => {
				if (this.link !== link) return;
				this.link = null;
				this.retire();
				if (this.stopped || (code !== null && FINAL_CLOSE_CODES.has(code))) {
					this.stopped = true;
					this.clearReconnect();
					this.stopListening();
					this.options.onStatus('closed', code);
					return;
				}
				this.lost(code, seatedAt);
			}
		};
		const link: Link =
			kind === 'sse'
				? new StreamLink(this.addresses.http, events)
				: socketLink(adopted ?? new WebSocket(this.addresses.socket), events);
		this.link = link;
		if (adopted) events.open();
		else if (kind === 'ws') {
			this.later(() => {
				if (this.link === link && !opened) this.giveUp(link);
			}, SOCKET_OPEN_TIMEOUT_MS);
		}
		this.later(() => {
			if (this.link === link && seatedAt === null) this.giveUp(link);
		}, CONNECT_TIMEOUT_MS);
	}

	/** This link never got going: it counts against its transport. */
	private giveUp(link: Link): void {
		this.link = null;
		link.close();
		this.lost(null, null);
	}

	/** The current link is gone (not for good): maybe swap transports, then try again. */
	private lost(code: number | null, seatedAt: number | null): void {
		const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
		const seatedFor = seatedAt === null ? null : Date.now() - seatedAt;
		if (offline) {
			// Not the transport's fault, nor proof that it works.
		} else if (networkFailure(code, seatedFor)) this.choice.failed();
		else this.choice.worked();
		this.scheduleReconnect(code);
	}

	private scheduleReconnect(closeCode: number | null): void {
		this.clearReconnect();
		this.attempts++;
		this.seated = false;
		this.options.onStatus('reconnecting', closeCode);
		const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
		const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (this.attempts - 1));
		const delay = offline ? OFFLINE_RETRY_MS : backoff * (0.5 + Math.random() / 2);
		const locate = this.options.locate;
		this.reconnectTimer = setTimeout(() => {
			this.reconnectTimer = null;
			if (this.stopped) return;
			if (!locate) {
				this.open(closeCode);
				return;
			}
			void locate()
				.catch(() => null)
				.then((url) => {
					const moved = url ? liveAddresses(url, pageAddress()) : null;
					if (moved && moved.socket !== this.addresses.socket) {
						this.addresses = moved;
						this.choice.moved();
					}
					if (!this.stopped && !this.link) this.open(closeCode);
				});
		}, delay);
	}

	private clearReconnect(): void {
		if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
		this.reconnectTimer = null;
	}

	/**
	 * On the fallback: open a WebSocket on the side. If a clock probe comes back over it and it
	 * is still open a few seconds later, the network lets WebSockets through again, and the game
	 * carries on over it (its hello takes the seat over from the fallback's session).
	 */
	private tryWebSocket(): void {
		this.later(() => this.tryWebSocket(), SOCKET_RETRY_MS);
		this.probeSocket();
	}

	private probeSocket(): void {
		if (!this.choice.probing || !this.seated) return;
		const socket = new WebSocket(this.addresses.socket);
		let answered = false;
		socket.onopen = () =>
			socket.send(JSON.stringify({ type: 'clock', id: ++this.probeId, clientSentAt: localNow() }));
		socket.onmessage = () => (answered = true);
		this.later(() => {
			const through = answered && socket.readyState === WebSocket.OPEN;
			if (!through || !this.choice.probing || !this.seated || !this.link) {
				socket.close();
				return;
			}
			this.choice.socketsWork();
			this.retiring = this.link;
			this.link = null;
			this.open(null, socket);
		}, SHORT_LIVED_MS);
	}

	private retire(): void {
		this.retiring?.close();
		this.retiring = null;
	}

	/** A clock probe; false when there is no link to send it on. */
	private probe(): boolean {
		return this.send({ type: 'clock', id: ++this.probeId, clientSentAt: localNow() });
	}

	/**
	 * One more clock probe within the next second or so: the estimate kept fresh during the game,
	 * not only at join (the screens open answers by it). Spread, so a room does not probe at once.
	 */
	probeClockSoon(): void {
		this.later(() => this.probeWhenIdle(), Math.random() * PROBE_SPREAD_MS);
	}

	/**
	 * A clock probe once the link is free: on the fallback one POST goes at a time, and a probe
	 * stamped while it waited would read the wait as its way up, skewing the clock by half of it.
	 */
	private probeWhenIdle(): void {
		const link = this.link;
		if (link) this.whenIdle(link, () => this.probe());
	}

	/** `send` once `link` is free (at once on a WebSocket), or after a while regardless. */
	private whenIdle(link: Link, send: () => void, tries = 0, held?: () => boolean): void {
		if (this.link !== link) return;
		if ((link.busy || (link.busy !== undefined && held?.())) && tries < IDLE_TRIES) {
			this.later(() => this.whenIdle(link, send, tries + 1, held), IDLE_RETRY_MS);
		} else send();
	}

	private repeatProbes(): void {
		this.probeWhenIdle();
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

function pageAddress(): { protocol: string; host: string } {
	return typeof location === 'undefined' ? { protocol: 'http:', host: '' } : location;
}
