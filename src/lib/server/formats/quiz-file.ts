/**
 * An uploaded quiz file read whatever its format: picked by its name (and its first bytes as a
 * fallback), checked against the import limits before and while it is read, and turned into a
 * quiz with its pictures, or one refusal in the host's words. Nothing is stored here: this runs
 * in the import worker (quizzes/import-worker.ts), and the result crosses back as plain data.
 */
import type { Quiz } from '../../protocol/quiz.ts';
import type { StoredImage } from '../storage/storage.ts';
import { IMPORT_LIMITS, limitMessage, type ImportLimits } from './import-limits.ts';
import { importKahootXlsx } from './kahoot-xlsx.ts';
import { importQuizCsv } from './quiz-csv.ts';
import { importQuizJson } from './quiz-json.ts';
import { rowErrorText, type RowImportResult } from './rows.ts';
import { decodeText } from './text-encoding.ts';

export type QuizFileRead =
	| {
			ok: true;
			quiz: Quiz;
			/** The pictures the quiz uses, checked (Quizroom files only). */
			images: StoredImage[];
			/** Questions imported, and rows left out with why. */
			imported: number;
			skipped: number;
			rowErrors: string[];
	  }
	| { ok: false; message: string; rowErrors: string[] };

export const UNKNOWN_FORMAT =
	'Quizroom imports .json (Quizroom), .xlsx (Kahoot template) or .csv files';

export async function readQuizFile(
	bytes: Uint8Array,
	fileName: string,
	limits: ImportLimits = IMPORT_LIMITS
): Promise<QuizFileRead> {
	if (bytes.byteLength > limits.fileBytes) return refuse(limitMessage('fileBytes', limits));
	const name = fileName.toLowerCase();
	const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b; // .xlsx files are zip archives
	if (name.endsWith('.xlsx') || isZip) {
		return fromRows(await importKahootXlsx(bytes, fileName, limits));
	}
	const text = decodeText(bytes);
	if (name.endsWith('.json') || text.trimStart().startsWith('{')) {
		const result = importQuizJson(text, { limits });
		if (!result.ok) return refuse(result.error);
		const { quiz, images } = result;
		return { ok: true, quiz, images, imported: quiz.questions.length, skipped: 0, rowErrors: [] };
	}
	if (name.endsWith('.csv') || name.endsWith('.txt')) {
		return fromRows(importQuizCsv(text, fileName, limits));
	}
	return refuse(UNKNOWN_FORMAT);
}

function fromRows(result: RowImportResult): QuizFileRead {
	const rowErrors = result.errors.map(rowErrorText);
	if (!result.quiz) {
		// A file refused as a whole says so itself; bad rows alone are listed under this.
		const whole = result.errors.length === 1 && result.errors[0]!.row === null;
		return whole
			? refuse(result.errors[0]!.message)
			: { ok: false, message: 'No question in this file could be imported', rowErrors };
	}
	return {
		ok: true,
		quiz: result.quiz,
		images: [],
		imported: result.imported,
		skipped: result.skipped,
		rowErrors
	};
}

function refuse(message: string): QuizFileRead {
	return { ok: false, message, rowErrors: [] };
}
