import { beforeEach, describe, expect, it } from 'vitest';
import { makeGame, makeQuiz } from '../../testing/quiz-fixtures.ts';
import { MemoryStorage } from '../storage/memory.ts';
import { AccountService, cleanName, type NewSession } from './account-service.ts';
import { CHALLENGES_PER_MINUTE, Passkeys } from './passkeys.ts';
import { hashPassword } from './passwords.ts';

/** Cheap hashes: the rules are the same at any cost. */
const CHEAP = { logN: 10, r: 8, p: 1 };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let now: number;
let storage: MemoryStorage;
let accounts: AccountService;
let ended: string[];
/** How long each slowed sign-in try was held back (the tests do not wait). */
let held: number[];

function service(issuer = 'node-1'): AccountService {
	return new AccountService({
		storage,
		now: () => now,
		issuer,
		passwordParams: CHEAP,
		onSessionsEnded: (ids) => ended.push(...ids),
		sleep: async (ms) => void held.push(ms)
	});
}

beforeEach(() => {
	now = 1_000_000_000_000;
	storage = new MemoryStorage();
	ended = [];
	held = [];
	accounts = service();
});

/** Every refused sign-in by password, whatever the reason. */
const WRONG = {
	ok: false,
	code: 'wrong',
	message:
		'Wrong name or password, or this account is disabled: ask your Quizroom admin if it goes on'
};

async function firstAdmin(): Promise<NewSession> {
	const link = await accounts.setupLink();
	const used = await accounts.useLink(link!, 'Firefox on Linux');
	if (!used.ok) throw new Error(used.message);
	return used;
}

async function host(name: string, password = 'correct horse'): Promise<NewSession> {
	const invited = await accounts.invite(name, 'host');
	if (!invited.ok) throw new Error(invited.message);
	const used = await accounts.useLink(invited.token, 'Chrome on Windows');
	if (!used.ok) throw new Error(used.message);
	await accounts.setPassword(used.account.id, password, used.session.id);
	return used;
}

describe('the first admin', () => {
	it('comes from the setup link printed at start: once, and only while there is no admin', async () => {
		expect(await accounts.needsSetup()).toBe(true);
		const link = (await accounts.setupLink())!;
		expect(link).toMatch(/^[\w-]{43}$/);
		expect(await accounts.peekLink(link)).toMatchObject({ kind: 'setup', account: null });
		const used = await accounts.useLink(link, 'Firefox on Linux');
		expect(used).toMatchObject({
			ok: true,
			kind: 'setup',
			account: { name: 'Admin', role: 'admin' }
		});
		expect(await accounts.needsSetup()).toBe(false);
		expect(await accounts.useLink(link, 'Firefox on Linux')).toMatchObject({
			ok: false,
			code: 'bad-link'
		});
		// Printed again at every start until an admin exists; never after.
		expect(await accounts.setupLink()).toBeNull();
	});

	it('is only shown by opening it: it works until it is used, and says what it is for', async () => {
		const link = (await accounts.setupLink())!;
		expect(await accounts.peekLink(link)).toMatchObject({ ok: true, kind: 'setup' });
		expect(await accounts.peekLink(link)).toMatchObject({ ok: true, kind: 'setup' });
		expect(await accounts.useLink(link, 'Firefox on Linux')).toMatchObject({ ok: true });
		expect(await accounts.peekLink(link)).toMatchObject({ ok: false, code: 'bad-link' });
		// Another node's setup link, once there is an admin: refused as using it would be.
		const other = (await service('node-2').issueLink('setup', null))!;
		expect(await accounts.peekLink(other)).toMatchObject({
			ok: false,
			code: 'set-up-already'
		});
		const invited = await accounts.invite('Dana', 'host');
		if (!invited.ok) throw new Error(invited.message);
		expect(await accounts.peekLink(invited.token)).toMatchObject({
			ok: true,
			kind: 'invite',
			account: { name: 'Dana', role: 'host' }
		});
		await accounts.setDisabled(invited.account.id, true);
		expect(await accounts.peekLink(invited.token)).toMatchObject({ ok: false, code: 'disabled' });
	});

	it('gets everything kept from before accounts', async () => {
		await storage.seedSamples([makeQuiz('sample')], now);
		await storage.saveGame({ ...makeGame('old'), hostId: null });
		const admin = await firstAdmin();
		expect((await storage.getQuiz('sample'))!.ownerId).toBe(admin.account.id);
		expect((await storage.getGame('old'))!.hostId).toBe(admin.account.id);
	});

	it('is made by the newest setup link of a node: a restart makes the one printed before useless', async () => {
		const before = (await accounts.setupLink())!;
		const restarted = service('node-1');
		const after = (await restarted.setupLink())!;
		expect(await restarted.useLink(before, 'x')).toMatchObject({ ok: false, code: 'bad-link' });
		expect(await restarted.useLink(after, 'x')).toMatchObject({ ok: true });
	});

	it('is made once even when two nodes’ setup links are used: the second is refused', async () => {
		const one = (await service('node-1').setupLink())!;
		const two = (await service('node-2').setupLink())!;
		expect(await accounts.useLink(one, 'x')).toMatchObject({ ok: true });
		expect(await accounts.useLink(two, 'x')).toMatchObject({ ok: false, code: 'bad-link' });
		expect((await accounts.accounts()).filter((a) => a.role === 'admin')).toHaveLength(1);
	});
});

