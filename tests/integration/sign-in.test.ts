/**
 * Signing in, attacked from outside on a running server (found by a tester playing a school's
 * IT admin): where the sign-in page sends a browser after, sign-ins at once and guessing from
 * one address (the school's, behind which everyone is), what a session left open cannot do
 * without the password, what the browser may keep after signing out, a disabled account, and
 * passkey challenges asked for by nobody in particular.
 *
 * The server trusts X-Forwarded-For (TRUST_PROXY), so one test process can be many addresses.
 * Passwords are hashed at full cost here (about 0.4 s each, two at once): the tests count
 * their hashes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HostSession, inviteHost } from '../../scripts/host-session.ts';
import { form, startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
let admin: HostSession;

beforeAll(async () => {
	server = await startServer({ TRUST_PROXY: '1' });
	admin = server.admin;
}, 60_000);

afterAll(() => server?.stop());

const PASSWORD = 'staff room kettle';

/** A host invited by the admin, with a first password set on their account page. */
async function hostWithPassword(name: string): Promise<HostSession> {
	const host = await inviteHost(admin, name);
	const set = await host.fetch('/account?/password', form({ password: PASSWORD, again: PASSWORD }));
	expect(set.status, `${name}'s first password`).toBe(200);
	return host;
}

interface Try {
	address: string;
	/** The browser's cookies (`quizroom-known=…`), if any. */
	cookie?: string;
	next?: string;
}

/** The sign-in form as a browser posts it, from an address. */
function signIn(name: string, password: string, from: Try): Promise<Response> {
	const headers: Record<string, string> = {
		origin: server.url,
		'x-forwarded-for': from.address
	};
	if (from.cookie) headers.cookie = from.cookie;
	return fetch(`${server.url}/signin`, {
		...form({ name, password, next: from.next ?? '' }, headers),
		redirect: 'manual'
	});
}

/** What the sign-in page said in its alert. */
async function alertOf(response: Response): Promise<string> {
	const page = await response.text();
	return /role="alert"[^>]*>\s*([^<]*?)\s*</.exec(page)?.[1] ?? '';
}

/** The `name=value` of a cookie the response set. */
function cookieSet(response: Response, name: string): string | undefined {
	return response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0]!)
		.find((pair) => pair.startsWith(`${name}=`));
}

describe('after signing in', () => {
	const AWAY = [
		'/.//localhost:4999/',
		'/x/..//evil.example',
		'/./\\evil.example',
		'/\t/evil.example'
	];

	test('a signed-in browser is sent on only to a page of this site, however the next is written', async () => {
		for (const next of AWAY) {
			const response = await admin.fetch(`/signin?next=${encodeURIComponent(next)}`);
			expect(response.status, next).toBe(303);
			expect(response.headers.get('location'), next).toBe('/host');
		}
		const home = await admin.fetch(`/signin?next=${encodeURIComponent('/reports?x=1')}`);
		expect(home.headers.get('location')).toBe('/reports?x=1');
	});

	test('the form, and the passkey button (it goes where the page says), do the same', async () => {
		await hostWithPassword('Redirect Rita');
		const signedIn = await signIn('Redirect Rita', PASSWORD, {
			address: '10.9.0.1',
			next: '/.//evil.example'
		});
		expect(signedIn.status).toBe(303);
		expect(signedIn.headers.get('location')).toBe('/host');
		for (const next of AWAY) {
			const page = await (
				await fetch(`${server.url}/signin?next=${encodeURIComponent(next)}`)
			).text();
			expect(page, next).toMatch(/name="next" value="\/host"/);
		}
	});
});

