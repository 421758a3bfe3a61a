/**
 * One-time links (setup, invitation, `npm run admin -- link`) as chat apps, mail scanners and
 * people meet them: opening one only shows it, whoever opens it; its button uses it; a browser
 * signed in as someone else is told what pressing does; whoever runs the server is told the
 * command that prints a link for this server, and the link names an address a phone can open.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HostSession } from '../../scripts/host-session.ts';
import { spawnQuizroom, type QuizroomProcess } from '../../scripts/quizroom-process.ts';
import { lanAddress } from '../../src/lib/server/web/lan.ts';

const run = promisify(execFile);

const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';

let server: QuizroomProcess;
let base: string;
let port: number;
let dataDir: string;
let setupPath: string;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'quizroom-links-'));
	server = spawnQuizroom({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'error' }, timeoutMs: 30_000 });
	port = await server.ready;
	base = `http://127.0.0.1:${port}`;
	setupPath = /\/setup\/[\w-]{43}/.exec(server.output())![0];
});
afterAll(async () => {
	if (server.child.exitCode !== null) return;
	server.child.kill('SIGTERM');
	await new Promise((resolve) => server.child.once('exit', resolve));
});

function sessionCookie(response: Response): string | undefined {
	return response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0]!)
		.find((pair) => pair.startsWith('quizroom-session='));
}

/** Opens a page as a browser (or a bot) would: no redirects followed. */
function open(path: string, init: RequestInit = {}): Promise<Response> {
	return fetch(`${base}${path}`, { redirect: 'manual', ...init });
}

/** The link's button, pressed in a browser of this site (with the cookie it has, if any). */
function press(path: string, cookie?: string, origin = base): Promise<Response> {
	return open(path, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin,
			...(cookie ? { cookie } : {})
		},
		body: ''
	});
}

async function adminCommandLink(): Promise<{ url: string; path: string; output: string }> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'link'], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' }
	});
	const url = /https?:\/\/\S+\/link\/[\w-]{43}/.exec(stdout)![0];
	return { url, path: new URL(url).pathname, output: stdout };
}

let admin: HostSession;

describe('a one-time link', () => {
	test('opened by a chat preview (GET or HEAD) signs nobody in and stays good; its button signs in', async () => {
		for (const method of ['GET', 'HEAD']) {
			const preview = await open(setupPath, { method, headers: { 'user-agent': SLACKBOT } });
			expect(preview.status, method).toBe(200);
			expect(sessionCookie(preview), method).toBeUndefined();
		}
		const page = await (await open(setupPath)).text();
		expect(page).toContain("Become this Quizroom's admin");
		expect(page).toContain('Become the admin');

		const pressed = await press(setupPath);
		expect(pressed.status).toBe(303);
		expect(pressed.headers.get('location')).toBe('/account?welcome=setup');
		admin = new HostSession(base, sessionCookie(pressed)!);
		expect((await admin.fetch('/account')).status).toBe(200);

		// Used: opening it says so, and its button signs nobody in.
		expect(await (await open(setupPath)).text()).toContain('This link does not work');
		const again = await press(setupPath);
		expect(again.status).toBe(400);
		expect(sessionCookie(again)).toBeUndefined();
		expect(await again.text()).toContain('This link was used already or has expired');
	});

	test('is not used by a button pressed on another site', async () => {
		const { path } = await adminCommandLink();
		const forged = await press(path, undefined, 'https://evil.example');
		expect(forged.status).toBe(403);
		expect(sessionCookie(forged)).toBeUndefined();
		expect((await press(path)).status).toBe(303);
	});

	test('says who it is for and what it does; to someone signed in as another, what they lose', async () => {
		const response = await admin.fetch('/admin?/invite', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ name: 'Cleo', role: 'host' })
		});
		const invitation = /\/invite\/[\w-]{43}/.exec(await response.text())![0];

		const fresh = await (await open(invitation)).text();
		expect(fresh).toContain('Sign in as <bdi>Cleo</bdi>');
		expect(fresh).toContain('Continue as <bdi>Cleo</bdi>');
		expect(fresh).not.toContain('You are signed in as');

		// The admin's own browser: told first that continuing signs the admin out here.
		const asAdmin = await (await admin.fetch(invitation)).text();
		expect(asAdmin).toMatch(/You are signed in as <bdi><strong>Admin<\/strong><\/bdi>/);
		expect(asAdmin).toContain('keeps running, but its host screen closes');
		const switched = await press(invitation, admin.cookie);
		expect(switched.status).toBe(303);
		expect(switched.headers.get('location')).toBe('/account?welcome=invite');
		// The admin's session in that browser ended; Cleo's began.
		expect((await admin.fetch('/account')).status).toBe(303);
		const cleo = new HostSession(base, sessionCookie(switched)!);
		const welcome = await cleo.fetch(switched.headers.get('location')!);
		expect(await welcome.text()).toContain('Welcome, <bdi>Cleo</bdi>');
	});

	test('reopened where its account is signed in already: nothing to do but host', async () => {
		// The admin again, by `npm run admin -- link`; then a second link for the same admin.
		const first = await adminCommandLink();
		admin = await HostSession.fromLink(base, first.path);
		const second = await adminCommandLink();
		const page = await (await admin.fetch(second.path)).text();
		expect(page).toMatch(/You.re already signed in as <bdi>Admin<\/bdi>/);
		expect(page).toContain('Host a game');
		// Not used by that: it still signs another browser in.
		expect((await press(second.path)).status).toBe(303);
		// The used setup link, reopened in the admin's browser: the same, not "ask your admin".
		const setupAgain = await (await admin.fetch(setupPath)).text();
		expect(setupAgain).toMatch(/You.re already signed in as <bdi>Admin<\/bdi>/);
		expect(setupAgain).not.toContain('ask your Quizroom admin');
	});
});

describe('whoever runs the server', () => {
	test('is told the command that prints a sign-in link for this server, and it does', async () => {
		const hint = /Lost your sign-in\? (.*npm run admin -- link)/.exec(server.output())?.[1];
		expect(hint).toBe(`PORT=${port} HOST=127.0.0.1 DATA_DIR=${dataDir} npm run admin -- link`);
		// Run as printed: the link is this server's.
		const env = Object.fromEntries(
			hint!
				.replace(' npm run admin -- link', '')
				.split(' ')
				.map((pair) => pair.split('=') as [string, string])
		);
		const { stdout } = await run(
			process.execPath,
			['--import', 'tsx', 'scripts/admin.ts', 'link'],
			{ env: { ...process.env, PUBLIC_URL: '', ...env } }
		);
		const link = /http:\/\/\S+\/link\/[\w-]{43}/.exec(stdout)![0];
		expect(link.startsWith(`http://127.0.0.1:${port}/link/`)).toBe(true);
		expect((await press(new URL(link).pathname)).status).toBe(303);
	});

	test('gets a link a phone on the network can open, and this computer’s own as well', async () => {
		// As a party laptop runs it: listening on every interface, no PUBLIC_URL.
		const { stdout } = await run(
			process.execPath,
			['--import', 'tsx', 'scripts/admin.ts', 'link'],
			{ env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '', PUBLIC_URL: '' } }
		);
		const links = [...stdout.matchAll(/(http:\/\/\S+):\d+\/link\/([\w-]{43})/g)];
		const lan = lanAddress();
		if (lan) {
			expect(links.map((match) => match[1])).toEqual([`http://${lan}`, 'http://localhost']);
			// One link, two addresses.
			expect(links[0]![2]).toBe(links[1]![2]);
		} else {
			expect(links.map((match) => match[1])).toEqual(['http://localhost']);
		}
	});
});
