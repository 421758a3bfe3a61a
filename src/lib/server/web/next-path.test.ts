import { describe, expect, it } from 'vitest';
import { cookieFrom } from './cookies.ts';
import { deviceLabel } from './device-label.ts';
import { nextPath } from './next-path.ts';

describe('after signing in', () => {
	it('goes back to a page of this site, never to another site', () => {
		expect(nextPath('/reports/abc?x=1#top')).toBe('/reports/abc?x=1#top');
		for (const away of [
			'//evil.example/',
			'/\\evil.example',
			'https://evil.example/',
			'host',
			''
		]) {
			expect(nextPath(away)).toBe('/host');
		}
		expect(nextPath(null)).toBe('/host');
	});
});

describe('a socket request’s cookie', () => {
	it('is read by name from the Cookie header', () => {
		const header = 'quizroom-device=abc; quizroom-session=tok%3D; other=1';
		expect(cookieFrom(header, 'quizroom-session')).toBe('tok=');
		expect(cookieFrom(header, 'missing')).toBeUndefined();
		expect(cookieFrom(undefined, 'quizroom-session')).toBeUndefined();
	});
});

describe('a session’s device', () => {
	it('is named by browser and system', () => {
		const chrome =
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
		const iphone =
			'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
		expect(deviceLabel(chrome)).toBe('Chrome on Windows');
		expect(deviceLabel(iphone)).toBe('Safari on iOS');
		expect(deviceLabel(null)).toBe('Unknown browser');
	});
});
