/**
 * The rules of a live game, driven through `apply(state, event, now)` with a fake clock: `now`
 * is a plain number of milliseconds, and `Game.runUntil` plays the room's part by firing `wake`
 * at exactly the times the rules asked for. Every assertion is something a host or a player
 * could check on their screen: phases, scores, ranks, and who received which message.
 */
import * as v from 'valibot';
import { describe, expect, it, test } from 'vitest';
import {
	DEFAULT_GAME_OPTIONS,
	type AnswerInput,
	type ErrorCode,
	type GameOptions,
	type Phase,
	type PlayerStatus,
	type ServerMessage
} from '../protocol/messages.ts';
import {
	QuestionSchema,
	type PointsLevel,
	type Question,
	type QuestionOf,
	type QuestionType
} from '../protocol/quiz.ts';
import {
	ANSWER_COUNT_INTERVAL_MS,
	DISCONNECT_SETTLE_MS,
	apply,
	type Effect,
	type GameEvent
} from './rules.ts';
import { recordGame } from './record-game.ts';
import { createGameState, type GameState } from './state.ts';
import { MAX_COMPENSATION_MS, MAX_OPENING_LEAD_MS, OPENING_MARGIN_MS } from './timing.ts';
import { snapshot } from './views.ts';

// ---------------------------------------------------------------------------------------------
// A tiny quiz and a game driven by a fake clock

/** Mars is option 1 of 4; 20 seconds; standard points. */
function question(overrides: Partial<QuestionOf<'quiz'>> = {}): QuestionOf<'quiz'> {
	return {
		type: 'quiz',
		text: 'Which planet is known as the red planet?',
		options: ['Venus', 'Mars', 'Jupiter', 'Saturn'],
		correct: [1],
		timeLimit: 20,
		points: 'standard',
		...overrides
	};
}

const RIGHT = 1;
const WRONG = 0;

interface Setup {
	questions?: Question[];
	/** On top of the defaults, except that the intro is 0 s unless a test asks for one. */
	options?: Partial<GameOptions>;
	maxPlayers?: number;
	/** Seeds the puzzle shuffles (the rules' default is 1). */
	seed?: number;
}

/** One answer in a round: who, which option, how long after the question opened. */
type Answering = [playerId: string, choice: number, afterMs: number];

class Game {
	readonly state: GameState;
	now = 0;

	constructor({
		questions = [question(), question()],
		options = {},
		maxPlayers = 100,
		seed
	}: Setup = {}) {
		this.state = createGameState({
			quiz: { version: 1, id: 'planets', title: 'Planets', description: '', questions },
			options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0, ...options },
			maxPlayers,
			seed
		});
	}

	get phase(): Phase {
		return this.state.phase;
	}

	get opensAt(): number {
		return this.state.round!.opensAt;
	}

	get closesAt(): number {
		return this.state.round!.closesAt;
	}

	/** Applies an event the rules must accept, at `at` (default: the current time). */
	do(event: GameEvent, at = this.now): Effect[] {
		this.now = at;
		const outcome = apply(this.state, event, at);
		expect(outcome.error, `"${event.type}" was refused`).toBeUndefined();
		return outcome.effects;
	}

	/** Applies an event the rules must refuse: nothing may change and nothing may be sent. */
	refuse(event: GameEvent, at = this.now): ErrorCode {
		this.now = at;
		const before = structuredClone(this.state);
		const outcome = apply(this.state, event, at);
		expect(outcome.error, `"${event.type}" was accepted`).toBeDefined();
		expect(outcome.effects).toEqual([]);
		expect(this.state).toEqual(before);
		return outcome.error!.code;
	}

	/** Players join under these nicknames; their ids are the nicknames. */
	join(...nicknames: string[]): Effect[] {
		return nicknames.flatMap((nickname) => this.do({ type: 'join', playerId: nickname, nickname }));
	}

	start(at = this.now): Effect[] {
		return this.do({ type: 'start' }, at);
	}

	next(at = this.now): Effect[] {
		return this.do({ type: 'next' }, at);
	}

	answer(playerId: string, choice: number, at = this.now): Effect[] {
		return this.do(
			{ type: 'answer', playerId, questionIndex: this.state.questionIndex, choice },
			at
		);
	}

	refuseAnswer(playerId: string, choice: number, at = this.now, index?: number): ErrorCode {
		const questionIndex = index ?? this.state.questionIndex;
		return this.refuse({ type: 'answer', playerId, questionIndex, choice }, at);
	}

	/** Any kind of answer: `{ choices }`, `{ text }`, `{ value }`, `{ order }` or `{ choice }`. */
	give(playerId: string, input: AnswerInput, at = this.now): Effect[] {
		return this.do(
			{ type: 'answer', playerId, questionIndex: this.state.questionIndex, ...input },
			at
		);
	}

	refuseGiven(playerId: string, input: AnswerInput, at = this.now): ErrorCode {
		const questionIndex = this.state.questionIndex;
		return this.refuse({ type: 'answer', playerId, questionIndex, ...input }, at);
	}

	disconnect(playerId: string, at = this.now): Effect[] {
		return this.do({ type: 'connection', playerId, connected: false }, at);
	}

	reconnect(playerId: string, at = this.now): Effect[] {
		return this.do({ type: 'connection', playerId, connected: true }, at);
	}

	/** The room's timer: fires `wake` at each time the rules ask for, up to and including `until`. */
	runUntil(until: number): Effect[] {
		const effects: Effect[] = [];
		for (let fired = 0; this.state.wakeAt !== null && this.state.wakeAt <= until; fired++) {
			if (fired > 10_000) throw new Error('The rules keep asking to be woken');
			effects.push(...this.do({ type: 'wake' }, Math.max(this.now, this.state.wakeAt)));
		}
		this.now = Math.max(this.now, until);
		return effects;
	}

	/**
	 * Plays the open question: each player answers `afterMs` after it opened, then the host
	 * closes it unless it already closed early. Returns every effect up to the reveal.
	 */
	round(...answers: Answering[]): Effect[] {
		expect(this.phase).toBe('open');
		const opensAt = this.opensAt;
		const effects: Effect[] = [];
		for (const [playerId, choice, afterMs] of answers) {
			effects.push(...this.answer(playerId, choice, opensAt + afterMs));
		}
		if (this.phase === 'open') effects.push(...this.next());
		expect(this.phase).toBe('reveal');
		return effects;
	}

	/** Like `round`, with any kind of answer. */
	roundOf(...answers: [playerId: string, input: AnswerInput, afterMs: number][]): Effect[] {
		expect(this.phase).toBe('open');
		const opensAt = this.opensAt;
		const effects: Effect[] = [];
		for (const [playerId, input, afterMs] of answers) {
			effects.push(...this.give(playerId, input, opensAt + afterMs));
		}
		if (this.phase === 'open') effects.push(...this.next());
		expect(this.phase).toBe('reveal');
		return effects;
	}

	/** The positions, as shown in this game, that put the open puzzle's items in order. */
	get puzzleSolution(): number[] {
		const shuffle = this.state.round!.shuffle!;
		return shuffle.map((_, item) => shuffle.indexOf(item));
	}

	/** From the reveal, through the scoreboard, to the next question's opening. */
	toNextQuestion(): Effect[] {
		const effects = [...this.next(), ...this.next()];
		if (this.phase === 'intro') effects.push(...this.runUntil(this.opensAt));
		expect(this.phase).toBe('open');
		return effects;
	}
}

// ---------------------------------------------------------------------------------------------
// Who received what

type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
type PhaseMessage<P extends Phase> = Extract<MessageOf<'phase'>, { phase: P }>;

/** What the projector receives: messages to the host or to everyone. */
function toHost(effects: Effect[]): ServerMessage[] {
	return effects.flatMap((e) => (e.kind === 'send' && e.to !== 'players' ? [e.message] : []));
}

/** What every phone receives: messages to all players or to everyone. */
function toPhones(effects: Effect[]): ServerMessage[] {
	return effects.flatMap((e) => (e.kind === 'send' && e.to !== 'host' ? [e.message] : []));
}

/** What one phone receives: the broadcasts to phones and its own messages, in order. */
function toPhone(effects: Effect[], playerId: string): ServerMessage[] {
	return effects.flatMap((e) =>
		(e.kind === 'send' && e.to !== 'host') || (e.kind === 'send-player' && e.playerId === playerId)
			? [e.message]
			: []
	);
}

function ofType<T extends ServerMessage['type']>(
	messages: ServerMessage[],
	type: T
): MessageOf<T>[] {
	return messages.filter((m): m is MessageOf<T> => m.type === type);
}

/** The one `phase` message for this phase among these messages. */
function phaseMessage<P extends Phase>(messages: ServerMessage[], phase: P): PhaseMessage<P> {
	const found = ofType(messages, 'phase').filter((m): m is PhaseMessage<P> => m.phase === phase);
	expect(found, `one "${phase}" message`).toHaveLength(1);
	return found[0]!;
}

/** The player's own standing as their phone last heard it in these effects. */
function you(effects: Effect[], playerId: string): PlayerStatus {
	const mine = effects.flatMap((e) =>
		e.kind === 'send-player' && e.playerId === playerId && e.message.type === 'you'
			? [e.message.you]
			: []
	);
	expect(mine.length, `a "you" message for ${playerId}`).toBeGreaterThan(0);
	return mine.at(-1)!;
}

/** The times the rules asked to be woken at, in order. */
function wakeRequests(effects: Effect[]): (number | null)[] {
	return effects.flatMap((e) => (e.kind === 'wake' ? [e.at] : []));
}

function phasesAnnounced(effects: Effect[]): Phase[] {
	return ofType(toHost(effects), 'phase').map((m) => m.phase);
}

// =============================================================================================

describe('starting a game', () => {
	it('is refused with nobody in the lobby', () => {
		const game = new Game();
		expect(game.refuse({ type: 'start' })).toBe('no-players');
		expect(game.phase).toBe('lobby');
	});

	it('is refused once the game has started', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start();
		expect(game.refuse({ type: 'start' })).toBe('wrong-phase');
		game.next();
		expect(game.refuse({ type: 'start' })).toBe('wrong-phase');
	});

	it('shows the first question\'s "get ready" and asks to be woken when answers open', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		const effects = game.start(1_000);
		expect(game.phase).toBe('intro');
		const intro = phaseMessage(toHost(effects), 'intro');
		expect(intro.question.index).toBe(0);
		expect(intro.opensAt).toBe(5_000);
		expect(phaseMessage(toPhones(effects), 'intro').opensAt).toBe(5_000);
		expect(wakeRequests(effects)).toEqual([5_000]);
		expect(effects).toContainEqual({ kind: 'persist' });
	});

	it('goes straight to open answers with a 0-second intro', () => {
		const game = new Game({ options: { introSeconds: 0 } });
		game.join('Ana');
		const effects = game.start(1_000);
		expect(game.phase).toBe('open');
		expect(phasesAnnounced(effects)).toEqual(['open']);
		const open = phaseMessage(toPhones(effects), 'open');
		expect([open.opensAt, open.closesAt]).toEqual([1_000, 21_000]);
	});
});

describe('the intro', () => {
	it('ends on the wake at opensAt: answers open for the time limit from then', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		const effects = game.do({ type: 'wake' }, 4_000);
		expect(game.phase).toBe('open');
		const open = phaseMessage(toPhones(effects), 'open');
		expect([open.opensAt, open.closesAt]).toEqual([4_000, 24_000]);
	});

	it('is not cut short by a wake that comes a moment early, which asks again for opensAt', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		const effects = game.do({ type: 'wake' }, 3_999);
		expect(game.phase).toBe('intro');
		expect(toHost(effects)).toEqual([]);
		// The room's timer fired: without a new request the game would wait forever.
		expect(wakeRequests(effects)).toEqual([4_000]);
		game.runUntil(4_000);
		expect(game.phase).toBe('open');
	});

	it('is skipped by the host\'s "next", and the deadline moves with it', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		const effects = game.next(1_500);
		expect(game.phase).toBe('open');
		const open = phaseMessage(toHost(effects), 'open');
		expect([open.opensAt, open.closesAt]).toEqual([1_500, 21_500]);
	});
});

