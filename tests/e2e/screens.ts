/**
 * The end-to-end tests' `test`. Every browser context a test opened (the host screen, phones)
 * is closed when the test ends, so no screen keeps reconnecting through the tests after it; and
 * when a test fails, what each open screen says is printed, because CI keeps only its log.
 * And what several tests share: the host's browser, signed in (phones never are); a picture on
 * screen has really loaded; a form's answer is lost; a sample game hosted and a phone in it.
 */
import {
	expect,
	test as base,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions,
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

/** The host's browser state, signed in on Playwright's server: made once by host-sign-in.setup.ts. */
export const HOST_STATE = 'test-results/e2e/host-state.json';

/**
 * A browser of the host, signed in: on Playwright's server, or on `own`, a server the test
 * started itself (tests/integration/harness.ts), as its first admin. Phones take a plain
 * `browser.newContext()`: players never sign in.
 */
export async function hostContext(
	browser: Browser,
	options: BrowserContextOptions = {},
	own?: { url: string; admin: { cookie: string } }
): Promise<BrowserContext> {
	if (!own) return browser.newContext({ storageState: HOST_STATE, ...options });
	// No state of Playwright's server: its session cookie would name a session unknown here.
	const context = await browser.newContext(options);
	await signIn(context, own);
	return context;
}

/** Puts a session of `server` (a `quizroom-session=…` pair) in this browser, as its sign-in would. */
async function signIn(
	context: BrowserContext,
	server: { url: string; admin: { cookie: string } }
): Promise<void> {
	const at = server.admin.cookie.indexOf('=');
	const [name, value] = [server.admin.cookie.slice(0, at), server.admin.cookie.slice(at + 1)];
	await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
}

/**
 * Headers of a write sent from the test in a host's browser (`page.request`): the Origin a
 * page would send, without which the server refuses a signed-in write as cross-site.
 */
export function sameOrigin(): { origin: string } {
	return { origin: new URL(base.info().project.use.baseURL!).origin };
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

/** A projector at 1280×720 hosting the sample World Geography, its get-ready time set. */
export async function hostGeography(
	browser: Browser,
	introSeconds: number
): Promise<{ host: Page; pin: string }> {
	const host = await (
		await hostContext(browser, { viewport: { width: 1280, height: 720 } })
	).newPage();
	await host.goto('/host');
	await host.getByRole('radio', { name: /World Geography/ }).check();
	await host.getByLabel('Get-ready time before each question').selectOption(String(introSeconds));
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	return { host, pin: /(\d{6})$/.exec(host.url())![1]! };
}

/** A 360×640 touch phone that joins the game under this nickname and sees it is in. */
export async function joinedPhone(browser: Browser, pin: string, nickname: string): Promise<Page> {
	const phone = await (
		await browser.newContext({
			viewport: { width: 360, height: 640 },
			isMobile: true,
			hasTouch: true
		})
	).newPage();
	await phone.goto(`/?pin=${pin}`);
	await phone.getByLabel('Nickname').fill(nickname);
	await phone.getByRole('button', { name: 'OK, go!' }).click();
	await expect(phone.getByRole('heading', { name: "You're in!" })).toBeVisible();
	return phone;
}

/**
 * A page with a built-in passkey authenticator that says yes at once, as a phone's fingerprint
 * reader would (Chrome DevTools' WebAuthn domain).
 */
export async function pageWithPasskeys(context: BrowserContext): Promise<Page> {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	return page;
}
