import { error } from '@sveltejs/kit';
import { reportFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import { download, downloadName } from '$lib/server/web/download';
import { reportCsv, reportXlsx } from '$lib/server/formats/report-export';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals }) => {
	const record = await reportFor(locals.services.storage, params.id, viewerOf(signedIn(locals)));
	if (!record) error(404, 'No such report');
	const day = new Date(record.startedAt).toISOString().slice(0, 10);
	const name = (extension: string) => downloadName(record.quiz.title, ` ${day} report`, extension);
	switch (params.format) {
		case 'csv':
			return download(reportCsv(record), name('.csv'), 'text/csv; charset=utf-8');
		case 'xlsx':
			return download(
				await reportXlsx(record),
				name('.xlsx'),
				'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
			);
		default:
			error(404, 'Report formats: csv, xlsx');
	}
};