describe('many sign-ins at once', () => {
	test('for one name are not all checked: the try is counted before the password is', async () => {
		await hostWithPassword('Burst Bea');
		const burst = await Promise.all(
			Array.from({ length: 40 }, () =>
				signIn('Burst Bea', 'wrong horse', { address: '10.9.1.1' }).then(async (response) => {
					await response.body?.cancel();
					return {
						status: response.status,
						at: Date.now(),
						retryAfter: response.headers.get('retry-after')
					};
				})
			)
		);
		// At most five checked (a few places in the line per address); the rest turned away
		// at once, before any check is done, with when to come back.
		const checked = burst.filter((answer) => answer.status === 400);
		const refused = burst.filter((answer) => answer.status === 503 || answer.status === 429);
		expect(checked.length).toBeGreaterThan(0);
		expect(checked.length).toBeLessThanOrEqual(5);
		expect(refused).toHaveLength(40 - checked.length);
		expect(Math.max(...refused.map((answer) => answer.at))).toBeLessThan(
			Math.min(...checked.map((answer) => answer.at))
		);
		expect(refused.find((answer) => answer.status === 503)?.retryAfter).toBe('5');
	}, 30_000);

	test('do not keep a right password elsewhere waiting behind a burst', async () => {
		await hostWithPassword('Busy Bo');
		// One sign-in alone, for the scale (a hash takes longer on a busy machine).
		const alone = Date.now();
		const first = await signIn('Busy Bo', PASSWORD, { address: '10.9.1.3' });
		expect(first.status).toBe(303);
		const baseline = Date.now() - alone;
		const burst = Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				signIn(`Nobody ${i}`, 'wrong horse', { address: '10.9.1.2' }).then((response) => {
					void response.body?.cancel();
					return response.status;
				})
			)
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = Date.now();
		const right = await signIn('Busy Bo', PASSWORD, { address: '10.9.1.3' });
		const took = Date.now() - started;
		expect(right.status).toBe(303);
		// Behind at most the burst's few places in the line (two hashes at a time): a few hashes'
		// time, where a line of forty made it twenty.
		expect(took).toBeLessThan(6 * baseline);
		await burst;
	}, 30_000);
});

