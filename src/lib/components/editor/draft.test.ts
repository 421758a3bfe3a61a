import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES, type Question } from '$lib/protocol/quiz';
import { checkQuiz } from '$lib/protocol/quiz-check';
import {
	addAccepted,
	addItem,
	addOption,
	blankQuestion,
	blankQuiz,
	changeType,
	contentFingerprint,
	describePath,
	draftFromQuiz,
	fieldId,
	fieldIdCandidates,
	isRangeReversed,
	moveItem,
	questionBody,
	quizBody,
	removeAccepted,
	removeItem,
	removeOption,
	repeatedItems,
	reviveDraft,
	setCorrect,
	sliderPreview,
	type DraftQuiz
} from './draft';

const image = `${'a'.repeat(64)}.png`;

/** One question of each type, as QuizSchema hands them out (defaults filled in). */
const everyType: Question[] = [
	{
		type: 'quiz',
		text: 'Capital of France?',
		options: ['Paris', 'Lyon'],
		correct: [0],
		timeLimit: 20,
		points: 'double',
		image
	},
	{
		type: 'true-false',
		text: 'The sun is a star',
		answer: true,
		timeLimit: 10,
		points: 'standard'
	},
	{
		type: 'multi',
		text: 'Gas giants?',
		options: ['Jupiter', 'Venus', 'Saturn'],
		correct: [0, 2],
		timeLimit: 30,
		points: 'none'
	},
	{
		type: 'type-answer',
		text: 'Largest city in Sweden?',
		accepted: ['Stockholm', 'Sthlm'],
		caseSensitive: true,
		ignoreAccents: false,
		timeLimit: 30,
		points: 'standard'
	},
	{
		type: 'slider',
		text: 'Boiling point of water at sea level?',
		min: 0,
		max: 200,
		step: 5,
		answer: 100,
		tolerance: 10,
		unit: '°C',
		timeLimit: 20,
		points: 'standard',
		image
	},
	{
		type: 'puzzle',
		text: 'Smallest to largest',
		items: ['Atom', 'Cell', 'Mouse', 'Whale'],
		timeLimit: 60,
		points: 'standard'
	},
	{ type: 'poll', text: 'Tea or coffee?', options: ['Tea', 'Coffee'], timeLimit: 10 },
	{ type: 'info', text: 'Half time', body: 'Stretch your legs.', image }
];

