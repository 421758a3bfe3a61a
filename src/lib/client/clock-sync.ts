/**
 * NTP-style estimate of the server's clock over the game socket: each probe gives an offset
 * with an error of at most half its round trip, so the probes with the lowest round trips are
 * the ones to trust.
 */
export interface ClockSample {
	offset: number;
	rtt: number;
}

export const KEEP_SAMPLES = 12;
export const BEST_SAMPLES = 3;

/** Epoch milliseconds from a monotonic source, so a wall-clock jump cannot skew the countdown. */
export function localNow(): number {
	return performance.timeOrigin + performance.now();
}

export class ClockSync {
	private samples: ClockSample[] = [];
	private estimate = 0;

	get offset(): number {
		return this.estimate;
	}

	get synced(): boolean {
		return this.samples.length > 0;
	}

	/** A probe came back: sent at `clientSentAt`, stamped `serverTime`, received `clientReceivedAt`. */
	add(clientSentAt: number, serverTime: number, clientReceivedAt: number): void {
		const rtt = Math.max(0, clientReceivedAt - clientSentAt);
		this.samples.push({ offset: serverTime - (clientSentAt + rtt / 2), rtt });
		if (this.samples.length > KEEP_SAMPLES) this.samples.shift();
		const best = [...this.samples].sort((a, b) => a.rtt - b.rtt).slice(0, BEST_SAMPLES);
		// The fastest probe has the tightest error bound (half its round trip, less on a link
		// whose jitter made the others slower): trust it, as long as the next best agree with it
		// within their bounds. One that cannot be right (the server's clock stepped) is outvoted
		// by the median.
		const [fastest, ...others] = best;
		const agree = others.every(
			(s) => Math.abs(s.offset - fastest!.offset) <= (s.rtt + fastest!.rtt) / 2
		);
		const offsets = best.map((s) => s.offset).sort((a, b) => a - b);
		this.estimate = agree ? fastest!.offset : offsets[offsets.length >> 1]!;
	}

	/** Seed from a snapshot's serverTime until the first probe returns (error: one-way delay). */
	seed(serverTime: number, clientReceivedAt: number): void {
		if (!this.synced) this.estimate = serverTime - clientReceivedAt;
	}

	serverNow(clientNow = localNow()): number {
		return clientNow + this.estimate;
	}
}
