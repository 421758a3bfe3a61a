/**
 * Each answer slot has a colour and a shape, always together, so colour is never the only cue.
 */
export type ShapeName = 'triangle' | 'diamond' | 'circle' | 'square' | 'star' | 'hexagon';

export interface AnswerStyle {
	shape: ShapeName;
	/** Spoken and shown name, e.g. for screen readers: "red triangle". */
	label: string;
	color: string;
}

export const ANSWER_STYLES: readonly AnswerStyle[] = [
	{ shape: 'triangle', label: 'red triangle', color: '#e21b3c' },
	{ shape: 'diamond', label: 'blue diamond', color: '#1368ce' },
	{ shape: 'circle', label: 'yellow circle', color: '#c98a00' },
	{ shape: 'square', label: 'green square', color: '#26890c' },
	{ shape: 'star', label: 'purple star', color: '#864cbf' },
	{ shape: 'hexagon', label: 'teal hexagon', color: '#0a8a8a' }
];

export function answerStyle(index: number): AnswerStyle {
	return ANSWER_STYLES[index % ANSWER_STYLES.length]!;
}
