/**
 * Exponential back-off for failed sign-ins: a few tries free, then each failure doubles the
 * wait before the next try may come, up to a cap. Pure: the store keeps the count (so every
 * node of a cluster sees the same), this says how long to wait.
 */

export interface BackOffPolicy {
	/** Failures allowed before any wait. */
	free: number;
	/** The first wait; each failure after doubles it. */
	baseMs: number;
	maxMs: number;
	/** A count this old is forgotten. */
	forgetAfterMs: number;
}

/** Per account name (known or not: an unknown name waits the same, so waiting says nothing). */
export const NAME_BACK_OFF: BackOffPolicy = {
	free: 5,
	baseMs: 1000,
	maxMs: 15 * 60_000,
	forgetAfterMs: 24 * 60 * 60_000
};

/** Per address: a school behind one address signs in many teachers; a guesser tries many names. */
export const ADDRESS_BACK_OFF: BackOffPolicy = {
	free: 50,
	baseMs: 1000,
	maxMs: 15 * 60_000,
	forgetAfterMs: 60 * 60_000
};

/** How long from `now` until the next try may come (0: now). */
export function backOffMs(
	failures: { count: number; lastAt: number } | null,
	now: number,
	policy: BackOffPolicy
): number {
	if (!failures || now - failures.lastAt >= policy.forgetAfterMs) return 0;
	const over = failures.count - policy.free;
	if (over < 0) return 0;
	const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(over, 30));
	return Math.max(0, failures.lastAt + wait - now);
}
