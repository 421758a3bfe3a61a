/**
 * Which pictures the sweep keeps: those named by a quiz in the library or by a game in progress
 * (even when its quiz was deleted meanwhile), and any used within the time given.
 */
import { describe, expect, test } from 'vitest';
import type { Quiz } from '../../protocol/quiz.ts';
import { IMAGE_KEEP_MS, sweepUnusedImages } from './image-sweep.ts';
import { makeQuiz, PNG } from '../../testing/quiz-fixtures.ts';
import { MemoryStorage } from '../storage/memory.ts';

const LATER = Date.now() + IMAGE_KEEP_MS + 60_000;

function withImage(quiz: Quiz, image: string): Quiz {
	const [first, ...rest] = quiz.questions;
	return { ...quiz, questions: [{ ...first!, image }, ...rest] };
}

describe('sweeping unused pictures', () => {
	test('keeps the pictures of library quizzes and of games in progress, deletes the rest', async () => {
		const storage = new MemoryStorage();
		const [inLibrary, inGame, replaced] = await Promise.all(
			(['image/png', 'image/gif', 'image/webp'] as const).map((type) =>
				storage.saveImage(PNG, type)
			)
		);
		await storage.saveQuiz(withImage(makeQuiz('library'), inLibrary!), Date.now());
		// This game's quiz was deleted from the library while the game still runs.
		const playing = withImage(makeQuiz('deleted'), inGame!);

		expect(await sweepUnusedImages(storage, [playing], LATER)).toBe(1);
		expect(await storage.hasImage(inLibrary!)).toBe(true);
		expect(await storage.hasImage(inGame!)).toBe(true);
		expect(await storage.hasImage(replaced!)).toBe(false);
	});

	test('keeps every picture used within the time given, in a quiz or not', async () => {
		const storage = new MemoryStorage();
		const draft = await storage.saveImage(PNG, 'image/png');
		expect(await sweepUnusedImages(storage, [], Date.now())).toBe(0);
		expect(await storage.hasImage(draft)).toBe(true);
	});
});
