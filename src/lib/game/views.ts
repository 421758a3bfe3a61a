/**
 * What each role may see of the game. Every payload is built here, so the rule "players never
 * see the correct answer before the reveal" lives in one place.
 */
import {
	PROTOCOL_VERSION,
	type PhaseView,
	type PlayerStatus,
	type PlayerSummary,
	type QuestionView,
	type Role,
	type ServerMessage,
	type Standing
} from '../protocol/messages.ts';
import { imageUrl, MAX_TYPED_ANSWER } from '../protocol/quiz.ts';
import { questionCount, questionNumber } from './question-numbers.ts';
import { correctOptions, optionTexts, revealDetail } from './questions.ts';
import { currentQuestion, isPlaying, type GameState, type Player } from './state.ts';

export const SCOREBOARD_SIZE = 5;
export const PODIUM_SIZE = 3;

export function questionView(state: GameState, role: Role): QuestionView {
	const question = currentQuestion(state);
	if (!question) throw new Error(`No question at index ${state.questionIndex}`);
	const showTexts = role === 'host' || state.options.questionOnPhones;
	const options = optionTexts(question);
	const shuffle = state.round?.shuffle ?? null;
	return {
		index: state.questionIndex,
		total: state.quiz.questions.length,
		number: questionNumber(state.quiz.questions, state.questionIndex),
		questionCount: questionCount(state.quiz.questions),
		type: question.type,
		text: showTexts ? question.text : null,
		...(state.quiz.lang ? { lang: state.quiz.lang } : {}),
		// True and False say nothing about the answer: phones always get them.
		options: showTexts || question.type === 'true-false' ? options : null,
		optionCount: options.length,
		points: question.type === 'poll' || question.type === 'info' ? 'none' : question.points,
		timeLimitMs: question.type === 'info' ? 0 : question.timeLimit * 1000,
		image: showTexts && question.image ? imageUrl(question.image) : null,
		body: question.type === 'info' && role === 'host' ? question.body : null,
		// What every phone needs to answer, question text or not; never the solution.
		slider:
			question.type === 'slider'
				? { min: question.min, max: question.max, step: question.step, unit: question.unit }
				: null,
		items:
			question.type === 'puzzle' && shuffle ? shuffle.map((item) => question.items[item]!) : null,
		maxLength: question.type === 'type-answer' ? MAX_TYPED_ANSWER : null
	};
}

export function standings(state: GameState, count: number): Standing[] {
	const top: Standing[] = [];
	for (const id of state.ranking) {
		if (top.length >= count) break;
		const player = state.players.get(id);
		if (!player) continue;
		top.push({
			playerId: player.id,
			nickname: player.nickname,
			score: player.score,
			rank: player.rank ?? top.length + 1,
			previousRank: player.previousRank
		});
	}
	return top;
}

/** Only while paused: a running question's view has no `pausedAt` at all. */
function paused(state: GameState): { pausedAt?: number } {
	return state.pausedAt === null ? {} : { pausedAt: state.pausedAt };
}

export function phaseView(state: GameState, role: Role): PhaseView {
	const round = state.round;
	switch (state.phase) {
		case 'lobby':
		case 'ended':
			return { phase: state.phase };
		case 'intro':
			return {
				phase: 'intro',
				question: questionView(state, role),
				opensAt: round!.opensAt,
				closesAt: round!.closesAt,
				...paused(state)
			};
		case 'open':
			return {
				phase: 'open',
				question: questionView(state, role),
				opensAt: round!.opensAt,
				closesAt: round!.closesAt,
				...paused(state)
			};
		case 'reveal': {
			const question = currentQuestion(state)!;
			const answers = [...round!.answers.values()].map((answer) => answer.given);
			return {
				phase: 'reveal',
				question: questionView(state, role),
				correct: correctOptions(question),
				distribution: round!.distribution,
				answeredCount: round!.answers.size,
				detail: revealDetail(question, answers)
			};
		}
		case 'slide':
			return { phase: 'slide', question: questionView(state, role) };
		case 'scoreboard':
			return {
				phase: 'scoreboard',
				questionIndex: state.questionIndex,
				total: state.quiz.questions.length,
				// A scoreboard follows a question, never a slide, so it always has a number.
				questionNumber: questionNumber(state.quiz.questions, state.questionIndex) ?? 0,
				questionCount: questionCount(state.quiz.questions),
				standings: standings(state, SCOREBOARD_SIZE)
			};
		case 'podium':
			return { phase: 'podium', standings: standings(state, PODIUM_SIZE) };
	}
}

export function playerSummary(player: Player): PlayerSummary {
	return { id: player.id, nickname: player.nickname, connected: player.connected };
}

export function playerStatus(state: GameState, player: Player): PlayerStatus {
	let ahead: PlayerStatus['ahead'] = null;
	if (player.rank !== null && player.rank > 1) {
		const above = state.players.get(state.ranking[player.rank - 2] ?? '');
		if (above) ahead = { nickname: above.nickname, gap: above.score - player.score };
	}
	const answer =
		state.phase === 'intro' || state.phase === 'open'
			? state.round?.answers.get(player.id)
			: undefined;
	return {
		id: player.id,
		nickname: player.nickname,
		score: player.score,
		streak: player.streak,
		rank: player.rank,
		playerCount: state.players.size,
		ahead,
		lastResult: player.lastResult,
		firstQuestion: player.firstQuestion,
		currentAnswer: answer?.input ?? null
	};
}

/** The one full message a (re)connecting socket gets: its screen renders from this alone. */
export function snapshot(
	state: GameState,
	pin: string,
	role: Role,
	now: number,
	playerId?: string
): ServerMessage {
	const player = playerId ? state.players.get(playerId) : undefined;
	return {
		type: 'state',
		v: PROTOCOL_VERSION,
		role,
		pin,
		quizTitle: state.quiz.title,
		questionCount: state.quiz.questions.length,
		options: state.options,
		serverTime: now,
		view: phaseView(state, role),
		players: role === 'host' ? [...state.players.values()].map(playerSummary) : null,
		playerCount: state.players.size,
		answeredCount: state.round?.answers.size ?? 0,
		answeredOf: countPlaying(state),
		you: player ? playerStatus(state, player) : null,
		locked: state.locked
	};
}

/** Players who can answer the current question (late joiners sit it out). */
export function countPlaying(state: GameState): number {
	// In the lobby nobody plays yet; and every joining phone's snapshot asks (10,000 joins
	// would otherwise walk the room 10,000 times).
	if (state.questionIndex < 0) return 0;
	let count = 0;
	for (const player of state.players.values()) {
		if (isPlaying(player, state.questionIndex)) count++;
	}
	return count;
}
