import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { REPORT_CSV_HEADER, reportCsv, reportXlsx } from './report-export.ts';
import { FORMULA_NICKNAME, playedGame } from './test-game.ts';

describe('the report as CSV', () => {
	const csv = reportCsv(playedGame);
	const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;

	it('starts with a BOM and the header', () => {
		expect(csv.startsWith('\ufeffRank,Player,Final score,')).toBe(true);
		expect(rows[0]).toEqual(REPORT_CSV_HEADER);
	});

	it('has one row per player per question they could answer, by rank then question', () => {
		expect(rows.slice(1)).toEqual([
			[
				'1',
				'Ana',
				'1900',
				'2',
				'2.1',
				'1',
				'Rome, Paris or "Milan": capital of Italy?',
				'Rome',
				'yes',
				'1.2',
				'950'
			],
			['1', 'Ana', '1900', '2', '2.1', '2', 'Largest planet?', 'Jupiter', 'yes', '3.1', '950'],
			[
				'2',
				`'${FORMULA_NICKNAME}`,
				'700',
				'1',
				'3.3',
				'1',
				'Rome, Paris or "Milan": capital of Italy?',
				'Milan',
				'no',
				'4.0',
				'0'
			],
			[
				'2',
				`'${FORMULA_NICKNAME}`,
				'700',
				'1',
				'3.3',
				'2',
				'Largest planet?',
				'Jupiter',
				'yes',
				'2.5',
				'700'
			],
			['3', 'Cleo', '0', '0', '', '2', 'Largest planet?', '(no answer)', 'no', '', '0'],
			['', 'Dan', '0', '0', '', '', '', '', '', '', '']
		]);
	});
});

describe('the report as a workbook', () => {
	async function workbook(): Promise<ExcelJS.Workbook> {
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await reportXlsx(playedGame)) as unknown as ExcelJS.Buffer);
		return book;
	}

	it('has the sheets Ranking, Answers and Questions', async () => {
		expect((await workbook()).worksheets.map((sheet) => sheet.name)).toEqual([
			'Ranking',
			'Answers',
			'Questions'
		]);
	});

	it('ranks the players with their score, correct answers and average time', async () => {
		const sheet = (await workbook()).getWorksheet('Ranking')!;
		expect(sheet.getRow(1).values).toEqual([
			undefined,
			'Rank',
			'Player',
			'Score',
			'Correct answers',
			'Answered',
			'Average time (s)'
		]);
		expect(sheet.getRow(2).values).toEqual([undefined, 1, 'Ana', 1900, 2, 2, 2.1]);
		// A nickname is stored as text, never as a formula.
		expect(sheet.getCell('B3').value).toBe(FORMULA_NICKNAME);
		expect(sheet.getCell('B3').type).toBe(ExcelJS.ValueType.String);
		expect(sheet.getRow(5).values).toEqual([undefined, undefined, 'Dan', 0, 0, 0]);
		expect(sheet.rowCount).toBe(5);
	});

	it('lists every answer by question, with the answer as its text', async () => {
		const sheet = (await workbook()).getWorksheet('Answers')!;
		expect(sheet.getRow(2).values).toEqual([
			undefined,
			1,
			'Rome, Paris or "Milan": capital of Italy?',
			'Ana',
			'Rome',
			'yes',
			1.2,
			950
		]);
		expect(sheet.getRow(3).getCell(4).value).toBe('Milan');
		expect(sheet.getRow(6).values).toEqual([
			undefined,
			2,
			'Largest planet?',
			'Cleo',
			'(no answer)',
			'no',
			undefined,
			0
		]);
		expect(sheet.rowCount).toBe(6);
	});

	it('sums up each question: % correct, average time and picks per answer', async () => {
		const sheet = (await workbook()).getWorksheet('Questions')!;
		expect(sheet.getRow(1).values).toEqual([
			undefined,
			'Question #',
			'Question',
			'Correct answer(s)',
			'% correct',
			'Answered',
			'No answer',
			'Average time (s)',
			'Answer 1',
			'Answer 1 picks',
			'Answer 2',
			'Answer 2 picks',
			'Answer 3',
			'Answer 3 picks',
			'Answer 4',
			'Answer 4 picks'
		]);
		expect(sheet.getRow(2).values).toEqual([
			undefined,
			1,
			'Rome, Paris or "Milan": capital of Italy?',
			'Rome',
			0.5,
			2,
			0,
			2.6,
			'Rome',
			1,
			'Paris',
			0,
			'Milan',
			1
		]);
		expect(sheet.getCell('D3').value).toBeCloseTo(2 / 3);
		expect(sheet.getCell('D3').numFmt).toBe('0%');
		expect(sheet.getCell('F3').value).toBe(1); // Cleo could answer and did not
		expect(sheet.getCell('N3').value).toBe('Earth');
		expect(sheet.getCell('O3').value).toBe(0);
	});
});
