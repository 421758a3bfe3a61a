import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { QuestionOf, Quiz } from '../../protocol/quiz.ts';
import { makeQuizOfEveryType, quizQuestion } from '../../testing/quiz-fixtures.ts';
import {
	exportKahootXlsx,
	importKahootXlsx,
	KAHOOT_HEADER,
	kahootExportNotes
} from './kahoot-xlsx.ts';
import { rowErrorText } from './rows.ts';

type Row = ExcelJS.CellValue[];

/**
 * A workbook laid out like Kahoot's template: title and instruction rows, the header in row 8,
 * the row number in column A and questions from row 9 in B–H. Column A is pre-numbered down to
 * row 30, like the real template, so rows with only a number in them exist.
 */
async function kahootTemplate(dataRows: Row[], header: Row = [...KAHOOT_HEADER]): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Sheet1');
	sheet.getCell('B2').value = 'Quiz template';
	sheet.getCell('B3').value =
		'Add questions, at least two answer alternatives, time limit and choose correct answers (at least one). Have fun creating your awesome quiz!';
	sheet.getCell('B4').value =
		'Remember: questions have a limit of 120 characters and answers can have 75 characters max.';
	sheet.getCell('B6').value =
		"And remember, if you're not using Excel you need to export to .xlsx format";
	sheet.getRow(8).values = ['', ...header];
	for (let row = 9; row <= 30; row++) sheet.getCell(row, 1).value = row - 8;
	dataRows.forEach((cells, i) => {
		cells.forEach((value, col) => {
			if (value !== null && value !== undefined) sheet.getCell(9 + i, col + 2).value = value;
		});
	});
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A plain sheet: the given rows from row 1, column A. */
async function plainSheet(rows: Row[]): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Questions');
	rows.forEach((cells, i) => {
		cells.forEach((value, col) => {
			if (value !== null && value !== undefined) sheet.getCell(i + 1, col + 1).value = value;
		});
	});
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

const LONG_QUESTION = `Why ${'very '.repeat(49)}?`; // 250 characters

