/**
 * The counters that keep one abusive client from hurting everyone else's game: a token bucket
 * per socket, a wrong-guess window per address, connections per address. Time comes in as
 * `now` (milliseconds), so every limit is tested without waiting.
 */

/** Allows bursts up to `capacity`, refilled at `perSecond`: honest clients never notice it. */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;

	constructor(
		private readonly capacity: number,
		private readonly perSecond: number,
		now: number
	) {
		this.tokens = capacity;
		this.updatedAt = now;
	}

	/** Takes one token if there is one. */
	take(now: number): boolean {
		const elapsed = Math.max(0, now - this.updatedAt);
		this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.perSecond) / 1000);
		this.updatedAt = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

/**
 * Counts failures (wrong PINs) per address over a sliding window: after `limit` of them within
 * `windowMs`, the address waits until the oldest one leaves the window. Successes do not reset
 * it, or a guesser could mix in the PIN of their own game.
 */
export class GuessLimiter {
	private readonly failures = new Map<string, number[]>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
		/** Addresses remembered at most; the oldest are forgotten first, so memory stays bounded. */
		private readonly maxAddresses = 100_000
	) {}

	/** Milliseconds this address must wait before its next guess; 0 when it may guess now. */
	retryAfterMs(address: string, now: number): number {
		const recent = this.recent(address, now);
		if (recent.length < this.limit) return 0;
		return recent[recent.length - this.limit]! + this.windowMs - now;
	}

	fail(address: string, now: number): void {
		const recent = this.recent(address, now);
		recent.push(now);
		// Only the newest `limit` matter for when the address may guess again.
		if (recent.length > this.limit) recent.splice(0, recent.length - this.limit);
		this.failures.delete(address);
		this.failures.set(address, recent);
		if (this.failures.size > this.maxAddresses) {
			this.failures.delete(this.failures.keys().next().value!);
		}
	}

	/** Drops addresses whose failures have all left the window; called now and then. */
	sweep(now: number): void {
		for (const [address, times] of this.failures) {
			if (times[times.length - 1]! <= now - this.windowMs) this.failures.delete(address);
		}
	}

	get size(): number {
		return this.failures.size;
	}

	private recent(address: string, now: number): number[] {
		const times = this.failures.get(address);
		if (!times) return [];
		const from = now - this.windowMs;
		let first = 0;
		while (first < times.length && times[first]! <= from) first++;
		return first === 0 ? times : times.slice(first);
	}
}

/** Open sockets per address, with a cap. */
export class ConnectionCounter {
	private readonly open = new Map<string, number>();

	constructor(private readonly maxPerAddress: number) {}

	/** Counts one more socket from this address, or says no. */
	tryOpen(address: string): boolean {
		const count = this.open.get(address) ?? 0;
		if (count >= this.maxPerAddress) return false;
		this.open.set(address, count + 1);
		return true;
	}

	close(address: string): void {
		const count = this.open.get(address) ?? 0;
		if (count <= 1) this.open.delete(address);
		else this.open.set(address, count - 1);
	}

	count(address: string): number {
		return this.open.get(address) ?? 0;
	}
}
