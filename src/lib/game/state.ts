/**
 * The state of one game, owned by its room. Plain data: no sockets, no timers, no clock.
 */
import type { AnswerInput, GameOptions, Phase, RoundResult } from '../protocol/messages.ts';
import type { AnswerGiven } from './questions.ts';
import type { Question, Quiz } from '../protocol/quiz.ts';
import type { RoundRecord } from './record.ts';
import { oneWayMs } from './timing.ts';

export interface Player {
	id: string;
	nickname: string;
	/** Lower joined earlier; the last tie-breaker, so rankings are deterministic. */
	joinOrder: number;
	connected: boolean;
	score: number;
	/** Consecutive correct answers. */
	streak: number;
	/** Summed answer time of correct answers: the first tie-breaker after score. */
	correctAnswerMs: number;
	rank: number | null;
	previousRank: number | null;
	/** Late joiners start at the next question to open. */
	firstQuestion: number;
	/** Median round-trip time the room measured; half of it (capped) is given back on answers. */
	rttMs: number;
	/** The browser they joined from (a cookie), so a kick keeps that browser out; null: unknown. */
	device: string | null;
	lastResult: RoundResult | null;
}

export interface Answer {
	/** As the player sent it (echoed back on reconnect). */
	input: AnswerInput;
	/** As the rules judge it (puzzle positions turned into item numbers). */
	given: AnswerGiven;
	/** Server-measured time from the question opening, latency compensation taken off. */
	elapsedMs: number;
}

export interface Round {
	opensAt: number;
	closesAt: number;
	answers: Map<string, Answer>;
	/** Picks per option of choice questions (ticks for select-all). */
	distribution: number[];
	/** Puzzle: this game's order of the items as shown (position → item number). */
	shuffle: number[] | null;
	/** Connected players expected to answer who have not yet: at zero the question closes early. */
	waitingFor: number;
	/** Set once the deadline passed: the reveal waits until here for slow links' answers. */
	revealAt: number | null;
	nextTickAt: number | null;
	/** Throttle for "answered: n / m" to the host. */
	answersFlushAt: number | null;
	/** A player dropped out: check then whether everyone still here has answered. */
	closeCheckAt: number | null;
}

export interface GameState {
	quiz: Quiz;
	options: GameOptions;
	maxPlayers: number;
	seed: number;
	phase: Phase;
	/** -1 in the lobby. */
	questionIndex: number;
	/** Join order: Map keeps insertion order. */
	players: Map<string, Player>;
	nicknames: Set<string>;
	nextJoinOrder: number;
	/** The host closed the door: no new players. */
	locked: boolean;
	/** Browsers whose player the host removed: they stay out for the rest of the game. */
	banned: Set<string>;
	/** Player ids, best first, as of the last reveal (late joiners appended). */
	ranking: string[];
	/**
	 * Goes up whenever players' scores, streaks, places or last results change (each reveal,
	 * the podium): a store rewrites the players only when it moved.
	 */
	standingsVersion: number;
	round: Round | null;
	/**
	 * When the host paused the countdown or the open question; null while it runs. Paused, the
	 * clock stands still: nothing is due, no answers are taken, and on going on every deadline
	 * moves by the time it stood.
	 */
	pausedAt: number | null;
	/** When the host pressed start; null in the lobby. */
	startedAt: number | null;
	/** Every revealed question with every answer, for the report. */
	history: RoundRecord[];
	/** When the room must call back with a `wake` event; null when nothing is due. */
	wakeAt: number | null;
}

export interface GameSetup {
	quiz: Quiz;
	options: GameOptions;
	maxPlayers: number;
	/** Seeds this game's puzzle shuffles; random in production, fixed in tests. */
	seed?: number;
}

export function createGameState({ quiz, options, maxPlayers, seed = 1 }: GameSetup): GameState {
	return {
		quiz,
		options,
		maxPlayers,
		seed,
		phase: 'lobby',
		questionIndex: -1,
		players: new Map(),
		nicknames: new Set(),
		nextJoinOrder: 0,
		locked: false,
		banned: new Set(),
		ranking: [],
		standingsVersion: 0,
		round: null,
		pausedAt: null,
		startedAt: null,
		history: [],
		wakeAt: null
	};
}

export function currentQuestion(state: GameState): Question | null {
	return state.quiz.questions[state.questionIndex] ?? null;
}

export function isPlaying(player: Player, questionIndex: number): boolean {
	return player.firstQuestion <= questionIndex;
}

/** The player's way up, from the round trips the room measured (see timing.ts). */
export function playerOneWayMs(player: Player): number {
	return oneWayMs(player.rttMs);
}
