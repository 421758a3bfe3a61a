/**
 * The rules of a live game as one state machine:
 *
 *   apply(state, event, now) → { effects, error? }
 *
 * lobby → (intro → open → reveal → scoreboard)* → podium → ended
 *
 * Time comes in as `now`; timers go out as a `wake` effect. Nothing here reads a clock, sets a
 * timer or touches a socket, so every rule is tested with a fake clock.
 *
 * `apply` updates the state it is given in place (a room owns exactly one): copying a
 * 10,000-player map on every answer would make an answer burst quadratic. On an error the
 * state is untouched.
 */
import {
	ANSWER_FIELDS,
	type AnswerInput,
	type CloseReason,
	type ErrorCode,
	type NextFrom,
	type PhaseView,
	type ServerMessage
} from '../protocol/messages.ts';
import {
	checkAnswer,
	isAnswerable,
	isScored,
	judge,
	optionTexts,
	seededRandom,
	shuffleOrder
} from './questions.ts';
import { rankPlayers } from './leaderboard.ts';
import type { RoundRecord } from './record.ts';
import type { AnswerableQuestion } from '../protocol/quiz.ts';
import { friendlyName } from './friendly-names.ts';
import { normalizeNickname, nicknameKey } from './nickname.ts';
import { isRude } from './profanity.ts';
import { pointsForCorrectAnswer, streakBonus } from './scoring.ts';
import { acceptedUntil, chargedMs, compensationMs, openingLeadMs } from './timing.ts';
import {
	currentQuestion,
	isPlaying,
	playerOneWayMs,
	type Answer,
	type GameState,
	type Player,
	type Round
} from './state.ts';
import { countPlaying, phaseView, playerStatus, playerSummary } from './views.ts';

export type GameEvent =
	/** `device`: the browser's cookie, so a kick keeps that browser out. */
	| { type: 'join'; playerId: string; nickname: string; device?: string }
	| { type: 'kick'; playerId: string }
	| { type: 'lock'; locked: boolean }
	| { type: 'pause'; paused: boolean }
	| { type: 'connection'; playerId: string; connected: boolean }
	| { type: 'rtt'; playerId: string; rttMs: number }
	| { type: 'start' }
	| { type: 'next'; from?: NextFrom }
	| { type: 'end' }
	/** `lateMs`: the phone's question frame came after `opensAt` (timing.ts). */
	| ({ type: 'answer'; playerId: string; questionIndex: number; lateMs?: number } & AnswerInput)
	/** The time asked for by the last `wake` effect has come. */
	| { type: 'wake' }
	/**
	 * The game was stopped (server restart) and picks up again: a running countdown or question
	 * gets the time it lost back, so nobody is charged for the downtime.
	 */
	| { type: 'resume'; pausedMs: number };

export type Audience = 'host' | 'players' | 'everyone';

export type Effect =
	| { kind: 'send'; to: Audience; message: ServerMessage }
	| { kind: 'send-player'; playerId: string; message: ServerMessage }
	/** Call back with `wake` at this time (replaces the previous request); null: nothing due. */
	| { kind: 'wake'; at: number | null }
	/** A phase boundary: a good moment to snapshot the room. */
	| { kind: 'persist' }
	/** Close this player's socket (or everyone's, with `playerId` null) for this reason. */
	| { kind: 'disconnect'; playerId: string | null; reason: CloseReason }
	/** An answer was accepted: keep it safe before the acknowledgement (effects run in order). */
	| { kind: 'answer-accepted'; playerId: string; questionIndex: number; answer: Answer };

export interface RuleError {
	code: ErrorCode;
	message: string;
}

export interface Outcome {
	effects: Effect[];
	error?: RuleError;
}

/** How long after a player drops out the question may close early without them. */
export const DISCONNECT_SETTLE_MS = 1000;

/** How often at most the host hears "answered: n / m" during a burst. */
export const ANSWER_COUNT_INTERVAL_MS = 250;

