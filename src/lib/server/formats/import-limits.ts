/**
 * How big an imported quiz file may be, checked before and while it is read: the file as
 * uploaded, what a workbook unpacks to (counted as it inflates, never taken from the zip's own
 * size fields), the workbook's parts, rows, cells, and the length of one text. A file past a
 * limit is refused as soon as the limit is crossed, with a message that names the limit.
 *
 * The values are far above any real quiz (500 questions of at most 200 characters, ~11 cells a
 * row) and far below what would hurt a small server.
 */
import { MAX_QUESTIONS } from '../../protocol/quiz.ts';

export interface ImportLimits {
	/** The file as uploaded (for a workbook, its compressed size). */
	fileBytes: number;
	/** What a workbook unpacks to, all its parts together. */
	unpackedBytes: number;
	/** Parts (zip entries) in a workbook. */
	zipEntries: number;
	/** Rows of a sheet or a CSV file, empty ones too. */
	rows: number;
	/** Cells of a sheet or a CSV file, empty ones too. */
	cells: number;
	/** Characters in one cell, or one text of a quiz file other than a picture. */
	textLength: number;
	/** How deeply a Quizroom quiz file nests. */
	jsonDepth: number;
	/** Values (texts, numbers, lists, objects) in a Quizroom quiz file. */
	jsonValues: number;
	/** Pictures embedded in a Quizroom quiz file. */
	pictures: number;
}

export const IMPORT_LIMITS: Readonly<ImportLimits> = {
	fileBytes: 20 * 1024 * 1024,
	unpackedBytes: 50 * 1024 * 1024,
	zipEntries: 500,
	rows: 5_000,
	cells: 50_000,
	textLength: 10_000,
	jsonDepth: 32,
	jsonValues: 100_000,
	pictures: MAX_QUESTIONS
};

export type ImportLimit = keyof ImportLimits;

/** The host's words for a file past `limit`. */
export function limitMessage(limit: ImportLimit, limits: ImportLimits = IMPORT_LIMITS): string {
	const at = limits[limit];
	switch (limit) {
		case 'fileBytes':
			return `That file is too big to be a quiz (${megabytes(at)} at most)`;
		case 'unpackedBytes':
			return `This workbook unpacks to more than ${megabytes(at)}: too big to be a quiz (a quiz spreadsheet unpacks to well under 1 MB)`;
		case 'zipEntries':
			return `This workbook is made of more than ${count(at)} parts: too many for a quiz spreadsheet`;
		case 'rows':
			return `This file has more than ${count(at)} rows: a quiz has ${count(MAX_QUESTIONS)} questions at most`;
		case 'cells':
			return `This file has more than ${count(at)} cells: a quiz has ${count(MAX_QUESTIONS)} questions at most`;
		case 'textLength':
			return `A cell or text in this file is longer than ${count(at)} characters: too long for a quiz`;
		case 'jsonDepth':
			return `This quiz file is nested more than ${count(at)} levels deep: a Quizroom quiz file never is`;
		case 'jsonValues':
			return `This quiz file holds more than ${count(at)} values: far more than a quiz of ${count(MAX_QUESTIONS)} questions`;
		case 'pictures':
			return `This quiz file carries more than ${count(at)} pictures: a quiz has one per question at most`;
	}
}

/** Thrown by the readers when a file crosses a limit; the importers turn it into their refusal. */
export class ImportLimitExceeded extends Error {
	constructor(
		readonly limit: ImportLimit,
		limits: ImportLimits = IMPORT_LIMITS
	) {
		super(limitMessage(limit, limits));
		this.name = 'ImportLimitExceeded';
	}
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

function count(n: number): string {
	return n.toLocaleString('en-US');
}
