/**
 * A party with no internet: every request that does not go to this machine is blocked in the
 * browser, and a host and a phone still play a game to the podium — and nothing outside was
 * ever asked for (fonts, scripts, sounds and pictures are all served by Quizroom itself).
 */
import type { BrowserContext } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';

async function localOnly(context: BrowserContext, external: string[]): Promise<void> {
	await context.route('**', (route) => {
		const url = new URL(route.request().url());
		const local =
			['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ||
			['data:', 'blob:'].includes(url.protocol);
		if (local) return route.continue();
		external.push(url.href);
		return route.abort('internetdisconnected');
	});
}

test('a game plays with every non-local request blocked', async ({ browser }) => {
	const external: string[] = [];
	const hostBrowser = await hostContext(browser, { viewport: { width: 1280, height: 720 } });
	await localOnly(hostBrowser, external);
	const host = await hostBrowser.newPage();
	await host.goto('/host');
	// A sample by name: other tests add quizzes, and the newest is picked by default.
	await host.getByRole('radio', { name: /World Geography/ }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /\/host\/(\d{6})$/.exec(host.url())![1]!;
	await expect(host.getByRole('img', { name: 'QR code to join this game' })).toBeVisible();
	await host.keyboard.press('m'); // the host's first key press: sound is allowed from here on

	const phoneContext = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true
	});
	await localOnly(phoneContext, external);
	const phone = await phoneContext.newPage();
	await phone.goto(`/?pin=${pin}`);
	await phone.getByLabel('Nickname').fill('Maya');
	await phone.getByRole('button', { name: 'OK, go!' }).click();
	await expect(phone.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(host.getByRole('button', { name: /Remove Maya/ })).toBeVisible();

	await host.getByRole('button', { name: 'Start' }).click();
	// Play every question of the sample quiz (all quiz questions), then the podium.
	for (;;) {
		await phone
			.getByRole('button', { name: /^red triangle/ })
			.first()
			.click({ timeout: 15_000 });
		await expect(phone.getByRole('heading', { name: /^(Correct!|Incorrect)$/ })).toBeVisible();
		await host.keyboard.press('Enter'); // scoreboard
		await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
		const last = await host.getByRole('button', { name: 'Podium ›' }).isVisible();
		await host.keyboard.press('Enter');
		if (last) break;
	}
	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
	await expect(phone.getByText('Final rank')).toBeVisible();

	expect(external, 'requests to outside this machine').toEqual([]);
});
