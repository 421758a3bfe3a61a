/**
 * Each screen in its own language, in the same game: an English projector, a German phone and
 * an Arabic one (right to left). A switch of language changes the words in place: no reload,
 * the game goes on. Screenshots of both phones (lobby, a question) go to test-results/languages.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';

const SHOTS = 'test-results/languages';

async function phoneIn(browser: Browser, locale: string): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true,
		locale
	});
	return context.newPage();
}

test('an English host, a German phone and an Arabic phone each see their own language', async ({
	browser
}) => {
	const host = await (
		await hostContext(browser, { viewport: { width: 1280, height: 720 } })
	).newPage();
	await host.goto('/host');
	await host.getByRole('radio', { name: /World Geography/ }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('4');
	await host.getByLabel('Show question and answers on phones').check();
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /(\d{6})$/.exec(host.url())![1]!;

	const german = await phoneIn(browser, 'de-DE');
	await german.goto(`/?pin=${pin}`);
	await expect(german.locator('html')).toHaveAttribute('lang', 'de');
	await german.getByLabel('Spitzname').fill('Lena');
	await german.getByRole('button', { name: 'Los geht’s!' }).click();
	await expect(german.getByRole('heading', { name: 'Du bist dabei!' })).toBeVisible();
	await expect(german.getByText('Such deinen Namen auf der Leinwand')).toBeVisible();

	const arabic = await phoneIn(browser, 'ar-EG');
	await arabic.goto(`/?pin=${pin}`);
	// Right to left in the first paint, before any script ran.
	await expect(arabic.locator('html')).toHaveAttribute('dir', 'rtl');
	await arabic.screenshot({ path: `${SHOTS}/ar-join.png` });
	await arabic.getByLabel('الاسم المستعار').fill('Omar');
	await arabic.getByRole('button', { name: 'هيّا بنا!' }).click();
	await expect(arabic.getByRole('heading', { name: 'أنت في اللعبة!' })).toBeVisible();
	await expect(arabic.locator('html')).toHaveAttribute('lang', 'ar');
	await expect(arabic.locator('html')).toHaveAttribute('dir', 'rtl');
	await german.screenshot({ path: `${SHOTS}/de-lobby.png` });
	await arabic.screenshot({ path: `${SHOTS}/ar-lobby.png` });

	// The switcher: French words at once, the same page (no reload), the same seat.
	await german.evaluate(() => ((window as unknown as { kept: boolean }).kept = true));
	await german.getByLabel('Sprache').selectOption({ label: 'Français' });
	await expect(german.getByRole('heading', { name: 'Vous y êtes !' })).toBeVisible();
	await expect(german.locator('html')).toHaveAttribute('lang', 'fr');
	await german.getByLabel('Langue').selectOption({ label: 'Deutsch' });
	await expect(german.getByRole('heading', { name: 'Du bist dabei!' })).toBeVisible();
	expect(await german.evaluate(() => (window as unknown as { kept?: boolean }).kept)).toBe(true);

	// The projector stays English.
	await expect(host.getByText('Lena')).toBeVisible();
	await expect(host.getByText('Omar')).toBeVisible();
	await host.getByRole('button', { name: 'Start' }).click();

	await expect(german.getByText('Frage 1')).toBeVisible();
	await expect(german.getByText('Mach dich bereit…')).toBeVisible();
	await expect(arabic.getByText('السؤال 1')).toBeVisible();
	// The quiz is English: its text says so, whatever the phone's language.
	await expect(arabic.locator('h1.question')).toHaveAttribute('lang', 'en');

	await expect(german.getByRole('group', { name: 'Antworten' })).toBeVisible();
	await expect(arabic.getByRole('group', { name: 'الإجابات' })).toBeVisible();
	await expect(arabic.getByRole('timer')).toHaveAttribute('aria-label', /ثان/);
	await german.screenshot({ path: `${SHOTS}/de-question.png` });
	await arabic.screenshot({ path: `${SHOTS}/ar-question.png` });

	await german.getByRole('group', { name: 'Antworten' }).getByRole('button').first().click();
	await expect(german.getByRole('heading', { name: 'Antwort eingeloggt' })).toBeVisible();
	await expect(host.getByText(/Question 1 of \d+/)).toBeVisible();
});