export function apply(state: GameState, event: GameEvent, now: number): Outcome {
	const effects: Effect[] = [];
	const error = handle(state, event, now, effects);
	if (error) return { effects: [], error };
	const wakeAt = nextWake(state);
	// A `wake` used up the room's timer: ask again even for the same time, or a timer that
	// fired a moment early (Node's can, by a millisecond) would leave nothing scheduled.
	if (wakeAt !== state.wakeAt || (event.type === 'wake' && wakeAt !== null)) {
		state.wakeAt = wakeAt;
		effects.push({ kind: 'wake', at: wakeAt });
	}
	return { effects };
}

function handle(
	state: GameState,
	event: GameEvent,
	now: number,
	effects: Effect[]
): RuleError | undefined {
	switch (event.type) {
		case 'join':
			return join(state, event, effects);
		case 'kick':
			return kick(state, event.playerId, effects);
		case 'lock':
			return lock(state, event.locked, effects);
		case 'pause':
			return pause(state, event.paused, now, effects);
		case 'connection':
			return setConnected(state, event.playerId, event.connected, now, effects);
		case 'rtt': {
			const player = state.players.get(event.playerId);
			if (player) player.rttMs = event.rttMs;
			return;
		}
		case 'start':
			if (state.phase !== 'lobby') return wrongPhase('start', state);
			if (state.players.size === 0) {
				return { code: 'no-players', message: 'Wait for at least one player to join' };
			}
			state.startedAt = now;
			return beginQuestion(state, 0, now, effects);
		case 'next':
			// Meant for a screen already gone (a double click, a key held down): nothing to do.
			if (event.from && !onScreen(state, event.from)) return;
			// Moving on goes on from a pause too: the question closes, or the countdown is skipped.
			state.pausedAt = null;
			return next(state, now, effects);
		case 'end':
			if (state.phase === 'ended') return wrongPhase('end', state);
			state.phase = 'ended';
			state.pausedAt = null;
			state.round = null;
			sendPhase(state, effects);
			effects.push({ kind: 'disconnect', playerId: null, reason: 'ended' }, { kind: 'persist' });
			return;
		case 'answer':
			return answer(state, event, now, effects);
		case 'wake':
			wake(state, now, effects);
			return;
		case 'resume':
			resume(state, event.pausedMs);
			return;
	}
}

/**
 * The host pauses the countdown or the open question, and goes on: every deadline then moves by
 * the time the game stood, so the question keeps the time it had left and an answer's time
 * leaves the pause out.
 */
function pause(
	state: GameState,
	paused: boolean,
	now: number,
	effects: Effect[]
): RuleError | undefined {
	if (state.phase !== 'intro' && state.phase !== 'open') return wrongPhase('pause', state);
	if ((state.pausedAt !== null) === paused) return;
	if (paused) {
		state.pausedAt = now;
	} else {
		const pausedMs = now - state.pausedAt!;
		state.pausedAt = null;
		resume(state, pausedMs);
	}
	sendPhase(state, effects);
	effects.push({ kind: 'persist' });
}

function resume(state: GameState, pausedMs: number): void {
	const round = state.round;
	if (!round || (state.phase !== 'intro' && state.phase !== 'open')) return;
	// Still paused (the server restarted meanwhile): going on will count the whole time.
	if (state.pausedAt !== null) return;
	round.opensAt += pausedMs;
	round.closesAt += pausedMs;
	if (round.nextTickAt !== null) round.nextTickAt += pausedMs;
	// Worked out again at the (moved) deadline, from the links players reconnect with.
	round.revealAt = null;
	round.answersFlushAt = null;
	round.closeCheckAt = null;
}

// ---------------------------------------------------------------------------------------------
// Players

