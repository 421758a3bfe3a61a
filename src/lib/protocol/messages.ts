/**
 * The wire contract between the room server and browsers: JSON text frames, each a member of a
 * discriminated union on `type`, over one WebSocket at `/ws` or, where a network blocks those,
 * the HTTP fallback under the same prefix (see fallback.ts): the same frames either way. Client
 * frames are validated against the schemas below before anything else sees them; server frames
 * are plain types.
 *
 * Bump PROTOCOL_VERSION on any change an older client could misread.
 */
import * as v from 'valibot';
import { MAX_OPTIONS, MAX_PUZZLE_ITEMS, type PointsLevel, type QuestionType } from './quiz.ts';

export { CloseCode, PROTOCOL_VERSION } from './basics.ts';
export const MAX_NICKNAME = 20;
/**
 * What a nickname field takes as typed, in UTF-16 units: 20 characters as people see them can
 * be far longer (a flag is 4 units, a family emoji 11), and a browser's maxlength counts units,
 * so a tighter cap would cut names the rule allows.
 */
export const MAX_NICKNAME_UNITS = 400;
export const MAX_PLAYERS_DEFAULT = 2000;

// ---------------------------------------------------------------------------------------------
// Game options: chosen by the host when creating a game.

export const GameOptionsSchema = v.object({
	/** +100 per consecutive correct answer after the first, capped at +500. */
	streakBonus: v.optional(v.boolean(), true),
	/** Off: every correct answer earns the question's full points (accessibility). */
	speedScoring: v.optional(v.boolean(), true),
	/** Phones show the question and answer texts, not only coloured shapes. */
	questionOnPhones: v.optional(v.boolean(), false),
	/** "Get ready" time before answers open. */
	introSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)), 4),
	/** Refuse rude nicknames ("Pick a friendlier nickname"). */
	profanityFilter: v.optional(v.boolean(), true),
	/** Players get a generated two-word name ("Brave Otter") instead of typing one. */
	friendlyNames: v.optional(v.boolean(), false)
});
export type GameOptions = v.InferOutput<typeof GameOptionsSchema>;

export const DEFAULT_GAME_OPTIONS: GameOptions = v.parse(GameOptionsSchema, {});

// ---------------------------------------------------------------------------------------------
// Client → server

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
	v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/**
 * What a player sends, by question type: `choice` (quiz, true/false: 0 true, 1 false; poll),
 * `choices` (select all), `text` (type answer), `value` (slider), `order` (puzzle: the positions
 * of the items as shown, in the order the player put them).
 */
const AnswerInputEntries = {
	choice: v.optional(integer(0, MAX_OPTIONS - 1)),
	choices: v.optional(v.pipe(v.array(integer(0, MAX_OPTIONS - 1)), v.maxLength(MAX_OPTIONS))),
	// Longer than any accepted answer, so the rules (not the schema) explain a too-long one.
	text: v.optional(v.pipe(v.string(), v.maxLength(200))),
	value: v.optional(v.pipe(v.number(), v.finite())),
	order: v.optional(
		v.pipe(v.array(integer(0, MAX_PUZZLE_ITEMS - 1)), v.maxLength(MAX_PUZZLE_ITEMS))
	)
};
export const ANSWER_FIELDS = ['choice', 'choices', 'text', 'value', 'order'] as const;
/** One answer field set; which one depends on the question type. */
export type AnswerInput = v.InferOutput<v.ObjectSchema<typeof AnswerInputEntries, undefined>>;

