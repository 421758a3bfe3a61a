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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Per account on a browser it signed in from before (its known-device cookie): only that
 * browser's own failures count, so nobody elsewhere can make its owner wait.
 */
export const DEVICE_BACK_OFF: BackOffPolicy = {
	free: 5,
	baseMs: 1000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: DAY
};

/**
 * Per name tried from one address, from browsers not known for it: one guesser at one address
 * gets five tries at a name, then waits 1 s, 2 s, 4 s… up to 15 minutes.
 */
export const NAME_AT_ADDRESS_BACK_OFF: BackOffPolicy = {
	free: 5,
	baseMs: 1000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: DAY
};

/**
 * Per name from every address (known or not: a name nobody has waits the same, so waiting says
 * nothing): slows guessing spread over many addresses, with a short cap, since anyone anywhere
 * can push it and its owner may be the one waiting on a new browser.
 */
export const NAME_BACK_OFF: BackOffPolicy = {
	free: 10,
	baseMs: 1000,
	maxMs: 5 * MINUTE,
	forgetAfterMs: HOUR
};

/**
 * Per address, across names: a school signs many teachers in behind one address, so this only
 * slows (never refuses) tries from browsers not known for their name once an address has
 * failed this often: 1 s more per try past 100 failures, 2 s past 200…, at most 5 s.
 */
export const ADDRESS_SLOWDOWN: BackOffPolicy = {
	free: 100,
	baseMs: 1000,
	maxMs: 5000,
	forgetAfterMs: HOUR
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

/**
 * How long to hold a try back before checking it (0: not at all), by a slowdown policy: one
 * `baseMs` more for every `free` failures past the first `free`, up to `maxMs`.
 */
export function slowdownMs(
	failures: { count: number; lastAt: number } | null,
	now: number,
	policy: BackOffPolicy
): number {
	if (!failures || now - failures.lastAt >= policy.forgetAfterMs) return 0;
	const steps = Math.floor(failures.count / policy.free);
	return Math.min(policy.maxMs, steps * policy.baseMs);
}
