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

	it('stay apart for protanopes, deuteranopes and tritanopes, not only by their shapes', () => {
		// Colour distance (CIE76 ΔE in Lab) after simulating each kind of colour blindness: above
		// 20 is told apart at a glance. Kahoot's own red and green are 9 apart for a deuteranope.
		for (const [kind, matrix] of Object.entries(COLOUR_BLINDNESS)) {
			for (const [i, a] of ANSWER_STYLES.entries()) {
				for (const b of ANSWER_STYLES.slice(i + 1)) {
					const distance = deltaE(seenAs(a.color, matrix), seenAs(b.color, matrix));
					expect(distance, `${a.label} / ${b.label} (${kind})`).toBeGreaterThan(20);
				}
			}
		}
		expect(deltaE(seenAs('#e21b3c', DEUTERANOPIA), seenAs('#237f0b', DEUTERANOPIA))).toBeLessThan(
			10
		);
	});
});

// Machado, Oliveira & Fernandes (2009), full severity, on linear RGB.
const DEUTERANOPIA = [
	[0.367322, 0.860646, -0.227968],
	[0.280085, 0.672501, 0.047413],
	[-0.01182, 0.04294, 0.968881]
];
const COLOUR_BLINDNESS: Record<string, number[][]> = {
	protanopia: [
		[0.152286, 1.052583, -0.204868],
		[0.114503, 0.786281, 0.099216],
		[-0.003882, -0.048116, 1.051998]
	],
	deuteranopia: DEUTERANOPIA,
	tritanopia: [
		[1.255528, -0.076749, -0.178779],
		[-0.078411, 0.930809, 0.147602],
		[0.004733, 0.691367, 0.3039]
	]
};

/** The colour as Lab, as someone with this kind of colour blindness sees it. */
function seenAs(hex: string, matrix: number[][]): number[] {
	const linear = [1, 3, 5].map((i) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	const [r, g, b] = matrix.map((row) =>
		Math.min(1, Math.max(0, row[0]! * linear[0]! + row[1]! * linear[1]! + row[2]! * linear[2]!))
	) as [number, number, number];
	const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
	const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
	const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
	const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
	return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

function deltaE(a: number[], b: number[]): number {
	return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}
