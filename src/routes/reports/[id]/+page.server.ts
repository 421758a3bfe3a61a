import { error } from '@sveltejs/kit';
import { buildReport } from '$lib/game/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const record = locals.services.storage.getGame(params.id);
	if (!record) error(404, 'No report for this game: it may have been deleted.');
	const report = buildReport(record);
	return {
		game: {
			id: record.id,
			pin: record.pin,
			quizTitle: record.quiz.title,
			startedAt: record.startedAt,
			endedAt: record.endedAt,
			finished: record.finished,
			questionCount: record.quiz.questions.length,
			playerCount: record.players.length
		},
		ranking: report.ranking,
		questions: report.questions,
		hardestFirst: report.hardestFirst
	};
};
