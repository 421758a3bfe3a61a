import { describe, expect, it } from 'vitest';
import {
	ADDRESS_SLOWDOWN,
	NAME_BACK_OFF,
	backOffMs,
	slowdownMs,
	type BackOffPolicy
} from './back-off.ts';

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

	it('per name from everywhere stops at a short cap: its owner never waits long on a new browser', () => {
		const at = 1_000_000;
		expect(backOffMs({ count: 1000, lastAt: at }, at, NAME_BACK_OFF)).toBe(5 * 60_000);
	});
});

describe('slowdown', () => {
	it('holds tries back one step per hundred failures past the first hundred, up to a cap', () => {
		const at = 1_000_000;
		const hold = (count: number) => slowdownMs({ count, lastAt: at }, at, ADDRESS_SLOWDOWN);
		expect([0, 99, 100, 199, 200, 450, 10_000].map(hold)).toEqual([
			0, 0, 1000, 1000, 2000, 4000, 5000
		]);
	});

	it('forgets an address quiet for an hour', () => {
		expect(slowdownMs({ count: 500, lastAt: 0 }, 60 * 60_000, ADDRESS_SLOWDOWN)).toBe(0);
		expect(slowdownMs(null, 5, ADDRESS_SLOWDOWN)).toBe(0);
	});
});
