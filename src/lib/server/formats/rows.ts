/**
 * Spreadsheet rows → questions, shared by the Kahoot .xlsx and the CSV importers so both read a
 * row the same way and report the same plain errors. A sheet has one question per row:
 * Question, Answer 1…6, Time limit (sec), Correct answer(s) and optionally Points. A row is a
 * quiz question, or a true/false one when its answers are just "True" and "False" (the only two
 * types the spreadsheet can hold). Good rows are imported; each bad row gets one error naming
 * every problem in it, so a host fixes the file in one pass.
 */
import * as v from 'valibot';
import {
	MAX_OPTION_TEXT,
	MAX_OPTIONS,
	MAX_QUESTIONS,
	MAX_QUESTION_TEXT,
	MIN_OPTIONS,
	QuestionSchema,
	QuizSchema,
	TIME_LIMITS,
	type PointsLevel,
	type Question,
	type Quiz
} from '../../protocol/quiz.ts';
import { newQuizId } from '../storage/ids.ts';

/** A cell as the importers hand it over: text, a number (spreadsheets), or nothing. */
export type Cell = string | number | null | undefined;

export interface SheetRow {
	/** The row number a spreadsheet user sees (1-based, header included). */
	row: number;
	cells: readonly Cell[];
}

/** Where each field sits in a row: indexes into `SheetRow.cells`. */
export interface ColumnLayout {
	question: number;
	/** `answers[n]` is the column of answer n + 1; null where the sheet has no such column. */
	answers: (number | null)[];
	/** Null: the sheet has no time column, every question gets DEFAULT_TIME_LIMIT. */
	timeLimit: number | null;
	correct: number;
	/** Null: the sheet has no points column, every question is worth standard points. */
	points: number | null;
}

export interface RowError {
	/** The spreadsheet row number; null when the problem is the file as a whole. */
	row: number | null;
	/** Plain words for the host, without the row number: see rowErrorText. */
	message: string;
}

export interface RowImportResult {
	/** Absent when no row could be imported. */
	quiz?: Quiz;
	errors: RowError[];
	/** Questions imported. */
	imported: number;
	/** Rows with an error, left out. Completely empty rows are ignored and not counted. */
	skipped: number;
}

export const DEFAULT_TIME_LIMIT = 20;
export const DEFAULT_QUIZ_TITLE = 'Imported quiz';
/** How far down a sheet the header row is looked for. */
export const HEADER_SEARCH_ROWS = 20;

const MAX_TITLE = 120;
const TIME_LIST = TIME_LIMITS.join(', ');

/** "Row 12: time limit 7 s is not one of 5, 10, 20, 30, 60, 90, 120, 240" */
export function rowErrorText(error: RowError): string {
	return error.row === null ? error.message : `Row ${error.row}: ${error.message}`;
}

/**
 * Reads a header row by the start of each cell, ignoring case: "question", "answer 1" to
 * "answer 6", "time limit", "correct", "points". Kahoot's long headers ("Answer 1 - max 75
 * characters") match as well as short ones. Null unless it names at least the question, the
 * first answer and the correct answers.
 */
export function findColumns(cells: readonly Cell[]): ColumnLayout | null {
	let question: number | null = null;
	let timeLimit: number | null = null;
	let correct: number | null = null;
	let points: number | null = null;
	const answers: (number | null)[] = [];
	cells.forEach((cell, index) => {
		const text = cellText(cell).toLowerCase().replace(/\s+/g, ' ');
		const answer = /^answer ?([1-9])(?!\d)/.exec(text);
		if (answer) {
			const n = Number(answer[1]);
			if (n <= MAX_OPTIONS && answers[n - 1] === undefined) answers[n - 1] = index;
		} else if (text.startsWith('question')) question ??= index;
		else if (text.startsWith('time limit')) timeLimit ??= index;
		else if (text.startsWith('correct')) correct ??= index;
		else if (text.startsWith('points')) points ??= index;
	});
	if (question === null || correct === null || answers[0] === undefined) return null;
	return {
		question,
		answers: Array.from(answers, (col) => col ?? null),
		timeLimit,
		correct,
		points
	};
}

/** The first header row among the first rows of a sheet, with its layout. */
export function findHeader(
	rows: readonly SheetRow[]
): { row: number; layout: ColumnLayout } | null {
	for (const { row, cells } of rows) {
		if (row > HEADER_SEARCH_ROWS) break;
		const layout = findColumns(cells);
		if (layout) return { row, layout };
	}
	return null;
}

