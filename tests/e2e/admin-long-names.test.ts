/**
 * A host's name of 60 characters with no space (the longest a name may be) on the admin's
 * pages, on a laptop and on a phone: the Hosts page's row keeps its actions on the screen, and
 * the share drop-down in the library keeps its choice next to the name, inside the screen. And
 * that host's own phone: the invitation, the account bar, and the page refused to a host.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';

const LONG_NAME = 'W'.repeat(60);
const SIZES = [
	{ width: 1280, height: 800 },
	{ width: 375, height: 740 }
];

/** The element's box lies within the page's width (nothing pushed off to the right). */
async function expectOnScreen(page: Page, element: Locator, what: string): Promise<void> {
	const box = await element.boundingBox();
	expect(box, what).not.toBeNull();
	const width = page.viewportSize()!.width;
	expect(box!.x, what).toBeGreaterThanOrEqual(0);
	expect(box!.x + box!.width, what).toBeLessThanOrEqual(width + 0.5);
}

test('a 60-character name with no spaces wraps on the Hosts page and in the share drop-down', async ({
	browser
}) => {
	const context = await hostContext(browser);
	const page = await context.newPage();
	await page.goto('/admin');
	await page.getByLabel('Name').fill(LONG_NAME);
	await page.getByRole('button', { name: 'Make an invitation link' }).click();
	const invitation = await page.getByLabel('Invitation link').inputValue();

	// Disable and Enable answer in place: the focus stays on the row's button, now the other one.
	const row = page.getByRole('row', { name: new RegExp(LONG_NAME) });
	await row.getByRole('button', { name: `Disable ${LONG_NAME}` }).click();
	await expect(page.getByText(`${LONG_NAME} is disabled`)).toBeVisible();
	await expect(row.getByRole('button', { name: `Enable ${LONG_NAME}` })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(row.getByRole('button', { name: `Disable ${LONG_NAME}` })).toBeFocused();

	for (const viewport of SIZES) {
		await page.setViewportSize(viewport);
		await page.goto('/admin');
		await expect(row).toBeVisible();
		await expectOnScreen(page, row.getByRole('link', { name: 'Delete…' }), 'Delete…');
		await expectOnScreen(page, row.getByRole('button', { name: 'Reset sign-in' }), 'Reset');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			viewport.width
		);
		await row.scrollIntoViewIfNeeded();
		await page.screenshot({
			path: `test-results/screens/admin-long-name-hosts-${viewport.width}.png`
		});

		await page.goto('/quizzes');
		const quiz = page.getByRole('row', { name: /World Geography/ });
		await quiz.locator('summary', { hasText: /^Share/ }).click();
		const choice = quiz.getByRole('combobox', { name: LONG_NAME });
		await expect(choice).toBeVisible();
		await expectOnScreen(page, choice, `the share choice at ${viewport.width}`);
		const panel = quiz.getByRole('group', { name: /^Share / });
		await expectOnScreen(page, panel, `the share panel at ${viewport.width}`);
		await panel.scrollIntoViewIfNeeded();
		await page.screenshot({
			path: `test-results/screens/admin-long-name-share-${viewport.width}.png`
		});
	}
	await context.close();

	// The host, on their phone: the invitation names them, and the Hosts page is refused, with
	// the account bar above and the ways on below.
	const phone = await (await browser.newContext({ viewport: SIZES[1] })).newPage();
	await phone.goto(new URL(invitation).pathname);
	await phone.getByRole('button', { name: `Continue as ${LONG_NAME}` }).click();
	await expect(phone).toHaveURL(/\/account/);
	await phone.goto('/admin');
	await expect(phone.getByRole('heading', { name: 'Not for you' })).toBeVisible();
	await expect(phone.getByText('Only an admin of this Quizroom may open this page.')).toBeVisible();
	await expect(phone.getByRole('link', { name: `Account (${LONG_NAME})` })).toBeVisible();
	await expect(phone.getByRole('main').getByRole('link', { name: 'Host a game' })).toBeVisible();
	await expectOnScreen(phone, phone.getByRole('button', { name: 'Sign out' }), 'Sign out');
	expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		SIZES[1]!.width
	);
	await phone.screenshot({ path: 'test-results/screens/admin-long-name-refused-375.png' });
});
