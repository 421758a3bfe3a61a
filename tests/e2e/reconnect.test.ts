/**
 * Nobody loses their game: reloads, cleared cookies, a second tab, a phone that drops off the
 * network mid-question, and the host link on another device of the host's. Screenshots of the new screens
 * land in test-results/screenshots (reconnect-*.png).
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';
import { readFileSync } from 'node:fs';
import { startServer, type RunningServer } from '../integration/harness.ts';

interface SampleQuiz {
	title: string;
	questions: { text: string; options: string[]; correct: number[]; timeLimit: number }[];
}

const quiz = JSON.parse(
	readFileSync('src/lib/server/quizzes/samples/science-and-nature.json', 'utf8')
) as SampleQuiz;

const SHAPES = ['red triangle', 'blue diamond', 'yellow circle', 'green square'];
const shots = 'test-results/screenshots';
const MISSED = "Your answer didn't reach the game in time";
const REPLACED = 'This game was opened in another tab or device';

/** Right and wrong answer buttons of question `index` on a phone. */
function answers(page: Page, index: number) {
	const question = quiz.questions[index]!;
	const right = question.correct[0]!;
	const wrong = (right + 1) % question.options.length;
	return {
		right: page.getByRole('button', { name: SHAPES[right]!, exact: true }),
		wrong: page.getByRole('button', { name: SHAPES[wrong]!, exact: true })
	};
}

/** `own`: another server than Playwright's (the restart test runs its own). */
async function hostGame(
	browser: Browser,
	own?: RunningServer
): Promise<{ host: Page; pin: string }> {
	const context = await hostContext(browser, { viewport: { width: 1280, height: 720 } }, own);
	context.on('weberror', (error) => pageErrors.push(error.error().message));
	const host = await context.newPage();
	await host.goto(`${own?.url ?? ''}/host`);
	await host.getByRole('radio', { name: quiz.title }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	return { host, pin: /(\d{6})$/.exec(host.url())![1]! };
}

/** Uncaught errors in any page: reconnecting must never throw (wake lock, storage, sockets). */
const pageErrors: string[] = [];

async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 2
	});
	context.on('weberror', (error) => pageErrors.push(error.error().message));
	return context.newPage();
}

/** A test that stops and starts a server runs its own. */
let server: RunningServer | null = null;

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a hook wants from it
test.afterEach(async ({}, testInfo) => {
	// CI keeps only its log (the screens are printed too: screens.ts).
	if (testInfo.status !== testInfo.expectedStatus && server) {
		console.log(`--- the test's own server\n${server.output()}`);
	}
	await server?.stop();
	server = null;
	expect(pageErrors.splice(0)).toEqual([]);
});

async function join(browser: Browser, pin: string, nickname: string, base = ''): Promise<Page> {
	const page = await phone(browser);
	await page.goto(`${base}/?pin=${pin}`);
	await page.getByLabel('Nickname').fill(nickname);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	return page;
}

async function start(host: Page, players: string[]): Promise<void> {
	for (const nickname of players) {
		await expect(
			host.getByRole('button', { name: `Remove ${nickname}`, exact: true })
		).toBeVisible();
	}
	await host.getByRole('button', { name: 'Start' }).click();
}

const score = (page: Page) => page.getByLabel('Score');

test('a phone reloaded mid-question keeps its answer, then its score; before answering it can still answer', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	const maya = await join(browser, pin, 'Maya');
	const theo = await join(browser, pin, 'Theo');
	await start(host, ['Maya', 'Theo']);

	await answers(maya, 0).right.click({ timeout: 15_000 });
	await expect(maya.getByText('Answer locked in')).toBeVisible();
	await maya.reload();
	await expect(maya.getByText('Answer locked in')).toBeVisible();
	await expect(maya.getByRole('button', { name: SHAPES[0]!, exact: true })).toBeHidden();
	await expect(host.locator('.answered')).toHaveText(/1\s*\/\s*2 answered/);

	await answers(theo, 0).wrong.click();
	await expect(maya.getByRole('heading', { name: 'Correct!' })).toBeVisible();
	const points = Number((await maya.locator('.points').innerText()).replace(/\D/g, ''));
	expect(points).toBeGreaterThanOrEqual(500);
	await expect(score(maya)).toHaveText(points.toLocaleString('en'));
	await maya.reload();
	await expect(maya.getByRole('heading', { name: 'Correct!' })).toBeVisible();
	await expect(score(maya)).toHaveText(points.toLocaleString('en'));

	// The next question: a reload before answering leaves the buttons there.
	await host.keyboard.press('Space');
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await host.keyboard.press('Enter');
	await expect(answers(maya, 1).right).toBeVisible({ timeout: 15_000 });
	await maya.reload();
	await answers(maya, 1).right.click();
	await expect(maya.getByText('Answer locked in')).toBeVisible();
	await answers(theo, 1).right.click();
	await expect(maya.getByRole('heading', { name: 'Correct!' })).toBeVisible();
	const second = Number((await maya.locator('.points').innerText()).replace(/\D/g, ''));
	expect(second).toBeGreaterThanOrEqual(500);
	await expect(score(maya)).toHaveText((points + second).toLocaleString('en'));
});