export const ClientMessageSchema = v.variant('type', [
	/** First frame on every socket: who this is. */
	v.object({
		type: v.literal('hello'),
		v: integer(1),
		token: v.pipe(v.string(), v.minLength(1), v.maxLength(64))
	}),
	/** Clock sync probe; answered at once with the server's time. */
	v.object({ type: v.literal('clock'), id: integer(0), clientSentAt: v.number() }),
	/**
	 * Reply to the server's `ping` (HTTP fallback only: WebSockets have protocol-level pings), so
	 * the server measures the round trip that answer times are compensated by. No reply.
	 */
	v.object({
		type: v.literal('pong'),
		id: integer(0),
		/** How long the pong waited on the phone for its link (a POST in flight): not the link's. */
		heldMs: v.optional(integer(0, 60_000))
	}),
	/** Exactly one of the answer fields, the one the question's type asks for. */
	v.pipe(
		v.object({
			type: v.literal('answer'),
			questionIndex: integer(0, 10_000),
			/**
			 * Time the phone lost that was not the player's: how long after `opensAt` (by its clock
			 * estimate) it could show the answers, plus on the fallback the wait for a POST in flight.
			 * Credited within the cap (game/timing.ts).
			 */
			lateMs: v.optional(integer(0, 60_000)),
			...AnswerInputEntries
		}),
		v.check(
			(m) => ANSWER_FIELDS.filter((field) => m[field] !== undefined).length === 1,
			`Give exactly one of ${ANSWER_FIELDS.join(', ')}`
		)
	),
	// Host commands
	v.object({ type: v.literal('start') }),
	/**
	 * Advance: skip the countdown, close the question, show the scoreboard, the next question.
	 * `from`: the screen the host pressed on; a press for a screen already gone (a double click,
	 * a key held down) is ignored rather than skipping the next one. Without it, always advances.
	 */
	v.object({
		type: v.literal('next'),
		from: v.optional(
			v.object({
				phase: v.picklist(['intro', 'open', 'reveal', 'scoreboard', 'slide']),
				questionIndex: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))
			})
		)
	}),
	v.object({ type: v.literal('kick'), playerId: v.pipe(v.string(), v.maxLength(64)) }),
	/** Locked: no new players may join (kicked ones never can). */
	v.object({ type: v.literal('lock'), locked: v.boolean() }),
	/** Paused: the countdown or the open question stands still until the host goes on. */
	v.object({ type: v.literal('pause'), paused: v.boolean() }),
	v.object({ type: v.literal('end') })
]);

export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;
/** The screen a host's `next` was pressed on. */
export type NextFrom = NonNullable<Extract<ClientMessage, { type: 'next' }>['from']>;
export type ClientMessageType = ClientMessage['type'];
export const HOST_COMMANDS: ReadonlySet<ClientMessageType> = new Set([
	'start',
	'next',
	'kick',
	'lock',
	'pause',
	'end'
]);

// ---------------------------------------------------------------------------------------------
// Server → client

export type Role = 'host' | 'player';
export type Phase =
	'lobby' | 'intro' | 'open' | 'reveal' | 'scoreboard' | 'slide' | 'podium' | 'ended';

export interface PlayerSummary {
	id: string;
	nickname: string;
	connected: boolean;
}

/**
 * A question as a role may see it. Players get no `correct` before the reveal; without the
 * "question on phones" option they get neither the text nor the answer texts, only how many.
 */
export interface QuestionView {
	index: number;
	total: number;
	/** 1-based among the questions that take answers (slides not counted); null on a slide. */
	number: number | null;
	/** How many questions take answers. */
	questionCount: number;
	type: QuestionType;
	text: string | null;
	/** The quiz's language (BCP 47) for the question's and answers' text; absent: English. */
	lang?: string;
	/** Option texts of choice questions (true/false: always "True", "False"). */
	options: string[] | null;
	/** Options to pick from; 0 for questions without options. */
	optionCount: number;
	points: PointsLevel;
	/** 0 for info slides: they wait for the host. */
	timeLimitMs: number;
	image: string | null;
	/** Info slides: the text under the title (host only). */
	body: string | null;
	/** Slider: the range every phone needs, with or without the question text. */
	slider: { min: number; max: number; step: number; unit: string } | null;
	/** Puzzle: the items, shuffled for this game, to put in order. */
	items: string[] | null;
	/** Type answer: longest answer accepted. */
	maxLength: number | null;
}

/** What the reveal shows beyond options: by question type. */
export type RevealDetail =
	| {
			type: 'type-answer';
			accepted: string[];
			/** Most common answers as typed (normalised), with whether they counted. */
			topAnswers: { text: string; count: number; correct: boolean }[];
	  }
	| {
			type: 'slider';
			answer: number;
			tolerance: number;
			unit: string;
			/** Guesses grouped into bins across the range. */
			histogram: { from: number; to: number; count: number }[];
	  }
	| {
			type: 'puzzle';
			/** The items in the correct order. */
			correctOrder: string[];
			/** Players who put every item in place. */
			allRight: number;
	  };

