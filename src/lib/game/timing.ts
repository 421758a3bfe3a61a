/**
 * How long an answer took, fairly on every link (issue 26). Pure numbers: no clock, no I/O.
 *
 * Every screen opens a question's answers at `opensAt` by its estimate of the server's clock
 * (NTP-style probes, `client/clock-sync.ts`), not when a frame arrives. The estimate splits each
 * probe's round trip in two halves, so on a link whose way up is `u` and way down `d` it is off
 * by (u − d) / 2, and a phone's buttons open at server time `opensAt − (u − d) / 2`. An answer
 * given `r` ms later reaches the server at `opensAt − (u − d) / 2 + r + u = opensAt + r + rtt / 2`.
 * So the server charges `arrival − opensAt − rtt / 2`, which is exactly `r`, whatever the split
 * of the round trip: half the round trip is the phone's way up, as its own clock sees it.
 *
 * A phone whose question frame arrived after `opensAt` (a link slower than the lead the server
 * gave, a reconnect) opened late; it says by how much (`lateMs`, by the same clock) and is
 * credited that too. Both together are capped: a phone could claim a slow link or a late frame.
 */

/**
 * The most an answer is given back (the way up plus a late frame). Round trips up to 800 ms
 * are compensated in full; a modified phone could gain at most this much.
 */
export const MAX_COMPENSATION_MS = 400;

/**
 * With no "get ready" time the answers open this far ahead at most, so the question reaches the
 * phones first: never longer than this, whatever the slowest link.
 */
export const MAX_OPENING_LEAD_MS = 250;
/** The lead over the slowest known way down: the fan-out, a busy radio, a phone drawing the question. */
export const OPENING_MARGIN_MS = 100;
/**
 * A room whose slowest way down is shorter than this (a LAN) gets no lead: its phones are at
 * most this late, plus their place in the fan-out, and are credited it.
 */
export const NO_LEAD_BELOW_MS = 20;

/** The way up, from round trips the server measured: half their median (never negative). */
export function oneWayMs(rttMs: number): number {
	return Math.max(0, rttMs / 2);
}

/** How much of an answer's time is given back: the way up and a late frame, capped. */
export function compensationMs(oneWay: number, lateMs = 0): number {
	return Math.min(MAX_COMPENSATION_MS, Math.max(0, oneWay) + Math.max(0, lateMs));
}

/**
 * Answers are taken until the deadline plus the player's way up: the phone's countdown ends at
 * `closesAt` by its clock, and its last answer is that far on its way. A late frame does not
 * move the deadline (the countdown ends when everyone's does).
 */
export function acceptedUntil(closesAt: number, oneWay: number): number {
	return closesAt + compensationMs(oneWay);
}

export interface AnswerArrival {
	/** Server time the answer arrived. */
	receivedAt: number;
	opensAt: number;
	closesAt: number;
	/** The player's way up (`oneWayMs` of the measured round trips). */
	oneWayMs: number;
	/** How late the phone says its answers opened (its question frame came after `opensAt`). */
	lateMs?: number;
}

/**
 * The answer time the player is charged, in whole milliseconds (round trips are fractional,
 * reports need not be): arrival − opensAt − compensation, within [0, the time limit].
 */
export function chargedMs({
	receivedAt,
	opensAt,
	closesAt,
	oneWayMs,
	lateMs
}: AnswerArrival): number {
	const limitMs = closesAt - opensAt;
	const elapsed = receivedAt - opensAt - compensationMs(oneWayMs, lateMs);
	return Math.round(Math.min(limitMs, Math.max(0, elapsed)));
}

/**
 * With no "get ready" time: how far ahead of now the answers open, so that the question frame
 * reaches the slowest phone we know of before then. Bounded: a very slow phone opens late and
 * is credited for it instead. No lead on a LAN, nor while no round trip is known (nobody
 * measured yet): a phone that turns out late is credited its lateness the same way.
 */
export function openingLeadMs(slowestOneWayMs: number): number {
	if (!(slowestOneWayMs >= NO_LEAD_BELOW_MS)) return 0;
	return Math.round(Math.min(MAX_OPENING_LEAD_MS, slowestOneWayMs + OPENING_MARGIN_MS));
}
