/**
 * The accounts half of the Storage contract, and who owns what, run against memory, SQLite
 * and Redis alike (a real redis-server, started for this file).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startRedis, type RedisInstance } from '../../../../scripts/cluster/redis-server.ts';
import { makeGame, makeQuiz, PNG } from '../../testing/quiz-fixtures.ts';
import { storeForEachTest, storeHarnesses } from '../../testing/stores.ts';
import {
	LastAdminError,
	NameTakenError,
	type Account,
	type AccountBatch,
	type AccountSession,
	type OneTimeToken,
	type Passkey,
	type TryRule
} from './accounts.ts';
import { EVERYONE, type Storage, type Viewer } from './storage.ts';

let redis: RedisInstance;
beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	await redis?.stop();
});

function account(id: string, patch: Partial<Account> = {}): Account {
	return {
		id,
		name: `Host ${id}`,
		role: 'host',
		passwordHash: null,
		disabled: false,
		createdAt: 1_000,
		lastSignInAt: null,
		...patch
	};
}

function session(
	id: string,
	accountId: string,
	patch: Partial<AccountSession> = {}
): AccountSession {
	return {
		id,
		accountId,
		createdAt: 1_000,
		lastSeenAt: 1_000,
		expiresAt: 100_000,
		device: 'Firefox on Linux',
		...patch
	};
}

function token(id: string, patch: Partial<OneTimeToken> = {}): OneTimeToken {
	return {
		id,
		kind: 'invite',
		accountId: null,
		createdAt: 1_000,
		expiresAt: 100_000,
		issuer: null,
		...patch
	};
}

function passkey(id: string, accountId: string, createdAt = 1_000): Passkey {
	return {
		id,
		accountId,
		publicKey: new Uint8Array([1, 2, 3, 250]),
		counter: 0,
		transports: ['internal', 'hybrid'],
		createdAt,
		lastUsedAt: null
	};
}

const as = (accountId: string, everything = false): Viewer => ({ accountId, everything });

describe.each(
	storeHarnesses(
		() => redis.url,
		() => inject('postgresUrl')
	)
)('Accounts contract: $name', ({ harness }) => {
	let storage: Storage;
	storeForEachTest(harness, (opened) => (storage = opened));

	describe('accounts', () => {
		it('keeps an account and finds it by its name, however it is typed', async () => {
			const ana = account('a1', { name: 'Ana Ortiz', passwordHash: 'scrypt$x', lastSignInAt: 5 });
			await storage.accounts.createAccount(ana);
			expect(await storage.accounts.getAccount('a1')).toStrictEqual(ana);
			// Case, accents, width and a Cyrillic "А" that looks Latin are the same name.
			for (const typed of [
				'ana ortiz',
				'  ANA   ORTIZ ',
				'Aná Ortiz',
				'Ａｎａ Ortiz',
				'Аna Ortiz'
			]) {
				expect(await storage.accounts.findAccountByName(typed)).toStrictEqual(ana);
			}
			expect(await storage.accounts.findAccountByName('Ana')).toBeNull();
			expect(await storage.accounts.getAccount('nobody')).toBeNull();
		});

		it('lists accounts oldest first', async () => {
			await storage.accounts.createAccount(account('b', { createdAt: 2_000 }));
			await storage.accounts.createAccount(account('a', { createdAt: 3_000 }));
			await storage.accounts.createAccount(account('c', { createdAt: 1_000 }));
			expect((await storage.accounts.listAccounts()).map((a) => a.id)).toEqual(['c', 'b', 'a']);
		});

		it('refuses a name someone has, on create and on rename, naming whose it is', async () => {
			await storage.accounts.createAccount(account('a1', { name: 'Ana' }));
			await storage.accounts.createAccount(account('b1', { name: 'Ben' }));
			await expect(storage.accounts.createAccount(account('x', { name: 'ANA' }))).rejects.toThrow(
				'There is already an account called "Ana"'
			);
			await expect(storage.accounts.updateAccount('b1', { name: 'ana' })).rejects.toMatchObject({
				name: 'NameTakenError'
			});
			expect((await storage.accounts.getAccount('b1'))!.name).toBe('Ben');
			// A new name frees the old one; the account's own name in another case is fine.
			expect(await storage.accounts.updateAccount('b1', { name: 'Benedict' })).toMatchObject({
				name: 'Benedict'
			});
			await storage.accounts.createAccount(account('c1', { name: 'Ben' }));
			expect(await storage.accounts.updateAccount('a1', { name: 'ANA' })).toMatchObject({
				name: 'ANA'
			});
			expect(await storage.accounts.findAccountByName('benedict')).toMatchObject({ id: 'b1' });
		});

		it('patches only the fields given; null clears a password', async () => {
			await storage.accounts.createAccount(account('a1', { passwordHash: 'scrypt$old' }));
			const updated = await storage.accounts.updateAccount('a1', {
				passwordHash: null,
				lastSignInAt: 9_000,
				name: undefined
			});
			expect(updated).toStrictEqual(account('a1', { passwordHash: null, lastSignInAt: 9_000 }));
			expect(await storage.accounts.getAccount('a1')).toStrictEqual(updated);
			expect(await storage.accounts.updateAccount('nobody', { disabled: true })).toBeNull();
		});

		it('never leaves the server without an enabled admin', async () => {
			await storage.accounts.createAccount(account('boss', { role: 'admin' }));
			await storage.accounts.createAccount(account('host'));
			for (const patch of [{ role: 'host' as const }, { disabled: true }]) {
				await expect(storage.accounts.updateAccount('boss', patch)).rejects.toMatchObject({
					name: 'LastAdminError'
				});
			}
			await expect(storage.accounts.deleteAccount('boss')).rejects.toMatchObject({
				name: 'LastAdminError'
			});
			expect(await storage.accounts.getAccount('boss')).toMatchObject({
				role: 'admin',
				disabled: false
			});
			// With a second admin, either may go; a disabled admin does not count.
			await storage.accounts.updateAccount('host', { role: 'admin' });
			await storage.accounts.updateAccount('host', { disabled: true });
			await expect(storage.accounts.deleteAccount('boss')).rejects.toMatchObject({
				name: 'LastAdminError'
			});
			await storage.accounts.updateAccount('host', { disabled: false });
			expect(await storage.accounts.updateAccount('boss', { role: 'host' })).toMatchObject({
				role: 'host'
			});
			expect(await storage.accounts.deleteAccount('boss')).toBe(true);
			expect(await storage.accounts.deleteAccount('boss')).toBe(false);
		});

		it('deletes an account with its sessions, links and passkeys', async () => {
			await storage.accounts.createAccount(account('a1'));
			await storage.accounts.createAccount(account('b1'));
			await storage.accounts.createSession(session('s-a', 'a1'));
			await storage.accounts.createSession(session('s-b', 'b1'));
			await storage.accounts.saveToken(token('t-a', { accountId: 'a1' }));
			await storage.accounts.addPasskey(passkey('k-a', 'a1'));
			expect(await storage.accounts.deleteAccount('a1')).toBe(true);
			expect(await storage.accounts.getSession('s-a')).toBeNull();
			expect(await storage.accounts.peekToken('t-a', 2_000)).toBeNull();
			expect(await storage.accounts.getPasskey('k-a')).toBeNull();
			expect(await storage.accounts.getSession('s-b')).not.toBeNull();
			expect(await storage.accounts.findAccountByName('Host a1')).toBeNull();
		});
	});

	describe('sessions', () => {
		beforeEach(async () => {
			await storage.accounts.createAccount(account('a1'));
		});

		it('keeps a session, moves its last-seen, and ends it', async () => {
			await storage.accounts.createSession(session('s1', 'a1'));
			await storage.accounts.touchSession('s1', 7_000);
			expect(await storage.accounts.getSession('s1')).toStrictEqual(
				session('s1', 'a1', { lastSeenAt: 7_000 })
			);
			await storage.accounts.deleteSession('s1');
			expect(await storage.accounts.getSession('s1')).toBeNull();
			// A late touch does not bring an ended session back.
			await storage.accounts.touchSession('s1', 8_000);
			expect(await storage.accounts.getSession('s1')).toBeNull();
		});

		it('ends every session of an account but the one kept, and says which', async () => {
			await storage.accounts.createAccount(account('b1'));
			for (const id of ['s1', 's2', 's3']) await storage.accounts.createSession(session(id, 'a1'));
			await storage.accounts.createSession(session('other', 'b1'));
			expect((await storage.accounts.deleteSessionsOf('a1', 's2')).sort()).toEqual(['s1', 's3']);
			expect(await storage.accounts.getSession('s2')).not.toBeNull();
			expect(await storage.accounts.getSession('other')).not.toBeNull();
			expect(await storage.accounts.deleteSessionsOf('a1')).toEqual(['s2']);
		});

		it('lists the living sessions of an account, newest first', async () => {
			await storage.accounts.createSession(session('old', 'a1', { createdAt: 1_000 }));
			await storage.accounts.createSession(session('new', 'a1', { createdAt: 3_000 }));
			await storage.accounts.createSession(
				session('gone', 'a1', { createdAt: 2_000, expiresAt: 5_000 })
			);
			const listed = await storage.accounts.listSessionsOf('a1', 6_000);
			expect(listed.map((s) => s.id)).toEqual(['new', 'old']);
		});
	});

	describe('one-time links', () => {
		it('can be looked at without using them, then used exactly once', async () => {
			const invite = token('t1', { accountId: null, kind: 'setup', issuer: 'node-1' });
			await storage.accounts.saveToken(invite);
			expect(await storage.accounts.peekToken('t1', 2_000)).toStrictEqual(invite);
			expect(await storage.accounts.peekToken('t1', 2_000)).toStrictEqual(invite);
			expect(await storage.accounts.takeToken('t1', 2_000)).toStrictEqual(invite);
			expect(await storage.accounts.takeToken('t1', 2_000)).toBeNull();
			expect(await storage.accounts.peekToken('t1', 2_000)).toBeNull();
		});

		it('gives a link to one of many asking at once', async () => {
			await storage.accounts.saveToken(token('t1'));
			const taken = await Promise.all(
				Array.from({ length: 8 }, () => storage.accounts.takeToken('t1', 2_000))
			);
			expect(taken.filter((got) => got !== null)).toHaveLength(1);
		});

		it('deletes the expired ones when the next is written, and at the sweep', async () => {
			const links = async () => {
				const ids: string[] = [];
				for await (const batch of storage.accounts.exportAccounts()) {
					if (batch.kind === 'links') ids.push(...batch.rows.map((row) => row.id));
				}
				return ids.sort();
			};
			await storage.accounts.saveToken(token('c1', { kind: 'challenge', expiresAt: 5_000 }));
			await storage.accounts.saveToken(token('c2', { kind: 'challenge', expiresAt: 9_000 }));
			await storage.accounts.saveToken(token('t1', { expiresAt: 100_000 }));
			expect(await links()).toEqual(['c1', 'c2', 't1']);
			await storage.accounts.saveToken(token('c3', { kind: 'challenge', createdAt: 6_000 }));
			expect(await links()).toEqual(['c2', 'c3', 't1']);
			expect(await storage.accounts.deleteExpired(10_000, 0)).toBe(1);
			expect(await links()).toEqual(['c3', 't1']);
		});

		it('refuses a link past its end', async () => {
			await storage.accounts.saveToken(token('t1', { expiresAt: 5_000 }));
			expect(await storage.accounts.peekToken('t1', 5_000)).toBeNull();
			expect(await storage.accounts.takeToken('t1', 5_001)).toBeNull();
		});

		it('deletes links by kind, account and issuer', async () => {
			await storage.accounts.createAccount(account('a1'));
			await storage.accounts.saveToken(token('setup-1', { kind: 'setup', issuer: 'n1' }));
			await storage.accounts.saveToken(token('setup-2', { kind: 'setup', issuer: 'n2' }));
			await storage.accounts.saveToken(token('invite-a', { accountId: 'a1' }));
			await storage.accounts.saveToken(token('link-a', { kind: 'sign-in', accountId: 'a1' }));
			await storage.accounts.deleteTokens({ kind: 'setup', issuer: 'n1' });
			const left = async () => {
				const ids = ['setup-1', 'setup-2', 'invite-a', 'link-a'];
				const found = await Promise.all(ids.map((id) => storage.accounts.peekToken(id, 2_000)));
				return ids.filter((_, i) => found[i] !== null);
			};
			expect(await left()).toEqual(['setup-2', 'invite-a', 'link-a']);
			await storage.accounts.deleteTokens({ accountId: 'a1' });
			expect(await left()).toEqual(['setup-2']);
			await storage.accounts.deleteTokens({ kind: 'setup' });
			expect(await left()).toEqual([]);
		});
	});

	describe('passkeys', () => {
		beforeEach(async () => {
			await storage.accounts.createAccount(account('a1'));
			await storage.accounts.createAccount(account('b1'));
		});

		it('keeps a passkey byte for byte, lists an account’s oldest first, and counts its uses', async () => {
			await storage.accounts.addPasskey(passkey('k2', 'a1', 2_000));
			await storage.accounts.addPasskey(passkey('k1', 'a1', 1_000));
			await storage.accounts.addPasskey(passkey('kb', 'b1'));
			expect(await storage.accounts.getPasskey('k1')).toStrictEqual(passkey('k1', 'a1', 1_000));
			expect((await storage.accounts.listPasskeys('a1')).map((p) => p.id)).toEqual(['k1', 'k2']);
			await storage.accounts.usedPasskey('k1', 7, 9_000);
			expect(await storage.accounts.getPasskey('k1')).toMatchObject({
				counter: 7,
				lastUsedAt: 9_000
			});
		});

		it('lets only its own account remove a passkey', async () => {
			await storage.accounts.addPasskey(passkey('k1', 'a1'));
			expect(await storage.accounts.deletePasskey('b1', 'k1')).toBe(false);
			expect(await storage.accounts.getPasskey('k1')).not.toBeNull();
			expect(await storage.accounts.deletePasskey('a1', 'k1')).toBe(true);
			expect(await storage.accounts.listPasskeys('a1')).toEqual([]);
		});
	});

	describe('failed sign-ins', () => {
		it('counts failures per key, forgets them after a while, and clears them', async () => {
			expect(await storage.accounts.failures('name:ana')).toBeNull();
			expect(await storage.accounts.noteFailure('name:ana', 1_000, 60_000)).toEqual({
				count: 1,
				lastAt: 1_000
			});
			expect(await storage.accounts.noteFailure('name:ana', 2_000, 60_000)).toEqual({
				count: 2,
				lastAt: 2_000
			});
			expect(await storage.accounts.failures('name:ana')).toEqual({ count: 2, lastAt: 2_000 });
			// Long after the last one, the count starts over.
			expect(await storage.accounts.noteFailure('name:ana', 70_000, 60_000)).toEqual({
				count: 1,
				lastAt: 70_000
			});
			await storage.accounts.clearFailures('name:ana');
			expect(await storage.accounts.failures('name:ana')).toBeNull();
		});

		/** The back-off's rule in small: two tries free, then none until a minute after the last. */
		const rule = (key: string, now: number): TryRule => ({
			key,
			forgetAfterMs: 600_000,
			waitMs: (failures) =>
				failures && failures.count >= 2 ? Math.max(0, failures.lastAt + 60_000 - now) : 0
		});

		it('counts a try before it is checked, in one step: of many at once, only the free ones go', async () => {
			const rules = [rule('at:10.0.0.1:name:ana', 1_000), rule('name:ana', 1_000)];
			const waits = await Promise.all(
				Array.from({ length: 12 }, () => storage.accounts.takeTry(rules, 1_000))
			);
			expect(waits.filter((wait) => wait === 0)).toHaveLength(2);
			expect(waits.filter((wait) => wait === 60_000)).toHaveLength(10);
			// Both keys counted the two, and none of the refused.
			expect(await storage.accounts.failures('name:ana')).toEqual({ count: 2, lastAt: 1_000 });
			expect(await storage.accounts.failures('at:10.0.0.1:name:ana')).toEqual({
				count: 2,
				lastAt: 1_000
			});
		});

		it('counts nothing under any key when one of them must wait', async () => {
			await storage.accounts.noteFailure('name:ben', 1_000, 600_000);
			await storage.accounts.noteFailure('name:ben', 1_000, 600_000);
			const wait = await storage.accounts.takeTry(
				[rule('at:10.0.0.2:name:ben', 2_000), rule('name:ben', 2_000)],
				2_000
			);
			expect(wait).toBe(59_000);
			expect(await storage.accounts.failures('at:10.0.0.2:name:ben')).toBeNull();
			expect(await storage.accounts.failures('name:ben')).toEqual({ count: 2, lastAt: 1_000 });
			// A minute after the last, the next try goes and is counted.
			expect(await storage.accounts.takeTry([rule('name:ben', 61_000)], 61_000)).toBe(0);
			expect(await storage.accounts.failures('name:ben')).toEqual({ count: 3, lastAt: 61_000 });
		});

		it('forgets failures not added to for long, and sessions past their end, at the sweep', async () => {
			await storage.accounts.createAccount(account('a1'));
			await storage.accounts.createSession(session('s-old', 'a1', { expiresAt: 5_000 }));
			await storage.accounts.createSession(session('s-new', 'a1', { expiresAt: 50_000 }));
			await storage.accounts.noteFailure('name:old', 1_000, 600_000);
			await storage.accounts.noteFailure('name:new', 9_000, 600_000);
			expect(await storage.accounts.deleteExpired(6_000, 5_000)).toBe(2);
			expect(await storage.accounts.failures('name:old')).toBeNull();
			expect(await storage.accounts.failures('name:new')).not.toBeNull();
			expect(await storage.accounts.getSession('s-old')).toBeNull();
			expect(await storage.accounts.getSession('s-new')).not.toBeNull();
		});
	});

	describe('owners and shares', () => {
		beforeEach(async () => {
			await storage.accounts.createAccount(account('ana'));
			await storage.accounts.createAccount(account('ben'));
			await storage.accounts.createAccount(account('cy'));
		});

		const ids = async (viewer: Viewer, search?: string) =>
			(await storage.listQuizzes({ viewer, search })).map((item) => `${item.id}:${item.access}`);

		it('shows each host their own quizzes and what is shared with them', async () => {
			await storage.saveQuiz(makeQuiz('ana-1', 'Rivers'), 1_000, 'ana');
			await storage.saveQuiz(makeQuiz('ana-2', 'Mountains'), 2_000, 'ana');
			await storage.saveQuiz(makeQuiz('ben-1', 'Rivers of Spain'), 3_000, 'ben');
			await storage.shareQuiz('ana-1', 'ben', 'use');
			await storage.shareQuiz('ana-2', 'ben', 'edit');
			expect(await ids(as('ana'))).toEqual(['ana-2:owner', 'ana-1:owner']);
			expect(await ids(as('ben'))).toEqual(['ben-1:owner', 'ana-2:edit', 'ana-1:use']);
			expect(await ids(as('ben'), 'rivers')).toEqual(['ben-1:owner', 'ana-1:use']);
			expect(await ids(as('cy'))).toEqual([]);
			// An admin sees every quiz, and may edit those of others.
			expect(await ids(as('cy', true))).toEqual(['ben-1:edit', 'ana-2:edit', 'ana-1:edit']);
			// Without a viewer (the server itself): everything.
			expect((await storage.listQuizzes()).map((item) => item.id)).toEqual([
				'ben-1',
				'ana-2',
				'ana-1'
			]);
			expect((await storage.listQuizzes({ viewer: as('ben') }))[2]).toMatchObject({
				id: 'ana-1',
				ownerId: 'ana'
			});
		});

		it('pages what a host may see, not every quiz', async () => {
			for (let n = 0; n < 6; n++) {
				const owner = n % 2 === 0 ? 'ana' : 'ben';
				await storage.saveQuiz(makeQuiz(`q${n}`), 1_000 + n, owner);
			}
			await storage.shareQuiz('q1', 'ana', 'use');
			const first = await storage.listQuizzes({ viewer: as('ana'), limit: 2 });
			expect(first.map((item) => `${item.id}:${item.access}`)).toEqual(['q4:owner', 'q2:owner']);
			const last = first.at(-1)!;
			const second = await storage.listQuizzes({
				viewer: as('ana'),
				limit: 2,
				after: { updatedAt: last.updatedAt, id: last.id }
			});
			expect(second.map((item) => `${item.id}:${item.access}`)).toEqual(['q1:use', 'q0:owner']);
		});

		it('takes the better of a share with the host and one with everyone', async () => {
			await storage.saveQuiz(makeQuiz('q'), 1_000, 'ana');
			await storage.shareQuiz('q', EVERYONE, 'use');
			expect(await storage.quizAccess('q', as('cy'))).toBe('use');
			await storage.shareQuiz('q', 'cy', 'edit');
			expect(await storage.quizAccess('q', as('cy'))).toBe('edit');
			expect(await storage.quizAccess('q', as('ben'))).toBe('use');
			expect(await storage.quizAccess('q', as('ana'))).toBe('owner');
			expect(await storage.quizAccess('missing', as('ana'))).toBeNull();
			await storage.shareQuiz('q', EVERYONE, null);
			expect(await storage.quizAccess('q', as('ben'))).toBeNull();
		});

		it('keeps shares in the order made; a changed level keeps its place', async () => {
			await storage.saveQuiz(makeQuiz('q'), 1_000, 'ana');
			await storage.shareQuiz('q', 'ben', 'use');
			await storage.shareQuiz('q', EVERYONE, 'use');
			await storage.shareQuiz('q', 'cy', 'edit');
			await storage.shareQuiz('q', 'ben', 'edit');
			expect(await storage.quizShares('q')).toEqual([
				{ grantee: 'ben', level: 'edit' },
				{ grantee: EVERYONE, level: 'use' },
				{ grantee: 'cy', level: 'edit' }
			]);
			await storage.shareQuiz('q', EVERYONE, null);
			await storage.shareQuiz('q', 'ana-friend', 'use');
			expect((await storage.quizShares('q')).map((share) => share.grantee)).toEqual([
				'ben',
				'cy',
				'ana-friend'
			]);
			// A quiz that is not there shares nothing; a deleted quiz's shares go with it.
			await storage.shareQuiz('missing', 'ben', 'use');
			expect(await storage.quizShares('missing')).toEqual([]);
			await storage.deleteQuiz('q');
			await storage.saveQuiz(makeQuiz('q'), 2_000, 'ben');
			expect(await storage.quizShares('q')).toEqual([]);
		});

		it('keeps a quiz’s owner when it is saved again, by whoever may edit it', async () => {
			await storage.saveQuiz(makeQuiz('q'), 1_000, 'ana');
			await storage.shareQuiz('q', 'ben', 'edit');
			const saved = await storage.saveQuiz(makeQuiz('q', 'Edited by Ben'), 2_000, 'ben');
			expect(saved.ownerId).toBe('ana');
			expect((await storage.getQuiz('q'))!.ownerId).toBe('ana');
		});

		it('seeds the samples for everyone to use, owned by nobody until the first admin adopts them', async () => {
			await storage.seedSamples([makeQuiz('sample')], 1_000);
			expect((await storage.getQuiz('sample'))!.ownerId).toBeNull();
			expect(await storage.quizShares('sample')).toEqual([{ grantee: EVERYONE, level: 'use' }]);
			expect(await ids(as('ben'))).toEqual(['sample:use']);
			await storage.saveGame({ ...makeGame('old-game'), hostId: null });
			const image = await storage.saveImage(PNG, 'image/png');
			await storage.adoptOrphans('ana');
			expect((await storage.getQuiz('sample'))!.ownerId).toBe('ana');
			expect(await ids(as('ana'))).toEqual(['sample:owner']);
			expect(await ids(as('ben'))).toEqual(['sample:use']);
			expect((await storage.getGame('old-game'))!.hostId).toBe('ana');
			expect(await storage.ownedCounts('ana')).toEqual({ quizzes: 1, reports: 1, images: 1 });
			// What already has an owner keeps it.
			await storage.adoptOrphans('ben');
			expect((await storage.getQuiz('sample'))!.ownerId).toBe('ana');
			expect(await storage.hasImage(image)).toBe(true);
		});

		it('lists reports to the host of each game, and all of them to an admin', async () => {
			await storage.saveGame({ ...makeGame('g-ana', 1_000), hostId: 'ana' });
			await storage.saveGame({ ...makeGame('g-ben', 2_000), hostId: 'ben' });
			expect((await storage.listGames(as('ana'))).map((game) => game.id)).toEqual(['g-ana']);
			expect((await storage.listGames(as('cy'))).map((game) => game.id)).toEqual([]);
			expect((await storage.listGames(as('cy', true))).map((game) => game.id)).toEqual([
				'g-ben',
				'g-ana'
			]);
			expect((await storage.listGames())[0]).toMatchObject({ id: 'g-ben', hostId: 'ben' });
			expect((await storage.getGame('g-ben'))!.hostId).toBe('ben');
		});

		it('hands a leaving host’s quizzes, pictures and reports to another', async () => {
			await storage.saveQuiz(makeQuiz('ana-q'), 1_000, 'ana');
			await storage.saveQuiz(makeQuiz('ben-q'), 1_000, 'ben');
			await storage.shareQuiz('ana-q', 'ben', 'use');
			await storage.shareQuiz('ben-q', 'ana', 'edit');
			await storage.saveGame({ ...makeGame('g-ana'), hostId: 'ana' });
			await storage.saveImage(PNG, 'image/png', 'ana');
			await storage.handOver('ana', 'ben');
			expect((await storage.getQuiz('ana-q'))!.ownerId).toBe('ben');
			// Shared with the new owner: no share left to say so; shares to the old one are gone.
			expect(await storage.quizShares('ana-q')).toEqual([]);
			expect(await storage.quizShares('ben-q')).toEqual([]);
			expect((await storage.getGame('g-ana'))!.hostId).toBe('ben');
			expect(await storage.ownedCounts('ben')).toEqual({ quizzes: 2, reports: 1, images: 1 });
			expect(await storage.ownedCounts('ana')).toEqual({ quizzes: 0, reports: 0, images: 0 });
		});

		it('deletes a leaving host’s quizzes and reports when nobody takes them', async () => {
			await storage.saveQuiz(makeQuiz('ana-q'), 1_000, 'ana');
			await storage.saveQuiz(makeQuiz('ben-q'), 1_000, 'ben');
			await storage.shareQuiz('ben-q', 'ana', 'use');
			await storage.saveGame({ ...makeGame('g-ana'), hostId: 'ana' });
			await storage.saveGame({ ...makeGame('g-ben'), hostId: 'ben' });
			const image = await storage.saveImage(PNG, 'image/png', 'ana');
			await storage.deleteOwnedBy('ana');
			expect(await storage.getQuiz('ana-q')).toBeNull();
			expect(await storage.getGame('g-ana')).toBeNull();
			expect(await storage.quizShares('ben-q')).toEqual([]);
			expect(await storage.getGame('g-ben')).not.toBeNull();
			// Pictures are content-addressed and may be in other quizzes: the sweep decides.
			expect(await storage.hasImage(image)).toBe(true);
			expect(await storage.ownedCounts('ana')).toEqual({ quizzes: 0, reports: 0, images: 0 });
		});
	});
});

