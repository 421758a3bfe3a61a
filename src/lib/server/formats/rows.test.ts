import { describe, expect, it } from 'vitest';
import {
	findColumns,
	findHeader,
	importRows,
	quizTitle,
	rowErrorText,
	rowToQuestion,
	type ColumnLayout
} from './rows.ts';

const layout: ColumnLayout = {
	question: 0,
	answers: [1, 2, 3, 4],
	timeLimit: 5,
	correct: 6,
	points: null
};

describe('finding the header row', () => {
	it("reads Kahoot's long header texts by their start, ignoring case and spacing", () => {
		expect(
			findColumns([
				1,
				'QUESTION - max 120 characters',
				'answer  1 - max 75 characters',
				'Answer 2 - max 75 characters',
				'Answer 3 - max 75 characters',
				'Answer 4 - max 75 characters',
				'Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs',
				'Correct answer(s) - choose at least one'
			])
		).toEqual({ question: 1, answers: [2, 3, 4, 5], timeLimit: 6, correct: 7, points: null });
	});

	it('takes columns in any order, answers 5 and 6 and points, and leaves gaps as null', () => {
		expect(
			findColumns([
				'Points',
				'Correct',
				'Answer 2',
				'Question',
				'Answer 1',
				'Answer 4',
				'Answer 10'
			])
		).toEqual({ question: 3, answers: [4, 2, null, 5], timeLimit: null, correct: 1, points: 0 });
	});

	it('needs the question, the first answer and the correct answers', () => {
		expect(findColumns(['Question', 'Answer 1', 'Answer 2'])).toBeNull();
		expect(findColumns(['Question', 'Answer 2', 'Correct'])).toBeNull();
		expect(findColumns(['Quiz template', null, 'Have fun!'])).toBeNull();
	});

	it('looks only in the first 20 rows', () => {
		const header = ['Question', 'Answer 1', 'Correct'];
		expect(findHeader([{ row: 20, cells: header }])).toMatchObject({ row: 20 });
		expect(findHeader([{ row: 21, cells: header }])).toBeNull();
	});
});

describe('a row as a question', () => {
	it('closes up gaps between answers and moves the correct numbers with them', () => {
		expect(rowToQuestion({ row: 9, cells: ['Q?', '', 'B', '', 'D', '', '4'] }, layout)).toEqual({
			question: {
				type: 'quiz',
				text: 'Q?',
				options: ['B', 'D'],
				correct: [1],
				timeLimit: 20,
				points: 'standard'
			}
		});
	});

	it('trims texts and reads whole-number cells as text', () => {
		expect(
			rowToQuestion({ row: 9, cells: ['  Q?  ', 0, ' no ', null, null, 5, 1] }, layout)
		).toEqual({
			question: {
				type: 'quiz',
				text: 'Q?',
				options: ['0', 'no'],
				correct: [0],
				timeLimit: 5,
				points: 'standard'
			}
		});
	});

	it('explains a time limit that is not a number', () => {
		expect(
			rowToQuestion({ row: 4, cells: ['Q?', 'a', 'b', null, null, 'soon', 1] }, layout)
		).toEqual({
			error: { row: 4, message: 'time limit "soon" is not a number of seconds' }
		});
	});
});

describe('importing rows', () => {
	it('skips empty rows without counting them', () => {
		const result = importRows(
			[
				{ row: 2, cells: ['Q?', 'a', 'b', null, null, 10, 2] },
				{ row: 3, cells: [null, '', '  '] },
				{ row: 4, cells: [] }
			],
			layout,
			'Quiz'
		);
		expect(result).toMatchObject({ errors: [], imported: 1, skipped: 0 });
	});

	it('reports rows the file reader could not read, and does not import them', () => {
		const result = importRows(
			[
				{ row: 2, cells: ['Q?', 'a', 'b', null, null, 10, 2] },
				{ row: 3, cells: ['Q?', 'a', 'b', null, null, 10, 2] }
			],
			layout,
			'Quiz',
			new Map([[3, 'a quote is never closed']])
		);
		expect(result).toMatchObject({
			errors: [{ row: 3, message: 'a quote is never closed' }],
			imported: 1,
			skipped: 1
		});
	});
});

describe('a sheet longer than a quiz', () => {
	it('imports the first 500 questions and says from which row the rest were left out', () => {
		const rows = Array.from({ length: 503 }, (_, i) => ({
			row: i + 2,
			cells: [`Q${i + 1}?`, 'a', 'b', null, null, 10, 2]
		}));
		const result = importRows(rows, layout, 'Long');
		expect(result.quiz?.questions).toHaveLength(500);
		expect(result.imported).toBe(500);
		expect(result.skipped).toBe(3);
		expect(result.errors).toEqual([
			{
				row: 502,
				message: 'a quiz holds 500 questions at most: this row and those after it were left out'
			}
		]);
	});
});

describe('error text for hosts', () => {
	it('starts with the row number, unless the error is about the whole file', () => {
		expect(rowErrorText({ row: 12, message: 'question is empty' })).toBe(
			'Row 12: question is empty'
		);
		expect(rowErrorText({ row: null, message: 'No header row found' })).toBe('No header row found');
	});
});

describe('quiz titles', () => {
	it('come from a file name without folders, extension or underscores', () => {
		expect(quizTitle('Capitals_of_Europe.xlsx')).toBe('Capitals of Europe');
		expect(quizTitle('C:\\Users\\ana\\Downloads\\Space quiz.CSV')).toBe('Space quiz');
		expect(quizTitle('/tmp/maths_1.csv')).toBe('maths 1');
	});

	it('keep a typed title as it is, spaces tidied', () => {
		expect(quizTitle('  Rock_and   Roll  ')).toBe('Rock_and Roll');
		expect(quizTitle('Version 2.0')).toBe('Version 2.0');
	});

	it('are cut to 120 characters, and never empty', () => {
		expect(quizTitle('x'.repeat(200))).toHaveLength(120);
		expect(quizTitle('')).toBe('Imported quiz');
		expect(quizTitle('.csv')).toBe('Imported quiz');
	});
});
