/**
 * A whole game through the real UI: a host screen at projector size and three phones play a
 * sample quiz to the podium. Screenshots of every screen land in test-results/screenshots.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';
import { readFileSync } from 'node:fs';

interface SampleQuiz {
	title: string;
	questions: { text: string; options: string[]; correct: number[] }[];
}

const quiz = JSON.parse(
	readFileSync('src/lib/server/quizzes/samples/science-and-nature.json', 'utf8')
) as SampleQuiz;

const SHAPES = ['red triangle', 'blue diamond', 'yellow circle', 'green square'];
const shots = 'test-results/screenshots';

async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 2
	});
	return context.newPage();
}

async function join(page: Page, pin: string, nickname: string, viaQrLink: boolean): Promise<void> {
	if (viaQrLink) {
		await page.goto(`/?pin=${pin}`);
	} else {
		await page.goto('/');
		await page.getByLabel('Game PIN').fill(pin);
		await page.getByRole('button', { name: 'Enter' }).click();
	}
	await page.getByLabel('Nickname').fill(nickname);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
}

test('a host and three phones play a quiz to the podium', async ({ browser }) => {
	const host = await (
		await hostContext(browser, { viewport: { width: 1280, height: 720 } })
	).newPage();

	await host.goto('/host');
	await host.getByRole('radio', { name: quiz.title }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('2');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /\/host\/(\d{6})$/.exec(host.url())![1]!;
	await expect(host.getByText('Waiting for players…')).toBeVisible();
	await expect(host.getByRole('button', { name: 'Start' })).toBeDisabled();

	const nicknames = ['Maya', 'Theo', 'Zoë'];
	const phones: Page[] = [];
	for (const [index, nickname] of nicknames.entries()) {
		const page = await phone(browser);
		await join(page, pin, nickname, index === 0);
		phones.push(page);
		await expect(
			host.getByRole('button', { name: `Remove ${nickname}`, exact: false })
		).toBeVisible();
	}
	await expect(host.getByText('3 players')).toBeVisible();
	await host.screenshot({ path: `${shots}/host-lobby.png` });
	await phones[0]!.screenshot({ path: `${shots}/phone-lobby.png` });

	await host.getByRole('button', { name: 'Start' }).click();
	await expect(host.getByText('Get ready…')).toBeVisible();
	await host.screenshot({ path: `${shots}/host-intro.png` });

	// Maya is always right and fast, Theo right only on even questions, Zoë always wrong.
	const totals = new Map(nicknames.map((n) => [n, 0]));
	for (const [index, question] of quiz.questions.entries()) {
		const right = question.correct[0]!;
		const wrong = (right + 1) % question.options.length;
		const picks = [right, index % 2 === 0 ? right : wrong, wrong];

		await expect(host.getByText(`Question ${index + 1} of ${quiz.questions.length}`)).toBeVisible();
		await expect(host.getByRole('heading', { name: question.text })).toBeVisible();
		for (const [p, page] of phones.entries()) {
			const button = page.getByRole('button', { name: SHAPES[picks[p]!]!, exact: true });
			await button.click({ timeout: 15_000 });
			if (index === 0 && p === 0) {
				await expect(page.getByText('Answer locked in')).toBeVisible();
				await page.screenshot({ path: `${shots}/phone-locked-in.png` });
			}
		}
		// Everyone answered: the question closes early and the projector shows the reveal.
		await expect(host.getByRole('figure')).toBeVisible();
		await expect(host.locator('.tile:not(.faded)')).toContainText(question.options[right]!);
		if (index === 0) {
			await host.screenshot({ path: `${shots}/host-reveal.png` });
			await expect(phones[0]!.getByText('Correct!')).toBeVisible();
			await expect(phones[2]!.getByText('Incorrect')).toBeVisible();
			await phones[0]!.screenshot({ path: `${shots}/phone-correct.png` });
			await phones[2]!.screenshot({ path: `${shots}/phone-incorrect.png` });
		}
		for (const [p, page] of phones.entries()) {
			const correct = picks[p] === right;
			await expect(
				page.getByRole('heading', { name: correct ? 'Correct!' : 'Incorrect' })
			).toBeVisible();
			const points = Number((await page.locator('.points').innerText()).replace(/[^\d]/g, ''));
			if (correct) expect(points).toBeGreaterThanOrEqual(500);
			else expect(points).toBe(0);
			totals.set(nicknames[p]!, totals.get(nicknames[p]!)! + points);
		}

		await host.keyboard.press('Space');
		await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
		if (index === 0) {
			await host.screenshot({ path: `${shots}/host-scoreboard.png` });
			await phones[1]!.screenshot({ path: `${shots}/phone-scoreboard.png` });
		}
		await host.keyboard.press('Enter');
		if (index === 0) {
			// The next question, open: countdown, tiles, the live answer count, phones' buttons.
			await expect(host.locator('.answered')).toHaveText(/0\s*\/\s*3 answered/, {
				timeout: 15_000
			});
			await host.screenshot({ path: `${shots}/host-question.png` });
			await phones[0]!.screenshot({ path: `${shots}/phone-question.png` });
		}
	}

	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
	const ranking = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([n]) => n);
	expect(ranking).toEqual(['Maya', 'Theo', 'Zoë']);
	for (const [place, nickname] of ranking.entries()) {
		await expect(host.locator(`.place-${place + 1} .name`)).toHaveText(nickname);
		await expect(host.locator(`.place-${place + 1} .score`)).toContainText(
			totals.get(nickname)!.toLocaleString('en')
		);
	}
	await expect(phones[0]!.getByText('1st')).toBeVisible();
	await expect(phones[1]!.getByText('2nd')).toBeVisible();
	await expect(phones[2]!.getByText('3rd')).toBeVisible();
	await host.waitForTimeout(2200); // let the podium rise before the picture
	await host.screenshot({ path: `${shots}/host-podium.png` });
	await phones[0]!.screenshot({ path: `${shots}/phone-podium.png` });

	await host.getByRole('link', { name: 'New game' }).click();
	await expect(host.getByRole('heading', { name: 'Host a game' })).toBeVisible();
});