describe("importing Kahoot's quiz template", () => {
	it('imports the good rows and reports each bad one with its Excel row number', async () => {
		const file = await kahootTemplate([
			/* 9 */ ['What is the capital of France?', 'Paris', 'London', 'Berlin', 'Madrid', 20, 1],
			/* 10 */ ['', 'Yes', 'No', null, null, 20, 1],
			/* 11 */ ['Lonely?', 'Only answer', null, null, null, 20, 1],
			/* 12 */ ['Too quick?', 'Yes', 'No', null, null, 7, 1],
			/* 13 */ ['Which one?', 'A', 'B', 'C', 'D', 20, '5'],
			/* 14 */ ['Pick the fourth', 'A', 'B', 'C', null, 10, '4'],
			/* 15 */ [LONG_QUESTION, 'Yes', 'No', null, null, 20, 1],
			/* 16 */ ['Which are prime numbers?', '2', '4', '5', '9', '30', '1,3'],
			/* 17 */ ['Gaps between answers', 'A', null, 'C', 'D', null, '3'],
			/* 18 */ [],
			/* 19 */ ['No correct answer', 'Yes', 'No', null, null, 20, null]
		]);
		const result = await importKahootXlsx(file, 'Capitals_of_Europe.xlsx');

		expect(result.errors).toEqual([
			{ row: 10, message: 'question is empty' },
			{ row: 11, message: 'needs at least 2 answers' },
			{ row: 12, message: 'time limit 7 s is not one of 5, 10, 20, 30, 60, 90, 120, 240' },
			{ row: 13, message: 'correct answer 5 is not one of the answers 1–4' },
			{ row: 14, message: 'correct answer 4 points at an empty answer' },
			{ row: 15, message: 'question is longer than 200 characters (250)' },
			{
				row: 19,
				message: 'correct answer is missing (give the answer number, like 1 or 1,3)'
			}
		]);
		expect(result.errors.map(rowErrorText)[2]).toBe(
			'Row 12: time limit 7 s is not one of 5, 10, 20, 30, 60, 90, 120, 240'
		);
		expect(result.imported).toBe(3);
		expect(result.skipped).toBe(7);

		const quiz = result.quiz!;
		expect(quiz.title).toBe('Capitals of Europe');
		expect(quiz.id).toMatch(/^[a-z0-9]{12}$/);
		expect(quiz.description).toBe('');
		expect(quiz.questions).toEqual([
			{
				type: 'quiz',
				text: 'What is the capital of France?',
				options: ['Paris', 'London', 'Berlin', 'Madrid'],
				correct: [0],
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'quiz',
				text: 'Which are prime numbers?',
				options: ['2', '4', '5', '9'],
				correct: [0, 2],
				timeLimit: 30,
				points: 'standard'
			},
			{
				type: 'quiz',
				text: 'Gaps between answers',
				options: ['A', 'C', 'D'],
				correct: [1],
				timeLimit: 20,
				points: 'standard'
			}
		]);
	});

	it('reads number and text cells alike: answers, time limits and correct answers', async () => {
		const file = await kahootTemplate([
			['Numbers as answers', 1, 2, 3, 4, 10, 2],
			['Text everywhere', 'a', 'b', 'c', null, '60', '2, 3'],
			['Seconds written out', 'a', 'b', null, null, '90 sec', '1;2'],
			['Decimal comma turned 1,3 into 1.3', 'a', 'b', 'c', null, 5, 1.3],
			['Correct given twice', 'a', 'b', null, null, 120, '2,2']
		]);
		const { quiz, errors } = await importKahootXlsx(file, 'numbers.xlsx');
		expect(errors).toEqual([]);
		expect(
			quiz!.questions.map(quizQuestion).map((q) => [q.options, q.correct, q.timeLimit])
		).toEqual([
			[['1', '2', '3', '4'], [1], 10],
			[['a', 'b', 'c'], [1, 2], 60],
			[['a', 'b'], [0, 1], 90],
			[['a', 'b', 'c'], [0, 2], 5],
			[['a', 'b'], [1], 120]
		]);
	});

	it('reads rich text, formulas and TRUE/FALSE cells as their text', async () => {
		const file = await kahootTemplate([
			[
				{
					richText: [{ text: 'The sun is a ' }, { font: { bold: true }, text: 'star' }]
				},
				true,
				false,
				null,
				null,
				{ formula: '10*2', result: 20 },
				{ formula: '1', result: 1 }
			]
		]);
		const { quiz, errors } = await importKahootXlsx(file, 'sun.xlsx');
		expect(errors).toEqual([]);
		// TRUE/FALSE cells read as "True" and "False": a true/false question.
		expect(quiz!.questions[0]).toEqual({
			type: 'true-false',
			text: 'The sun is a star',
			answer: true,
			timeLimit: 20,
			points: 'standard'
		});
	});

	it('reports every problem of a row in one error', async () => {
		const file = await kahootTemplate([['', 'Only', null, null, null, 45, 'x']]);
		const result = await importKahootXlsx(file, 'bad.xlsx');
		expect(result.errors).toEqual([
			{
				row: 9,
				message:
					'question is empty; needs at least 2 answers; time limit 45 s is not one of 5, 10, 20, 30, 60, 90, 120, 240; correct answer "x" is not an answer number'
			}
		]);
		expect(result.quiz).toBeUndefined();
		expect(result.imported).toBe(0);
		expect(result.skipped).toBe(1);
	});

	it('falls back to columns B–H from row 9 when there is no header it knows', async () => {
		const file = await kahootTemplate(
			[
				['Wie heißt die Hauptstadt von Österreich?', 'Wien', 'Graz', null, null, 20, 1],
				['Wie viele Beine hat eine Spinne?', '6', '8', '10', null, 10, 2]
			],
			[
				'Frage - max. 120 Zeichen',
				'Antwort 1',
				'Antwort 2',
				'Antwort 3',
				'Antwort 4',
				'Zeit',
				'Richtig'
			]
		);
		const { quiz, errors, imported } = await importKahootXlsx(file, 'Quiz.xlsx');
		expect(errors).toEqual([]);
		expect(imported).toBe(2);
		expect(
			quiz!.questions.map(quizQuestion).map((q) => [q.text, q.options[q.correct[0]!]])
		).toEqual([
			['Wie heißt die Hauptstadt von Österreich?', 'Wien'],
			['Wie viele Beine hat eine Spinne?', '8']
		]);
	});

	it('finds a header anywhere in the first rows, with answers 5 and 6 and points', async () => {
		const file = await plainSheet([
			['My own sheet'],
			[],
			[
				'Question',
				'Answer 1',
				'Answer 2',
				'Answer 3',
				'Answer 4',
				'Answer 5',
				'Answer 6',
				'Time limit',
				'Correct',
				'Points'
			],
			['Six planets?', 'Mercury', 'Venus', 'Earth', 'Mars', 'Jupiter', 'Pluto', 30, '6', 'double'],
			['Wrong points', 'a', 'b', null, null, null, null, 30, 1, 'triple']
		]);
		const result = await importKahootXlsx(file, 'planets.xlsx');
		expect(result.errors).toEqual([
			{ row: 5, message: 'points "triple" is not one of standard, double, none' }
		]);
		expect(result.quiz!.questions[0]).toEqual({
			type: 'quiz',
			text: 'Six planets?',
			options: ['Mercury', 'Venus', 'Earth', 'Mars', 'Jupiter', 'Pluto'],
			correct: [5],
			timeLimit: 30,
			points: 'double'
		});
	});

	it('turns rows answered just "True" and "False" into true/false questions', async () => {
		const file = await kahootTemplate([
			['The Sun is a star', 'True', 'False', null, null, 10, 1],
			['Spiders have six legs', 'true', 'FALSE', null, null, 20, 2],
			['Either order', 'False', 'True', null, null, 20, 2],
			['Three answers', 'True', 'False', 'Maybe', null, 20, 1],
			['Both right', 'True', 'False', null, null, 20, '1,2'],
			['Not in answers 1 and 2', 'True', null, 'False', null, 20, 1],
			['Other words', 'Yes', 'No', null, null, 20, 1]
		]);
		const { quiz, errors } = await importKahootXlsx(file, 'facts.xlsx');
		expect(errors).toEqual([]);
		expect(quiz!.questions.map((q) => [q.type, q.type === 'true-false' ? q.answer : null])).toEqual(
			[
				['true-false', true],
				['true-false', false],
				['true-false', true],
				['quiz', null],
				['quiz', null],
				['quiz', null],
				['quiz', null]
			]
		);
		expect(quiz!.questions[0]).toEqual({
			type: 'true-false',
			text: 'The Sun is a star',
			answer: true,
			timeLimit: 10,
			points: 'standard'
		});
		expect(quiz!.questions[4]).toMatchObject({ options: ['True', 'False'], correct: [0, 1] });
	});

	it('takes the title from a "Quiz title" cell above the header', async () => {
		const file = await plainSheet([
			['Quiz title', 'Space and Stars'],
			['Question', 'Answer 1', 'Answer 2', 'Time limit (sec)', 'Correct answer(s)'],
			['Closest star?', 'The Sun', 'Sirius', 20, 1]
		]);
		const { quiz } = await importKahootXlsx(file, 'whatever.xlsx');
		expect(quiz!.title).toBe('Space and Stars');
	});

	it('names a quiz from a file without a name "Imported quiz"', async () => {
		const file = await kahootTemplate([['Q?', 'a', 'b', null, null, 20, 1]]);
		expect((await importKahootXlsx(file)).quiz!.title).toBe('Imported quiz');
	});

	it('refuses a file that is not a workbook', async () => {
		const result = await importKahootXlsx(
			new TextEncoder().encode('Question,Answer 1\n'),
			'x.xlsx'
		);
		expect(result).toEqual({
			errors: [
				{
					row: null,
					message:
						'This file could not be read as an Excel workbook: save it as .xlsx (Excel Workbook) and try again'
				}
			],
			imported: 0,
			skipped: 0
		});
	});
});

