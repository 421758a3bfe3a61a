/**
 * The bins of a slider's histogram, for the reveal on the projector and the report alike: which
 * bin a guess is counted in, and which bin is marked as holding the answer. One rule for both,
 * so the two never mark different bars. No imports: the projector's page carries it.
 *
 * The marked bin is the one the correct value falls in, exactly as a guess of that value would
 * be counted. Bins overlapping the tolerance are not marked: such a bin can also hold guesses
 * that did not score (230 next to an answer of 206 ± 10); the projector draws the band itself.
 */
export const SLIDER_BINS = 10;

export interface SliderBinRange {
	min: number;
	max: number;
	step: number;
}

/** One bin per slider step when there are few, else SLIDER_BINS equal bins. */
export function sliderBinCount(range: SliderBinRange): number {
	return Math.min(stepsOf(range) + 1, SLIDER_BINS);
}

/** The bin a value on the slider falls in (the answer's bin is where a right guess lands). */
export function sliderBinOf(range: SliderBinRange, value: number): number {
	const steps = stepsOf(range);
	const bins = sliderBinCount(range);
	if (steps === 0) return 0;
	// Counted in whole steps: 0.3 / 0.1 is 2.9999999999999996, which would land a bin low.
	const step = Math.round((value - range.min) / range.step);
	return Math.max(0, Math.min(bins - 1, Math.floor((step * bins) / steps)));
}

function stepsOf(range: SliderBinRange): number {
	return Math.round((range.max - range.min) / range.step);
}