describe('answers open at opensAt on every screen (fair on every link)', () => {
	it('with a 0-second intro, opens a lead ahead that the slowest known link needs', () => {
		const game = new Game({ options: { introSeconds: 0 } });
		game.join('Ana', 'Ben');
		game.do({ type: 'rtt', playerId: 'Ben', rttMs: 200 }); // 100 ms each way
		const effects = game.start(1_000);
		expect(game.phase).toBe('open');
		const open = phaseMessage(toPhones(effects), 'open');
		expect(open.opensAt).toBe(1_000 + 100 + OPENING_MARGIN_MS);
		expect(open.closesAt).toBe(open.opensAt + 20_000);
	});

	it('never leads by more than the bound, however slow the link', () => {
		const game = new Game({ options: { introSeconds: 0 } });
		game.join('Ana');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 5_000 });
		game.start(1_000);
		expect(game.opensAt).toBe(1_000 + MAX_OPENING_LEAD_MS);
	});

	it('a skipped intro opens a lead ahead too, never later than planned', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 100 });
		game.start(0);
		game.next(1_000);
		expect(game.opensAt).toBe(1_000 + 50 + OPENING_MARGIN_MS);
		const late = new Game({ options: { introSeconds: 4 } });
		late.join('Ana');
		late.do({ type: 'rtt', playerId: 'Ana', rttMs: 400 });
		late.start(0);
		late.next(3_950);
		expect(late.opensAt).toBe(4_000);
	});

	it('the intro says when answers close, so screens open them on their own clocks', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		const effects = game.start(1_000);
		expect(phaseMessage(toPhones(effects), 'intro')).toMatchObject({
			opensAt: 5_000,
			closesAt: 25_000
		});
	});

	it("keeps the planned opensAt when the room's timer fires late", () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		const effects = game.do({ type: 'wake' }, 4_030);
		const open = phaseMessage(toPhones(effects), 'open');
		expect([open.opensAt, open.closesAt]).toEqual([4_000, 24_000]);
	});

	it('an answer after opensAt that beats the timer opens the question and counts', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.answer('Ana', RIGHT, 4_700);
		expect(game.phase).toBe('open');
		expect(phasesAnnounced(effects)).toEqual(['open']);
		expect(game.state.round!.answers.get('Ana')!.elapsedMs).toBe(700);
		expect(game.refuseAnswer('Ana', RIGHT, 4_800)).toBe('already-answered');
	});

	it('still refuses an answer before opensAt during the intro', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		expect(game.refuseAnswer('Ana', RIGHT, 3_999)).toBe('wrong-phase');
	});

	it('credits a phone whose question came late, within the cap', () => {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 300 });
		game.start(0);
		const at = game.opensAt + 1_000;
		const answer = (playerId: string, lateMs: number) =>
			game.do({ type: 'answer', playerId, questionIndex: 0, choice: RIGHT, lateMs }, at);
		answer('Ana', 100);
		answer('Ben', 120);
		answer('Cy', 5_000);
		const elapsed = (id: string) => game.state.round!.answers.get(id)!.elapsedMs;
		expect(elapsed('Ana')).toBe(1_000 - 150 - 100);
		expect(elapsed('Ben')).toBe(1_000 - 120);
		expect(elapsed('Cy')).toBe(1_000 - MAX_COMPENSATION_MS);
	});
});

describe('the countdown while answers are open', () => {
	it('ticks to everyone once a second with the whole seconds left before closesAt', () => {
		const game = new Game({ questions: [question({ timeLimit: 5 })] });
		game.join('Ana');
		game.start(0);
		const heard: [at: number, remaining: number][] = [];
		while (game.state.wakeAt !== null && game.state.wakeAt < game.closesAt) {
			const at = game.state.wakeAt;
			for (const effect of game.do({ type: 'wake' }, at)) {
				if (effect.kind !== 'send' || effect.message.type !== 'tick') continue;
				expect(effect).toMatchObject({ to: 'everyone', message: { questionIndex: 0 } });
				heard.push([at, effect.message.remaining]);
			}
		}
		expect(heard).toEqual([
			[1_000, 4],
			[2_000, 3],
			[3_000, 2],
			[4_000, 1]
		]);
	});

	it('asks to be woken at each tick, then at the deadline, then at nothing', () => {
		const game = new Game({ questions: [question({ timeLimit: 5 })] });
		game.join('Ana');
		const requests = wakeRequests(game.start(10_000));
		requests.push(...wakeRequests(game.runUntil(20_000)));
		expect(requests).toEqual([11_000, 12_000, 13_000, 14_000, 15_000, null]);
		expect(game.phase).toBe('reveal');
	});

	it('still counts down from the deadline when the timer fires late', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		const effects = game.do({ type: 'wake' }, 1_300);
		expect(ofType(toPhones(effects), 'tick')).toEqual([
			{ type: 'tick', questionIndex: 0, remaining: 19 }
		]);
		expect(wakeRequests(effects)).toEqual([2_000]);
	});

	it('closes on the wake at closesAt when no player has a slow link', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.answer('Ana', RIGHT, 3_000);
		game.runUntil(19_999);
		expect(game.phase).toBe('open');
		const effects = game.runUntil(20_000);
		expect(game.phase).toBe('reveal');
		expect(phaseMessage(toPhones(effects), 'reveal').answeredCount).toBe(1);
		expect(wakeRequests(effects).at(-1)).toBeNull();
	});

	it('waits past closesAt for the slowest awaited link, then reveals', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.do({ type: 'rtt', playerId: 'Ben', rttMs: 300 }); // gets 150 ms back
		game.start(0);
		const { closesAt } = game;
		game.answer('Ana', RIGHT, 1_000);
		const atDeadline = game.runUntil(closesAt);
		expect(game.phase).toBe('open');
		expect(wakeRequests(atDeadline).at(-1)).toBe(closesAt + 150);
		const after = game.runUntil(closesAt + 150);
		expect(game.phase).toBe('reveal');
		expect(phasesAnnounced(after)).toEqual(['reveal']);
	});

	it('does not wait for a slow link whose player already answered', () => {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 400 });
		game.start(0);
		game.answer('Ana', RIGHT, 1_000);
		game.answer('Ben', RIGHT, 2_000);
		game.runUntil(game.closesAt);
		expect(game.phase).toBe('reveal');
	});
});

describe('pausing', () => {
	const pause = (game: Game, at = game.now) => game.do({ type: 'pause', paused: true }, at);
	const goOn = (game: Game, at = game.now) => game.do({ type: 'pause', paused: false }, at);

	it('stops the open question: nothing is due, no answer is taken, everyone hears it', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = pause(game, 5_000);
		const heard = phaseMessage(toPhones(effects), 'open');
		expect(heard).toMatchObject({ pausedAt: 5_000, closesAt: 20_000 });
		expect(phaseMessage(toHost(effects), 'open').pausedAt).toBe(5_000);
		expect(wakeRequests(effects)).toEqual([null]);
		expect(effects).toContainEqual({ kind: 'persist' });
		expect(game.refuseAnswer('Ana', RIGHT, 6_000)).toBe('paused');
		// Long past the deadline, still open: the clock stands still.
		game.runUntil(60_000);
		expect(game.phase).toBe('open');
		// A phone that reconnects now hears it is paused.
		expect(snapshot(game.state, '123456', 'player', game.now, 'Ana')).toMatchObject({
			view: { phase: 'open', pausedAt: 5_000 }
		});
	});

	it('goes on with the time that was left, and the pause is not counted in answer times', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.runUntil(5_000);
		pause(game, 5_000);
		// Paused for 60 s: the question had 15 s left, and still has.
		const effects = goOn(game, 65_000);
		const heard = phaseMessage(toPhones(effects), 'open');
		expect(heard).toMatchObject({ opensAt: 60_000, closesAt: 80_000 });
		expect(heard).not.toHaveProperty('pausedAt');
		expect(wakeRequests(effects)).toEqual([66_000]);
		// Ana answers 1 s after going on: 6 s into the question, not 66.
		const answered = game.answer('Ana', RIGHT, 66_000);
		const accepted = answered.find((effect) => effect.kind === 'answer-accepted');
		expect(accepted).toMatchObject({ answer: { elapsedMs: 6_000 } });
		game.runUntil(79_999);
		expect(game.phase).toBe('open');
		game.runUntil(80_000);
		expect(game.phase).toBe('reveal');
	});

	it('holds the get-ready countdown too, and opens the answers when it runs out after', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		pause(game, 1_000);
		game.runUntil(30_000);
		expect(game.phase).toBe('intro');
		expect(game.refuseAnswer('Ana', RIGHT)).toBe('paused');
		goOn(game, 31_000);
		game.runUntil(33_999);
		expect(game.phase).toBe('intro');
		game.runUntil(34_000);
		expect(game.phase).toBe('open');
	});

	it('moving on ends a pause: the host can skip the countdown or close the question', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		pause(game, 1_000);
		const opened = game.next(2_000);
		expect(phaseMessage(toPhones(opened), 'open')).not.toHaveProperty('pausedAt');
		game.answer('Ana', RIGHT, 3_000);
		expect(game.phase).toBe('reveal');

		game.next();
		game.next(10_000);
		game.runUntil(14_000);
		pause(game, 15_000);
		game.next(16_000);
		expect(game.phase).toBe('reveal');
		expect(game.state.pausedAt).toBeNull();
	});

	it('is only for a running countdown or question, and pressing it twice does nothing more', () => {
		const game = new Game();
		game.join('Ana');
		expect(game.refuse({ type: 'pause', paused: true })).toBe('wrong-phase');
		game.start(0);
		pause(game, 1_000);
		expect(pause(game, 2_000)).toEqual([]);
		goOn(game, 3_000);
		expect(goOn(game, 4_000)).toEqual([]);
		game.round(['Ana', RIGHT, 1_000]);
		expect(game.refuse({ type: 'pause', paused: true })).toBe('wrong-phase');
	});

	it('a server restart while paused leaves the game paused, counting the whole time on going on', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		pause(game, 5_000);
		// Down for 30 s: the restart gives lost time back, but a paused game has lost none yet.
		game.do({ type: 'resume', pausedMs: 30_000 }, 40_000);
		expect(game.closesAt).toBe(20_000);
		goOn(game, 50_000);
		expect(game.closesAt).toBe(65_000);
	});
});

describe('host commands through a game', () => {
	it('walks lobby → intro → open → reveal → scoreboard → … → podium → ended', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		const seen: Phase[] = [game.phase];
		const step = (effects: Effect[]) => {
			expect(phasesAnnounced(effects)).toEqual([game.phase]);
			seen.push(game.phase);
		};
		step(game.start(0));
		step(game.runUntil(4_000));
		step(game.next(5_000));
		step(game.next());
		step(game.next());
		step(game.runUntil(game.state.wakeAt!));
		step(game.next());
		step(game.next());
		step(game.next());
		step(game.do({ type: 'end' }));
		expect(seen).toEqual([
			'lobby',
			'intro',
			'open',
			'reveal',
			'scoreboard',
			'intro',
			'open',
			'reveal',
			'scoreboard',
			'podium',
			'ended'
		]);
	});

	it('a second "next" meant for the same screen is ignored, not taken for the next one', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		const fromReveal = { phase: 'reveal', questionIndex: 0 } as const;
		game.next(1_000); // open → reveal
		expect(game.phase).toBe('reveal');
		game.do({ type: 'next', from: fromReveal });
		expect(game.phase).toBe('scoreboard');
		// The double click's second press, or Space pressed again before the screen changed.
		const before = structuredClone(game.state);
		expect(game.do({ type: 'next', from: fromReveal })).toEqual([]);
		expect(game.state).toEqual(before);
		// The press on the scoreboard moves on, to the next question.
		game.do({ type: 'next', from: { phase: 'scoreboard', questionIndex: 0 } });
		expect(game.phase).toBe('open');
		expect(game.state.questionIndex).toBe(1);
		// A press from the same phase of another question is stale too.
		expect(game.do({ type: 'next', from: { phase: 'open', questionIndex: 0 } })).toEqual([]);
		expect(game.phase).toBe('open');
	});

	it('"next" in the lobby is refused: the host starts the game instead', () => {
		const game = new Game();
		game.join('Ana');
		expect(game.refuse({ type: 'next' })).toBe('wrong-phase');
	});

	it('"next" while answers are open closes the question and reveals at once', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.answer('Ana', RIGHT, 10_000);
		const effects = game.next(12_000);
		expect(game.phase).toBe('reveal');
		expect(you(effects, 'Ana').lastResult).toMatchObject({ correct: true, points: 750 });
		expect(you(effects, 'Ben').lastResult).toMatchObject({ answered: false, points: 0 });
		expect(wakeRequests(effects)).toEqual([null]);
	});

	it('"next" on the reveal shows the top five on the scoreboard', () => {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus');
		game.start(0);
		game.round(['Gus', RIGHT, 0], ['Fay', RIGHT, 10_000], ['Eve', RIGHT, 20_000]);
		const effects = game.next();
		const board = phaseMessage(toPhones(effects), 'scoreboard');
		expect(board).toMatchObject({ questionIndex: 0, total: 2 });
		expect(board.standings.map((s) => [s.nickname, s.score, s.rank])).toEqual([
			['Gus', 1000, 1],
			['Fay', 750, 2],
			['Eve', 500, 3],
			['Ana', 0, 4],
			['Ben', 0, 5]
		]);
	});

	it('"next" on the last scoreboard shows the podium, and every phone its final rank', () => {
		const game = new Game({ questions: [question()] });
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		game.round(['Dee', RIGHT, 0], ['Cy', RIGHT, 10_000], ['Ben', RIGHT, 20_000]);
		game.next();
		const effects = game.next();
		expect(game.phase).toBe('podium');
		const podium = phaseMessage(toPhones(effects), 'podium');
		expect(podium.standings.map((s) => [s.nickname, s.rank])).toEqual([
			['Dee', 1],
			['Cy', 2],
			['Ben', 3]
		]);
		expect(['Ana', 'Ben', 'Cy', 'Dee'].map((id) => you(effects, id).rank)).toEqual([4, 3, 2, 1]);
	});

	it('"next" on the podium is refused; "end" ends the game', () => {
		const game = new Game({ questions: [question()] });
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 100]);
		game.next();
		game.next();
		expect(game.refuse({ type: 'next' })).toBe('wrong-phase');
		game.do({ type: 'end' });
		expect(game.phase).toBe('ended');
		expect(game.refuse({ type: 'next' })).toBe('wrong-phase');
	});

	it('"end" at any time ends the game for everyone and stops the clock', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.do({ type: 'end' }, 5_000);
		expect(game.phase).toBe('ended');
		expect(phaseMessage(toPhones(effects), 'ended')).toEqual({ type: 'phase', phase: 'ended' });
		expect(effects).toContainEqual({ kind: 'disconnect', playerId: null, reason: 'ended' });
		expect(wakeRequests(effects)).toEqual([null]);
		expect(game.refuse({ type: 'end' })).toBe('wrong-phase');
	});

	it('asks for a snapshot at every phase change', () => {
		const game = new Game({ questions: [question()], options: { introSeconds: 3 } });
		game.join('Ana');
		const boundaries = [
			game.start(0),
			game.runUntil(3_000),
			game.next(),
			game.next(),
			game.next(),
			game.do({ type: 'end' })
		];
		for (const effects of boundaries) expect(effects).toContainEqual({ kind: 'persist' });
	});
});

