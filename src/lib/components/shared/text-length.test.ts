import { describe, expect, test } from 'vitest';
import { optionsLength, questionLength } from './text-length.ts';

describe('text lengths for the projector', () => {
	test('a question steps down as it grows, counting characters (not bytes)', () => {
		expect(questionLength('Which planet has the most known moons?')).toBe('short');
		expect(questionLength('é'.repeat(80))).toBe('short');
		expect(questionLength('x'.repeat(81))).toBe('medium');
		expect(questionLength('x'.repeat(141))).toBe('long');
		expect(questionLength('x'.repeat(200))).toBe('long');
	});

	test('answer tiles take the size of the longest answer, and six tiles step down sooner', () => {
		expect(optionsLength(['Jupiter', 'Saturn', 'Uranus', 'Neptune'])).toBe('short');
		expect(optionsLength(['True', 'x'.repeat(41)])).toBe('medium');
		expect(optionsLength(['a', 'b', 'c', 'x'.repeat(71)])).toBe('long');
		expect(optionsLength(['a', 'b', 'c', 'd', 'e', 'x'.repeat(30)])).toBe('medium');
		expect(optionsLength(['a', 'b', 'c', 'd', 'e', 'x'.repeat(51)])).toBe('long');
		expect(optionsLength([])).toBe('short');
	});
});
