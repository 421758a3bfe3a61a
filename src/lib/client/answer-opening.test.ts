import { describe, expect, it } from 'vitest';
import type { PhaseView, QuestionView } from '../protocol/messages.ts';
import { lateBy, msUntilOpening, shownView } from './answer-opening.ts';

const question = { index: 2 } as QuestionView;
const intro: PhaseView = { phase: 'intro', question, opensAt: 10_000, closesAt: 30_000 };
const open: PhaseView = { phase: 'open', question, opensAt: 10_000, closesAt: 30_000 };

describe('when a screen shows the answers', () => {
	it('shows the intro as the open question from opensAt on, by its clock', () => {
		expect(shownView(intro, 9_999)).toBe(intro);
		expect(shownView(intro, 10_000)).toEqual(open);
	});

	it('shows an open question that arrived early as "get ready" until opensAt', () => {
		expect(shownView(open, 9_800)).toEqual(intro);
		expect(shownView(open, 10_000)).toBe(open);
	});

	it('keeps a pause on either side', () => {
		const paused: PhaseView = { ...intro, pausedAt: 9_000 };
		expect(shownView(paused, 9_000)).toBe(paused);
		expect(msUntilOpening(paused, 9_000)).toBeNull();
	});

	it('says how long until the answers open, and nothing once open or elsewhere', () => {
		expect(msUntilOpening(intro, 9_750)).toBe(250);
		expect(msUntilOpening(open, 9_900)).toBe(100);
		expect(msUntilOpening(open, 10_000)).toBeNull();
		expect(msUntilOpening({ phase: 'lobby' }, 0)).toBeNull();
	});

	it('is late only when it opened after opensAt, in whole milliseconds', () => {
		expect(lateBy(10_000, 9_990)).toBe(0);
		expect(lateBy(10_000, 10_052.4)).toBe(52);
	});
});
