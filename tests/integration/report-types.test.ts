/**
 * A game with one question of each type, played over real sockets, makes a report that shows
 * every type readably: on the page, in the CSV and in the workbook.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { EVERY_TYPE_PLAYERS, playEveryTypeGame } from './every-type.ts';
import { startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
let reportId: string;

beforeAll(async () => {
	server = await startServer();
	await playEveryTypeGame(server);
	const games = (await (await server.admin.fetch('/reports')).text()).matchAll(
		/href="\.?\/reports\/([\w-]+)"/g
	);
	const ids = [...games].map((match) => match[1]!);
	expect(ids).toHaveLength(1);
	reportId = ids[0]!;
}, 60_000);

afterAll(() => server?.stop());

test('the report page shows each type its own way', async () => {
	const response = await server.admin.fetch(`/reports/${reportId}`);
	expect(response.status).toBe(200);
	const page = (await response.text()).replace(/<!--.*?-->/g, '');
	// Played through: the info slide is not a question played, nor missing.
	expect(page).toMatch(/7 of 7\s+questions/);
	expect(page).not.toContain('unfinished');
	for (const name of [
		'True or false',
		'Select all that apply',
		'Type answer',
		'Slider',
		'Puzzle',
		'Poll'
	])
		expect(page).toContain(name);
	expect(page).toContain('Most typed answers');
	// Accepted answers read as a list, a space after each comma.
	const text = page.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
	expect(text).toContain('Accepted: Stockholm, Sthlm (any case, accents optional)');
	// The ranking's figures leave the poll out, and say so.
	expect(text).toContain(
		'Correct and average time count the 6 questions with a right answer: polls are left out.'
	);
	expect(page).toContain('Göteborg');
	expect(page).toContain('Average guess');
	expect(page).toContain('Correct order');
	expect(page).toContain('Polls');
	expect(page).toContain('5 votes');
	expect(page).not.toContain('Half-time');
	// Each question under the number players saw: the puzzle after the slide is Q6, the poll Q7.
	const numbered = [...page.matchAll(/class="number[^"]*">Q(\d+)<\/span>\s*([^<]+?)\s*</g)].map(
		(match) => [match[1], match[2]]
	);
	expect(numbered).toContainEqual(['6', 'Put the planets in order from the Sun']);
	expect(numbered).toContainEqual(['7', 'Which season do you like best?']);
	expect(numbered.map(([n]) => Number(n)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
});

test('the CSV gives every answer as a person reads it', async () => {
	const csv = await (await server.admin.fetch(`/reports/${reportId}/export/csv`)).text();
	const rows = Papa.parse<string[]>(csv.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
	const ana = rows.filter((row) => row[1] === 'Ana').map((row) => [row[5], row[7], row[8]]);
	expect(ana).toEqual([
		['1', 'Rome', 'yes'],
		['2', 'True', 'yes'],
		['3', '2, 5', 'yes'],
		// Numbered as the phones showed them: the slide after question 3 is not counted.
		['4', 'stockholm', 'yes'],
		['5', '4.8 km', 'yes'],
		['6', 'Mercury → Venus → Earth → Mars', 'yes'],
		['7', 'Summer', '']
	]);
	expect(rows.filter((row) => row[1] === 'Eli').map((row) => row[7])).toEqual([
		'(no answer)',
		'(no answer)',
		'5, 9',
		'Oslo',
		'8.8 km',
		'(no answer)',
		'Summer'
	]);
	expect(new Set(rows.slice(1).map((row) => row[1]))).toEqual(new Set(EVERY_TYPE_PLAYERS));
});

test('the workbook sums up every type on its Questions sheet', async () => {
	const xlsx = await server.admin.fetch(`/reports/${reportId}/export/xlsx`);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(await xlsx.arrayBuffer());
	const sheet = workbook.getWorksheet('Questions')!;
	expect(sheet.getColumn(1).values.slice(2)).toEqual([1, 2, 3, 4, 5, 6, 7]);
	const types = sheet.getColumn(2).values.slice(2);
	expect(types).toEqual([
		'Quiz',
		'True or false',
		'Select all that apply',
		'Type answer',
		'Slider',
		'Puzzle',
		'Poll'
	]);
	const summaries = sheet.getColumn(9).values.slice(2);
	// Alike answers count as one, shown as typed first (who was first depends on the race).
	expect(summaries.join('\n')).toMatch(
		/Most typed: stockholm \(3, accepted\), Göteborg \(1\), Oslo \(1\)/i
	);
	expect(summaries).toContain('2 of 5 put every item in place');
});
