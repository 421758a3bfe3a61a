import { describe, expect, test } from 'vitest';
import {
	formatSliderNumber,
	formatSliderValue,
	sliderMiddle,
	sliderPercent,
	sliderTicks,
	snapToSlider
} from './slider';

const piano = { min: 40, max: 120, step: 1, unit: 'keys' };
const celsius = { min: -10, max: 40, step: 0.5, unit: '°C' };
const tenths = { min: 0, max: 1, step: 0.1, unit: '' };

describe('slider numbers', () => {
	test('show no more decimals than the step needs, and no float noise', () => {
		expect(formatSliderNumber(0.1 + 0.2, tenths)).toBe('0.3');
		expect(formatSliderNumber(34, celsius)).toBe('34');
		expect(formatSliderNumber(34.5, celsius)).toBe('34.5');
		expect(formatSliderNumber(1969, { min: 1900, step: 1 })).toBe('1969');
	});

	test('use a real minus sign and never show −0', () => {
		expect(formatSliderNumber(-10, celsius)).toBe('−10');
		expect(formatSliderNumber(-0.0000001, celsius)).toBe('0');
	});

	test('put the unit after a space, and nothing when there is none', () => {
		expect(formatSliderValue(88, piano)).toBe('88 keys');
		expect(formatSliderValue(0.5, tenths)).toBe('0.5');
	});

	test('snap to the grid and stay in the range', () => {
		expect(snapToSlider(34.3, celsius)).toBe(34.5);
		expect(snapToSlider(0.1 + 0.2, tenths)).toBe(0.3);
		expect(snapToSlider(500, piano)).toBe(120);
		expect(snapToSlider(-500, piano)).toBe(40);
		expect(sliderMiddle(piano)).toBe(80);
		expect(sliderMiddle({ min: 0, max: 3, step: 1 })).toBe(2);
	});

	test('place values along the scale', () => {
		expect(sliderPercent(40, piano)).toBe(0);
		expect(sliderPercent(80, piano)).toBe(50);
		expect(sliderPercent(200, piano)).toBe(100);
	});

	test('tick round values on the grid', () => {
		expect(sliderTicks(piano)).toEqual([40, 50, 60, 70, 80, 90, 100, 110, 120]);
		expect(sliderTicks(celsius)).toEqual([-10, 0, 10, 20, 30, 40]);
		expect(sliderTicks(tenths)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
		expect(sliderTicks({ min: 0, max: 3, step: 1 })).toEqual([0, 1, 2, 3]);
	});
});
