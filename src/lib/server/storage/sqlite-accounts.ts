/**
 * Accounts in the node's SQLite file (tables from migration 10): the single-node store.
 * Checks and writes that belong together run in one IMMEDIATE transaction, so two requests at
 * once cannot both take the last admin away or both use one link.
 */
import type Database from 'better-sqlite3';
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
import { BATCH_ROWS } from './batches.ts';
import {
	accountFromRow,
	passkeyFromRow,
	sessionFromRow,
	tokenFromRow,
	type AccountRow,
	type PasskeyRow,
	type SessionRow,
	type TokenRow
} from './rows.ts';

export class SqliteAccounts implements AccountStore {
	private readonly sql: ReturnType<typeof prepare>;

	constructor(private readonly db: Database.Database) {
		this.sql = prepare(db);
	}

	async listAccounts(): Promise<Account[]> {
		return this.sql.listAccounts.all().map(accountFromRow);
	}

	async getAccount(id: string): Promise<Account | null> {
		const row = this.sql.getAccount.get(id);
		return row ? accountFromRow(row) : null;
	}

	async findAccountByName(name: string): Promise<Account | null> {
		const row = this.sql.accountByKey.get(accountNameKey(name));
		return row ? accountFromRow(row) : null;
	}

	async createAccount(account: Account): Promise<void> {
		this.transaction(() => {
			this.assertNameFree(account.name, account.id);
			this.sql.insertAccount.run({
				id: account.id,
				name: account.name,
				nameKey: accountNameKey(account.name),
				role: account.role,
				passwordHash: account.passwordHash,
				disabled: account.disabled ? 1 : 0,
				createdAt: account.createdAt,
				lastSignInAt: account.lastSignInAt
			});
		});
	}

	async updateAccount(id: string, patch: AccountPatch): Promise<Account | null> {
		return this.transaction(() => {
			const row = this.sql.getAccount.get(id);
			if (!row) return null;
			const account = accountFromRow(row);
			if (patch.name !== undefined) this.assertNameFree(patch.name, id);
			if (losesAdmin(account, patch) && this.sql.enabledAdmins.pluck().get() === 1) {
				throw new LastAdminError();
			}
			const next = patched(account, patch);
			this.sql.updateAccount.run({
				id,
				name: next.name,
				nameKey: accountNameKey(next.name),
				role: next.role,
				passwordHash: next.passwordHash,
				disabled: next.disabled ? 1 : 0,
				lastSignInAt: next.lastSignInAt
			});
			return next;
		});
	}

	async deleteAccount(id: string): Promise<boolean> {
		return this.transaction(() => {
			const row = this.sql.getAccount.get(id);
			if (!row) return false;
			if (losesAdmin(accountFromRow(row), 'delete') && this.sql.enabledAdmins.pluck().get() === 1) {
				throw new LastAdminError();
			}
			// Sessions, links and passkeys go by the cascade.
			return this.sql.deleteAccount.run(id).changes > 0;
		});
	}

	async createSession(session: AccountSession): Promise<void> {
		this.sql.insertSession.run({
			id: session.id,
			accountId: session.accountId,
			createdAt: session.createdAt,
			lastSeenAt: session.lastSeenAt,
			expiresAt: session.expiresAt,
			device: session.device
		});
	}

	async getSession(id: string): Promise<AccountSession | null> {
		const row = this.sql.getSession.get(id);
		return row ? sessionFromRow(row) : null;
	}

	async touchSession(id: string, lastSeenAt: number): Promise<void> {
		this.sql.touchSession.run({ id, lastSeenAt });
	}

	async deleteSession(id: string): Promise<void> {
		this.sql.deleteSession.run(id);
	}

	async deleteSessionsOf(accountId: string, keep?: string): Promise<string[]> {
		return this.transaction(() => {
			const ids = this.sql.sessionIdsOf.pluck().all(accountId) as string[];
			const ended = ids.filter((id) => id !== keep);
			for (const id of ended) this.sql.deleteSession.run(id);
			return ended;
		});
	}

	async listSessionsOf(accountId: string, now: number): Promise<AccountSession[]> {
		return this.sql.sessionsOf.all({ accountId, now }).map(sessionFromRow);
	}

	async saveToken(token: OneTimeToken): Promise<void> {
		this.sql.deleteExpiredTokens.run(token.createdAt);
		this.sql.insertToken.run({
			id: token.id,
			kind: token.kind,
			accountId: token.accountId,
			createdAt: token.createdAt,
			expiresAt: token.expiresAt,
			issuer: token.issuer
		});
	}

	async peekToken(id: string, now: number): Promise<OneTimeToken | null> {
		const row = this.sql.getToken.get(id);
		return row && row.expires_at > now ? tokenFromRow(row) : null;
	}

