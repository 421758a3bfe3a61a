/**
 * Who the hosts are and what signs them in: the first admin's setup link, invitations and
 * one-time sign-in links, password sign-in with back-off, server-side sessions with an idle
 * and an absolute end, and what an admin does to accounts. Players never come here.
 *
 * Every rule about time takes `now` from the injected clock, so the tests move it by hand.
 */
import { nanoid } from 'nanoid';
import type { Result } from '../../protocol/http.ts';
import {
	LastAdminError,
	accountNameKey,
	isAccountError,
	losesAdmin,
	type Account,
	type AccountSession,
	type AccountStore,
	type OneTimeToken,
	type Role,
	type TokenKind
} from '../storage/accounts.ts';
import type { Storage } from '../storage/storage.ts';
import { isDiskFull } from '../storage/disk-full.ts';
import { characterCount, characterProblem } from '../../game/nickname.ts';
import { SCRYPT_PARAMS, hashPassword, passwordProblem, type ScryptParams } from './passwords.ts';
import { PasswordTries, type TryFrom } from './password-tries.ts';
import { rememberDevice } from './known-devices.ts';
import { newToken, tokenId } from './tokens.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface AccountServiceConfig {
	storage: Storage;
	now?: () => number;
	/** This node's name: the setup link it prints is replaced at its next start. */
	issuer?: string;
	/** A session unused this long ends (default 14 days). */
	sessionIdleMs?: number;
	/** A session ends this long after sign-in however busy (default 30 days). */
	sessionMaxMs?: number;
	/** Tests use cheaper hashes; the server never sets this. */
	passwordParams?: ScryptParams;
	/** Sessions ended (signed out, revoked): their host screens are closed. */
	onSessionsEnded?: (sessionIds: string[]) => void;
	/** How a slowed sign-in try is held back (tests count instead of waiting). */
	sleep?: (ms: number) => Promise<void>;
	/**
	 * An account was deleted: its games in progress go to `heir`, or end (no heir: its things
	 * were deleted). Answers how many games that was. The live side's business, not this one's.
	 */
	onAccountRemoved?: (accountId: string, heir: string | null) => Promise<number>;
}

/** How long a link works, by kind. Setup: until used or the next start replaces it. */
const LINK_TTL_MS: Record<TokenKind, number> = {
	setup: 365 * DAY,
	invite: 7 * DAY,
	'sign-in': 15 * MINUTE,
	challenge: 5 * MINUTE
};

/** Last-seen is written at most this often: a page load is not a database write. */
const TOUCH_EVERY_MS = MINUTE;

export interface NewSession {
	/** Goes into the cookie; the store keeps only its hash. */
	token: string;
	session: AccountSession;
	account: Account;
}

export interface SignedIn {
	account: Account;
	session: AccountSession;
}

/** What the admin page lists of each account. */
export interface HostSummary extends Account {
	hasPassword: boolean;
	passkeys: number;
	quizzes: number;
	reports: number;
}

export type LinkRefusal = 'bad-link' | 'set-up-already' | 'disabled';
/** The tokens that are links people open (a passkey challenge is not). */
export type LinkKind = Exclude<TokenKind, 'challenge'>;
export type SignInRefusal = 'wrong' | 'wait' | 'busy';
/** Why something the account page guards with the current password (or a fresh sign-in) is refused. */
export type ConfirmRefusal = 'wrong-password' | 'wait' | 'busy' | 'sign-in-again';
export type AccountRefusal = 'unknown-account' | 'bad-name' | 'name-taken' | 'last-admin';

const MAX_NAME_LENGTH = 60;

export class AccountService {
	private readonly store: AccountStore;
	private readonly storage: Storage;
	private readonly now: () => number;
	private readonly issuer: string;
	private readonly idleMs: number;
	private readonly maxMs: number;
	private readonly params: ScryptParams;
	private readonly onSessionsEnded: (ids: string[]) => void;
	private readonly tries: PasswordTries;
	private readonly onAccountRemoved: (id: string, heir: string | null) => Promise<number>;