/** Every problem the schema finds, each at the field the editor shows it beside. */
const issuesOf = (draft: DraftQuiz) => {
	const check = checkQuiz({ ...quizBody(draft), id: 'x' });
	return check.ok ? [] : check.issues;
};
const pathsOf = (draft: DraftQuiz) => issuesOf(draft).map((issue) => issue.path);

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

	it('accepted texts stay between 1 and 10, puzzle items between 3 and 4', () => {
		const typed = blankQuestion('type-answer');
		removeAccepted(typed, 0);
		expect(typed.accepted).toEqual(['']);
		for (let i = 0; i < 20; i++) addAccepted(typed);
		expect(typed.accepted).toHaveLength(10);

		const puzzle = blankQuestion('puzzle');
		expect(puzzle.items).toHaveLength(3);
		removeItem(puzzle, 0);
		expect(puzzle.items).toHaveLength(3);
		addItem(puzzle);
		addItem(puzzle);
		expect(puzzle.items).toHaveLength(4);
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
	it('round-trips one question of each type without the editor keys', () => {
		expect(everyType.map((question) => question.type)).toEqual([...QUESTION_TYPES]);
		const quiz = { title: 'Everything', description: '', questions: everyType };
		const draft = draftFromQuiz(quiz);
		expect(draft.questions.every((question) => question.key)).toBe(true);
		expect(quizBody(draft)).toEqual(quiz);
		const check = checkQuiz({ ...quizBody(draft), id: 'x' });
		expect(check.ok).toBe(true);
		// And what the schema gives back is what the editor started from.
		expect(check.ok && check.quiz.questions).toEqual(everyType);
	});

	it('reads quizzes written before there were types as quiz questions', () => {
		const check = checkQuiz({
			id: 'old',
			title: 'Old',
			questions: [{ text: 'Two plus two?', options: ['3', '4'], correct: [1], timeLimit: 20 }]
		});
		expect(check.ok).toBe(true);
		if (!check.ok) return;
		const draft = draftFromQuiz(check.quiz);
		expect(draft.questions[0]).toMatchObject({ type: 'quiz', options: ['3', '4'], correct: [1] });
		expect(quizBody(draft).questions[0]).toEqual({
			type: 'quiz',
			text: 'Two plus two?',
			options: ['3', '4'],
			correct: [1],
			timeLimit: 20,
			points: 'standard'
		});
	});

	it('holds only the fields of the question type', () => {
		const keys = (question: Question) => Object.keys(question).sort();
		const draft = draftFromQuiz({ title: 'T', description: '', questions: everyType });
		expect(draft.questions.map((question) => keys(questionBody(question)))).toEqual(
			everyType.map(keys)
		);
		expect(keys(questionBody(blankQuestion('poll')))).toEqual([
			'options',
			'text',
			'timeLimit',
			'type'
		]);
		expect(keys(questionBody(blankQuestion('info')))).toEqual(['body', 'text', 'type']);
	});

	it('fingerprints content, not keys', () => {
		const a = blankQuiz();
		const b = blankQuiz();
		expect(a.questions[0]!.key).not.toBe(b.questions[0]!.key);
		expect(contentFingerprint(a)).toBe(contentFingerprint(b));
	});

	it('gives a blank quiz issues the editor can place', () => {
		expect(pathsOf(blankQuiz())).toEqual([
			'title',
			'questions.0.text',
			'questions.0.options.0',
			'questions.0.options.1',
			'questions.0.options.2',
			'questions.0.options.3',
			'questions.0.correct'
		]);
	});

	it('gives a blank question of every type issues on its own fields', () => {
		const draft: DraftQuiz = {
			title: 'Blank questions',
			description: '',
			questions: QUESTION_TYPES.map((type) => blankQuestion(type))
		};
		expect(pathsOf(draft)).toEqual([
			'questions.0.text',
			'questions.0.options.0',
			'questions.0.options.1',
			'questions.0.options.2',
			'questions.0.options.3',
			'questions.0.correct',
			'questions.1.text',
			'questions.1.answer',
			'questions.2.text',
			'questions.2.options.0',
			'questions.2.options.1',
			'questions.2.options.2',
			'questions.2.options.3',
			'questions.2.correct',
			'questions.3.text',
			'questions.3.accepted.0',
			'questions.4.text',
			'questions.4.answer',
			'questions.5.text',
			'questions.5.items.0',
			'questions.5.items.1',
			'questions.5.items.2',
			'questions.6.text',
			'questions.6.options.0',
			'questions.6.options.1',
			'questions.6.options.2',
			'questions.6.options.3',
			'questions.7.text'
		]);
	});

	it('places each slider range problem at the field at fault', () => {
		const slider = blankQuestion('slider');
		slider.text = 'Guess';
		slider.slider = { min: 100, max: 50, step: 1, answer: 206, tolerance: 0, unit: '' };
		const poll = { ...blankQuestion('poll'), text: 'Poll', options: ['a', 'b'] };
		const draft: DraftQuiz = { title: 'T', description: '', questions: [poll, slider] };
		expect(issuesOf(draft)).toEqual([
			{ path: 'questions.1.max', message: 'The maximum must be more than the minimum' },
			{
				path: 'questions.1.answer',
				message: 'The correct value must be on the slider (between min and max, on a step)'
			}
		]);
		// The minimum is marked with the maximum while the range runs the wrong way.
		expect(isRangeReversed(slider.slider)).toBe(true);

		slider.slider = { ...slider.slider, min: 0, max: 100 };
		expect(isRangeReversed(slider.slider)).toBe(false);
		expect(pathsOf(draft)).toEqual(['questions.1.answer']);

		slider.slider = { ...slider.slider, max: 10, step: 3, answer: 6 };
		expect(issuesOf(draft)).toEqual([
			{ path: 'questions.1.max', message: 'The range must be a whole number of steps' }
		]);
		slider.slider = { ...slider.slider, max: 5000, step: 1, answer: 6 };
		expect(issuesOf(draft)).toEqual([
			{ path: 'questions.1.step', message: 'A slider has at most 1000 steps: use a bigger step' }
		]);
	});

	it('places repeated puzzle items under the items, while other items are still empty', () => {
		const puzzle = { ...blankQuestion('puzzle'), text: 'Order', items: ['One', 'Two', 'one '] };
		const draft: DraftQuiz = { title: 'T', description: '', questions: [puzzle] };
		expect(issuesOf(draft)).toEqual([
			{ path: 'questions.0.items', message: 'Puzzle items must all be different' }
		]);
		expect(repeatedItems(puzzle.items)).toEqual([0, 2]);
		puzzle.items = ['Atom', 'Atom', 'Cell', ''];
		expect(pathsOf(draft)).toEqual(['questions.0.items.3', 'questions.0.items']);
		// Empty items are only unwritten, not the same as each other.
		puzzle.items = ['', '', 'Three'];
		expect(pathsOf(draft)).toEqual(['questions.0.items.0', 'questions.0.items.1']);
		expect(repeatedItems(puzzle.items)).toEqual([]);
	});

	it('lists every problem on the first save, cross-field ones too', () => {
		// What testers wrote: a dozen field problems hid the repeated puzzle item until they
		// were fixed, and an empty correct value hid a reversed slider range.
		const quiz = { ...blankQuestion('quiz'), text: '' };
		const slider = blankQuestion('slider');
		slider.slider = { ...slider.slider, min: 100, max: 50, step: null, answer: null };
		const puzzle = { ...blankQuestion('puzzle'), items: ['Atom', 'Atom', 'Cell', ''] };
		const poll = { ...blankQuestion('poll'), text: 'Tea or coffee?' };
		const draft: DraftQuiz = {
			title: '',
			description: '',
			questions: [quiz, slider, puzzle, poll]
		};
		expect(issuesOf(draft)).toEqual(
			expect.arrayContaining([
				{ path: 'questions.1.max', message: 'The maximum must be more than the minimum' },
				{ path: 'questions.2.items', message: 'Puzzle items must all be different' }
			])
		);
		expect(pathsOf(draft)).toEqual([
			'title',
			'questions.0.text',
			'questions.0.options.0',
			'questions.0.options.1',
			'questions.0.options.2',
			'questions.0.options.3',
			'questions.0.correct',
			'questions.1.text',
			'questions.1.step',
			'questions.1.answer',
			'questions.1.max',
			'questions.2.text',
			'questions.2.items.3',
			'questions.2.items',
			'questions.3.options.0',
			'questions.3.options.1',
			'questions.3.options.2',
			'questions.3.options.3'
		]);
		// A poll's options are options, in the messages as on the fields.
		expect(issuesOf(draft).find((issue) => issue.path === 'questions.3.options.1')?.message).toBe(
			'Option is empty'
		);
	});

	it('refuses typed answers over 20 characters and empty slider fields', () => {
		const typed = blankQuestion('type-answer');
		typed.text = 'Longest river?';
		typed.accepted = ['Nile', 'The river Nile in Africa'];
		const slider = blankQuestion('slider');
		slider.text = 'Guess';
		slider.slider.step = null;
		const draft: DraftQuiz = { title: 'T', description: '', questions: [typed, slider] };
		expect(pathsOf(draft)).toEqual([
			'questions.0.accepted.1',
			'questions.1.step',
			'questions.1.answer'
		]);
	});
});

