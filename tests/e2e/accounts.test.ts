/**
 * The door, as people meet it, on a server of its own started fresh: the first start prints a
 * setup link; opening it makes the admin; the admin invites Ben; Ben sets a password and signs
 * in in another browser; Ben cannot open the admin's quiz or report; the admin shares a quiz,
 * Ben hosts it, a phone joins by PIN and reaches nothing but its game; Ben signs out. Then a
 * passkey is added and signs in, with Chromium's virtual authenticator.
 */
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { spawnQuizroom, type QuizroomProcess } from '../../scripts/quizroom-process.ts';
import { PROTOCOL_VERSION } from '../../src/lib/protocol/index.ts';
import { expect, pageWithPasskeys, test } from './screens.ts';
import { runAxe } from './axe.ts';

const shots = 'test-results/screens';

let server: QuizroomProcess;
let base: string;
let port: number;
let dataDir: string;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'quizroom-accounts-e2e-'));
	server = spawnQuizroom({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn' } });
	port = await server.ready;
	base = `http://127.0.0.1:${port}`;
});

test.afterAll(async () => {
	server.child.kill('SIGTERM');
	await new Promise((resolve) => server.child.once('exit', resolve));
	rmSync(dataDir, { recursive: true, force: true });
});

const QUIZ = {
	title: 'Ada’s private quiz',
	description: 'Not shared yet',
	questions: [
		{ type: 'quiz', text: 'Two plus two?', options: ['3', '4'], correct: [1], timeLimit: 20 }
	]
};

/** A game of the quiz played to its first reveal and ended, by its host's sign-in: a report. */
async function playOneQuestion(page: Page, quizId: string): Promise<void> {
	const origin = { origin: base };
	const game = (await (
		await page.request.post(`${base}/api/games`, {
			data: { quizId, options: { introSeconds: 0 } },
			headers: origin
		})
	).json()) as { pin: string; hostToken: string };
	const cookies = await page.context().cookies(base);
	const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
	const seat = (await (
		await page.request.post(`${base}/api/games/${game.pin}/players`, {
			data: { nickname: 'Pia' },
			headers: origin
		})
	).json()) as { token: string };
	const open = (token: string, headers: Record<string, string>) => {
		const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers });
		const frames: { type: string; phase?: string }[] = [];
		socket.on('message', (data) => frames.push(JSON.parse(String(data))));
		socket.on('open', () =>
			socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token }))
		);
		const until = (phase: string) =>
			expect.poll(() => frames.some((f) => f.type === 'phase' && f.phase === phase)).toBe(true);
		return { socket, frames, until, send: (m: unknown) => socket.send(JSON.stringify(m)) };
	};
	const host = open(game.hostToken, { cookie });
	const phone = open(seat.token, {});
	await expect.poll(() => host.frames.some((f) => f.type === 'state')).toBe(true);
	await expect.poll(() => phone.frames.some((f) => f.type === 'state')).toBe(true);
	host.send({ type: 'start' });
	await phone.until('open');
	phone.send({ type: 'answer', questionIndex: 0, choice: 1 });
	await host.until('reveal');
	host.send({ type: 'end' });
	await new Promise((resolve) => host.socket.once('close', resolve));
	phone.socket.close();
}