	constructor(config: AccountServiceConfig) {
		this.storage = config.storage;
		this.store = config.storage.accounts;
		this.now = config.now ?? Date.now;
		this.issuer = config.issuer ?? 'local';
		this.idleMs = config.sessionIdleMs ?? 14 * DAY;
		this.maxMs = config.sessionMaxMs ?? 30 * DAY;
		this.params = config.passwordParams ?? SCRYPT_PARAMS;
		this.tries = new PasswordTries(this.store, this.now, this.params, config.sleep);
		this.onSessionsEnded = config.onSessionsEnded ?? (() => {});
		this.onAccountRemoved = config.onAccountRemoved ?? (async () => 0);
	}

	// -------------------------------------------------------------------------------------------
	// The first admin

	/** No enabled admin yet: the setup link is printed, and works. */
	async needsSetup(): Promise<boolean> {
		const accounts = await this.store.listAccounts();
		return !accounts.some((account) => account.role === 'admin' && !account.disabled);
	}

	/**
	 * A fresh setup link's token, replacing the one this node printed before (a restart makes
	 * the old link useless); null once an admin exists.
	 */
	async setupLink(): Promise<string | null> {
		await this.store.deleteTokens({ kind: 'setup', issuer: this.issuer });
		if (!(await this.needsSetup())) return null;
		return this.issueLink('setup', null);
	}

	/** A one-time link for `npm run admin -- link`: a setup link, or a sign-in link for an admin. */
	async adminLink(
		name?: string
	): Promise<
		Result<
			{ kind: TokenKind; token: string; account: Account | null },
			'unknown-account' | 'not-admin'
		>
	> {
		if (await this.needsSetup()) {
			return { ok: true, kind: 'setup', token: await this.issueLink('setup', null), account: null };
		}
		const accounts = await this.store.listAccounts();
		const account = name
			? accounts.find((candidate) => accountNameKey(candidate.name) === accountNameKey(name))
			: accounts.find((candidate) => candidate.role === 'admin' && !candidate.disabled);
		if (!account) {
			return {
				ok: false,
				code: 'unknown-account',
				message: `There is no account called "${name}"`
			};
		}
		if (account.role !== 'admin') {
			return { ok: false, code: 'not-admin', message: `${account.name} is not an admin` };
		}
		const token = await this.issueLink('sign-in', account.id);
		return { ok: true, kind: 'sign-in', token, account };
	}

	// -------------------------------------------------------------------------------------------
	// One-time links

	/**
	 * What a link would do, without using it: the link's page shows this and waits for a press
	 * (a chat preview or a mail scanner opening the link must not use it up). Refused for the
	 * same reasons `useLink` would refuse it now.
	 */
	async peekLink(
		token: string
	): Promise<Result<{ kind: LinkKind; account: Account | null }, LinkRefusal>> {
		const id = tokenId(token);
		const link = id ? await this.store.peekToken(id, this.now()) : null;
		if (!link || link.kind === 'challenge') return usedLinkRefusal();
		if (link.kind === 'setup') {
			return (await this.needsSetup())
				? { ok: true, kind: link.kind, account: null }
				: setUpAlreadyRefusal();
		}
		const account = link.accountId ? await this.store.getAccount(link.accountId) : null;
		if (!account) return goneAccountRefusal();
		if (account.disabled) return disabledRefusal();
		return { ok: true, kind: link.kind, account };
	}

	/**
	 * Uses the link, once, and signs this browser in: a setup link as a new admin (while there
	 * is none), an invitation or a sign-in link as its account.
	 */
	async useLink(
		token: string,
		device: string
	): Promise<Result<NewSession & { kind: TokenKind }, LinkRefusal>> {
		const id = tokenId(token);
		const link = id ? await this.store.takeToken(id, this.now()) : null;
		if (!link) return usedLinkRefusal();
		if (link.kind === 'setup') return this.setUp(link, device);
		const account = link.accountId ? await this.store.getAccount(link.accountId) : null;
		if (!account) return goneAccountRefusal();
		if (account.disabled) return disabledRefusal();
		return { ok: true, kind: link.kind, ...(await this.startSession(account, device)) };
	}

