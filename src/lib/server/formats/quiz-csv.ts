/**
 * Quizzes as CSV, one question per row, in the spreadsheet's columns:
 *
 *     Question,Answer 1,…,Answer 6,Time limit (sec),Correct answer(s),Points
 *
 * Import reads the header by the same prefixes as the Kahoot importer (rows.ts), so a
 * Kahoot-like file with 4 answers and no Points column works; rows are numbered as a
 * spreadsheet shows them (header = row 1, a text with a line break is still one row). A UTF-8
 * byte order mark is ignored, and files saved by a spreadsheet set to a language with a decimal
 * comma (";" between cells) are read too.
 *
 * Like the Kahoot template, a row is a quiz question or a true/false one (answers "True" and
 * "False", imported back as true/false). Export writes those two types only: the others do not
 * fit these columns (a slider has a range, a type answer accepted texts, a puzzle an order), and
 * a Type column only some types could use would make a file no other tool reads; the Quizroom
 * JSON file carries every type. quizCsvExportNotes names what was left out.
 *
 * Export writes a byte order mark so Excel opens the file as UTF-8. Images and the description
 * are not part of a CSV. Texts are written exactly as they are: a question starting with "="
 * is the host's own content, and escaping it would change it on the way back in.
 */
import Papa from 'papaparse';
import { correctOptions, optionTexts } from '../../game/questions.ts';
import {
	MAX_OPTIONS,
	QUESTION_TYPE_NAMES,
	type Question,
	type QuestionOf,
	type Quiz
} from '../../protocol/quiz.ts';
import { findHeader, importRows, type RowImportResult, type SheetRow } from './rows.ts';
import {
	IMPORT_LIMITS,
	limitMessage,
	type ImportLimit,
	type ImportLimits
} from './import-limits.ts';

export const CSV_HEADER = [
	'Question',
	...Array.from({ length: MAX_OPTIONS }, (_, i) => `Answer ${i + 1}`),
	'Time limit (sec)',
	'Correct answer(s)',
	'Points'
];

const BOM = '\ufeff';
const UNCLOSED_QUOTE =
	'a quoted text is never closed (a " is missing), so the rest of the file was read as part of this row';

/** Quiz and true/false questions as rows; the other types are left out (see quizCsvExportNotes). */
export function exportQuizCsv(quiz: Quiz): string {
	const rows = quiz.questions.flatMap((question) => {
		if (!isSpreadsheetQuestion(question)) return [];
		const options = optionTexts(question);
		return [
			[
				question.text,
				...Array.from({ length: MAX_OPTIONS }, (_, i) => options[i] ?? ''),
				String(question.timeLimit),
				correctOptions(question)
					.map((i) => i + 1)
					.join(','),
				question.points
			]
		];
	});
	return BOM + Papa.unparse({ fields: CSV_HEADER, data: rows }, { newline: '\r\n' }) + '\r\n';
}

/** The questions a CSV export leaves out, in plain words for the host; empty when none. */
export function quizCsvExportNotes(quiz: Quiz): string[] {
	return quiz.questions.flatMap((question, index) =>
		isSpreadsheetQuestion(question)
			? []
			: [
					`Question ${index + 1} (${QUESTION_TYPE_NAMES[question.type].toLowerCase()}) was left out: a CSV file holds only quiz and true/false questions`
				]
	);
}

function isSpreadsheetQuestion(question: Question): question is QuestionOf<'quiz' | 'true-false'> {
	return question.type === 'quiz' || question.type === 'true-false';
}

/**
 * `title` is the quiz's title, or the uploaded file's name ("Capitals.csv" → "Capitals"). Rows
 * are read one at a time and checked against `limits` as they come: the first row, cell or text
 * past a limit refuses the file there, before the rest is read.
 */
export function importQuizCsv(
	text: string,
	title: string,
	limits: ImportLimits = IMPORT_LIMITS
): RowImportResult {
	const rows: SheetRow[] = [];
	// An unclosed quote swallows the rest of the file into one cell: say where it started.
	const brokenRows = new Map<number, string>();
	let cells = 0;
	let exceeded: ImportLimit | null = null as ImportLimit | null;
	Papa.parse<string[]>(text.startsWith(BOM) ? text.slice(BOM.length) : text, {
		delimitersToGuess: [',', ';', '\t'],
		skipEmptyLines: false,
		step: ({ data, errors }, parser) => {
			const row = rows.length + 1;
			const unclosed = errors.some((error) => error.code === 'MissingQuotes');
			cells += data.length;
			if (row > limits.rows) exceeded = 'rows';
			else if (cells > limits.cells) exceeded = 'cells';
			// The swallowed rest of a file is reported as the broken row it is, not as a long text.
			else if (!unclosed && data.some((cell) => cell.length > limits.textLength))
				exceeded = 'textLength';
			if (exceeded) return parser.abort();
			if (unclosed) brokenRows.set(row, UNCLOSED_QUOTE);
			rows.push({ row, cells: data });
		}
	});
	if (exceeded) {
		const message = limitMessage(exceeded, limits);
		return { errors: [{ row: null, message }], imported: 0, skipped: 0 };
	}
	const header = findHeader(rows);
	if (!header)
		return {
			errors: [
				{
					row: null,
					message: `No header row found: the first row must name the columns, like ${CSV_HEADER.slice(0, 3).join(', ')} … Correct answer(s)`
				}
			],
			imported: 0,
			skipped: 0
		};
	return importRows(
		rows.filter((r) => r.row > header.row),
		header.layout,
		title,
		brokenRows
	);
}
