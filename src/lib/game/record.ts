/**
 * What a game leaves behind: the quiz as it was played, the players and every answer. Saved
 * when the podium goes up (finished) or when a game is abandoned part-way (unfinished).
 * Plain data, so the game's state can hold its rounds as records (record-game.ts makes one).
 */
import type { GameOptions } from '../protocol/messages.ts';
import type { Quiz } from '../protocol/quiz.ts';
import type { AnswerGiven } from './questions.ts';

export interface GameRecord {
	/** Unique per game, also across restarts (the PIN is reused over time). */
	id: string;
	pin: string;
	/** The quiz as it was played: later edits to the quiz do not change the report. */
	quiz: Quiz;
	options: GameOptions;
	startedAt: number;
	endedAt: number;
	/** False when the game was abandoned before the podium. */
	finished: boolean;
	/** The account that hosted the game; null for games from before accounts. */
	hostId: string | null;
	/** In join order. */
	players: PlayerRecord[];
	/** One per question that was revealed, in order. */
	rounds: RoundRecord[];
}

export interface PlayerRecord {
	id: string;
	nickname: string;
	joinOrder: number;
	score: number;
	/** 1-based final rank; null if never ranked (joined and left before any reveal). */
	rank: number | null;
	/** First question this player could play (late joiners). */
	firstQuestion: number;
}

export interface RoundRecord {
	questionIndex: number;
	openedAt: number;
	answers: AnswerRecord[];
}

export interface AnswerRecord {
	playerId: string;
	/** What they answered: an option, options, a text, a number or an order of items. */
	answer: AnswerGiven;
	/** Server-measured answer time, latency compensation taken off. */
	elapsedMs: number;
	correct: boolean;
	/** Points for this answer, streak bonus included. */
	points: number;
}