/** True when every column the layout reads is blank (other columns, like a row number, may not be). */
export function isEmptyRow(cells: readonly Cell[], layout: ColumnLayout): boolean {
	const columns = [
		layout.question,
		...layout.answers,
		layout.timeLimit,
		layout.correct,
		layout.points
	];
	return columns.every((col) => col === null || cellText(cells[col]) === '');
}

/** One row as a question, or the row's problems. Call only for rows that are not empty. */
export function rowToQuestion(
	{ row, cells }: SheetRow,
	layout: ColumnLayout
): { question: Question } | { error: RowError } {
	const problems: string[] = [];
	const at = (col: number | null) => (col === null ? null : cells[col]);

	const text = cellText(at(layout.question));
	if (text === '') problems.push('question is empty');
	else if (text.length > MAX_QUESTION_TEXT)
		problems.push(`question is longer than ${MAX_QUESTION_TEXT} characters (${text.length})`);

	const answers = layout.answers.map((col) => cellText(at(col)));
	answers.forEach((answer, i) => {
		if (answer.length > MAX_OPTION_TEXT)
			problems.push(
				`answer ${i + 1} is longer than ${MAX_OPTION_TEXT} characters (${answer.length})`
			);
	});
	const filled = answers.flatMap((answer, i) => (answer === '' ? [] : [i]));
	if (filled.length < MIN_OPTIONS) problems.push(`needs at least ${MIN_OPTIONS} answers`);

	const timeLimit = readTimeLimit(at(layout.timeLimit), problems);
	const correctNumbers = readCorrect(at(layout.correct), answers, problems);
	const points = readPoints(at(layout.points), problems);

	if (problems.length > 0 || timeLimit === null || points === null)
		return { error: { row, message: problems.join('; ') } };

	// Answers with gaps (1 and 3 filled) close up; correct numbers follow their answers.
	const correct = [...new Set(correctNumbers.map((n) => filled.indexOf(n - 1)))].sort(
		(a, b) => a - b
	);
	const options = filled.map((i) => answers[i] ?? '');
	const parsed = v.safeParse(
		QuestionSchema,
		trueFalse(options, filled, correct, { text, timeLimit, points }) ?? {
			type: 'quiz',
			text,
			options,
			correct,
			timeLimit,
			points
		}
	);
	// Everything the schema checks was checked above; this only guards against the two drifting.
	if (!parsed.success) return { error: { row, message: parsed.issues[0].message } };
	return { question: parsed.output };
}

/**
 * Kahoot's true/false questions in its spreadsheet: answers 1 and 2 are "True" and "False" (any
 * case, either order), the others empty, and one of them is correct. Such a row becomes a
 * true-false question; anything else (both marked correct, a third answer) stays a quiz.
 */
function trueFalse(
	options: readonly string[],
	filled: readonly number[],
	correct: readonly number[],
	fields: { text: string; timeLimit: number; points: PointsLevel }
): {
	type: 'true-false';
	answer: boolean;
	text: string;
	timeLimit: number;
	points: PointsLevel;
} | null {
	const words = options.map((option) => option.toLowerCase());
	const firstTwo = filled.length === 2 && filled[0] === 0 && filled[1] === 1;
	const isPair = words.includes('true') && words.includes('false');
	if (!firstTwo || !isPair || correct.length !== 1) return null;
	return { type: 'true-false', answer: words[correct[0]!] === 'true', ...fields };
}

/**
 * Imports every good row of a sheet as a quiz and reports the bad ones. `rows` are the data rows
 * (below the header); empty ones are skipped silently. `brokenRows` are rows the file reader
 * could not read properly (row number → problem): they are reported, not imported.
 */
