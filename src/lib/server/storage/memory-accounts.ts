/**
 * Accounts in memory, for tests: the same behaviour as SQLite's and Redis's (storage.test.ts
 * runs one suite against all three). Everything goes in and comes out as a copy.
 */
import {
	LastAdminError,
	NameTakenError,
	accountNameKey,
	losesAdmin,
	patched,
	type Account,
	type AccountBatch,
	type AccountPatch,
	type AccountSession,
	type AccountStore,
	type Failures,
	type OneTimeToken,
	type Passkey,
	type TokenKind,
	type TryRule
} from './accounts.ts';
import { BATCH_ROWS, byId, chunks } from './batches.ts';

export class MemoryAccounts implements AccountStore {
	private readonly accounts = new Map<string, Account>();
	private readonly sessions = new Map<string, AccountSession>();
	private readonly tokens = new Map<string, OneTimeToken>();
	private readonly passkeys = new Map<string, Passkey>();
	private readonly failed = new Map<string, Failures>();

	async listAccounts(): Promise<Account[]> {
		return [...this.accounts.values()]
			.sort((a, b) => a.createdAt - b.createdAt || compare(a.id, b.id))
			.map((account) => ({ ...account }));
	}

	async getAccount(id: string): Promise<Account | null> {
		const account = this.accounts.get(id);
		return account ? { ...account } : null;
	}

	async findAccountByName(name: string): Promise<Account | null> {
		const key = accountNameKey(name);
		for (const account of this.accounts.values()) {
			if (accountNameKey(account.name) === key) return { ...account };
		}
		return null;
	}

	async createAccount(account: Account): Promise<void> {
		this.assertNameFree(account.name, account.id);
		this.accounts.set(account.id, { ...account });
	}

	async updateAccount(id: string, patch: AccountPatch): Promise<Account | null> {
		const account = this.accounts.get(id);
		if (!account) return null;
		if (patch.name !== undefined) this.assertNameFree(patch.name, id);
		if (losesAdmin(account, patch) && this.enabledAdmins() === 1) throw new LastAdminError();
		const updated = patched(account, patch);
		this.accounts.set(id, updated);
		return { ...updated };
	}

	async deleteAccount(id: string): Promise<boolean> {
		const account = this.accounts.get(id);
		if (!account) return false;
		if (losesAdmin(account, 'delete') && this.enabledAdmins() === 1) throw new LastAdminError();
		this.accounts.delete(id);
		for (const [key, session] of this.sessions)
			if (session.accountId === id) this.sessions.delete(key);
		for (const [key, token] of this.tokens) if (token.accountId === id) this.tokens.delete(key);
		for (const [key, passkey] of this.passkeys)
			if (passkey.accountId === id) this.passkeys.delete(key);
		return true;
	}

	async createSession(session: AccountSession): Promise<void> {
		this.sessions.set(session.id, { ...session });
	}

	async getSession(id: string): Promise<AccountSession | null> {
		const session = this.sessions.get(id);
		return session ? { ...session } : null;
	}

	async touchSession(id: string, lastSeenAt: number): Promise<void> {
		const session = this.sessions.get(id);
		if (session) session.lastSeenAt = lastSeenAt;
	}

	async deleteSession(id: string): Promise<void> {
		this.sessions.delete(id);
	}

	async deleteSessionsOf(accountId: string, keep?: string): Promise<string[]> {
		const ended: string[] = [];
		for (const [id, session] of this.sessions) {
			if (session.accountId === accountId && id !== keep) {
				this.sessions.delete(id);
				ended.push(id);
			}
		}
		return ended;
	}

	async listSessionsOf(accountId: string, now: number): Promise<AccountSession[]> {
		return [...this.sessions.values()]
			.filter((session) => session.accountId === accountId && session.expiresAt > now)
			.sort((a, b) => b.createdAt - a.createdAt || compare(a.id, b.id))
			.map((session) => ({ ...session }));
	}

	async saveToken(token: OneTimeToken): Promise<void> {
		for (const [id, old] of this.tokens) {
			if (old.expiresAt <= token.createdAt) this.tokens.delete(id);
		}
		this.tokens.set(token.id, { ...token });
	}

	async peekToken(id: string, now: number): Promise<OneTimeToken | null> {
		const token = this.tokens.get(id);
		return token && token.expiresAt > now ? { ...token } : null;
	}

	async takeToken(id: string, now: number): Promise<OneTimeToken | null> {
		const token = this.tokens.get(id);
		if (!token) return null;
		this.tokens.delete(id);
		return token.expiresAt > now ? token : null;
	}

	async deleteTokens(match: {
		kind?: TokenKind;
		accountId?: string;
		issuer?: string;
	}): Promise<void> {
		for (const [id, token] of this.tokens) {
			if (
				(match.kind === undefined || token.kind === match.kind) &&
				(match.accountId === undefined || token.accountId === match.accountId) &&
				(match.issuer === undefined || token.issuer === match.issuer)
			) {
				this.tokens.delete(id);
			}
		}
	}

	async addPasskey(passkey: Passkey): Promise<void> {
		this.passkeys.set(passkey.id, copyPasskey(passkey));
	}

