import { error } from '@sveltejs/kit';
import { quizFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import { exportKahootXlsx } from '$lib/server/formats/kahoot-xlsx';
import { exportQuizCsv } from '$lib/server/formats/quiz-csv';
import { exportQuizJson } from '$lib/server/formats/quiz-json';
import { download, downloadName } from '$lib/server/web/download';
import { imageIdsOf, type Quiz } from '$lib/protocol/quiz';
import type { Storage, StoredImage } from '$lib/server/storage';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals }) => {
	const { storage } = locals.services;
	const found = await quizFor(storage, params.id, viewerOf(signedIn(locals)), 'use');
	if (!found.ok) error(404, 'No such quiz');
	const { quiz } = found.stored;
	const name = (extension: string) => downloadName(quiz.title, '', extension);
	switch (params.format) {
		case 'json': {
			const images = await imagesOf(quiz, storage);
			return download(
				exportQuizJson(quiz, (id) => images.get(id) ?? null),
				name('.quizroom.json'),
				'application/json'
			);
		}
		case 'csv':
			return download(exportQuizCsv(quiz), name('.csv'), 'text/csv; charset=utf-8');
		case 'xlsx':
			return download(
				await exportKahootXlsx(quiz),
				name('.xlsx'),
				'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
			);
		default:
			error(404, 'Export formats: json, csv, xlsx');
	}
};

/** The quiz's pictures, read before the export is written (the store answers asynchronously). */
async function imagesOf(quiz: Quiz, storage: Storage): Promise<Map<string, StoredImage>> {
	const images = await Promise.all([...imageIdsOf(quiz)].map((id) => storage.getImage(id)));
	return new Map(images.flatMap((image) => (image ? [[image.id, image] as const] : [])));
}
