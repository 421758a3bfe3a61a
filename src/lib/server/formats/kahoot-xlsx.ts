/**
 * Kahoot's quiz spreadsheet template, both ways. The template's first sheet has a few title and
 * instruction rows, a header in row 8 ("Question - max 120 characters", "Answer 1 - max 75
 * characters" … "Correct answer(s) - choose at least one"), the row number in column A and
 * one question per row from row 9 in columns B–H.
 *
 * Import finds the header by its text in the first rows (so moved or extra columns, and sheets
 * with Answer 5/6 or Points columns, work too) and falls back to the template's fixed layout.
 * Export writes the template's layout so the file can be uploaded to Kahoot as it is.
 *
 * The template knows two question types: quiz, and true/false (answers "True" and "False").
 * Import turns a row with just those two answers into a true/false question; export writes
 * quiz and true/false questions and leaves the other types out (see kahootExportNotes).
 */
import type ExcelJS from 'exceljs';
import { correctOptions, optionTexts } from '../../game/questions.ts';
import { QUESTION_TYPE_NAMES, type QuestionOf, type Quiz } from '../../protocol/quiz.ts';
import {
	cellText,
	findHeader,
	importRows,
	HEADER_SEARCH_ROWS,
	type Cell,
	type ColumnLayout,
	type RowImportResult,
	type SheetRow
} from './rows.ts';
import { IMPORT_LIMITS, ImportLimitExceeded, type ImportLimits } from './import-limits.ts';
import { checkWorkbookZip } from './workbook-zip.ts';

/** Kahoot's own header texts, written on export. */
export const KAHOOT_HEADER = [
	'Question - max 120 characters',
	'Answer 1 - max 75 characters',
	'Answer 2 - max 75 characters',
	'Answer 3 - max 75 characters',
	'Answer 4 - max 75 characters',
	'Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs',
	'Correct answer(s) - choose at least one'
] as const;

export const KAHOOT_HEADER_ROW = 8;
export const KAHOOT_MAX_ANSWERS = 4;
export const KAHOOT_MAX_QUESTION_TEXT = 120;
export const KAHOOT_MAX_ANSWER_TEXT = 75;

/** The template's layout when no header row is found: B–H, data from row 9 (cells are 0-based). */
const FIXED_LAYOUT: ColumnLayout = {
	question: 1,
	answers: [2, 3, 4, 5],
	timeLimit: 6,
	correct: 7,
	points: null
};

/** A cell above the header reading "Title" or "Quiz title"; the title is the next cell right of it. */
const TITLE_LABEL = /^(quiz )?title:?$/i;

/**
 * Reads a Kahoot-style quiz spreadsheet. The title comes from a "Quiz title" cell above the
 * header if there is one (Quizroom's export writes it), else from the file name. The zip is
 * checked against `limits` first (workbook-zip.ts), as it inflates: exceljs then unpacks only
 * what passed.
 */
export async function importKahootXlsx(
	data: Uint8Array | ArrayBuffer,
	fileName = '',
	limits: ImportLimits = IMPORT_LIMITS
): Promise<RowImportResult> {
	let workbook: ExcelJS.Workbook;
	try {
		await checkWorkbookZip(data instanceof ArrayBuffer ? new Uint8Array(data) : data, limits);
		workbook = new (await excel()).Workbook();
		await workbook.xlsx.load(toArrayBuffer(data) as ExcelJS.Buffer);
	} catch (error) {
		if (error instanceof ImportLimitExceeded) return fileError(error.message);
		return fileError(
			'This file could not be read as an Excel workbook: save it as .xlsx (Excel Workbook) and try again'
		);
	}
	const sheet = workbook.worksheets[0];
	if (!sheet) return fileError('This workbook has no worksheet');

	const rows = sheetRows(sheet);
	const header = findHeader(rows);
	const layout = header?.layout ?? FIXED_LAYOUT;
	const firstDataRow = header ? header.row + 1 : KAHOOT_HEADER_ROW + 1;
	const title = titleCell(rows.filter((r) => r.row < firstDataRow)) ?? fileName;
	return importRows(
		rows.filter((r) => r.row >= firstDataRow),
		layout,
		title
	);
}

