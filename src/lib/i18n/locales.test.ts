import { describe, expect, it } from 'vitest';
import { chooseLocale, directionOf, matchLocale, preferredLanguages } from './locales';

describe('preferredLanguages (Accept-Language)', () => {
	it('orders by quality, keeps the written order for ties, drops q=0 and *', () => {
		expect(preferredLanguages('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual([
			'fr-CH',
			'fr',
			'en',
			'de'
		]);
		expect(preferredLanguages('en;q=0.2, ar-EG;q=0.9, pl')).toEqual(['pl', 'ar-EG', 'en']);
		expect(preferredLanguages('de;q=0, es')).toEqual(['es']);
		expect(preferredLanguages('')).toEqual([]);
		expect(preferredLanguages(null)).toEqual([]);
	});
});

describe('matchLocale', () => {
	it('takes the first language we speak, by its primary subtag', () => {
		expect(matchLocale(['de-AT', 'en'])).toBe('de');
		expect(matchLocale(['ja', 'pt-BR', 'es-419'])).toBe('es');
		expect(matchLocale(['ja', 'zh'])).toBeNull();
	});
});

describe('chooseLocale', () => {
	it('follows the browser: Accept-Language', () => {
		expect(chooseLocale(undefined, 'ar-EG,ar;q=0.9,en;q=0.5')).toBe('ar');
		expect(chooseLocale(undefined, 'pl-PL')).toBe('pl');
		expect(chooseLocale(undefined, 'en-US,en;q=0.9')).toBe('en');
	});

	it('is English for a browser that asks for none of ours, or for nothing', () => {
		expect(chooseLocale(undefined, 'ja-JP')).toBe('en');
		expect(chooseLocale(undefined, null)).toBe('en');
	});

	it('the switcher’s cookie wins over the browser; a cookie we do not know does not', () => {
		expect(chooseLocale('fr', 'de-DE,de')).toBe('fr');
		expect(chooseLocale('xx', 'de-DE,de')).toBe('de');
		expect(chooseLocale('__proto__', 'es')).toBe('es');
	});
});

describe('directionOf', () => {
	it('right to left for Arabic, Hebrew, Persian; left to right otherwise', () => {
		expect(directionOf('ar')).toBe('rtl');
		expect(directionOf('ar-EG')).toBe('rtl');
		expect(directionOf('he')).toBe('rtl');
		expect(directionOf('fa-IR')).toBe('rtl');
		expect(directionOf('en')).toBe('ltr');
		expect(directionOf('de-AT')).toBe('ltr');
	});
});
