/**
 * The projector's controls under real hands: a double click or a held key is one step, Space
 * moves the game on even after a click on Mute, and the host can end a game before its end.
 */
import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, hostGeography, joinedPhone, test } from './screens.ts';

const quiz = JSON.parse(
	readFileSync('src/lib/server/quizzes/samples/world-geography.json', 'utf8')
) as { title: string; questions: { text: string; options: string[]; correct: number[] }[] };
const SHAPES = ['red triangle', 'blue diamond', 'yellow circle', 'green square'];

/** A game of World Geography with one phone in it, at its first question's reveal. */
async function atFirstReveal(browser: Browser): Promise<{ host: Page; phone: Page }> {
	const { host, pin } = await hostGeography(browser, 0);
	const phone = await joinedPhone(browser, pin, 'Maya');
	await host.getByRole('button', { name: 'Start' }).click();
	const right = SHAPES[quiz.questions[0]!.correct[0]!]!;
	await phone.getByRole('button', { name: new RegExp(`^${right}`) }).click({ timeout: 15_000 });
	await expect(host.getByRole('button', { name: 'Scoreboard ›' })).toBeVisible();
	return { host, phone };
}

test('a double click or Space pressed twice moves on one step, not two', async ({ browser }) => {
	const { host, phone } = await atFirstReveal(browser);
	await host.getByRole('button', { name: 'Scoreboard ›' }).dblclick();
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	// Still the scoreboard a moment later: the second click did not open question 2.
	await host.waitForTimeout(1000);
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await expect(host.getByText('Question 2 of')).toHaveCount(0);

	// A click on Mute keeps the focus there, not Space: Space moves the game on.
	await host.getByRole('button', { name: 'Mute' }).click();
	await host.keyboard.press('Space');
	await expect(host.getByText(`Question 2 of ${quiz.questions.length}`)).toBeVisible();
	await expect(host.getByRole('heading', { name: quiz.questions[1]!.text })).toBeVisible();
	await expect(phone.getByRole('button', { name: /^red triangle/ })).toBeVisible();

	// Space twice before the screen changed (both presses made on the open question): the
	// question closes, and the second press does not also skip the reveal.
	await host.evaluate(() => {
		for (let i = 0; i < 2; i++) {
			document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
		}
	});
	await expect(host.getByRole('figure')).toBeVisible();
	await host.waitForTimeout(1000);
	await expect(host.getByRole('figure')).toBeVisible();
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toHaveCount(0);
});

test('the host ends a game before its end, after saying so twice', async ({ browser }) => {
	const { host, phone } = await atFirstReveal(browser);
	const end = host.getByRole('button', { name: 'End game' });

	// Hosting from a phone: the bar wraps, and every control is on the screen.
	await host.setViewportSize({ width: 360, height: 640 });
	for (const control of [end, host.getByRole('button', { name: 'Scoreboard ›' })]) {
		const box = (await control.boundingBox())!;
		expect(box.x + box.width, await control.innerText()).toBeLessThanOrEqual(360);
	}
	expect(await host.evaluate(() => document.documentElement.scrollWidth)).toBe(360);
	await host.setViewportSize({ width: 1280, height: 720 });

	// Changed their mind: nothing happens.
	host.once('dialog', (dialog) => void dialog.dismiss());
	await end.click();
	await expect(host.getByRole('button', { name: 'Scoreboard ›' })).toBeVisible();

	host.once('dialog', (dialog) => {
		expect(dialog.message()).toContain('report keeps what was played so far');
		void dialog.accept();
	});
	await end.click();
	await expect(phone.getByRole('heading', { name: 'Game closed' })).toBeVisible();
	await expect(phone.getByText('The host ended the game')).toBeVisible();

	// The host is shown the way to the game's report, and back to hosting.
	await expect(host.getByRole('heading', { name: 'Game over' })).toBeVisible();
	await expect(host.getByRole('link', { name: 'Host another game' })).toBeVisible();
	await host.getByRole('link', { name: 'See the report' }).click();
	await expect(host.getByRole('heading', { name: quiz.title })).toBeVisible();

	// The report keeps the question played, marked unfinished.
	await host.goto('/reports');
	const row = host.getByRole('row').filter({ hasText: quiz.title }).first();
	await expect(row).toContainText('unfinished');
});
