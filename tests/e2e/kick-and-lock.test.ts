/**
 * The host keeps the room in order: a removed player stays out (a reload or a rejoin under
 * another name does not bring them back), the lobby can be locked and unlocked, and a phone
 * guessing PINs is told to wait.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';
import { startServer, type RunningServer } from '../integration/harness.ts';

const shots = 'test-results/screens';

/** `own`: a server the test started, instead of Playwright's. */
async function hostGame(
	browser: Browser,
	own?: RunningServer
): Promise<{ host: Page; pin: string }> {
	const context = await hostContext(browser, { viewport: { width: 1280, height: 720 } }, own);
	const host = await context.newPage();
	await host.goto(`${own?.url ?? ''}/host`);
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	return { host, pin: /(\d{6})$/.exec(host.url())![1]! };
}

async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true
	});
	return context.newPage();
}

async function tryJoin(page: Page, pin: string, nickname: string, base = ''): Promise<void> {
	await page.goto(`${base}/?pin=${pin}`);
	await page.getByLabel('Nickname').fill(nickname);
	await page.getByRole('button', { name: 'OK, go!' }).click();
}

test('a removed player stays removed: after a reload, and under another name', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	const troll = await phone(browser);
	await tryJoin(troll, pin, 'Troll');
	await expect(troll.getByRole('heading', { name: "You're in!" })).toBeVisible();

	await host.getByRole('button', { name: 'Remove Troll', exact: true }).click();
	await expect(troll.getByRole('heading', { name: 'Removed' })).toBeVisible();

	await troll.reload();
	await expect(troll.getByRole('heading', { name: 'Removed' })).toBeVisible();
	await expect(troll.getByText('You were removed from the game by the host')).toBeVisible();
	await troll.screenshot({ path: `${shots}/phone-removed.png` });

	await tryJoin(troll, pin, 'Nice Person');
	await expect(troll.getByRole('alert')).toHaveText('The host removed you from this game');
	await expect(host.getByText('Waiting for players…')).toBeVisible();

	// Another phone is welcome.
	const maya = await phone(browser);
	await tryJoin(maya, pin, 'Maya');
	await expect(maya.getByRole('heading', { name: "You're in!" })).toBeVisible();
});

test('names removed from the keyboard one after another: focus stays in the list, the game does not start', async ({
	browser,
	request
}) => {
	const { host, pin } = await hostGame(browser);
	for (const nickname of ['Ann', 'Bob', 'Cat']) {
		// As phones join: signed in as nobody.
		const response = await request.post(`/api/games/${pin}/players`, { data: { nickname } });
		expect(response.ok()).toBe(true);
	}
	// Newest first: Cat, Bob, Ann.
	await host.getByRole('button', { name: 'Remove Cat', exact: true }).focus();
	await host.keyboard.press('Enter');
	await expect(host.getByText('2 players')).toBeVisible();
	await expect(host.getByRole('button', { name: 'Remove Bob', exact: true })).toBeFocused();
	await host.keyboard.press('Enter');
	await expect(host.getByText('1 player', { exact: true })).toBeVisible();
	await expect(host.getByRole('button', { name: 'Remove Ann', exact: true })).toBeFocused();
	await host.keyboard.press('Enter');
	await expect(host.getByText('Waiting for players…')).toBeVisible();
	// One more Enter, with nobody left: still the lobby.
	await host.keyboard.press('Enter');
	await expect(host.getByRole('button', { name: 'Start' })).toBeDisabled();
});

