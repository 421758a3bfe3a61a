import { describe, expect, it } from 'vitest';
import { BEST_SAMPLES, ClockSync, KEEP_SAMPLES } from './clock-sync.ts';

/**
 * One probe from a phone whose clock is `skewMs` behind the server's (server = phone + skew),
 * sent at phone time `at` over a link that takes `upMs` to the server and `downMs` back.
 */
function probe(
	clock: ClockSync,
	{ at, skewMs, upMs, downMs }: { at: number; skewMs: number; upMs: number; downMs: number }
): void {
	const serverTime = at + skewMs + upMs;
	clock.add(at, serverTime, at + upMs + downMs);
}

describe('a phone syncing its clock with the server', () => {
	it('is not synced before any probe came back, and reads its own clock', () => {
		const clock = new ClockSync();
		expect(clock.synced).toBe(false);
		expect(clock.offset).toBe(0);
		expect(clock.serverNow(1_234)).toBe(1_234);
	});

	it('takes the server time as stamped halfway through the round trip', () => {
		const clock = new ClockSync();
		// Sent at 1000, back at 1100: the server stamped 10_050 at the midpoint, 1050.
		clock.add(1_000, 10_050, 1_100);
		expect(clock.synced).toBe(true);
		expect(clock.offset).toBe(9_000);
		expect(clock.serverNow(2_000)).toBe(11_000);
	});

	it('is exact on a symmetric link whatever the round trip', () => {
		const clock = new ClockSync();
		probe(clock, { at: 50_000, skewMs: -3_000, upMs: 120, downMs: 120 });
		expect(clock.offset).toBe(-3_000);
	});

	it('is off by at most half the round trip on a lopsided link', () => {
		const clock = new ClockSync();
		probe(clock, { at: 0, skewMs: 5_000, upMs: 80, downMs: 20 });
		expect(Math.abs(clock.offset - 5_000)).toBeLessThanOrEqual(50);
	});

	it('trusts the probes with the lowest round trips over a slow one', () => {
		const clock = new ClockSync();
		probe(clock, { at: 0, skewMs: 9_000, upMs: 10, downMs: 10 });
		probe(clock, { at: 1_000, skewMs: 9_000, upMs: 12, downMs: 10 });
		probe(clock, { at: 2_000, skewMs: 9_000, upMs: 10, downMs: 12 });
		// A congested probe: 900 ms up, 100 ms back. Taken alone it would be 400 ms off.
		probe(clock, { at: 3_000, skewMs: 9_000, upMs: 900, downMs: 100 });
		expect(Math.abs(clock.offset - 9_000)).toBeLessThanOrEqual(1);
	});

	it('takes the median of the best probes, so one odd fast probe does not move it', () => {
		const clock = new ClockSync();
		clock.add(0, 9_010, 20); // offset 9000
		clock.add(100, 9_112, 120); // offset 9002
		clock.add(200, 9_710, 220); // offset 9500: fast but odd
		expect(BEST_SAMPLES).toBe(3);
		expect(clock.offset).toBe(9_002);
	});

	it('trusts the fastest probe over the median on a jittery link', () => {
		const clock = new ClockSync();
		// ±100 ms each way on 300 ms: the fastest probe's legs were both short, so it is close.
		probe(clock, { at: 0, skewMs: 7_000, upMs: 205, downMs: 215 }); // 5 ms off
		probe(clock, { at: 1_000, skewMs: 7_000, upMs: 200, downMs: 320 }); // 60 ms off
		probe(clock, { at: 2_000, skewMs: 7_000, upMs: 200, downMs: 310 }); // 55 ms off: the median
		expect(Math.abs(clock.offset - 7_000)).toBeLessThanOrEqual(5);
	});

	it('forgets probes older than the last twelve', () => {
		const clock = new ClockSync();
		// Three very fast probes from before the server's clock was stepped by 4 s…
		for (let i = 0; i < 3; i++) clock.add(i * 100, i * 100 + 5_005, i * 100 + 10);
		expect(clock.offset).toBe(5_000);
		// …then slower ones after it: once the old ones fall out of the window, they win.
		for (let i = 0; i < KEEP_SAMPLES; i++) {
			const at = 10_000 + i * 100;
			clock.add(at, at + 9_020, at + 40);
		}
		expect(KEEP_SAMPLES).toBe(12);
		expect(clock.offset).toBe(9_000);
	});

	it('treats a reply stamped before its probe was sent as a zero round trip', () => {
		const clock = new ClockSync();
		clock.add(1_000, 5_000, 990);
		expect(clock.offset).toBe(4_000);
	});

	it('starts from the snapshot time until the first probe comes back, then ignores it', () => {
		const clock = new ClockSync();
		clock.seed(100_000, 40_000);
		expect(clock.synced).toBe(false);
		expect(clock.serverNow(41_000)).toBe(101_000);
		clock.add(42_000, 102_050, 42_100);
		expect(clock.offset).toBe(60_000);
		clock.seed(500_000, 43_000);
		expect(clock.offset).toBe(60_000);
	});

	it('lets two phones with different clocks agree on the time left to answer', () => {
		const closesAt = 1_000_000; // server time, as sent with the question
		const fast = new ClockSync(); // a phone 3 s ahead of the server: skew −3000
		const slow = new ClockSync(); // a phone 2 s behind it, on a slower link
		for (let i = 0; i < 5; i++) {
			const server = 980_000 + i * 1_000;
			probe(fast, { at: server + 3_000, skewMs: -3_000, upMs: 15 + i, downMs: 15 });
			probe(slow, { at: server - 2_000, skewMs: 2_000, upMs: 60, downMs: 55 + i });
		}
		const serverNow = 990_000;
		const leftOnFast = closesAt - fast.serverNow(serverNow + 3_000);
		const leftOnSlow = closesAt - slow.serverNow(serverNow - 2_000);
		expect(Math.abs(leftOnFast - 10_000)).toBeLessThan(10);
		expect(Math.abs(leftOnSlow - 10_000)).toBeLessThan(10);
		expect(Math.abs(leftOnFast - leftOnSlow)).toBeLessThan(10);
	});
});
