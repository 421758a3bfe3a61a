/**
 * Picking a game back up after a restart: the snapshot written at phase boundaries, put back
 * together with the players who joined and the answers accepted since (`toSnapshot` /
 * `fromSnapshot`), and the rules' side of it: the `resume` event that gives a running countdown
 * its lost time back, the `answer-accepted` effect that lets the room store an answer before it
 * is acknowledged, and the early close that waits until someone is connected.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GAME_OPTIONS, type AnswerInput, type GameOptions } from '../protocol/messages.ts';
import type { Question, QuestionOf } from '../protocol/quiz.ts';
import { apply, DISCONNECT_SETTLE_MS, type Effect, type GameEvent } from './rules.ts';
import { fromSnapshot, toSnapshot, type GameSnapshot, type JoinedPlayer } from './snapshot.ts';
import { createGameState, type Answer, type GameState } from './state.ts';

// ---------------------------------------------------------------------------------------------
// A small game driven by hand

function quizQuestion(overrides: Partial<QuestionOf<'quiz'>> = {}): QuestionOf<'quiz'> {
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

const MULTI: QuestionOf<'multi'> = {
	type: 'multi',
	text: 'Which are planets?',
	options: ['Mars', 'Moon', 'Venus', 'Sun'],
	correct: [0, 2],
	timeLimit: 20,
	points: 'standard'
};

const PUZZLE: QuestionOf<'puzzle'> = {
	type: 'puzzle',
	text: 'Closest to the sun first',
	items: ['Mercury', 'Venus', 'Earth', 'Mars'],
	timeLimit: 20,
	points: 'standard'
};

const RIGHT = 1;
const WRONG = 0;

function newGame(questions: Question[] = [quizQuestion(), quizQuestion()], options = {}) {
	return createGameState({
		quiz: { version: 1, id: 'planets', title: 'Planets', description: '', questions },
		options: { ...DEFAULT_GAME_OPTIONS, introSeconds: 0, ...options } as GameOptions,
		maxPlayers: 100,
		seed: 7
	});
}

/** Applies an event the rules must accept. */
function play(state: GameState, event: GameEvent, now: number): Effect[] {
	const outcome = apply(state, event, now);
	expect(outcome.error, `"${event.type}" was refused`).toBeUndefined();
	return outcome.effects;
}

function join(state: GameState, now: number, ...nicknames: string[]): void {
	for (const nickname of nicknames)
		play(state, { type: 'join', playerId: nickname, nickname }, now);
}

function answer(state: GameState, playerId: string, input: AnswerInput, now: number): Effect[] {
	return play(
		state,
		{ type: 'answer', playerId, questionIndex: state.questionIndex, ...input },
		now
	);
}

/** What the server logged of each player as they joined (live_players). */
function rosterOf(state: GameState): JoinedPlayer[] {
	return [...state.players.values()].map(({ id, nickname, joinOrder, firstQuestion }) => ({
		id,
		nickname,
		joinOrder,
		firstQuestion
	}));
}

/** As it comes back from storage: through JSON. */
function stored(state: GameState): GameSnapshot {
	return JSON.parse(JSON.stringify(toSnapshot(state))) as GameSnapshot;
}

function answersOf(state: GameState): [string, Answer][] {
	return [...state.round!.answers];
}

/** The state a restart should produce: the same game with nobody connected or waited for. */
function asRestored(state: GameState): GameState {
	const copy = structuredClone(state);
	for (const player of copy.players.values()) player.connected = false;
	if (copy.round) copy.round.waitingFor = 0;
	return copy;
}

const T0 = 1_700_000_000_000;

// ---------------------------------------------------------------------------------------------

