/**
 * Hosts' accounts and what signs them in: sessions, one-time links, passkeys, and the count of
 * failed sign-ins the back-off reads. One contract, kept by the memory, SQLite and Redis stores
 * (storage.test.ts runs the same suite against each). Secrets are never stored as given: a
 * session or link is stored by the SHA-256 of its token, a password as its scrypt hash.
 *
 * The rules about who may do what live in `accounts/`; the store keeps one invariant itself,
 * because only it can check it in the same step as the write: a server that has an enabled
 * admin always keeps one (`LastAdminError`).
 */
import { nicknameKey } from '../../game/nickname.ts';

export type Role = 'admin' | 'host';

export interface Account {
	/** Random, never shown. */
	id: string;
	/** What the host signs in with and is shown as ("Ms Ortiz"), unique as `accountNameKey` folds it. */
	name: string;
	role: Role;
	/** `scrypt$…` (accounts/passwords.ts), or null: passkeys and one-time links only. */
	passwordHash: string | null;
	disabled: boolean;
	createdAt: number;
	lastSignInAt: number | null;
}

export type AccountPatch = Partial<
	Pick<Account, 'name' | 'role' | 'passwordHash' | 'disabled' | 'lastSignInAt'>
>;

export interface AccountSession {
	/** SHA-256 of the cookie's token (hex). */
	id: string;
	accountId: string;
	createdAt: number;
	/** Moved on at most once a minute: the idle expiry counts from it. */
	lastSeenAt: number;
	/** The absolute end, however busy the session. */
	expiresAt: number;
	/** What it was opened on, for the account page ("Chrome on Windows"). */
	device: string;
}

/**
 * setup: the first admin, printed at start; invite: a new host (or one reset) sets up their
 * sign-in; sign-in: `npm run admin -- link`, for whoever runs the server; challenge: what a
 * passkey signs, good for one answer within minutes, on whichever node it comes to.
 */
export type TokenKind = 'setup' | 'invite' | 'sign-in' | 'challenge';

export interface OneTimeToken {
	/** SHA-256 of the token in the link (hex). */
	id: string;
	kind: TokenKind;
	/** Whose link it is; null for setup, which makes a new admin. */
	accountId: string | null;
	createdAt: number;
	expiresAt: number;
	/** Setup: the node that printed it (its next start replaces it). */
	issuer: string | null;
}

export interface Passkey {
	/** The credential id, base64url. */
	id: string;
	accountId: string;
	publicKey: Uint8Array;
	/** The authenticator's signature counter (0 for those that keep none). */
	counter: number;
	transports: string[];
	createdAt: number;
	lastUsedAt: number | null;
}

export interface Failures {
	count: number;
	lastAt: number;
}

/** One key a sign-in try is counted under, and how long its failures so far make it wait. */
export interface TryRule {
	key: string;
	/** A count this old starts over. */
	forgetAfterMs: number;
	/** The wait (ms, 0: none) before a try may come, given the failures counted so far. */
	waitMs(failures: Failures | null): number;
}

export interface AccountStore {
	/** Oldest first. */
	listAccounts(): Promise<Account[]>;
	getAccount(id: string): Promise<Account | null>;
	/** By name as `accountNameKey` folds it: case, accents, width and lookalike letters. */
	findAccountByName(name: string): Promise<Account | null>;
	/** Refused with `NameTakenError` when the folded name is someone else's. */
	createAccount(account: Account): Promise<void>;
	/**
	 * The account as patched, or null if there is none. `NameTakenError` for a name taken;
	 * `LastAdminError` when it would leave no enabled admin (demoted or disabled).
	 */
	updateAccount(id: string, patch: AccountPatch): Promise<Account | null>;
	/** With its sessions, links and passkeys. `LastAdminError` for the last enabled admin. */
	deleteAccount(id: string): Promise<boolean>;

	createSession(session: AccountSession): Promise<void>;
	getSession(id: string): Promise<AccountSession | null>;
	touchSession(id: string, lastSeenAt: number): Promise<void>;
	deleteSession(id: string): Promise<void>;
	/** Every session of the account but `keep`: the ids of those ended. */
	deleteSessionsOf(accountId: string, keep?: string): Promise<string[]>;
	/** Newest first, expired ones left out. */
	listSessionsOf(accountId: string, now: number): Promise<AccountSession[]>;