function join(
	state: GameState,
	{ playerId, nickname: rawNickname, device }: Extract<GameEvent, { type: 'join' }>,
	effects: Effect[]
): RuleError | undefined {
	if (state.phase === 'podium' || state.phase === 'ended') {
		return { code: 'game-over', message: 'This game is over' };
	}
	if (device !== undefined && state.banned.has(device)) {
		return { code: 'banned', message: 'The host removed you from this game' };
	}
	if (state.locked) {
		return { code: 'game-locked', message: 'The host has locked this game: no new players' };
	}
	if (state.players.size >= state.maxPlayers) {
		return { code: 'game-full', message: 'This game is full' };
	}
	const checked = pickNickname(state, rawNickname);
	if (!checked.ok) return { code: checked.code, message: checked.message };
	const key = nicknameKey(checked.nickname);
	const player: Player = {
		id: playerId,
		nickname: checked.nickname,
		joinOrder: state.nextJoinOrder++,
		// Present: they just joined over HTTP. The room marks them gone if no socket follows.
		connected: true,
		score: 0,
		streak: 0,
		correctAnswerMs: 0,
		rank: null,
		previousRank: null,
		// In the lobby or during a countdown they play the coming question; else the next one.
		firstQuestion:
			state.phase === 'lobby'
				? 0
				: state.phase === 'intro'
					? state.questionIndex
					: state.questionIndex + 1,
		rttMs: 0,
		device: device ?? null,
		lastResult: null
	};
	state.players.set(playerId, player);
	state.nicknames.add(key);
	state.ranking.push(playerId);
	effects.push({
		kind: 'send',
		to: 'host',
		message: {
			type: 'player-joined',
			player: playerSummary(player),
			playerCount: state.players.size
		}
	});
}

/**
 * The nickname a joining player gets: with friendly names a generated one (whatever they
 * typed), else what they typed, tidied up, if it is fine to show and not taken.
 */
function pickNickname(
	state: GameState,
	raw: string
): { ok: true; nickname: string } | ({ ok: false } & RuleError) {
	if (state.options.friendlyNames) {
		const taken = (nickname: string) => state.nicknames.has(nicknameKey(nickname));
		return { ok: true, nickname: friendlyName(state.seed, state.nextJoinOrder, taken) };
	}
	const checked = normalizeNickname(raw);
	if (!checked.ok) return checked;
	// `!== false`: games restored from before the option existed are filtered too.
	if (state.options.profanityFilter !== false && isRude(checked.nickname)) {
		return { ok: false, code: 'nickname-rude', message: 'Pick a friendlier nickname' };
	}
	if (state.nicknames.has(nicknameKey(checked.nickname))) {
		const message = `"${checked.nickname}" is taken: pick another`;
		return { ok: false, code: 'nickname-taken', message };
	}
	return checked;
}

function kick(state: GameState, playerId: string, effects: Effect[]): RuleError | undefined {
	const player = state.players.get(playerId);
	if (!player) return { code: 'unknown-player', message: 'No such player in this game' };
	const round = state.round;
	if (round && state.phase === 'open' && awaited(state, round, player)) {
		round.waitingFor--;
	}
	state.players.delete(playerId);
	state.nicknames.delete(nicknameKey(player.nickname));
	if (player.device !== null) state.banned.add(player.device);
	state.ranking = state.ranking.filter((id) => id !== playerId);
	// Those ranked below move up: no gap on the podium, no one "behind" themselves.
	for (const other of state.players.values()) {
		if (player.rank !== null && other.rank !== null && other.rank > player.rank) other.rank--;
	}
	effects.push(
		{ kind: 'disconnect', playerId, reason: 'kicked' },
		{
			kind: 'send',
			to: 'host',
			message: { type: 'player-left', playerId, playerCount: state.players.size }
		},
		// The ban must outlive a restart.
		{ kind: 'persist' }
	);
	closeIfEveryoneAnswered(state, effects);
}

