import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { workbookBomb, workbookZip, zipPart } from '../../testing/zips.ts';
import { IMPORT_LIMITS, type ImportLimits } from './import-limits.ts';
import { importKahootXlsx } from './kahoot-xlsx.ts';
import { importQuizCsv } from './quiz-csv.ts';
import { readQuizFile } from './quiz-file.ts';
import { checkJsonText, importQuizJson } from './quiz-json.ts';
import { checkWorkbookZip, SheetCounter } from './workbook-zip.ts';

const MB = 1024 * 1024;
const small: ImportLimits = {
	...IMPORT_LIMITS,
	zipEntries: 8,
	rows: 10,
	cells: 30,
	textLength: 20,
	jsonDepth: 6,
	jsonValues: 40,
	pictures: 1
};

function sheet(rows: string[][]): string {
	const body = rows
		.map(
			(cells, r) =>
				`<row r="${r + 1}">${cells.map((text) => `<c t="inlineStr"><is><t>${text}</t></is></c>`).join('')}</row>`
		)
		.join('');
	return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

async function xlsxRefusal(bytes: Uint8Array, limits = small): Promise<string | undefined> {
	const result = await importKahootXlsx(bytes, 'Quiz.xlsx', limits);
	expect(result.quiz).toBeUndefined();
	return result.errors[0]?.message;
}

describe('a workbook is checked as it inflates', () => {
	it('refuses 600 MB of sheet at 50 MB, whatever its zip says its size is', async () => {
		for (const declared of [600 * MB, 1024]) {
			const started = performance.now();
			await expect(checkWorkbookZip(workbookBomb(600, declared))).rejects.toThrow(
				'This workbook unpacks to more than 50 MB'
			);
			expect(performance.now() - started).toBeLessThan(2000);
		}
	});

	it('refuses too many parts before inflating any', async () => {
		const extra = Array.from({ length: 5 }, (_, i) => zipPart(`xl/media/${i}.txt`, 'x'));
		expect(await xlsxRefusal(workbookZip(sheet([]), extra))).toBe(
			'This workbook is made of more than 8 parts: too many for a quiz spreadsheet'
		);
	});

	it('refuses too many rows, too many cells, and a text too long', async () => {
		const row = ['a', 'b'];
		expect(await xlsxRefusal(workbookZip(sheet(Array(11).fill(row))))).toBe(
			'This file has more than 10 rows: a quiz has 500 questions at most'
		);
		expect(await xlsxRefusal(workbookZip(sheet(Array(8).fill(['a', 'b', 'c', 'd']))))).toBe(
			'This file has more than 30 cells: a quiz has 500 questions at most'
		);
		expect(await xlsxRefusal(workbookZip(sheet([['é'.repeat(21)]])))).toBe(
			'A cell or text in this file is longer than 20 characters: too long for a quiz'
		);
		// Characters, not bytes: twenty é (forty bytes) pass.
		await expect(checkWorkbookZip(workbookZip(sheet([['é'.repeat(20)]])), small)).resolves.toBe(
			undefined
		);
	});

	it('counts across chunk edges, and not what is only markup', () => {
		const counter = new SheetCounter(small);
		const xml = Buffer.from(
			'<row r="1"><c r="A1" s="1"/><c><v>12</v></c><cols><col min="1"/></cols></row>' +
				'<!-- <row> --><x:row/>  \n  <row><c><is><t>0123456789</t></is></c></row>'
		);
		for (let i = 0; i < xml.length; i += 3) counter.feed(xml.subarray(i, i + 3));
		expect({ rows: counter.rows, cells: counter.cells }).toEqual({ rows: 2, cells: 3 });
	});

	it("passes a real workbook, Quizroom's own export", async () => {
		const workbook = new ExcelJS.Workbook();
		workbook.addWorksheet('Quiz').getRow(8).values = ['', 'Question', 'Answer 1'];
		const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
		await expect(checkWorkbookZip(bytes)).resolves.toBe(undefined);
	});
});

describe('a CSV file is checked row by row', () => {
	const header = 'Question,Answer 1,Answer 2,Correct answer(s)';

	it('refuses too many rows, too many cells, and a text too long', () => {
		const refusal = (text: string) => importQuizCsv(text, 'Quiz.csv', small).errors[0]?.message;
		expect(refusal([header, ...Array(10).fill('Q?')].join('\n'))).toBe(
			'This file has more than 10 rows: a quiz has 500 questions at most'
		);
		expect(refusal([header, ...Array(7).fill('Q?,A,B,1')].join('\n'))).toBe(
			'This file has more than 30 cells: a quiz has 500 questions at most'
		);
		expect(refusal([header, 'Q?,A,Twenty-one characters,1'].join('\n'))).toBe(
			'A cell or text in this file is longer than 20 characters: too long for a quiz'
		);
	});

	it('still says where an unclosed quote starts, however much it swallowed', () => {
		const csv = [header, 'Q?,A,B,1', `"Broken,A,B,1`, 'x'.repeat(50)].join('\n');
		const result = importQuizCsv(csv, 'Quiz.csv', small);
		expect(result.imported).toBe(1);
		expect(result.errors[0]).toMatchObject({
			row: 3,
			message: expect.stringContaining('never closed')
		});
	});
});

describe('a Quizroom quiz file is checked before it is parsed', () => {
	const refusal = (text: string) => {
		const result = importQuizJson(text, { limits: small });
		return result.ok ? null : result.error;
	};

	it('refuses nesting too deep, too many values, and a text too long', () => {
		expect(refusal('[[[[[[[1]]]]]]]')).toBe(
			'This quiz file is nested more than 6 levels deep: a Quizroom quiz file never is'
		);
		expect(refusal(`[${Array(41).fill(1).join(',')}]`)).toBe(
			'This quiz file holds more than 40 values: far more than a quiz of 500 questions'
		);
		expect(refusal('{"quiz":{"title":"Twenty-one characters"}}')).toBe(
			'A cell or text in this file is longer than 20 characters: too long for a quiz'
		);
		// Escapes are stepped over: an escaped quote ends no string, brackets in one nest nothing.
		expect(checkJsonText('{"a":"\\"[[[[[[\\\\"}', small)).toBeNull();
	});

	it('refuses too many pictures, and a picture too big before decoding it', () => {
		const file = (images: Record<string, unknown>) =>
			JSON.stringify({ format: 'quizroom.quiz', version: 1, quiz: { title: 'Q' }, images });
		const limits = { ...IMPORT_LIMITS, pictures: 1 };
		const two = importQuizJson(
			file({ a: { type: 'image/png', data: '' }, b: { type: 'image/png', data: '' } }),
			{ limits }
		);
		expect(two).toEqual({
			ok: false,
			error: 'This quiz file carries more than 1 pictures: a quiz has one per question at most'
		});
		const huge = importQuizJson(file({ a: { type: 'image/png', data: 'A'.repeat(7 * MB) } }));
		expect(huge).toEqual({ ok: false, error: 'A picture in this file is larger than 5 MB' });
	});
});

describe('an uploaded file', () => {
	it('is refused over the file size before it is read, and a file-wide refusal is its message', async () => {
		const limits = { ...IMPORT_LIMITS, fileBytes: MB };
		expect(await readQuizFile(new Uint8Array(MB + 1), 'Quiz.csv', limits)).toEqual({
			ok: false,
			message: 'That file is too big to be a quiz (1 MB at most)',
			rowErrors: []
		});
		expect(await readQuizFile(workbookBomb(60), 'Quiz.xlsx')).toEqual({
			ok: false,
			message: expect.stringContaining('This workbook unpacks to more than 50 MB'),
			rowErrors: []
		});
	});
});