describe('npm run admin -- link', () => {
	it('prints a setup link before there is an admin, and a 15-minute sign-in link after', async () => {
		expect(await accounts.adminLink()).toMatchObject({ ok: true, kind: 'setup' });
		const admin = await firstAdmin();
		const made = await accounts.adminLink();
		expect(made).toMatchObject({ ok: true, kind: 'sign-in', account: { id: admin.account.id } });
		if (!made.ok) return;
		now += 16 * MINUTE;
		expect(await accounts.useLink(made.token, 'x')).toMatchObject({ ok: false, code: 'bad-link' });
		const fresh = await accounts.adminLink();
		if (!fresh.ok) throw new Error(fresh.message);
		expect(await accounts.useLink(fresh.token, 'x')).toMatchObject({
			ok: true,
			account: { id: admin.account.id }
		});
	});

	it('names an admin by name, and refuses a host or a name nobody has', async () => {
		await firstAdmin();
		await host('Ben');
		expect(await accounts.adminLink('ben')).toMatchObject({ ok: false, code: 'not-admin' });
		expect(await accounts.adminLink('Nobody')).toMatchObject({
			ok: false,
			code: 'unknown-account'
		});
		expect(await accounts.adminLink('ADMIN')).toMatchObject({ ok: true, kind: 'sign-in' });
	});
});

