/**
 * The end-to-end tests' `test`. Every browser context a test opened (the host screen, phones)
 * is closed when the test ends, so no screen keeps reconnecting through the tests after it; and
 * when a test fails, what each open screen says is printed, because CI keeps only its log.
 * And what several tests share: a picture on screen has really loaded; a form's answer is lost.
 */
import {
	expect,
	test as base,
	type BrowserContext,
	type Locator,
	type Page
} from '@playwright/test';

export { expect } from '@playwright/test';

export const test = base.extend<{ screens: void }>({
	screens: [
		async ({ browser }, use, testInfo) => {
			await use();
			const contexts = browser.contexts();
			if (testInfo.status !== testInfo.expectedStatus) await printScreens(contexts);
			await Promise.all(contexts.map((context) => context.close()));
		},
		{ auto: true }
	]
});

async function printScreens(contexts: BrowserContext[]): Promise<void> {
	for (const [c, context] of contexts.entries()) {
		for (const [p, page] of context.pages().entries()) {
			const text = await page
				.locator('body')
				.innerText({ timeout: 2000 })
				.catch((error: Error) => `(unreadable: ${error.message})`);
			console.log(`--- screen ${c}.${p} ${page.url()}\n${text.trim()}`);
		}
	}
}

/** The picture has loaded, at this width: being visible (laid out) comes before being loaded. */
export async function expectPicture(img: Locator, naturalWidth: number): Promise<void> {
	await expect(img).toBeVisible();
	await expect
		.poll(() =>
			img.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)
		)
		.toBe(naturalWidth);
}

/**
 * Bad Wi-Fi: the next send of this form action (`/join`, `/create`) reaches the server, and its
 * answer never reaches the page.
 */
export async function loseNextAnswer(page: Page, action: string): Promise<void> {
	// The page's script must hold the form first: a native post whose answer is lost shows the
	// browser's own error page (on a loaded machine the click could come before hydration).
	await page.waitForLoadState('networkidle');
	await page.route(
		(url) => url.searchParams.has(action),
		async (route) => {
			await route.fetch();
			await route.abort('connectionreset');
		},
		{ times: 1 }
	);
}