export function importRows(
	rows: readonly SheetRow[],
	layout: ColumnLayout,
	title: string,
	brokenRows: ReadonlyMap<number, string> = new Map()
): RowImportResult {
	const questions: Question[] = [];
	const errors: RowError[] = [];
	let tooMany = 0;
	for (const sheetRow of rows) {
		const broken = brokenRows.get(sheetRow.row);
		if (broken !== undefined) {
			errors.push({ row: sheetRow.row, message: broken });
			continue;
		}
		if (isEmptyRow(sheetRow.cells, layout)) continue;
		if (questions.length === MAX_QUESTIONS) {
			// One error for them all; each still counts as skipped.
			if (tooMany++ === 0) {
				errors.push({
					row: sheetRow.row,
					message: `a quiz holds ${MAX_QUESTIONS} questions at most: this row and those after it were left out`
				});
			}
			continue;
		}
		const result = rowToQuestion(sheetRow, layout);
		if ('error' in result) errors.push(result.error);
		else questions.push(result.question);
	}
	const skipped = errors.length + Math.max(0, tooMany - 1);
	const result: RowImportResult = { errors, imported: questions.length, skipped };
	if (questions.length === 0) {
		// With rows at fault, they say why (the page already says nothing was imported).
		if (errors.length === 0) {
			errors.push({ row: null, message: 'There are no questions under the header row' });
		}
		return result;
	}
	result.quiz = v.parse(QuizSchema, {
		id: newQuizId(),
		title: quizTitle(title),
		description: '',
		questions
	});
	return result;
}

/**
 * A quiz title from a title cell, a name a host typed or a file name. A file name loses its
 * folders and extension and its underscores become spaces: "Space_quiz.xlsx" → "Space quiz".
 * Cut to the title limit; empty → DEFAULT_QUIZ_TITLE.
 */
export function quizTitle(nameOrTitle: string): string {
	let title = nameOrTitle.trim();
	const fileName = /(?:^|[\\/])([^\\/]*)\.(xlsx|xlsm|xls|csv|tsv|txt)$/i.exec(title);
	if (fileName) title = (fileName[1] ?? '').replace(/_/g, ' ');
	title = title.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE).trim();
	return title || DEFAULT_QUIZ_TITLE;
}

/** A cell as trimmed text; numbers as written ("42"). */
export function cellText(cell: Cell): string {
	if (cell === null || cell === undefined) return '';
	return String(cell).trim();
}

function readTimeLimit(cell: Cell, problems: string[]): number | null {
	const text = cellText(cell);
	if (text === '') return DEFAULT_TIME_LIMIT;
	const match = /^(\d+(?:[.,]\d+)?)\s*(s|sec|secs|seconds?)?$/i.exec(text);
	if (!match) {
		problems.push(`time limit "${text}" is not a number of seconds`);
		return null;
	}
	const seconds = Number((match[1] ?? '').replace(',', '.'));
	if (!(TIME_LIMITS as readonly number[]).includes(seconds)) {
		problems.push(`time limit ${seconds} s is not one of ${TIME_LIST}`);
		return null;
	}
	return seconds;
}

/**
 * Answer numbers as typed: 2, "2", "1,3", "1, 3", "1;3", "1 3". A spreadsheet set to a language
 * with a decimal comma turns a typed "1,3" into the number 1.3; that is read as 1 and 3 too.
 */
function readCorrect(cell: Cell, answers: readonly string[], problems: string[]): number[] {
	const text = typeof cell === 'number' ? String(cell).replace('.', ',') : cellText(cell);
	if (text === '') {
		problems.push('correct answer is missing (give the answer number, like 1 or 1,3)');
		return [];
	}
	const numbers: number[] = [];
	const range = answers.length === 1 ? '1' : `1–${answers.length}`;
	for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
		if (!/^\d+$/.test(part)) {
			problems.push(`correct answer "${part}" is not an answer number`);
		} else if (Number(part) < 1 || Number(part) > answers.length) {
			problems.push(`correct answer ${Number(part)} is not one of the answers ${range}`);
		} else if (answers[Number(part) - 1] === '') {
			problems.push(`correct answer ${Number(part)} points at an empty answer`);
		} else {
			numbers.push(Number(part));
		}
	}
	return numbers;
}

const POINTS_WORDS: Record<string, PointsLevel> = {
	standard: 'standard',
	double: 'double',
	none: 'none',
	'1000': 'standard',
	'2000': 'double',
	'0': 'none'
};

function readPoints(cell: Cell, problems: string[]): PointsLevel | null {
	const text = cellText(cell).toLowerCase();
	if (text === '') return 'standard';
	const points = POINTS_WORDS[text];
	if (points) return points;
	problems.push(`points "${cellText(cell)}" is not one of standard, double, none`);
	return null;
}