function lock(state: GameState, locked: boolean, effects: Effect[]): RuleError | undefined {
	if (state.phase === 'podium' || state.phase === 'ended') return wrongPhase('lock', state);
	if (state.locked === locked) return;
	state.locked = locked;
	effects.push(
		{ kind: 'send', to: 'host', message: { type: 'locked', locked } },
		{ kind: 'persist' }
	);
}

function setConnected(
	state: GameState,
	playerId: string,
	connected: boolean,
	now: number,
	effects: Effect[]
): RuleError | undefined {
	const player = state.players.get(playerId);
	if (!player) return { code: 'unknown-player', message: 'No such player in this game' };
	if (player.connected === connected) return;
	const round = state.round;
	// Whether they still owe an answer, whichever way the connection just went.
	const counted =
		round &&
		state.phase === 'open' &&
		isPlaying(player, state.questionIndex) &&
		!round.answers.has(player.id);
	player.connected = connected;
	if (counted) round.waitingFor += connected ? 1 : -1;
	effects.push({
		kind: 'send',
		to: 'host',
		message: { type: 'player-connection', playerId, connected }
	});
	// A dropped link closes the question only if nobody else drops or comes back within a
	// moment: when a room's Wi-Fi fails, sockets die one by one, not all at once.
	if (!connected && counted) round.closeCheckAt = now + DISCONNECT_SETTLE_MS;
}

/** A connected player still expected to answer the open question. */
function awaited(state: GameState, round: Round, player: Player): boolean {
	return (
		player.connected && isPlaying(player, state.questionIndex) && !round.answers.has(player.id)
	);
}

// ---------------------------------------------------------------------------------------------
// Phases

function onScreen(state: GameState, from: NextFrom): boolean {
	return from.phase === state.phase && from.questionIndex === state.questionIndex;
}

function next(state: GameState, now: number, effects: Effect[]): RuleError | undefined {
	switch (state.phase) {
		case 'intro':
			// Skipped: the answers open as soon as the question can reach the phones.
			openQuestion(
				state,
				Math.min(state.round!.opensAt, now + openingLeadMs(slowestOneWay(state))),
				effects
			);
			return;
		case 'open':
			reveal(state, effects);
			return;
		case 'reveal':
			state.phase = 'scoreboard';
			sendPhase(state, effects);
			effects.push({ kind: 'persist' });
			return;
		case 'scoreboard':
		case 'slide':
			if (state.questionIndex + 1 < state.quiz.questions.length) {
				return beginQuestion(state, state.questionIndex + 1, now, effects);
			}
			state.phase = 'podium';
			state.round = null;
			// Late joiners since the last reveal get their final place too.
			state.ranking = rankPlayers(state.players.values());
			state.standingsVersion++;
			sendPhase(state, effects);
			sendEachPlayerStatus(state, effects);
			effects.push({ kind: 'persist' });
			return;
		default:
			return wrongPhase('next', state);
	}
}

function beginQuestion(
	state: GameState,
	index: number,
	now: number,
	effects: Effect[]
): RuleError | undefined {
	const question = state.quiz.questions[index]!;
	state.questionIndex = index;
	if (!isAnswerable(question)) {
		// An info slide stays up until the host moves on.
		state.round = null;
		state.phase = 'slide';
		sendPhase(state, effects);
		effects.push({ kind: 'persist' });
		return;
	}
	const introMs = state.options.introSeconds * 1000;
	// Screens open the answers at opensAt by their clocks: with no "get ready" time, a short lead
	// still lets the question reach the phones first (timing.ts).
	const leadMs = introMs > 0 ? introMs : openingLeadMs(slowestOneWay(state));
	state.round = {
		opensAt: now + leadMs,
		closesAt: now + leadMs + question.timeLimit * 1000,
		answers: new Map(),
		distribution: optionTexts(question).map(() => 0),
		shuffle:
			question.type === 'puzzle'
				? shuffleOrder(question.items.length, seededRandom(state.seed + index))
				: null,
		waitingFor: 0,
		revealAt: null,
		nextTickAt: null,
		answersFlushAt: null,
		closeCheckAt: null
	};
	if (introMs === 0) {
		// Open at once, with opensAt a lead ahead: phones show "get ready" until then.
		openQuestion(state, state.round.opensAt, effects);
		return;
	}
	state.phase = 'intro';
	sendPhase(state, effects);
	effects.push({ kind: 'persist' });
}