test('the host locks the lobby, and unlocks it', async ({ browser }) => {
	const { host, pin } = await hostGame(browser);
	const maya = await phone(browser);
	await tryJoin(maya, pin, 'Maya');
	await expect(host.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();

	await host.getByRole('button', { name: 'Lock' }).click();
	await expect(host.getByRole('button', { name: 'Locked' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expect(host.getByText('Locked: no new players can join')).toBeVisible();
	await host.screenshot({ path: `${shots}/host-lobby-locked.png` });

	const late = await phone(browser);
	await tryJoin(late, pin, 'Late Lou');
	await expect(late.getByRole('alert')).toHaveText('The host has locked this game: no new players');
	await late.screenshot({ path: `${shots}/phone-locked-out.png` });

	// A reload of the host screen keeps the lock.
	await host.reload();
	await expect(host.getByRole('button', { name: 'Locked' })).toBeVisible();
	await host.getByRole('button', { name: 'Locked' }).click();
	await expect(host.getByRole('button', { name: 'Lock' })).toHaveAttribute('aria-pressed', 'false');

	await late.getByRole('button', { name: 'OK, go!' }).click();
	await expect(late.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(host.getByRole('button', { name: 'Remove Late Lou', exact: true })).toBeVisible();
});

test.describe('with its own server', () => {
	let server: RunningServer | null = null;
	test.afterAll(async () => {
		await server?.stop();
	});

	// Its own server: this browser's address stays blocked there for a while.
	test('a phone guessing PINs is told to wait, with the time', async ({ browser }) => {
		server = await startServer({ PIN_GUESSES_PER_MINUTE: '3' });
		const { pin } = await hostGame(browser, server);
		const page = await phone(browser);
		await page.goto(`${server.url}/`);
		const wrong = pin === '123456' ? '654321' : '123456';
		for (let i = 0; i < 3; i++) {
			await page.getByLabel('Game PIN').fill(wrong);
			await page.getByRole('button', { name: 'Enter' }).click();
			await expect(page.getByRole('alert')).toHaveText(
				`No game with PIN ${wrong}: check the screen`
			);
		}
		await page.getByLabel('Game PIN').fill(pin);
		await page.getByRole('button', { name: 'Enter' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			/^Too many wrong PINs: try again in (\d+ seconds|1 minute)$/
		);
		await page.screenshot({ path: `${shots}/phone-too-many-guesses.png` });
	});
});

test('a full lobby shows the newest names first, so a player who just joined sees their name', async ({
	browser,
	request
}, testInfo) => {
	const { host, pin } = await hostGame(browser);
	// 320 players through the join API (as phones would, signed in as nobody), a few at a time.
	for (let from = 1; from <= 320; from += 40) {
		await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				request.post(`/api/games/${pin}/players`, {
					data: { nickname: `Player ${from + i}` }
				})
			)
		);
	}
	await expect(host.getByText('320 players')).toBeVisible();
	const maya = await phone(browser);
	await tryJoin(maya, pin, 'Maya');
	await expect(maya.getByRole('heading', { name: "You're in!" })).toBeVisible();

	// Maya's name is on the projector (not below its edge), and the host can remove it there.
	const mayaName = host.getByRole('button', { name: 'Remove Maya', exact: true });
	await expect(mayaName).toBeInViewport();
	await expect(
		host.getByRole('button', { name: 'Remove Player 320', exact: true })
	).toBeInViewport();
	// The earliest are drawn no more: the count says how many there are.
	await expect(host.getByText('321 players')).toBeVisible();
	await expect(host.getByText('and 21 more')).toBeAttached();
	await expect(host.getByRole('button', { name: 'Remove Player 21', exact: true })).toHaveCount(0);
	await expect(host.getByRole('button', { name: 'Remove Player 22', exact: true })).toBeAttached();
	await host.screenshot({ path: testInfo.outputPath('host-lobby-full.png') });

	await mayaName.click();
	await expect(maya.getByRole('heading', { name: 'Removed' })).toBeVisible();
	await expect(host.getByText('320 players')).toBeVisible();

	// An early name, no longer drawn, is found by typing part of it, and removed from there.
	const find = host.getByRole('searchbox', { name: 'Find a player by name' });
	await find.fill('LAYER 21');
	// Player 21 and Player 210 to 219.
	await expect(host.getByText('11 names have “LAYER 21” in it')).toBeVisible();
	await expect(host.getByRole('button', { name: /^Remove / })).toHaveCount(11);
	await host.screenshot({ path: testInfo.outputPath('host-lobby-find.png') });
	// Typing is not a key press for the game: Space and P did not start or pause anything.
	await find.fill('player 21 ');
	await find.press('Space');
	await expect(host.getByRole('button', { name: 'Start' })).toBeVisible();
	await host.getByRole('button', { name: 'Remove Player 21', exact: true }).click();
	await expect(host.getByText('319 players')).toBeVisible();
	await expect(host.getByText('10 names have “player 21” in it')).toBeVisible();
	await find.fill('nobody');
	await expect(host.getByText("No player's name has “nobody” in it")).toBeVisible();
	// Escape clears it: the newest names are back.
	await find.press('Escape');
	await expect(
		host.getByRole('button', { name: 'Remove Player 320', exact: true })
	).toBeInViewport();
});