export interface Standing {
	playerId: string;
	nickname: string;
	score: number;
	rank: number;
	/** Rank after the previous question, for "↑2" on the scoreboard; null on the first. */
	previousRank: number | null;
}

/** One player's outcome of one question, shown on their phone at the reveal. */
export interface RoundResult {
	questionIndex: number;
	type: QuestionType;
	answered: boolean;
	/** Polls have no right answer: nothing to be right or wrong about. */
	scored: boolean;
	/** Slider: within the tolerance counts as correct, with fewer points the further off. */
	correct: boolean;
	/** 1 for a right answer; less for a slider guess near but not on the value; 0 when wrong. */
	accuracy: number;
	/** Points for this question, streak bonus included. */
	points: number;
	streakBonus: number;
	streak: number;
}

/** A player's own standing: sent at the reveal, at the podium and in every snapshot. */
export interface PlayerStatus {
	id: string;
	nickname: string;
	score: number;
	streak: number;
	/** 1-based; null before the first reveal. */
	rank: number | null;
	playerCount: number;
	/** The player ranked just above: who, and by how many points. Null when first. */
	ahead: { nickname: string; gap: number } | null;
	lastResult: RoundResult | null;
	/** Index of the first question this player plays (late joiners start at the next one). */
	firstQuestion: number;
	/** This question's answer as sent, so a reconnecting phone shows "locked in". */
	currentAnswer: AnswerInput | null;
}

export type PhaseView =
	| { phase: 'lobby' }
	/** `pausedAt`: the host paused here (server time); every countdown stands at that moment. */
	/** `closesAt` too: screens open the answers themselves at `opensAt`, by their clock. */
	| { phase: 'intro'; question: QuestionView; opensAt: number; closesAt: number; pausedAt?: number }
	| {
			phase: 'open';
			question: QuestionView;
			opensAt: number;
			closesAt: number;
			pausedAt?: number;
	  }
	| {
			phase: 'reveal';
			question: QuestionView;
			/** Correct options of choice questions; empty for polls and other types. */
			correct: number[];
			/** How many picked (or, for select-all, ticked) each option; empty without options. */
			distribution: number[];
			answeredCount: number;
			detail: RevealDetail | null;
	  }
	/** An info slide on the projector; phones are told to look up. */
	| { phase: 'slide'; question: QuestionView }
	| {
			phase: 'scoreboard';
			questionIndex: number;
			total: number;
			/** The question just played, counted without slides, and how many there are. */
			questionNumber: number;
			questionCount: number;
			standings: Standing[];
	  }
	| { phase: 'podium'; standings: Standing[] }
	| { phase: 'ended' };

export type CloseReason = 'kicked' | 'ended' | 'replaced' | 'shutdown';

/**
 * Where a finished game's report stands, for its host: `saving` on its way to the record
 * store; `saved` there (`/reports/<reportId>`); `waiting` the store is unreachable, the report
 * is kept on this server and sent when the store is back; `failed` the store refused it (kept
 * on this server too, and tried again when it restarts); `disk-full` the server's disk is full:
 * the game (or its report) is not saved yet, and is as soon as there is room (also sent while
 * the game is still being played).
 */
export type ReportStatus = 'saving' | 'saved' | 'waiting' | 'failed' | 'disk-full';