const quiz: Quiz = {
	version: 1,
	id: 'space',
	title: 'Space and Stars',
	description: 'Our solar system',
	questions: [
		{
			type: 'quiz',
			text: 'Which planet is closest to the Sun?',
			options: ['Mercury', 'Venus', 'Earth', 'Mars'],
			correct: [0],
			timeLimit: 20,
			points: 'standard'
		},
		{
			type: 'quiz',
			text: 'Which of these are gas giants?',
			options: ['Jupiter', 'Mars', 'Saturn'],
			correct: [0, 2],
			timeLimit: 30,
			points: 'standard'
		},
		{
			type: 'quiz',
			text: 'Is the Moon a planet?',
			options: ['Yes', 'No'],
			correct: [1],
			timeLimit: 5,
			points: 'standard'
		}
	]
};

async function readSheet(file: Buffer): Promise<ExcelJS.Worksheet> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
	return workbook.worksheets[0]!;
}

describe('exporting to Kahoot', () => {
	it("writes Kahoot's layout: header in row 8, numbered questions from row 9 in B–H", async () => {
		const sheet = await readSheet(await exportKahootXlsx(quiz));
		expect(sheet.getRow(8).values).toEqual([undefined, undefined, ...KAHOOT_HEADER]);
		expect(sheet.getRow(9).values).toEqual([
			undefined,
			1,
			'Which planet is closest to the Sun?',
			'Mercury',
			'Venus',
			'Earth',
			'Mars',
			20,
			1
		]);
		expect(sheet.getCell('H10').value).toBe('1,3');
		expect(sheet.getCell('E10').value).toBe('Saturn');
		expect(sheet.getCell('F10').value).toBeNull();
		expect(sheet.getCell('A11').value).toBe(3);
		expect(sheet.getCell('B1').value).toBe('Space and Stars');
		expect(sheet.getCell('B3').value).toBeNull();
	});

	it('imports back as the same quiz', async () => {
		const result = await importKahootXlsx(await exportKahootXlsx(quiz), 'export.xlsx');
		expect(result.errors).toEqual([]);
		expect(result.quiz!.title).toBe(quiz.title);
		expect(result.quiz!.questions).toEqual(quiz.questions);
	});

	it('fits 5 or 6 answers into 4 by leaving out wrong ones, and says so', async () => {
		const sixAnswers: Quiz = {
			...quiz,
			questions: [
				{
					type: 'quiz',
					text: 'Which is a moon of Jupiter?',
					options: ['Titan', 'Phobos', 'Triton', 'Deimos', 'Europa', 'Charon'],
					correct: [4],
					timeLimit: 20,
					points: 'double'
				},
				{
					type: 'quiz',
					text: 'Which are planets?',
					options: ['Mercury', 'Venus', 'Earth', 'Mars', 'Jupiter'],
					correct: [0, 1, 2, 3, 4],
					timeLimit: 20,
					points: 'standard'
				},
				{ ...quiz.questions[0]!, text: 'x'.repeat(130), image: `${'a'.repeat(64)}.png` }
			]
		};
		expect(kahootExportNotes(sixAnswers)).toEqual([
			'Question 1: answers 4 and 6 left out (Kahoot allows 4 answers)',
			'Question 2 was left out: it has 5 correct answers and Kahoot allows 4 answers',
			'Question 3 is 130 characters long; Kahoot allows 120',
			"Images are not part of Kahoot's spreadsheet: add them in Kahoot (question 3)",
			"Points (double or none) are not part of Kahoot's spreadsheet: set them in Kahoot (question 1)"
		]);

		const file = await exportKahootXlsx(sixAnswers);
		const sheet = await readSheet(file);
		expect(String(sheet.getCell('B3').value)).toContain('Question 1: answers 4 and 6 left out');
		expect(sheet.getRow(9).values).toEqual([
			undefined,
			1,
			'Which is a moon of Jupiter?',
			'Titan',
			'Phobos',
			'Triton',
			'Europa',
			20,
			4
		]);
		expect(sheet.getCell('B10').value).toBe('x'.repeat(130));
		expect(sheet.getCell('A10').value).toBe(2);

		const back = await importKahootXlsx(file, 'x.xlsx');
		expect(back.errors).toEqual([]);
		expect(back.quiz!.questions.map(quizQuestion).map((q) => q.options[q.correct[0]!])).toEqual([
			'Europa',
			'Mercury'
		]);
	});

	it('writes quiz and true/false questions, leaves the other types out and says so', async () => {
		const every = makeQuizOfEveryType('every');
		expect(kahootExportNotes(every)).toEqual([
			"Question 3 (select all that apply) was left out: Kahoot's spreadsheet holds only quiz and true/false questions",
			"Question 4 (type answer) was left out: Kahoot's spreadsheet holds only quiz and true/false questions",
			"Question 5 (slider) was left out: Kahoot's spreadsheet holds only quiz and true/false questions",
			"Question 6 (puzzle) was left out: Kahoot's spreadsheet holds only quiz and true/false questions",
			"Question 7 (poll) was left out: Kahoot's spreadsheet holds only quiz and true/false questions",
			"Question 8 (info slide) was left out: Kahoot's spreadsheet holds only quiz and true/false questions",
			"Images are not part of Kahoot's spreadsheet: add them in Kahoot (question 1)",
			"Points (double or none) are not part of Kahoot's spreadsheet: set them in Kahoot (question 1)"
		]);
		const file = await exportKahootXlsx(every);
		const sheet = await readSheet(file);
		expect(sheet.getRow(10).values).toEqual([
			undefined,
			2,
			'The Sun is a star.',
			'True',
			'False',
			undefined,
			undefined,
			10,
			1
		]);
		expect(sheet.getCell('B11').value).toBeNull();
		expect(String(sheet.getCell('B3').value)).toContain('Question 5 (slider) was left out');

		const back = await importKahootXlsx(file, 'x.xlsx');
		expect(back.errors).toEqual([]);
		const { image: _image, ...quizQuestion } = every.questions[0] as QuestionOf<'quiz'>;
		expect(back.quiz!.questions).toEqual([
			{ ...quizQuestion, points: 'standard' },
			every.questions[1]
		]);
	});

	it('writes a false statement with False as the correct answer', async () => {
		const statement: Quiz = {
			...quiz,
			questions: [
				{
					type: 'true-false',
					text: 'Is the Moon a planet?',
					answer: false,
					timeLimit: 5,
					points: 'standard'
				}
			]
		};
		const sheet = await readSheet(await exportKahootXlsx(statement));
		expect(sheet.getRow(9).values).toEqual([
			undefined,
			1,
			'Is the Moon a planet?',
			'True',
			'False',
			undefined,
			undefined,
			5,
			2
		]);
		const back = await importKahootXlsx(await exportKahootXlsx(statement), 'x.xlsx');
		expect(back.quiz!.questions).toEqual(statement.questions);
	});
});
