import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { REPORT_CSV_HEADER, reportCsv, reportXlsx } from './report-export.ts';
import { makeGameOfEveryType } from '../../testing/quiz-fixtures.ts';
import { FORMULA_NICKNAME, playedGame } from '../../testing/test-game.ts';

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

	it('sums up each question: type, % correct, average time and picks per answer', async () => {
		const sheet = (await workbook()).getWorksheet('Questions')!;
		expect(sheet.getRow(1).values).toEqual([
			undefined,
			'Question #',
			'Type',
			'Question',
			'Correct answer(s)',
			'% correct',
			'Answered',
			'No answer',
			'Average time (s)',
			'Summary',
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
			'Quiz',
			'Rome, Paris or "Milan": capital of Italy?',
			'Rome',
			0.5,
			2,
			0,
			2.6,
			undefined,
			'Rome',
			1,
			'Paris',
			0,
			'Milan',
			1
		]);
		expect(sheet.getCell('E3').value).toBeCloseTo(2 / 3);
		expect(sheet.getCell('E3').numFmt).toBe('0%');
		expect(sheet.getCell('G3').value).toBe(1); // Cleo could answer and did not
		expect(sheet.getCell('P3').value).toBe('Earth');
		expect(sheet.getCell('Q3').value).toBe(0);
	});
});

describe('the report of a game with every question type', () => {
	const game = makeGameOfEveryType('g-every');

	it('writes every answer readably in the CSV, polls with no right or wrong', () => {
		const rows = Papa.parse<string[]>(reportCsv(game).slice(1), { skipEmptyLines: true }).data;
		const answers = rows.slice(1).map((row) => [row[1], row[5], row[7], row[8], row[10]]);
		expect(answers).toEqual([
			['Ada', '1', 'Rome', 'yes', '2000'],
			['Ada', '2', 'True', 'yes', '1000'],
			['Ada', '3', '2, 5', 'yes', '1000'],
			['Ada', '4', 'stockholm', 'yes', '0'],
			['Ada', '5', '4.6 km', 'yes', '800'],
			['Ada', '6', '(no answer)', 'no', '0'],
			['Ada', '7', 'Winter', '', '0'],
			['Bob', '1', 'Milan', 'no', '0'],
			['Bob', '2', '(no answer)', 'no', '0'],
			['Bob', '3', '(no answer)', 'no', '0'],
			['Bob', '4', 'Göteborg 😀', 'no', '0'],
			['Bob', '5', '(no answer)', 'no', '0'],
			['Bob', '6', 'Mercury → Venus → Earth → Mars', 'yes', '900'],
			['Bob', '7', 'Winter', '', '0']
		]);
	});

	it('lists every answer readably in the workbook', async () => {
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await reportXlsx(game)) as unknown as ExcelJS.Buffer);
		const sheet = book.getWorksheet('Answers')!;
		const rows = sheet
			.getRows(2, sheet.rowCount - 1)!
			.map((row) => [
				row.getCell(1).value,
				row.getCell(3).value,
				row.getCell(4).value,
				row.getCell(5).value
			]);
		expect(rows).toContainEqual([3, 'Ada', '2, 5', 'yes']);
		expect(rows).toContainEqual([5, 'Ada', '4.6 km', 'yes']);
		expect(rows).toContainEqual([6, 'Bob', 'Mercury → Venus → Earth → Mars', 'yes']);
		expect(rows).toContainEqual([7, 'Bob', 'Winter', '']);
		expect(rows).toHaveLength(14);
	});

	it('sums up each type on the Questions sheet: options where there are, else a summary', async () => {
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await reportXlsx(game)) as unknown as ExcelJS.Buffer);
		const sheet = book.getWorksheet('Questions')!;
		const cells = (row: number) =>
			Array.from((sheet.getRow(row).values as unknown[]).slice(1), (value) => value ?? null);
		expect(sheet.rowCount).toBe(8); // the info slide is not a question played
		expect(cells(2).slice(0, 5)).toEqual([1, 'Quiz', 'Capital of Italy?', 'Rome', 0.5]);
		expect(cells(3)).toEqual([
			2,
			'True or false',
			'The Sun is a star.',
			'True',
			0.5,
			1,
			1,
			1.5,
			null,
			'True',
			1,
			'False',
			0
		]);
		expect(cells(4)).toEqual([
			3,
			'Select all that apply',
			'Which are prime?',
			'2\n5',
			0.5,
			1,
			1,
			1.5,
			'Select all: picks count every tick',
			'2',
			1,
			'4',
			0,
			'5',
			1,
			'9',
			0
		]);
		expect(cells(5)).toEqual([
			4,
			'Type answer',
			'Capital of Sweden?',
			'Stockholm\nSthlm',
			0.5,
			2,
			0,
			1.5,
			'Most typed: Göteborg 😀 (1), stockholm (1, accepted)'
		]);
		expect(cells(6)).toEqual([
			5,
			'Slider',
			'Height of Mont Blanc?',
			'4.8 km (± 0.5 km scores)',
			0.5,
			1,
			1,
			1.5,
			'Average guess 4.6 km, 0.2 km from the answer on average; 0 exactly right'
		]);
		expect(cells(7)).toEqual([
			6,
			'Puzzle',
			'Order the planets from the Sun',
			'Mercury → Venus → Earth → Mars',
			0.5,
			1,
			1,
			1.5,
			'1 of 2 put every item in place'
		]);
		expect(cells(8)).toEqual([
			7,
			'Poll',
			'Favourite season?',
			null,
			null,
			2,
			0,
			1.5,
			'Poll: votes per answer, no right answer',
			'Spring',
			0,
			'Summer',
			0,
			'Autumn',
			0,
			'Winter',
			2
		]);
	});
});

describe('the report of a game with an info slide between its questions', () => {
	// The played game with a slide before "Largest planet?": the game called it Question 2 of 2.
	const game = structuredClone(playedGame);
	game.quiz.questions.splice(1, 0, { type: 'info', text: 'Half-time', body: '' });
	game.rounds[1]!.questionIndex = 2;
	for (const player of game.players) if (player.firstQuestion >= 1) player.firstQuestion++;

	it('numbers the question after the slide as players saw it in the CSV', () => {
		const rows = Papa.parse<string[]>(reportCsv(game).slice(1), { skipEmptyLines: true }).data;
		const numbered = rows.slice(1).map((row) => [row[1], row[5], row[6]]);
		expect(numbered).toContainEqual(['Ana', '2', 'Largest planet?']);
		expect(numbered).toContainEqual(['Cleo', '2', 'Largest planet?']);
		expect(rows.slice(1).map((row) => row[5])).not.toContain('3');
	});

	it('numbers it the same on the Answers and Questions sheets', async () => {
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await reportXlsx(game)) as unknown as ExcelJS.Buffer);
		const answers = book.getWorksheet('Answers')!;
		const byText = answers
			.getRows(2, answers.rowCount - 1)!
			.map((row) => [row.getCell(1).value, row.getCell(2).value]);
		expect(new Set(byText.map(([n, text]) => `${n} ${text}`))).toEqual(
			new Set(['1 Rome, Paris or "Milan": capital of Italy?', '2 Largest planet?'])
		);
		const questions = book.getWorksheet('Questions')!;
		expect(questions.getColumn(1).values.slice(2)).toEqual([1, 2]);
		expect(questions.getColumn(3).values.slice(2)).toEqual([
			'Rome, Paris or "Milan": capital of Italy?',
			'Largest planet?'
		]);
	});
});
