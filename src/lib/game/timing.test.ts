import { describe, expect, it } from 'vitest';
import {
	MAX_COMPENSATION_MS,
	MAX_OPENING_LEAD_MS,
	NO_LEAD_BELOW_MS,
	OPENING_MARGIN_MS,
	acceptedUntil,
	chargedMs,
	compensationMs,
	oneWayMs,
	openingLeadMs
} from './timing.ts';

/**
 * A phone `reactionMs` after its answers opened, on a link `upMs` to the server and `downMs`
 * back, whose clock estimate comes from a probe over that same link (off by (up − down) / 2),
 * and which therefore opened its answers at server time opensAt − (up − down) / 2.
 */
function charged({
	reactionMs,
	upMs,
	downMs,
	lateMs = 0
}: {
	reactionMs: number;
	upMs: number;
	downMs: number;
	lateMs?: number;
}): number {
	const opensAt = 100_000;
	const clockError = (upMs - downMs) / 2;
	const openedAt = opensAt - clockError + lateMs;
	return chargedMs({
		receivedAt: openedAt + reactionMs + upMs,
		opensAt,
		closesAt: opensAt + 20_000,
		oneWayMs: oneWayMs(upMs + downMs),
		lateMs
	});
}

describe('the answer time charged', () => {
	it('is the reaction time on every symmetric link up to the cap', () => {
		for (const rtt of [10, 300, 600, 800]) {
			expect(charged({ reactionMs: 700, upMs: rtt / 2, downMs: rtt / 2 }), `${rtt} ms`).toBe(700);
		}
	});

	it('is the reaction time on a lopsided link too: the clock error cancels', () => {
		// 250 up, 50 down: the clock is 100 ms off, and half the round trip is 150, not 250.
		expect(charged({ reactionMs: 700, upMs: 250, downMs: 50 })).toBe(700);
		expect(charged({ reactionMs: 700, upMs: 20, downMs: 380 })).toBe(700);
	});

	it('credits a late question frame, within the same cap', () => {
		expect(charged({ reactionMs: 700, upMs: 150, downMs: 150, lateMs: 120 })).toBe(700);
		// 300 each way plus 200 late is 500 to give back: only 400 is.
		expect(charged({ reactionMs: 700, upMs: 300, downMs: 300, lateMs: 200 })).toBe(800);
	});

	it('charges a link past the cap the difference', () => {
		expect(charged({ reactionMs: 700, upMs: 500, downMs: 500 })).toBe(
			700 + 500 - MAX_COMPENSATION_MS
		);
	});

	it('stays within 0 and the time limit, in whole milliseconds', () => {
		const base = { opensAt: 1_000, closesAt: 21_000, oneWayMs: 0.4 };
		expect(chargedMs({ ...base, receivedAt: 900 })).toBe(0);
		expect(chargedMs({ ...base, receivedAt: 30_000 })).toBe(20_000);
		expect(chargedMs({ ...base, receivedAt: 2_000 })).toBe(1000);
	});
});

describe('compensation and deadline', () => {
	it('gives back the way up and a late frame, never more than the cap, never negative', () => {
		expect(compensationMs(150)).toBe(150);
		expect(compensationMs(150, 100)).toBe(250);
		expect(compensationMs(1_000)).toBe(MAX_COMPENSATION_MS);
		expect(compensationMs(-5, -5)).toBe(0);
	});

	it('takes answers until the deadline plus the way up only: lateness does not move it', () => {
		expect(acceptedUntil(20_000, 150)).toBe(20_150);
		expect(acceptedUntil(20_000, 5_000)).toBe(20_000 + MAX_COMPENSATION_MS);
	});
});

describe('the lead before answers open with no "get ready" time', () => {
	it('covers the slowest known way down with a margin, within the bound', () => {
		expect(openingLeadMs(100)).toBe(100 + OPENING_MARGIN_MS);
		expect(openingLeadMs(1_000)).toBe(MAX_OPENING_LEAD_MS);
		expect(MAX_OPENING_LEAD_MS).toBeLessThanOrEqual(250);
	});

	it('is none on a LAN, or while no round trip is known', () => {
		expect(openingLeadMs(0)).toBe(0);
		expect(openingLeadMs(NO_LEAD_BELOW_MS - 1)).toBe(0);
		expect(openingLeadMs(NO_LEAD_BELOW_MS)).toBe(NO_LEAD_BELOW_MS + OPENING_MARGIN_MS);
	});
});
