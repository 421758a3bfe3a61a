import { describe, expect, it } from 'vitest';
import { checkQuiz } from '$lib/protocol/quiz-check';
import {
	addOption,
	blankQuestion,
	blankQuiz,
	contentFingerprint,
	describePath,
	draftFromQuiz,
	fieldId,
	fieldIdCandidates,
	moveItem,
	quizBody,
	removeOption,
	reviveDraft,
	setCorrect
} from './draft';

describe('answers of a question', () => {
	it('keep their correct marks when an earlier answer is removed', () => {
		const question = { ...blankQuestion(), options: ['a', 'b', 'c', 'd'], correct: [0, 2, 3] };
		removeOption(question, 1);
		expect(question.options).toEqual(['a', 'c', 'd']);
		expect(question.correct).toEqual([0, 1, 2]);
		removeOption(question, 0);
		expect(question.options).toEqual(['c', 'd']);
		expect(question.correct).toEqual([0, 1]);
	});

	it('stay between 2 and 6', () => {
		const question = { ...blankQuestion(), options: ['a', 'b'] };
		removeOption(question, 0);
		expect(question.options).toHaveLength(2);
		for (let i = 0; i < 10; i++) addOption(question);
		expect(question.options).toHaveLength(6);
	});

	it('are marked and unmarked in order', () => {
		const question = blankQuestion();
		setCorrect(question, 3, true);
		setCorrect(question, 1, true);
		setCorrect(question, 3, true);
		expect(question.correct).toEqual([1, 3]);
		setCorrect(question, 1, false);
		expect(question.correct).toEqual([3]);
	});
});

describe('moving questions', () => {
	it('moves an item and clamps the target', () => {
		const items = ['a', 'b', 'c'];
		expect(moveItem(items, 2, 0)).toBe(true);
		expect(items).toEqual(['c', 'a', 'b']);
		expect(moveItem(items, 0, -1)).toBe(false);
		expect(moveItem(items, 1, 99)).toBe(true);
		expect(items).toEqual(['c', 'b', 'a']);
	});
});

describe('the quiz body', () => {
	it('round-trips a stored quiz without the editor keys', () => {
		const quiz = {
			title: 'Capitals',
			description: '',
			questions: [
				{
					text: 'Capital of France?',
					options: ['Paris', 'Lyon'],
					correct: [0],
					timeLimit: 20 as const,
					points: 'double' as const,
					image: `${'a'.repeat(64)}.png`
				}
			]
		};
		const draft = draftFromQuiz(quiz);
		expect(draft.questions[0]!.key).toBeTruthy();
		expect(quizBody(draft)).toEqual(quiz);
		expect(checkQuiz({ ...quizBody(draft), id: 'x' }).ok).toBe(true);
	});

	it('fingerprints content, not keys', () => {
		const a = blankQuiz();
		const b = blankQuiz();
		expect(a.questions[0]!.key).not.toBe(b.questions[0]!.key);
		expect(contentFingerprint(a)).toBe(contentFingerprint(b));
	});

	it('gives a blank quiz issues the editor can place', () => {
		const check = checkQuiz({ ...quizBody(blankQuiz()), id: 'new' });
		expect(check.ok).toBe(false);
		const paths = check.ok ? [] : check.issues.map((issue) => issue.path);
		expect(paths).toEqual([
			'title',
			'questions.0.text',
			'questions.0.options.0',
			'questions.0.options.1',
			'questions.0.options.2',
			'questions.0.options.3',
			'questions.0.correct'
		]);
	});
});

describe('issue paths', () => {
	it('name fields in the host words', () => {
		expect(describePath('title')).toBe('Title');
		expect(describePath('questions.2.options.1')).toBe('Question 3, answer 2');
		expect(describePath('questions.0.correct')).toBe('Question 1, correct answers');
		expect(describePath('questions')).toBe('Questions');
	});

	it('fall back to the nearest field', () => {
		expect(fieldId('questions.2.options.1')).toBe('field-questions-2-options-1');
		expect(fieldIdCandidates('questions.0.correct.0')).toEqual([
			'field-questions-0-correct-0',
			'field-questions-0-correct',
			'field-questions-0',
			'field-questions',
			'field-title'
		]);
	});
});

describe('reviving a stored draft', () => {
	it('keeps good values and blanks out broken ones', () => {
		const revived = reviveDraft({
			title: 'T',
			description: 7 as unknown as string,
			questions: [
				{
					key: 'q1',
					text: 'Q',
					options: ['a', 'b'],
					correct: [1, 5],
					timeLimit: 30,
					points: 'none',
					image: null
				}
			]
		});
		expect(revived.description).toBe('');
		expect(revived.questions[0]).toMatchObject({ text: 'Q', correct: [1], timeLimit: 30 });
		expect(revived.questions[0]!.key).not.toBe('q1');
	});
});