describe('sessions', () => {
	it('end after 14 idle days or 30 days in all, whatever the use', async () => {
		const { token } = await firstAdmin();
		now += 13 * DAY;
		expect(await accounts.session(token)).not.toBeNull();
		now += 13 * DAY;
		expect(await accounts.session(token)).not.toBeNull();
		now += 5 * DAY;
		expect(await accounts.session(token)).toBeNull();

		const other = await accounts.adminLink();
		if (!other.ok) throw new Error(other.message);
		const second = await accounts.useLink(other.token, 'x');
		if (!second.ok) throw new Error(second.message);
		now += 15 * DAY;
		expect(await accounts.session(second.token)).toBeNull();
	});

	it('write their last use at most once a minute', async () => {
		const { token, session } = await firstAdmin();
		now += 30_000;
		await accounts.session(token);
		expect((await storage.accounts.getSession(session.id))!.lastSeenAt).toBe(session.lastSeenAt);
		now += 40_000;
		await accounts.session(token);
		expect((await storage.accounts.getSession(session.id))!.lastSeenAt).toBe(now);
	});

	it('are stored by a hash of the cookie only, and refuse text that is no token', async () => {
		const { token, session } = await firstAdmin();
		expect(session.id).not.toContain(token);
		expect(await storage.accounts.getSession(token)).toBeNull();
		expect(await accounts.session('not a token')).toBeNull();
		expect(await accounts.session(undefined)).toBeNull();
	});

	it('end everywhere else on "sign out everywhere", and one by one from the account page', async () => {
		const admin = await firstAdmin();
		const links = await Promise.all([accounts.adminLink(), accounts.adminLink()]);
		const others = [];
		for (const link of links) {
			if (!link.ok) throw new Error(link.message);
			const used = await accounts.useLink(link.token, 'x');
			if (!used.ok) throw new Error(used.message);
			others.push(used);
		}
		expect(await accounts.endSession(admin.account.id, others[0]!.session.id)).toBe(true);
		expect(ended).toEqual([others[0]!.session.id]);
		expect(await accounts.endSessions(admin.account.id, admin.session.id)).toBe(1);
		expect(await accounts.session(others[1]!.token)).toBeNull();
		expect(await accounts.session(admin.token)).not.toBeNull();
		expect(ended).toContain(others[1]!.session.id);
	});

	it('do not let another account end them', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		const cy = await host('Cy');
		expect(await accounts.endSession(cy.account.id, ben.session.id)).toBe(false);
		expect(await accounts.session(ben.token)).not.toBeNull();
	});
});

