import { error } from '@sveltejs/kit';
import { isAnswerable } from '$lib/game/questions';
import { buildReport } from '$lib/game/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const record = await locals.services.storage.getGame(params.id);
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
			// Info slides are shown, not played: "7 of 7 questions" for a game played through.
			questionCount: record.quiz.questions.filter(isAnswerable).length,
			playerCount: record.players.length
		},
		ranking: report.ranking,
		questions: report.questions,
		hardestFirst: report.hardestFirst
	};
};