export type ServerMessage =
	/** Full picture for this role, sent on every (re)connect; the screen renders from it alone. */
	| {
			type: 'state';
			v: number;
			role: Role;
			pin: string;
			quizTitle: string;
			questionCount: number;
			options: GameOptions;
			serverTime: number;
			view: PhaseView;
			/** Host only: everyone in the game, in join order. */
			players: PlayerSummary[] | null;
			playerCount: number;
			answeredCount: number;
			/** Players who can answer the current question (late joiners sit it out). */
			answeredOf: number;
			/** Player only. */
			you: PlayerStatus | null;
			/** The host locked the game: no new players. */
			locked: boolean;
	  }
	| ({ type: 'phase' } & PhaseView)
	| { type: 'you'; you: PlayerStatus }
	| { type: 'tick'; questionIndex: number; remaining: number }
	/**
	 * The answer counts. `stored: false`: the server could not write it down (its disk is full),
	 * so a restart before it does would lose it; without it, it is stored.
	 */
	| ({ type: 'answer-ack'; questionIndex: number; stored?: false } & AnswerInput)
	| { type: 'answers'; questionIndex: number; count: number; of: number }
	| { type: 'player-joined'; player: PlayerSummary; playerCount: number }
	| { type: 'player-left'; playerId: string; playerCount: number }
	| { type: 'player-connection'; playerId: string; connected: boolean }
	| { type: 'locked'; locked: boolean }
	/** Host only, from the podium (and after a reconnect there): the report's save, as it moves. */
	| { type: 'report'; reportId: string; status: ReportStatus }
	| { type: 'clock'; id: number; clientSentAt: number; serverTime: number }
	/** HTTP fallback only: answer with `pong` and the same id at once (round-trip time). */
	| { type: 'ping'; id: number }
	| {
			type: 'closed';
			reason: CloseReason;
			message: string;
			/** Host only, a game ended after a reveal: the report it left (`/reports/<reportId>`). */
			reportId?: string;
	  }
	| { type: 'error'; code: ErrorCode; message: string };

export type ServerMessageType = ServerMessage['type'];

export type ErrorCode =
	| 'bad-json'
	| 'bad-frame'
	| 'unknown-type'
	| 'not-authenticated'
	| 'already-authenticated'
	| 'bad-version'
	| 'bad-token'
	| 'forbidden'
	| 'wrong-phase'
	| 'wrong-question'
	| 'bad-option'
	| 'bad-answer'
	| 'too-late'
	| 'already-answered'
	| 'not-playing'
	| 'unknown-player'
	| 'no-players'
	/** The host paused the game: answers wait until it goes on. */
	| 'paused'
	| 'internal'
	/** Too many frames too fast: this one was dropped. Keep it up and the socket is closed. */
	| 'rate-limited'
	/** This seat's player was removed by the host. */
	| 'kicked'
	| 'too-many-connections'
	/** The host seat opens only for the game's host, signed in (or an admin). */
	| 'not-your-game'
	| JoinErrorCode;

/** Why the HTTP join step refused a player. */
export type JoinErrorCode =
	| 'unknown-pin'
	| 'game-over'
	| 'game-full'
	| 'nickname-empty'
	| 'nickname-too-long'
	| 'nickname-taken'
	/** Zero-width, blank look-alike or format characters, or nothing visible at all. */
	| 'nickname-invisible'
	/** Control, private-use, unassigned characters or line breaks. */
	| 'nickname-bad-characters'
	/** "Zalgo": more combining marks on one letter than any language needs. */
	| 'nickname-stacked-marks'
	/** "Host", "Admin" and the like: a player may not pose as staff. */
	| 'nickname-reserved'
	/** Caught by the game's profanity filter. */
	| 'nickname-rude'
	/** This browser's player was removed by the host: not again in this game. */
	| 'banned'
	| 'game-locked'
	/** Too many wrong PINs from this address: wait a minute. */
	| 'too-many-guesses';

// ---------------------------------------------------------------------------------------------
// Parsing an inbound frame: every failure becomes a clear error, never an exception.

export type ParsedFrame =
	{ ok: true; message: ClientMessage } | { ok: false; code: ErrorCode; message: string };

const KNOWN_TYPES: ReadonlySet<string> = new Set(
	ClientMessageSchema.options.map((option) => option.entries.type.literal)
);

export function parseClientFrame(text: string): ParsedFrame {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return { ok: false, code: 'bad-json', message: 'Frame is not valid JSON' };
	}
	const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : null;
	if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
		const shown = typeof type === 'string' ? `"${type.slice(0, 32)}"` : 'missing';
		return { ok: false, code: 'unknown-type', message: `Unknown message type (${shown})` };
	}
	const result = v.safeParse(ClientMessageSchema, data);
	if (!result.success) {
		const issue = result.issues[0];
		const path = v.getDotPath(issue);
		return {
			ok: false,
			code: 'bad-frame',
			message: `Bad "${type}" frame: ${path ? `${path}: ` : ''}${issue.message}`
		};
	}
	return { ok: true, message: result.output };
}