describe('passwords', () => {
	it('sign a host in by name, however it is typed', async () => {
		await firstAdmin();
		const ben = await host('Ben Okafor');
		const signedIn = await accounts.signIn(' ben  OKAFOR ', 'correct horse', '10.0.0.1', 'x');
		expect(signedIn).toMatchObject({ ok: true, account: { id: ben.account.id } });
	});

	it('answer a wrong password and an unknown name alike', async () => {
		await firstAdmin();
		await host('Ben');
		const wrong = await accounts.signIn('Ben', 'wrong horse', '10.0.0.1', 'x');
		const unknown = await accounts.signIn('Nobody', 'correct horse', '10.0.0.1', 'x');
		expect(wrong).toEqual(unknown);
		expect(wrong).toEqual(WRONG);
	});

	it('back off after five wrong tries for a name at an address, doubling the wait, and a right one then resets', async () => {
		await firstAdmin();
		await host('Ben');
		for (let i = 0; i < 5; i++) {
			expect(await accounts.signIn('Ben', 'nope', '10.0.0.1', 'x')).toMatchObject({
				code: 'wrong'
			});
		}
		// Now even the right password waits: a guesser learns nothing by trying it.
		const waiting = await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x');
		expect(waiting).toMatchObject({ ok: false, code: 'wait', retryAfterS: 1 });
		expect(waiting.ok || waiting.message).toBe(
			'Too many wrong passwords for this name: try again in 1 second'
		);
		now += 1000;
		expect(await accounts.signIn('Ben', 'nope', '10.0.0.1', 'x')).toMatchObject({ code: 'wrong' });
		expect(await accounts.signIn('Ben', 'nope', '10.0.0.1', 'x')).toMatchObject({
			code: 'wait',
			retryAfterS: 2
		});
		now += 2000;
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			ok: true
		});
		expect(await accounts.signIn('Ben', 'nope', '10.0.0.1', 'x')).toMatchObject({ code: 'wrong' });
	});

	it('back off a name nobody has the same way, so waiting says nothing either', async () => {
		for (let i = 0; i < 5; i++) await accounts.signIn('Ghost', 'nope', '10.0.0.1', 'x');
		expect(await accounts.signIn('Ghost', 'nope', '10.0.0.1', 'x')).toMatchObject({ code: 'wait' });
	});

	it('never lock a school out for one guesser behind its address: many names only slow it', async () => {
		await firstAdmin();
		await host('Ben');
		for (let i = 0; i < 50; i++) await accounts.signIn(`Guess ${i}`, 'nope', '10.0.0.9', 'x');
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.9', 'x')).toMatchObject({
			ok: true
		});
		expect(held).toEqual([]);
		// Past a hundred failures the address's tries are held back a little, never refused.
		for (let i = 50; i < 250; i++) await accounts.signIn(`Guess ${i}`, 'nope', '10.0.0.9', 'x');
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.9', 'x')).toMatchObject({
			ok: true
		});
		expect(held.at(-1)).toBe(2000);
		expect(Math.max(...held)).toBeLessThanOrEqual(5000);
		// Elsewhere, nothing is held back.
		const count = held.length;
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.10', 'x')).toMatchObject({
			ok: true
		});
		expect(held.length).toBe(count);
	});

	it('are hashed again at sign-in when the parameters changed', async () => {
		const admin = await firstAdmin();
		const old = await hashPassword('correct horse', { logN: 11, r: 8, p: 1 });
		await storage.accounts.updateAccount(admin.account.id, { passwordHash: old });
		await storage.accounts.updateAccount(admin.account.id, { name: 'Ada' });
		expect(await accounts.signIn('Ada', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			ok: true
		});
		const stored = (await storage.accounts.getAccount(admin.account.id))!.passwordHash!;
		expect(stored).not.toBe(old);
		expect(stored.startsWith('scrypt$10$8$1$')).toBe(true);
	});

	it('changed: the current one first, then every other session ends', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		const elsewhere = await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x');
		if (!elsewhere.ok) throw new Error(elsewhere.message);
		expect(
			await accounts.changePassword(ben.account.id, 'wrong', 'new horse!', ben.session.id)
		).toMatchObject({ ok: false, code: 'wrong-password' });
		expect(
			await accounts.changePassword(ben.account.id, 'correct horse', 'short', ben.session.id)
		).toMatchObject({ ok: false, code: 'weak-password' });
		expect(
			await accounts.changePassword(ben.account.id, 'correct horse', 'new horse!', ben.session.id)
		).toMatchObject({ ok: true, signedOut: 1 });
		expect(await accounts.session(elsewhere.token)).toBeNull();
		expect(await accounts.session(ben.token)).not.toBeNull();
		expect(await accounts.signIn('Ben', 'new horse!', '10.0.0.1', 'x')).toMatchObject({ ok: true });
	});

	it('set for the first time: every other session stays (the projector keeps its game)', async () => {
		await firstAdmin();
		const invited = await accounts.invite('Cleo', 'host');
		if (!invited.ok) throw new Error(invited.message);
		const projector = await accounts.useLink(invited.token, 'Chrome on Windows');
		if (!projector.ok) throw new Error(projector.message);
		// A second way in while the first is busy: a sign-in link on the laptop.
		const laptop = await accounts.startSession(projector.account, 'Firefox on Linux');
		expect(
			await accounts.setPassword(projector.account.id, 'a first password', laptop.session.id)
		).toMatchObject({ ok: true, signedOut: 0 });
		expect(ended).toEqual([]);
		expect(await accounts.session(projector.token)).not.toBeNull();
		// Changed later, it ends them: whoever knew the old one is out.
		expect(
			await accounts.changePassword(
				projector.account.id,
				'a first password',
				'a second password',
				laptop.session.id
			)
		).toMatchObject({ ok: true, signedOut: 1 });
		expect(await accounts.session(projector.token)).toBeNull();
	});

	it('may not be one of the most used passwords', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		expect(
			await accounts.changePassword(ben.account.id, 'correct horse', 'Password1', ben.session.id)
		).toMatchObject({
			ok: false,
			code: 'weak-password',
			message: 'That is one of the most used passwords, the first ones tried: pick another'
		});
	});

	it('can be removed only when a passkey can still sign the host in', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		expect(await accounts.removePassword(ben.account.id)).toMatchObject({ code: 'only-way-in' });
	});
});