// ---------------------------------------------------------------------------------------------
// The accounts as rows (npm run migrate): what one store exports, another takes in as it is

describe.each(
	storeHarnesses(
		() => redis.url,
		() => inject('postgresUrl')
	)
)('Accounts export and import: $name', ({ harness }) => {
	let storage: Storage;
	storeForEachTest(harness, (opened) => (storage = opened));
	let other: { setup: ReturnType<typeof harness>; storage: Storage } | null = null;
	afterEach(async () => {
		await other?.storage.close();
		await other?.setup.cleanup();
		other = null;
	});
	async function another(): Promise<Storage> {
		const setup = harness();
		other = { setup, storage: await setup.open() };
		return other.storage;
	}
	async function exported(from: Storage): Promise<AccountBatch[]> {
		const batches: AccountBatch[] = [];
		for await (const batch of from.accounts.exportAccounts()) batches.push(batch);
		return batches;
	}

	beforeEach(async () => {
		await storage.accounts.createAccount(
			account('acc-b', { role: 'admin', passwordHash: 'scrypt$x', lastSignInAt: 5_000 })
		);
		await storage.accounts.createAccount(account('acc-a', { disabled: true, createdAt: 2_000 }));
		await storage.accounts.createSession(session('s-2', 'acc-b'));
		await storage.accounts.createSession(session('s-1', 'acc-a', { device: '' }));
		await storage.accounts.saveToken(token('t-invite', { accountId: 'acc-a' }));
		await storage.accounts.saveToken(token('t-setup', { kind: 'setup', issuer: 'node-1' }));
		await storage.accounts.addPasskey(passkey('pk-1', 'acc-b'));
		await storage.accounts.usedPasskey('pk-1', 12, 7_000);
		await storage.accounts.noteFailure('name:x', 1_000, 60_000);
	});

	it('exports every account, session, link and passkey as stored, accounts first', async () => {
		const batches = await exported(storage);
		expect(batches.map((batch) => batch.kind)).toEqual([
			'accounts',
			'sessions',
			'links',
			'passkeys'
		]);
		const rows = Object.fromEntries(batches.map((batch) => [batch.kind, batch.rows]));
		expect(rows.accounts).toStrictEqual([
			account('acc-a', { disabled: true, createdAt: 2_000 }),
			account('acc-b', { role: 'admin', passwordHash: 'scrypt$x', lastSignInAt: 5_000 })
		]);
		expect(rows.sessions).toStrictEqual([
			session('s-1', 'acc-a', { device: '' }),
			session('s-2', 'acc-b')
		]);
		expect(rows.links).toStrictEqual([
			token('t-invite', { accountId: 'acc-a' }),
			token('t-setup', { kind: 'setup', issuer: 'node-1' })
		]);
		expect(rows.passkeys).toStrictEqual([
			{ ...passkey('pk-1', 'acc-b'), counter: 12, lastUsedAt: 7_000 }
		]);
	});

	it('takes in what it exported: the same sign-ins work in the copy', async () => {
		const batches = await exported(storage);
		const copy = await another();
		for (const batch of batches) await copy.accounts.importAccounts(batch);
		expect(await exported(copy)).toStrictEqual(batches);
		expect((await copy.accounts.findAccountByName('HOST ACC-B'))!.passwordHash).toBe('scrypt$x');
		expect(await copy.accounts.getSession('s-2')).toStrictEqual(session('s-2', 'acc-b'));
		expect(await copy.accounts.listSessionsOf('acc-b', 2_000)).toHaveLength(1);
		expect((await copy.accounts.takeToken('t-invite', 2_000))!.accountId).toBe('acc-a');
		expect(await copy.accounts.listPasskeys('acc-b')).toHaveLength(1);
		// The names are held, and the last admin kept, as in the original.
		await expect(
			copy.accounts.createAccount(account('acc-c', { name: 'host ACC-A' }))
		).rejects.toThrow(NameTakenError);
		await expect(copy.accounts.deleteAccount('acc-b')).rejects.toThrow(LastAdminError);
		// Failed sign-ins are a back-off that forgets in minutes, not part of the record.
		expect(await copy.accounts.failures('name:x')).toBeNull();
	});

	it('replaces an account already there whole, its old name freed', async () => {
		await storage.accounts.importAccounts({
			kind: 'accounts',
			rows: [account('acc-a', { name: 'Renamed', createdAt: 2_000 })]
		});
		expect(await storage.accounts.getAccount('acc-a')).toStrictEqual(
			account('acc-a', { name: 'Renamed', createdAt: 2_000 })
		);
		expect(await storage.accounts.findAccountByName('Host acc-a')).toBeNull();
		await storage.accounts.createAccount(account('acc-new', { name: 'Host acc-a' }));
		// Its sessions stay: replacing an account is not deleting it.
		expect(await storage.accounts.getSession('s-1')).not.toBeNull();
	});

	it('refuses an account whose name another account holds', async () => {
		await expect(
			storage.accounts.importAccounts({
				kind: 'accounts',
				rows: [account('acc-z', { name: 'HOST ACC-B' })]
			})
		).rejects.toThrow(NameTakenError);
		expect(await storage.accounts.getAccount('acc-z')).toBeNull();
	});
});
