/** What the screens say about a question's type, so the projector and the phones agree. */
import { QUESTION_TYPE_NAMES, type QuestionType } from '$lib/protocol/basics';

/** A label for the "get ready" screens; none for the classic quiz. */
export function typeBadge(type: QuestionType): string | null {
	return type === 'quiz' ? null : QUESTION_TYPE_NAMES[type];
}

/** The line over the answers on the projector while a question is open. */
export function openHint(type: QuestionType): string | null {
	switch (type) {
		case 'multi':
			return 'Select all that apply';
		case 'poll':
			return 'Poll: no right answer';
		case 'puzzle':
			return 'Put these in order';
		default:
			return null;
	}
}

/** The line over the input on a phone. */
export function phoneHint(type: QuestionType): string | null {
	switch (type) {
		case 'multi':
			return 'Select all that apply';
		case 'poll':
			return 'Poll: pick one, no right answer';
		case 'puzzle':
			return 'Put these in order';
		default:
			return null;
	}
}

/** What a player does to answer, in the phone's heading for screen readers. */
export function phoneTask(type: QuestionType): string {
	switch (type) {
		case 'type-answer':
			return 'type your answer';
		case 'slider':
			return 'move the slider to your answer';
		case 'puzzle':
			return 'put the items in order';
		case 'multi':
			return 'select all that apply';
		default:
			return 'pick your answer';
	}
}
