import { describe, expect, it } from 'vitest';
import type { QuestionOf, Quiz } from '../../protocol/quiz.ts';
import { makeQuizOfEveryType, quizQuestion } from '../../testing/quiz-fixtures.ts';
import { CSV_HEADER, exportQuizCsv, importQuizCsv, quizCsvExportNotes } from './quiz-csv.ts';

const HEADER =
	'Question,Answer 1,Answer 2,Answer 3,Answer 4,Answer 5,Answer 6,Time limit (sec),Correct answer(s),Points';

describe('importing a CSV quiz', () => {
	it('reads quotes, commas and line breaks inside texts, and tolerates a UTF-8 BOM', () => {
		const csv = [
			'\ufeff' + HEADER,
			'"Who said ""I think, therefore I am""?",Descartes,"Kant, Immanuel",,,,,30,1,double',
			'"A question\non two lines",Yes,No,,,,,,2,',
			'Crème brûlée is from…,France,Japan,,,,,10,1,standard'
		].join('\r\n');
		const result = importQuizCsv(csv, 'Philosophy.csv');
		expect(result.errors).toEqual([]);
		expect(result.imported).toBe(3);
		expect(result.quiz!.title).toBe('Philosophy');
		expect(result.quiz!.questions).toEqual([
			{
				type: 'quiz',
				text: 'Who said "I think, therefore I am"?',
				options: ['Descartes', 'Kant, Immanuel'],
				correct: [0],
				timeLimit: 30,
				points: 'double'
			},
			{
				type: 'quiz',
				text: 'A question\non two lines',
				options: ['Yes', 'No'],
				correct: [1],
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'quiz',
				text: 'Crème brûlée is from…',
				options: ['France', 'Japan'],
				correct: [0],
				timeLimit: 10,
				points: 'standard'
			}
		]);
	});

	it('reads a Kahoot-like file with only 4 answers and no Points column', () => {
		const csv = [
			'Question - max 120 characters,Answer 1 - max 75 characters,Answer 2 - max 75 characters,Answer 3 - max 75 characters,Answer 4 - max 75 characters,"Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",Correct answer(s) - choose at least one',
			'2 + 2?,3,4,5,22,5,2',
			'Even numbers?,1,2,3,4,20,"2,4"'
		].join('\n');
		const { quiz, errors } = importQuizCsv(csv, 'Maths');
		expect(errors).toEqual([]);
		expect(quiz!.title).toBe('Maths');
		expect(
			quiz!.questions.map(quizQuestion).map((q) => [q.text, q.correct, q.timeLimit, q.points])
		).toEqual([
			['2 + 2?', [1], 5, 'standard'],
			['Even numbers?', [1, 3], 20, 'standard']
		]);
	});

	it('reads a file saved with ";" between cells (spreadsheets in decimal-comma languages)', () => {
		const csv = [
			'Question;Answer 1;Answer 2;Time limit (sec);Correct answer(s)',
			'Yes or no?;Yes;No;10;1,2'
		].join('\n');
		const { quiz, errors } = importQuizCsv(csv, 'Semicolons');
		expect(errors).toEqual([]);
		expect(quiz!.questions[0]).toMatchObject({ options: ['Yes', 'No'], correct: [0, 1] });
	});

	it('reports bad rows numbered as a spreadsheet shows them (header = row 1)', () => {
		const csv = [
			HEADER,
			/* 2 */ 'Fine?,Yes,No,,,,,20,1,',
			/* 3 */ ',Yes,No,,,,,20,1,',
			/* 4 */ '"Two\nlines",Only,,,,,,20,1,',
			/* 5 */ ',,,,,,,,,',
			/* 6 */ '',
			/* 7 */ 'Quick?,Yes,No,,,,,7,1,',
			/* 8 */ 'Which?,A,B,,,,,20,7,',
			/* 9 */ 'Which?,A,B,,D,,,20,3,',
			/* 10 */ `${'x'.repeat(201)},${'y'.repeat(91)},B,,,,,20,1,`,
			/* 11 */ 'Points?,A,B,,,,,20,1,lots',
			/* 12 */ 'Gaps?,,B,,D,,F,20,"4,6",none'
		].join('\n');
		const result = importQuizCsv(csv, 'Mixed');
		expect(result.errors).toEqual([
			{ row: 3, message: 'question is empty' },
			{ row: 4, message: 'needs at least 2 answers' },
			{ row: 7, message: 'time limit 7 s is not one of 5, 10, 20, 30, 60, 90, 120, 240' },
			{ row: 8, message: 'correct answer 7 is not one of the answers 1–6' },
			{ row: 9, message: 'correct answer 3 points at an empty answer' },
			{
				row: 10,
				message:
					'question is longer than 200 characters (201); answer 1 is longer than 90 characters (91)'
			},
			{ row: 11, message: 'points "lots" is not one of standard, double, none' }
		]);
		expect(result.imported).toBe(2);
		expect(result.skipped).toBe(7);
		expect(result.quiz!.questions[1]).toEqual({
			type: 'quiz',
			text: 'Gaps?',
			options: ['B', 'D', 'F'],
			correct: [1, 2],
			timeLimit: 20,
			points: 'none'
		});
	});

	it('reads rows answered just "True" and "False" as true/false questions', () => {
		const csv = [
			HEADER,
			'The Sun is a star,TRUE,false,,,,,10,1,double',
			'Spiders have six legs,True,False,,,,,,2,',
			'Maybe?,True,False,Maybe,,,,,1,'
		].join('\n');
		const { quiz, errors } = importQuizCsv(csv, 'Facts');
		expect(errors).toEqual([]);
		expect(quiz!.questions).toEqual([
			{
				type: 'true-false',
				text: 'The Sun is a star',
				answer: true,
				timeLimit: 10,
				points: 'double'
			},
			{
				type: 'true-false',
				text: 'Spiders have six legs',
				answer: false,
				timeLimit: 20,
				points: 'standard'
			},
			{
				type: 'quiz',
				text: 'Maybe?',
				options: ['True', 'False', 'Maybe'],
				correct: [0],
				timeLimit: 20,
				points: 'standard'
			}
		]);
	});

	it('says where an unclosed quote starts', () => {
		const csv = [
			HEADER,
			'Fine?,Yes,No,,,,,20,1,',
			'"Broken,Yes,No,,,,,20,1,',
			'Lost?,A,B,,,,,20,1,'
		].join('\n');
		const result = importQuizCsv(csv, 'Broken');
		expect(result.imported).toBe(1);
		expect(result.errors).toEqual([
			{
				row: 3,
				message:
					'a quoted text is never closed (a " is missing), so the rest of the file was read as part of this row'
			}
		]);
		expect(result.skipped).toBe(1);
	});

	it('reads a stray quote inside a text leniently', () => {
		const result = importQuizCsv([HEADER, '"Bro"ken",Yes,No,,,,,20,1,'].join('\n'), 'Stray');
		expect(result.errors).toEqual([]);
		expect(result.quiz!.questions[0]!.text).toBe('Bro"ken');
	});

	it('refuses a file without a header row', () => {
		const result = importQuizCsv('What?,Yes,No,20,1\n', 'No header');
		expect(result.quiz).toBeUndefined();
		expect(result.errors).toEqual([
			{
				row: null,
				message:
					'No header row found: the first row must name the columns, like Question, Answer 1, Answer 2 … Correct answer(s)'
			}
		]);
	});

	it('imports no quiz from a file with only a header', () => {
		const result = importQuizCsv(HEADER + '\n', 'Empty');
		expect(result).toEqual({
			errors: [{ row: null, message: 'There are no questions under the header row' }],
			imported: 0,
			skipped: 0
		});
	});
});