describe('closing a question early', () => {
	it('reveals as soon as every connected player answered', () => {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		game.answer('Ana', RIGHT, 1_000);
		game.answer('Ben', WRONG, 2_000);
		expect(game.phase).toBe('open');
		const effects = game.answer('Cy', RIGHT, 3_000);
		expect(game.phase).toBe('reveal');
		expect(phaseMessage(toPhones(effects), 'reveal').answeredCount).toBe(3);
	});

	it('does not wait for a player who was disconnected when the question opened', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.disconnect('Ben');
		game.start(0);
		game.answer('Ana', RIGHT, 1_000);
		expect(game.phase).toBe('reveal');
	});

	it('does not close early when the dropped player is back within the moment', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.answer('Ana', RIGHT, 1_000);
		game.disconnect('Ben', 2_000);
		game.reconnect('Ben', 2_500);
		game.runUntil(2_000 + DISCONNECT_SETTLE_MS);
		expect(game.phase).toBe('open');
	});

	it('closes a moment after the last player yet to answer disconnects', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.answer('Ana', RIGHT, 1_000);
		const dropped = game.disconnect('Ben', 2_000);
		// Others may be dropping too (a room's Wi-Fi failing): it waits a moment first.
		expect(game.phase).toBe('open');
		const effects = [...dropped, ...game.runUntil(2_000 + DISCONNECT_SETTLE_MS)];
		expect(game.phase).toBe('reveal');
		expect(toHost(effects)).toContainEqual({
			type: 'player-connection',
			playerId: 'Ben',
			connected: false
		});
		expect(you(effects, 'Ben').lastResult).toMatchObject({ answered: false, points: 0 });
	});

	it('closes when the host kicks the last player yet to answer', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.answer('Ana', RIGHT, 1_000);
		const effects = game.do({ type: 'kick', playerId: 'Ben' }, 2_000);
		expect(game.phase).toBe('reveal');
		expect(phaseMessage(toHost(effects), 'reveal').answeredCount).toBe(1);
	});

	it('waits again for a player who drops and comes back during the question', () => {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		game.disconnect('Ben', 1_000);
		game.reconnect('Ben', 2_000);
		game.answer('Ben', RIGHT, 3_000);
		game.answer('Ana', RIGHT, 4_000);
		expect(game.phase).toBe('open'); // Cy is still thinking
		game.answer('Cy', RIGHT, 5_000);
		expect(game.phase).toBe('reveal');
	});

	it('runs to the deadline when every phone drops before anyone answered', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.disconnect('Ana', 1_000);
		game.disconnect('Ben', 1_000);
		expect(game.phase).toBe('open');
		game.runUntil(20_000);
		expect(game.phase).toBe('reveal');
	});

	it('does not wait for a player who joined during the open question', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.do({ type: 'join', playerId: 'Cy', nickname: 'Cy' }, 1_000);
		game.answer('Ana', RIGHT, 2_000);
		game.answer('Ben', RIGHT, 3_000);
		expect(game.phase).toBe('reveal');
	});

	it('waits for a player who joined during the intro: they play the current question', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana', 'Ben');
		game.start(0);
		game.do({ type: 'join', playerId: 'Cy', nickname: 'Cy' }, 1_000);
		game.runUntil(4_000);
		game.answer('Ana', RIGHT, 5_000);
		game.answer('Ben', RIGHT, 5_000);
		expect(game.phase).toBe('open');
		const effects = game.answer('Cy', RIGHT, 6_000);
		expect(game.phase).toBe('reveal');
		expect(you(effects, 'Cy').lastResult).toMatchObject({ correct: true, points: 950 });
	});
});

describe('a player who joins during a question', () => {
	it('cannot answer the open question, and plays the next one from 0 points', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.do({ type: 'join', playerId: 'Cy', nickname: 'Cy' }, 1_000);
		expect(game.refuseAnswer('Cy', RIGHT, 1_500)).toBe('not-playing');
		const first = game.round(['Ana', RIGHT, 2_000], ['Ben', RIGHT, 3_000]);
		expect(you(first, 'Cy')).toMatchObject({ score: 0, lastResult: null });

		game.toNextQuestion();
		game.answer('Cy', RIGHT, game.opensAt + 100);
		game.answer('Ana', WRONG, game.opensAt + 200);
		expect(game.phase).toBe('open'); // Ben, who plays this one, has not answered
		const second = game.answer('Ben', WRONG, game.opensAt + 300);
		expect(game.phase).toBe('reveal');
		// Ana 950 and Ben 925 from the first question; Cy's 1000 is all from this one.
		expect(you(second, 'Cy')).toMatchObject({ score: 1000, rank: 1 });
		expect(you(second, 'Cy').lastResult).toMatchObject({ correct: true, points: 1000 });
	});

	it('joining in the lobby plays the first question', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		const effects = game.answer('Ana', RIGHT, 100);
		expect(you(effects, 'Ana').lastResult).toMatchObject({ questionIndex: 0, correct: true });
	});

	it('joining on the scoreboard plays the next question', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 100]);
		game.next();
		game.do({ type: 'join', playerId: 'Ben', nickname: 'Ben' });
		game.next(30_000);
		game.answer('Ana', RIGHT, 30_100);
		expect(game.phase).toBe('open');
		game.answer('Ben', RIGHT, 30_200);
		expect(game.phase).toBe('reveal');
	});
});

describe('answers', () => {
	it('are acknowledged to the player who answered, and to nobody else', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.answer('Ana', 2, 1_000);
		expect(effects.filter((e) => e.kind === 'send-player')).toEqual([
			{
				kind: 'send-player',
				playerId: 'Ana',
				message: { type: 'answer-ack', questionIndex: 0, choice: 2 }
			}
		]);
		expect(toPhones(effects)).toEqual([]);
		expect(toHost(effects)).toEqual([]);
	});

	it('right after the deadline are too late', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		expect(game.refuseAnswer('Ana', RIGHT, 20_001)).toBe('too-late');
	});

	it('at the deadline itself still count, for half the points', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		const effects = game.answer('Ana', RIGHT, 20_000);
		expect(you(effects, 'Ana').lastResult).toMatchObject({ correct: true, points: 500 });
	});

	it('after the reveal are too late, even within the time limit', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.answer('Ana', RIGHT, 1_000);
		game.next(2_000);
		expect(game.refuseAnswer('Ben', RIGHT, 3_000)).toBe('too-late');
		game.next();
		expect(game.refuseAnswer('Ben', RIGHT, 4_000)).toBe('too-late');
	});

	it('twice: the second is refused and the first one counts', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.answer('Ana', WRONG, 1_000);
		expect(game.refuseAnswer('Ana', RIGHT, 2_000)).toBe('already-answered');
		const effects = game.next(3_000);
		expect(you(effects, 'Ana').lastResult).toMatchObject({ correct: false, points: 0 });
		expect(phaseMessage(toPhones(effects), 'reveal').distribution).toEqual([1, 0, 0, 0]);
	});

	it('to another question than the one open are refused', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		expect(game.refuseAnswer('Ana', RIGHT, 1_000, 1)).toBe('wrong-question');
		expect(game.refuseAnswer('Ana', RIGHT, 1_000, -1)).toBe('wrong-question');
	});

	it('in the lobby are refused', () => {
		const game = new Game();
		game.join('Ana');
		expect(game.refuseAnswer('Ana', RIGHT, 0, 0)).toBe('wrong-question');
	});

	it('naming an option the question does not have are refused', () => {
		const game = new Game({ questions: [question({ options: ['True', 'False'], correct: [0] })] });
		game.join('Ana');
		game.start(0);
		expect(game.refuseAnswer('Ana', 2, 1_000)).toBe('bad-option');
		expect(game.refuseAnswer('Ana', 5, 1_000)).toBe('bad-option');
		expect(game.refuseAnswer('Ana', -1, 1_000)).toBe('bad-option');
		expect(game.refuseAnswer('Ana', 0.5, 1_000)).toBe('bad-option');
		game.answer('Ana', 1, 1_000);
	});

	it('during the intro are refused: answers are not open yet', () => {
		const game = new Game({ options: { introSeconds: 4 } });
		game.join('Ana');
		game.start(0);
		expect(game.refuseAnswer('Ana', RIGHT, 2_000)).toBe('wrong-phase');
	});

	it('from someone not in the game are refused', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		expect(game.refuseAnswer('Mallory', RIGHT, 1_000)).toBe('unknown-player');
	});

	it('accept any of several correct options', () => {
		const game = new Game({ questions: [question({ correct: [1, 3] })] });
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		const effects = game.round(['Ana', 1, 100], ['Ben', 3, 100], ['Cy', 2, 100]);
		expect(['Ana', 'Ben', 'Cy'].map((id) => you(effects, id).lastResult?.correct)).toEqual([
			true,
			true,
			false
		]);
	});
});

describe('latency compensation', () => {
	it('takes half the round trip off the answer time', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 400 });
		game.start(0);
		// Both taps reach the server 10.2 s in; Ana's took 200 ms longer to get here.
		const effects = game.round(['Ana', RIGHT, 10_200], ['Ben', RIGHT, 10_200]);
		expect(you(effects, 'Ana').lastResult?.points).toBe(750);
		expect(you(effects, 'Ben').lastResult?.points).toBe(745);
	});

	it(`gives back at most ${MAX_COMPENSATION_MS} ms, however slow the link`, () => {
		const game = new Game();
		game.join('Ana');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 2_000 });
		game.start(0);
		const effects = game.round(['Ana', RIGHT, 10_000 + MAX_COMPENSATION_MS]);
		expect(you(effects, 'Ana').lastResult?.points).toBe(750);
	});

	it('accepts an answer up to closesAt plus that compensation, scored as at the deadline', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 2_000 });
		game.start(0);
		const { closesAt } = game;
		game.answer('Ben', RIGHT, 1_000);
		game.runUntil(closesAt);
		expect(game.phase).toBe('open');
		const effects = game.answer('Ana', RIGHT, closesAt + MAX_COMPENSATION_MS);
		expect(game.phase).toBe('reveal');
		expect(you(effects, 'Ana').lastResult).toMatchObject({ correct: true, points: 500 });
	});

	it('refuses an answer past closesAt plus that compensation', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 2_000 });
		game.start(0);
		expect(game.refuseAnswer('Ben', RIGHT, game.closesAt + 1)).toBe('too-late');
		expect(game.refuseAnswer('Ana', RIGHT, game.closesAt + MAX_COMPENSATION_MS + 1)).toBe(
			'too-late'
		);
	});

	it('never counts an answer as faster than the question opening', () => {
		const game = new Game();
		game.join('Ana');
		game.do({ type: 'rtt', playerId: 'Ana', rttMs: 400 });
		game.start(0);
		game.round(['Ana', RIGHT, 50]);
		expect(game.state.round!.answers.get('Ana')!.elapsedMs).toBe(0);
	});
});

