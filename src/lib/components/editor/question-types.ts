/**
 * The question types as the editor offers them: a one-line description for the "Add question"
 * menu, in the order a host most often needs them.
 */
import { QUESTION_TYPES, QUESTION_TYPE_NAMES, type QuestionType } from '$lib/protocol/quiz';

export const TYPE_DESCRIPTIONS: Record<QuestionType, string> = {
	quiz: 'Players pick one of 2–6 answers',
	'true-false': 'Players say whether a statement is true',
	multi: 'Players tick every right answer; only the exact set scores',
	'type-answer': 'Players type a short answer',
	slider: 'Players guess a number on a scale',
	puzzle: 'Players put 3–4 items in the right order',
	poll: 'Players vote; no right answer, no points',
	info: 'A title, text and picture between questions'
};

export interface TypeChoice {
	type: QuestionType;
	name: string;
	description: string;
}

export const TYPE_CHOICES: readonly TypeChoice[] = QUESTION_TYPES.map((type) => ({
	type,
	name: QUESTION_TYPE_NAMES[type],
	description: TYPE_DESCRIPTIONS[type]
}));