test('the host screen comes back after a reload in the lobby and mid-question', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	const maya = await join(browser, pin, 'Maya');
	await join(browser, pin, 'Theo');
	await expect(host.getByRole('button', { name: 'Remove Theo', exact: true })).toBeVisible();

	await host.reload();
	await expect(host.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();
	await expect(host.getByRole('button', { name: 'Remove Theo', exact: true })).toBeVisible();
	await expect(host.locator('.count')).toHaveText(/2\s*players/);

	await host.getByRole('button', { name: 'Start' }).click();
	await answers(maya, 0).right.click({ timeout: 15_000 });
	await expect(host.locator('.answered')).toHaveText(/1\s*\/\s*2 answered/);
	// The countdown shows whole seconds rounded up: wait until it has left the full time, so a
	// screen that restarted the clock would show the difference.
	const limit = quiz.questions[0]!.timeLimit;
	await expect(host.getByRole('timer')).not.toHaveText(String(limit));

	await host.reload();
	await expect(host.getByRole('heading', { name: quiz.questions[0]!.text })).toBeVisible();
	await expect(host.locator('.answered')).toHaveText(/1\s*\/\s*2 answered/);
	const left = Number(await host.getByRole('timer').innerText());
	expect(left).toBeGreaterThan(0);
	expect(left).toBeLessThan(limit);

	await host.getByRole('button', { name: /Skip question/ }).click();
	await expect(host.getByRole('figure')).toBeVisible();
	await host.getByRole('button', { name: /Scoreboard/ }).click();
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await expect(maya.getByText('1st')).toBeVisible();
});