describe('guessing', () => {
	/** Signs Ben in once from his laptop: the cookie that makes it a known browser. */
	async function bensLaptop(): Promise<string> {
		const signedIn = await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x');
		if (!signedIn.ok) throw new Error(signedIn.message);
		return signedIn.knownDevices;
	}

	it('is counted before the check: tries at once cannot all slip in under one count', async () => {
		await firstAdmin();
		await host('Ben');
		const laptop = await bensLaptop();
		// Ten at once get a place in the line of hashes (the rest: busy); five are checked.
		const burst = await Promise.all(
			Array.from({ length: 40 }, () => accounts.signIn('Ben', 'nope', '10.0.0.1', 'x', laptop))
		);
		const codes = burst.map((answer) => (answer.ok ? 'ok' : answer.code));
		expect(codes.filter((code) => code === 'wrong')).toHaveLength(5);
		expect(codes.filter((code) => code === 'wait')).toHaveLength(5);
		expect(codes.filter((code) => code === 'busy')).toHaveLength(30);
		expect(burst.find((answer) => !answer.ok && answer.code === 'busy')).toMatchObject({
			message: 'Too many sign-ins right now: try again in a few seconds',
			retryAfterS: 5
		});
	});

	it('from one address holds at most a few places in the line at once', async () => {
		await firstAdmin();
		await host('Ben');
		const burst = await Promise.all(
			Array.from({ length: 40 }, (_, i) => accounts.signIn(`Guess ${i}`, 'nope', '10.0.0.9', 'x'))
		);
		const codes = burst.map((answer) => (answer.ok ? 'ok' : answer.code));
		expect(codes.filter((code) => code === 'wrong')).toHaveLength(4);
		expect(codes.filter((code) => code === 'busy')).toHaveLength(36);
		// Meanwhile, elsewhere, the right password goes straight in.
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			ok: true
		});
	});

	it('at a name from everywhere waits at most five minutes, and never on a browser known for it', async () => {
		await firstAdmin();
		await host('Ben');
		const laptop = await bensLaptop();
		// Guesses at Ben from a hundred addresses, five each (each address's free tries).
		for (let address = 0; address < 100; address++) {
			now += 5 * MINUTE;
			for (let i = 0; i < 5; i++) await accounts.signIn('Ben', 'nope', `10.1.0.${address}`, 'x');
		}
		const elsewhere = await accounts.signIn('Ben', 'correct horse', '10.2.0.1', 'x');
		expect(elsewhere).toMatchObject({ ok: false, code: 'wait' });
		expect(elsewhere.ok || elsewhere.retryAfterS).toBeLessThanOrEqual(5 * 60);
		expect(elsewhere.ok || elsewhere.message).toMatch(
			/^Too many wrong passwords for this name: try again in \d+ (seconds?|minutes?)$/
		);
		// Ben's laptop, which signed in before, is not held up at all.
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x', laptop)).toMatchObject({
			ok: true
		});
		// …and its right password cleared the name's counts: a new browser goes in too.
		expect(await accounts.signIn('Ben', 'correct horse', '10.2.0.1', 'x')).toMatchObject({
			ok: true
		});
	});

	it('on a known browser counts for that browser alone', async () => {
		await firstAdmin();
		await host('Ben');
		const laptop = await bensLaptop();
		for (let i = 0; i < 5; i++) {
			expect(await accounts.signIn('Ben', 'nope', '10.0.0.1', 'x', laptop)).toEqual(WRONG);
		}
		const waiting = await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x', laptop);
		expect(waiting.ok || waiting.message).toBe(
			'Too many wrong passwords on this browser: try again in 1 second'
		);
		// Another browser at the same address is not held up by it.
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			ok: true
		});
	});

	it('knows a browser by a cookie that proves nothing after a new password, and names nobody', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		await host('Cy');
		const laptop = await bensLaptop();
		const shared = await accounts.signIn('Cy', 'correct horse', '10.0.0.1', 'x', laptop);
		if (!shared.ok) throw new Error(shared.message);
		// One cookie for both accounts signed in on the staff room's computer.
		expect(shared.knownDevices.split('~')).toHaveLength(2);
		expect(shared.knownDevices).not.toContain(ben.account.id);
		// Ben's new password: his entry is worth nothing; Cy's still is.
		await accounts.setPassword(ben.account.id, 'another horse!', undefined);
		for (let i = 0; i < 5; i++) await accounts.signIn('Ben', 'nope', '10.0.0.1', 'x');
		expect(
			await accounts.signIn('Ben', 'another horse!', '10.0.0.1', 'x', shared.knownDevices)
		).toMatchObject({ code: 'wait' });
		for (let i = 0; i < 5; i++) await accounts.signIn('Cy', 'nope', '10.0.0.1', 'x');
		expect(
			await accounts.signIn('Cy', 'correct horse', '10.0.0.1', 'x', shared.knownDevices)
		).toMatchObject({ ok: true });
	});

	it('counts a disabled account’s right password as a wrong one', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		await accounts.setDisabled(ben.account.id, true);
		for (let i = 0; i < 5; i++) {
			expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toEqual(WRONG);
		}
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			code: 'wait'
		});
	});
});