	async getPasskey(id: string): Promise<Passkey | null> {
		const passkey = this.passkeys.get(id);
		return passkey ? copyPasskey(passkey) : null;
	}

	async listPasskeys(accountId: string): Promise<Passkey[]> {
		return [...this.passkeys.values()]
			.filter((passkey) => passkey.accountId === accountId)
			.sort((a, b) => a.createdAt - b.createdAt || compare(a.id, b.id))
			.map(copyPasskey);
	}

	async usedPasskey(id: string, counter: number, at: number): Promise<void> {
		const passkey = this.passkeys.get(id);
		if (passkey) Object.assign(passkey, { counter, lastUsedAt: at });
	}

	async deletePasskey(accountId: string, id: string): Promise<boolean> {
		const passkey = this.passkeys.get(id);
		if (passkey?.accountId !== accountId) return false;
		return this.passkeys.delete(id);
	}

	async noteFailure(key: string, now: number, forgetAfterMs: number): Promise<Failures> {
		return { ...this.note(key, now, forgetAfterMs) };
	}

	private note(key: string, now: number, forgetAfterMs: number): Failures {
		const known = this.failed.get(key);
		const count = known && known.lastAt > now - forgetAfterMs ? known.count + 1 : 1;
		const failures = { count, lastAt: now };
		this.failed.set(key, failures);
		return failures;
	}

	async failures(key: string): Promise<Failures | null> {
		const known = this.failed.get(key);
		return known ? { ...known } : null;
	}

	async clearFailures(key: string): Promise<void> {
		this.failed.delete(key);
	}

	async takeTry(rules: readonly TryRule[], now: number): Promise<number> {
		const known = (key: string) => {
			const failures = this.failed.get(key);
			return failures ? { ...failures } : null;
		};
		const wait = Math.max(0, ...rules.map((rule) => rule.waitMs(known(rule.key))));
		if (wait > 0) return wait;
		for (const rule of rules) this.note(rule.key, now, rule.forgetAfterMs);
		return 0;
	}

	async deleteExpired(now: number, failuresBefore: number): Promise<number> {
		let deleted = 0;
		const sweep = <T>(rows: Map<string, T>, gone: (row: T) => boolean) => {
			for (const [id, row] of rows) {
				if (gone(row)) deleted += Number(rows.delete(id));
			}
		};
		sweep(this.tokens, (token) => token.expiresAt <= now);
		sweep(this.sessions, (session) => session.expiresAt <= now);
		sweep(this.failed, (failures) => failures.lastAt < failuresBefore);
		return deleted;
	}

	// -------------------------------------------------------------------------------------------
	// The accounts as rows (npm run migrate, copy.ts)

	async *exportAccounts(): AsyncIterable<AccountBatch> {
		const sorted = <T extends { id: string }>(rows: Iterable<T>) =>
			[...rows].sort((a, b) => byId(a.id, b.id));
		for (const rows of chunks(sorted(this.accounts.values()), BATCH_ROWS)) {
			yield { kind: 'accounts', rows: rows.map((account) => ({ ...account })) };
		}
		for (const rows of chunks(sorted(this.sessions.values()), BATCH_ROWS)) {
			yield { kind: 'sessions', rows: rows.map((session) => ({ ...session })) };
		}
		for (const rows of chunks(sorted(this.tokens.values()), BATCH_ROWS)) {
			yield { kind: 'links', rows: rows.map((token) => ({ ...token })) };
		}
		for (const rows of chunks(sorted(this.passkeys.values()), BATCH_ROWS)) {
			yield { kind: 'passkeys', rows: rows.map(copyPasskey) };
		}
	}

	async importAccounts(batch: AccountBatch): Promise<void> {
		switch (batch.kind) {
			case 'accounts':
				for (const account of batch.rows) this.assertNameFree(account.name, account.id);
				for (const account of batch.rows) this.accounts.set(account.id, { ...account });
				return;
			case 'sessions':
				for (const session of batch.rows) this.sessions.set(session.id, { ...session });
				return;
			case 'links':
				for (const token of batch.rows) this.tokens.set(token.id, { ...token });
				return;
			case 'passkeys':
				for (const passkey of batch.rows) this.passkeys.set(passkey.id, copyPasskey(passkey));
				return;
		}
	}

	/** Not part of the contract: MemoryStorage's `clearRecord`. */
	clear(): void {
		this.accounts.clear();
		this.sessions.clear();
		this.tokens.clear();
		this.passkeys.clear();
		this.failed.clear();
	}

	private assertNameFree(name: string, id: string): void {
		const key = accountNameKey(name);
		for (const account of this.accounts.values()) {
			if (account.id !== id && accountNameKey(account.name) === key) {
				throw new NameTakenError(account.name);
			}
		}
	}

	private enabledAdmins(): number {
		let count = 0;
		for (const account of this.accounts.values()) {
			if (account.role === 'admin' && !account.disabled) count++;
		}
		return count;
	}
}

function copyPasskey(passkey: Passkey): Passkey {
	return { ...passkey, publicKey: passkey.publicKey.slice(), transports: [...passkey.transports] };
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
