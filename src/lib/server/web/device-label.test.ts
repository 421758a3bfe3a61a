import { describe, expect, it } from 'vitest';
import { deviceLabel, shownDeviceLabel } from './device-label.ts';

describe('deviceLabel', () => {
	it('names the browser and system from a known few', () => {
		const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
		const android =
			'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
		expect(deviceLabel(firefox)).toBe('Firefox on Linux');
		expect(deviceLabel(android)).toBe('Chrome on Android');
		expect(deviceLabel('curl/8.5.0')).toBe('Unknown browser');
		expect(deviceLabel('Something (Windows)')).toBe('Unknown browser on Windows');
		expect(deviceLabel('')).toBe('Unknown browser');
	});

	it('never echoes the header: a made-up one shows as an unknown browser', () => {
		for (const made of [
			'<b>Principal’s laptop</b>',
			'Principal’s laptop \u202e',
			'x'.repeat(500)
		]) {
			expect(deviceLabel(made)).toBe('Unknown browser');
		}
		expect(deviceLabel('<b>Firefox/1 on Windows</b>')).toBe('Firefox on Windows');
	});

	it('hides a label stored before, when it is not one it would make', () => {
		expect(shownDeviceLabel('Safari on iOS')).toBe('Safari on iOS');
		expect(shownDeviceLabel('Unknown browser')).toBe('Unknown browser');
		expect(shownDeviceLabel('<b>Principal’s laptop</b>')).toBe('Unknown browser');
	});
});