describe('what a session left open cannot do alone', () => {
	it('guesses at the current password on the account page wait as at sign-in', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		const from = { address: '10.0.0.1' };
		for (let i = 0; i < 5; i++) {
			expect(
				await accounts.changePassword(ben.account.id, 'nope', 'new horse!', ben.session.id, from)
			).toMatchObject({ code: 'wrong-password' });
		}
		expect(
			await accounts.changePassword(
				ben.account.id,
				'correct horse',
				'new horse!',
				ben.session.id,
				from
			)
		).toMatchObject({ ok: false, code: 'wait', retryAfterS: 1 });
		// The same count as signing in.
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			code: 'wait'
		});
	});

	it('adds a passkey, removes the password or signs out elsewhere only with the current password', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		const signedIn = { account: (await accounts.account(ben.account.id))!, session: ben.session };
		const from = { address: '10.0.0.1' };
		expect(await accounts.confirm(signedIn, '', from)).toMatchObject({
			ok: false,
			code: 'wrong-password'
		});
		expect(await accounts.confirm(signedIn, 'wrong horse', from)).toMatchObject({
			code: 'wrong-password'
		});
		expect(await accounts.confirm(signedIn, 'correct horse', from)).toMatchObject({ ok: true });
		for (let i = 0; i < 5; i++) await accounts.confirm(signedIn, 'nope', from);
		expect(await accounts.confirm(signedIn, 'correct horse', from)).toMatchObject({
			code: 'wait'
		});
	});

	it('without a password: a passkey sign-in in the last five minutes', async () => {
		const admin = await firstAdmin();
		await storage.accounts.addPasskey({
			id: 'key-1',
			accountId: admin.account.id,
			publicKey: new Uint8Array([1, 2, 3]),
			counter: 0,
			transports: [],
			createdAt: now,
			lastUsedAt: null
		});
		const signedIn = { account: admin.account, session: admin.session };
		expect(await accounts.confirm(signedIn, '', { address: '10.0.0.1' })).toMatchObject({
			ok: true
		});
		now += 5 * MINUTE;
		expect(await accounts.confirm(signedIn, '', { address: '10.0.0.1' })).toMatchObject({
			ok: false,
			code: 'sign-in-again',
			message: 'Sign in again with your passkey first: this needs a sign-in in the last 5 minutes'
		});
		// Nor may it set a password (a way in that outlives the session) without one.
		expect(
			await accounts.changePassword(admin.account.id, '', 'new horse!', admin.session.id)
		).toMatchObject({ ok: false, code: 'sign-in-again' });
		expect((await accounts.account(admin.account.id))?.passwordHash).toBeNull();
		// Signed in again (by the passkey): it may.
		const again = await accounts.startSession(admin.account, 'Safari on iOS');
		expect(
			await accounts.changePassword(admin.account.id, '', 'new horse!', again.session.id)
		).toMatchObject({ ok: true });
	});

	it('with neither (links only): there is nothing to ask for', async () => {
		const admin = await firstAdmin();
		now += DAY;
		expect(
			await accounts.confirm({ account: admin.account, session: admin.session }, '', {
				address: '10.0.0.1'
			})
		).toMatchObject({ ok: true });
	});
});

