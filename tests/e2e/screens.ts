/**
 * The end-to-end tests' `test`. Every browser context a test opened (the host screen, phones)
 * is closed when the test ends, so no screen keeps reconnecting through the tests after it; and
 * when a test fails, what each open screen says is printed, because CI keeps only its log.
 * And a check shared by several tests: a picture on screen has really loaded.
 */
import { expect, test as base, type BrowserContext, type Locator } from '@playwright/test';

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
