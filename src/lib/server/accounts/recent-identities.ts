/**
 * Who recently opened a live connection, by session token, for when the record is unreachable.
 * A game plays on while PostgreSQL restarts; its host screen must be able to reconnect too, and
 * the session it carries cannot be looked up then. A session this node checked within the last
 * hour is taken as it was, unless it has been ended since (`forget`, as host screens are closed).
 * Only live connections use this: pages and the API still answer 503 while the store is down.
 */

/** Who a session is, as the live side takes it (live/seats.ts `Identity`, which accounts/ may not import). */
interface Identity {
	accountId: string;
	admin: boolean;
	sessionId: string;
}

export const RECENT_FOR_MS = 60 * 60_000;
const MOST = 10_000;

interface Seen {
	identity: Identity;
	at: number;
}

export class RecentIdentities {
	/** By token; oldest first (a Map keeps insertion order), so the first is the one to drop. */
	private readonly seen = new Map<string, Seen>();

	remember(token: string, identity: Identity, now: number): void {
		this.seen.delete(token);
		this.seen.set(token, { identity, at: now });
		if (this.seen.size > MOST) this.seen.delete(this.seen.keys().next().value!);
	}

	/** The identity this token had when last checked, if that was within the hour. */
	recall(token: string, now: number): Identity | null {
		const seen = this.seen.get(token);
		if (!seen || now - seen.at > RECENT_FOR_MS) return null;
		return seen.identity;
	}

	/** Sessions ended (signed out, disabled, revoked): never recalled again. */
	forget(sessionIds: Iterable<string>): void {
		const ended = new Set(sessionIds);
		for (const [token, seen] of this.seen) {
			if (ended.has(seen.identity.sessionId)) this.seen.delete(token);
		}
	}
}