describe('what anonymous requests leave in the store', () => {
	it('expired links and passkey challenges go when the next is written, and at the sweep', async () => {
		const passkeys = new Passkeys(accounts, storage.accounts, () => now);
		const party = { origin: 'http://localhost:3000', rpId: 'localhost' };
		for (let i = 0; i < 10; i++) await passkeys.signInOptions(party, `10.0.0.${i}`);
		const rows = async () => {
			let count = 0;
			for await (const batch of storage.accounts.exportAccounts()) {
				if (batch.kind === 'links') count += batch.rows.length;
			}
			return count;
		};
		expect(await rows()).toBe(10);
		now += 5 * MINUTE;
		await passkeys.signInOptions(party, '10.0.0.1');
		expect(await rows()).toBe(1);
		now += 5 * MINUTE;
		expect(await accounts.sweep()).toBeGreaterThanOrEqual(1);
		expect(await rows()).toBe(0);
	});

	it('sign-in challenges: so many a minute from one address', async () => {
		const passkeys = new Passkeys(accounts, storage.accounts, () => now);
		const party = { origin: 'http://localhost:3000', rpId: 'localhost' };
		for (let i = 0; i < CHALLENGES_PER_MINUTE; i++) {
			expect(await passkeys.signInOptions(party, '10.0.0.1')).toMatchObject({ ok: true });
		}
		expect(await passkeys.signInOptions(party, '10.0.0.1')).toMatchObject({
			ok: false,
			code: 'too-many-challenges',
			retryAfterS: 60
		});
		expect(await passkeys.signInOptions(party, '10.0.0.2')).toMatchObject({ ok: true });
		now += MINUTE;
		expect(await passkeys.signInOptions(party, '10.0.0.1')).toMatchObject({ ok: true });
	});

	it('old sign-in failures go at the sweep', async () => {
		for (let i = 0; i < 3; i++) await accounts.signIn(`Guess ${i}`, 'nope', '10.0.0.9', 'x');
		expect(await storage.accounts.failures('name:guess 0')).not.toBeNull();
		now += DAY + MINUTE;
		await accounts.sweep();
		expect(await storage.accounts.failures('name:guess 0')).toBeNull();
		expect(await storage.accounts.failures('address:10.0.0.9')).toBeNull();
	});
});