describe('toSnapshot and fromSnapshot', () => {
	it('a game mid-question comes back whole through JSON', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben', 'Cy');
		play(state, { type: 'start' }, T0 + 1000);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 2000);
		answer(state, 'Ben', { choice: WRONG }, T0 + 3500);

		const restored = fromSnapshot({
			snapshot: stored(state),
			roster: rosterOf(state),
			laterAnswers: []
		});
		expect(restored).toEqual(asRestored(state));
		expect([...restored.players.keys()]).toEqual(['Ana', 'Ben', 'Cy']);
		expect(restored.round!.answers.get('Ana')).toEqual({
			input: { choice: RIGHT },
			given: { kind: 'choice', index: RIGHT },
			elapsedMs: 1000
		});
	});

	it('a paused question comes back paused', () => {
		const state = newGame();
		join(state, T0, 'Ana');
		play(state, { type: 'start' }, T0);
		play(state, { type: 'pause', paused: true }, T0 + 3000);
		const restored = fromSnapshot({
			snapshot: stored(state),
			roster: rosterOf(state),
			laterAnswers: []
		});
		expect(restored.pausedAt).toBe(T0 + 3000);
		expect(restored).toEqual(asRestored(state));
		// Written before pausing existed: running.
		const { pausedAt: _, ...older } = stored(state);
		expect(
			fromSnapshot({ snapshot: older, roster: rosterOf(state), laterAnswers: [] }).pausedAt
		).toBeNull();
	});

	it('keeps scores, streaks, ranks, results and the history of revealed questions', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 400);
		answer(state, 'Ben', { choice: WRONG }, T0 + 900);
		expect(state.phase).toBe('reveal');
		play(state, { type: 'next' }, T0 + 5000);

		const restored = fromSnapshot({
			snapshot: stored(state),
			roster: rosterOf(state),
			laterAnswers: []
		});
		expect(restored).toEqual(asRestored(state));
		expect(restored.phase).toBe('scoreboard');
		expect(restored.players.get('Ana')).toMatchObject({ score: 1000, streak: 1, rank: 1 });
		expect(restored.players.get('Ben')).toMatchObject({ score: 0, streak: 0, rank: 2 });
		expect(restored.history).toHaveLength(1);
		expect(restored.ranking).toEqual(['Ana', 'Ben']);
	});

	it('is plain JSON: no Maps or Sets, players in join order', () => {
		const state = newGame();
		join(state, T0, 'Zed', 'Amy');
		play(state, { type: 'start' }, T0);
		answer(state, 'Amy', { choice: RIGHT }, T0 + 10);
		const snapshot = toSnapshot(state);
		expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
		expect(snapshot.players.map((p) => p.id)).toEqual(['Zed', 'Amy']);
		expect(snapshot.round!.answers).toEqual([['Amy', expect.objectContaining({ elapsedMs: 10 })]]);
		expect(snapshot).not.toHaveProperty('nicknames');
	});

	it('puts a puzzle back with its shuffle, so positions mean the same items', () => {
		const state = newGame([PUZZLE]);
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		const shuffle = state.round!.shuffle!;
		const solved = shuffle.map((_, item) => shuffle.indexOf(item));
		answer(state, 'Ana', { order: solved }, T0 + 100);
		const restored = fromSnapshot({
			snapshot: stored(state),
			roster: rosterOf(state),
			laterAnswers: []
		});
		expect(restored.round!.shuffle).toEqual(shuffle);
		play(restored, { type: 'connection', playerId: 'Ben', connected: true }, T0 + 200);
		answer(restored, 'Ben', { order: [0, 1, 2, 3] }, T0 + 300);
		expect(restored.phase).toBe('reveal');
		expect(restored.players.get('Ana')!.lastResult).toMatchObject({ correct: true });
	});

	it('brings back players who joined after the snapshot, from what their join logged', () => {
		const state = newGame();
		join(state, T0, 'Ana');
		const snapshot = stored(state);
		join(state, T0 + 10, 'Ben');
		const restored = fromSnapshot({ snapshot, roster: rosterOf(state), laterAnswers: [] });
		expect(restored.players.get('Ben')).toEqual({
			id: 'Ben',
			nickname: 'Ben',
			joinOrder: 1,
			firstQuestion: 0,
			connected: false,
			score: 0,
			streak: 0,
			correctAnswerMs: 0,
			rank: null,
			previousRank: null,
			rttMs: 0,
			device: null,
			lastResult: null
		});
		expect(restored.ranking).toEqual(['Ana', 'Ben']);
		// Their nickname stays taken and the next player joins after them.
		expect(apply(restored, { type: 'join', playerId: 'x', nickname: 'BEN' }, T0).error).toEqual(
			expect.objectContaining({ code: 'nickname-taken' })
		);
		play(restored, { type: 'join', playerId: 'Cy', nickname: 'Cy' }, T0 + 20);
		expect(restored.players.get('Cy')!.joinOrder).toBe(2);
	});

	it('a late joiner logged during the open question plays from the next one', () => {
		const state = newGame();
		join(state, T0, 'Ana');
		play(state, { type: 'start' }, T0);
		const snapshot = stored(state);
		join(state, T0 + 10, 'Late');
		const restored = fromSnapshot({ snapshot, roster: rosterOf(state), laterAnswers: [] });
		expect(restored.players.get('Late')).toMatchObject({ firstQuestion: 1, joinOrder: 1 });
		play(restored, { type: 'connection', playerId: 'Late', connected: true }, T0 + 20);
		expect(
			apply(restored, { type: 'answer', playerId: 'Late', questionIndex: 0, choice: 1 }, T0 + 30)
				.error
		).toMatchObject({ code: 'not-playing' });
		// Nobody waits for them: Ana's answer closes the question.
		play(restored, { type: 'connection', playerId: 'Ana', connected: true }, T0 + 40);
		answer(restored, 'Ana', { choice: RIGHT }, T0 + 50);
		expect(restored.phase).toBe('reveal');
	});

	it('leaves out players kicked after the snapshot, with their answers, and frees their names', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben', 'Cy');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ben', { choice: WRONG }, T0 + 100);
		const snapshot = stored(state);
		play(state, { type: 'kick', playerId: 'Ben' }, T0 + 200);

		const restored = fromSnapshot({ snapshot, roster: rosterOf(state), laterAnswers: [] });
		expect([...restored.players.keys()]).toEqual(['Ana', 'Cy']);
		expect(restored.ranking).toEqual(['Ana', 'Cy']);
		expect(restored.round!.answers.has('Ben')).toBe(false);
		expect(restored.nicknames.has('ben')).toBe(false);
		play(restored, { type: 'join', playerId: 'Ben2', nickname: 'Ben' }, T0 + 300);
	});

	it('adds the answers accepted after the snapshot, each once, to the answers and the counts', () => {
		const state = newGame([MULTI, quizQuestion()]);
		join(state, T0, 'Ana', 'Ben', 'Cy', 'Dee');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choices: [0, 2] }, T0 + 500);
		// The snapshot is written at the opening, or (as here) later, at a shutdown.
		const snapshot = stored(state);
		answer(state, 'Ben', { choices: [0, 1] }, T0 + 900);
		answer(state, 'Cy', { choices: [3] }, T0 + 1200);
		const laterAnswers = [
			// Already in the snapshot (logged both ways): not counted twice.
			['Ana', state.round!.answers.get('Ana')!],
			['Ben', state.round!.answers.get('Ben')!],
			['Cy', state.round!.answers.get('Cy')!],
			// Someone no longer in the game.
			['Gone', state.round!.answers.get('Cy')!]
		] as [string, Answer][];

		const restored = fromSnapshot({ snapshot, roster: rosterOf(state), laterAnswers });
		expect(restored.round!.distribution).toEqual([2, 1, 1, 1]);
		expect(restored.round!.distribution).toEqual(state.round!.distribution);
		expect(answersOf(restored)).toEqual(answersOf(state));
		// The snapshot itself is not changed by putting it back together.
		expect(snapshot.round!.distribution).toEqual([1, 0, 1, 0]);
	});

	it('counts later choice answers in the distribution of a quiz question', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben', 'Cy');
		play(state, { type: 'start' }, T0);
		const snapshot = stored(state);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 500);
		answer(state, 'Ben', { choice: 3 }, T0 + 600);
		const restored = fromSnapshot({
			snapshot,
			roster: rosterOf(state),
			laterAnswers: answersOf(state)
		});
		expect(restored.round!.distribution).toEqual([0, 1, 0, 1]);
		expect(answersOf(restored)).toEqual(answersOf(state));
		expect(restored.players).toEqual(asRestored(state).players);
	});

	it('everyone comes back disconnected, and nobody is waited for until they are back', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		expect(state.round!.waitingFor).toBe(2);
		const restored = fromSnapshot({
			snapshot: stored(state),
			roster: rosterOf(state),
			laterAnswers: []
		});
		expect([...restored.players.values()].map((p) => p.connected)).toEqual([false, false]);
		expect(restored.round!.waitingFor).toBe(0);
		play(restored, { type: 'connection', playerId: 'Ana', connected: true }, T0 + 10);
		expect(restored.round!.waitingFor).toBe(1);
	});

	it('a restored game plays on to the same scores as one that never stopped', () => {
		const reference = newGame();
		join(reference, T0, 'Ana', 'Ben', 'Cy');
		play(reference, { type: 'start' }, T0);
		const snapshot = stored(reference);
		answer(reference, 'Ana', { choice: RIGHT }, T0 + 1000);
		answer(reference, 'Ben', { choice: RIGHT }, T0 + 4000);

		const restored = fromSnapshot({
			snapshot,
			roster: rosterOf(reference),
			laterAnswers: answersOf(reference)
		});
		for (const id of ['Ana', 'Ben', 'Cy']) {
			play(restored, { type: 'connection', playerId: id, connected: true }, T0 + 5000);
		}
		expect(
			apply(restored, { type: 'answer', playerId: 'Ana', questionIndex: 0, choice: 0 }, T0 + 5500)
				.error
		).toMatchObject({ code: 'already-answered' });
		answer(restored, 'Cy', { choice: RIGHT }, T0 + 6000);
		answer(reference, 'Cy', { choice: RIGHT }, T0 + 6000);
		expect(restored.phase).toBe('reveal');
		expect(reference.phase).toBe('reveal');
		const scores = (s: GameState) => [...s.players.values()].map((p) => [p.id, p.score, p.rank]);
		expect(scores(restored)).toEqual(scores(reference));
		expect(restored.history).toEqual(reference.history);
	});
});

