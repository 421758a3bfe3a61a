/**
 * The Storage contract, one suite run against all three implementations: whatever passes here
 * for memory behaves the same on SQLite and on Redis (a real redis-server, started for this
 * file), so tests elsewhere can use the fast one.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import * as v from 'valibot';
import { IMAGE_ID_PATTERN, QUESTION_TYPES, QuizSchema } from '../../protocol/quiz.ts';
import {
	choice,
	makeGame,
	makeGameOfEveryType,
	makeQuiz,
	makeQuizOfEveryType,
	PNG,
	quizQuestion
} from '../../testing/quiz-fixtures.ts';
import { startRedis, type RedisInstance } from '../../../../scripts/cluster/redis-server.ts';
import { storeForEachTest, storeHarnesses } from '../../testing/stores.ts';
import {
	byKind,
	exportAll,
	fillRecord,
	importAll,
	type Exported
} from '../../testing/record-fixtures.ts';
import { MemoryStorage } from './memory.ts';
import type { ImageType, Storage, StoredQuiz } from './storage.ts';

// ---------------------------------------------------------------------------------------------
// The three implementations

let redis: RedisInstance;
beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	await redis?.stop();
});

describe.each(
	storeHarnesses(
		() => redis.url,
		() => inject('postgresUrl')
	)
)('Storage contract: $name', ({ harness }) => {
	let storage: Storage;
	storeForEachTest(harness, (opened) => (storage = opened));

	describe('quizzes', () => {
		it('starts empty', async () => {
			expect(await storage.listQuizzes()).toEqual([]);
			expect(await storage.getQuiz('nope')).toBeNull();
		});

		it('saves a new quiz and gives it back as saved, stamped with now', async () => {
			const quiz = makeQuiz('capitals');
			const saved = await storage.saveQuiz(quiz, 1_000);
			const expected = {
				quiz,
				ownerId: null,
				createdAt: 1_000,
				updatedAt: 1_000,
				lastPlayedAt: null
			};
			expect(saved).toStrictEqual(expected);
			expect(await storage.getQuiz('capitals')).toStrictEqual(expected);
		});

		it('replaces a quiz whole, keeping createdAt and lastPlayedAt, moving updatedAt', async () => {
			await storage.saveQuiz(makeQuiz('capitals', 'Capitals', 3), 1_000);
			await storage.markQuizPlayed('capitals', 1_500);
			const edited = makeQuiz('capitals', 'European capitals', 1);
			const saved = await storage.saveQuiz(edited, 2_000);
			const expected = {
				quiz: edited,
				ownerId: null,
				createdAt: 1_000,
				updatedAt: 2_000,
				lastPlayedAt: 1_500
			};
			expect(saved).toStrictEqual(expected);
			expect(await storage.getQuiz('capitals')).toStrictEqual(expected);
			expect(await storage.listQuizzes()).toHaveLength(1);
		});

		it('hands out copies: changing what was saved or got does not change the store', async () => {
			const quiz = makeQuiz('capitals');
			const saved = await storage.saveQuiz(quiz, 1_000);
			quiz.title = 'changed after save';
			saved.quiz.questions[0]!.text = 'changed the returned value';
			const got = (await storage.getQuiz('capitals'))!;
			got.quiz.questions.pop();
			expect((await storage.getQuiz('capitals'))!.quiz).toStrictEqual(makeQuiz('capitals'));
		});

		it('lists newest edit first, with the fields a library needs', async () => {
			await storage.saveQuiz(makeQuiz('old', 'Old', 1), 1_000);
			await storage.saveQuiz(makeQuiz('new', 'New', 3), 3_000);
			await storage.saveQuiz(makeQuiz('mid', 'Mid', 2), 2_000);
			await storage.markQuizPlayed('mid', 2_500);
			expect(await storage.listQuizzes()).toStrictEqual([
				{
					id: 'new',
					title: 'New',
					description: 'About New',
					questionCount: 3,
					createdAt: 3_000,
					updatedAt: 3_000,
					lastPlayedAt: null,
					ownerId: null,
					access: 'owner'
				},
				{
					id: 'mid',
					title: 'Mid',
					description: 'About Mid',
					questionCount: 2,
					createdAt: 2_000,
					updatedAt: 2_000,
					lastPlayedAt: 2_500,
					ownerId: null,
					access: 'owner'
				},
				{
					id: 'old',
					title: 'Old',
					description: 'About Old',
					questionCount: 1,
					createdAt: 1_000,
					updatedAt: 1_000,
					lastPlayedAt: null,
					ownerId: null,
					access: 'owner'
				}
			]);
			// An edit moves a quiz to the top; equal times list by id.
			await storage.saveQuiz(makeQuiz('old', 'Old', 1), 4_000);
			await storage.saveQuiz(makeQuiz('b-tie'), 4_000);
			expect((await storage.listQuizzes()).map((item) => item.id)).toEqual([
				'b-tie',
				'old',
				'new',
				'mid'
			]);
		});

		it('searches titles, ignoring case and surrounding blanks', async () => {
			await storage.saveQuiz(makeQuiz('rivers', 'Rivers of Europe'), 1_000);
			await storage.saveQuiz(makeQuiz('ecoles', 'ÉCOLES de France'), 2_000);
			await storage.saveQuiz(makeQuiz('other', 'Other', 1), 3_000);
			const ids = async (search?: string) =>
				(await storage.listQuizzes({ search })).map((item) => item.id);
			expect(await ids('rIVERS')).toEqual(['rivers']);
			expect(await ids('  europe ')).toEqual(['rivers']);
			expect(await ids('écoles')).toEqual(['ecoles']);
			// NFD "é" (e + combining accent) finds the composed one.
			expect(await ids('e\u0301coles')).toEqual(['ecoles']);
			expect(await ids('o')).toEqual(['other', 'ecoles', 'rivers']);
			expect(await ids('About')).toEqual([]); // titles only, not descriptions
			expect(await ids('')).toEqual(['other', 'ecoles', 'rivers']);
			expect(await ids('   ')).toEqual(['other', 'ecoles', 'rivers']);
			expect(await ids(undefined)).toEqual(['other', 'ecoles', 'rivers']);
		});

		it('pages the list: each page starts after the last of the one before', async () => {
			// Ties on the edit time go by id, so a page boundary inside a tie loses nothing.
			for (const [id, at] of [
				['e', 5_000],
				['a', 4_000],
				['c', 4_000],
				['b', 4_000],
				['d', 3_000],
				['f', 1_000]
			] as const) {
				await storage.saveQuiz(makeQuiz(id, `Quiz ${id}`), at);
			}
			const all = (await storage.listQuizzes()).map((item) => item.id);
			expect(all).toEqual(['e', 'a', 'b', 'c', 'd', 'f']);
			const walked: string[][] = [];
			let after: { updatedAt: number; id: string } | undefined;
			for (;;) {
				const page = await storage.listQuizzes({ limit: 2, after });
				if (page.length === 0) break;
				walked.push(page.map((item) => item.id));
				const last = page.at(-1)!;
				after = { updatedAt: last.updatedAt, id: last.id };
			}
			expect(walked).toEqual([
				['e', 'a'],
				['b', 'c'],
				['d', 'f']
			]);
			// A quiz edited while someone pages moves to the top, and the next page neither
			// repeats nor skips the others; a cursor at a deleted quiz still knows its place.
			await storage.saveQuiz(makeQuiz('b', 'Quiz b'), 9_000);
			await storage.deleteQuiz('a');
			expect(
				(await storage.listQuizzes({ limit: 3, after: { updatedAt: 4_000, id: 'a' } })).map(
					(item) => item.id
				)
			).toEqual(['c', 'd', 'f']);
			// With a search, the page is of the matches.
			expect(
				(
					await storage.listQuizzes({
						search: 'quiz',
						limit: 1,
						after: { updatedAt: 9_000, id: 'b' }
					})
				).map((item) => item.id)
			).toEqual(['e']);
			expect(await storage.listQuizzes({ limit: 5, after: { updatedAt: 1_000, id: 'f' } })).toEqual(
				[]
			);
		});

		it('treats % and _ in a search as themselves, not wildcards', async () => {
			await storage.saveQuiz(makeQuiz('percent', '100% pop'), 1_000);
			await storage.saveQuiz(makeQuiz('snake', 'snake_case names'), 2_000);
			await storage.saveQuiz(makeQuiz('plain', 'Plain quiz'), 3_000);
			const ids = async (search: string) =>
				(await storage.listQuizzes({ search })).map((item) => item.id);
			expect(await ids('%')).toEqual(['percent']);
			expect(await ids('_')).toEqual(['snake']);
			expect(await ids('e_c')).toEqual(['snake']);
			expect(await ids('ke%c')).toEqual([]);
			expect(await ids('p%p')).toEqual([]);
			expect(await ids('\\')).toEqual([]);
		});

		it('deletes a quiz', async () => {
			await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			await storage.saveQuiz(makeQuiz('rivers'), 1_000);
			expect(await storage.deleteQuiz('capitals')).toBe(true);
			expect(await storage.deleteQuiz('capitals')).toBe(false);
			expect(await storage.getQuiz('capitals')).toBeNull();
			expect((await storage.listQuizzes()).map((item) => item.id)).toEqual(['rivers']);
		});

		it('marks a quiz played without counting it as an edit', async () => {
			await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			await storage.markQuizPlayed('capitals', 5_000);
			expect(await storage.getQuiz('capitals')).toMatchObject({
				createdAt: 1_000,
				updatedAt: 1_000,
				lastPlayedAt: 5_000
			});
			expect((await storage.listQuizzes())[0]!.lastPlayedAt).toBe(5_000);
			await expect(storage.markQuizPlayed('unknown', 5_000)).resolves.toBeUndefined();
			expect(await storage.getQuiz('unknown')).toBeNull();
		});

		it('gives back a question of every type exactly as saved', async () => {
			const quiz = makeQuizOfEveryType('every-type');
			expect(new Set(quiz.questions.map((q) => q.type))).toEqual(new Set(QUESTION_TYPES));
			await storage.saveQuiz(quiz, 1_000);
			expect(await storage.getQuiz('every-type')).toStrictEqual({
				quiz: makeQuizOfEveryType('every-type'),
				ownerId: null,
				createdAt: 1_000,
				updatedAt: 1_000,
				lastPlayedAt: null
			});
			// What comes back is still a valid quiz, slider decimals and all.
			const back = (await storage.getQuiz('every-type'))!.quiz;
			expect(v.parse(QuizSchema, back)).toStrictEqual(back);
			expect(back.questions[4]).toMatchObject({ type: 'slider', step: 0.1, answer: 4.8 });
			expect((await storage.listQuizzes())[0]).toMatchObject({ questionCount: 8 });
		});

		it('two saves in the same millisecond get different stamps, so a version still tells them apart', async () => {
			const first = await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			const second = await storage.saveQuiz(makeQuiz('capitals', 'Again'), 1_000, null, {
				expectedUpdatedAt: first.updatedAt
			});
			expect(second.updatedAt).toBe(1_001);
			await expect(
				storage.saveQuiz(makeQuiz('capitals', 'Late'), 1_000, null, {
					expectedUpdatedAt: first.updatedAt
				})
			).rejects.toMatchObject({ code: 'changed-elsewhere' });
			// A clock that went back a little never makes a stamp go backwards.
			expect((await storage.saveQuiz(makeQuiz('capitals'), 900)).updatedAt).toBe(1_002);
			expect((await storage.listQuizzes())[0]!.updatedAt).toBe(1_002);
		});

		it('refuses a save made against an older version, keeping the newer one (no lost update)', async () => {
			await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			const mine = await storage.saveQuiz(makeQuiz('capitals', 'Mine'), 2_000, null, {
				expectedUpdatedAt: 1_000
			});
			expect(mine.updatedAt).toBe(2_000);
			// Another editor opened it at 1 000 too, and saves after: refused, nothing changed.
			await expect(
				storage.saveQuiz(makeQuiz('capitals', 'Theirs'), 3_000, null, { expectedUpdatedAt: 1_000 })
			).rejects.toMatchObject({ name: 'QuizChangedError', code: 'changed-elsewhere' });
			expect((await storage.getQuiz('capitals'))!.quiz.title).toBe('Mine');
			// Without a version (an import, the API without one) the save replaces what is there.
			await storage.saveQuiz(makeQuiz('capitals', 'Forced'), 4_000);
			expect((await storage.getQuiz('capitals'))!.quiz.title).toBe('Forced');
			// A quiz deleted while its editor was open comes back rather than losing the work.
			await storage.deleteQuiz('capitals');
			await storage.saveQuiz(makeQuiz('capitals', 'Back'), 5_000, null, {
				expectedUpdatedAt: 4_000
			});
			expect((await storage.getQuiz('capitals'))!.quiz.title).toBe('Back');
		});

		it('lets one of two saves against the same version through, whichever comes first', async () => {
			await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			const saves = await Promise.allSettled(
				['One', 'Two'].map((title, i) =>
					storage.saveQuiz(makeQuiz('capitals', title), 2_000 + i, null, {
						expectedUpdatedAt: 1_000
					})
				)
			);
			expect(saves.filter((save) => save.status === 'fulfilled')).toHaveLength(1);
			const refused = saves.find((save) => save.status === 'rejected') as PromiseRejectedResult;
			expect(refused.reason).toMatchObject({ name: 'QuizChangedError' });
			const winner = (
				saves.find((save) => save.status === 'fulfilled') as PromiseFulfilledResult<StoredQuiz>
			).value;
			expect(await storage.getQuiz('capitals')).toStrictEqual(winner);
		});

		it('refuses a quiz it could not give back as it was, and keeps the old one', async () => {
			await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			const broken = makeQuiz('capitals', 'Broken');
			quizQuestion(broken.questions[0]).timeLimit = NaN as 20;
			await expect(storage.saveQuiz(broken, 2_000)).rejects.toThrow(/cannot be stored/);
			expect((await storage.getQuiz('capitals'))!.quiz).toStrictEqual(makeQuiz('capitals'));
			const fresh = makeQuiz('fresh');
			(quizQuestion(fresh.questions[0]).options as unknown[]).push(undefined);
			await expect(storage.saveQuiz(fresh, 2_000)).rejects.toThrow(/cannot be stored/);
			expect(await storage.getQuiz('fresh')).toBeNull();
		});
	});

	describe('sample quizzes', () => {
		const samples = [makeQuiz('sample-a'), makeQuiz('sample-b')];

		it('inserts them once, and never again, even after they were deleted', async () => {
			expect(await storage.seedSamples(samples, 1_000)).toBe(2);
			expect(await storage.getQuiz('sample-a')).toStrictEqual({
				quiz: samples[0],
				ownerId: null,
				createdAt: 1_000,
				updatedAt: 1_000,
				lastPlayedAt: null
			});
			expect(await storage.seedSamples(samples, 2_000)).toBe(0);
			expect((await storage.getQuiz('sample-a'))!.updatedAt).toBe(1_000);
			await storage.deleteQuiz('sample-a');
			await storage.deleteQuiz('sample-b');
			expect(await storage.seedSamples(samples, 3_000)).toBe(0);
			expect(await storage.listQuizzes()).toEqual([]);
		});

		it('does not overwrite a quiz the host already has under a sample id', async () => {
			const own = makeQuiz('sample-a', 'Mine now', 1);
			await storage.saveQuiz(own, 500);
			expect(await storage.seedSamples(samples, 1_000)).toBe(1);
			expect(await storage.getQuiz('sample-a')).toStrictEqual({
				quiz: own,
				ownerId: null,
				createdAt: 500,
				updatedAt: 500,
				lastPlayedAt: null
			});
			expect(await storage.getQuiz('sample-b')).not.toBeNull();
		});

		it('counts an empty seeding as the one time', async () => {
			expect(await storage.seedSamples([], 1_000)).toBe(0);
			expect(await storage.seedSamples(samples, 2_000)).toBe(0);
			expect(await storage.listQuizzes()).toEqual([]);
		});
	});

	describe('images', () => {
		it('stores bytes under their sha256 and type, and gives them back', async () => {
			const id = await storage.saveImage(PNG, 'image/png');
			expect(id).toBe(`${createHash('sha256').update(PNG).digest('hex')}.png`);
			expect(id).toMatch(IMAGE_ID_PATTERN);
			const image = (await storage.getImage(id))!;
			expect(image.id).toBe(id);
			expect(image.type).toBe('image/png');
			expect([...image.bytes]).toEqual([...PNG]);
			// Exactly these bytes, also through .buffer (no neighbours from a shared pool).
			expect(image.bytes.buffer.byteLength).toBe(PNG.byteLength);
		});

		it("weighs each host's pictures once each, for the quota", async () => {
			const big = new Uint8Array(3_000).fill(7);
			expect(await storage.imageBytesOf('ana')).toBe(0);
			await storage.saveImage(PNG, 'image/png', 'ana');
			await storage.saveImage(PNG, 'image/png', 'ana'); // the same picture again: once
			await storage.saveImage(big, 'image/png', 'ana');
			await storage.saveImage(big, 'image/png', 'ben'); // two hosts: it counts for both
			await storage.saveImage(new Uint8Array(10), 'image/png'); // nobody's
			expect(await storage.imageBytesOf('ana')).toBe(PNG.byteLength + 3_000);
			expect(await storage.imageBytesOf('ben')).toBe(3_000);
			// Swept when unused, they weigh nothing any more.
			await storage.sweepImages(new Set(), Date.now() + 60_000, 0);
			expect(await storage.imageBytesOf('ana')).toBe(0);
		});

		it('is idempotent: the same bytes get the same id, and stay readable', async () => {
			const first = await storage.saveImage(PNG, 'image/png');
			const second = await storage.saveImage(new Uint8Array(PNG), 'image/png');
			expect(second).toBe(first);
			expect([...(await storage.getImage(first))!.bytes]).toEqual([...PNG]);
		});

		it.each([
			['image/png', 'png'],
			['image/jpeg', 'jpg'],
			['image/gif', 'gif'],
			['image/webp', 'webp']
		] as [ImageType, string][])(
			'names a %s image .%s and remembers its type',
			async (type, ext) => {
				const id = await storage.saveImage(PNG, type);
				expect(id.endsWith(`.${ext}`)).toBe(true);
				expect((await storage.getImage(id))!.type).toBe(type);
			}
		);

		it('keeps the stored bytes apart from the caller’s', async () => {
			const bytes = new Uint8Array(PNG);
			const id = await storage.saveImage(bytes, 'image/png');
			bytes[0] = 0;
			(await storage.getImage(id))!.bytes[1] = 0;
			expect([...(await storage.getImage(id))!.bytes]).toEqual([...PNG]);
		});

		it('knows which images it has', async () => {
			const id = await storage.saveImage(PNG, 'image/png');
			expect(await storage.hasImage(id)).toBe(true);
			expect(await storage.hasImage(`${'0'.repeat(64)}.png`)).toBe(false);
			expect(await storage.hasImage('../quizroom.db')).toBe(false);
		});

		it('deletes images unused for the time given, and keeps those in use', async () => {
			const DAY = 24 * 60 * 60 * 1000;
			const used = await storage.saveImage(PNG, 'image/png');
			const unused = await storage.saveImage(PNG, 'image/gif');
			const inUse = new Set([used]);
			const start = Date.now();
			// Uploaded just now: both are kept for the time given.
			expect(await storage.sweepImages(new Set(), start + 29 * DAY, 30 * DAY)).toBe(0);
			expect(await storage.sweepImages(inUse, start + 31 * DAY, 30 * DAY)).toBe(1);
			expect(await storage.hasImage(unused)).toBe(false);
			expect(await storage.getImage(unused)).toBeNull();
			expect(await storage.hasImage(used)).toBe(true);
			// The sweep stamped the one in use: it counts from there once nothing uses it.
			expect(await storage.sweepImages(new Set(), start + 60 * DAY, 30 * DAY)).toBe(0);
			expect(await storage.sweepImages(new Set(), start + 62 * DAY, 30 * DAY)).toBe(1);
			expect(await storage.hasImage(used)).toBe(false);
			// A deleted picture uploaded again is there again, for the full time.
			await storage.saveImage(PNG, 'image/png');
			expect(await storage.sweepImages(new Set(), Date.now() + 29 * DAY, 30 * DAY)).toBe(0);
			expect([...(await storage.getImage(used))!.bytes]).toEqual([...PNG]);
		});

		it('answers null for an unknown or malformed id', async () => {
			await storage.saveImage(PNG, 'image/png');
			expect(await storage.getImage(`${'0'.repeat(64)}.png`)).toBeNull();
			expect(await storage.getImage('../quizroom.db')).toBeNull();
			expect(await storage.getImage('')).toBeNull();
			expect(
				await storage.getImage(`${createHash('sha256').update(PNG).digest('hex')}.bmp`)
			).toBeNull();
		});
	});

	describe('games', () => {
		it('keeps exactly one report when two saves of one game come at once (two nodes after a takeover)', async () => {
			const first = makeGame('g1');
			const second = makeGame('g1');
			second.finished = false;
			second.rounds = second.rounds.slice(0, 1);
			await Promise.all([storage.saveGame(first), storage.saveGame(second)]);
			const kept = await storage.getGame('g1');
			// Whole, and one of the two: never a mix of both.
			expect([first, second]).toContainEqual(kept);
			expect((await storage.listGames()).map((game) => game.id)).toEqual(['g1']);
		});

		it('starts empty', async () => {
			expect(await storage.listGames()).toEqual([]);
			expect(await storage.getGame('nope')).toBeNull();
			expect(await storage.deleteGame('nope')).toBe(false);
		});

		it('gives a game back exactly as it was saved', async () => {
			const record = makeGame('g1');
			await storage.saveGame(record);
			expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
		});

		it('gives back an answer of every kind exactly as saved', async () => {
			await storage.saveGame(makeGameOfEveryType('g1'));
			const got = (await storage.getGame('g1'))!;
			expect(got).toStrictEqual(makeGameOfEveryType('g1'));
			expect(got.rounds.map((round) => round.answers[0]!.answer.kind)).toEqual([
				'choice',
				'choice',
				'choices',
				'text',
				'number',
				'order',
				'choice'
			]);
		});

		it('counts the questions a game plays as rounds: info slides are not', async () => {
			await storage.saveGame(makeGameOfEveryType('g1'));
			expect((await storage.listGames())[0]).toMatchObject({
				questionsPlayed: 7,
				questionCount: 7
			});
		});

		it('refuses an answer it could not give back as it was', async () => {
			await storage.saveGame(makeGame('g1'));
			const broken = makeGame('g1');
			broken.rounds[0]!.answers[0]!.answer = { kind: 'number', value: Number.NaN };
			await expect(storage.saveGame(broken)).rejects.toThrow(/cannot be stored as JSON/);
			expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
		});

		it('hands out copies of games too', async () => {
			const record = makeGame('g1');
			await storage.saveGame(record);
			record.players.pop();
			record.rounds[0]!.answers[0]!.points = 0;
			record.quiz.title = 'changed';
			const got = (await storage.getGame('g1'))!;
			got.rounds.pop();
			expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
		});

		it('replaces a game saved again under the same id, leaving no old answers', async () => {
			await storage.saveGame(makeGame('g1'));
			const resumed = makeGame('g1');
			resumed.players = resumed.players.slice(0, 2);
			resumed.rounds = [
				{
					questionIndex: 0,
					openedAt: 1_004_000,
					answers: [
						{ playerId: 'p-ada', answer: choice(1), elapsedMs: 900, correct: false, points: 0 }
					]
				}
			];
			resumed.finished = false;
			await storage.saveGame(resumed);
			expect(await storage.getGame('g1')).toStrictEqual(resumed);
			expect(await storage.listGames()).toHaveLength(1);
			expect((await storage.listGames())[0]).toMatchObject({
				playerCount: 2,
				questionsPlayed: 1,
				finished: false
			});
		});

		it('refuses a record with a duplicate answer, keeping the earlier save whole', async () => {
			await storage.saveGame(makeGame('g1'));
			const broken = makeGame('g1');
			broken.pin = '999999';
			// Same player answering the same question twice: the save fails part-way.
			broken.rounds[0]!.answers.push({ ...broken.rounds[0]!.answers[0]! });
			await expect(storage.saveGame(broken)).rejects.toThrow();
			expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
			expect(await storage.listGames()).toEqual([expect.objectContaining({ pin: '482913' })]);
		});

		it('refuses duplicate players and rounds too', async () => {
			const twoAdas = makeGame('g1');
			twoAdas.players.push({ ...twoAdas.players[0]! });
			await expect(storage.saveGame(twoAdas)).rejects.toThrow();
			const roundTwice = makeGame('g2');
			roundTwice.rounds.push({ ...roundTwice.rounds[1]! });
			await expect(storage.saveGame(roundTwice)).rejects.toThrow();
			expect(await storage.listGames()).toEqual([]);
		});

		it('lists games newest first, with their summaries', async () => {
			await storage.saveGame(makeGame('g-old', 1_000_000));
			const abandoned = makeGame('g-new', 3_000_000, makeQuiz('rivers', 'Rivers', 5));
			abandoned.finished = false;
			abandoned.players = [
				{ id: 'p-zed', nickname: 'Zed', joinOrder: 0, score: 0, rank: null, firstQuestion: 0 }
			];
			abandoned.rounds = [];
			await storage.saveGame(abandoned);
			await storage.saveGame(makeGame('g-mid', 2_000_000));
			expect(await storage.listGames()).toStrictEqual([
				{
					id: 'g-new',
					pin: '482913',
					quizId: 'rivers',
					quizTitle: 'Rivers',
					startedAt: 3_000_000,
					endedAt: 3_095_000,
					finished: false,
					playerCount: 1,
					questionsPlayed: 0,
					questionCount: 5,
					winner: null,
					hostId: null
				},
				{
					id: 'g-mid',
					pin: '482913',
					quizId: 'capitals',
					quizTitle: 'Quiz capitals',
					startedAt: 2_000_000,
					endedAt: 2_095_000,
					finished: true,
					playerCount: 3,
					questionsPlayed: 2,
					questionCount: 2,
					winner: 'Bob',
					hostId: null
				},
				expect.objectContaining({ id: 'g-old', winner: 'Bob' })
			]);
		});

		it('lists games that started at the same time by id', async () => {
			await storage.saveGame(makeGame('g-b', 1_000));
			await storage.saveGame(makeGame('g-a', 1_000));
			expect((await storage.listGames()).map((game) => game.id)).toEqual(['g-a', 'g-b']);
		});

		it('deletes a game and only that game', async () => {
			await storage.saveGame(makeGame('g1', 1_000));
			await storage.saveGame(makeGame('g2', 2_000));
			expect(await storage.deleteGame('g1')).toBe(true);
			expect(await storage.deleteGame('g1')).toBe(false);
			expect(await storage.getGame('g1')).toBeNull();
			expect(await storage.getGame('g2')).toStrictEqual(makeGame('g2', 2_000));
			expect((await storage.listGames()).map((game) => game.id)).toEqual(['g2']);
			// Saving it again after the delete starts from nothing.
			await storage.saveGame(makeGame('g1', 1_000));
			expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1', 1_000));
		});

		it('keeps a game report when its quiz is deleted or edited', async () => {
			await storage.saveQuiz(makeQuiz('capitals'), 1_000);
			await storage.saveGame(makeGame('g1'));
			await storage.saveQuiz(makeQuiz('capitals', 'Edited', 1), 2_000);
			expect((await storage.getGame('g1'))!.quiz).toStrictEqual(makeQuiz('capitals'));
			await storage.deleteQuiz('capitals');
			expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1'));
			expect((await storage.listGames())[0]!.quizTitle).toBe('Quiz capitals');
		});
	});
});

// ---------------------------------------------------------------------------------------------
// The record as rows (npm run migrate): what one store exports, another takes in as it is

describe.each(
	storeHarnesses(
		() => redis.url,
		() => inject('postgresUrl')
	)
)('Record export and import: $name', ({ harness }) => {
	let storage: Storage;
	storeForEachTest(harness, (opened) => (storage = opened));
	const others: { setup: ReturnType<typeof harness>; storage: Storage }[] = [];
	afterEach(async () => {
		for (const other of others.splice(0)) {
			await other.storage.close();
			await other.setup.cleanup();
		}
	});
	/** A second empty store of the same kind. */
	async function another(): Promise<Storage> {
		const setup = harness();
		const opened = await setup.open();
		others.push({ setup, storage: opened });
		return opened;
	}

	it('exports nothing from an empty store', async () => {
		expect(await exportAll(storage)).toEqual([]);
	});

	it('exports every row as stored: owners, times, shares in order, bytes, reports', async () => {
		await fillRecord(storage);
		const rows = byKind(await exportAll(storage));
		expect(rows.meta).toStrictEqual([{ key: 'samples-seeded', value: '500' }]);
		expect(rows.quizzes!.map((row) => row.quiz.id).sort()).toEqual([
			'capitals',
			'every-type',
			'world-geography'
		]);
		const capitals = rows.quizzes!.find((row) => row.quiz.id === 'capitals');
		expect(capitals).toStrictEqual({
			...(await storage.getQuiz('capitals')),
			shares: [
				{ grantee: 'acc-lee', level: 'edit' },
				{ grantee: '*', level: 'use' }
			]
		});
		expect(capitals).toMatchObject({
			ownerId: 'acc-ortiz',
			createdAt: 1_000,
			updatedAt: 1_500,
			lastPlayedAt: 1_700
		});
		const png = rows.images!.find((image) => image.type === 'image/png')!;
		expect(png).toStrictEqual({
			id: `${createHash('sha256').update(PNG).digest('hex')}.png`,
			type: 'image/png',
			bytes: PNG,
			usedAt: expect.any(Number),
			owners: ['acc-lee', 'acc-ortiz']
		});
		expect(Math.abs(png.usedAt - Date.now())).toBeLessThan(60_000);
		expect(rows.images!.find((image) => image.type === 'image/jpeg')!.owners).toEqual([]);
		expect(rows.reports!.map((report) => report.id).sort()).toEqual(['g-capitals', 'g-every']);
		for (const report of rows.reports!) {
			expect(report).toStrictEqual(await storage.getGame(report.id));
		}
	});

	it('exports what the memory store exports for the same calls', async () => {
		const memory = new MemoryStorage();
		await fillRecord(memory);
		await fillRecord(storage);
		// The pictures' clocks are each store's own "now".
		const clockless = (exported: Exported) => ({
			...exported,
			images: exported.images!.map((image) => ({ ...image, usedAt: 0 }))
		});
		expect(clockless(byKind(await exportAll(storage)))).toStrictEqual(
			clockless(byKind(await exportAll(memory)))
		);
	});

	it('takes in what it exported: a store of the same kind ends up exporting the same', async () => {
		await fillRecord(storage);
		const exported = await exportAll(storage);
		const copy = await another();
		await importAll(copy, exported);
		expect(byKind(await exportAll(copy))).toStrictEqual(byKind(exported));
		// And it behaves as the original: lists, access, pictures, reports, sign-in.
		const lee = { accountId: 'acc-lee', everything: false };
		expect(await copy.listQuizzes({ viewer: lee })).toStrictEqual(
			await storage.listQuizzes({ viewer: lee })
		);
		expect(await copy.listGames()).toStrictEqual(await storage.listGames());
		expect(await copy.ownedCounts('acc-ortiz')).toStrictEqual(
			await storage.ownedCounts('acc-ortiz')
		);
		const image = `${createHash('sha256').update(PNG).digest('hex')}.png`;
		expect([...(await copy.getImage(image))!.bytes]).toEqual([...PNG]);
		expect((await copy.accounts.findAccountByName('MS ORTIZ'))!.id).toBe('acc-ortiz');
		expect(await copy.seedSamples([makeQuiz('new-sample')], 9_000)).toBe(0);
	});

	it('replaces a row already there whole, and adds the rest', async () => {
		await storage.saveQuiz(makeQuiz('capitals', 'Old title', 1), 1_000);
		await storage.shareQuiz('capitals', 'someone', 'edit');
		await storage.saveGame(makeGame('g1', 1_000));
		await storage.importRecord({
			kind: 'quizzes',
			rows: [
				{
					quiz: makeQuiz('capitals', 'New title', 2),
					ownerId: null,
					createdAt: 5,
					updatedAt: 6,
					lastPlayedAt: 7,
					shares: [{ grantee: '*', level: 'use' }]
				},
				{
					quiz: makeQuiz('rivers'),
					ownerId: null,
					createdAt: 8,
					updatedAt: 9,
					lastPlayedAt: null,
					shares: []
				}
			]
		});
		await storage.importRecord({ kind: 'reports', rows: [makeGame('g1', 2_000)] });
		expect(await storage.getQuiz('capitals')).toStrictEqual({
			quiz: makeQuiz('capitals', 'New title', 2),
			ownerId: null,
			createdAt: 5,
			updatedAt: 6,
			lastPlayedAt: 7
		});
		expect(await storage.quizShares('capitals')).toEqual([{ grantee: '*', level: 'use' }]);
		expect((await storage.listQuizzes()).map((item) => item.id)).toEqual(['rivers', 'capitals']);
		expect(await storage.getGame('g1')).toStrictEqual(makeGame('g1', 2_000));
		expect(await storage.listGames()).toHaveLength(1);
	});

	it('takes a batch in whole or not at all', async () => {
		const broken = makeGame('g-broken');
		broken.players.push({ ...broken.players[0]! });
		await expect(
			storage.importRecord({ kind: 'reports', rows: [makeGame('g-fine'), broken] })
		).rejects.toThrow();
		expect(await storage.listGames()).toEqual([]);
	});

	it('exports a record bigger than one batch, each row once', async () => {
		const rows = Array.from({ length: 1_203 }, (_, i) => ({
			quiz: makeQuiz(`q${String(i).padStart(4, '0')}`, `Quiz ${i}`, 1),
			ownerId: null,
			createdAt: i,
			updatedAt: i,
			lastPlayedAt: null,
			shares: []
		}));
		await storage.importRecord({ kind: 'quizzes', rows });
		await storage.importRecord({
			kind: 'reports',
			rows: Array.from({ length: 120 }, (_, i) => makeGame(`g${i}`, i))
		});
		const batches = await exportAll(storage);
		expect(batches.filter((batch) => batch.kind === 'quizzes').length).toBeGreaterThan(1);
		expect(batches.filter((batch) => batch.kind === 'reports').length).toBeGreaterThan(1);
		const exported = byKind(batches);
		expect(new Set(exported.quizzes!.map((row) => row.quiz.id)).size).toBe(1_203);
		expect(new Set(exported.reports!.map((row) => row.id)).size).toBe(120);
	});

	it('clears the whole record, accounts included, and works on after', async () => {
		await fillRecord(storage);
		await storage.clearRecord();
		expect(await exportAll(storage)).toEqual([]);
		expect(await storage.accounts.failures('name:ms ortiz')).toBeNull();
		expect(await storage.hasImage(`${createHash('sha256').update(PNG).digest('hex')}.png`)).toBe(
			false
		);
		await fillRecord(storage);
		expect(byKind(await exportAll(storage)).accounts).toHaveLength(2);
	});
});