describe('scores at the reveal', () => {
	/** One 20-second question of `points`, one player answering `choice` at `afterMs`. */
	function pointsFor(afterMs: number, points: PointsLevel = 'standard', choice = RIGHT) {
		const game = new Game({ questions: [question({ points })] });
		game.join('Ana');
		game.start(0);
		return you(game.round(['Ana', choice, afterMs]), 'Ana');
	}

	it('a correct answer at once or within 0.4 s scores the full 1000', () => {
		expect(pointsFor(0).score).toBe(1000);
		expect(pointsFor(400).score).toBe(1000);
	});

	it('a correct answer at half time scores 750', () => {
		expect(pointsFor(10_000).score).toBe(750);
	});

	it('a correct answer at the deadline scores 500', () => {
		expect(pointsFor(20_000).score).toBe(500);
	});

	it('double points score 2000, 1500 at half time, 1000 at the deadline', () => {
		expect([0, 10_000, 20_000].map((t) => pointsFor(t, 'double').score)).toEqual([
			2000, 1500, 1000
		]);
	});

	it('a no-points question scores 0 for a correct answer', () => {
		const ana = pointsFor(0, 'none');
		expect(ana.score).toBe(0);
		expect(ana.lastResult).toMatchObject({ correct: true, points: 0 });
	});

	it('a wrong answer scores 0', () => {
		const ana = pointsFor(0, 'standard', WRONG);
		expect(ana.score).toBe(0);
		expect(ana.lastResult).toMatchObject({ answered: true, correct: false, points: 0 });
	});

	it('no answer scores 0', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		const ana = you(game.runUntil(20_000), 'Ana');
		expect(ana.score).toBe(0);
		expect(ana.lastResult).toMatchObject({ answered: false, correct: false, points: 0 });
	});

	it('without speed scoring a correct answer scores 1000 whenever it comes', () => {
		const game = new Game({ options: { speedScoring: false } });
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.round(['Ana', RIGHT, 300], ['Ben', RIGHT, 19_900]);
		expect(you(effects, 'Ana').score).toBe(1000);
		expect(you(effects, 'Ben').score).toBe(1000);
	});
});

describe('answer streaks', () => {
	/** Plays the quiz with Ana answering each question at 100 ms: true right, false wrong, null not at all. */
	function playStreak(plan: (boolean | null)[], setup: Setup = {}): PlayerStatus[] {
		const game = new Game({
			questions: plan.map(() => question()),
			...setup
		});
		game.join('Ana');
		game.start(0);
		const results: PlayerStatus[] = [];
		plan.forEach((answer, index) => {
			if (index > 0) game.toNextQuestion();
			const effects =
				answer === null ? game.round() : game.round(['Ana', answer ? RIGHT : WRONG, 100]);
			results.push(you(effects, 'Ana'));
		});
		return results;
	}

	it('add +100 for each correct answer in a row after the first, capped at +500', () => {
		const results = playStreak([true, true, true, true, true, true, true]);
		expect(results.map((r) => r.lastResult?.points)).toEqual([
			1000, 1100, 1200, 1300, 1400, 1500, 1500
		]);
		expect(results.map((r) => r.lastResult?.streakBonus)).toEqual([
			0, 100, 200, 300, 400, 500, 500
		]);
		expect(results.map((r) => r.streak)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(results.at(-1)!.score).toBe(9000);
	});

	it('are reset by a wrong answer', () => {
		const results = playStreak([true, true, false, true, true]);
		expect(results.map((r) => r.streak)).toEqual([1, 2, 0, 1, 2]);
		expect(results.map((r) => r.lastResult?.points)).toEqual([1000, 1100, 0, 1000, 1100]);
	});

	it('are reset by a missing answer', () => {
		const results = playStreak([true, true, null, true]);
		expect(results.map((r) => r.streak)).toEqual([1, 2, 0, 1]);
		expect(results.map((r) => r.lastResult?.points)).toEqual([1000, 1100, 0, 1000]);
	});

	it('earn no bonus with the streak option off', () => {
		const results = playStreak([true, true, true], { options: { streakBonus: false } });
		expect(results.map((r) => r.lastResult?.points)).toEqual([1000, 1000, 1000]);
		expect(results.map((r) => r.lastResult?.streakBonus)).toEqual([0, 0, 0]);
	});

	it('are left alone by a no-points question, right, wrong or unanswered', () => {
		for (const onPractice of [true, false, null]) {
			const game = new Game({
				questions: [question(), question(), question({ points: 'none' }), question()]
			});
			game.join('Ana');
			game.start(0);
			game.round(['Ana', RIGHT, 100]);
			game.toNextQuestion();
			game.round(['Ana', RIGHT, 100]);
			game.toNextQuestion();
			const practice =
				onPractice === null ? game.round() : game.round(['Ana', onPractice ? RIGHT : WRONG, 100]);
			expect(you(practice, 'Ana')).toMatchObject({ streak: 2, score: 2100 });
			game.toNextQuestion();
			const after = you(game.round(['Ana', RIGHT, 100]), 'Ana');
			expect(after.streak).toBe(3);
			expect(after.lastResult).toMatchObject({ points: 1200, streakBonus: 200 });
		}
	});
});

describe('ranks', () => {
	it('rank equal scores by less time spent on correct answers', () => {
		const game = new Game({ options: { speedScoring: false } });
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.round(['Ana', RIGHT, 5_000], ['Ben', RIGHT, 2_000]);
		expect(you(effects, 'Ana')).toMatchObject({ score: 1000, rank: 2 });
		expect(you(effects, 'Ben')).toMatchObject({ score: 1000, rank: 1 });
	});

	it('rank equal scores and times by who joined first', () => {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		const effects = game.round(['Cy', RIGHT, 300], ['Ben', RIGHT, 300], ['Ana', WRONG, 300]);
		expect(['Ben', 'Cy', 'Ana'].map((id) => you(effects, id).rank)).toEqual([1, 2, 3]);
	});

	it('come out the same whichever of two simultaneous answers the server reads first', () => {
		const ranksWhenAnswering = (...order: Answering[]) => {
			const game = new Game();
			game.join('Ana', 'Ben', 'Cy', 'Dee');
			game.start(0);
			const effects = game.round(['Dee', WRONG, 100], ...order, ['Ana', RIGHT, 10_000]);
			return ['Ana', 'Ben', 'Cy', 'Dee'].map((id) => you(effects, id).rank);
		};
		const expected = [3, 1, 2, 4];
		expect(ranksWhenAnswering(['Ben', RIGHT, 300], ['Cy', RIGHT, 300])).toEqual(expected);
		expect(ranksWhenAnswering(['Cy', RIGHT, 300], ['Ben', RIGHT, 300])).toEqual(expected);
	});

	it('move the standings version at each reveal and at the podium, and nowhere else', () => {
		// Stores rewrite the players only when it moves: a score change without it would be lost.
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		expect(game.state.standingsVersion).toBe(0);
		game.round(['Ana', RIGHT, 300], ['Ben', WRONG, 300]);
		expect(game.phase).toBe('reveal');
		expect(game.state.standingsVersion).toBe(1);
		game.next();
		game.next();
		expect(game.state.standingsVersion).toBe(1);
		game.round(['Ana', RIGHT, 300], ['Ben', RIGHT, 300]);
		expect(game.state.standingsVersion).toBe(2);
		while (game.phase !== 'podium') game.next();
		expect(game.state.standingsVersion).toBe(3);
	});
});

describe('what players see', () => {
	function playedUpToReveal(options: Partial<GameOptions>): Effect[] {
		const game = new Game({ options: { introSeconds: 4, ...options } });
		game.join('Ana', 'Ben');
		const effects = game.start(0);
		effects.push(...game.runUntil(4_000));
		effects.push(...game.answer('Ana', WRONG, 4_300));
		effects.push(...game.runUntil(7_000));
		expect(game.phase).toBe('open');
		return effects;
	}

	it.each([false, true])(
		'never includes the correct answer before the reveal (question on phones: %s)',
		(questionOnPhones) => {
			const effects = playedUpToReveal({ questionOnPhones });
			for (const id of ['Ana', 'Ben']) {
				const phone = toPhone(effects, id);
				expect(ofType(phone, 'phase').map((m) => m.phase)).toEqual(['intro', 'open']);
				expect(ofType(phone, 'tick').map((m) => m.remaining)).toEqual([19, 18, 17]);
				for (const message of phone) {
					expect(message).not.toHaveProperty('correct');
					expect(JSON.stringify(message)).not.toContain('"correct"');
				}
			}
		}
	);

	it('without the question on phones: shapes only, no texts, but how many options', () => {
		const game = new Game({
			questions: [question({ image: 'mars.webp' })],
			options: { questionOnPhones: false, introSeconds: 4 }
		});
		game.join('Ana');
		const effects = game.start(0);
		const onPhones = phaseMessage(toPhones(effects), 'intro').question;
		expect(onPhones).toMatchObject({ text: null, options: null, image: null, optionCount: 4 });
		const onProjector = phaseMessage(toHost(effects), 'intro').question;
		expect(onProjector).toMatchObject({
			text: 'Which planet is known as the red planet?',
			options: ['Venus', 'Mars', 'Jupiter', 'Saturn'],
			image: '/images/mars.webp',
			optionCount: 4
		});
	});

	it('with the question on phones: the texts, in one message to everyone', () => {
		const game = new Game({ options: { questionOnPhones: true } });
		game.join('Ana');
		const effects = game.start(0);
		const sends = effects.filter((e) => e.kind === 'send');
		expect(sends).toHaveLength(1);
		expect(sends[0]).toMatchObject({
			to: 'everyone',
			message: {
				phase: 'open',
				question: {
					text: 'Which planet is known as the red planet?',
					options: ['Venus', 'Mars', 'Jupiter', 'Saturn'],
					optionCount: 4
				}
			}
		});
	});

	it('the host always gets the texts, whatever the option', () => {
		for (const questionOnPhones of [false, true]) {
			const game = new Game({ options: { questionOnPhones } });
			game.join('Ana');
			const effects = game.start(0);
			game.runUntil(1_000);
			const reveal = game.round(['Ana', RIGHT, 1_500]);
			for (const phase of [
				phaseMessage(toHost(effects), 'open'),
				phaseMessage(toHost(reveal), 'reveal')
			]) {
				expect(phase.question.text).toBe('Which planet is known as the red planet?');
				expect(phase.question.options).toHaveLength(4);
			}
		}
	});
});

describe('the reveal', () => {
	function revealed() {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		const effects = game.round(['Ana', RIGHT, 0], ['Cy', 3, 1_000], ['Ben', RIGHT, 10_000]);
		return { game, effects };
	}

	it('shows everyone the correct answer and how many picked each option', () => {
		const { effects } = revealed();
		for (const messages of [toHost(effects), toPhones(effects)]) {
			expect(phaseMessage(messages, 'reveal')).toMatchObject({
				correct: [1],
				distribution: [0, 2, 0, 1],
				answeredCount: 3
			});
		}
	});

	it('tells each phone its own points, streak, total and rank', () => {
		const { effects } = revealed();
		expect(you(effects, 'Ana')).toMatchObject({ score: 1000, streak: 1, rank: 1, playerCount: 4 });
		expect(you(effects, 'Ana').lastResult).toEqual({
			questionIndex: 0,
			type: 'quiz',
			answered: true,
			scored: true,
			correct: true,
			accuracy: 1,
			points: 1000,
			streakBonus: 0,
			streak: 1
		});
		expect(you(effects, 'Ben')).toMatchObject({ score: 750, streak: 1, rank: 2 });
		expect(you(effects, 'Cy')).toMatchObject({ score: 0, streak: 0, rank: 3 });
		expect(you(effects, 'Cy').lastResult).toMatchObject({ answered: true, correct: false });
		expect(you(effects, 'Dee')).toMatchObject({ score: 0, streak: 0, rank: 4 });
		expect(you(effects, 'Dee').lastResult).toMatchObject({ answered: false, correct: false });
	});

	it('tells each phone who is just ahead and by how much; nobody is ahead of the leader', () => {
		const { effects } = revealed();
		expect(you(effects, 'Ana').ahead).toBeNull();
		expect(you(effects, 'Ben').ahead).toEqual({ nickname: 'Ana', gap: 250 });
		expect(you(effects, 'Cy').ahead).toEqual({ nickname: 'Ben', gap: 750 });
		expect(you(effects, 'Dee').ahead).toEqual({ nickname: 'Cy', gap: 0 });
	});

	it('sends each phone only its own result', () => {
		const { effects } = revealed();
		const yous = ofType(toPhone(effects, 'Ben'), 'you');
		expect(yous.map((m) => m.you.nickname)).toEqual(['Ben']);
		expect(ofType(toPhones(effects), 'you')).toEqual([]);
		expect(ofType(toHost(effects), 'you')).toEqual([]);
	});
});

describe('"answered: n / m" on the projector', () => {
	it('comes once per 250 ms burst, to the host only, never once per answer to phones', () => {
		const game = new Game();
		const players = Array.from({ length: 30 }, (_, i) => `P${i}`);
		game.join(...players);
		game.start(0);
		game.runUntil(0);

		const burst: Effect[] = [];
		players.slice(0, 20).forEach((id, i) => burst.push(...game.answer(id, RIGHT, 100 + i * 5)));
		expect(toHost(burst)).toEqual([]);
		expect(toPhones(burst)).toEqual([]);
		expect(wakeRequests(burst)).toEqual([100 + ANSWER_COUNT_INTERVAL_MS]);

		const flush = game.runUntil(350);
		const counts = flush.filter((e) => e.kind === 'send' && e.message.type === 'answers');
		expect(counts).toEqual([
			{
				kind: 'send',
				to: 'host',
				message: { type: 'answers', questionIndex: 0, count: 20, of: 30 }
			}
		]);
		expect(toPhones(flush)).toEqual([]);
	});

	it('starts a new window with the next answer after a flush', () => {
		const game = new Game();
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		game.answer('Ana', RIGHT, 100);
		game.runUntil(350);
		expect(wakeRequests(game.answer('Ben', RIGHT, 600))).toEqual([850]);
		const flush = game.runUntil(850);
		expect(ofType(toHost(flush), 'answers')).toEqual([
			{ type: 'answers', questionIndex: 0, count: 2, of: 3 }
		]);
	});

	it('counts late joiners in neither n nor m', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.start(0);
		game.do({ type: 'join', playerId: 'Cy', nickname: 'Cy' }, 50);
		game.answer('Ana', RIGHT, 100);
		expect(ofType(toHost(game.runUntil(350)), 'answers')).toEqual([
			{ type: 'answers', questionIndex: 0, count: 1, of: 2 }
		]);
	});
});

