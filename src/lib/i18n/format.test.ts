import { describe, expect, it } from 'vitest';
import { render } from './format';
import pl from './messages/pl';
import en, { type Messages } from './messages/en';
import de from './messages/de';
import fr from './messages/fr';
import ar from './messages/ar';

describe('render', () => {
	it('fills in parameters, numbers in the locale’s own way', () => {
		expect(render('en', en['outcome.rank'], { rank: '3rd', count: 1200 })).toBe(
			"You're 3rd of 1,200"
		);
		expect(render('de', de['play.points'], { count: 1234 })).toBe('1.234 Punkte');
		const arabic = new Intl.NumberFormat('ar');
		expect(render('ar', ar['play.progress'], { number: 3, count: 10 })).toBe(
			`${arabic.format(3)} / ${arabic.format(10)}`
		);
	});

	it('Polish points: one, few, many', () => {
		const points = (count: number) => render('pl', pl['play.points'], { count });
		expect(points(1)).toBe('1 punkt');
		expect(points(2)).toBe('2 punkty');
		expect(points(4)).toBe('4 punkty');
		expect(points(5)).toBe('5 punktów');
		expect(points(12)).toBe('12 punktów');
		expect(points(22)).toBe('22 punkty');
		expect(points(25)).toBe('25 punktów');
		expect(points(0)).toBe('0 punktów');
	});

	it('ordinals by Intl.PluralRules type ordinal', () => {
		const rank = (locale: string, messages: Messages, count: number) =>
			render(locale, messages['play.rank'], { count });
		expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map((n) => rank('en', en, n))).toEqual([
			'1st',
			'2nd',
			'3rd',
			'4th',
			'11th',
			'12th',
			'13th',
			'21st',
			'22nd',
			'101st'
		]);
		expect([1, 2].map((n) => rank('fr', fr, n))).toEqual(['1er', '2e']);
		expect(rank('de', de, 3)).toBe('3.');
	});

	it('Arabic dual and few', () => {
		const players = (count: number) => render('ar', ar['play.players'], { count });
		expect(players(1)).toBe('لاعب واحد');
		expect(players(2)).toBe('لاعبان');
		const arabic = new Intl.NumberFormat('ar');
		expect(players(3)).toBe(`${arabic.format(3)} لاعبين`);
		expect(players(11)).toBe(`${arabic.format(11)} لاعبًا`);
	});

	it('leaves a missing parameter visible and fills null with nothing', () => {
		expect(render('en', 'Question {number}', {})).toBe('Question {number}');
		expect(render('en', 'Question {number}', { number: null })).toBe('Question ');
	});
});
