/**
 * Each answer slot has a colour and a shape, always together, so colour is never the only cue.
 * Each colour comes with the ink drawn on it (text, shape, tick), at least 4.5:1 against it
 * (answer-style.test.ts checks). Yellow takes dark ink: white on any yellow light enough to
 * still look yellow is unreadable. The colours are also picked to stay apart for the three
 * common kinds of colour blindness (simulated in the test): the green is darker than Kahoot's,
 * which a deuteranope would see as its red, and the fifth and sixth are light, with dark ink.
 */
export type ShapeName = 'triangle' | 'diamond' | 'circle' | 'square' | 'star' | 'hexagon';

export interface AnswerStyle {
	shape: ShapeName;
	/** Spoken and shown name, e.g. for screen readers: "red triangle". */
	label: string;
	color: string;
	/** Text and shape colour on `color`. */
	ink: string;
}

const WHITE = '#ffffff';
const DARK = '#1a1433';

export const ANSWER_STYLES: readonly AnswerStyle[] = [
	{ shape: 'triangle', label: 'red triangle', color: '#e21b3c', ink: WHITE },
	{ shape: 'diamond', label: 'blue diamond', color: '#1368ce', ink: WHITE },
	{ shape: 'circle', label: 'yellow circle', color: '#f5b800', ink: DARK },
	{ shape: 'square', label: 'green square', color: '#185c07', ink: WHITE },
	{ shape: 'star', label: 'purple star', color: '#c48ef0', ink: DARK },
	{ shape: 'hexagon', label: 'teal hexagon', color: '#4fb3b3', ink: DARK }
];

export function answerStyle(index: number): AnswerStyle {
	return ANSWER_STYLES[index % ANSWER_STYLES.length]!;
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
	const luminance = (hex: string) => {
		const [r, g, b] = [1, 3, 5].map((i) => {
			const c = parseInt(hex.slice(i, i + 2), 16) / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
	};
	const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (light! + 0.05) / (dark! + 0.05);
}