	private async setUp(
		link: OneTimeToken,
		device: string
	): Promise<Result<NewSession & { kind: TokenKind }, LinkRefusal>> {
		if (!(await this.needsSetup())) return setUpAlreadyRefusal();
		const account: Account = {
			id: nanoid(),
			name: await this.freeName('Admin'),
			role: 'admin',
			passwordHash: null,
			disabled: false,
			createdAt: this.now(),
			lastSignInAt: null
		};
		await this.store.createAccount(account);
		// Everything kept from before accounts is the first admin's.
		await this.storage.adoptOrphans(account.id);
		await this.store.deleteTokens({ kind: 'setup' });
		return { ok: true, kind: link.kind, ...(await this.startSession(account, device)) };
	}

	/** A link's token (or a passkey challenge), stored by its hash, good once until it expires. */
	async issueLink(kind: TokenKind, accountId: string | null, token = newToken()): Promise<string> {
		const now = this.now();
		await this.store.saveToken({
			id: tokenId(token)!,
			kind,
			accountId,
			createdAt: now,
			expiresAt: now + LINK_TTL_MS[kind],
			issuer: kind === 'setup' ? this.issuer : null
		});
		return token;
	}

	/** `wanted`, or `wanted 2`, `wanted 3`…: the first that no account holds. */
	private async freeName(wanted: string): Promise<string> {
		for (let n = 1; ; n++) {
			const name = n === 1 ? wanted : `${wanted} ${n}`;
			if (!(await this.store.findAccountByName(name))) return name;
		}
	}

	// -------------------------------------------------------------------------------------------
	// Sessions

	async startSession(account: Account, device: string): Promise<NewSession> {
		const token = newToken();
		const now = this.now();
		const session: AccountSession = {
			id: tokenId(token)!,
			accountId: account.id,
			createdAt: now,
			lastSeenAt: now,
			expiresAt: now + this.maxMs,
			device: device.slice(0, 120)
		};
		await this.store.createSession(session);
		const signedIn = (await this.store.updateAccount(account.id, { lastSignInAt: now })) ?? account;
		return { token, session, account: signedIn };
	}