describe('switching the type', () => {
	function written() {
		const question = blankQuestion('quiz');
		question.text = 'Which are planets?';
		question.image = image;
		question.timeLimit = 30;
		question.points = 'double';
		question.options = ['Mars', 'Moon', 'Venus'];
		question.correct = [0, 2];
		return question;
	}

	it('keeps text, image, time limit and points', () => {
		for (const type of QUESTION_TYPES) {
			const question = written();
			changeType(question, type);
			const body = questionBody(question);
			expect(body).toMatchObject({ type, text: 'Which are planets?', image });
			if ('timeLimit' in body) expect(body.timeLimit).toBe(30);
			if ('points' in body) expect(body.points).toBe('double');
		}
	});

	it('keeps options between quiz, select-all and poll, and the marks for coming back', () => {
		const question = written();
		changeType(question, 'multi');
		expect(questionBody(question)).toMatchObject({
			options: ['Mars', 'Moon', 'Venus'],
			correct: [0, 2]
		});
		changeType(question, 'poll');
		expect(questionBody(question)).toEqual({
			type: 'poll',
			text: 'Which are planets?',
			options: ['Mars', 'Moon', 'Venus'],
			timeLimit: 30,
			image
		});
		changeType(question, 'quiz');
		expect(questionBody(question)).toMatchObject({ correct: [0, 2], points: 'double' });
	});

	it('asks nothing when switching to true-false, and loses nothing coming back', () => {
		const question = written();
		changeType(question, 'true-false');
		expect(question.answer).toBeNull();
		question.answer = false;
		changeType(question, 'slider');
		changeType(question, 'quiz');
		expect(questionBody(question)).toMatchObject({ options: ['Mars', 'Moon', 'Venus'] });
		changeType(question, 'true-false');
		expect(questionBody(question)).toMatchObject({ answer: false });
	});

	it('reads a "True"/"False" quiz as a true-false answer', () => {
		const question = { ...blankQuestion('quiz'), options: ['True', 'False'], correct: [1] };
		changeType(question, 'true-false');
		expect(question.answer).toBe(false);
	});

	it('carries options to puzzle items and back, and correct answers to accepted texts', () => {
		const question = written();
		changeType(question, 'puzzle');
		expect(question.items).toEqual(['Mars', 'Moon', 'Venus']);
		changeType(question, 'type-answer');
		expect(question.accepted).toEqual(['']);

		const fresh = { ...blankQuestion('puzzle'), items: ['One', 'Two', 'Three', 'Four'] };
		changeType(fresh, 'quiz');
		expect(fresh.options).toEqual(['One', 'Two', 'Three', 'Four']);
		expect(fresh.correct).toEqual([]);

		const typed = written();
		changeType(typed, 'type-answer');
		expect(typed.accepted).toEqual(['Mars', 'Venus']);
	});

	it('does not count as a change when it comes back to where it was', () => {
		const draft: DraftQuiz = { title: 'T', description: '', questions: [written()] };
		const before = contentFingerprint(draft);
		changeType(draft.questions[0]!, 'info');
		expect(contentFingerprint(draft)).not.toBe(before);
		changeType(draft.questions[0]!, 'quiz');
		expect(contentFingerprint(draft)).toBe(before);
	});
});