describe('what an admin does', () => {
	it('invites a host by a one-time link that works for a week', async () => {
		await firstAdmin();
		const invited = await accounts.invite('  Ms   Ortiz ', 'host');
		if (!invited.ok) throw new Error(invited.message);
		expect(invited.account.name).toBe('Ms Ortiz');
		expect(await accounts.invite('ms ortiz', 'host')).toMatchObject({
			ok: false,
			code: 'name-taken'
		});
		now += 8 * DAY;
		expect(await accounts.useLink(invited.token, 'x')).toMatchObject({
			ok: false,
			code: 'bad-link'
		});
	});

	it('disables a host: signed out everywhere at once, and no way back in until enabled', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		expect(await accounts.setDisabled(ben.account.id, true)).toMatchObject({ ok: true });
		expect(ended).toContain(ben.session.id);
		expect(await accounts.session(ben.token)).toBeNull();
		// The same answer as a wrong password: a guesser cannot tell they found it.
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toEqual(WRONG);
		await accounts.setDisabled(ben.account.id, false);
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			ok: true
		});
	});

	it('resets a host who lost their way in: password gone, sessions ended, a new link', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		const reset = await accounts.reset(ben.account.id);
		if (!reset.ok) throw new Error(reset.message);
		expect(await accounts.session(ben.token)).toBeNull();
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			code: 'wrong'
		});
		expect(await accounts.useLink(reset.token, 'x')).toMatchObject({
			ok: true,
			account: { id: ben.account.id }
		});
	});

	it('cannot take the last admin away, in any way', async () => {
		const admin = await firstAdmin();
		const id = admin.account.id;
		expect(await accounts.setRole(id, 'host')).toMatchObject({ code: 'last-admin' });
		expect(await accounts.setDisabled(id, true)).toMatchObject({ code: 'last-admin' });
		const ben = await host('Ben');
		await storage.saveQuiz(makeQuiz('admins'), now, id);
		expect(await accounts.remove(id, ben.account.id)).toMatchObject({ code: 'last-admin' });
		// Refused before anything was handed over.
		expect((await storage.getQuiz('admins'))!.ownerId).toBe(id);
		expect(await accounts.session(admin.token)).not.toBeNull();
	});

	it('deletes a host, handing their quizzes and reports to another, or deleting them', async () => {
		const admin = await firstAdmin();
		const ben = await host('Ben');
		const cy = await host('Cy');
		await storage.saveQuiz(makeQuiz('bens'), now, ben.account.id);
		await storage.saveQuiz(makeQuiz('cys'), now, cy.account.id);
		expect(await accounts.remove(ben.account.id, admin.account.id)).toMatchObject({ ok: true });
		expect((await storage.getQuiz('bens'))!.ownerId).toBe(admin.account.id);
		expect(ended).toContain(ben.session.id);
		expect(await accounts.remove(cy.account.id, null)).toMatchObject({ ok: true });
		expect(await storage.getQuiz('cys')).toBeNull();
		expect(await accounts.remove(admin.account.id, admin.account.id)).toMatchObject({
			code: 'bad-heir'
		});
	});

	it('deletes a host’s games in progress with them: handed to the heir, or ended', async () => {
		const admin = await firstAdmin();
		const removed: [string, string | null][] = [];
		accounts = new AccountService({
			storage,
			now: () => now,
			passwordParams: CHEAP,
			onAccountRemoved: async (id, heir) => {
				removed.push([id, heir]);
				return 2;
			}
		});
		const ben = await host('Ben');
		const cy = await host('Cy');
		expect(await accounts.remove(ben.account.id, admin.account.id)).toMatchObject({
			ok: true,
			games: 2
		});
		expect(await accounts.remove(cy.account.id, null)).toMatchObject({ ok: true });
		// Refused: nothing of the games changes.
		expect(await accounts.remove(admin.account.id, null)).toMatchObject({ code: 'last-admin' });
		expect(removed).toEqual([
			[ben.account.id, admin.account.id],
			[cy.account.id, null]
		]);
	});
});

describe('names', () => {
	it('are trimmed, and refused when empty, too long or holding invisible characters', () => {
		expect(cleanName('  Ana \t Ortiz ')).toEqual({ ok: true, name: 'Ana Ortiz' });
		expect(cleanName('   ')).toMatchObject({ ok: false, code: 'bad-name' });
		expect(cleanName('x'.repeat(61))).toMatchObject({ ok: false });
		expect(cleanName('Ana\u200bOrtiz')).toMatchObject({ ok: false });
		expect(cleanName('أحمد')).toEqual({ ok: true, name: 'أحمد' });
	});

	it('keep the joiners real names need, and count characters as people see them', () => {
		// A teacher emoji, a rainbow flag, a Persian name with its zero-width non-joiner.
		for (const name of ['👩\u200d🏫 Teacher', '🏳️\u200d🌈 Pride Club', 'علی\u200cرضا رضایی']) {
			expect(cleanName(name)).toEqual({ ok: true, name });
		}
		// A family emoji is one character, not seven code points.
		const family = '👨\u200d👩\u200d👧\u200d👦';
		expect(cleanName(`${family} ${'x'.repeat(58)}`)).toMatchObject({ ok: true });
		expect(cleanName('\u200dAna')).toMatchObject({ ok: false, code: 'bad-name' });
	});
});
