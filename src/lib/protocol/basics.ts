/**
 * The plain values of the wire contract that browsers need at run time, with no schema library
 * behind them: the phone's page imports these and stays small (see scripts/bundle-size.ts).
 * messages.ts and quiz.ts re-export them; the server may import from either.
 */

export const PROTOCOL_VERSION = 1;

/** WebSocket close codes (4000–4999 are ours). */
export const CloseCode = {
	/** Server going down; reconnect and the game carries on. */
	shutdown: 1012,
	kicked: 4001,
	ended: 4002,
	/** Another tab or device took this seat. */
	replaced: 4003,
	badToken: 4004,
	helloTimeout: 4005,
	badVersion: 4006,
	/** A host seat's token came without the session of the game's host. */
	notYourGame: 4007,
	/** Sustained flooding, or too many connections from one address. */
	policy: 1008
} as const;

/** Every kind of question a quiz can hold; `quiz` (pick one of 2–6) is the classic. */
export const QUESTION_TYPES = [
	'quiz',
	'true-false',
	'multi',
	'type-answer',
	'slider',
	'puzzle',
	'poll',
	'info'
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const QUESTION_TYPE_NAMES: Record<QuestionType, string> = {
	quiz: 'Quiz',
	'true-false': 'True or false',
	multi: 'Select all that apply',
	'type-answer': 'Type answer',
	slider: 'Slider',
	puzzle: 'Puzzle',
	poll: 'Poll',
	info: 'Info slide'
};

export const MAX_TYPED_ANSWER = 20;
