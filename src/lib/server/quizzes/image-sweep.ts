/**
 * Pictures nothing uses any more are deleted: those of deleted quizzes, and those replaced or
 * removed in the editor. An image is kept while a quiz in the library or a game in progress here
 * names it, and for `IMAGE_KEEP_MS` after it was last uploaded or found in use: a draft the
 * editor keeps in a browser (never saved) and a game on another node of a cluster name images
 * this sweep cannot see, and a quiz deleted mid-game still has its game to finish.
 */
import { imageIdsOf, type Quiz } from '../../protocol/quiz.ts';
import type { Storage } from '../storage/storage.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const IMAGE_KEEP_MS = 30 * DAY_MS;
/** Often enough that an image in use is always stamped well within `IMAGE_KEEP_MS`. */
export const IMAGE_SWEEP_EVERY_MS = DAY_MS / 4;

/** Deletes the images unused for `keepMs`; returns how many. */
export async function sweepUnusedImages(
	storage: Storage,
	quizzesInPlay: Iterable<Quiz>,
	now: number,
	keepMs = IMAGE_KEEP_MS
): Promise<number> {
	const inUse = new Set<string>();
	const add = (quiz: Quiz) => imageIdsOf(quiz).forEach((id) => inUse.add(id));
	for (const quiz of quizzesInPlay) add(quiz);
	for (const { id } of await storage.listQuizzes()) {
		const stored = await storage.getQuiz(id);
		if (stored) add(stored.quiz);
	}
	return storage.sweepImages(inUse, now, keepMs);
}