	/**
	 * The account behind a session cookie, or null: no such session, past its idle or absolute
	 * end, or its account gone or disabled. Every request asks, so an ended session is ended
	 * at once on every node.
	 */
	async session(token: string | undefined): Promise<SignedIn | null> {
		const id = token ? tokenId(token) : null;
		if (!id) return null;
		const session = await this.store.getSession(id);
		if (!session) return null;
		const now = this.now();
		if (now >= session.expiresAt || now - session.lastSeenAt >= this.idleMs) {
			await this.store.deleteSession(id);
			return null;
		}
		const account = await this.store.getAccount(session.accountId);
		if (!account || account.disabled) return null;
		if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
			try {
				await this.store.touchSession(id, now);
				session.lastSeenAt = now;
			} catch (error) {
				// Only an idle stamp: a full disk must not sign the host out of a game in progress.
				if (!isDiskFull(error)) throw error;
			}
		}
		return { account, session };
	}

	async signOut(sessionId: string): Promise<void> {
		await this.store.deleteSession(sessionId);
		this.onSessionsEnded([sessionId]);
	}

	/** Every session of the account but `keep` ("sign out everywhere else"). */
	async endSessions(accountId: string, keep?: string): Promise<number> {
		const ended = await this.store.deleteSessionsOf(accountId, keep);
		if (ended.length > 0) this.onSessionsEnded(ended);
		return ended.length;
	}

	async sessionsOf(accountId: string): Promise<AccountSession[]> {
		return this.store.listSessionsOf(accountId, this.now());
	}

	/**
	 * Now and then (server.ts): links, passkey challenges and sessions past their end, and
	 * sign-in failures older than any back-off remembers. Anonymous requests write these, so
	 * the store must not keep them forever. How many rows went.
	 */
	async sweep(): Promise<number> {
		const now = this.now();
		return this.store.deleteExpired(now, now - DAY);
	}

	/** One of the account's own sessions, ended from its account page. */
	async endSession(accountId: string, sessionId: string): Promise<boolean> {
		const session = await this.store.getSession(sessionId);
		if (session?.accountId !== accountId) return false;
		await this.signOut(sessionId);
		return true;
	}

	// -------------------------------------------------------------------------------------------
	// Passwords

	/**
	 * Name and password, checked as one counted try (password-tries.ts: back-off per name, per
	 * name at an address, or per known browser). A wrong password, a name nobody has and a
	 * disabled account get the same answer after the same work; the answer names the one thing
	 * a real host can do about the last. Right: also the known-devices cookie's new value.
	 */
	async signIn(
		name: string,
		password: string,
		address: string,
		device: string,
		knownDevices?: string
	): Promise<Result<NewSession & { knownDevices: string }, SignInRefusal>> {
		const account = await this.store.findAccountByName(name);
		const tried = await this.tries.check(name, account, password, { address, knownDevices });
		if (!tried.ok) {
			if (tried.code !== 'wrong') return tried;
			return { ok: false, code: 'wrong', message: WRONG_SIGN_IN };
		}
		return {
			ok: true,
			knownDevices: rememberDevice(tried.account, knownDevices),
			...(await this.startSession(tried.account, device))
		};
	}

	/**
	 * Before what would let whoever sits at a session left open keep the account (add a
	 * passkey, remove the password, sign the other devices out): the current password, checked
	 * as a sign-in try (the same back-off). An account without one: a sign-in on this session
	 * in the last 5 minutes (a passkey sign-in on the account page renews it). An account with
	 * neither password nor passkey signs in by links only and has nothing to be asked for.
	 */
	async confirm(
		signedIn: SignedIn,
		password: string,
		from: TryFrom
	): Promise<Result<{ account: Account }, ConfirmRefusal>> {
		const { account, session } = signedIn;
		if (account.passwordHash) {
			const tried = await this.tries.check(account.name, account, password, from);
			if (tried.ok) return tried;
			return tried.code === 'wrong' ? wrongCurrentPassword() : { ...tried, code: tried.code };
		}
		return (await this.signedInLately(account, session)) ? { ok: true, account } : signInAgain();
	}

	/**
	 * For an account without a password: signed in on this session in the last five minutes,
	 * or nothing to sign in with but links (no passkey), so nothing to ask for.
	 */
	private async signedInLately(account: Account, session: AccountSession | null): Promise<boolean> {
		if ((await this.store.listPasskeys(account.id)).length === 0) return true;
		return (
			session !== null &&
			session.accountId === account.id &&
			this.now() - session.createdAt < RECENT_SIGN_IN_MS
		);
	}

	/**
	 * From the account page: the current password first, if the account has one (a session
	 * left open on a shared computer must not be enough to lock its owner out). An account
	 * without one but with a passkey (its password removed) needs a fresh sign-in, as `confirm`
	 * does: a new password is a way in that outlives the session. One with neither (links only)
	 * sets its first password freely.
	 */
	async changePassword(
		accountId: string,
		current: string,
		next: string,
		keepSession: string | undefined,
		from: TryFrom = { address: 'local' }
	): Promise<
		Result<
			{ account: Account; signedOut: number },
			'wrong-password' | 'wait' | 'busy' | 'sign-in-again' | 'weak-password' | 'unknown-account'
		>
	> {
		const account = await this.store.getAccount(accountId);
		if (!account) return unknownAccount();
		if (account.passwordHash) {
			// A sign-in try like any other: guessing it here waits the same.
			const tried = await this.tries.check(account.name, account, current, from);
			if (!tried.ok) {
				return tried.code === 'wrong' ? wrongCurrentPassword() : { ...tried, code: tried.code };
			}
		} else {
			const session = keepSession ? await this.store.getSession(keepSession) : null;
			if (!(await this.signedInLately(account, session))) return signInAgain();
		}
		return this.setPassword(accountId, next, keepSession);
	}

	/**
	 * A new password. One that replaces another ends every other session of the account
	 * (whoever knew the old one is out), the one it was set from stays; a first password ends
	 * none (a host who came in by a link keeps the game on their projector). `signedOut`: how
	 * many sessions that ended.
	 */
	async setPassword(
		accountId: string,
		password: string,
		keepSession: string | undefined
	): Promise<Result<{ account: Account; signedOut: number }, 'weak-password' | 'unknown-account'>> {
		const problem = await passwordProblem(password);
		if (problem) return { ok: false, code: 'weak-password', message: problem };
		const before = await this.store.getAccount(accountId);
		if (!before) return unknownAccount();
		const account = await this.store.updateAccount(accountId, {
			passwordHash: await hashPassword(password, this.params)
		});
		if (!account) return unknownAccount();
		const first = before.passwordHash === null;
		const signedOut = first ? 0 : await this.endSessions(accountId, keepSession);
		return { ok: true, account, signedOut };
	}

	/** Signs in by passkey or link only from now on; refused while it is the only way in. */
	async removePassword(
		accountId: string
	): Promise<Result<{ account: Account }, 'only-way-in' | 'unknown-account'>> {
		if ((await this.store.listPasskeys(accountId)).length === 0) {
			return {
				ok: false,
				code: 'only-way-in',
				message: 'Add a passkey first: without a password or a passkey you could not sign in again'
			};
		}
		const account = await this.store.updateAccount(accountId, { passwordHash: null });
		return account ? { ok: true, account } : unknownAccount();
	}

	// -------------------------------------------------------------------------------------------
	// Accounts

	async account(id: string): Promise<Account | null> {
		return this.store.getAccount(id);
	}

	async passkeysOf(accountId: string) {
		return this.store.listPasskeys(accountId);
	}

	async removePasskey(accountId: string, passkeyId: string): Promise<boolean> {
		return this.store.deletePasskey(accountId, passkeyId);
	}

	async accounts(): Promise<Account[]> {
		return this.store.listAccounts();
	}

	async rename(id: string, name: string): Promise<Result<{ account: Account }, AccountRefusal>> {
		const clean = cleanName(name);
		if (!clean.ok) return clean;
		return this.change(id, { name: clean.name });
	}

	/** A new host (or admin), and the one-time link that lets them in (7 days). */
	async invite(
		name: string,
		role: Role
	): Promise<Result<{ account: Account; token: string }, AccountRefusal>> {
		const clean = cleanName(name);
		if (!clean.ok) return clean;
		const account: Account = {
			id: nanoid(),
			name: clean.name,
			role,
			passwordHash: null,
			disabled: false,
			createdAt: this.now(),
			lastSignInAt: null
		};
		try {
			await this.store.createAccount(account);
		} catch (error) {
			if (isAccountError(error)) return { ok: false, code: error.code, message: error.message };
			throw error;
		}
		return { ok: true, account, token: await this.issueLink('invite', account.id) };
	}

	/** Disabled: signed out everywhere at once, and no way back in until enabled again. */
	async setDisabled(
		id: string,
		disabled: boolean
	): Promise<Result<{ account: Account }, AccountRefusal>> {
		const changed = await this.change(id, { disabled });
		if (changed.ok && disabled) await this.endSessions(id);
		return changed;
	}

	async setRole(id: string, role: Role): Promise<Result<{ account: Account }, AccountRefusal>> {
		return this.change(id, { role });
	}

	/**
	 * Forgotten password, lost passkey: both are removed, every session ends, and a new
	 * invitation link lets the host set up a way in again. Their quizzes stay theirs.
	 */
	async reset(id: string): Promise<Result<{ account: Account; token: string }, AccountRefusal>> {
		const changed = await this.change(id, { passwordHash: null });
		if (!changed.ok) return changed;
		for (const passkey of await this.store.listPasskeys(id)) {
			await this.store.deletePasskey(id, passkey.id);
		}
		await this.endSessions(id);
		await this.store.deleteTokens({ accountId: id });
		return { ok: true, account: changed.account, token: await this.issueLink('invite', id) };
	}

	/**
	 * Deletes the account. Its quizzes, pictures, reports and games in progress go to `heir`
	 * (another account) or, with no heir, are deleted with it (its games end, with no report).
	 * `games`: how many games in progress that was.
	 */
	async remove(
		id: string,
		heir: string | null
	): Promise<Result<{ account: Account; games: number }, AccountRefusal | 'bad-heir'>> {
		const account = await this.store.getAccount(id);
		if (!account) return unknownAccount();
		if (heir !== null && (heir === id || !(await this.store.getAccount(heir)))) {
			return { ok: false, code: 'bad-heir', message: 'Pick another account to hand them to' };
		}
		const sessions = await this.store.listSessionsOf(id, 0);
		try {
			// Refused before anything is handed over; the store checks again as it deletes.
			if (losesAdmin(account, 'delete') && (await this.onlyAdmin(id))) throw new LastAdminError();
			if (heir !== null) await this.storage.handOver(id, heir);
			else await this.storage.deleteOwnedBy(id);
			await this.store.deleteAccount(id);
		} catch (error) {
			if (isAccountError(error)) return { ok: false, code: error.code, message: error.message };
			throw error;
		}
		if (sessions.length > 0) this.onSessionsEnded(sessions.map((session) => session.id));
		let games = 0;
		try {
			games = await this.onAccountRemoved(id, heir);
		} catch (error) {
			// The account is gone either way; an admin still reaches its games' host seats.
			console.error(`Could not hand over the games of the deleted account ${id}`, error);
		}
		return { ok: true, account, games };
	}

	private async onlyAdmin(id: string): Promise<boolean> {
		const accounts = await this.store.listAccounts();
		return !accounts.some(
			(account) => account.id !== id && account.role === 'admin' && !account.disabled
		);
	}

	/** Every account with what the admin page shows of it, oldest first. */
	async summaries(): Promise<HostSummary[]> {
		const accounts = await this.store.listAccounts();
		return Promise.all(
			accounts.map(async (account) => {
				const [owned, passkeys] = await Promise.all([
					this.storage.ownedCounts(account.id),
					this.store.listPasskeys(account.id)
				]);
				return {
					...account,
					hasPassword: account.passwordHash !== null,
					passkeys: passkeys.length,
					quizzes: owned.quizzes,
					reports: owned.reports
				};
			})
		);
	}

	private async change(
		id: string,
		patch: Parameters<AccountStore['updateAccount']>[1]
	): Promise<Result<{ account: Account }, AccountRefusal>> {
		try {
			const account = await this.store.updateAccount(id, patch);
			return account ? { ok: true, account } : unknownAccount();
		} catch (error) {
			if (isAccountError(error)) return { ok: false, code: error.code, message: error.message };
			throw error;
		}
	}
}

