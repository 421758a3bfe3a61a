import { describe, expect, it } from 'vitest';
import type { PhaseView, PlayerStatus, QuestionView, RoundResult } from '../protocol/messages.ts';
import {
	MISSED_ANSWER,
	settleAfterRefusal,
	settleAfterSnapshot,
	type OutgoingAnswer
} from './answer-outbox.ts';

function question(index: number): QuestionView {
	return {
		index,
		total: 5,
		number: index + 1,
		questionCount: 5,
		type: 'quiz',
		text: null,
		options: null,
		optionCount: 4,
		points: 'standard',
		timeLimitMs: 20_000,
		image: null,
		body: null,
		slider: null,
		items: null,
		maxLength: null
	};
}

const open = (index: number): PhaseView => ({
	phase: 'open',
	question: question(index),
	opensAt: 1000,
	closesAt: 21_000
});
const intro = (index: number): PhaseView => ({
	phase: 'intro',
	question: question(index),
	opensAt: 1000,
	closesAt: 21_000
});
const reveal = (index: number): PhaseView => ({
	phase: 'reveal',
	question: question(index),
	correct: [1],
	distribution: [0, 1, 0, 0],
	answeredCount: 1,
	detail: null
});
const scoreboard = (index: number): PhaseView => ({
	phase: 'scoreboard',
	questionIndex: index,
	total: 5,
	questionNumber: index + 1,
	questionCount: 5,
	standings: []
});

function result(questionIndex: number, answered: boolean): RoundResult {
	return {
		questionIndex,
		type: 'quiz',
		answered,
		scored: true,
		correct: answered,
		accuracy: answered ? 1 : 0,
		points: answered ? 900 : 0,
		streakBonus: 0,
		streak: answered ? 1 : 0
	};
}

function you(patch: Partial<PlayerStatus> = {}): PlayerStatus {
	return {
		id: 'p1',
		nickname: 'Maya',
		score: 0,
		streak: 0,
		rank: null,
		playerCount: 3,
		ahead: null,
		lastResult: null,
		firstQuestion: 0,
		currentAnswer: null,
		...patch
	};
}

const outgoing = (questionIndex: number, carriedOver = false): OutgoingAnswer => ({
	questionIndex,
	input: { choice: 2 },
	carriedOver
});

describe('settleAfterSnapshot', () => {
	it('without an outgoing answer reports what the server holds for the open question', () => {
		expect(settleAfterSnapshot(null, open(1), you({ currentAnswer: { choice: 3 } }))).toEqual({
			locked: { choice: 3 },
			resend: null,
			notice: null
		});
		expect(settleAfterSnapshot(null, open(1), you())).toEqual({
			locked: null,
			resend: null,
			notice: null
		});
		// The host has no `you`.
		expect(settleAfterSnapshot(null, open(1), null).locked).toBeNull();
	});

	it('re-sends when the same question is still open and the server has no answer', () => {
		const settled = settleAfterSnapshot(outgoing(1), open(1), you());
		expect(settled.locked).toBeNull();
		expect(settled.notice).toBeNull();
		expect(settled.resend).toEqual({ questionIndex: 1, input: { choice: 2 }, carriedOver: true });
	});

	it('locks the answer in when the server already has it (the ack was lost)', () => {
		const settled = settleAfterSnapshot(
			outgoing(1),
			open(1),
			you({ currentAnswer: { choice: 2 } })
		);
		expect(settled).toEqual({ locked: { choice: 2 }, resend: null, notice: null });
	});

	it('shows what the server holds, even when it differs (another tab answered)', () => {
		const settled = settleAfterSnapshot(
			outgoing(1),
			open(1),
			you({ currentAnswer: { choice: 0 } })
		);
		expect(settled).toEqual({ locked: { choice: 0 }, resend: null, notice: null });
	});

	it('says plainly that the answer missed when the question has moved on', () => {
		for (const view of [
			reveal(1),
			scoreboard(1),
			intro(2),
			open(2),
			{ phase: 'podium' as const, standings: [] }
		]) {
			const settled = settleAfterSnapshot(outgoing(1, true), view, you());
			expect(settled.resend).toBeNull();
			expect(settled.notice).toBe(MISSED_ANSWER);
		}
	});

	it('stays quiet when the result shows the answer had arrived before the drop', () => {
		const arrived = you({ lastResult: result(1, true) });
		expect(settleAfterSnapshot(outgoing(1), reveal(1), arrived).notice).toBeNull();
		expect(settleAfterSnapshot(outgoing(1), scoreboard(1), arrived).notice).toBeNull();
		// The result of an earlier question says nothing about this one.
		const earlier = you({ lastResult: result(0, true) });
		expect(settleAfterSnapshot(outgoing(1), reveal(1), earlier).notice).toBe(MISSED_ANSWER);
		// Nor does a result that records no answer.
		const unanswered = you({ lastResult: result(1, false) });
		expect(settleAfterSnapshot(outgoing(1), reveal(1), unanswered).notice).toBe(MISSED_ANSWER);
	});

	it('does not lock an old answer into the next question', () => {
		const settled = settleAfterSnapshot(outgoing(1), open(2), you());
		expect(settled.locked).toBeNull();
		expect(settled.notice).toBe(MISSED_ANSWER);
	});

	it('reports a missed answer when the game went back to the lobby or ended', () => {
		expect(settleAfterSnapshot(outgoing(0), { phase: 'ended' }, you()).notice).toBe(MISSED_ANSWER);
	});
});

describe('settleAfterRefusal', () => {
	it('passes the server’s words on for an answer sent on a steady connection', () => {
		expect(settleAfterRefusal(outgoing(1), 'too-late', 'Too late: time was up')).toEqual({
			locked: null,
			notice: 'Too late: time was up'
		});
		expect(settleAfterRefusal(outgoing(1), 'bad-answer', 'Pick an option')).toEqual({
			locked: null,
			notice: 'Pick an option'
		});
	});

	it('says the answer missed when a carried-over answer comes back too late', () => {
		for (const code of ['too-late', 'wrong-question'] as const) {
			expect(settleAfterRefusal(outgoing(1, true), code, 'Too late: time was up')).toEqual({
				locked: null,
				notice: MISSED_ANSWER
			});
		}
	});

	it('locks a carried-over answer the server turns out to have already', () => {
		expect(
			settleAfterRefusal(outgoing(1, true), 'already-answered', 'You already answered')
		).toEqual({ locked: { choice: 2 }, notice: null });
		// Sent once only: "already answered" means some other screen answered.
		expect(settleAfterRefusal(outgoing(1), 'already-answered', 'You already answered')).toEqual({
			locked: null,
			notice: 'You already answered'
		});
	});
});