// ---------------------------------------------------------------------------------------------

describe('resume: the downtime is given back to a running countdown or question', () => {
	const PAUSED = 60_000;

	it('moves an open question, its next tick and its deadline, and asks to be woken', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 100);
		const before = structuredClone(state.round!);
		expect(before.answersFlushAt).not.toBeNull();

		const effects = play(state, { type: 'resume', pausedMs: PAUSED }, T0 + 2500 + PAUSED);
		expect(state.round).toMatchObject({
			opensAt: before.opensAt + PAUSED,
			closesAt: before.closesAt + PAUSED,
			nextTickAt: before.nextTickAt! + PAUSED,
			answersFlushAt: null,
			revealAt: null
		});
		expect(effects).toEqual([{ kind: 'wake', at: before.nextTickAt! + PAUSED }]);
		expect(state.phase).toBe('open');
	});

	it('an answer after the restart is timed as if the server had never stopped', () => {
		const reference = newGame();
		const resumed = newGame();
		for (const state of [reference, resumed]) {
			join(state, T0, 'Ana', 'Ben');
			play(state, { type: 'start' }, T0);
		}
		play(resumed, { type: 'resume', pausedMs: PAUSED }, T0 + 3000 + PAUSED);
		answer(reference, 'Ana', { choice: RIGHT }, T0 + 6000);
		answer(resumed, 'Ana', { choice: RIGHT }, T0 + 6000 + PAUSED);
		expect(resumed.round!.answers.get('Ana')).toEqual(reference.round!.answers.get('Ana'));
		expect(resumed.round!.answers.get('Ana')!.elapsedMs).toBe(6000);
	});

	it('moves a countdown (intro) so the question opens as late as the downtime', () => {
		const state = newGame(undefined, { introSeconds: 4 });
		join(state, T0, 'Ana');
		play(state, { type: 'start' }, T0);
		expect(state.phase).toBe('intro');
		const effects = play(state, { type: 'resume', pausedMs: PAUSED }, T0 + 1000 + PAUSED);
		expect(state.round).toMatchObject({ opensAt: T0 + 4000 + PAUSED });
		expect(effects).toEqual([{ kind: 'wake', at: T0 + 4000 + PAUSED }]);
		expect(state.wakeAt).toBe(T0 + 4000 + PAUSED);
	});

	it('a question past its deadline, waiting for a slow link, gets its time back too', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'rtt', playerId: 'Ben', rttMs: 400 }, T0);
		play(state, { type: 'start' }, T0);
		const closesAt = state.round!.closesAt;
		play(state, { type: 'wake' }, closesAt);
		expect(state.phase).toBe('open');
		expect(state.round!.revealAt).toBe(closesAt + 200);

		play(state, { type: 'resume', pausedMs: PAUSED }, closesAt + 100 + PAUSED);
		expect(state.round!.revealAt).toBeNull();
		expect(state.round!.closesAt).toBe(closesAt + PAUSED);
		// Still open: Ben can answer in the time given back.
		answer(state, 'Ben', { choice: RIGHT }, closesAt + 150 + PAUSED);
		expect(state.round!.answers.has('Ben')).toBe(true);
	});

	it.each(['lobby', 'reveal', 'scoreboard'] as const)('changes nothing in the %s', (phase) => {
		const state = newGame();
		join(state, T0, 'Ana');
		if (phase !== 'lobby') {
			play(state, { type: 'start' }, T0);
			answer(state, 'Ana', { choice: RIGHT }, T0 + 100);
			if (phase === 'scoreboard') play(state, { type: 'next' }, T0 + 200);
		}
		expect(state.phase).toBe(phase);
		const before = structuredClone(state);
		expect(play(state, { type: 'resume', pausedMs: PAUSED }, T0 + PAUSED)).toEqual([]);
		expect(state).toEqual(before);
	});
});

