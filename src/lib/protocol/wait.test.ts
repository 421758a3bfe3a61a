import { describe, expect, it } from 'vitest';
import { waitInWords } from './wait.ts';

describe('waitInWords', () => {
	it('says seconds under a minute, minutes under an hour, then hours', () => {
		expect(waitInWords(1000)).toBe('in 1 second');
		expect(waitInWords(50_000)).toBe('in 50 seconds');
		expect(waitInWords(60_000)).toBe('in 1 minute');
		expect(waitInWords(512_000)).toBe('in 9 minutes');
		expect(waitInWords(15 * 60_000)).toBe('in 15 minutes');
		expect(waitInWords(60 * 60_000)).toBe('in 1 hour');
		expect(waitInWords(150 * 60_000)).toBe('in 3 hours');
	});

	it('rounds up, never promising less than the real wait, and never says zero', () => {
		expect(waitInWords(1)).toBe('in 1 second');
		expect(waitInWords(0)).toBe('in 1 second');
		expect(waitInWords(59_001)).toBe('in 1 minute');
		expect(waitInWords(61_000)).toBe('in 2 minutes');
	});
});