	async takeToken(id: string, now: number): Promise<OneTimeToken | null> {
		// DELETE … RETURNING: the row goes in the same statement that reads it, so one caller wins.
		const row = this.sql.takeToken.get(id);
		return row && row.expires_at > now ? tokenFromRow(row) : null;
	}

	async deleteTokens(match: {
		kind?: TokenKind;
		accountId?: string;
		issuer?: string;
	}): Promise<void> {
		this.sql.deleteTokens.run({
			kind: match.kind ?? null,
			accountId: match.accountId ?? null,
			issuer: match.issuer ?? null
		});
	}

	async addPasskey(passkey: Passkey): Promise<void> {
		this.sql.insertPasskey.run({
			id: passkey.id,
			accountId: passkey.accountId,
			publicKey: Buffer.from(passkey.publicKey),
			counter: passkey.counter,
			transports: JSON.stringify(passkey.transports),
			createdAt: passkey.createdAt,
			lastUsedAt: passkey.lastUsedAt
		});
	}

	async getPasskey(id: string): Promise<Passkey | null> {
		const row = this.sql.getPasskey.get(id);
		return row ? passkeyFromRow(row) : null;
	}

	async listPasskeys(accountId: string): Promise<Passkey[]> {
		return this.sql.passkeysOf.all(accountId).map(passkeyFromRow);
	}

	async usedPasskey(id: string, counter: number, at: number): Promise<void> {
		this.sql.usedPasskey.run({ id, counter, at });
	}

	async deletePasskey(accountId: string, id: string): Promise<boolean> {
		return this.sql.deletePasskey.run({ id, accountId }).changes > 0;
	}

	async noteFailure(key: string, now: number, forgetAfterMs: number): Promise<Failures> {
		const row = this.sql.noteFailure.get({ key, now, since: now - forgetAfterMs })!;
		return { count: row.count, lastAt: row.last_at };
	}

	async failures(key: string): Promise<Failures | null> {
		const row = this.sql.getFailures.get(key);
		return row ? { count: row.count, lastAt: row.last_at } : null;
	}

	async clearFailures(key: string): Promise<void> {
		this.sql.clearFailures.run(key);
	}

	async takeTry(rules: readonly TryRule[], now: number): Promise<number> {
		return this.transaction(() => {
			const waits = rules.map((rule) => {
				const row = this.sql.getFailures.get(rule.key);
				return rule.waitMs(row ? { count: row.count, lastAt: row.last_at } : null);
			});
			const wait = Math.max(0, ...waits);
			if (wait > 0) return wait;
			for (const rule of rules) {
				this.sql.noteFailure.get({ key: rule.key, now, since: now - rule.forgetAfterMs });
			}
			return 0;
		});
	}

	async deleteExpired(now: number, failuresBefore: number): Promise<number> {
		return this.transaction(
			() =>
				this.sql.deleteExpiredTokens.run(now).changes +
				this.sql.deleteExpiredSessions.run(now).changes +
				this.sql.deleteOldFailures.run(failuresBefore).changes
		);
	}

	// -------------------------------------------------------------------------------------------
	// The accounts as rows (npm run migrate, copy.ts)

	async *exportAccounts(): AsyncIterable<AccountBatch> {
		const rows = accountRecordStatements(this.db);
		yield* pages(rows.accountsAfter, (row) => ({
			kind: 'accounts' as const,
			rows: row.map(accountFromRow)
		}));
		yield* pages(rows.sessionsAfter, (row) => ({
			kind: 'sessions' as const,
			rows: row.map(sessionFromRow)
		}));
		yield* pages(rows.tokensAfter, (row) => ({
			kind: 'links' as const,
			rows: row.map(tokenFromRow)
		}));
		yield* pages(rows.passkeysAfter, (row) => ({
			kind: 'passkeys' as const,
			rows: row.map(passkeyFromRow)
		}));
	}

	async importAccounts(batch: AccountBatch): Promise<void> {
		const rows = accountRecordStatements(this.db);
		this.transaction(() => {
			switch (batch.kind) {
				case 'accounts':
					for (const account of batch.rows) {
						this.assertNameFree(account.name, account.id);
						rows.putAccount.run({
							id: account.id,
							name: account.name,
							nameKey: accountNameKey(account.name),
							role: account.role,
							passwordHash: account.passwordHash,
							disabled: account.disabled ? 1 : 0,
							createdAt: account.createdAt,
							lastSignInAt: account.lastSignInAt
						});
					}
					return;
				case 'sessions':
					for (const session of batch.rows) {
						this.sql.deleteSession.run(session.id);
						this.sql.insertSession.run(session);
					}
					return;
				case 'links':
					for (const token of batch.rows) {
						rows.dropToken.run(token.id);
						this.sql.insertToken.run(token);
					}
					return;
				case 'passkeys':
					for (const passkey of batch.rows) {
						rows.dropPasskey.run(passkey.id);
						this.sql.insertPasskey.run({
							...passkey,
							publicKey: Buffer.from(passkey.publicKey),
							transports: JSON.stringify(passkey.transports)
						});
					}
					return;
			}
		});
	}

