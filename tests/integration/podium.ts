/**
 * The end of a game that survived its server (recovery.test.ts: a restart; cluster.test.ts: a
 * takeover by another node), played on from the first question's reveal over the two-question
 * quiz both tests create, whose second question is true/false with "false" right (choice 1).
 * What must hold on the podium is the same whichever way the game survived, so it is checked
 * in one place.
 */
import { expect } from 'vitest';
import type { TestClient } from './harness.ts';

/**
 * The quiz both tests play: two questions, 30 s each, time enough for a crash and a recovery
 * inside the first; the second is the one `playOnToPodium` answers.
 */
export function survivalQuiz(title: string) {
	return {
		title,
		questions: [
			{
				type: 'quiz',
				text: 'Two plus two?',
				options: ['3', '4', '5'],
				correct: [1],
				timeLimit: 30
			},
			{ type: 'true-false', text: 'The sky is green.', answer: false, timeLimit: 30 }
		]
	};
}

/**
 * Plays the second question (Ana and Ben right, Cy wrong) to the podium, then checks that
 * every phone's final score is the projector's, that Ana wins, and that her total is her
 * first-question score, from before the game moved, plus her second question's points.
 */
export async function playOnToPodium(
	host: TestClient,
	[ana, ben, cy]: readonly [TestClient, TestClient, TestClient],
	anaFirstScore: number
): Promise<void> {
	host.send({ type: 'next' });
	host.send({ type: 'next' });
	await host.next('phase', (m) => m.phase === 'open');
	ana.send({ type: 'answer', questionIndex: 1, choice: 1 });
	ben.send({ type: 'answer', questionIndex: 1, choice: 1 });
	cy.send({ type: 'answer', questionIndex: 1, choice: 0 });
	await host.next('phase', (m) => m.phase === 'reveal');
	host.send({ type: 'next' });
	host.send({ type: 'next' });
	const podium = await host.next('phase', (m) => m.phase === 'podium');
	if (podium.phase !== 'podium') throw new Error('no podium');
	const finals = await Promise.all(
		[ana, ben, cy].map(
			async (client) => (await client.next('you', (m) => m.you.lastResult?.questionIndex === 1)).you
		)
	);
	expect(podium.standings[0]!.nickname).toBe('Ana');
	for (const final of finals) {
		const standing = podium.standings.find((s) => s.nickname === final.nickname)!;
		expect(standing.score).toBe(final.score);
	}
	expect(finals[0]!.score).toBe(anaFirstScore + finals[0]!.lastResult!.points);
}
