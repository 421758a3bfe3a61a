/**
 * Nickname rules seen from a phone: a kind refusal for a rude name, and a game with friendly
 * generated names where phones join without typing (with JavaScript on or off).
 */
import type { Browser, Page } from '@playwright/test';
import {
	expect,
	hostContext,
	hostGeography,
	joinedPhone,
	loseNextAnswer,
	test
} from './screens.ts';

/** A host creates a game, ticking or unticking the nickname options by their labels. */
async function hostGame(
	browser: Browser,
	options: { friendlyNames?: boolean; profanityFilter?: boolean } = {}
): Promise<{ host: Page; pin: string }> {
	const context = await hostContext(browser, { viewport: { width: 1280, height: 720 } });
	const host = await context.newPage();
	await host.goto('/host');
	await expect(host.getByLabel('Filter rude nicknames')).toBeChecked();
	await expect(host.getByLabel(/Friendly generated nicknames/)).not.toBeChecked();
	if (options.profanityFilter === false) await host.getByLabel('Filter rude nicknames').uncheck();
	if (options.friendlyNames) await host.getByLabel(/Friendly generated nicknames/).check();
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

const TWO_WORDS = /^[A-Z][a-z]+ [A-Z][a-z]+$/;

test('a phone is told kindly to pick another name for a rude one', async ({ browser }) => {
	const { host, pin } = await hostGame(browser);
	const page = await phone(browser);
	await page.goto(`/?pin=${pin}`);
	await page.getByLabel('Nickname').fill('Sh1thead');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('alert')).toHaveText('Pick a friendlier nickname');

	await page.getByLabel('Nickname').fill('\u3164');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Use a nickname people can see: no invisible or blank characters'
	);

	await page.getByLabel('Nickname').fill('Scunthorpe');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(host.getByRole('button', { name: /Remove Scunthorpe/ })).toBeVisible();

	// With JavaScript off the form posts, and the message is the same.
	const offline = await phone(browser, false);
	await offline.goto(`/?pin=${pin}`);
	await offline.getByLabel('Nickname').fill('b1tch');
	await offline.getByRole('button', { name: 'OK, go!' }).click();
	await expect(offline.getByRole('alert')).toHaveText('Pick a friendlier nickname');
});

test('with the filter off, the host allows any name', async ({ browser }) => {
	const { host, pin } = await hostGame(browser, { profanityFilter: false });
	const page = await phone(browser);
	await page.goto(`/?pin=${pin}`);
	await page.getByLabel('Nickname').fill('Sh1thead');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(host.getByRole('button', { name: /Remove Sh1thead/ })).toBeVisible();
});

test('in a friendly-names game phones join without typing and see their generated name', async ({
	browser
}, testInfo) => {
	const { host, pin } = await hostGame(browser, { friendlyNames: true });

	const page = await phone(browser);
	await page.goto('/');
	await page.getByLabel('Game PIN').fill(pin);
	await page.getByRole('button', { name: 'Enter' }).click();
	await expect(page.getByText("You'll get a fun name")).toBeVisible();
	await expect(page.getByLabel('Nickname')).toHaveCount(0);
	await page.screenshot({ path: testInfo.outputPath('phone-friendly-join.png') });
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	const name = (await page.locator('.nick').textContent())!.trim();
	expect(name).toMatch(TWO_WORDS);
	await expect(host.getByRole('button', { name: `Remove ${name}` })).toBeVisible();

	// With JavaScript off: the form posts, the phone lands on its game screen.
	const offline = await phone(browser, false);
	await offline.goto(`/?pin=${pin}`);
	await expect(offline.getByText("You'll get a fun name")).toBeVisible();
	await offline.getByRole('button', { name: 'OK, go!' }).click();
	await expect(offline).toHaveURL(/\/play\/[\w-]+$/);
	const removeButtons = host.getByRole('button', { name: /^Remove / });
	await expect(removeButtons).toHaveCount(2);
	const names = (await removeButtons.allTextContents()).map((text) => text.trim());
	expect(new Set(names).size).toBe(2);
	await host.screenshot({ path: testInfo.outputPath('host-lobby-friendly.png') });
});

test('in a friendly-names game a join whose answer was lost gets its name back when sent again', async ({
	browser
}) => {
	const { host, pin } = await hostGame(browser, { friendlyNames: true });
	const page = await phone(browser);
	await page.goto(`/?pin=${pin}`);
	// The join reaches the server, and its answer never reaches the phone.
	await loseNextAnswer(page, '/join');
	await page.getByRole('button', { name: 'OK, go!' }).click();
	const given = host.getByRole('button', { name: /^Remove / });
	await expect(given).toHaveCount(1);
	const name = (await given.textContent())!.trim();
	await expect(page.getByRole('alert')).toHaveText(
		'Could not reach the game: check your connection and try again'
	);

	// Tapping again: the phone is in under the name it was given, and there is one player.
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(page.locator('.nick')).toHaveText(name);
	await expect(given).toHaveCount(1);
});

test('the host sees both nickname options', async ({ browser }, testInfo) => {
	const context = await hostContext(browser, { viewport: { width: 1280, height: 900 } });
	const host = await context.newPage();
	await host.goto('/host');
	const options = host.getByRole('group', { name: 'Game options' });
	await expect(options.getByLabel('Filter rude nicknames')).toBeChecked();
	await expect(options.getByLabel(/Friendly generated nicknames/)).not.toBeChecked();
	await options.screenshot({ path: testInfo.outputPath('host-options.png') });
});

test('a right-to-left name keeps its punctuation, and players level on points are told so', async ({
	browser
}) => {
	const { host, pin } = await hostGeography(browser, 4);
	const arabic = 'أحمد!';
	const first = await joinedPhone(browser, pin, arabic);
	const second = await joinedPhone(browser, pin, 'Sam');
	// Laid out right to left on its own, so the "!" ends the name on its left.
	const inLobby = host.getByRole('button', { name: `Remove ${arabic}` });
	await expect(inLobby).toHaveAttribute('dir', 'auto');
	expect(await inLobby.evaluate((button) => getComputedStyle(button).direction)).toBe('rtl');

	// Both pick Sydney for the capital of Australia.
	await host.getByRole('button', { name: 'Start' }).click();
	for (const page of [first, second]) {
		await page.getByRole('button', { name: /^red triangle/ }).click({ timeout: 15_000 });
	}
	await expect(first.getByRole('heading', { name: 'Incorrect' })).toBeVisible();
	await expect(first.getByText('Nobody is ahead of you!')).toBeVisible();
	// Tied on 0: not "0 points behind".
	await expect(second.getByText(`Level on points with ${arabic}`)).toBeVisible();
	await expect(second.locator('bdi', { hasText: arabic })).toBeVisible();
});