describe('joining', () => {
	it('tells the host who joined, nickname trimmed, and how many are in', () => {
		const game = new Game();
		game.join('Ana');
		const effects = game.do({ type: 'join', playerId: 'p2', nickname: '   Maya  ' });
		expect(effects).toEqual([
			{
				kind: 'send',
				to: 'host',
				message: {
					type: 'player-joined',
					player: { id: 'p2', nickname: 'Maya', connected: true },
					playerCount: 2
				}
			}
		]);
	});

	it('refuses an empty nickname', () => {
		const game = new Game();
		expect(game.refuse({ type: 'join', playerId: 'p1', nickname: '   ' })).toBe('nickname-empty');
	});

	it('refuses a nickname longer than 20 characters after trimming', () => {
		const game = new Game();
		expect(game.refuse({ type: 'join', playerId: 'p1', nickname: 'x'.repeat(21) })).toBe(
			'nickname-too-long'
		);
		game.do({ type: 'join', playerId: 'p2', nickname: ` ${'y'.repeat(20)} ` });
	});

	it('refuses a nickname already taken, whatever its case', () => {
		const game = new Game();
		game.join('Maya');
		for (const nickname of ['Maya', 'maya', ' MAYA ']) {
			expect(game.refuse({ type: 'join', playerId: 'p2', nickname })).toBe('nickname-taken');
		}
	});

	it('refuses anyone once the game is full', () => {
		const game = new Game({ maxPlayers: 2 });
		game.join('Ana', 'Ben');
		expect(game.refuse({ type: 'join', playerId: 'Cy', nickname: 'Cy' })).toBe('game-full');
	});

	it('refuses anyone once the podium is up, or the game has ended', () => {
		const game = new Game({ questions: [question()] });
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 100]);
		game.next();
		game.next();
		expect(game.phase).toBe('podium');
		expect(game.refuse({ type: 'join', playerId: 'Ben', nickname: 'Ben' })).toBe('game-over');
		game.do({ type: 'end' });
		expect(game.refuse({ type: 'join', playerId: 'Ben', nickname: 'Ben' })).toBe('game-over');
	});

	it('a late joiner starts at 0 points, behind everyone who scored', () => {
		const game = new Game();
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 100]);
		game.do({ type: 'join', playerId: 'Ben', nickname: 'Ben' });
		const ben = game.state.players.get('Ben')!;
		expect([ben.score, ben.streak, ben.rank]).toEqual([0, 0, null]);
		const board = phaseMessage(toPhones(game.next()), 'scoreboard');
		expect(board.standings.map((s) => [s.nickname, s.score, s.rank])).toEqual([
			['Ana', 1000, 1],
			['Ben', 0, 2]
		]);
	});
	it('a player who joins after the last reveal still gets a final rank on the podium', () => {
		const game = new Game({ questions: [question()] });
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 100]);
		game.next();
		game.do({ type: 'join', playerId: 'Ben', nickname: 'Ben' });
		const effects = game.next();
		expect(game.phase).toBe('podium');
		expect(you(effects, 'Ben')).toMatchObject({ rank: 2, score: 0, playerCount: 2 });
		expect(you(effects, 'Ana')).toMatchObject({ rank: 1 });
	});
});

describe('kicking a player', () => {
	it('removes them, tells the host, and closes their phone with "kicked"', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		const effects = game.do({ type: 'kick', playerId: 'Ben' });
		expect(game.state.players.has('Ben')).toBe(false);
		expect(effects).toContainEqual({ kind: 'disconnect', playerId: 'Ben', reason: 'kicked' });
		expect(toHost(effects)).toEqual([{ type: 'player-left', playerId: 'Ben', playerCount: 1 }]);
		expect(toPhones(effects)).toEqual([]);
	});

	it('frees their nickname for someone else', () => {
		const game = new Game();
		game.join('Ana', 'Ben');
		game.do({ type: 'kick', playerId: 'Ben' });
		game.do({ type: 'join', playerId: 'ben-again', nickname: 'BEN' });
		expect(game.state.players.get('ben-again')!.nickname).toBe('BEN');
	});

	it('is refused for someone not in the game', () => {
		const game = new Game();
		game.join('Ana');
		expect(game.refuse({ type: 'kick', playerId: 'Nobody' })).toBe('unknown-player');
	});

	it('moves everyone ranked below them up a place', () => {
		const game = new Game({ questions: [question()] });
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		game.round(['Ana', RIGHT, 0], ['Ben', RIGHT, 10_000], ['Cy', RIGHT, 20_000]);
		game.next();
		game.do({ type: 'kick', playerId: 'Ben' });
		const effects = game.next();
		const podium = phaseMessage(toPhones(effects), 'podium');
		expect(podium.standings.map((s) => [s.nickname, s.rank])).toEqual([
			['Ana', 1],
			['Cy', 2]
		]);
		expect(you(effects, 'Cy')).toMatchObject({ rank: 2, ahead: { nickname: 'Ana', gap: 500 } });
	});
});

describe('a removed player stays out', () => {
	it('their browser cannot join again, under any name, even after a restart', () => {
		const game = new Game();
		game.do({ type: 'join', playerId: 'Ben', nickname: 'Ben', device: 'browser-1' });
		game.do({ type: 'join', playerId: 'Ana', nickname: 'Ana', device: 'browser-2' });
		const effects = game.do({ type: 'kick', playerId: 'Ben' });
		// Written down at once, so a restart keeps them out too.
		expect(effects).toContainEqual({ kind: 'persist' });
		expect(
			game.refuse({
				type: 'join',
				playerId: 'b2',
				nickname: 'Totally Not Ben',
				device: 'browser-1'
			})
		).toBe('banned');
		expect(
			apply(game.state, { type: 'join', playerId: 'b3', nickname: 'B', device: 'browser-1' }, 0)
				.error?.message
		).toBe('The host removed you from this game');
		game.do({ type: 'join', playerId: 'Cy', nickname: 'Cy', device: 'browser-3' });
		expect(game.state.players.has('Cy')).toBe(true);
	});

	it('a player who joined without a browser id is removed without banning anyone else', () => {
		const game = new Game();
		game.join('Ben');
		game.do({ type: 'kick', playerId: 'Ben' });
		expect(game.state.banned.size).toBe(0);
		game.do({ type: 'join', playerId: 'Ana', nickname: 'Ana', device: 'browser-2' });
		expect(game.state.players.has('Ana')).toBe(true);
	});
});

describe('locking the game', () => {
	it('turns new players away with a clear message until the host unlocks it', () => {
		const game = new Game();
		game.join('Ana');
		const effects = game.do({ type: 'lock', locked: true });
		expect(toHost(effects)).toEqual([{ type: 'locked', locked: true }]);
		expect(effects).toContainEqual({ kind: 'persist' });
		const refused = apply(game.state, { type: 'join', playerId: 'Ben', nickname: 'Ben' }, 0);
		expect(refused.error).toEqual({
			code: 'game-locked',
			message: 'The host has locked this game: no new players'
		});
		game.do({ type: 'lock', locked: false });
		game.join('Ben');
		expect([...game.state.players.keys()]).toEqual(['Ana', 'Ben']);
	});

	it('keeps the players already in: they reconnect as before', () => {
		const game = new Game();
		game.join('Ana');
		game.do({ type: 'lock', locked: true });
		game.do({ type: 'connection', playerId: 'Ana', connected: false });
		game.do({ type: 'connection', playerId: 'Ana', connected: true });
		expect(game.state.players.get('Ana')!.connected).toBe(true);
	});

	it('holds during the game too (late joiners), and shows in the host snapshot', () => {
		const game = new Game({ questions: [question()] });
		game.join('Ana');
		game.start(0);
		game.do({ type: 'lock', locked: true });
		expect(game.refuse({ type: 'join', playerId: 'Late', nickname: 'Late' })).toBe('game-locked');
		expect(snapshot(game.state, '123456', 'host', 0)).toMatchObject({ locked: true });
	});

	it('saying the same twice changes nothing; after the podium there is nothing to lock', () => {
		const game = new Game({ questions: [question()] });
		game.join('Ana');
		expect(game.do({ type: 'lock', locked: false })).toEqual([]);
		game.start(0);
		game.round(['Ana', RIGHT, 0]);
		game.next();
		game.next();
		expect(game.state.phase).toBe('podium');
		expect(game.refuse({ type: 'lock', locked: true })).toBe('wrong-phase');
	});
});

describe('players coming and going', () => {
	it('the host sees a player drop and come back', () => {
		const game = new Game();
		game.join('Ana');
		expect(toHost(game.disconnect('Ana'))).toEqual([
			{ type: 'player-connection', playerId: 'Ana', connected: false }
		]);
		expect(toHost(game.reconnect('Ana'))).toEqual([
			{ type: 'player-connection', playerId: 'Ana', connected: true }
		]);
	});

	it('nothing is sent when a player is already known to be connected', () => {
		const game = new Game();
		game.join('Ana');
		expect(game.reconnect('Ana')).toEqual([]);
	});

	it('a connection change for someone not in the game is refused', () => {
		const game = new Game();
		expect(game.refuse({ type: 'connection', playerId: 'Nobody', connected: false })).toBe(
			'unknown-player'
		);
	});
});

describe('a wake with nothing due', () => {
	it('changes nothing in the lobby, on the reveal or on the scoreboard', () => {
		const game = new Game();
		game.join('Ana');
		expect(game.do({ type: 'wake' }, 1_000)).toEqual([]);
		game.start(2_000);
		game.round(['Ana', RIGHT, 100]);
		expect(game.do({ type: 'wake' }, 3_000)).toEqual([]);
		game.next();
		expect(game.do({ type: 'wake' }, 4_000)).toEqual([]);
		expect(game.phase).toBe('scoreboard');
	});
});

// =============================================================================================
// Every question type, through `apply` with the fake clock.
//
// Points for a right answer are the speed formula × accuracy (1, except a slider guess near but
// not on the value), plus the streak bonus on top.

function typed<T extends QuestionType>(type: T, fields: Record<string, unknown>): QuestionOf<T> {
	const question = v.parse(QuestionSchema, { type, timeLimit: 20, ...fields });
	return question as QuestionOf<T>;
}

const trueFalseQ = (answer: boolean) => typed('true-false', { text: 'Mars has two moons', answer });
/** Jupiter and Saturn (2 and 3) are the gas giants. */
const multiQ = (fields: Record<string, unknown> = {}) =>
	typed('multi', {
		text: 'Which are gas giants?',
		options: ['Venus', 'Mars', 'Jupiter', 'Saturn'],
		correct: [2, 3],
		...fields
	});
