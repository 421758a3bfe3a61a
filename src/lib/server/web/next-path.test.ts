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

	it('judges the path as the browser resolves it, not as typed', () => {
		const nasty = [
			// Dot segments that resolve to `//host` (the open redirect found in review).
			'/.//localhost:4999/',
			'/x/..//evil.example',
			'/..//evil.example',
			'/%2e%2e//evil.example',
			'/%2E/%2E%2E//evil.example',
			// Backslashes: browsers read `\` as `/` in http(s) addresses.
			'/./\\evil.example',
			'/\\\\evil.example',
			'/\t\\evil.example',
			// Tabs and newlines are dropped by the URL parser, as by browsers.
			'/\t/evil.example',
			'/\n/evil.example',
			'/\r\n/evil.example',
			'/\t/\t/evil.example',
			// Encoded slashes, in case anything on the way decodes them.
			'/%2F%2Fevil.example',
			'/%2F/evil.example',
			'/%5Cevil.example',
			'/%5C%5Cevil.example',
			'/%ZZ',
			// Other schemes and other sites outright.
			'javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			' /host',
			'\t//evil.example',
			'data:text/html,<script>alert(1)</script>',
			'http:evil.example',
			'https:/evil.example',
			'///evil.example',
			'http://localhost:4999/'
		];
		for (const raw of nasty) {
			const next = nextPath(raw);
			expect(next, JSON.stringify(raw)).toBe('/host');
		}
		// Still a page here, however odd: it stays on this site.
		for (const [raw, path] of [
			['/./reports/abc', '/reports/abc'],
			['/quizzes/../reports', '/reports'],
			['/%20/evil.example', '/%20/evil.example'],
			['/javascript:alert(1)', '/javascript:alert(1)'],
			['/reports?next=//evil.example', '/reports?next=//evil.example']
		]) {
			expect(nextPath(raw), JSON.stringify(raw)).toBe(path);
			expect(new URL(nextPath(raw), 'http://quizroom.test').origin).toBe('http://quizroom.test');
		}
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