/**
 * `opensAt`: when the answers open. At the planned time (screens open on their own clocks then,
 * even if the room's timer fires a little late), or now when the host skipped the countdown,
 * which moves the deadline with it.
 */
function openQuestion(state: GameState, opensAt: number, effects: Effect[]): void {
	const round = state.round!;
	const limitMs = answerableQuestion(state).timeLimit * 1000;
	round.opensAt = opensAt;
	round.closesAt = opensAt + limitMs;
	round.nextTickAt = firstTickAt(round.opensAt, round.closesAt);
	round.waitingFor = 0;
	for (const player of state.players.values()) {
		if (awaited(state, round, player)) round.waitingFor++;
	}
	state.phase = 'open';
	sendPhase(state, effects);
	effects.push({ kind: 'persist' });
}

/** Ticks fall on whole seconds before the deadline; the open message itself shows the first. */
function firstTickAt(opensAt: number, closesAt: number): number | null {
	const seconds = Math.ceil((closesAt - opensAt) / 1000);
	return seconds > 1 ? closesAt - (seconds - 1) * 1000 : null;
}

function reveal(state: GameState, effects: Effect[]): void {
	const round = state.round!;
	const question = answerableQuestion(state);
	const limitMs = question.timeLimit * 1000;
	const scored = isScored(question);
	const record: RoundRecord = {
		questionIndex: state.questionIndex,
		openedAt: round.opensAt,
		answers: []
	};
	for (const player of state.players.values()) {
		if (!isPlaying(player, state.questionIndex)) continue;
		const answer = round.answers.get(player.id);
		const verdict = answer ? judge(question, answer.given) : { correct: false, accuracy: 0 };
		const { correct, accuracy } = verdict;
		let points = 0;
		let bonus = 0;
		// Polls and no-points questions leave streaks alone: nothing to be right about.
		if (scored && question.type !== 'poll') {
			if (answer && correct) {
				player.streak++;
				bonus = state.options.streakBonus ? streakBonus(player.streak) : 0;
				const speedPoints = pointsForCorrectAnswer(
					question.points,
					{ elapsedMs: answer.elapsedMs, timeLimitMs: limitMs },
					state.options.speedScoring
				);
				points = Math.round(speedPoints * verdict.accuracy) + bonus;
				player.score += points;
				player.correctAnswerMs += answer.elapsedMs;
			} else {
				player.streak = 0;
			}
		}
		if (answer) {
			record.answers.push({
				playerId: player.id,
				answer: answer.given,
				elapsedMs: answer.elapsedMs,
				correct,
				points
			});
		}
		player.lastResult = {
			questionIndex: state.questionIndex,
			type: question.type,
			answered: answer !== undefined,
			scored: question.type !== 'poll',
			correct,
			accuracy,
			points,
			streakBonus: bonus,
			streak: player.streak
		};
	}
	state.history.push(record);
	state.ranking = rankPlayers(state.players.values());
	state.standingsVersion++;
	round.nextTickAt = null;
	round.answersFlushAt = null;
	round.closeCheckAt = null;
	round.revealAt = null;
	state.phase = 'reveal';
	sendPhase(state, effects);
	sendEachPlayerStatus(state, effects);
	effects.push({ kind: 'persist' });
}

/**
 * Closes the question once every connected player has answered, but not when nobody is
 * connected at all: a room whose Wi-Fi dropped (or whose server restarted) waits for its
 * players until the deadline.
 */
