/** What the screens say about a question's type, so the projector and the phones agree. */
import { QUESTION_TYPE_NAMES, type QuestionType } from '$lib/protocol/basics';
import type { MessageKey } from '$lib/i18n/messages/en';

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

/** The phone's "get ready" badge (a message key); none for the classic quiz. */
export function phoneBadge(type: QuestionType): MessageKey | null {
	return type === 'quiz' ? null : `type.${type}`;
}

/** The line over the input on a phone (a message key). */
export function phoneHint(type: QuestionType): MessageKey | null {
	switch (type) {
		case 'multi':
			return 'hint.multi';
		case 'poll':
			return 'hint.poll';
		case 'puzzle':
			return 'hint.puzzle';
		default:
			return null;
	}
}

/** What a player does to answer, in the phone's heading for screen readers (a message key). */
export function phoneTask(type: QuestionType): MessageKey {
	switch (type) {
		case 'type-answer':
		case 'slider':
		case 'puzzle':
		case 'multi':
			return `task.${type}`;
		default:
			return 'task.choice';
	}
}