/**
 * What gets lost or may not fit when a quiz goes to Kahoot's template, in plain words for the
 * host; also written into the exported file above the header.
 *
 * Decisions: the template holds quiz and true/false questions only (true/false as the answers
 * "True" and "False", which Kahoot and our import read back as true/false); every other type
 * (select all, type answer, slider, puzzle, poll, info slide) is left out and named here — the
 * Quizroom JSON file keeps them. Kahoot's template has 4 answer columns. A question with 5 or 6
 * answers keeps all its correct answers and as many wrong ones (first ones first) as fit in 4; a
 * question with more than 4 correct answers cannot fit and is left out. Texts over Kahoot's
 * limits (120/75) are written whole (Kahoot will ask to shorten them). Points levels and images
 * have no column in the template and are not exported.
 */
export function kahootExportNotes(quiz: Quiz): string[] {
	const notes: string[] = [];
	const withImages: number[] = [];
	const withPoints: number[] = [];
	quiz.questions.forEach((question, index) => {
		const n = index + 1;
		if (question.type !== 'quiz' && question.type !== 'true-false') {
			notes.push(
				`Question ${n} (${QUESTION_TYPE_NAMES[question.type].toLowerCase()}) was left out: Kahoot's spreadsheet holds only quiz and true/false questions`
			);
			return;
		}
		const fit = fitToKahoot(question);
		if (!fit) {
			notes.push(
				`Question ${n} was left out: it has ${correctOptions(question).length} correct answers and Kahoot allows ${KAHOOT_MAX_ANSWERS} answers`
			);
			return;
		}
		if (fit.dropped.length > 0) {
			const list = listNumbers(fit.dropped.map((i) => i + 1));
			notes.push(
				`Question ${n}: answer${fit.dropped.length > 1 ? 's' : ''} ${list} left out (Kahoot allows ${KAHOOT_MAX_ANSWERS} answers)`
			);
		}
		if (question.text.length > KAHOOT_MAX_QUESTION_TEXT)
			notes.push(
				`Question ${n} is ${question.text.length} characters long; Kahoot allows ${KAHOOT_MAX_QUESTION_TEXT}`
			);
		fit.options.forEach((option, i) => {
			if (option.length > KAHOOT_MAX_ANSWER_TEXT)
				notes.push(
					`Question ${n}, answer ${i + 1} is ${option.length} characters long; Kahoot allows ${KAHOOT_MAX_ANSWER_TEXT}`
				);
		});
		if (question.image) withImages.push(n);
		if (question.points !== 'standard') withPoints.push(n);
	});
	if (withImages.length > 0)
		notes.push(
			`Images are not part of Kahoot's spreadsheet: add them in Kahoot (question${withImages.length > 1 ? 's' : ''} ${listNumbers(withImages)})`
		);
	if (withPoints.length > 0)
		notes.push(
			`Points (double or none) are not part of Kahoot's spreadsheet: set them in Kahoot (question${withPoints.length > 1 ? 's' : ''} ${listNumbers(withPoints)})`
		);
	return notes;
}