const typeAnswerQ = (accepted: string[], fields: Record<string, unknown> = {}) =>
	typed('type-answer', { text: 'Which city hosted the fair?', accepted, ...fields });
/** 0–100 km in steps of 1; 40 is right, within 10 still scores. */
const sliderQ = (fields: Record<string, unknown> = {}) =>
	typed('slider', {
		text: 'How far, in km?',
		min: 0,
		max: 100,
		step: 1,
		answer: 40,
		tolerance: 10,
		unit: 'km',
		...fields
	});
const PLANETS_IN_ORDER = ['Mercury', 'Venus', 'Earth', 'Mars'];
const puzzleQ = (fields: Record<string, unknown> = {}) =>
	typed('puzzle', { text: 'Order them from the Sun', items: PLANETS_IN_ORDER, ...fields });
const pollQ = () =>
	typed('poll', { text: 'Which planet would you visit?', options: ['Venus', 'Mars', 'Saturn'] });
const slideQ = (fields: Record<string, unknown> = {}) =>
	typed('info', {
		text: 'Round two: the outer planets',
		body: 'Gas giants and ice giants',
		...fields
	});

function lastResults(effects: Effect[], ...ids: string[]) {
	return ids.map((id) => you(effects, id).lastResult);
}

function pointsOf(effects: Effect[], ...ids: string[]): number[] {
	return lastResults(effects, ...ids).map((result) => result!.points);
}

describe('true / false', () => {
	it('choice 0 is True, 1 is False: the right one scores by speed, the other nothing', () => {
		const game = new Game({ questions: [trueFalseQ(true), trueFalseQ(false)] });
		game.join('Ana', 'Ben');
		game.start(0);
		const first = game.roundOf(['Ana', { choice: 0 }, 10_000], ['Ben', { choice: 1 }, 0]);
		expect(lastResults(first, 'Ana', 'Ben')).toMatchObject([
			{ type: 'true-false', scored: true, correct: true, points: 750 },
			{ type: 'true-false', scored: true, correct: false, points: 0 }
		]);
		expect(phaseMessage(toPhones(first), 'reveal')).toMatchObject({
			correct: [0],
			distribution: [1, 1],
			detail: null
		});
		game.toNextQuestion();
		const second = game.roundOf(['Ana', { choice: 0 }, 0], ['Ben', { choice: 1 }, 0]);
		expect(pointsOf(second, 'Ana', 'Ben')).toEqual([0, 1000]);
		expect(phaseMessage(toPhones(second), 'reveal').correct).toEqual([1]);
	});

	it('phones always get the True and False labels, even without the question on phones', () => {
		const game = new Game({ questions: [trueFalseQ(false)], options: { questionOnPhones: false } });
		game.join('Ana');
		const open = phaseMessage(toPhones(game.start(0)), 'open');
		expect(open.question).toMatchObject({
			type: 'true-false',
			text: null,
			options: ['True', 'False'],
			optionCount: 2
		});
	});

	it('any choice but 0 or 1 is refused (bad-option)', () => {
		const game = new Game({ questions: [trueFalseQ(true)] });
		game.join('Ana');
		game.start(0);
		expect(game.refuseAnswer('Ana', 2, 100)).toBe('bad-option');
		expect(game.refuseGiven('Ana', { choices: [0] })).toBe('bad-answer');
	});
});

describe('select all that apply', () => {
	it('full points only for exactly the correct set; a subset or a superset scores nothing', () => {
		const game = new Game({ questions: [multiQ()] });
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { choices: [3, 2] }, 10_000],
			['Ben', { choices: [2] }, 0],
			['Cy', { choices: [1, 2, 3] }, 0],
			['Dee', { choices: [0, 1] }, 0]
		);
		expect(lastResults(effects, 'Ana', 'Ben', 'Cy', 'Dee')).toMatchObject([
			{ type: 'multi', correct: true, points: 750 },
			{ correct: false, points: 0 },
			{ correct: false, points: 0 },
			{ correct: false, points: 0 }
		]);
	});

	it('a subset resets the streak like any wrong answer', () => {
		const game = new Game({ questions: [question(), multiQ(), multiQ()] });
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 0]);
		game.toNextQuestion();
		expect(you(game.roundOf(['Ana', { choices: [2] }, 0]), 'Ana')).toMatchObject({
			streak: 0,
			score: 1000
		});
		game.toNextQuestion();
		expect(you(game.roundOf(['Ana', { choices: [2, 3] }, 0]), 'Ana')).toMatchObject({
			streak: 1,
			score: 2000,
			lastResult: { streakBonus: 0 }
		});
	});

	it('the reveal shows the correct set and how many ticked each option', () => {
		const game = new Game({ questions: [multiQ()] });
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { choices: [2, 3] }, 0],
			['Ben', { choices: [2] }, 0],
			['Cy', { choices: [1, 2, 3] }, 0]
		);
		for (const messages of [toHost(effects), toPhones(effects)]) {
			expect(phaseMessage(messages, 'reveal')).toMatchObject({
				correct: [2, 3],
				distribution: [0, 1, 3, 2],
				answeredCount: 3,
				detail: null
			});
		}
	});

	it('an empty set, an option twice or a single choice is refused (bad-answer); a missing option bad-option', () => {
		const game = new Game({ questions: [multiQ()] });
		game.join('Ana');
		game.start(0);
		expect(game.refuseGiven('Ana', { choices: [] }, 100)).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { choices: [2, 2] })).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { choice: 2 })).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { choices: [2, 4] })).toBe('bad-option');
		game.give('Ana', { choices: [2, 3] });
		expect(game.phase).toBe('reveal');
	});
});

describe('type answer', () => {
	it('scores the speed formula on a match, ignoring case, spaces and accents by default', () => {
		const game = new Game({ questions: [typeAnswerQ(['Malmö'])] });
		game.join('Ana', 'Ben', 'Cy', 'Dee', 'Eve');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { text: 'malmo' }, 0],
			['Ben', { text: '  MALMÖ ' }, 10_000],
			['Cy', { text: 'Malmo\u0308' }, 20_000], // NFD: o + combining diaeresis
			['Dee', { text: 'Malmø' }, 0], // ø is a letter of its own, not o with an accent
			['Eve', { text: 'Mal mö' }, 0]
		);
		expect(lastResults(effects, 'Ana', 'Ben', 'Cy', 'Dee', 'Eve')).toMatchObject([
			{ type: 'type-answer', correct: true, points: 1000 },
			{ correct: true, points: 750 },
			{ correct: true, points: 500 },
			{ correct: false, points: 0 },
			{ correct: false, points: 0 }
		]);
	});

	it('case-sensitive: other capitals score nothing', () => {
		const game = new Game({ questions: [typeAnswerQ(['Paris'], { caseSensitive: true })] });
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { text: 'Paris' }, 0],
			['Ben', { text: 'paris' }, 0],
			['Cy', { text: ' Parîs ' }, 0]
		);
		expect(pointsOf(effects, 'Ana', 'Ben', 'Cy')).toEqual([1000, 0, 1000]);
	});

	it('accent-keeping: "malmo" scores nothing for "Malmö"; other capitals still count', () => {
		const game = new Game({ questions: [typeAnswerQ(['Malmö'], { ignoreAccents: false })] });
		game.join('Ana', 'Ben', 'Cy');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { text: 'malmo' }, 0],
			['Ben', { text: 'MALMÖ' }, 0],
			['Cy', { text: 'malmo\u0308' }, 0]
		);
		expect(pointsOf(effects, 'Ana', 'Ben', 'Cy')).toEqual([0, 1000, 1000]);
	});

	it('emoji answers count when they are the same emoji', () => {
		const game = new Game({ questions: [typeAnswerQ(['🦁'])] });
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.roundOf(['Ana', { text: ' 🦁 ' }, 0], ['Ben', { text: '🐯' }, 0]);
		expect(pointsOf(effects, 'Ana', 'Ben')).toEqual([1000, 0]);
	});

	it('empty text is refused (bad-answer), and the player can still answer', () => {
		const game = new Game({ questions: [typeAnswerQ(['Malmö'])] });
		game.join('Ana');
		game.start(0);
		expect(game.refuseGiven('Ana', { text: '' }, 100)).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { text: '   ' })).toBe('bad-answer');
		game.give('Ana', { text: 'Malmö' }, 200);
		expect(game.phase).toBe('reveal');
	});

	it('over 20 characters is refused (bad-answer); 20, or more only in spaces, is fine', () => {
		const game = new Game({ questions: [typeAnswerQ(['x'.repeat(20)])] });
		game.join('Ana', 'Ben');
		game.start(0);
		expect(game.refuseGiven('Ana', { text: 'x'.repeat(21) }, 100)).toBe('bad-answer');
		const effects = game.roundOf(
			['Ana', { text: `   ${'x'.repeat(20)}   ` }, 200],
			['Ben', { text: 'x'.repeat(10) + '    ' + 'y'.repeat(9) }, 200]
		);
		expect(pointsOf(effects, 'Ana', 'Ben')).toEqual([1000, 0]);
	});

	it('any other kind of answer is refused (bad-answer)', () => {
		const game = new Game({ questions: [typeAnswerQ(['42'])] });
		game.join('Ana');
		game.start(0);
		expect(game.refuseGiven('Ana', { value: 42 }, 100)).toBe('bad-answer');
		expect(game.refuseAnswer('Ana', 0)).toBe('bad-answer');
	});

	it('the reveal shows the accepted answers and the most common typed ones', () => {
		const game = new Game({ questions: [typeAnswerQ(['Paris', 'Lutetia'])] });
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { text: 'Lyon' }, 0],
			['Ben', { text: 'paris' }, 0],
			['Cy', { text: 'PARIS ' }, 0],
			['Dee', { text: 'lutetia' }, 0]
		);
		for (const messages of [toHost(effects), toPhones(effects)]) {
			expect(phaseMessage(messages, 'reveal')).toMatchObject({
				correct: [],
				distribution: [],
				answeredCount: 4,
				detail: {
					type: 'type-answer',
					accepted: ['Paris', 'Lutetia'],
					topAnswers: [
						{ text: 'paris', count: 2, correct: true },
						{ text: 'lutetia', count: 1, correct: true },
						{ text: 'Lyon', count: 1, correct: false }
					]
				}
			});
		}
	});
});

