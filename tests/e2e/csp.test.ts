/**
 * The whole app runs under its Content-Security-Policy: a host creates a game, a phone joins
 * with PIN and nickname and answers a question over the WebSocket, and the quiz editor loads
 * and uploads a picture — with not one CSP violation on any page.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, expectPicture, hostContext, test } from './screens.ts';
import { tinyPng } from '../../src/lib/testing/test-images.ts';

/** Every CSP violation any page of this context reports, as text. */
function watchViolations(context: BrowserContext, violations: string[]): void {
	// The DOM event catches what the console may not show; it is logged so we see it here.
	void context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			console.error(
				`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}` +
					` (${event.sourceFile}:${event.lineNumber})`
			);
		});
	});
	const watch = (page: Page) =>
		page.on('console', (message) => {
			const text = message.text();
			if (/Content.Security.Policy|CSP violation/i.test(text)) {
				violations.push(`${page.url()}: ${text}`);
			}
		});
	context.pages().forEach(watch);
	context.on('page', watch);
}

test('a game and the editor run with no CSP violations', async ({ browser }) => {
	const violations: string[] = [];

	const hostBrowser = await hostContext(browser, { viewport: { width: 1280, height: 720 } });
	watchViolations(hostBrowser, violations);
	const host = await hostBrowser.newPage();
	const response = await host.goto('/host');
	expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
	// A sample by name: other tests add quizzes, and the newest is picked by default.
	await host.getByRole('radio', { name: /World Geography/ }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /\/host\/(\d{6})$/.exec(host.url())![1]!;
	// The QR code is a data: image: it must load (img-src data:).
	const qr = host.getByRole('img', { name: 'QR code to join this game' });
	await expect(qr).toBeVisible();
	await expect
		.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth))
		.toBeGreaterThan(0);

	const phoneContext = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true
	});
	watchViolations(phoneContext, violations);
	const phone = await phoneContext.newPage();
	await phone.goto('/');
	await phone.getByLabel('Game PIN').fill(pin);
	await phone.getByRole('button', { name: 'Enter' }).click();
	await phone.getByLabel('Nickname').fill('Maya');
	await phone.getByRole('button', { name: 'OK, go!' }).click();
	await expect(phone.getByRole('heading', { name: "You're in!" })).toBeVisible();
	// The host hears of the player over its own socket: both WebSockets are connected.
	await expect(host.getByRole('button', { name: /Remove Maya/ })).toBeVisible();

	await host.getByRole('button', { name: 'Start' }).click();
	await phone.getByRole('button', { name: 'red triangle', exact: true }).click({ timeout: 15_000 });
	// The only player answered: the question closes and the phone hears how it went.
	await expect(phone.getByRole('heading', { name: /^(Correct!|Incorrect)$/ })).toBeVisible();
	await expect(host.getByRole('figure')).toBeVisible();

	const editor = await hostBrowser.newPage();
	await editor.goto('/quizzes/new');
	await expect(editor.getByRole('heading', { name: 'New quiz' })).toBeVisible();
	await editor
		.getByRole('region', { name: 'Question 1', exact: true })
		.getByLabel(/Add image/)
		.setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(tinyPng()) });
	const picture = editor.getByRole('img', { name: 'Picture for question 1' });
	await expectPicture(picture, 1);

	expect(violations).toEqual([]);
	await hostBrowser.close();
	await phoneContext.close();
});

test('the watch sees a violation when there is one', async ({ browser }) => {
	const violations: string[] = [];
	const context = await browser.newContext();
	watchViolations(context, violations);
	const page = await context.newPage();
	await page.goto('/');
	// What an injected script would be: inline, without the page's nonce.
	await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.injected = true';
		document.body.append(script);
	});
	await expect.poll(() => violations.length).toBeGreaterThan(0);
	expect(await page.evaluate(() => 'injected' in window)).toBe(false);
	await context.close();
});
