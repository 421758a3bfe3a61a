/**
 * Joining from a phone: clear messages for every way it can go wrong, joining with JavaScript
 * off, and the host removing a player from the lobby.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, loseNextAnswer, test } from './screens.ts';

async function hostGame(browser: Browser): Promise<{ host: Page; pin: string }> {
	const context = await hostContext(browser, { viewport: { width: 1280, height: 720 } });
	const host = await context.newPage();
	await host.goto('/host');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	return { host, pin: /(\d{6})$/.exec(host.url())![1]! };
}

async function phone(browser: Browser, javaScriptEnabled = true): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true,
		javaScriptEnabled
	});
	return context.newPage();
}

test('a phone is told clearly what is wrong with its PIN or nickname', async ({ browser }) => {
	const { host, pin } = await hostGame(browser);
	const page = await phone(browser);
	await page.goto('/');
	await expect(page.getByLabel('Game PIN')).toHaveAttribute('inputmode', 'numeric');

	// A PIN nobody uses (the real one with its digits reversed, unless that is the same).
	const wrong = pin === [...pin].reverse().join('') ? '100000' : [...pin].reverse().join('');
	await page.getByLabel('Game PIN').fill(wrong);
	await page.getByRole('button', { name: 'Enter' }).click();
	await expect(page.getByRole('alert')).toHaveText(`No game with PIN ${wrong}: check the screen`);

	// Spaces are fine: people copy "123 456" off the projector.
	// Pasted with a dash, or typed a digit at a time with spaces: the digits are what count.
	await page.getByLabel('Game PIN').fill(`${pin.slice(0, 3)}-${pin.slice(3)}`);
	await page.getByRole('button', { name: 'Enter' }).click();
	await expect(page.getByText(`Game PIN ${pin}`)).toBeVisible();
	await page.getByRole('link', { name: 'change' }).click();
	await page.getByLabel('Game PIN').fill(pin.split('').join(' '));
	await page.getByRole('button', { name: 'Enter' }).click();
	await expect(page.getByText(`Game PIN ${pin}`)).toBeVisible();

	await page.getByLabel('Nickname').fill('   ');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('alert')).toHaveText('Pick a nickname');

	await page.getByLabel('Nickname').fill('A'.repeat(21));
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('alert')).toHaveText('Nicknames are at most 20 characters');

	const other = await phone(browser);
	await other.goto(`/?pin=${pin}`);
	await other.getByLabel('Nickname').fill('Maya');
	await other.getByRole('button', { name: 'OK, go!' }).click();
	await expect(other.getByRole('heading', { name: "You're in!" })).toBeVisible();

	await page.getByLabel('Nickname').fill('  MAYA ');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('alert')).toHaveText('"MAYA" is taken: pick another');

	// Twelve characters as people see them, 66 UTF-16 units: the field keeps every one.
	const emoji = '👨‍👩‍👧‍👦'.repeat(3) + ' 🇯🇵🇧🇷🇮🇳🇺🇸🇩🇪🇫🇷🇮🇹🇪🇸';
	await page.getByLabel('Nickname').fill(emoji);
	await expect(page.getByLabel('Nickname')).toHaveValue(emoji);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(host.getByRole('button', { name: `Remove ${emoji}`, exact: true })).toBeVisible();
});

test('with JavaScript off a phone still joins up to the player screen', async ({ browser }) => {
	const { host, pin } = await hostGame(browser);
	const page = await phone(browser, false);
	await page.goto('/');
	await page.getByLabel('Game PIN').fill(pin);
	await page.getByRole('button', { name: 'Enter' }).click();
	await page.getByLabel('Nickname').fill('Offline Olga');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page).toHaveURL(/\/play\/[\w-]+$/);
	await expect(host.getByRole('button', { name: /Remove Offline Olga/ })).toBeVisible();
});

test('the host removes a player by clicking the name', async ({ browser }) => {
	const { host, pin } = await hostGame(browser);
	const page = await phone(browser);
	await page.goto(`/?pin=${pin}`);
	await page.getByLabel('Nickname').fill('Rude Name');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();

	await host.getByRole('button', { name: /Remove Rude Name/ }).click();
	await expect(host.getByText('Waiting for players…')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Removed' })).toBeVisible();
	await expect(page.getByText('You were removed from the game by the host')).toBeVisible();

	// The nickname is free again for someone else.
	const next = await phone(browser);
	await next.goto(`/?pin=${pin}`);
	await next.getByLabel('Nickname').fill('Rude Name');
	await next.getByRole('button', { name: 'OK, go!' }).click();
	await expect(next.getByRole('heading', { name: "You're in!" })).toBeVisible();
});

test('a join whose answer is lost on the way can be sent again: same seat, no ghost in the lobby', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser);
	const page = await phone(browser);
	await page.goto(`/?pin=${pin}`);
	await page.getByLabel('Nickname').fill('Maya');

	// The join reaches the server, and its answer never reaches the phone.
	await loseNextAnswer(page, '/join');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(host.getByRole('button', { name: 'Remove Maya', exact: true })).toBeVisible();
	// The phone says what happened and keeps the form (not an error page).
	await expect(page.getByRole('alert')).toHaveText(
		'Could not reach the game: check your connection and try again'
	);
	await expect(page.getByLabel('Nickname')).toHaveValue('Maya');
	await page.screenshot({ path: 'test-results/screenshots/phone-join-lost.png' });

	// Maya taps again: she is in, as herself, and there is still one of her.
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(page.getByRole('main').getByText('Maya')).toBeVisible();
	await expect(host.getByRole('button', { name: /^Remove / })).toHaveCount(1);
});
