/**
 * What happens to an answer the server has not confirmed yet. A phone can lose its socket
 * between the tap and the `answer-ack` (or tap while the socket is already down): the answer
 * is kept, and the `state` snapshot of the next connection decides its fate. It is re-sent if
 * the same question is still open and the server has no answer from this player; shown as
 * locked in if the server already has one; otherwise the player is told plainly that it did
 * not arrive in time. Never silently dropped. Pure functions, so every case is unit tested.
 */
import type { AnswerInput, ErrorCode, PhaseView, PlayerStatus } from '../protocol/messages.ts';

/** An answer given on this device and not yet confirmed by the server. */
export interface OutgoingAnswer {
	questionIndex: number;
	input: AnswerInput;
	/** Made or sent before a reconnect: a refusal now means it missed its question. */
	carriedOver: boolean;
}

export const MISSED_ANSWER = "Your answer didn't reach the game in time";

/** What the screen does with an unconfirmed answer once a fresh snapshot arrived. */
export interface Settlement {
	/** The answer the server holds for the question on screen, if any. */
	locked: AnswerInput | null;
	/** Still unconfirmed: send this now (it has been marked as carried over). */
	resend: OutgoingAnswer | null;
	/** A message for the player, or null. */
	notice: string | null;
}

/** The question whose answers the snapshot is about (intro or open), else null. */
function askedQuestion(view: PhaseView): number | null {
	return view.phase === 'intro' || view.phase === 'open' ? view.question.index : null;
}

/**
 * Decides what becomes of `outgoing` given a (re)connect snapshot's view and the player's status.
 * Without an outgoing answer it only reports what the server holds.
 */
export function settleAfterSnapshot(
	outgoing: OutgoingAnswer | null,
	view: PhaseView,
	you: PlayerStatus | null
): Settlement {
	const asked = askedQuestion(view);
	const held = asked !== null ? (you?.currentAnswer ?? null) : null;
	if (!outgoing) return { locked: held, resend: null, notice: null };

	if (outgoing.questionIndex === asked) {
		// The server has it: the ack was lost with the old socket.
		if (held) return { locked: held, resend: null, notice: null };
		if (view.phase === 'open') {
			return { locked: null, resend: { ...outgoing, carriedOver: true }, notice: null };
		}
	}
	// The question moved on. Its result says whether the answer had arrived after all.
	const result = you?.lastResult;
	const arrived = result?.questionIndex === outgoing.questionIndex && result.answered;
	return { locked: held, resend: null, notice: arrived ? null : MISSED_ANSWER };
}

/** What the screen does when the server refuses the outgoing answer. */
export interface Refusal {
	/** The refusal says the server already has this answer. */
	locked: AnswerInput | null;
	notice: string | null;
}

const TOO_LATE: ReadonlySet<ErrorCode> = new Set(['too-late', 'wrong-question']);

export function settleAfterRefusal(
	outgoing: OutgoingAnswer,
	code: ErrorCode,
	message: string
): Refusal {
	// A carried-over answer can race its own first copy: the only answer this phone gave.
	if (code === 'already-answered' && outgoing.carriedOver) {
		return { locked: outgoing.input, notice: null };
	}
	if (outgoing.carriedOver && TOO_LATE.has(code)) return { locked: null, notice: MISSED_ANSWER };
	return { locked: null, notice: message };
}
