import { describe, expect, it } from 'vitest';
import { backOffMs, type BackOffPolicy } from './back-off.ts';

const POLICY: BackOffPolicy = { free: 3, baseMs: 1000, maxMs: 60_000, forgetAfterMs: 600_000 };

describe('back-off', () => {
	it('lets the free tries through, then doubles the wait with every failure, up to the cap', () => {
		const at = 1_000_000;
		const wait = (count: number) => backOffMs({ count, lastAt: at }, at, POLICY);
		expect([0, 1, 2].map(wait)).toEqual([0, 0, 0]);
		expect([3, 4, 5, 6, 9, 40].map(wait)).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
	});

	it('counts the wait from the last failure', () => {
		expect(backOffMs({ count: 4, lastAt: 10_000 }, 11_500, POLICY)).toBe(500);
		expect(backOffMs({ count: 4, lastAt: 10_000 }, 12_000, POLICY)).toBe(0);
	});

	it('forgets failures that old, and knows nothing of none', () => {
		expect(backOffMs({ count: 50, lastAt: 0 }, 600_000, POLICY)).toBe(0);
		expect(backOffMs(null, 5, POLICY)).toBe(0);
	});
});
