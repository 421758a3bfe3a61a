/**
 * The account page asks for the current password before what would let whoever sits at a
 * session left open keep the account: adding a passkey, removing the password, signing the
 * other devices out. On a server of its own, with Chromium's virtual authenticator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnQuizroom, type QuizroomProcess } from '../../scripts/quizroom-process.ts';
import { expect, pageWithPasskeys, test } from './screens.ts';

let server: QuizroomProcess;
let port: number;
let dataDir: string;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'quizroom-account-guard-e2e-'));
	server = spawnQuizroom({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn' } });
	port = await server.ready;
});

test.afterAll(async () => {
	server.child.kill('SIGTERM');
	await new Promise((resolve) => server.child.once('exit', resolve));
	rmSync(dataDir, { recursive: true, force: true });
});

const PASSWORD = 'kettle on the boil';

test('a passkey, the password’s removal and signing out elsewhere need the current password', async ({
	browser
}) => {
	// Passkeys need a domain as their relying party: localhost, not 127.0.0.1.
	const local = `http://localhost:${port}`;
	const setup = /http:\/\/localhost:\d+(\/setup\/[\w-]{43})/.exec(server.output())![1]!;
	const context = await browser.newContext({ baseURL: local });
	const page = await pageWithPasskeys(context);
	await page.goto(setup);
	await page.getByRole('button', { name: /^(Become the admin|Continue as .+)$/ }).click();
	await expect(page).toHaveURL(/\/account\?welcome=setup$/);
	await page.getByLabel('Password (at least 8 characters)').fill(PASSWORD);
	await page.getByLabel('Once more').fill(PASSWORD);
	await page.getByRole('button', { name: 'Set password' }).click();
	await expect(page.getByText('Password saved')).toBeVisible();

	// Another browser, signed in with the password.
	const other = await (await browser.newContext({ baseURL: local })).newPage();
	await other.goto('/signin');
	await other.getByLabel('Name').fill('Admin');
	await other.getByLabel('Password').fill(PASSWORD);
	await other.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(other).toHaveURL(/\/host$/);

	// A passkey: not without the password, then with it.
	await page.reload();
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(page.getByText('That is not your current password')).toBeVisible();
	await expect(page.getByText(/Passkey 1/)).toHaveCount(0);
	await page.getByLabel('Your current password, to add one').fill(PASSWORD);
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(page.getByText('Passkey added: you can sign in with it now')).toBeVisible();
	await expect(page.getByText(/Passkey 1: added today/)).toBeVisible();

	// Signing out elsewhere: not without the password, then with it.
	await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
	await expect(page.getByRole('alert')).toHaveText('That is not your current password');
	await other.reload();
	await expect(other).toHaveURL(/\/host$/);
	await page.getByLabel('Your current password, to sign out elsewhere').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
	await expect(page.getByText('Signed out everywhere else (1)')).toBeVisible();
	await other.reload();
	await expect(other).toHaveURL(/\/signin\?next=/);

	// Removing the password: the current password above it, in the same form.
	await page.getByRole('button', { name: /Remove the password/ }).click();
	await expect(page.getByRole('alert')).toHaveText('That is not your current password');
	// The focus goes to the field to correct, not to the top of the page.
	await expect(page.getByLabel('Current password', { exact: true })).toBeFocused();
	await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: /Remove the password/ }).click();
	await expect(page.getByText('Password removed: you sign in with a passkey')).toBeVisible();
});
