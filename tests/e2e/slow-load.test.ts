/**
 * A slow or lossy network. The page shows before its script has loaded, and people use it at
 * once: what they picked or typed in that moment must survive the script taking over
 * (hydration). And an answer lost on the way is said plainly, with nothing the host chose lost.
 */
import type { Page } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';

/** Holds the page's scripts back until `release()`: the page is server-rendered HTML till then. */
async function holdScripts(page: Page): Promise<{ release(): Promise<void> }> {
	let open!: () => void;
	const gate = new Promise<void>((resolve) => (open = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await gate;
		await route.continue();
	});
	return {
		async release() {
			open();
			// Every module is in and the page has hydrated once the network has been quiet a while.
			await page.waitForLoadState('networkidle');
		}
	};
}

test('a quiz picked on the host screen before its script has loaded is the quiz that is played', async ({
	browser
}) => {
	const context = await hostContext(browser, { viewport: { width: 1280, height: 720 } });
	const host = await context.newPage();
	const scripts = await holdScripts(host);
	await host.goto('/host', { waitUntil: 'domcontentloaded' });

	const science = host.getByRole('radio', { name: /Science and Nature/ });
	await science.check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await scripts.release();

	// Still the pick, highlighted, after the script took over.
	await expect(science).toBeChecked();
	await expect(host.locator('.quiz:has(input:checked) .title')).toHaveText('Science and Nature');
	await host.screenshot({ path: 'test-results/screenshots/host-pick-quiz.png' });

	const create = host.waitForRequest((request) => request.url().includes('?/create'));
	await host.getByRole('button', { name: 'Create game' }).click();
	// Sent by the page's script (not a plain form post): the script was in charge when it was sent.
	expect((await create).headers()['x-sveltekit-action']).toBe('true');
	await host.waitForURL(/\/host\/\d{6}$/);
	await expect(host.getByText('Science and Nature')).toBeVisible();
});

test('"Create game" whose answer is lost says so, keeps the choices, and works when pressed again', async ({
	browser
}) => {
	const context = await hostContext(browser, { viewport: { width: 1280, height: 720 } });
	const host = await context.newPage();
	await host.goto('/host');
	await host.getByRole('radio', { name: /World Geography/ }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.route(
		(url) => url.searchParams.has('/create'),
		(route) => route.abort('connectionreset'),
		{ times: 1 }
	);
	await host.getByRole('button', { name: 'Create game' }).click();
	await expect(host.getByRole('alert')).toHaveText(
		'Could not reach the server: check the connection and try again'
	);
	await expect(host.getByRole('radio', { name: /World Geography/ })).toBeChecked();

	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	await expect(host.getByText('World Geography')).toBeVisible();
});
