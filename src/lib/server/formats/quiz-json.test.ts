import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES, type Quiz } from '../../protocol/quiz.ts';
import { makeQuizOfEveryType } from '../../testing/quiz-fixtures.ts';
import type { StoredImage } from '../storage/storage.ts';
import { imageId, MAX_IMAGE_BYTES } from './image-type.ts';
import { exportQuizJson, importQuizJson, type QuizJsonImport } from './quiz-json.ts';
import { TINY_GIF, TINY_SVG, tinyPng } from '../../testing/test-images.ts';

const png = tinyPng([0, 128, 255, 255]);
const pngId = imageId(png, 'image/png');
const gifId = imageId(TINY_GIF, 'image/gif');

/** A storage with two images, looked up like storage.getImage. */
const stored = new Map<string, StoredImage>([
	[pngId, { id: pngId, type: 'image/png', bytes: png }],
	[gifId, { id: gifId, type: 'image/gif', bytes: TINY_GIF }]
]);
const getImage = (id: string) => stored.get(id) ?? null;

const quiz: Quiz = {
	version: 1,
	id: 'flags',
	title: 'Flags of the world',
	description: 'Colours and shapes',
	questions: [
		{
			type: 'quiz',
			text: 'Which flag is this?',
			options: ['France', 'Italy', 'Ireland'],
			correct: [1],
			timeLimit: 20,
			points: 'standard',
			image: pngId
		},
		{
			type: 'quiz',
			text: 'Which have a red stripe?',
			options: ['Austria', 'Germany', 'Sweden', 'Japan'],
			correct: [0, 1],
			timeLimit: 30,
			points: 'double'
		},
		{
			type: 'quiz',
			text: 'And this one?',
			options: ['Peru', 'Chile'],
			correct: [0],
			timeLimit: 10,
			points: 'none',
			image: pngId
		}
	]
};

function imported(result: QuizJsonImport) {
	if (!result.ok) throw new Error(`import refused: ${result.error}`);
	return result;
}

function refused(result: QuizJsonImport): string {
	if (result.ok) throw new Error('import accepted');
	return result.error;
}

