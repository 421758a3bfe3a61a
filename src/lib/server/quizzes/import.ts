/**
 * One entry point for the library's import button: the file is read off the game's event loop
 * by the import gate (import-gate.ts: a worker thread, checked against the import limits as it
 * is read), then its quiz and pictures are stored, and the host is told what was imported and
 * which rows were left out, in words a host understands.
 */
import { IMPORT_LIMITS, limitMessage } from '../formats/import-limits.ts';
import type { QuizFileRead } from '../formats/quiz-file.ts';
import type { Storage } from '../storage/storage.ts';
import { pictureQuotaRefusal } from './picture-quota.ts';

/** Imports are small text or spreadsheets; anything bigger is not a quiz. */
export const MAX_IMPORT_BYTES = IMPORT_LIMITS.fileBytes;

/** What reads a file: the process's ImportGate (services.imports). */
export interface QuizFileReader {
	read(bytes: Uint8Array, fileName: string): Promise<QuizFileRead>;
}

export interface ImportedQuiz {
	id: string;
	title: string;
	questionCount: number;
	skipped: number;
	rowErrors: string[];
}

export type ImportOutcome =
	{ ok: true; imported: ImportedQuiz } | { ok: false; message: string; rowErrors: string[] };

/**
 * Imports the file as a new quiz of `ownerId` (its pictures theirs too, within their
 * `pictureQuotaBytes`: picture-quota.ts).
 */
export async function importQuizFile(
	file: File,
	storage: Storage,
	ownerId: string,
	reader: QuizFileReader,
	pictureQuotaBytes: number
): Promise<ImportOutcome> {
	// Refused before a byte of it is read into memory.
	if (file.size > MAX_IMPORT_BYTES) {
		return { ok: false, message: limitMessage('fileBytes'), rowErrors: [] };
	}
	const read = await reader.read(new Uint8Array(await file.arrayBuffer()), file.name);
	if (!read.ok) return read;
	const refusal = await pictureQuotaRefusal(storage, ownerId, read.images, pictureQuotaBytes);
	if (refusal) return { ok: false, message: refusal, rowErrors: [] };
	for (const image of read.images) await storage.saveImage(image.bytes, image.type, ownerId);
	await storage.saveQuiz(read.quiz, Date.now(), ownerId);
	return {
		ok: true,
		imported: {
			id: read.quiz.id,
			title: read.quiz.title,
			questionCount: read.imported,
			skipped: read.skipped,
			rowErrors: read.rowErrors
		}
	};
}
