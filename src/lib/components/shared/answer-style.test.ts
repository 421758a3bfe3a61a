import { describe, expect, it } from 'vitest';
import { ANSWER_STYLES, contrastRatio } from './answer-style';

describe('answer styles', () => {
	it('draw text and shapes at 4.5:1 or better on every answer colour', () => {
		for (const style of ANSWER_STYLES) {
			expect(contrastRatio(style.ink, style.color), style.label).toBeGreaterThanOrEqual(4.5);
		}
	});

	it('give every slot its own shape and colour', () => {
		expect(new Set(ANSWER_STYLES.map((s) => s.shape)).size).toBe(ANSWER_STYLES.length);
		expect(new Set(ANSWER_STYLES.map((s) => s.color)).size).toBe(ANSWER_STYLES.length);
	});

	it('measures contrast as WCAG does', () => {
		expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
		expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
	});
});