describe('the slider preview', () => {
	it('says the range and what scores', () => {
		const slider = { min: 0, max: 100, step: 1, answer: 37, tolerance: 5, unit: 'km' };
		expect(sliderPreview(slider)).toBe('0 … 100 km, step 1; 37 ± 5 scores');
		expect(sliderPreview({ ...slider, tolerance: 0, unit: '' })).toBe(
			'0 … 100, step 1; only 37 scores'
		);
		expect(
			sliderPreview({ ...slider, min: -1, max: 1, step: 0.1, answer: 0.30000000000000004 })
		).toBe('-1 … 1 km, step 0.1; 0.3 ± 5 scores');
		expect(sliderPreview({ ...slider, answer: null })).toBe('0 … 100 km, step 1');
		expect(sliderPreview({ ...slider, max: null })).toBeNull();
	});
});

describe('issue paths', () => {
	it('name fields in the host words', () => {
		expect(describePath('title')).toBe('Title');
		expect(describePath('questions.2.options.1')).toBe('Question 3, answer 2');
		expect(describePath('questions.0.correct')).toBe('Question 1, correct answers');
		expect(describePath('questions')).toBe('Questions');
	});

	it('name fields in the words of the question type', () => {
		const types = ['true-false', 'slider', 'type-answer', 'puzzle', 'poll', 'info'] as const;
		expect(describePath('questions.0.answer', types)).toBe('Question 1, true or false');
		expect(describePath('questions.1.answer', types)).toBe('Question 2, correct value');
		expect(describePath('questions.1.max', types)).toBe('Question 2, maximum');
		expect(describePath('questions.1.min', types)).toBe('Question 2, minimum');
		expect(describePath('questions.2.accepted.1', types)).toBe('Question 3, accepted answer 2');
		expect(describePath('questions.3.items.0', types)).toBe('Question 4, item 1');
		expect(describePath('questions.4.options.2', types)).toBe('Question 5, option 3');
		expect(describePath('questions.5.text', types)).toBe('Question 6, title');
		expect(describePath('questions.5.body', types)).toBe('Question 6, text');
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
					...blankQuestion(),
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

	it('reads drafts from before question types, and every type', () => {
		const old = { key: 'q1', text: 'Q', options: ['a', 'b'], correct: [0], timeLimit: 20 };
		const slider = {
			...blankQuestion('slider'),
			slider: { min: 1, max: 'x', step: 1, answer: 3, tolerance: null, unit: 'm' }
		};
		const revived = reviveDraft({
			title: 'T',
			description: '',
			questions: [old, { type: 'nonsense' }, slider, { ...blankQuestion('info'), body: 'Hi' }]
		} as unknown as DraftQuiz);
		expect(revived.questions.map((question) => question.type)).toEqual([
			'quiz',
			'quiz',
			'slider',
			'info'
		]);
		expect(revived.questions[0]).toMatchObject({ options: ['a', 'b'], correct: [0], answer: null });
		expect(revived.questions[0]!.slider).toEqual(blankQuestion().slider);
		expect(revived.questions[2]!.slider).toEqual({
			min: 1,
			max: null,
			step: 1,
			answer: 3,
			tolerance: null,
			unit: 'm'
		});
		expect(revived.questions[3]!.body).toBe('Hi');
	});
});

describe('a quiz’s language in the editor', () => {
	it('a new quiz takes the host’s language; a quiz’s own survives a draft and a reload', () => {
		expect(blankQuiz('de').lang).toBe('de');
		expect(blankQuiz()).not.toHaveProperty('lang');
		const quiz = { title: 'T', description: '', lang: 'ar', questions: [] };
		const draft = draftFromQuiz(quiz);
		expect(draft.lang).toBe('ar');
		expect(quizBody(draft).lang).toBe('ar');
		expect(reviveDraft(JSON.parse(JSON.stringify(draft))).lang).toBe('ar');
		expect(quizBody({ ...draft, lang: '  ' })).not.toHaveProperty('lang');
	});
});