describe('guessing from one address', () => {
	test('under many names does not lock a teacher behind the same address out', async () => {
		await hostWithPassword('School Sam');
		// Fifty wrong guesses under made-up names from the school's address, four at a time.
		for (let i = 0; i < 50; i += 4) {
			const batch = await Promise.all(
				Array.from({ length: Math.min(4, 50 - i) }, (_, j) =>
					signIn(`Pupil guess ${i + j}`, 'wrong horse', { address: '10.9.2.1' })
				)
			);
			for (const response of batch) {
				expect(response.status).toBe(400);
				await response.body?.cancel();
			}
		}
		const started = Date.now();
		const sam = await signIn('School Sam', PASSWORD, { address: '10.9.2.1' });
		expect(sam.status).toBe(303);
		expect(Date.now() - started).toBeLessThan(5000);
	}, 180_000);

	test('at one name makes it wait, said in words; the browser it signed in from before never waits', async () => {
		await hostWithPassword('Known Kim');
		const laptop = await signIn('Known Kim', PASSWORD, { address: '10.9.3.1' });
		expect(laptop.status).toBe(303);
		const known = cookieSet(laptop, 'quizroom-known');
		expect(known).toBeTruthy();
		// Five wrong tries at Kim from one address (the last still being checked when the right
		// password comes: a try is counted when it starts, and the first wait is a second).
		for (let i = 0; i < 4; i++) {
			const wrong = await signIn('Known Kim', 'wrong horse', { address: '10.9.3.2' });
			await wrong.body?.cancel();
		}
		const fifth = signIn('Known Kim', 'wrong horse', { address: '10.9.3.2' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		const newBrowser = await signIn('Known Kim', PASSWORD, { address: '10.9.3.2' });
		expect(newBrowser.status).toBe(429);
		expect(Number(newBrowser.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await alertOf(newBrowser)).toMatch(
			/^Too many wrong passwords for this name: try again in \d+ (second|minute)s?$/
		);
		const laptopAgain = await signIn('Known Kim', PASSWORD, { address: '10.9.3.2', cookie: known });
		expect(laptopAgain.status).toBe(303);
		expect((await fifth).status).toBe(400);
	}, 60_000);
});

describe('a disabled account', () => {
	test('answers its right password as a wrong one: nothing says the password was right', async () => {
		await hostWithPassword('Gone Gus');
		const page = await (await admin.fetch('/admin')).text();
		const row = page.slice(page.indexOf('>Gone Gus</bdi>'));
		const id = /<input type="hidden" name="id" value="([\w-]+)"/.exec(row)![1]!;
		const disabled = await admin.fetch('/admin?/disable', form({ id }));
		expect(disabled.status).toBe(200);
		const right = await signIn('Gone Gus', PASSWORD, { address: '10.9.4.1' });
		const wrong = await signIn('Gone Gus', 'wrong horse', { address: '10.9.4.1' });
		expect(right.status).toBe(400);
		expect(wrong.status).toBe(400);
		const said = await alertOf(right);
		expect(said).toBe(await alertOf(wrong));
		expect(said).toContain('Wrong name or password, or this account is disabled');
	}, 30_000);
});

describe('a session left open', () => {
	test('cannot add a passkey, remove the password or sign the owner out elsewhere without the password', async () => {
		const dee = await hostWithPassword('Open Dee');
		const elsewhere = await signIn('Open Dee', PASSWORD, { address: '10.9.5.1' });
		expect(elsewhere.status).toBe(303);
		const other = new HostSession(server.url, cookieSet(elsewhere, 'quizroom-session')!);

		const options = await dee.fetch('/api/passkeys/options', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({})
		});
		expect(options.status).toBe(403);
		expect((await options.json()).code).toBe('wrong-password');
		expect((await dee.fetch('/account?/removePassword', form({}))).status).toBe(403);
		expect((await dee.fetch('/account?/endOthers', form({ current: 'wrong horse' }))).status).toBe(
			403
		);
		// One other session by its id: refused before the id is even looked up.
		expect((await dee.fetch('/account?/endSession', form({ id: 'any' }))).status).toBe(403);
		// The other session is still there.
		expect((await other.fetch('/account')).status).toBe(200);

		const confirmed = await dee.fetch('/api/passkeys/options', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ password: PASSWORD })
		});
		expect(confirmed.status).toBe(200);
		expect(await confirmed.json()).toHaveProperty('challenge');
		// With the password, past the guard: there is no such session.
		expect(
			(await dee.fetch('/account?/endSession', form({ id: 'any', current: PASSWORD }))).status
		).toBe(404);
		expect((await dee.fetch('/account?/endOthers', form({ current: PASSWORD }))).status).toBe(200);
		expect((await other.fetch('/account')).status).toBe(303);
	}, 30_000);

	test('cannot guess the current password on the account page any faster than at sign-in', async () => {
		const eve = await hostWithPassword('Guessed Eve');
		const change = (current: string) =>
			eve.fetch(
				'/account?/password',
				form(
					{ current, password: 'a new kettle', again: 'a new kettle' },
					{ 'x-forwarded-for': '10.9.6.1' }
				)
			);
		for (let i = 0; i < 4; i++) {
			const wrong = await change(`guess ${i}`);
			expect(wrong.status).toBe(400);
			await wrong.body?.cancel();
		}
		// The fifth still being checked when the right one comes (see Known Kim above).
		const fifth = change('guess 4');
		await new Promise((resolve) => setTimeout(resolve, 300));
		const waiting = await change(PASSWORD);
		expect(waiting.status).toBe(429);
		expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await fifth).status).toBe(400);
	}, 30_000);
});

describe('what a browser keeps after signing out', () => {
	test('no page, page data, API answer or download of a signed-in host is kept by any cache', async () => {
		for (const path of [
			'/admin',
			'/account',
			'/host',
			'/account/__data.json',
			'/api/quizzes',
			'/quizzes/world-geography/export/json'
		]) {
			const response = await admin.fetch(path);
			expect(response.status, path).toBe(200);
			expect(response.headers.get('cache-control'), path).toBe('private, no-store');
			await response.body?.cancel();
		}
	});
});

describe('passkey sign-in challenges', () => {
	test('each is a row in the store, so an address gets so many a minute', async () => {
		const ask = (address: string) =>
			fetch(`${server.url}/api/passkeys/sign-in`, { headers: { 'x-forwarded-for': address } });
		for (let i = 0; i < 30; i++) {
			const asked = await ask('10.9.7.1');
			expect(asked.status).toBe(200);
			await asked.body?.cancel();
		}
		const refused = await ask('10.9.7.1');
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await refused.json()).code).toBe('too-many-challenges');
		const elsewhere = await ask('10.9.7.2');
		expect(elsewhere.status).toBe(200);
		await elsewhere.body?.cancel();
	});
});