test('the first start’s link makes the admin, who invites a host; hosts see only their own and what is shared', async ({
	browser
}) => {
	// The link the first start printed, next to the join address.
	const setup = /http:\/\/localhost:\d+(\/setup\/[\w-]{43})/.exec(server.output())?.[1];
	expect(setup).toBeTruthy();

	const adminContext = await browser.newContext({
		baseURL: base,
		viewport: { width: 1280, height: 800 }
	});
	const admin = await adminContext.newPage();
	// Opening the link only shows what it does (a chat preview opening it uses nothing).
	await admin.goto(setup!);
	await expect(admin.getByRole('heading', { name: "Become this Quizroom's admin" })).toBeVisible();
	await admin.screenshot({ path: `${shots}/setup-link.png` });
	await runAxe(admin, 'setup link');
	await admin.getByRole('button', { name: 'Become the admin' }).click();
	await expect(admin).toHaveURL(/\/account\?welcome=setup$/);
	await expect(admin.getByRole('heading', { name: "You are this Quizroom's admin" })).toBeVisible();
	await admin.screenshot({ path: `${shots}/account-setup.png` });
	await runAxe(admin, 'account after setup');
	// The link works once: in another browser it is refused; in this one, there is nothing to do.
	const again = await (await browser.newContext({ baseURL: base })).newPage();
	await again.goto(setup!);
	await expect(again.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
	await admin.goto(setup!);
	await expect(
		admin.getByRole('heading', { name: "You're already signed in as Admin" })
	).toBeVisible();
	await admin.getByRole('main').getByRole('link', { name: 'Host a game' }).click();
	await expect(admin).toHaveURL(/\/host$/);
	await admin.goto('/account');

	// A name is offered, not forced; the admin takes one.
	await admin.getByRole('textbox', { name: 'Name' }).fill('Ada');
	await admin.getByRole('button', { name: 'Save name' }).click();
	await expect(admin.getByRole('status').filter({ hasText: 'Name saved' })).toBeVisible();
	// The focus stays where it was: SvelteKit would send it to the top of the page.
	await expect(admin.getByRole('button', { name: 'Save name' })).toBeFocused();

	// Ada's own quiz, and a game of it played: a report.
	const created = (await (
		await admin.request.post(`${base}/api/quizzes`, { data: QUIZ, headers: { origin: base } })
	).json()) as { id: string };
	await playOneQuestion(admin, created.id);

	// Ada invites Ben on the Hosts page.
	await admin.goto('/admin');
	await admin.getByLabel('Name').fill('Ben');
	await admin.getByRole('button', { name: 'Make an invitation link' }).click();
	const invitation = await admin.getByLabel('Invitation link').inputValue();
	expect(invitation).toMatch(/\/invite\/[\w-]{43}$/);
	await expect(admin.getByRole('button', { name: 'Copy' })).toBeFocused();
	await expect(admin.getByRole('row', { name: /Ben/ })).toBeVisible();
	await admin.screenshot({ path: `${shots}/admin-hosts.png`, fullPage: true });
	await runAxe(admin, 'hosts');

	// Ben, in a browser of his own: the invitation signs him in, and he sets a password.
	const benContext = await browser.newContext({ baseURL: base, bypassCSP: true });
	const ben = await benContext.newPage();
	await ben.goto(new URL(invitation).pathname);
	await expect(ben.getByRole('heading', { name: 'Sign in as Ben' })).toBeVisible();
	await ben.getByRole('button', { name: 'Continue as Ben' }).click();
	await expect(ben.getByRole('heading', { name: 'Welcome, Ben' })).toBeVisible();
	await ben.getByLabel('Password (at least 8 characters)').fill('correct horse');
	await ben.getByLabel('Once more').fill('correct horse');
	await ben.getByRole('button', { name: 'Set password' }).click();
	await expect(ben.getByText('Password saved')).toBeVisible();
	await expect(ben.getByRole('button', { name: 'Change password' })).toBeFocused();
	// The welcome stops asking for what is done.
	await expect(
		ben.getByText(
			'Your invitation link is used up: from now on you sign in with your name and password.'
		)
	).toBeVisible();
	await ben.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(ben).toHaveURL(/\/signin\?signedOut=1$/);
	await ben.getByLabel('Name').fill('ben');
	await ben.getByLabel('Password').fill('wrong horse');
	await ben.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(ben.getByRole('alert')).toHaveText(
		'Wrong name or password, or this account is disabled: ask your Quizroom admin if it goes on'
	);
	await ben.screenshot({ path: `${shots}/sign-in.png` });
	await runAxe(ben, 'sign in');
	await ben.getByLabel('Password').fill('correct horse');
	await ben.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(ben).toHaveURL(/\/host$/);

	// Ada's quiz and report are not there for Ben: not listed, and 404 when asked by address.
	await ben.goto('/quizzes');
	await expect(ben.getByRole('link', { name: QUIZ.title })).toHaveCount(0);
	await expect(ben.getByText('World Geography')).toBeVisible();
	expect((await ben.goto(`/quizzes/${created.id}`))?.status()).toBe(404);
	await admin.goto('/reports');
	const reportHref = await admin.getByRole('link', { name: QUIZ.title }).getAttribute('href');
	const report = new URL(reportHref!, base).pathname;
	expect((await ben.goto(report))?.status()).toBe(404);
	await ben.goto('/reports');
	await expect(ben.getByText('No games played yet')).toBeVisible();

	// Ada shares the quiz with Ben to use; Ben hosts it.
	await admin.goto('/quizzes');
	const row = admin.getByRole('row', { name: new RegExp(QUIZ.title) });
	await row.locator('summary', { hasText: /^Share/ }).click();
	await row.getByRole('combobox', { name: 'Ben' }).selectOption('use');
	await expect(row.getByRole('status')).toHaveText('Shared with Ben to use');
	await ben.goto('/quizzes');
	const shared = ben.getByRole('row', { name: new RegExp(QUIZ.title) });
	await expect(shared.getByText('Shared with you to use by Ada')).toBeVisible();
	await expect(shared.getByRole('link', { name: 'Edit' })).toHaveCount(0);
	await shared.getByRole('link', { name: 'Host' }).click();
	await ben.getByRole('button', { name: 'Create game' }).click();
	await expect(ben).toHaveURL(/\/host\/\d{6}$/);
	const pin = /\/host\/(\d{6})$/.exec(ben.url())![1]!;

	// A phone joins by PIN and nickname, and can open nothing but its game.
	const phone = await (await browser.newContext({ baseURL: base })).newPage();
	await phone.goto(`/?pin=${pin}`);
	await phone.getByLabel('Nickname').fill('Max');
	await phone.getByRole('button', { name: 'OK, go!' }).click();
	await expect(phone).toHaveURL(/\/play\//);
	await expect(ben.getByRole('button', { name: 'Remove Max', exact: true })).toBeVisible();
	for (const address of ['/host', '/quizzes', '/reports', `/host/${pin}`, '/admin']) {
		await phone.goto(address);
		await expect(phone, address).toHaveURL(/\/signin\?next=/);
	}
	expect((await phone.request.get(`${base}/api/quizzes`)).status()).toBe(401);
	expect((await phone.request.get(`${base}/api/quizzes/${created.id}`)).status()).toBe(401);
	expect((await phone.request.get(`${base}${report}/export/csv`)).status()).toBe(401);
	// The phone's own game screen still opens, and its name cannot pose as the host.
	await phone.goBack();
	const impostor = await (await browser.newContext({ baseURL: base })).newPage();
	await impostor.goto(`/?pin=${pin}`);
	await impostor.getByLabel('Nickname').fill('Host');
	await impostor.getByRole('button', { name: 'OK, go!' }).click();
	await expect(
		impostor.getByText('That name is reserved for the host: pick another')
	).toBeVisible();

	// Ben signs out: his pages are closed to that browser again.
	await ben.goto('/quizzes');
	await ben.getByRole('button', { name: 'Sign out', exact: true }).click();
	await ben.goto('/quizzes');
	await expect(ben).toHaveURL(/\/signin\?next=%2Fquizzes$/);
});

test('a passkey is added on the account page and signs in, with no name typed', async ({
	browser
}) => {
	// Passkeys need a domain as their relying party: localhost, not 127.0.0.1.
	const local = `http://localhost:${port}`;
	const link = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'link'], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
		encoding: 'utf8'
	});
	const path = /\/(?:link|setup)\/[\w-]{43}/.exec(link)![0];
	const context = await browser.newContext({ baseURL: local, bypassCSP: true });
	const page = await pageWithPasskeys(context);
	await page.goto(path);
	await page.getByRole('button', { name: /^(Become the admin|Continue as .+)$/ }).click();
	await expect(page).toHaveURL(/\/account\?welcome=(sign-in|setup)$/);
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(page.getByText('Passkey added: you can sign in with it now')).toBeVisible();
	await expect(page.getByText(/Passkey 1: added today/)).toBeVisible();
	await page.screenshot({ path: `${shots}/account-passkey.png`, fullPage: true });
	await runAxe(page, 'account');
	// The same device again: the browser refuses a second passkey for the account, and says so.
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(page.getByText('This device already has a passkey for this account')).toBeVisible();
	await expect(page.getByText(/Passkey 2/)).toHaveCount(0);

	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(page).toHaveURL(/\/signin/);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await expect(page).toHaveURL(/\/host$/);
	await page.goto('/account');
	await expect(page.getByText(/last used today/)).toBeVisible();
});

