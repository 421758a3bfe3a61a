/**
 * Before the tests (the `setup` project, once Playwright's server is up): the host signs in
 * with the link `npm run admin -- link` prints, as whoever runs a fresh server would, and the
 * browser's state is kept for every host screen of the run (screens.ts, `hostContext`).
 */
import { test as setup, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HOST_STATE } from './screens.ts';

const run = promisify(execFile);

setup('the host signs in', async ({ browser }, testInfo) => {
	const base = new URL(testInfo.project.use.baseURL!);
	// The server's own configuration: its data, and its port for the address printed.
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'link'], {
		env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, PORT: base.port }
	});
	// A setup link on a fresh data directory (the first admin), a sign-in link after that.
	const link = /\/(?:setup|link)\/[\w-]{43}/.exec(stdout)?.[0];
	expect(link, stdout).toBeDefined();
	const context = await browser.newContext();
	const page = await context.newPage();
	// The path only: the link names another address, and the cookie must be the tests' 127.0.0.1's.
	await page.goto(link!);
	// Opening it only shows it; its button signs in.
	await page.getByRole('button', { name: /^(Become the admin|Continue as .+)$/ }).click();
	await expect(page).toHaveURL(/\/account\b/);
	await context.storageState({ path: HOST_STATE });
	await context.close();
});