describe('answer-accepted: an answer is handed over for storage before it is acknowledged', () => {
	it('comes right before the ack, with the answer as the rules keep it', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		const effects = answer(state, 'Ana', { choice: RIGHT }, T0 + 1234);
		const accepted = effects.findIndex((e) => e.kind === 'answer-accepted');
		const ack = effects.findIndex(
			(e) => e.kind === 'send-player' && e.message.type === 'answer-ack'
		);
		expect(accepted).toBeGreaterThanOrEqual(0);
		expect(accepted).toBeLessThan(ack);
		expect(effects[accepted]).toEqual({
			kind: 'answer-accepted',
			playerId: 'Ana',
			questionIndex: 0,
			answer: state.round!.answers.get('Ana')
		});
		expect(effects[accepted]).toMatchObject({ answer: { elapsedMs: 1234 } });
	});

	it('is not emitted for an answer the rules refuse', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 100);
		const again = apply(
			state,
			{ type: 'answer', playerId: 'Ana', questionIndex: 0, choice: 2 },
			T0 + 200
		);
		expect(again.error).toMatchObject({ code: 'already-answered' });
		expect(again.effects).toEqual([]);
	});
});

describe('closing early needs someone connected', () => {
	it('when the whole room drops, the question waits for its deadline', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 100);
		play(state, { type: 'connection', playerId: 'Ana', connected: false }, T0 + 200);
		play(state, { type: 'connection', playerId: 'Ben', connected: false }, T0 + 300);
		expect(state.round!.waitingFor).toBe(0);
		expect(state.phase).toBe('open');
		// Ben comes back in time and answers: now everyone connected has, and it closes.
		play(state, { type: 'connection', playerId: 'Ben', connected: true }, T0 + 5000);
		answer(state, 'Ben', { choice: WRONG }, T0 + 6000);
		expect(state.phase).toBe('reveal');
	});

	it('a room nobody is connected to reveals at the deadline', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 100);
		play(state, { type: 'connection', playerId: 'Ana', connected: false }, T0 + 200);
		play(state, { type: 'connection', playerId: 'Ben', connected: false }, T0 + 300);
		const closesAt = state.round!.closesAt;
		play(state, { type: 'wake' }, closesAt - 1);
		expect(state.phase).toBe('open');
		play(state, { type: 'wake' }, closesAt);
		expect(state.phase).toBe('reveal');
	});

	it('still closes when the last unanswered player drops while someone who answered is here', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 100);
		play(state, { type: 'connection', playerId: 'Ben', connected: false }, T0 + 200);
		expect(state.phase).toBe('open');
		play(state, { type: 'wake' }, T0 + 200 + DISCONNECT_SETTLE_MS);
		expect(state.phase).toBe('reveal');
	});

	it('kicking the last unanswered player of a restored room nobody rejoined does not close it', () => {
		const state = newGame();
		join(state, T0, 'Ana', 'Ben');
		play(state, { type: 'start' }, T0);
		answer(state, 'Ana', { choice: RIGHT }, T0 + 100);
		const restored = fromSnapshot({
			snapshot: stored(state),
			roster: rosterOf(state),
			laterAnswers: []
		});
		play(restored, { type: 'resume', pausedMs: 5000 }, T0 + 5200);
		play(restored, { type: 'kick', playerId: 'Ben' }, T0 + 5300);
		expect(restored.phase).toBe('open');
	});
});
