/**
 * What the room server's two transports share (the WebSocket in room-server.ts, the HTTP
 * fallback in http-fallback.ts): one origin rule, one connection count per address, one
 * heartbeat, one frame size limit.
 */
import type { GameService } from '../live/game-service.ts';
import type { Identity } from '../live/seats.ts';
import type { ConnectionCounter } from '../limits/limits.ts';
import type { Session, SessionLimits } from './session.ts';

export const MAX_FRAME_BYTES = 4096;
/** Every session is still pinged once per heartbeat, a tenth of them at a time. */
const HEARTBEAT_SLICES = 10;

/**
 * Cross-site hijacking: a browser always says which page opened a socket or sent a request.
 * Our own pages are served from the host the request was sent to. Clients that are not
 * browsers send no Origin; they could claim any, so refusing them would protect nothing.
 */
export function originAllowed(
	origin: string | undefined,
	host: string,
	allowed: readonly string[]
): boolean {
	if (origin === undefined) return true;
	if (allowed.includes(origin)) return true;
	try {
		return new URL(origin).host === host;
	} catch {
		return false;
	}
}

/**
 * Pings every session once per interval, a slice at a time: 10,000 pings (and their pongs) in
 * one go would stall every room's clock for a moment every few seconds.
 */
export class Heartbeat {
	private readonly slices = Array.from({ length: HEARTBEAT_SLICES }, () => new Set<Session>());
	private nextSlice = 0;
	private dueSlice = 0;
	private readonly timer: ReturnType<typeof setInterval>;

	constructor(intervalMs: number) {
		this.timer = setInterval(() => {
			for (const session of this.slices[this.dueSlice]!) session.heartbeat();
			this.dueSlice = (this.dueSlice + 1) % HEARTBEAT_SLICES;
		}, intervalMs / HEARTBEAT_SLICES);
		this.timer.unref();
	}

	/** Returns the way out. */
	add(session: Session): () => void {
		const slice = this.slices[this.nextSlice++ % HEARTBEAT_SLICES]!;
		slice.add(session);
		return () => slice.delete(session);
	}

	stop(): void {
		clearInterval(this.timer);
	}
}

/**
 * Host screens by the sign-in session they opened with, so a session that ends (signed out,
 * revoked, its account disabled) closes its screens at once.
 */
export class HostScreens {
	private readonly bySession = new Map<string, Set<Session>>();

	add(sessionId: string, screen: Session): void {
		let screens = this.bySession.get(sessionId);
		if (!screens) this.bySession.set(sessionId, (screens = new Set()));
		screens.add(screen);
	}

	remove(sessionId: string, screen: Session): void {
		const screens = this.bySession.get(sessionId);
		screens?.delete(screen);
		if (screens?.size === 0) this.bySession.delete(sessionId);
	}

	/** Closes every screen of these sessions; returns how many. */
	end(sessionIds: Iterable<string>): number {
		let closed = 0;
		for (const id of sessionIds) {
			for (const screen of this.bySession.get(id) ?? []) {
				screen.signedOut();
				closed++;
			}
			this.bySession.delete(id);
		}
		return closed;
	}
}

/** Who a request comes from, by its session cookie: the signed-in host, or nobody. */
export type Identify = (headers: { cookie?: string }) => Promise<Identity | null>;

/** What both transports share. */
export interface LiveContext {
	games: GameService;
	limits: SessionLimits;
	allowedOrigins: readonly string[];
	connections: ConnectionCounter;
	heartbeat: Heartbeat;
	identify: Identify;
	hostScreens: HostScreens;
}

export const TOO_MANY_CONNECTIONS =
	'Too many connections from your network: close some tabs and try again';
