/**
 * Fair on every link (issue 26), in real browsers: two phones reach the server through TCP
 * proxies adding 10 and 300 ms round trips (tests/integration/delay-proxy.ts). Their answer
 * buttons enable together, at `opensAt` by each phone's clock estimate, not when the frame
 * arrives; and their countdowns reach zero together. Both pages write down, on the machine's
 * one clock, when that happened.
 */
import type { Browser, Page } from '@playwright/test';
import { DelayProxy } from '../integration/delay-proxy.ts';
import { expect, hostContext, sameOrigin, test } from './screens.ts';

const QUIZ = {
	title: 'Fair links check',
	questions: [
		{
			type: 'quiz',
			text: 'Which is the first?',
			options: ['First', 'Second', 'Third', 'Fourth'],
			correct: [0],
			timeLimit: 5
		}
	]
};

interface Moments {
	enabledAt?: number;
	zeroAt?: number;
}

/** A phone whose page and live link both go through `proxy`, noting when things happen. */
async function phoneBehind(browser: Browser, proxy: DelayProxy, pin: string, name: string) {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true
	});
	await context.addInitScript(() => {
		const moments: Moments = {};
		(window as unknown as { moments: Moments }).moments = moments;
		const look = () => {
			const button = document.querySelector<HTMLButtonElement>('.pad button.answer');
			if (button && !button.disabled) moments.enabledAt ??= Date.now();
			const timer = document.querySelector('.timer [role="timer"]');
			if (timer?.textContent?.trim() === '0') moments.zeroAt ??= Date.now();
		};
		// DOM changes land in timers and in animation frames: look after both.
		setInterval(look, 2);
		const frame = () => {
			look();
			requestAnimationFrame(frame);
		};
		requestAnimationFrame(frame);
	});
	const page = await context.newPage();
	await page.goto(`${proxy.url}/?pin=${pin}`);
	await page.getByLabel('Nickname').fill(name);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible({ timeout: 20_000 });
	return page;
}

const moments = (page: Page) =>
	page.evaluate(() => (window as unknown as { moments: Moments }).moments);

test('phones on a fast and a slow link open their answers and end their countdowns together', async ({
	browser,
	baseURL
}) => {
	const port = Number(new URL(baseURL!).port);
	const fast = await DelayProxy.start(port, { oneWayMs: 5 });
	const slow = await DelayProxy.start(port, { oneWayMs: 150 });
	try {
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

		const phones = [
			await phoneBehind(browser, fast, pin, 'Near'),
			await phoneBehind(browser, slow, pin, 'Far')
		];
		// A moment in the lobby, as in a real room: clocks probed, round trips measured.
		await host.waitForTimeout(2500);
		await host.getByRole('button', { name: 'Start' }).click();
		for (const phone of phones) {
			await expect(phone.locator('.pad button.answer').first()).toBeEnabled({ timeout: 10_000 });
		}
		await phones[1]!.screenshot({ path: 'test-results/screenshots/fair-links-far-phone.png' });
		// Nobody answers: both countdowns run out (5 s).
		for (const phone of phones) {
			await expect
				.poll(async () => (await moments(phone)).zeroAt, { timeout: 15_000 })
				.toBeDefined();
		}
		const [near, far] = await Promise.all(phones.map(moments));
		console.log(
			`buttons enabled: far − near ${far!.enabledAt! - near!.enabledAt!} ms; ` +
				`countdown at zero: far − near ${far!.zeroAt! - near!.zeroAt!} ms`
		);
		expect(Math.abs(far!.enabledAt! - near!.enabledAt!)).toBeLessThanOrEqual(50);
		expect(Math.abs(far!.zeroAt! - near!.zeroAt!)).toBeLessThanOrEqual(50);
	} finally {
		await fast.stop();
		await slow.stop();
	}
});
