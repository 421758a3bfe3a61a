import { error } from '@sveltejs/kit';
import { reportFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import { questionCount } from '$lib/game/question-numbers';
import { buildReport } from '$lib/game/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const record = await reportFor(locals.services.storage, params.id, viewerOf(signedIn(locals)));
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
			// Counted as the game counted them: "7 of 7 questions" for a game played through.
			questionCount: questionCount(record.quiz.questions),
			playerCount: record.players.length
		},
		ranking: report.ranking,
		questions: report.questions,
		hardestFirst: report.hardestFirst
	};
};
