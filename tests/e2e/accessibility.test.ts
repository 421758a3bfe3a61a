/**
 * Every screen of a game, host and phone, in every phase: axe-core finds no serious or critical
 * violation, the projector's screens fit 1920×1080 and 1280×720 without scrolling (the lobby,
 * question, reveal and podium also the host's own 360×740 phone, without scrolling sideways), and
 * each screen is photographed at those sizes and the players' on a 360×640 phone both ways round
 * (test-results/screens/<screen>-<width>x<height>.png). And the hosts' pages around the game
 * fit that phone with its text at 200 %.
 *
 * axe is injected from node_modules (axe.ts); these contexts bypass the Content-Security-Policy
 * only so the injected script may run (csp.test.ts checks the policy).
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, sameOrigin, test } from './screens.ts';
import { axeViolations } from './axe.ts';

const shots = 'test-results/screens';

interface Size {
	width: number;
	height: number;
}
const PROJECTOR: Size[] = [
	{ width: 1920, height: 1080 },
	{ width: 1280, height: 720 }
];
/** The host's main screens: on the projector, and on the host's phone (hosting from it). */
const HOST: Size[] = [...PROJECTOR, { width: 360, height: 740 }];
const PHONE: Size[] = [
	{ width: 360, height: 640 },
	{ width: 640, height: 360 }
];

/** Every violation axe found, by screen; serious and critical ones fail the test. */
const report: string[] = [];
const failures: string[] = [];

async function runAxe(page: Page, screen: string): Promise<void> {
	const violations = await axeViolations(page);
	for (const v of violations) {
		const line = `${screen}: [${v.impact}] ${v.id} (${v.help})\n    ${v.nodes.join('\n    ')}`;
		report.push(line);
		if (v.impact === 'serious' || v.impact === 'critical') failures.push(line);
	}
}

/**
 * Nothing scrolls: not the document, not the stage that holds the phase's screen. On a phone
 * (`sideways`) the page may scroll down, never sideways, and the stage cuts nothing off.
 */
async function assertFits(page: Page, screen: string, sideways = false): Promise<void> {
	const sizes = await page.evaluate(() => {
		const stage = document.querySelector('main');
		return {
			scrollHeight: document.documentElement.scrollHeight,
			scrollWidth: document.documentElement.scrollWidth,
			innerHeight: window.innerHeight,
			innerWidth: window.innerWidth,
			stageOverflow: stage ? stage.scrollHeight - stage.clientHeight : 0
		};
	});
	if (!sideways) {
		expect(sizes.scrollHeight, `${screen}: page height`).toBeLessThanOrEqual(sizes.innerHeight);
	}
	expect(sizes.scrollWidth, `${screen}: page width`).toBeLessThanOrEqual(sizes.innerWidth);
	expect(sizes.stageOverflow, `${screen}: stage content cut off`).toBeLessThanOrEqual(1);
}

/**
 * Photographs a screen at each size (the first one last, so the page is left as it was) and
 * runs axe once. Host screens must fit (assertFits).
 */
async function screen(
	page: Page,
	name: string,
	sizes: Size[],
	{ fits = false, axe = true }: { fits?: boolean; axe?: boolean } = {}
): Promise<void> {
	for (const size of [...sizes.slice(1), sizes[0]!]) {
		await page.setViewportSize(size);
		// Two frames: layout and the countdown's next draw.
		await page.evaluate(
			() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
		);
		if (fits) {
			await assertFits(page, `${name} at ${size.width}×${size.height}`, size.width < 600);
		}
		await page.screenshot({ path: `${shots}/${name}-${size.width}x${size.height}.png` });
	}
	if (axe) await runAxe(page, name);
}

async function newPhone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({
		viewport: PHONE[0],
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 2,
		bypassCSP: true
	});
	return context.newPage();
}

async function join(page: Page, pin: string, nickname: string): Promise<void> {
	await page.goto(`/?pin=${pin}`);
	await page.getByLabel('Nickname').fill(nickname);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
}

