/**
 * Numbers on a slider as people read them: no more decimals than the step needs ("8.5", not
 * "8.500000001"), no thousands separators (years read "1969"), the unit after a space.
 */
export interface SliderRange {
	min: number;
	max: number;
	step: number;
	unit: string;
}

function decimalsOf(n: number): number {
	if (!Number.isFinite(n) || Number.isInteger(n)) return 0;
	const text = String(n);
	const exponent = /e-(\d+)$/.exec(text);
	if (exponent) return Number(exponent[1]);
	return text.split('.')[1]?.length ?? 0;
}

/** Decimal places the slider's values need: those of its step and of its minimum. */
export function sliderDecimals(range: Pick<SliderRange, 'min' | 'step'>): number {
	return Math.min(6, Math.max(decimalsOf(range.step), decimalsOf(range.min)));
}

/** The nearest value on the slider's grid, inside its range. */
export function snapToSlider(value: number, range: Pick<SliderRange, 'min' | 'max' | 'step'>) {
	const steps = Math.round(
		(Math.min(range.max, Math.max(range.min, value)) - range.min) / range.step
	);
	const snapped = Math.min(range.max, range.min + steps * range.step);
	return Number(snapped.toFixed(sliderDecimals(range)));
}

/** The middle of the range, on the grid: where a phone's slider starts. */
export function sliderMiddle(range: Pick<SliderRange, 'min' | 'max' | 'step'>): number {
	return snapToSlider((range.min + range.max) / 2, range);
}

/** "34", "34.5", "−10": no more decimals than the step needs, no trailing zeros. */
export function formatSliderNumber(value: number, range: Pick<SliderRange, 'min' | 'step'>) {
	const rounded = Number(value.toFixed(sliderDecimals(range)));
	return String(Object.is(rounded, -0) ? 0 : rounded).replace(/^-/, '−');
}

/** "88 keys", "21.5 °C", "−3". */
export function formatSliderValue(
	value: number,
	range: Pick<SliderRange, 'min' | 'step' | 'unit'>
): string {
	const number = formatSliderNumber(value, range);
	return range.unit ? `${number} ${range.unit}` : number;
}

/** Where a value sits along the range, 0–100 (%). */
export function sliderPercent(value: number, range: Pick<SliderRange, 'min' | 'max'>): number {
	if (range.max <= range.min) return 0;
	return Math.min(100, Math.max(0, ((value - range.min) / (range.max - range.min)) * 100));
}

/** Round tick values for a scale: about `target` of them, on the grid where possible. */
export function sliderTicks(range: Pick<SliderRange, 'min' | 'max' | 'step'>, target = 8) {
	const span = range.max - range.min;
	const rough = span / target;
	const magnitude = 10 ** Math.floor(Math.log10(rough));
	let interval = [1, 2, 5, 10].map((m) => m * magnitude).find((c) => c >= rough) ?? rough;
	// Ticks on values a phone can pick: a whole number of steps apart.
	interval = Math.max(range.step, Math.round(interval / range.step) * range.step);
	const ticks: number[] = [];
	const first = Math.ceil((range.min - 1e-9) / interval) * interval;
	for (let value = first; value <= range.max + 1e-9 && ticks.length < 50; value += interval) {
		ticks.push(snapToSlider(value, range));
	}
	return ticks;
}