	private assertNameFree(name: string, id: string): void {
		const holder = this.sql.accountByKey.get(accountNameKey(name));
		if (holder && holder.id !== id) throw new NameTakenError(holder.name);
	}

	private transaction<T>(work: () => T): T {
		return this.db.transaction(work).immediate();
	}
}

function prepare(db: Database.Database) {
	const accountColumns = 'id, name, role, password_hash, disabled, created_at, last_sign_in_at';
	return {
		listAccounts: db.prepare<[], AccountRow>(
			`SELECT ${accountColumns} FROM accounts ORDER BY created_at, id`
		),
		getAccount: db.prepare<[string], AccountRow>(
			`SELECT ${accountColumns} FROM accounts WHERE id = ?`
		),
		accountByKey: db.prepare<[string], AccountRow>(
			`SELECT ${accountColumns} FROM accounts WHERE name_key = ?`
		),
		enabledAdmins: db.prepare<[], number>(
			`SELECT count(*) FROM accounts WHERE role = 'admin' AND disabled = 0`
		),
		insertAccount: db.prepare<{
			id: string;
			name: string;
			nameKey: string;
			role: string;
			passwordHash: string | null;
			disabled: number;
			createdAt: number;
			lastSignInAt: number | null;
		}>(
			`INSERT INTO accounts (id, name, name_key, role, password_hash, disabled, created_at,
				last_sign_in_at)
			VALUES (@id, @name, @nameKey, @role, @passwordHash, @disabled, @createdAt, @lastSignInAt)`
		),
		updateAccount: db.prepare<{
			id: string;
			name: string;
			nameKey: string;
			role: string;
			passwordHash: string | null;
			disabled: number;
			lastSignInAt: number | null;
		}>(
			`UPDATE accounts SET name = @name, name_key = @nameKey, role = @role,
				password_hash = @passwordHash, disabled = @disabled, last_sign_in_at = @lastSignInAt
			WHERE id = @id`
		),
		deleteAccount: db.prepare<[string]>('DELETE FROM accounts WHERE id = ?'),

		insertSession: db.prepare<{
			id: string;
			accountId: string;
			createdAt: number;
			lastSeenAt: number;
			expiresAt: number;
			device: string;
		}>(
			`INSERT INTO account_sessions (id, account_id, created_at, last_seen_at, expires_at, device)
			VALUES (@id, @accountId, @createdAt, @lastSeenAt, @expiresAt, @device)`
		),
		getSession: db.prepare<[string], SessionRow>('SELECT * FROM account_sessions WHERE id = ?'),
		touchSession: db.prepare<{ id: string; lastSeenAt: number }>(
			'UPDATE account_sessions SET last_seen_at = @lastSeenAt WHERE id = @id'
		),
		deleteSession: db.prepare<[string]>('DELETE FROM account_sessions WHERE id = ?'),
		sessionIdsOf: db.prepare<[string], string>(
			'SELECT id FROM account_sessions WHERE account_id = ?'
		),
		sessionsOf: db.prepare<{ accountId: string; now: number }, SessionRow>(
			`SELECT * FROM account_sessions WHERE account_id = @accountId AND expires_at > @now
			ORDER BY created_at DESC, id`
		),

		insertToken: db.prepare<{
			id: string;
			kind: TokenKind;
			accountId: string | null;
			createdAt: number;
			expiresAt: number;
			issuer: string | null;
		}>(
			`INSERT INTO one_time_tokens (id, kind, account_id, created_at, expires_at, issuer)
			VALUES (@id, @kind, @accountId, @createdAt, @expiresAt, @issuer)`
		),
		getToken: db.prepare<[string], TokenRow>('SELECT * FROM one_time_tokens WHERE id = ?'),
		takeToken: db.prepare<[string], TokenRow>(
			'DELETE FROM one_time_tokens WHERE id = ? RETURNING *'
		),
		deleteTokens: db.prepare<{
			kind: string | null;
			accountId: string | null;
			issuer: string | null;
		}>(
			`DELETE FROM one_time_tokens
			WHERE (@kind IS NULL OR kind = @kind)
				AND (@accountId IS NULL OR account_id = @accountId)
				AND (@issuer IS NULL OR issuer = @issuer)`
		),

		insertPasskey: db.prepare<{
			id: string;
			accountId: string;
			publicKey: Buffer;
			counter: number;
			transports: string;
			createdAt: number;
			lastUsedAt: number | null;
		}>(
			`INSERT INTO passkeys (id, account_id, public_key, counter, transports, created_at,
				last_used_at)
			VALUES (@id, @accountId, @publicKey, @counter, @transports, @createdAt, @lastUsedAt)`
		),
		getPasskey: db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE id = ?'),
		passkeysOf: db.prepare<[string], PasskeyRow>(
			'SELECT * FROM passkeys WHERE account_id = ? ORDER BY created_at, id'
		),
		usedPasskey: db.prepare<{ id: string; counter: number; at: number }>(
			'UPDATE passkeys SET counter = @counter, last_used_at = @at WHERE id = @id'
		),
		deletePasskey: db.prepare<{ id: string; accountId: string }>(
			'DELETE FROM passkeys WHERE id = @id AND account_id = @accountId'
		),

		noteFailure: db.prepare<
			{ key: string; now: number; since: number },
			{ count: number; last_at: number }
		>(
			`INSERT INTO sign_in_failures (key, count, last_at) VALUES (@key, 1, @now)
			ON CONFLICT (key) DO UPDATE SET
				count = CASE WHEN last_at > @since THEN count + 1 ELSE 1 END,
				last_at = @now
			RETURNING count, last_at`
		),
		getFailures: db.prepare<[string], { count: number; last_at: number }>(
			'SELECT count, last_at FROM sign_in_failures WHERE key = ?'
		),
		clearFailures: db.prepare<[string]>('DELETE FROM sign_in_failures WHERE key = ?'),
		deleteExpiredTokens: db.prepare<[number]>('DELETE FROM one_time_tokens WHERE expires_at <= ?'),
		deleteExpiredSessions: db.prepare<[number]>(
			'DELETE FROM account_sessions WHERE expires_at <= ?'
		),
		deleteOldFailures: db.prepare<[number]>('DELETE FROM sign_in_failures WHERE last_at < ?')
	};
}

