import { describe, expect, it } from 'vitest';
import { ConnectionCounter, GuessLimiter, TokenBucket } from './limits.ts';

describe('a socket’s message budget', () => {
	it('lets a burst through, then one message per refill', () => {
		const bucket = new TokenBucket(5, 2, 0);
		for (let i = 0; i < 5; i++) expect(bucket.take(0)).toBe(true);
		expect(bucket.take(0)).toBe(false);
		expect(bucket.take(499)).toBe(false);
		expect(bucket.take(500)).toBe(true);
		expect(bucket.take(500)).toBe(false);
	});

	it('never saves up more than its capacity', () => {
		const bucket = new TokenBucket(3, 10, 0);
		const allowed = Array.from({ length: 10 }, () => bucket.take(60_000)).filter(Boolean);
		expect(allowed).toHaveLength(3);
	});

	it('is not fooled by a clock going backwards', () => {
		const bucket = new TokenBucket(1, 1, 1000);
		expect(bucket.take(1000)).toBe(true);
		expect(bucket.take(0)).toBe(false);
	});
});

describe('wrong PIN guesses from one address', () => {
	it('are allowed up to the limit, then the address waits for the oldest to expire', () => {
		const guesses = new GuessLimiter(3, 60_000);
		guesses.fail('10.0.0.1', 0);
		guesses.fail('10.0.0.1', 10_000);
		expect(guesses.retryAfterMs('10.0.0.1', 10_000)).toBe(0);
		guesses.fail('10.0.0.1', 20_000);
		expect(guesses.retryAfterMs('10.0.0.1', 20_000)).toBe(40_000);
		expect(guesses.retryAfterMs('10.0.0.1', 59_999)).toBe(1);
		expect(guesses.retryAfterMs('10.0.0.1', 60_000)).toBe(0);
	});

	it('do not slow down another address', () => {
		const guesses = new GuessLimiter(1, 60_000);
		guesses.fail('10.0.0.1', 0);
		expect(guesses.retryAfterMs('10.0.0.1', 0)).toBeGreaterThan(0);
		expect(guesses.retryAfterMs('10.0.0.2', 0)).toBe(0);
	});

	it('keep a guesser who goes on guessing waiting', () => {
		const guesses = new GuessLimiter(2, 60_000);
		guesses.fail('a', 0);
		guesses.fail('a', 30_000);
		expect(guesses.retryAfterMs('a', 60_000)).toBe(0);
		guesses.fail('a', 60_000);
		expect(guesses.retryAfterMs('a', 60_000)).toBe(30_000);
	});

	it('are forgotten once out of the window, and memory stays bounded', () => {
		const guesses = new GuessLimiter(10, 60_000, 100);
		for (let i = 0; i < 1000; i++) guesses.fail(`10.0.${i >> 8}.${i & 255}`, i);
		expect(guesses.size).toBe(100);
		guesses.sweep(200_000);
		expect(guesses.size).toBe(0);
	});
});

describe('connections per address', () => {
	it('are capped, and a closed one frees a place', () => {
		const connections = new ConnectionCounter(2);
		expect(connections.tryOpen('a')).toBe(true);
		expect(connections.tryOpen('a')).toBe(true);
		expect(connections.tryOpen('a')).toBe(false);
		expect(connections.tryOpen('b')).toBe(true);
		connections.close('a');
		expect(connections.count('a')).toBe(1);
		expect(connections.tryOpen('a')).toBe(true);
	});
});
