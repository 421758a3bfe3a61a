import { beforeEach, describe, expect, it } from 'vitest';
import { makeGame, makeQuiz } from '../../testing/quiz-fixtures.ts';
import { MemoryStorage } from '../storage/memory.ts';
import { AccountService, cleanName, type NewSession } from './account-service.ts';
import { hashPassword } from './passwords.ts';

/** Cheap hashes: the rules are the same at any cost. */
const CHEAP = { logN: 10, r: 8, p: 1 };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let now: number;
let storage: MemoryStorage;
let accounts: AccountService;
let ended: string[];

function service(issuer = 'node-1'): AccountService {
	return new AccountService({
		storage,
		now: () => now,
		issuer,
		passwordParams: CHEAP,
		onSessionsEnded: (ids) => ended.push(...ids)
	});
}

beforeEach(() => {
	now = 1_000_000_000_000;
	storage = new MemoryStorage();
	ended = [];
	accounts = service();
});

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
		expect(wrong).toEqual({ ok: false, code: 'wrong', message: 'Wrong name or password' });
	});

	it('back off after five wrong tries for a name, doubling the wait, and a right one then resets', async () => {
		await firstAdmin();
		await host('Ben');
		for (let i = 0; i < 5; i++) {
			expect(await accounts.signIn('Ben', 'nope', '10.0.0.1', 'x')).toMatchObject({
				code: 'wrong'
			});
		}
		// Now even the right password waits: a guesser learns nothing by trying it.
		const waiting = await accounts.signIn('Ben', 'correct horse', '10.0.0.2', 'x');
		expect(waiting).toMatchObject({ ok: false, code: 'wait', retryAfterS: 1 });
		expect(waiting.ok || waiting.message).toBe('Too many wrong tries: try again in 1 s');
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

	it('back off an address trying many names only after fifty tries, so a school is not locked out', async () => {
		await firstAdmin();
		await host('Ben');
		for (let i = 0; i < 50; i++) await accounts.signIn(`Guess ${i}`, 'nope', '10.0.0.9', 'x');
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.9', 'x')).toMatchObject({
			code: 'wait'
		});
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.10', 'x')).toMatchObject({
			ok: true
		});
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
		).toMatchObject({ ok: true });
		expect(await accounts.session(elsewhere.token)).toBeNull();
		expect(await accounts.session(ben.token)).not.toBeNull();
		expect(await accounts.signIn('Ben', 'new horse!', '10.0.0.1', 'x')).toMatchObject({ ok: true });
	});

	it('can be removed only when a passkey can still sign the host in', async () => {
		await firstAdmin();
		const ben = await host('Ben');
		expect(await accounts.removePassword(ben.account.id)).toMatchObject({ code: 'only-way-in' });
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
		expect(await accounts.signIn('Ben', 'correct horse', '10.0.0.1', 'x')).toMatchObject({
			code: 'disabled'
		});
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
});

describe('names', () => {
	it('are trimmed, and refused when empty, too long or holding invisible characters', () => {
		expect(cleanName('  Ana \t Ortiz ')).toEqual({ ok: true, name: 'Ana Ortiz' });
		expect(cleanName('   ')).toMatchObject({ ok: false, code: 'bad-name' });
		expect(cleanName('x'.repeat(61))).toMatchObject({ ok: false });
		expect(cleanName('Ana\u200bOrtiz')).toMatchObject({ ok: false });
		expect(cleanName('أحمد')).toEqual({ ok: true, name: 'أحمد' });
	});
});