	/** Deletes the expired tokens first (by the new one's `createdAt`): none piles up. */
	saveToken(token: OneTimeToken): Promise<void>;
	/** Unused and unexpired, without using it. */
	peekToken(id: string, now: number): Promise<OneTimeToken | null>;
	/** Uses it: exactly one caller gets it, however many ask at once; null when gone or expired. */
	takeToken(id: string, now: number): Promise<OneTimeToken | null>;
	/** Every token matching all the given fields. */
	deleteTokens(match: { kind?: TokenKind; accountId?: string; issuer?: string }): Promise<void>;

	addPasskey(passkey: Passkey): Promise<void>;
	getPasskey(id: string): Promise<Passkey | null>;
	/** Oldest first. */
	listPasskeys(accountId: string): Promise<Passkey[]>;
	usedPasskey(id: string, counter: number, at: number): Promise<void>;
	deletePasskey(accountId: string, id: string): Promise<boolean>;

	/** One more failed sign-in under `key`; a count older than `forgetAfterMs` starts over. */
	noteFailure(key: string, now: number, forgetAfterMs: number): Promise<Failures>;
	/** The failures under `key` still remembered, or null. */
	failures(key: string): Promise<Failures | null>;
	clearFailures(key: string): Promise<void>;
	/**
	 * A sign-in try, counted before its password is checked (as a failure: a right password
	 * clears it), so that tries at once cannot all slip in under one count. In one step: if no
	 * rule says wait, one more failure is counted under every rule's key (as `noteFailure`)
	 * and 0 comes back; else nothing is counted and the longest wait comes back (ms).
	 */
	takeTry(rules: readonly TryRule[], now: number): Promise<number>;
	/**
	 * Tidying, now and then: tokens and sessions past their end, and failures not added to
	 * since `failuresBefore`. How many were deleted.
	 */
	deleteExpired(now: number, failuresBefore: number): Promise<number>;

	// The accounts as rows, for moving them to another store (`npm run migrate`, copy.ts)

	/**
	 * Every account, session, one-time link and passkey exactly as stored, a batch at a time,
	 * accounts first. Failed sign-ins are not part of it: a back-off that forgets in minutes.
	 */
	exportAccounts(): AsyncIterable<AccountBatch>;
	/**
	 * Writes the rows as they are, ids and times included, the batch in one transaction; a row
	 * already there under the same id is replaced whole. Accounts before what belongs to them.
	 */
	importAccounts(batch: AccountBatch): Promise<void>;
}

export type AccountBatch =
	| { kind: 'accounts'; rows: Account[] }
	| { kind: 'sessions'; rows: AccountSession[] }
	| { kind: 'links'; rows: OneTimeToken[] }
	| { kind: 'passkeys'; rows: Passkey[] };

/** Two accounts whose names fold to the same key would sign in as each other. */
export function accountNameKey(name: string): string {
	return nicknameKey(name.trim().replace(/\s+/g, ' '));
}

export class NameTakenError extends Error {
	override readonly name = 'NameTakenError';
	readonly code = 'name-taken';
	constructor(taken: string) {
		super(`There is already an account called "${taken}"`);
	}
}

export class LastAdminError extends Error {
	override readonly name = 'LastAdminError';
	readonly code = 'last-admin';
	constructor() {
		super('This is the last admin: make another host an admin first');
	}
}

/** An update that would leave no enabled admin: its account is one now and would stop being. */
export function losesAdmin(account: Account, patch: AccountPatch | 'delete'): boolean {
	if (account.role !== 'admin' || account.disabled) return false;
	if (patch === 'delete') return true;
	return (patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true;
}

/** The account with the patch's given fields in place (an undefined field changes nothing). */
export function patched(account: Account, patch: AccountPatch): Account {
	const given = Object.entries(patch).filter(([, value]) => value !== undefined);
	return { ...account, ...Object.fromEntries(given) };
}

/** By name, not instanceof: SvelteKit's bundle has its own copy of this module. */
export function isAccountError(error: unknown): error is NameTakenError | LastAdminError {
	return (
		error instanceof Error && (error.name === 'NameTakenError' || error.name === 'LastAdminError')
	);
}