describe('slider', () => {
	it('exact: full points; within the tolerance less the further off, half at the edge (inclusive); outside none', () => {
		const game = new Game({ questions: [sliderQ()] });
		const players = ['Ana', 'Ben', 'Cy', 'Dee', 'Eve', 'Fay'];
		game.join(...players);
		game.start(0);
		const effects = game.roundOf(
			['Ana', { value: 40 }, 0],
			['Ben', { value: 45 }, 0],
			['Cy', { value: 50 }, 0],
			['Dee', { value: 30 }, 0],
			['Eve', { value: 51 }, 0],
			['Fay', { value: 29 }, 0]
		);
		expect(lastResults(effects, ...players).map((r) => [r!.correct, r!.points])).toEqual([
			[true, 1000],
			[true, 750],
			[true, 500],
			[true, 500],
			[false, 0],
			[false, 0]
		]);
	});

	it('points are the speed formula × accuracy', () => {
		const game = new Game({ questions: [sliderQ()] });
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { value: 40 }, 10_000], // 750 × 1
			['Ben', { value: 50 }, 10_000], // 750 × 1/2
			['Cy', { value: 45 }, 20_000], // 500 × 3/4
			['Dee', { value: 50 }, 20_000] // 500 × 1/2
		);
		expect(pointsOf(effects, 'Ana', 'Ben', 'Cy', 'Dee')).toEqual([750, 375, 375, 250]);
	});

	it('without speed scoring, accuracy alone', () => {
		const game = new Game({ questions: [sliderQ()], options: { speedScoring: false } });
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.roundOf(['Ana', { value: 40 }, 19_000], ['Ben', { value: 48 }, 19_000]);
		expect(pointsOf(effects, 'Ana', 'Ben')).toEqual([1000, 600]);
	});

	it('double points scale too, and the streak bonus comes on top of the scaled points', () => {
		const game = new Game({ questions: [question(), sliderQ({ points: 'double' })] });
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 0]);
		game.toNextQuestion();
		const ana = you(game.roundOf(['Ana', { value: 50 }, 0]), 'Ana');
		expect(ana.lastResult).toMatchObject({ correct: true, points: 1100, streakBonus: 100 });
		expect(ana).toMatchObject({ streak: 2, score: 2100 });
	});

	it('a guess within the tolerance keeps the streak going; one outside resets it', () => {
		const game = new Game({ questions: [question(), sliderQ(), sliderQ()] });
		game.join('Ana');
		game.start(0);
		game.round(['Ana', RIGHT, 0]);
		game.toNextQuestion();
		expect(you(game.roundOf(['Ana', { value: 32 }, 0]), 'Ana').streak).toBe(2);
		game.toNextQuestion();
		expect(you(game.roundOf(['Ana', { value: 60 }, 0]), 'Ana').streak).toBe(0);
	});

	it('the bounds of the range can be picked; beyond them, or between steps, is refused (bad-answer)', () => {
		const game = new Game({ questions: [sliderQ({ answer: 0 })] });
		game.join('Ana', 'Ben');
		game.start(0);
		for (const value of [-1, 101, 40.5, 1e9]) {
			expect(game.refuseGiven('Ana', { value }, 100), String(value)).toBe('bad-answer');
		}
		expect(game.refuseAnswer('Ana', 0)).toBe('bad-answer');
		const effects = game.roundOf(['Ana', { value: 0 }, 0], ['Ben', { value: 100 }, 0]);
		expect(pointsOf(effects, 'Ana', 'Ben')).toEqual([1000, 0]);
	});

	it('floating steps of 0.1: 0.1 + 0.2 is the value; the edges 0.2 away score half', () => {
		const game = new Game({
			questions: [sliderQ({ min: 0, max: 1, step: 0.1, answer: 0.3, tolerance: 0.2 })]
		});
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		expect(game.refuseGiven('Ana', { value: 0.35 }, 100)).toBe('bad-answer');
		const effects = game.roundOf(
			['Ana', { value: 0.1 + 0.2 }, 0],
			['Ben', { value: 0.5 }, 0],
			['Cy', { value: 0.1 }, 0],
			['Dee', { value: 0.6 }, 0]
		);
		expect(pointsOf(effects, 'Ana', 'Ben', 'Cy', 'Dee')).toEqual([1000, 500, 500, 0]);
	});

	it('the reveal shows the value, tolerance and unit, with a histogram of the guesses', () => {
		const game = new Game({ questions: [sliderQ()] });
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { value: 40 }, 0],
			['Ben', { value: 45 }, 0],
			['Cy', { value: 100 }, 0]
		);
		const reveal = phaseMessage(toPhones(effects), 'reveal');
		expect(reveal).toMatchObject({
			correct: [],
			distribution: [],
			answeredCount: 3,
			detail: { type: 'slider', answer: 40, tolerance: 10, unit: 'km' }
		});
		expect(reveal.detail?.type === 'slider' && reveal.detail.histogram).toEqual(
			Array.from({ length: 10 }, (_, i) => ({
				from: i * 10,
				to: (i + 1) * 10,
				count: i === 4 ? 2 : i === 9 ? 1 : 0
			}))
		);
		expect(phaseMessage(toHost(effects), 'reveal').detail).toEqual(reveal.detail);
	});
});

describe('puzzle', () => {
	function openPuzzle(seed?: number) {
		const game = new Game({ questions: [puzzleQ()], seed });
		game.join('Ana', 'Ben', 'Cy');
		const effects = game.start(0);
		return { game, shown: phaseMessage(toPhones(effects), 'open').question.items! };
	}

	it('the server shuffles the items per game: never in the solved order, the same for the same seed', () => {
		const orders = new Set<string>();
		for (let seed = 0; seed < 50; seed++) {
			const { shown } = openPuzzle(seed);
			expect([...shown].sort()).toEqual([...PLANETS_IN_ORDER].sort());
			expect(shown).not.toEqual(PLANETS_IN_ORDER);
			expect(openPuzzle(seed).shown).toEqual(shown);
			orders.add(shown.join());
		}
		expect(orders.size).toBeGreaterThan(10);
	});

	it('projector and phones show the same shuffled order', () => {
		const game = new Game({ questions: [puzzleQ()], seed: 7 });
		game.join('Ana');
		const effects = game.start(0);
		const shuffle = game.state.round!.shuffle!;
		const expected = shuffle.map((item) => PLANETS_IN_ORDER[item]);
		expect(phaseMessage(toHost(effects), 'open').question.items).toEqual(expected);
		expect(phaseMessage(toPhones(effects), 'open').question.items).toEqual(expected);
	});

	it('all items in place scores the speed formula; anything else scores nothing', () => {
		const { game } = openPuzzle(3);
		const solved = game.puzzleSolution;
		const swapped = [solved[1]!, solved[0]!, solved[2]!, solved[3]!];
		const effects = game.roundOf(
			['Ana', { order: solved }, 10_000],
			['Ben', { order: [0, 1, 2, 3] }, 0], // left as shown
			['Cy', { order: swapped }, 0]
		);
		expect(lastResults(effects, 'Ana', 'Ben', 'Cy')).toMatchObject([
			{ type: 'puzzle', correct: true, points: 750 },
			{ correct: false, points: 0 },
			{ correct: false, points: 0 }
		]);
	});

	it('players send positions as shown: the same positions are another order in another game', () => {
		const one = openPuzzle(1).game;
		const two = openPuzzle(2).game;
		expect(one.puzzleSolution).not.toEqual(two.puzzleSolution);
		const effects = two.roundOf(['Ana', { order: one.puzzleSolution }, 0]);
		expect(you(effects, 'Ana').lastResult).toMatchObject({ correct: false });
	});

	it('an order with an item missing or repeated is refused (bad-answer)', () => {
		const { game } = openPuzzle();
		expect(game.refuseGiven('Ana', { order: [0, 1, 2] }, 100)).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { order: [0, 1, 2, 2] })).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { order: [0, 0, 1, 2, 3] })).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { order: [] })).toBe('bad-answer');
		expect(game.refuseGiven('Ana', { choices: [0, 1, 2, 3] })).toBe('bad-answer');
		game.give('Ana', { order: game.puzzleSolution });
	});

	it('the reveal shows the correct order and how many got it all right', () => {
		const { game, shown } = openPuzzle(5);
		const effects = game.roundOf(
			['Ana', { order: game.puzzleSolution }, 0],
			['Ben', { order: game.puzzleSolution }, 0],
			['Cy', { order: [0, 1, 2, 3] }, 0]
		);
		const reveal = phaseMessage(toPhones(effects), 'reveal');
		expect(reveal).toMatchObject({
			correct: [],
			distribution: [],
			answeredCount: 3,
			detail: { type: 'puzzle', correctOrder: PLANETS_IN_ORDER, allRight: 2 }
		});
		// The items on screen stay as the players saw them.
		expect(reveal.question.items).toEqual(shown);
	});
});

describe('poll', () => {
	it('gives no points and no right or wrong; the distribution is shown', () => {
		const game = new Game({ questions: [pollQ()] });
		game.join('Ana', 'Ben', 'Cy', 'Dee');
		game.start(0);
		const effects = game.roundOf(
			['Ana', { choice: 1 }, 0],
			['Ben', { choice: 1 }, 500],
			['Cy', { choice: 2 }, 1_000]
		);
		for (const messages of [toHost(effects), toPhones(effects)]) {
			expect(phaseMessage(messages, 'reveal')).toMatchObject({
				question: { type: 'poll', points: 'none' },
				correct: [],
				distribution: [0, 2, 1],
				answeredCount: 3,
				detail: null
			});
		}
		for (const id of ['Ana', 'Ben', 'Cy']) {
			expect(you(effects, id)).toMatchObject({
				score: 0,
				streak: 0,
				lastResult: {
					type: 'poll',
					answered: true,
					scored: false,
					correct: false,
					points: 0,
					streakBonus: 0
				}
			});
		}
		expect(you(effects, 'Dee').lastResult).toMatchObject({ answered: false, scored: false });
	});

	it('leaves streaks alone, answered or not', () => {
		for (const onPoll of [{ choice: 0 }, null]) {
			const game = new Game({ questions: [question(), question(), pollQ(), question()] });
			game.join('Ana');
			game.start(0);
			game.round(['Ana', RIGHT, 100]);
			game.toNextQuestion();
			game.round(['Ana', RIGHT, 100]);
			game.toNextQuestion();
			const poll = onPoll === null ? game.roundOf() : game.roundOf(['Ana', onPoll, 100]);
			expect(you(poll, 'Ana')).toMatchObject({ streak: 2, score: 2100 });
			game.toNextQuestion();
			const after = you(game.round(['Ana', RIGHT, 100]), 'Ana');
			expect(after).toMatchObject({ streak: 3, score: 3300 });
			expect(after.lastResult).toMatchObject({ points: 1200, streakBonus: 200 });
		}
	});

	it('does not count toward the time that breaks ties', () => {
		const game = new Game({ questions: [pollQ()] });
		game.join('Ana');
		game.start(0);
		game.roundOf(['Ana', { choice: 0 }, 5_000]);
		expect(game.state.players.get('Ana')!.correctAnswerMs).toBe(0);
	});

	it('only takes one of its options', () => {
		const game = new Game({ questions: [pollQ()] });
		game.join('Ana');
		game.start(0);
		expect(game.refuseAnswer('Ana', 3, 100)).toBe('bad-option');
		expect(game.refuseGiven('Ana', { choices: [0, 1] })).toBe('bad-answer');
	});
});

describe('info slides', () => {
	function atSlide(setup: Setup = {}) {
		const game = new Game({ questions: [question(), slideQ(), question()], ...setup });
		game.join('Ana', 'Ben');
		game.start(0);
		if (game.phase === 'intro') game.runUntil(game.opensAt);
		game.round(['Ana', RIGHT, 100], ['Ben', WRONG, 100]);
		game.next();
		const effects = game.next(30_000);
		expect(game.phase).toBe('slide');
		return { game, effects };
	}

	it('show the title and text on the projector; phones are told to look up; nothing is timed', () => {
		const { game, effects } = atSlide();
		expect(phasesAnnounced(effects)).toEqual(['slide']);
		expect(phaseMessage(toHost(effects), 'slide')).toEqual({
			type: 'phase',
			phase: 'slide',
			question: expect.objectContaining({
				index: 1,
				total: 3,
				type: 'info',
				text: 'Round two: the outer planets',
				body: 'Gas giants and ice giants',
				options: [],
				optionCount: 0,
				points: 'none',
				timeLimitMs: 0
			})
		});
		expect(phaseMessage(toPhones(effects), 'slide').question).toMatchObject({
			type: 'info',
			text: null,
			body: null
		});
		expect(effects).toContainEqual({ kind: 'persist' });
		expect(wakeRequests(effects)).toEqual([]);
		expect(game.state.wakeAt).toBeNull();
		expect(game.do({ type: 'wake' }, 60_000)).toEqual([]);
		expect(game.phase).toBe('slide');
	});

	it('with the question on phones, phones get the title; the text under it stays on the projector', () => {
		const { effects } = atSlide({ options: { questionOnPhones: true } });
		expect(phaseMessage(toPhones(effects), 'slide').question).toMatchObject({
			text: 'Round two: the outer planets',
			body: null
		});
		expect(phaseMessage(toHost(effects), 'slide').question.body).toBe('Gas giants and ice giants');
	});

	it('stay up until the host presses next, which moves on to the next question', () => {
		const { game } = atSlide({ options: { introSeconds: 4 } });
		game.runUntil(100_000);
		expect(game.phase).toBe('slide');
		const effects = game.next(100_000);
		expect(game.phase).toBe('intro');
		expect(phaseMessage(toPhones(effects), 'intro')).toMatchObject({
			question: { index: 2 },
			opensAt: 104_000
		});
	});

	it('take no answers', () => {
		const { game } = atSlide();
		expect(game.refuseAnswer('Ana', 0)).toBe('wrong-question');
		expect(game.refuseGiven('Ana', { text: 'hello' })).toBe('wrong-question');
		expect(game.refuseAnswer('Ana', 0, game.now, 0)).toBe('wrong-question');
	});

	it('are not rounds: not in the history; scores, streaks and ranks stay as they were', () => {
		const { game } = atSlide();
		const before = game.state.players.get('Ana')!;
		expect({ score: before.score, streak: before.streak, rank: before.rank }).toEqual({
			score: 1000,
			streak: 1,
			rank: 1
		});
		game.next();
		const effects = game.round(['Ana', RIGHT, 100], ['Ben', RIGHT, 100]);
		expect(you(effects, 'Ana')).toMatchObject({ streak: 2, score: 2100 });
		expect(game.state.history.map((round) => round.questionIndex)).toEqual([0, 2]);
	});

	it('the podium follows a final slide', () => {
		const game = new Game({ questions: [question(), slideQ()] });
		game.join('Ana', 'Ben');
		game.start(0);
		game.round(['Ana', WRONG, 100], ['Ben', RIGHT, 100]);
		game.next();
		game.next();
		expect(game.phase).toBe('slide');
		const effects = game.next();
		expect(game.phase).toBe('podium');
		expect(phaseMessage(toPhones(effects), 'podium').standings.map((s) => s.nickname)).toEqual([
			'Ben',
			'Ana'
		]);
		expect([you(effects, 'Ben').rank, you(effects, 'Ana').rank]).toEqual([1, 2]);
		expect(game.refuse({ type: 'next' })).toBe('wrong-phase');
	});

	it('a quiz may open with a slide; a player who joins during it plays the next question', () => {
		const game = new Game({ questions: [slideQ(), question()] });
		game.join('Ana');
		const effects = game.start(1_000);
		expect(phasesAnnounced(effects)).toEqual(['slide']);
		expect(game.state.startedAt).toBe(1_000);
		game.do({ type: 'join', playerId: 'Ben', nickname: 'Ben' });
		expect(game.state.players.get('Ben')!.firstQuestion).toBe(1);
		game.next(2_000);
		game.answer('Ana', RIGHT, 2_100);
		expect(game.phase).toBe('open'); // Ben plays this one
		game.answer('Ben', RIGHT, 2_200);
		expect(game.phase).toBe('reveal');
	});

	it('one slide after another, each moved on by the host', () => {
		const game = new Game({ questions: [slideQ(), slideQ({ text: 'Ready?' })] });
		game.join('Ana');
		game.start(0);
		const second = game.next();
		expect(phaseMessage(toHost(second), 'slide').question).toMatchObject({
			index: 1,
			text: 'Ready?'
		});
		game.next();
		expect(game.phase).toBe('podium');
		expect(game.state.history).toEqual([]);
	});

	it('"end" during a slide ends the game', () => {
		const { game } = atSlide();
		const effects = game.do({ type: 'end' });
		expect(game.phase).toBe('ended');
		expect(effects).toContainEqual({ kind: 'disconnect', playerId: null, reason: 'ended' });
	});

	it('a game ended on its final slide, every question played, is recorded as finished', () => {
		const game = new Game({ questions: [slideQ(), question(), slideQ()] });
		game.join('Ana');
		game.start(0);
		game.next();
		game.round(['Ana', RIGHT, 100]);
		const unfinished = structuredClone(game.state);
		unfinished.phase = 'ended';
		unfinished.history = [];
		game.next();
		game.next();
		expect(game.phase).toBe('slide');
		game.do({ type: 'end' });
		const game_ = { id: 'g1', pin: '123456', endedAt: 50_000, hostId: null };
		expect(recordGame(game.state, game_)).toMatchObject({
			finished: true,
			rounds: [{ questionIndex: 1 }]
		});
		expect(recordGame(unfinished, game_).finished).toBe(false);
	});
});