const quiz: Quiz = {
	version: 1,
	id: 'tricky',
	title: 'Tricky texts',
	description: '',
	questions: [
		{
			type: 'quiz',
			text: 'Who wrote "Hamlet", the play?',
			options: ['Shakespeare', 'Marlowe, Christopher', 'Jonson'],
			correct: [0],
			timeLimit: 20,
			points: 'standard'
		},
		{
			type: 'quiz',
			text: 'Line one\nline two',
			options: ['a', 'b', 'c', 'd', 'e', 'f'],
			correct: [1, 5],
			timeLimit: 240,
			points: 'double'
		},
		{
			type: 'quiz',
			text: '= is a formula in Excel?',
			options: ['Yes', 'No'],
			correct: [0],
			timeLimit: 5,
			points: 'none'
		}
	]
};

describe('exporting a CSV quiz', () => {
	it('writes a BOM, the header and one row per question', () => {
		const csv = exportQuizCsv(quiz);
		expect(csv.startsWith('\ufeff' + HEADER + '\r\n')).toBe(true);
		expect(CSV_HEADER.join(',')).toBe(HEADER);
		expect(csv).toContain(
			'"Who wrote ""Hamlet"", the play?",Shakespeare,"Marlowe, Christopher",Jonson,,,,20,1,standard\r\n'
		);
		expect(csv).toContain('"Line one\nline two",a,b,c,d,e,f,240,"2,6",double\r\n');
	});

	it('imports back as the same questions', () => {
		const result = importQuizCsv(exportQuizCsv(quiz), quiz.title);
		expect(result.errors).toEqual([]);
		expect(result.quiz!.title).toBe(quiz.title);
		expect(result.quiz!.questions).toEqual(quiz.questions);
	});

	it('writes quiz and true/false questions only, and names the ones left out', () => {
		const every = makeQuizOfEveryType('every');
		const csv = exportQuizCsv(every);
		const rows = csv.trimEnd().split('\r\n');
		expect(rows).toEqual([
			'\ufeff' + HEADER,
			'Capital of Italy?,Rome,Milan,Turin,,,,20,1,double',
			'The Sun is a star.,True,False,,,,,10,1,standard'
		]);
		expect(quizCsvExportNotes(every)).toEqual([
			'Question 3 (select all that apply) was left out: a CSV file holds only quiz and true/false questions',
			'Question 4 (type answer) was left out: a CSV file holds only quiz and true/false questions',
			'Question 5 (slider) was left out: a CSV file holds only quiz and true/false questions',
			'Question 6 (puzzle) was left out: a CSV file holds only quiz and true/false questions',
			'Question 7 (poll) was left out: a CSV file holds only quiz and true/false questions',
			'Question 8 (info slide) was left out: a CSV file holds only quiz and true/false questions'
		]);
		expect(quizCsvExportNotes(quiz)).toEqual([]);

		const back = importQuizCsv(csv, every.title);
		expect(back.errors).toEqual([]);
		const { image: _image, ...first } = every.questions[0] as QuestionOf<'quiz'>;
		expect(back.quiz!.questions).toEqual([first, every.questions[1]]);
	});
});