/** A quiz in Kahoot's template layout: title in B1, notes in B3, header in row 8, data from row 9. */
export async function exportKahootXlsx(quiz: Quiz): Promise<Buffer> {
	const workbook = new (await excel()).Workbook();
	workbook.creator = 'Quizroom';
	const sheet = workbook.addWorksheet('Quiz');
	sheet.columns = [
		{ width: 6 },
		{ width: 50 },
		{ width: 28 },
		{ width: 28 },
		{ width: 28 },
		{ width: 28 },
		{ width: 16 },
		{ width: 16 }
	];

	sheet.getCell('A1').value = 'Quiz title';
	sheet.getCell('B1').value = quiz.title;
	sheet.getCell('B1').font = { bold: true, size: 14 };
	const notes = kahootExportNotes(quiz);
	if (notes.length > 0) {
		sheet.getCell('A3').value = 'Notes';
		sheet.getCell('B3').value = notes.join('\n');
		sheet.getCell('B3').alignment = { wrapText: true, vertical: 'top' };
	}

	const header = sheet.getRow(KAHOOT_HEADER_ROW);
	header.values = [null, ...KAHOOT_HEADER];
	header.font = { bold: true };

	let rowNumber = KAHOOT_HEADER_ROW;
	for (const question of quiz.questions) {
		if (question.type !== 'quiz' && question.type !== 'true-false') continue;
		const fit = fitToKahoot(question);
		if (!fit) continue;
		rowNumber += 1;
		const answers = Array.from({ length: KAHOOT_MAX_ANSWERS }, (_, i) => fit.options[i] ?? null);
		const correct = fit.correct.map((i) => i + 1);
		sheet.getRow(rowNumber).values = [
			rowNumber - KAHOOT_HEADER_ROW,
			question.text,
			...answers,
			question.timeLimit,
			correct.length === 1 ? correct[0] : correct.join(',')
		];
	}
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A question cut to Kahoot's 4 answers: every correct answer stays, wrong ones fill the rest in
 * their order. Null when the correct answers alone are more than 4. True/false is "True" and
 * "False", the right one marked.
 */
function fitToKahoot(
	question: QuestionOf<'quiz' | 'true-false'>
): { options: string[]; correct: number[]; dropped: number[] } | null {
	const options = optionTexts(question);
	const correct = correctOptions(question);
	if (options.length <= KAHOOT_MAX_ANSWERS) return { options, correct, dropped: [] };
	if (correct.length > KAHOOT_MAX_ANSWERS) return null;
	let wrongRoom = KAHOOT_MAX_ANSWERS - correct.length;
	const kept: number[] = [];
	const dropped: number[] = [];
	options.forEach((_, i) => {
		if (correct.includes(i)) kept.push(i);
		else if (wrongRoom > 0) {
			kept.push(i);
			wrongRoom -= 1;
		} else dropped.push(i);
	});
	return {
		options: kept.map((i) => options[i] ?? ''),
		correct: correct.map((i) => kept.indexOf(i)).sort((a, b) => a - b),
		dropped
	};
}

/** Every row of the sheet with a value, cells 0-based by column (A = 0). */
function sheetRows(sheet: ExcelJS.Worksheet): SheetRow[] {
	const rows: SheetRow[] = [];
	sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const cells: Cell[] = [];
		row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
			cells[colNumber - 1] = plainCell(cell.value);
		});
		rows.push({ row: rowNumber, cells });
	});
	return rows;
}

/** exceljs cell values (rich text, formulas, links, dates…) as text or a number. */
function plainCell(value: ExcelJS.CellValue): Cell {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string' || typeof value === 'number') return value;
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if ('richText' in value) return value.richText.map((part) => part.text).join('');
	if ('hyperlink' in value) return plainCell(value.text as ExcelJS.CellValue);
	if ('formula' in value || 'sharedFormula' in value)
		return plainCell((value.result ?? null) as ExcelJS.CellValue);
	return null; // an error cell (#N/A …)
}

function titleCell(rows: readonly SheetRow[]): string | null {
	for (const { row, cells } of rows) {
		if (row > HEADER_SEARCH_ROWS) break;
		const label = cells.findIndex((cell) => TITLE_LABEL.test(cellText(cell)));
		if (label < 0) continue;
		const title = cells.slice(label + 1).find((cell) => cellText(cell) !== '');
		if (title !== undefined) return cellText(title);
	}
	return null;
}

/** exceljs, loaded when first needed: a file refused by its zip's check never waits for it. */
async function excel(): Promise<typeof ExcelJS> {
	return (await import('exceljs')).default;
}

function fileError(message: string): RowImportResult {
	return { errors: [{ row: null, message }], imported: 0, skipped: 0 };
}

function toArrayBuffer(data: Uint8Array | ArrayBuffer): ArrayBuffer {
	if (data instanceof ArrayBuffer) return data;
	return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

function listNumbers(numbers: number[]): string {
	if (numbers.length === 1) return String(numbers[0]);
	return `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}
