/**
 * The host pauses a question (a fire drill, a question from the room) and goes on: every clock
 * stands still, phones cannot answer meanwhile, and the question then runs with the time it had
 * left, an answer's time not counting the pause.
 */
import type { Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, hostGeography, joinedPhone, test } from './screens.ts';

const quiz = JSON.parse(
	readFileSync('src/lib/server/quizzes/samples/world-geography.json', 'utf8')
) as { title: string; questions: { options: string[]; correct: number[] }[] };
const SHAPES = ['red triangle', 'blue diamond', 'yellow circle', 'green square'];
const shots = 'test-results/screenshots';

/** The whole seconds a countdown shows. */
async function secondsShown(timer: Locator): Promise<number> {
	return Number(await timer.textContent());
}

test('the host pauses a question and goes on: clocks stand still, phones wait, time is kept', async ({
	browser
}) => {
	const { host, pin } = await hostGeography(browser, 4);
	const phone = await joinedPhone(browser, pin, 'Maya');
	await host.getByRole('button', { name: 'Start' }).click();

	// The get-ready countdown can be paused too, and goes on with its seconds.
	await expect(host.getByText('Get ready…')).toBeVisible();
	await host.keyboard.press('p');
	await expect(host.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
	await expect(phone.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
	await host.waitForTimeout(3500);
	// Still getting ready, "Paused" where "Get ready…" was: no answers on screen yet.
	await expect(host.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
	await expect(host.getByText(quiz.questions[0]!.options[0]!)).toHaveCount(0);
	await host.getByRole('button', { name: 'Continue' }).click();
	await expect(host.getByText('Get ready…')).toBeVisible();

	// The question opens; the host pauses it a moment later.
	const right = SHAPES[quiz.questions[0]!.correct[0]!]!;
	const pad = phone.getByRole('button', { name: new RegExp(`^${right}`) });
	await expect(pad).toBeVisible({ timeout: 10_000 });
	// Maya is on the keyboard (or a screen reader): her focus is on the answer.
	await pad.focus();
	const pauseButton = host.getByRole('button', { name: 'Pause' });
	await expect(pauseButton).toHaveAttribute('aria-pressed', 'false');
	await host.keyboard.press('p');
	const hostTimer = host.getByRole('timer');
	const phoneTimer = phone.getByRole('timer');
	await expect(host.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
	await expect(host.getByRole('button', { name: 'Continue' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expect(phone.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
	// The answer is out of reach now: her focus moves to the notice, not off the page.
	await expect(phone.getByRole('heading', { name: 'Paused' })).toBeFocused();
	const left = await secondsShown(hostTimer);
	await host.screenshot({ path: `${shots}/host-paused.png` });
	await phone.screenshot({ path: `${shots}/phone-paused.png` });

	// Four seconds later nothing has moved, and the phone's answers cannot be tapped.
	await host.waitForTimeout(4000);
	expect(await secondsShown(hostTimer)).toBe(left);
	expect(await secondsShown(phoneTimer)).toBe(left);
	expect(await pad.evaluate((button) => button.closest('[inert]') !== null)).toBe(true);

	// Going on: the question has the seconds it had, and Maya's answer counts as quick.
	await host.keyboard.press('p');
	await expect(host.getByRole('status').filter({ hasText: 'Paused' })).toBeHidden();
	await expect(phone.getByRole('status').filter({ hasText: 'Paused' })).toBeHidden();
	expect(await secondsShown(hostTimer)).toBeGreaterThanOrEqual(left - 1);
	await expect(phone.locator('.phase h1')).toBeFocused();
	await pad.focus();
	await phone.keyboard.press('Enter');
	// Answer sent, confirmed, then the result: the focus follows to each screen's heading.
	await expect(phone.getByRole('heading', { name: 'Correct!' })).toBeFocused();
	// Answered a second or so after the question opened, the pause aside: over 950 of 1,000
	// (counting the four seconds paused would give at most 900).
	const points = Number((await phone.locator('.outcome .points').innerText()).replace(/\D/g, ''));
	expect(points).toBeGreaterThan(925);

	// There is nothing to pause at the reveal.
	await expect(host.getByRole('button', { name: 'Pause' })).toHaveCount(0);
});