function closeIfEveryoneAnswered(state: GameState, effects: Effect[]): void {
	const round = state.round;
	if (state.phase !== 'open' || !round || round.waitingFor > 0 || round.answers.size === 0) return;
	const someoneHere = [...state.players.values()].some(
		(player) => player.connected && isPlaying(player, state.questionIndex)
	);
	if (someoneHere) reveal(state, effects);
}

// ---------------------------------------------------------------------------------------------
// Answers

function answer(
	state: GameState,
	event: Extract<GameEvent, { type: 'answer' }>,
	now: number,
	effects: Effect[]
): RuleError | undefined {
	const { playerId, questionIndex } = event;
	const player = state.players.get(playerId);
	if (!player) return { code: 'unknown-player', message: 'You are not in this game' };
	const round = state.round;
	if (questionIndex !== state.questionIndex || !round) {
		return { code: 'wrong-question', message: `Question ${questionIndex + 1} is not being asked` };
	}
	if (state.pausedAt !== null) {
		return { code: 'paused', message: 'The game is paused: answer when it goes on' };
	}
	// The phones opened at opensAt by their clocks: the room's timer may not have fired yet.
	if (state.phase === 'intro' && now >= round.opensAt) openQuestion(state, round.opensAt, effects);
	if (state.phase === 'intro') {
		return { code: 'wrong-phase', message: 'Answers are not open yet' };
	}
	if (state.phase !== 'open') {
		return { code: 'too-late', message: 'Too late: time was up' };
	}
	if (!isPlaying(player, questionIndex)) {
		return { code: 'not-playing', message: 'You joined during this question: play the next one' };
	}
	if (round.answers.has(playerId)) {
		return { code: 'already-answered', message: 'You already answered this question' };
	}
	const input = answerInput(event);
	const checked = checkAnswer(answerableQuestion(state), input, round.shuffle);
	if (!checked.ok) return { code: checked.code, message: checked.message };
	const oneWay = playerOneWayMs(player);
	if (now > acceptedUntil(round.closesAt, oneWay)) {
		return { code: 'too-late', message: 'Too late: time was up' };
	}
	const elapsedMs = chargedMs({
		receivedAt: now,
		opensAt: round.opensAt,
		closesAt: round.closesAt,
		oneWayMs: oneWay,
		lateMs: event.lateMs
	});
	const { given } = checked;
	const accepted: Answer = { input, given, elapsedMs };
	round.answers.set(playerId, accepted);
	if (given.kind === 'choice') round.distribution[given.index]!++;
	if (given.kind === 'choices') for (const index of given.indexes) round.distribution[index]!++;
	if (player.connected) round.waitingFor--;
	effects.push(
		{ kind: 'answer-accepted', playerId, questionIndex, answer: accepted },
		{ kind: 'send-player', playerId, message: { type: 'answer-ack', questionIndex, ...input } }
	);
	if (round.answersFlushAt === null) round.answersFlushAt = now + ANSWER_COUNT_INTERVAL_MS;
	closeIfEveryoneAnswered(state, effects);
}

/** Just the answer field the player sent (the event also carries who and which question). */
function answerInput(event: AnswerInput): AnswerInput {
	const input: Record<string, unknown> = {};
	for (const field of ANSWER_FIELDS) if (event[field] !== undefined) input[field] = event[field];
	return input as AnswerInput;
}

function answerableQuestion(state: GameState): AnswerableQuestion {
	const question = currentQuestion(state);
	if (!question || !isAnswerable(question)) {
		throw new Error(`Question ${state.questionIndex} takes no answers`);
	}
	return question;
}

// ---------------------------------------------------------------------------------------------
// The clock