/** A name as it is kept: trimmed, runs of spaces as one; refused when empty, too long or odd. */
export function cleanName(name: string): Result<{ name: string }, 'bad-name'> {
	const clean = name.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (clean === '') return { ok: false, code: 'bad-name', message: 'Give the account a name' };
	// Characters as people see them (a family emoji is one); the UTF-16 bound keeps the work small.
	if (clean.length > MAX_NAME_LENGTH * 8 || characterCount(clean) > MAX_NAME_LENGTH) {
		return {
			ok: false,
			code: 'bad-name',
			message: `A name has at most ${MAX_NAME_LENGTH} characters`
		};
	}
	// The nicknames' rules: joiners inside emoji (👩‍🏫) and Persian words (علی‌رضا) are fine.
	const problem = characterProblem(clean);
	if (problem) {
		return {
			ok: false,
			code: 'bad-name',
			message:
				problem === 'nickname-stacked-marks'
					? 'Too many accents stacked on one letter'
					: 'A name cannot hold control or invisible characters'
		};
	}
	return { ok: true, name: clean };
}

function usedLinkRefusal() {
	return {
		ok: false,
		code: 'bad-link',
		message: 'This link was used already or has expired: ask for a new one'
	} as const;
}

function goneAccountRefusal() {
	return { ok: false, code: 'bad-link', message: 'This account no longer exists' } as const;
}

function setUpAlreadyRefusal() {
	return {
		ok: false,
		code: 'set-up-already',
		message: 'Quizroom has an admin already: sign in instead'
	} as const;
}

function disabledRefusal() {
	return {
		ok: false,
		code: 'disabled',
		message: 'This account is disabled: ask your Quizroom admin'
	} as const;
}

/** Every refused sign-in by password says this: which of the three it was stays unsaid. */
const WRONG_SIGN_IN =
	'Wrong name or password, or this account is disabled: ask your Quizroom admin if it goes on';

/** How recent a sign-in confirms an account that has no password to ask for. */
const RECENT_SIGN_IN_MS = 5 * MINUTE;

function signInAgain() {
	return {
		ok: false,
		code: 'sign-in-again',
		message: 'Sign in again with your passkey first: this needs a sign-in in the last 5 minutes'
	} as const;
}

function wrongCurrentPassword() {
	return {
		ok: false,
		code: 'wrong-password',
		message: 'That is not your current password'
	} as const;
}

function unknownAccount() {
	return { ok: false, code: 'unknown-account', message: 'There is no such account' } as const;
}