describe('answer-ack echoes the answer as the player sent it', () => {
	test.each([
		['quiz', question(), { choice: 2 }],
		['true/false', trueFalseQ(true), { choice: 1 }],
		['poll', pollQ(), { choice: 0 }],
		['select all, in the order ticked', multiQ(), { choices: [3, 0] }],
		['type answer, spaces and all', typeAnswerQ(['Paris']), { text: '  paris ' }],
		['slider', sliderQ(), { value: 45 }],
		['puzzle, positions as shown', puzzleQ(), { order: [3, 1, 0, 2] }]
	] as [string, Question, AnswerInput][])('%s', (_name, q, input) => {
		const game = new Game({ questions: [q] });
		game.join('Ana', 'Ben');
		game.start(0);
		const effects = game.give('Ana', input, 1_000);
		expect(effects.filter((e) => e.kind === 'send-player')).toEqual([
			{
				kind: 'send-player',
				playerId: 'Ana',
				message: { type: 'answer-ack', questionIndex: 0, ...input }
			}
		]);
		// A phone that reconnects now sees the same answer locked in.
		const mine = snapshot(game.state, '123456', 'player', game.now, 'Ana');
		expect(mine.type === 'state' && mine.you?.currentAnswer).toEqual(input);
		const theirs = snapshot(game.state, '123456', 'player', game.now, 'Ben');
		expect(theirs.type === 'state' && theirs.you?.currentAnswer).toBeNull();
	});

	it('the answer is forgotten on the phone once the question is revealed', () => {
		const game = new Game({ questions: [sliderQ()] });
		game.join('Ana');
		game.start(0);
		const effects = game.give('Ana', { value: 45 }, 1_000);
		expect(you(effects, 'Ana').currentAnswer).toBeNull();
	});
});

describe('what players see before the reveal, by question type', () => {
	const cases: [name: string, q: Question, wrong: AnswerInput][] = [
		['true/false', trueFalseQ(true), { choice: 1 }],
		['select all', multiQ(), { choices: [0] }],
		['type answer', typeAnswerQ(['Paris', 'Lutetia']), { text: 'Lyon' }],
		['slider', sliderQ(), { value: 90 }],
		['puzzle', puzzleQ(), { order: [0, 1, 2, 3] }],
		['poll', pollQ(), { choice: 0 }]
	];

	/** Intro, open, one answer and a few ticks, stopping short of the reveal. */
	function beforeReveal(q: Question, wrong: AnswerInput, options: Partial<GameOptions>) {
		const game = new Game({ questions: [q], options: { introSeconds: 4, ...options } });
		game.join('Ana', 'Ben');
		const effects = game.start(0);
		effects.push(...game.runUntil(4_000));
		effects.push(...game.give('Ana', wrong, 4_300));
		effects.push(...game.runUntil(7_000));
		expect(game.phase).toBe('open');
		return effects;
	}

	describe.each([false, true])('question on phones: %s', (questionOnPhones) => {
		it.each(cases)(
			'%s: no solution in any message to a phone or the projector',
			(_name, q, wrong) => {
				const effects = beforeReveal(q, wrong, { questionOnPhones });
				const audiences = [toPhone(effects, 'Ana'), toPhone(effects, 'Ben'), toHost(effects)];
				for (const messages of audiences) {
					expect(ofType(messages, 'phase').map((m) => m.phase)).toEqual(['intro', 'open']);
					for (const message of messages) {
						const json = JSON.stringify(message);
						for (const secret of [
							'"correct"',
							'"accepted"',
							'"answer":',
							'"tolerance"',
							'"correctOrder"',
							'"detail"',
							'Paris',
							'Lutetia'
						]) {
							expect(json).not.toContain(secret);
						}
						if (message.type === 'phase' && 'question' in message && q.type === 'puzzle') {
							expect(message.question.items).not.toEqual(PLANETS_IN_ORDER);
							expect([...message.question.items!].sort()).toEqual([...PLANETS_IN_ORDER].sort());
						}
					}
				}
			}
		);
	});

	it('phones get what they need to answer, even without the question text', () => {
		const seen = (q: Question) => {
			const game = new Game({ questions: [q], options: { questionOnPhones: false } });
			game.join('Ana');
			return phaseMessage(toPhones(game.start(0)), 'open').question;
		};
		expect(seen(typeAnswerQ(['Paris']))).toMatchObject({
			type: 'type-answer',
			text: null,
			options: null,
			optionCount: 0,
			maxLength: 20,
			slider: null,
			items: null
		});
		expect(seen(sliderQ())).toMatchObject({
			type: 'slider',
			text: null,
			slider: { min: 0, max: 100, step: 1, unit: 'km' },
			maxLength: null,
			items: null
		});
		expect(seen(sliderQ()).slider).toEqual({ min: 0, max: 100, step: 1, unit: 'km' });
		expect(seen(puzzleQ())).toMatchObject({ type: 'puzzle', text: null, items: expect.any(Array) });
		expect(seen(puzzleQ()).items).toHaveLength(4);
		expect(seen(multiQ())).toMatchObject({
			type: 'multi',
			text: null,
			options: null,
			optionCount: 4
		});
		expect(seen(pollQ())).toMatchObject({ type: 'poll', points: 'none', optionCount: 3 });
	});
});

describe('records: the history keeps every answer as the rules judged it', () => {
	it('an option, a set, a text, a number or an order of items', () => {
		const questions: Question[] = [
			question(),
			trueFalseQ(false),
			multiQ(),
			typeAnswerQ(['Malmö']),
			sliderQ(),
			puzzleQ(),
			pollQ()
		];
		const game = new Game({ questions, seed: 11 });
		game.join('Ana', 'Ben');
		game.start(0);
		const shown: number[][] = [];
		const plays: [AnswerInput, AnswerInput][] = [
			[{ choice: 1 }, { choice: 0 }],
			[{ choice: 1 }, { choice: 0 }],
			[{ choices: [3, 2] }, { choices: [2] }],
			[{ text: '  malmo\u0308  ' }, { text: 'Lund' }],
			[{ value: 45 }, { value: 90 }],
			[{ order: [] }, { order: [0, 1, 2, 3] }],
			[{ choice: 2 }, { choice: 2 }]
		];
		plays.forEach(([ana, ben], index) => {
			if (index > 0) game.toNextQuestion();
			if (game.state.round!.shuffle) {
				shown.push(game.state.round!.shuffle);
				ana = { order: game.puzzleSolution };
			}
			game.roundOf(['Ana', ana, 0], ['Ben', ben, 1_000]);
		});
		const shuffle = shown[0]!;
		const answers = game.state.history.map((round) =>
			round.answers.map(({ playerId, answer, correct }) => [playerId, answer, correct])
		);
		expect(answers).toEqual([
			[
				['Ana', { kind: 'choice', index: 1 }, true],
				['Ben', { kind: 'choice', index: 0 }, false]
			],
			[
				['Ana', { kind: 'choice', index: 1 }, true],
				['Ben', { kind: 'choice', index: 0 }, false]
			],
			[
				['Ana', { kind: 'choices', indexes: [2, 3] }, true],
				['Ben', { kind: 'choices', indexes: [2] }, false]
			],
			[
				['Ana', { kind: 'text', text: 'malmö' }, true],
				['Ben', { kind: 'text', text: 'Lund' }, false]
			],
			[
				['Ana', { kind: 'number', value: 45 }, true],
				['Ben', { kind: 'number', value: 90 }, false]
			],
			[
				['Ana', { kind: 'order', items: [0, 1, 2, 3] }, true],
				// Left as shown: the items in the shuffled order.
				['Ben', { kind: 'order', items: shuffle }, false]
			],
			[
				['Ana', { kind: 'choice', index: 2 }, false],
				['Ben', { kind: 'choice', index: 2 }, false]
			]
		]);
		// Points and times as the phones were told; streak bonus included.
		expect(game.state.history[4]!.answers[0]).toMatchObject({ elapsedMs: 0, points: 750 + 400 });
		expect(game.state.history[6]!.answers.map((a) => a.points)).toEqual([0, 0]);
		const record = recordGame(game.state, {
			id: 'g1',
			pin: '123456',
			endedAt: 99_000,
			hostId: null
		});
		expect(record.rounds).toEqual(game.state.history);
	});
});

describe('a quiz with every type', () => {
	it('plays through to the podium; right answers add up and the streak runs across types', () => {
		const game = new Game({
			questions: [
				question(),
				trueFalseQ(true),
				multiQ(),
				typeAnswerQ(['Paris']),
				sliderQ(),
				puzzleQ(),
				pollQ(),
				slideQ()
			]
		});
		game.join('Ana', 'Ben');
		game.start(0);
		const rights: AnswerInput[] = [
			{ choice: RIGHT },
			{ choice: 0 },
			{ choices: [2, 3] },
			{ text: 'paris' },
			{ value: 40 },
			{ order: [] }, // filled in below: depends on the shuffle
			{ choice: 1 }
		];
		const wrongs: AnswerInput[] = [
			{ choice: WRONG },
			{ choice: 1 },
			{ choices: [2] },
			{ text: 'Rome' },
			{ value: 0 },
			{ order: [0, 1, 2, 3] },
			{ choice: 1 }
		];
		const ana: number[] = [];
		rights.forEach((right, index) => {
			if (index > 0) game.toNextQuestion();
			const input = game.state.round!.shuffle ? { order: game.puzzleSolution } : right;
			const effects = game.roundOf(['Ana', input, 0], ['Ben', wrongs[index]!, 0]);
			ana.push(you(effects, 'Ana').lastResult!.points);
			expect(you(effects, 'Ben').score).toBe(0);
		});
		expect(ana).toEqual([1000, 1100, 1200, 1300, 1400, 1500, 0]);
		game.next();
		game.next();
		expect(game.phase).toBe('slide');
		const podium = game.next();
		expect(game.phase).toBe('podium');
		expect(you(podium, 'Ana')).toMatchObject({ rank: 1, score: 7500, streak: 6 });
		expect(you(podium, 'Ben')).toMatchObject({ rank: 2, score: 0, streak: 0 });
		expect(game.state.history).toHaveLength(7);
	});
});