function wake(state: GameState, now: number, effects: Effect[]): void {
	const round = state.round;
	if (!round) return;
	if (state.phase === 'intro' && now >= round.opensAt) {
		openQuestion(state, round.opensAt, effects);
		return;
	}
	if (state.phase !== 'open') return;
	if (round.closeCheckAt !== null && now >= round.closeCheckAt) {
		round.closeCheckAt = null;
		closeIfEveryoneAnswered(state, effects);
		if (state.phase !== 'open') return;
	}
	if (now >= round.closesAt) {
		// Answers from slow links may still be on their way: wait for the slowest one we know of.
		round.revealAt ??= round.closesAt + slowestCompensation(state, round);
		if (now >= round.revealAt) {
			reveal(state, effects);
			return;
		}
	}
	if (round.nextTickAt !== null && now >= round.nextTickAt) {
		const remaining = Math.max(1, Math.round((round.closesAt - now) / 1000));
		effects.push({
			kind: 'send',
			to: 'everyone',
			message: { type: 'tick', questionIndex: state.questionIndex, remaining }
		});
		const following = round.closesAt - (remaining - 1) * 1000;
		round.nextTickAt = remaining > 1 ? following : null;
	}
	if (round.answersFlushAt !== null && now >= round.answersFlushAt) {
		round.answersFlushAt = null;
		effects.push({
			kind: 'send',
			to: 'host',
			message: {
				type: 'answers',
				questionIndex: state.questionIndex,
				count: round.answers.size,
				of: countPlaying(state)
			}
		});
	}
}

function slowestCompensation(state: GameState, round: Round): number {
	let slowest = 0;
	for (const player of state.players.values()) {
		if (awaited(state, round, player)) {
			slowest = Math.max(slowest, compensationMs(playerOneWayMs(player)));
		}
	}
	return slowest;
}

/** The slowest way down among the connected players: the lead a 0 s countdown needs. */
function slowestOneWay(state: GameState): number {
	let slowest = 0;
	for (const player of state.players.values()) {
		if (player.connected) slowest = Math.max(slowest, playerOneWayMs(player));
	}
	return slowest;
}

function nextWake(state: GameState): number | null {
	const round = state.round;
	// Paused: nothing is due until the host goes on.
	if (!round || state.pausedAt !== null) return null;
	if (state.phase === 'intro') return round.opensAt;
	if (state.phase !== 'open') return null;
	let at = round.revealAt ?? round.closesAt;
	if (round.nextTickAt !== null) at = Math.min(at, round.nextTickAt);
	if (round.answersFlushAt !== null) at = Math.min(at, round.answersFlushAt);
	if (round.closeCheckAt !== null) at = Math.min(at, round.closeCheckAt);
	return at;
}

// ---------------------------------------------------------------------------------------------
// Messages

function sendPhase(state: GameState, effects: Effect[]): void {
	const hostView = phaseView(state, 'host');
	const playerView = phaseView(state, 'player');
	if (sameView(hostView, playerView)) {
		effects.push({ kind: 'send', to: 'everyone', message: { type: 'phase', ...hostView } });
	} else {
		effects.push(
			{ kind: 'send', to: 'host', message: { type: 'phase', ...hostView } },
			{ kind: 'send', to: 'players', message: { type: 'phase', ...playerView } }
		);
	}
}

/**
 * Views differ only in the question (texts hidden from phones, a slide's body kept for the
 * projector); compare just those.
 */
function sameView(a: PhaseView, b: PhaseView): boolean {
	if (!('question' in a) || !('question' in b)) return true;
	return a.question.text === b.question.text && a.question.body === b.question.body;
}

function sendEachPlayerStatus(state: GameState, effects: Effect[]): void {
	for (const player of state.players.values()) {
		effects.push({
			kind: 'send-player',
			playerId: player.id,
			message: { type: 'you', you: playerStatus(state, player) }
		});
	}
}

function wrongPhase(command: string, state: GameState): RuleError {
	return { code: 'wrong-phase', message: `Cannot ${command} during ${state.phase}` };
}
