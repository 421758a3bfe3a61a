/**
 * A game on a network that blocks WebSockets, for one phone: its page has no WebSocket at all
 * (removed before any script runs), so it plays over the HTTP fallback by itself, next to two
 * phones on WebSockets. Everyone plays to the podium with the right scores, and only the
 * fallback phone shows the "compatibility mode" mark. Screenshots in test-results/screenshots.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, sameOrigin, test } from './screens.ts';

const shots = 'test-results/screenshots';
const QUIZ = {
	title: 'Fallback check',
	questions: [
		{
			type: 'quiz',
			text: 'Two plus two?',
			options: ['3', '4', '5', '6'],
			correct: [1],
			timeLimit: 20
		},
		{
			type: 'quiz',
			text: 'Three plus three?',
			options: ['5', '6', '7', '8'],
			correct: [1],
			timeLimit: 20
		}
	]
};
const RIGHT = 'blue diamond';
const WRONG = 'red triangle';

async function phone(browser: Browser, withoutWebSocket = false): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 2
	});
	if (withoutWebSocket) {
		await context.addInitScript(() => {
			delete (window as { WebSocket?: unknown }).WebSocket;
		});
	}
	return context.newPage();
}

test('a phone without WebSockets plays a whole game over the fallback, next to two with them', async ({
	browser
}) => {
	const host = await (
		await hostContext(browser, { viewport: { width: 1280, height: 720 } })
	).newPage();
	const created = await host.request.post('/api/quizzes', { data: QUIZ, headers: sameOrigin() });
	expect(created.status()).toBe(201);
	await host.goto('/host');
	await host.getByRole('radio', { name: QUIZ.title }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /(\d{6})$/.exec(host.url())![1]!;

	const nicknames = ['Maya', 'Theo', 'Zoë'];
	const phones: Page[] = [];
	for (const [index, nickname] of nicknames.entries()) {
		const page = await phone(browser, index === 0);
		await page.goto(`/?pin=${pin}`);
		await page.getByLabel('Nickname').fill(nickname);
		await page.getByRole('button', { name: 'OK, go!' }).click();
		await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
		phones.push(page);
	}
	const [maya, theo, zoe] = phones as [Page, Page, Page];
	expect(await maya.evaluate(() => typeof WebSocket)).toBe('undefined');
	await expect(maya.getByRole('status').filter({ hasText: 'Compatibility mode' })).toBeVisible();
	for (const page of [theo, zoe, host]) {
		await expect(page.getByText('Compatibility mode')).toBeHidden();
	}
	await maya.screenshot({ path: `${shots}/fallback-phone-lobby.png` });
	for (const nickname of nicknames) {
		await expect(
			host.getByRole('button', { name: `Remove ${nickname}`, exact: true })
		).toBeVisible();
	}
	await host.getByRole('button', { name: 'Start' }).click();

	// Maya (fallback) always right, Theo right on the first question only, Zoë never.
	const totals = new Map(nicknames.map((n) => [n, 0]));
	for (const index of [0, 1]) {
		const picks = [RIGHT, index === 0 ? RIGHT : WRONG, WRONG];
		for (const [p, page] of phones.entries()) {
			await page.getByRole('button', { name: picks[p]!, exact: true }).click({ timeout: 15_000 });
		}
		await expect(maya.getByText('Answer locked in').or(maya.getByText('Correct!'))).toBeVisible();
		for (const [p, page] of phones.entries()) {
			const correct = picks[p] === RIGHT;
			await expect(
				page.getByRole('heading', { name: correct ? 'Correct!' : 'Incorrect' })
			).toBeVisible();
			const points = Number((await page.locator('.points').innerText()).replace(/\D/g, ''));
			if (correct) expect(points).toBeGreaterThanOrEqual(500);
			else expect(points).toBe(0);
			totals.set(nicknames[p]!, totals.get(nicknames[p]!)! + points);
		}
		if (index === 0) await maya.screenshot({ path: `${shots}/fallback-phone-correct.png` });
		await host.keyboard.press('Space');
		await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
		await host.keyboard.press('Enter');
	}

	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
	for (const [place, nickname] of ['Maya', 'Theo', 'Zoë'].entries()) {
		await expect(host.locator(`.place-${place + 1} .name`)).toHaveText(nickname);
		await expect(host.locator(`.place-${place + 1} .score`)).toContainText(
			totals.get(nickname)!.toLocaleString('en')
		);
	}
	await expect(maya.getByText('1st')).toBeVisible();
	await expect(maya.getByLabel('Score')).toHaveText(totals.get('Maya')!.toLocaleString('en'));
	await expect(maya.getByText('Compatibility mode')).toBeVisible();
	await maya.screenshot({ path: `${shots}/fallback-phone-podium.png` });
});