test('a first password keeps the projector’s game; a changed one signs it out, which says so and leads back', async ({
	browser
}) => {
	// Two sign-in links for the admin (from `npm run admin -- link`): a projector and a laptop.
	const linkFor = () => {
		const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'link'], {
			env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
			encoding: 'utf8'
		});
		// Run alone, on a server with no admin yet: a setup link makes one, called Admin.
		return {
			path: /\/(?:link|setup)\/[\w-]{43}/.exec(out)![0],
			name: /Sign in as (.+) with this link/.exec(out)?.[1] ?? 'Admin'
		};
	};
	const signedIn = async (link: { path: string; name: string }) => {
		const page = await (await browser.newContext({ baseURL: base })).newPage();
		await page.goto(link.path);
		await page.getByRole('button', { name: /^(Become the admin|Continue as .+)$/ }).click();
		await expect(page).toHaveURL(/\/account\?welcome=(sign-in|setup)$/);
		return page;
	};
	const first = linkFor();
	const projector = await signedIn(first);
	const laptop = await signedIn(linkFor());

	const game = (await (
		await projector.request.post(`${base}/api/games`, {
			data: { quizId: 'world-geography' },
			headers: { origin: base }
		})
	).json()) as { pin: string };
	await projector.goto(`/host/${game.pin}`);
	const lobby = projector.getByText('Waiting for players…');
	await expect(lobby).toBeVisible();

	// A first password: nothing is signed out, and the form did not say it would be.
	await laptop.goto('/account');
	await expect(laptop.getByText('signs you out on your other devices')).toHaveCount(0);
	const password = laptop.getByLabel('Password (at least 8 characters)');
	await password.fill('password');
	await laptop.getByLabel('Once more').fill('password');
	await laptop.getByRole('button', { name: 'Set password' }).click();
	// The most used passwords are refused, at the field.
	await expect(password).toHaveAccessibleDescription(
		'That is one of the most used passwords, the first ones tried: pick another'
	);
	await password.fill('first of many');
	await laptop.getByLabel('Once more').fill('first of many');
	await laptop.getByRole('button', { name: 'Set password' }).click();
	await expect(laptop.getByRole('status').filter({ hasText: /^Password saved$/ })).toBeVisible();
	await projector.waitForTimeout(500);
	await expect(lobby).toBeVisible();
	await expect(projector.getByText('You were signed out')).toHaveCount(0);

	// A changed password: the form says first what it does, then the projector is signed out.
	await expect(
		laptop.getByText(
			'Changing it signs you out on your other devices, including a host screen running a game.'
		)
	).toBeVisible();
	await laptop.getByLabel('Current password', { exact: true }).fill('first of many');
	await laptop.getByLabel('New password (at least 8 characters)').fill('second of many');
	await laptop.getByLabel('Once more').fill('second of many');
	await laptop.getByRole('button', { name: 'Change password' }).click();
	// The projector, and any other device an earlier test left signed in.
	await expect(
		laptop.getByText(/^Password saved\. Signed out on your (other device|\d+ other devices)\.$/)
	).toBeVisible();

	await expect(projector.getByRole('heading', { name: 'You were signed out' })).toBeVisible();
	await expect(projector.getByText('Connection lost')).toHaveCount(0);
	await projector.screenshot({ path: `${shots}/host-signed-out.png` });
	await projector.getByRole('link', { name: 'Sign in' }).click();
	await projector.getByLabel('Name').fill(first.name);
	await projector.getByLabel('Password').fill('second of many');
	await projector.getByRole('button', { name: 'Sign in', exact: true }).click();
	// Back on the same game's host screen, which went on meanwhile.
	await expect(projector).toHaveURL(new RegExp(`/host/${game.pin}$`));
	await expect(projector.getByText('Waiting for players…')).toBeVisible();
});