test('a phone whose cookie is gone rejoins from the seat saved in the browser', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	const maya = await join(browser, pin, 'Maya');
	const playUrl = maya.url();

	await maya.context().clearCookies();
	await maya.reload();
	await expect(maya).toHaveURL(playUrl);
	await expect(maya.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(maya.getByText('Maya', { exact: true }).first()).toBeVisible();

	// The join page offers the way back.
	await maya.goto('/');
	const spaced = `${pin.slice(0, 3)} ${pin.slice(3)}`;
	const back = maya.getByRole('link', { name: `Continue as Maya in game ${spaced}` });
	await expect(back).toBeVisible();
	await maya.screenshot({ path: `${shots}/reconnect-continue.png` });
	await back.click();
	await expect(maya).toHaveURL(playUrl);
	await expect(maya.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(host.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();

	// Removed by the host: the seat is forgotten, and so is the way back.
	await host.getByRole('button', { name: 'Remove Maya', exact: true }).click();
	await expect(maya.getByRole('heading', { name: 'Removed' })).toBeVisible();
	await maya.goto('/');
	await expect(maya.getByLabel('Game PIN')).toBeVisible();
	await expect(maya.getByRole('link', { name: /Continue as/ })).toHaveCount(0);
	// Neither cookie nor saved seat: the play page sends the player to the start.
	await maya.goto(playUrl);
	await expect(maya).toHaveURL(/\/$/);
});

test('a second tab takes the seat over; the first says why and can take it back', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	const maya = await join(browser, pin, 'Maya');

	const other = await maya.context().newPage();
	await other.goto(maya.url());
	await expect(other.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(maya.getByText(REPLACED)).toBeVisible();
	await expect(maya.getByRole('button', { name: 'Play here instead' })).toBeVisible();
	await maya.screenshot({ path: `${shots}/reconnect-replaced-phone.png` });
	// Replaced is not reconnecting: no banner, and the tabs do not fight over the seat.
	await expect(maya.getByText('reconnecting')).toHaveCount(0);

	await maya.getByRole('button', { name: 'Play here instead' }).click();
	await expect(maya.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(other.getByText(REPLACED)).toBeVisible();
	await expect(host.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();

	// The same on the host screen.
	const otherHost = await host.context().newPage();
	await otherHost.setViewportSize({ width: 1280, height: 720 });
	await otherHost.goto(host.url());
	await expect(otherHost.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();
	await expect(host.getByText(REPLACED)).toBeVisible();
	await host.screenshot({ path: `${shots}/reconnect-replaced-host.png` });
	await host.getByRole('button', { name: 'Host here instead' }).click();
	await expect(host.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();
	await expect(otherHost.getByText(REPLACED)).toBeVisible();
	await host.getByRole('button', { name: 'Start' }).click();
	await expect(answers(maya, 0).right).toBeVisible({ timeout: 15_000 });
});

test('an answer tapped offline is delivered when the phone is back in time, and reported when not', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	const maya = await join(browser, pin, 'Maya');
	const theo = await join(browser, pin, 'Theo');
	await start(host, ['Maya', 'Theo']);
	await expect(answers(maya, 0).right).toBeVisible({ timeout: 15_000 });

	await maya.context().setOffline(true);
	await expect(maya.getByText('Connection lost — reconnecting…')).toBeVisible();
	await answers(maya, 0).right.click();
	await expect(maya.getByText('Will send when reconnected')).toBeVisible();
	await maya.screenshot({ path: `${shots}/reconnect-offline-answer.png` });
	await expect(host.locator('.answered')).toHaveText(/0\s*\/\s*2 answered/);

	await maya.context().setOffline(false);
	await expect(maya.getByText('Answer locked in')).toBeVisible();
	await expect(maya.getByText('Connection lost — reconnecting…')).toBeHidden();
	await expect(host.locator('.answered')).toHaveText(/1\s*\/\s*2 answered/);
	await answers(theo, 0).wrong.click();
	await expect(maya.getByRole('heading', { name: 'Correct!' })).toBeVisible();

	// The next question closes while the phone is away: the answer cannot count, and it says so.
	await host.keyboard.press('Space');
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await host.keyboard.press('Enter');
	await expect(answers(maya, 1).right).toBeVisible({ timeout: 15_000 });
	await maya.context().setOffline(true);
	await expect(maya.getByText('Connection lost — reconnecting…')).toBeVisible();
	await answers(maya, 1).right.click();
	await expect(maya.getByText('Will send when reconnected')).toBeVisible();
	await host.getByRole('button', { name: /Skip question/ }).click();
	await expect(host.getByRole('figure')).toBeVisible();
	await maya.context().setOffline(false);
	await expect(maya.getByRole('alert')).toHaveText(MISSED);
	await expect(maya.getByRole('heading', { name: "Time's up" })).toBeVisible();
	await maya.screenshot({ path: `${shots}/reconnect-missed.png` });
});

test('while the host screen is offline, its controls wait for the connection instead of losing a press', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	await join(browser, pin, 'Maya');
	const startButton = host.getByRole('button', { name: 'Start' });
	const lockButton = host.getByRole('button', { name: 'Lock' });
	const removeMaya = host.getByRole('button', { name: 'Remove Maya', exact: true });
	await expect(startButton).toBeEnabled();
	const lost = host.getByText('Connection lost — reconnecting…');

	await host.context().setOffline(true);
	await expect(lost).toBeVisible();
	await expect(startButton).toBeDisabled();
	await expect(lockButton).toBeDisabled();
	await expect(removeMaya).toBeDisabled();
	await host.screenshot({ path: `${shots}/reconnect-host-offline-lobby.png` });

	await host.context().setOffline(false);
	await expect(lost).toBeHidden();
	await expect(startButton).toBeEnabled();
	await expect(lockButton).toBeEnabled();
	await startButton.click();
	await expect(host.getByRole('heading', { name: quiz.questions[0]!.text })).toBeVisible();

	// Mid-question: neither the button nor the keyboard can skip into the void.
	const skip = host.getByRole('button', { name: /Skip question/ });
	await host.context().setOffline(true);
	await expect(lost).toBeVisible();
	await expect(skip).toBeDisabled();
	await host.keyboard.press('Space');
	await host.context().setOffline(false);
	await expect(lost).toBeHidden();
	await expect(host.getByRole('figure')).toBeHidden();
	await expect(skip).toBeEnabled();
	await skip.click();
	await expect(host.getByRole('figure')).toBeVisible();
});

test('the host link opened in another browser of the host resumes the host screen, and nobody else', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	await join(browser, pin, 'Maya');

	await expect(host.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();
	await host.screenshot({ path: `${shots}/reconnect-host-lobby.png` });
	await host.getByRole('button', { name: 'Host link' }).click();
	const dialog = host.getByRole('dialog', { name: 'Host link' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByText('Sign in there as yourself first')).toBeVisible();
	// No key in it, nothing masked: the seat opens only for the game's host, signed in.
	const link = await dialog.getByLabel('Host link').inputValue();
	expect(link).toMatch(new RegExp(`/host/${pin}$`));
	await host.screenshot({ path: `${shots}/reconnect-host-link.png` });
	await dialog.getByRole('button', { name: 'Done' }).click();
	await expect(dialog).toBeHidden();

	// A different device of the same host: signed in there too, none of the first's seat
	// cookies. Same server, whatever address the link names.
	const laptop = await hostContext(browser, { viewport: { width: 1280, height: 720 } });
	const page = await laptop.newPage();
	const { pathname } = new URL(link);
	await page.goto(pathname);
	await expect(page).toHaveURL(new RegExp(`/host/${pin}$`));
	await expect(page.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();
	await expect(host.getByText(REPLACED)).toBeVisible();
	// A reload keeps the host screen.
	await page.reload();
	await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
	await page.getByRole('button', { name: 'Start' }).click();
	await expect(page.getByRole('heading', { name: quiz.questions[0]!.text })).toBeVisible();

	// In a browser nobody signed in on, the link asks to sign in, and comes back here after.
	const stranger = await (await browser.newContext()).newPage();
	await stranger.goto(pathname);
	await expect(stranger).toHaveURL(new RegExp(`/signin\\?next=%2Fhost%2F${pin}$`));
});

test.describe('with its own server', () => {
	test('a server restart mid-question is announced, and everyone comes back to the same question', async ({
		browser
	}) => {
		// Its log says what the restarted server did with the answers (printed on a failure).
		server = await startServer({ LOG_LEVEL: 'info' });
		const { url, port, dataDir } = server;
		const { host, pin } = await hostGame(browser, server);
		const maya = await join(browser, pin, 'Maya', url);
		const theo = await join(browser, pin, 'Theo', url);
		await start(host, ['Maya', 'Theo']);
		await answers(maya, 0).right.click({ timeout: 15_000 });
		await expect(maya.getByText('Answer locked in')).toBeVisible();

		await server.stop(); // SIGTERM: the games are saved, sockets closed with 1012
		const restarting = 'The server is restarting — reconnecting…';
		await expect(maya.getByText(restarting)).toBeVisible();
		await expect(host.getByText(restarting)).toBeVisible();
		await maya.screenshot({ path: `${shots}/reconnect-restarting.png` });
		// Not the end of the game: nothing says it closed.
		await expect(maya.getByText('Game closed')).toHaveCount(0);

		const before = server.output();
		server = await startServer({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
		const after = server.output;
		server.output = () => `${before}\n--- restarted\n${after()}`;
		await expect(maya.getByText(restarting)).toBeHidden({ timeout: 20_000 });
		await expect(maya.getByText('Answer locked in')).toBeVisible();
		await expect(host.locator('.answered')).toHaveText(/1\s*\/\s*2 answered/, { timeout: 20_000 });
		await answers(theo, 0).wrong.click({ timeout: 20_000 });
		await expect(maya.getByRole('heading', { name: 'Correct!' })).toBeVisible();
		await expect(theo.getByRole('heading', { name: 'Incorrect' })).toBeVisible();
		// The server being down is not a network that blocks WebSockets: whichever way each
		// screen came back, it is on a WebSocket within seconds, not in compatibility mode.
		for (const page of [host, maya, theo]) {
			await expect(page.getByText('Compatibility mode')).toHaveCount(0, { timeout: 15_000 });
		}
	});
});
