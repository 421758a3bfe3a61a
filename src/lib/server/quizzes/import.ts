/**
 * One entry point for the library's import button: picks the format by file name (and content
 * as a fallback), stores the quiz and its images, and reports what was imported and which rows
 * were left out, in words a host understands.
 */
import { importQuizCsv } from '../formats/quiz-csv.ts';
import { decodeText } from '../formats/text-encoding.ts';
import { importQuizJson } from '../formats/quiz-json.ts';
import { importKahootXlsx } from '../formats/kahoot-xlsx.ts';
import { rowErrorText, type RowImportResult } from '../formats/rows.ts';
import type { Storage } from '../storage/storage.ts';

/** Imports are small text or spreadsheets; anything bigger is not a quiz. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface ImportedQuiz {
	id: string;
	title: string;
	questionCount: number;
	skipped: number;
	rowErrors: string[];
}

export type ImportOutcome =
	{ ok: true; imported: ImportedQuiz } | { ok: false; message: string; rowErrors: string[] };

/** Imports the file as a new quiz of `ownerId` (its pictures theirs too). */
export async function importQuizFile(
	file: File,
	storage: Storage,
	ownerId: string
): Promise<ImportOutcome> {
	if (file.size > MAX_IMPORT_BYTES) {
		return {
			ok: false,
			message: 'That file is too big to be a quiz (20 MB at most)',
			rowErrors: []
		};
	}
	const name = file.name.toLowerCase();
	const bytes = new Uint8Array(await file.arrayBuffer());
	const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b; // .xlsx files are zip archives
	if (name.endsWith('.xlsx') || isZip) {
		return await store(await importKahootXlsx(bytes, file.name), storage, ownerId);
	}
	const text = decodeText(bytes);
	if (name.endsWith('.json') || text.trimStart().startsWith('{')) {
		const result = importQuizJson(text);
		if (!result.ok) return { ok: false, message: result.error, rowErrors: [] };
		for (const image of result.images) await storage.saveImage(image.bytes, image.type, ownerId);
		await storage.saveQuiz(result.quiz, Date.now(), ownerId);
		return {
			ok: true,
			imported: {
				id: result.quiz.id,
				title: result.quiz.title,
				questionCount: result.quiz.questions.length,
				skipped: 0,
				rowErrors: []
			}
		};
	}
	if (name.endsWith('.csv') || name.endsWith('.txt')) {
		return await store(importQuizCsv(text, file.name), storage, ownerId);
	}
	return {
		ok: false,
		message: 'Quizroom imports .json (Quizroom), .xlsx (Kahoot template) or .csv files',
		rowErrors: []
	};
}

async function store(
	result: RowImportResult,
	storage: Storage,
	ownerId: string
): Promise<ImportOutcome> {
	const rowErrors = result.errors.map(rowErrorText);
	if (!result.quiz) {
		return { ok: false, message: 'No question in this file could be imported', rowErrors };
	}
	await storage.saveQuiz(result.quiz, Date.now(), ownerId);
	return {
		ok: true,
		imported: {
			id: result.quiz.id,
			title: result.quiz.title,
			questionCount: result.imported,
			skipped: result.skipped,
			rowErrors
		}
	};
}
