/**
 * When a question's answers appear on this screen: at `opensAt` by the server's clock (this
 * device's estimate of it, `clock-sync.ts`), not when a frame arrives. The phone and the
 * projector both get the question before then (the intro, or an `open` whose `opensAt` is a
 * short lead ahead) and show it as "get ready" until that moment, so every screen in the room
 * opens together whatever its link; the server charges each answer only its way up
 * (`game/timing.ts`). Pure: the caller gives the time and sets the timer.
 */
import type { PhaseView } from '../protocol/messages.ts';

type Question = Extract<PhaseView, { phase: 'open' }>;
type Intro = Extract<PhaseView, { phase: 'intro' }>;

/**
 * What the screen shows at `clockNow` (server time; the pause time while paused): an intro past
 * its `opensAt` is the open question, an open question before its `opensAt` is still "get ready".
 */
export function shownView(view: PhaseView, clockNow: number): PhaseView {
	if (view.phase === 'intro' && clockNow >= view.opensAt) return as('open', view);
	if (view.phase === 'open' && clockNow < view.opensAt) return as('intro', view);
	return view;
}

/** The same question, in the other of its two phases. */
function as(phase: 'open' | 'intro', view: Question | Intro): PhaseView {
	const { question, opensAt, closesAt, pausedAt } = view;
	return { phase, question, opensAt, closesAt, ...(pausedAt !== undefined ? { pausedAt } : {}) };
}

/** How long until the shown view changes by itself (the answers open); null: not by itself. */
export function msUntilOpening(view: PhaseView, clockNow: number): number | null {
	if (view.phase !== 'intro' && view.phase !== 'open') return null;
	if (view.pausedAt !== undefined) return null;
	return clockNow < view.opensAt ? view.opensAt - clockNow : null;
}

/**
 * How late the answers opened here, by the server's clock: more than nothing only when the frame
 * that carried the question came after `opensAt` (a link slower than the lead, a reconnect).
 * The answer says so and is credited within the cap.
 */
export function lateBy(opensAt: number, openedAt: number): number {
	return Math.max(0, Math.round(openedAt - opensAt));
}