/** The statements only `npm run migrate` uses, prepared when it asks (once per connection). */
const accountRecordStatementsOf = new WeakMap<
	Database.Database,
	ReturnType<typeof prepareAccountRecord>
>();

function accountRecordStatements(db: Database.Database) {
	let statements = accountRecordStatementsOf.get(db);
	if (!statements) accountRecordStatementsOf.set(db, (statements = prepareAccountRecord(db)));
	return statements;
}

type Page<Row> = Database.Statement<[{ after: string; limit: number }], Row>;

function prepareAccountRecord(db: Database.Database) {
	const after = (table: string) =>
		`SELECT * FROM ${table} WHERE id > @after ORDER BY id LIMIT @limit`;
	return {
		accountsAfter: db.prepare(after('accounts')) as Page<AccountRow>,
		sessionsAfter: db.prepare(after('account_sessions')) as Page<SessionRow>,
		tokensAfter: db.prepare(after('one_time_tokens')) as Page<TokenRow>,
		passkeysAfter: db.prepare(after('passkeys')) as Page<PasskeyRow>,
		// An update, not INSERT OR REPLACE: a replace would delete the row and cascade to its sessions.
		putAccount: db.prepare<{
			id: string;
			name: string;
			nameKey: string;
			role: string;
			passwordHash: string | null;
			disabled: number;
			createdAt: number;
			lastSignInAt: number | null;
		}>(
			`INSERT INTO accounts (id, name, name_key, role, password_hash, disabled, created_at,
				last_sign_in_at)
			VALUES (@id, @name, @nameKey, @role, @passwordHash, @disabled, @createdAt, @lastSignInAt)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
				role = excluded.role, password_hash = excluded.password_hash,
				disabled = excluded.disabled, created_at = excluded.created_at,
				last_sign_in_at = excluded.last_sign_in_at`
		),
		dropToken: db.prepare<[string]>('DELETE FROM one_time_tokens WHERE id = ?'),
		dropPasskey: db.prepare<[string]>('DELETE FROM passkeys WHERE id = ?')
	};
}

/** The table's rows a batch at a time, in id order, each batch made into what is yielded. */
function* pages<Row extends { id: string }, Batch>(
	statement: Page<Row>,
	batch: (rows: Row[]) => Batch
): Generator<Batch> {
	for (let after = ''; ;) {
		const rows = statement.all({ after, limit: BATCH_ROWS });
		if (rows.length === 0) return;
		yield batch(rows);
		after = rows.at(-1)!.id;
	}
}