test('every host and phone screen passes axe and fits its screen', async ({ browser }) => {
	test.setTimeout(300_000);
	const host = await (
		await hostContext(browser, { viewport: PROJECTOR[0], bypassCSP: true })
	).newPage();

	const created = await host.request.post('/api/quizzes', {
		headers: sameOrigin(),
		data: {
			title: 'Planets and moons',
			questions: [
				{
					text: 'Which planet has the most known moons?',
					options: ['Jupiter', 'Saturn', 'Uranus', 'Neptune'],
					correct: [1],
					timeLimit: 120
				},
				{
					text: 'Is the Moon slowly moving away from the Earth?',
					type: 'true-false',
					answer: true,
					timeLimit: 120
				}
			]
		}
	});
	expect(created.status()).toBe(201);
	const { id: quizId } = (await created.json()) as { id: string };
	const game = await host.request.post('/api/games', {
		headers: sameOrigin(),
		data: { quizId, options: { introSeconds: 10 } }
	});
	expect(game.status()).toBe(201);
	const { pin } = (await game.json()) as { pin: string };
	await host.goto(`/host/${pin}`);
	await expect(host.getByText('Waiting for players…')).toBeVisible();
	const errors: string[] = [];
	host.on('pageerror', (error) => errors.push(error.message));
	await screen(host, 'host-lobby-empty', PROJECTOR, { fits: true });

	// The projector's keys: M mutes (remembered across a reload), F goes full screen and back.
	const mute = host.getByRole('button', { name: 'Mute' });
	await expect(mute).toHaveAttribute('aria-pressed', 'false');
	await host.keyboard.press('m');
	await expect(mute).toHaveAttribute('aria-pressed', 'true');
	await host.reload();
	await expect(host.getByText('Waiting for players…')).toBeVisible();
	await expect(mute).toHaveAttribute('aria-pressed', 'true');
	await host.keyboard.press('m');
	await expect(mute).toHaveAttribute('aria-pressed', 'false');
	await host.keyboard.press('f');
	await expect.poll(() => host.evaluate(() => document.fullscreenElement !== null)).toBe(true);
	await expect(host.getByRole('button', { name: 'Full screen' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await host.keyboard.press('f');
	await expect.poll(() => host.evaluate(() => document.fullscreenElement !== null)).toBe(false);

	// The phone's way in: the PIN, then the nickname.
	const maya = await newPhone(browser);
	await maya.goto('/');
	await screen(maya, 'phone-join-pin', PHONE);
	await maya.getByLabel('Game PIN').fill(pin);
	await maya.getByRole('button', { name: 'Enter' }).click();
	await expect(maya.getByLabel('Nickname')).toBeVisible();
	await screen(maya, 'phone-join-nickname', PHONE);
	await maya.getByLabel('Nickname').fill('Maya');
	await maya.getByRole('button', { name: 'OK, go!' }).click();
	await expect(maya.getByRole('heading', { name: "You're in!" })).toBeVisible();
	const theo = await newPhone(browser);
	await join(theo, pin, 'Theo');
	const zoe = await newPhone(browser);
	await join(zoe, pin, 'Zoë');
	await expect(host.getByText('3 players')).toBeVisible();
	await host.waitForTimeout(500); // the names' pop-in
	await screen(host, 'host-lobby', HOST, { fits: true });
	await screen(maya, 'phone-lobby', PHONE);

	// Question 1. The intro lasts 10 s: the projector is checked now, the phone at question 2.
	await host.keyboard.press('Space');
	await expect(host.getByText('Get ready…')).toBeVisible();
	await screen(host, 'host-intro', PROJECTOR, { fits: true });
	await expect(host.getByText('Get ready…')).toBeVisible();

	const mayaPads = maya.getByRole('button', { name: 'red triangle', exact: true });
	await expect(mayaPads).toBeVisible({ timeout: 15_000 });
	await expect(host.getByText(/0\s*\/\s*3 answered/)).toBeVisible();
	await screen(host, 'host-question', HOST, { fits: true });
	await screen(maya, 'phone-answering', PHONE);

	// Maya answers (wrong): her phone shows it locked in, the projector counts it.
	await mayaPads.click();
	await expect(maya.getByText('Answer locked in')).toBeVisible();
	await expect(host.getByText(/1\s*\/\s*3 answered/)).toBeVisible();
	await screen(maya, 'phone-answered', PHONE);
	await screen(host, 'host-question-answered', PROJECTOR, { fits: true, axe: false });

	await theo.getByRole('button', { name: 'blue diamond', exact: true }).click();
	await zoe.getByRole('button', { name: 'green square', exact: true }).click();
	await expect(host.getByRole('figure')).toBeVisible();
	await expect(maya.getByRole('heading', { name: 'Incorrect' })).toBeVisible();
	await expect(theo.getByRole('heading', { name: 'Correct!' })).toBeVisible();
	await host.waitForTimeout(700); // the bars grow
	await screen(host, 'host-reveal', HOST, { fits: true });
	await screen(maya, 'phone-result-incorrect', PHONE);
	await screen(theo, 'phone-result-correct', PHONE);

	await host.keyboard.press('Enter');
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await screen(host, 'host-scoreboard-1', PROJECTOR, { fits: true, axe: false });
	await screen(maya, 'phone-scoreboard', PHONE);

	// Question 2: Maya answers at once and right, Theo wrong: she overtakes him.
	await host.keyboard.press('Enter');
	await expect(maya.getByText('Get ready…')).toBeVisible();
	await screen(maya, 'phone-intro', PHONE);
	// Paused during the get-ready countdown, and going on.
	await host.keyboard.press('p');
	await expect(maya.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
	await screen(host, 'host-paused', PROJECTOR, { fits: true });
	await screen(maya, 'phone-paused', PHONE);
	await host.keyboard.press('p');
	await expect(maya.getByRole('status').filter({ hasText: 'Paused' })).toBeHidden();
	await maya.getByRole('button', { name: /True/ }).click({ timeout: 15_000 });
	await theo.getByRole('button', { name: /False/ }).click();
	await zoe.getByRole('button', { name: /True/ }).click();
	await expect(maya.getByRole('heading', { name: 'Correct!' })).toBeVisible();
	await host.keyboard.press('Enter');
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await expect(host.getByText('↑1').first()).toBeVisible();
	await host.waitForTimeout(700); // the rows move
	await screen(host, 'host-scoreboard', PROJECTOR, { fits: true });

	await host.keyboard.press('Enter');
	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
	await expect(maya.getByText('Final rank')).toBeVisible();
	await host.waitForTimeout(2500); // the podium rises
	await screen(host, 'host-podium', HOST, { fits: true });
	await screen(maya, 'phone-podium', PHONE);

	expect(errors, 'errors on the host page').toEqual([]);
	expect(failures, failures.join('\n')).toEqual([]);
});

test('the pages around the game fit a 360 px phone with its text at 200 %', async ({ browser }) => {
	const page = await (await hostContext(browser, { viewport: PHONE[0] })).newPage();
	// The browser's own text size setting (32 px for 16), as a reader who needs it sets it: the
	// pages' rem sizes and their rem media queries both follow it.
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
	const wide: string[] = [];
	for (const path of ['/', '/host', '/quizzes', '/reports', '/account', '/admin']) {
		await page.goto(path);
		const { text, scrollWidth, clientWidth } = await page.evaluate(() => ({
			text: getComputedStyle(document.documentElement).fontSize,
			scrollWidth: document.documentElement.scrollWidth,
			clientWidth: document.documentElement.clientWidth
		}));
		expect(text, `${path}: the text size`).toBe('32px');
		if (scrollWidth > clientWidth) wide.push(`${path} is ${scrollWidth} px wide`);
	}
	expect(wide, 'pages wider than the phone').toEqual([]);
});

test.afterAll(() => {
	console.log(report.length ? `axe found:\n${report.join('\n')}` : 'axe found nothing');
});
