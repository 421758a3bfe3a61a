/**
 * Download names: the UTF-8 name as written, and an ASCII fallback that still says which file it
 * is (a Cyrillic title used to leave "___________ 2026-11-24 report.csv").
 */
import { describe, expect, it } from 'vitest';
import { download, downloadName } from './download.ts';

function disposition(title: string, suffix: string, extension: string): string {
	return download('', downloadName(title, suffix, extension), 'text/csv').headers.get(
		'content-disposition'
	)!;
}

describe('a download name', () => {
	it('falls back to "quiz" and the date when the title has nothing ASCII can spell', () => {
		const header = disposition('Викторина класса', ' 2026-11-24 report', '.csv');
		expect(header).toContain('filename="quiz 2026-11-24 report.csv"');
		expect(header).toContain(
			`filename*=UTF-8''${encodeURIComponent('Викторина класса 2026-11-24 report.csv')}`
		);
		expect(disposition('日本の地理', '', '.quizroom.json')).toContain(
			'filename="quiz.quizroom.json"'
		);
		expect(disposition('Ελληνικά!', '', '.csv')).toContain('filename="quiz.csv"');
	});

	it('spells accented letters without their accents, and keeps what is ASCII', () => {
		expect(downloadName('Crème brûlée – Straße', ' 2026-11-24 report', '.xlsx')).toEqual({
			name: 'Crème brûlée – Straße 2026-11-24 report.xlsx',
			ascii: 'Creme brulee - Strasse 2026-11-24 report.xlsx'
		});
		expect(downloadName('Łódź quiz 🎉 日本', '', '.csv').ascii).toBe('Lodz quiz.csv');
		expect(downloadName('World Geography', '', '.csv')).toEqual({
			name: 'World Geography.csv',
			ascii: 'World Geography.csv'
		});
	});

	it('never lets a quote or a backslash into the quoted name', () => {
		const header = disposition('Say "hi" \\ bye', '', '.csv');
		expect(header).toMatch(/^attachment; filename="[^"\\]*"; filename\*=/);
	});
});