/** An exported file, changed by `edit` before it is imported. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests tamper with the file freely
function edited(edit: (file: Record<string, any>) => void): string {
	const file = JSON.parse(exportQuizJson(quiz, getImage));
	edit(file);
	return JSON.stringify(file);
}

describe('exporting a quiz as a Quizroom file', () => {
	it('writes the envelope, the quiz without its id and each image once, in base64', () => {
		const text = exportQuizJson(quiz, getImage);
		expect(text).toContain('\n\t"format": "quizroom.quiz",\n');
		const file = JSON.parse(text);
		expect(file.format).toBe('quizroom.quiz');
		expect(file.version).toBe(1);
		expect(file.quiz).toEqual({
			title: quiz.title,
			description: quiz.description,
			questions: quiz.questions
		});
		expect(file.images).toEqual({
			[pngId]: { type: 'image/png', data: Buffer.from(png).toString('base64') }
		});
	});

	it('drops a reference to an image the storage does not have', () => {
		const file = JSON.parse(exportQuizJson(quiz, () => null));
		expect(file.images).toEqual({});
		expect(file.quiz.questions[0]).not.toHaveProperty('image');
		expect(imported(importQuizJson(JSON.stringify(file))).quiz.questions[0]!.text).toBe(
			'Which flag is this?'
		);
	});
});

describe('a quiz’s language in its file', () => {
	it('is carried out and back in; a file without one imports without one', () => {
		const arabic: Quiz = { ...quiz, lang: 'ar-EG' };
		const file = JSON.parse(exportQuizJson(arabic, getImage));
		expect(file.quiz.lang).toBe('ar-EG');
		expect(imported(importQuizJson(JSON.stringify(file))).quiz.lang).toBe('ar-EG');
		expect(JSON.parse(exportQuizJson(quiz, getImage)).quiz).not.toHaveProperty('lang');
		expect(imported(importQuizJson(exportQuizJson(quiz, getImage))).quiz.lang).toBeUndefined();
	});

	it('refuses a language that is not a BCP 47 tag', () => {
		expect(refused(importQuizJson(edited((file) => (file.quiz.lang = 'Arabic, please'))))).toMatch(
			/language/i
		);
	});
});

describe('importing a Quizroom file', () => {
	it('round-trips: same title, description, questions, image ids and bytes; a new id', () => {
		const result = imported(importQuizJson(exportQuizJson(quiz, getImage)));
		const { id, ...rest } = result.quiz;
		expect(id).toMatch(/^[a-z0-9]{12}$/);
		expect(id).not.toBe(quiz.id);
		const { id: _originalId, ...original } = quiz;
		expect(rest).toEqual(original);
		expect(result.images).toEqual([{ id: pngId, type: 'image/png', bytes: png }]);
	});

	it('keeps an id the caller gives', () => {
		const result = imported(importQuizJson(exportQuizJson(quiz, getImage), { id: 'flags-2' }));
		expect(result.quiz.id).toBe('flags-2');
	});

	it('returns only the images the quiz uses, though it checks them all', () => {
		const text = edited((file) => {
			file.images[gifId] = { type: 'image/gif', data: Buffer.from(TINY_GIF).toString('base64') };
		});
		expect(imported(importQuizJson(text)).images.map((image) => image.id)).toEqual([pngId]);
	});

	it('ignores an id and a quiz version inside the quiz', () => {
		const text = edited((file) => {
			file.quiz.id = 'Not A Valid Id!';
			file.quiz.version = 1;
		});
		expect(imported(importQuizJson(text)).quiz.title).toBe(quiz.title);
	});

	it('refuses what is not a Quizroom file', () => {
		expect(refused(importQuizJson('not json'))).toBe(
			'This file is not a Quizroom quiz file: it is not valid JSON'
		);
		expect(refused(importQuizJson(JSON.stringify({ title: 'x', questions: [] })))).toBe(
			'This file is not a Quizroom quiz file: it has no "format": "quizroom.quiz"'
		);
		expect(refused(importQuizJson(edited((file) => (file.format = 'kahoot'))))).toBe(
			'This file is not a Quizroom quiz file: its format is "kahoot", not "quizroom.quiz"'
		);
	});

	it('refuses another version', () => {
		expect(refused(importQuizJson(edited((file) => (file.version = 2))))).toBe(
			'This quiz file is version 2; this Quizroom reads version 1. Update Quizroom to import it'
		);
		expect(refused(importQuizJson(edited((file) => delete file.version)))).toBe(
			'This quiz file has an unknown version null (expected 1)'
		);
	});

	it('refuses an invalid quiz, naming the field', () => {
		expect(
			refused(importQuizJson(edited((file) => (file.quiz.questions[1].options = ['Austria']))))
		).toBe(
			'The quiz in this file is invalid at questions.1.options (question 2): A question needs at least 2 answers'
		);
		expect(
			refused(importQuizJson(edited((file) => (file.quiz.questions[0].options[2] = ' '))))
		).toBe(
			'The quiz in this file is invalid at questions.0.options.2 (question 1, answer 3): Answer is empty'
		);
		expect(refused(importQuizJson(edited((file) => (file.quiz.questions[2].timeLimit = 7))))).toBe(
			'The quiz in this file is invalid at questions.2.timeLimit (question 3): Time limit must be one of 5, 10, 20, 30, 60, 90, 120, 240 s'
		);
		expect(refused(importQuizJson(edited((file) => delete file.quiz.title)))).toMatch(
			/^The quiz in this file is invalid at title: /
		);
	});

	it('refuses a quiz whose image is not in the file', () => {
		expect(refused(importQuizJson(edited((file) => (file.images = {}))))).toBe(
			`Question 1 uses image ${pngId}, which is not in the file`
		);
	});

	it('refuses an image whose bytes are not the declared type', () => {
		const jpegDeclared = edited((file) => (file.images[pngId].type = 'image/jpeg'));
		expect(refused(importQuizJson(jpegDeclared))).toBe(
			`Image "${pngId}" is declared as image/jpeg but is image/png`
		);
		const svg = edited(
			(file) => (file.images[pngId].data = Buffer.from(TINY_SVG).toString('base64'))
		);
		expect(refused(importQuizJson(svg))).toBe(
			`Image "${pngId}" is not a PNG, JPEG, GIF or WebP image`
		);
		const svgType = edited((file) => (file.images[pngId].type = 'image/svg+xml'));
		expect(refused(importQuizJson(svgType))).toBe(
			`Image "${pngId}" has type "image/svg+xml"; only PNG, JPEG, GIF and WebP images are accepted`
		);
	});

	it('refuses an image whose bytes do not hash to its id', () => {
		const otherPng = Buffer.from(tinyPng([1, 2, 3, 255])).toString('base64');
		expect(refused(importQuizJson(edited((file) => (file.images[pngId].data = otherPng))))).toBe(
			`Image "${pngId}" does not match its content (the file was changed or damaged)`
		);
	});

	it('refuses image data that is not base64', () => {
		expect(refused(importQuizJson(edited((file) => (file.images[pngId].data = '%%%'))))).toBe(
			`Image "${pngId}" is damaged: its data is not base64`
		);
	});

	it('refuses an image larger than 5 MB', () => {
		const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
		big.set(png);
		const bigId = imageId(big, 'image/png');
		const text = edited((file) => {
			file.images = { [bigId]: { type: 'image/png', data: Buffer.from(big).toString('base64') } };
			file.quiz.questions[0].image = bigId;
			delete file.quiz.questions[2].image;
		});
		expect(refused(importQuizJson(text))).toBe(`Image "${bigId}" is larger than 5 MB`);
	});

	it('refuses a damaged envelope with its path', () => {
		expect(refused(importQuizJson(edited((file) => (file.images[pngId] = 'png'))))).toMatch(
			new RegExp(`^This quiz file is damaged at images\\.${pngId.replace('.', '\\.')}: `)
		);
	});
});

describe('a quiz with every question type', () => {
	const every = makeQuizOfEveryType('every');
	// Pictures on a quiz question and on a slider, both in the file.
	const withImages: Quiz = {
		...every,
		questions: every.questions.map((question, index) =>
			index === 0 || index === 4 ? { ...question, image: pngId } : question
		)
	};

	it('round-trips exactly: every type, a slider with decimals, a puzzle in order', () => {
		const text = exportQuizJson(withImages, getImage);
		const result = imported(importQuizJson(text, { id: 'every' }));
		expect(result.quiz).toStrictEqual(withImages);
		expect(new Set(result.quiz.questions.map((q) => q.type))).toEqual(new Set(QUESTION_TYPES));
		expect(result.quiz.questions[4]).toMatchObject({
			type: 'slider',
			min: 0,
			max: 10,
			step: 0.1,
			answer: 4.8,
			tolerance: 0.5,
			unit: 'km'
		});
		expect(result.quiz.questions[5]).toMatchObject({
			type: 'puzzle',
			items: ['Mercury', 'Venus', 'Earth', 'Mars']
		});
		expect(result.images.map((image) => image.id)).toEqual([pngId]);
		// And once more: the exported file of the import is the same file.
		expect(exportQuizJson(result.quiz, getImage)).toBe(text);
	});

	it('reads a question without a type as a quiz question', () => {
		const text = JSON.stringify({
			format: 'quizroom.quiz',
			version: 1,
			quiz: {
				title: 'Old file',
				questions: [{ text: 'Q?', options: ['a', 'b'], correct: [1], timeLimit: 20 }]
			}
		});
		expect(imported(importQuizJson(text)).quiz.questions).toEqual([
			{
				type: 'quiz',
				text: 'Q?',
				options: ['a', 'b'],
				correct: [1],
				timeLimit: 20,
				points: 'standard'
			}
		]);
	});

	it('refuses a broken question of any type, naming the question and the item', () => {
		const broken = (edit: (questions: Record<string, unknown>[]) => void) => {
			const file = JSON.parse(exportQuizJson(every, getImage));
			edit(file.quiz.questions);
			return refused(importQuizJson(JSON.stringify(file)));
		};
		expect(broken((questions) => (questions[5]!.items = ['Mercury', ' ', 'Earth']))).toBe(
			'The quiz in this file is invalid at questions.5.items.1 (question 6, item 2): Item is empty'
		);
		const poll = JSON.parse(exportQuizJson(every, getImage)).quiz.questions.findIndex(
			(question: { type: string }) => question.type === 'poll'
		);
		expect(broken((questions) => (questions[poll]!.options = ['Tea', '']))).toBe(
			`The quiz in this file is invalid at questions.${poll}.options.1 (question ${poll + 1}, option 2): Option is empty`
		);
		expect(broken((questions) => (questions[3]!.accepted = ['']))).toBe(
			'The quiz in this file is invalid at questions.3.accepted.0 (question 4, accepted answer 1): Accepted answer is empty'
		);
		expect(broken((questions) => (questions[4]!.answer = 4.85))).toMatch(
			/^The quiz in this file is invalid.*\(question 5\): The correct value must be on the slider/
		);
		expect(broken((questions) => (questions[1]!.type = 'essay'))).toMatch(
			/^The quiz in this file is invalid at questions\.1\.type \(question 2\): Question type must be one of/
		);
	});
});
