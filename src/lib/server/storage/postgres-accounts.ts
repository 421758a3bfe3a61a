/**
 * Accounts in PostgreSQL, shared by every node: a session ended on one node is ended on all at
 * once (every request reads its session here). Checks and the writes they guard run in one
 * transaction holding the rows they read, so two admins at once cannot both take the last
 * admin away, and one link is used once however many ask.
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
import type { QueryResultRow } from 'pg';
import { transaction, withDatabase, type Sql, type SqlClient } from './postgres-client.ts';
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

const ACCOUNT_COLUMNS = 'id, name, role, password_hash, disabled, created_at, last_sign_in_at';

/** Unique violation: a name someone else took between the look and the write. */
const UNIQUE_VIOLATION = '23505';

export class PostgresAccounts implements AccountStore {
	constructor(private readonly sql: Sql) {}

	async listAccounts(): Promise<Account[]> {
		const { rows } = await this.query<AccountRow>(
			`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at, id COLLATE "C"`
		);
		return rows.map(accountFromRow);
	}

	async getAccount(id: string): Promise<Account | null> {
		const { rows } = await this.query<AccountRow>(
			`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`,
			[id]
		);
		return rows[0] ? accountFromRow(rows[0]) : null;
	}

	async findAccountByName(name: string): Promise<Account | null> {
		const { rows } = await this.query<AccountRow>(
			`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE name_key = $1`,
			[accountNameKey(name)]
		);
		return rows[0] ? accountFromRow(rows[0]) : null;
	}

	async createAccount(account: Account): Promise<void> {
		await transaction(this.sql, async (client) => {
			await this.assertNameFree(client, account.name, account.id);
			await client.query(
				`INSERT INTO accounts (id, name, name_key, role, password_hash, disabled, created_at,
					last_sign_in_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				[
					account.id,
					account.name,
					accountNameKey(account.name),
					account.role,
					account.passwordHash,
					account.disabled,
					account.createdAt,
					account.lastSignInAt
				]
			);
		}).catch((error) => this.nameRace(error, account.name));
	}

	async updateAccount(id: string, patch: AccountPatch): Promise<Account | null> {
		return transaction(this.sql, async (client) => {
			// The enabled admins locked first, always in this order: two demotions at once
			// cannot both see "another admin is left".
			await client.query(
				`SELECT id FROM accounts WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`
			);
			const { rows } = await client.query<AccountRow>(
				`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 FOR UPDATE`,
				[id]
			);
			if (!rows[0]) return null;
			const account = accountFromRow(rows[0]);
			if (patch.name !== undefined) await this.assertNameFree(client, patch.name, id);
			if (losesAdmin(account, patch) && (await enabledAdmins(client)) === 1) {
				throw new LastAdminError();
			}
			const next = patched(account, patch);
			await client.query(
				`UPDATE accounts SET name = $2, name_key = $3, role = $4, password_hash = $5,
					disabled = $6, last_sign_in_at = $7
				WHERE id = $1`,
				[
					id,
					next.name,
					accountNameKey(next.name),
					next.role,
					next.passwordHash,
					next.disabled,
					next.lastSignInAt
				]
			);
			return next;
		}).catch((error) => this.nameRace(error, patch.name ?? ''));
	}

	async deleteAccount(id: string): Promise<boolean> {
		return transaction(this.sql, async (client) => {
			await client.query(
				`SELECT id FROM accounts WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`
			);
			const { rows } = await client.query<AccountRow>(
				`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 FOR UPDATE`,
				[id]
			);
			if (!rows[0]) return false;
			if (losesAdmin(accountFromRow(rows[0]), 'delete') && (await enabledAdmins(client)) === 1) {
				throw new LastAdminError();
			}
			// Sessions, links and passkeys go by the cascade.
			const deleted = await client.query('DELETE FROM accounts WHERE id = $1', [id]);
			return (deleted.rowCount ?? 0) > 0;
		});
	}

	async createSession(session: AccountSession): Promise<void> {
		await this.query(
			`INSERT INTO account_sessions (id, account_id, created_at, last_seen_at, expires_at, device)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			[
				session.id,
				session.accountId,
				session.createdAt,
				session.lastSeenAt,
				session.expiresAt,
				session.device
			]
		);
	}

	async getSession(id: string): Promise<AccountSession | null> {
		const { rows } = await this.query<SessionRow>('SELECT * FROM account_sessions WHERE id = $1', [
			id
		]);
		return rows[0] ? sessionFromRow(rows[0]) : null;
	}

	async touchSession(id: string, lastSeenAt: number): Promise<void> {
		await this.query('UPDATE account_sessions SET last_seen_at = $2 WHERE id = $1', [
			id,
			lastSeenAt
		]);
	}

	async deleteSession(id: string): Promise<void> {
		await this.query('DELETE FROM account_sessions WHERE id = $1', [id]);
	}

	async deleteSessionsOf(accountId: string, keep?: string): Promise<string[]> {
		const { rows } = await this.query<{ id: string }>(
			`DELETE FROM account_sessions WHERE account_id = $1 AND ($2::text IS NULL OR id <> $2)
			RETURNING id`,
			[accountId, keep ?? null]
		);
		return rows.map((row) => row.id);
	}

	async listSessionsOf(accountId: string, now: number): Promise<AccountSession[]> {
		const { rows } = await this.query<SessionRow>(
			`SELECT * FROM account_sessions WHERE account_id = $1 AND expires_at > $2
			ORDER BY created_at DESC, id COLLATE "C"`,
			[accountId, now]
		);
		return rows.map(sessionFromRow);
	}

	async saveToken(token: OneTimeToken): Promise<void> {
		// The expired ones go in the same statement: an anonymous challenge a minute piles none up.
		await this.query(
			`WITH expired AS (DELETE FROM one_time_tokens WHERE expires_at <= $4)
			INSERT INTO one_time_tokens (id, kind, account_id, created_at, expires_at, issuer)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			[token.id, token.kind, token.accountId, token.createdAt, token.expiresAt, token.issuer]
		);
	}

	async peekToken(id: string, now: number): Promise<OneTimeToken | null> {
		const { rows } = await this.query<TokenRow>('SELECT * FROM one_time_tokens WHERE id = $1', [
			id
		]);
		return rows[0] && rows[0].expires_at > now ? tokenFromRow(rows[0]) : null;
	}

	async takeToken(id: string, now: number): Promise<OneTimeToken | null> {
		// DELETE … RETURNING: the row goes in the statement that reads it, so one caller wins.
		const { rows } = await this.query<TokenRow>(
			'DELETE FROM one_time_tokens WHERE id = $1 RETURNING *',
			[id]
		);
		return rows[0] && rows[0].expires_at > now ? tokenFromRow(rows[0]) : null;
	}

	async deleteTokens(match: {
		kind?: TokenKind;
		accountId?: string;
		issuer?: string;
	}): Promise<void> {
		await this.query(
			`DELETE FROM one_time_tokens
			WHERE ($1::text IS NULL OR kind = $1)
				AND ($2::text IS NULL OR account_id = $2)
				AND ($3::text IS NULL OR issuer = $3)`,
			[match.kind ?? null, match.accountId ?? null, match.issuer ?? null]
		);
	}

	async addPasskey(passkey: Passkey): Promise<void> {
		await this.query(
			`INSERT INTO passkeys (id, account_id, public_key, counter, transports, created_at,
				last_used_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			[
				passkey.id,
				passkey.accountId,
				Buffer.from(passkey.publicKey),
				passkey.counter,
				JSON.stringify(passkey.transports),
				passkey.createdAt,
				passkey.lastUsedAt
			]
		);
	}

	async getPasskey(id: string): Promise<Passkey | null> {
		const { rows } = await this.query<PasskeyRow>('SELECT * FROM passkeys WHERE id = $1', [id]);
		return rows[0] ? passkeyFromRow(rows[0]) : null;
	}

	async listPasskeys(accountId: string): Promise<Passkey[]> {
		const { rows } = await this.query<PasskeyRow>(
			'SELECT * FROM passkeys WHERE account_id = $1 ORDER BY created_at, id COLLATE "C"',
			[accountId]
		);
		return rows.map(passkeyFromRow);
	}

	async usedPasskey(id: string, counter: number, at: number): Promise<void> {
		await this.query('UPDATE passkeys SET counter = $2, last_used_at = $3 WHERE id = $1', [
			id,
			counter,
			at
		]);
	}

	async deletePasskey(accountId: string, id: string): Promise<boolean> {
		const { rowCount } = await this.query(
			'DELETE FROM passkeys WHERE id = $1 AND account_id = $2',
			[id, accountId]
		);
		return (rowCount ?? 0) > 0;
	}

	async noteFailure(key: string, now: number, forgetAfterMs: number): Promise<Failures> {
		const { rows } = await this.query<{ count: number; last_at: number }>(
			`INSERT INTO sign_in_failures AS f (key, count, last_at) VALUES ($1, 1, $2)
			ON CONFLICT (key) DO UPDATE SET
				count = CASE WHEN f.last_at > $3 THEN f.count + 1 ELSE 1 END,
				last_at = $2
			RETURNING count, last_at`,
			[key, now, now - forgetAfterMs]
		);
		return { count: rows[0]!.count, lastAt: rows[0]!.last_at };
	}

	async failures(key: string): Promise<Failures | null> {
		// Count 0: a row `takeTry` made only to lock it.
		const { rows } = await this.query<{ count: number; last_at: number }>(
			'SELECT count, last_at FROM sign_in_failures WHERE key = $1 AND count > 0',
			[key]
		);
		return rows[0] ? { count: rows[0].count, lastAt: rows[0].last_at } : null;
	}

	async clearFailures(key: string): Promise<void> {
		await this.query('DELETE FROM sign_in_failures WHERE key = $1', [key]);
	}

	async takeTry(rules: readonly TryRule[], now: number): Promise<number> {
		const keys = [...new Set(rules.map((rule) => rule.key))];
		return transaction(this.sql, async (client) => {
			// Every key's row, locked (made with count 0 if it has none), always in one order: a
			// try at the same name on another node waits here until this one is counted.
			await client.query(
				`INSERT INTO sign_in_failures (key, count, last_at)
				SELECT key, 0, 0 FROM unnest($1::text[]) AS key ORDER BY key COLLATE "C"
				ON CONFLICT (key) DO NOTHING`,
				[keys]
			);
			const { rows } = await client.query<{ key: string; count: number; last_at: number }>(
				`SELECT key, count, last_at FROM sign_in_failures WHERE key = ANY($1::text[])
				ORDER BY key COLLATE "C" FOR UPDATE`,
				[keys]
			);
			const known = new Map(
				rows.map((row) => [
					row.key,
					row.count > 0 ? { count: row.count, lastAt: row.last_at } : null
				])
			);
			const wait = Math.max(0, ...rules.map((rule) => rule.waitMs(known.get(rule.key) ?? null)));
			if (wait > 0) return wait;
			for (const rule of rules) {
				await client.query(
					`UPDATE sign_in_failures
					SET count = CASE WHEN last_at > $3 THEN count + 1 ELSE 1 END, last_at = $2
					WHERE key = $1`,
					[rule.key, now, now - rule.forgetAfterMs]
				);
			}
			return 0;
		});
	}

	async deleteExpired(now: number, failuresBefore: number): Promise<number> {
		const deleted = await Promise.all([
			this.query('DELETE FROM one_time_tokens WHERE expires_at <= $1', [now]),
			this.query('DELETE FROM account_sessions WHERE expires_at <= $1', [now]),
			this.query('DELETE FROM sign_in_failures WHERE last_at < $1', [failuresBefore])
		]);
		return deleted.reduce((sum, result) => sum + (result.rowCount ?? 0), 0);
	}

	// -------------------------------------------------------------------------------------------
	// The accounts as rows (npm run migrate, copy.ts)

	async *exportAccounts(): AsyncIterable<AccountBatch> {
		for await (const rows of this.pages<AccountRow>('accounts')) {
			yield { kind: 'accounts', rows: rows.map(accountFromRow) };
		}
		for await (const rows of this.pages<SessionRow>('account_sessions')) {
			yield { kind: 'sessions', rows: rows.map(sessionFromRow) };
		}
		for await (const rows of this.pages<TokenRow>('one_time_tokens')) {
			yield { kind: 'links', rows: rows.map(tokenFromRow) };
		}
		for await (const rows of this.pages<PasskeyRow>('passkeys')) {
			yield { kind: 'passkeys', rows: rows.map(passkeyFromRow) };
		}
	}

	async importAccounts(batch: AccountBatch): Promise<void> {
		await transaction(this.sql, async (client) => {
			switch (batch.kind) {
				case 'accounts':
					for (const account of batch.rows) {
						await this.assertNameFree(client, account.name, account.id);
						await client.query(
							`INSERT INTO accounts (id, name, name_key, role, password_hash, disabled,
								created_at, last_sign_in_at)
							VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
							ON CONFLICT (id) DO UPDATE SET name = excluded.name,
								name_key = excluded.name_key, role = excluded.role,
								password_hash = excluded.password_hash, disabled = excluded.disabled,
								created_at = excluded.created_at, last_sign_in_at = excluded.last_sign_in_at`,
							[
								account.id,
								account.name,
								accountNameKey(account.name),
								account.role,
								account.passwordHash,
								account.disabled,
								account.createdAt,
								account.lastSignInAt
							]
						);
					}
					return;
				case 'sessions':
					await client.query('DELETE FROM account_sessions WHERE id = ANY($1::text[])', [
						batch.rows.map((row) => row.id)
					]);
					await client.query(
						`INSERT INTO account_sessions (id, account_id, created_at, last_seen_at,
							expires_at, device)
						SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[],
							$5::bigint[], $6::text[])`,
						byColumn(batch.rows, [
							'id',
							'accountId',
							'createdAt',
							'lastSeenAt',
							'expiresAt',
							'device'
						])
					);
					return;
				case 'links':
					await client.query('DELETE FROM one_time_tokens WHERE id = ANY($1::text[])', [
						batch.rows.map((row) => row.id)
					]);
					await client.query(
						`INSERT INTO one_time_tokens (id, kind, account_id, created_at, expires_at, issuer)
						SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[],
							$5::bigint[], $6::text[])`,
						byColumn(batch.rows, ['id', 'kind', 'accountId', 'createdAt', 'expiresAt', 'issuer'])
					);
					return;
				case 'passkeys':
					await client.query('DELETE FROM passkeys WHERE id = ANY($1::text[])', [
						batch.rows.map((row) => row.id)
					]);
					for (const passkey of batch.rows) {
						await client.query(
							`INSERT INTO passkeys (id, account_id, public_key, counter, transports,
								created_at, last_used_at)
							VALUES ($1, $2, $3, $4, $5, $6, $7)`,
							[
								passkey.id,
								passkey.accountId,
								Buffer.from(passkey.publicKey),
								passkey.counter,
								JSON.stringify(passkey.transports),
								passkey.createdAt,
								passkey.lastUsedAt
							]
						);
					}
					return;
			}
		});
	}

	/** A table's rows a batch at a time, in id order. */
	private async *pages<R extends QueryResultRow & { id: string }>(
		table: string
	): AsyncIterable<R[]> {
		for (let after = ''; ;) {
			const { rows } = await this.query<R>(
				`SELECT * FROM ${table} WHERE id > $1 COLLATE "C" ORDER BY id COLLATE "C" LIMIT $2`,
				[after, BATCH_ROWS]
			);
			if (rows.length === 0) return;
			yield rows;
			after = rows.at(-1)!.id;
		}
	}

	private async assertNameFree(client: SqlClient, name: string, id: string): Promise<void> {
		const { rows } = await client.query<{ id: string; name: string }>(
			'SELECT id, name FROM accounts WHERE name_key = $1',
			[accountNameKey(name)]
		);
		if (rows[0] && rows[0].id !== id) throw new NameTakenError(rows[0].name);
	}

	/** Two at once took the same name: the loser hears whose it is, as if it had looked later. */
	private async nameRace(error: unknown, name: string): Promise<never> {
		if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
			const holder = await this.findAccountByName(name);
			throw new NameTakenError(holder?.name ?? name);
		}
		throw error;
	}

	private query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[] = []) {
		return withDatabase(() => this.sql.query<R>(text, values));
	}
}

async function enabledAdmins(client: SqlClient): Promise<number> {
	const { rows } = await client.query<{ count: number }>(
		`SELECT count(*) AS count FROM accounts WHERE role = 'admin' AND NOT disabled`
	);
	return rows[0]!.count;
}

/** The rows' fields as one array per column, for `unnest`. */
function byColumn<T>(rows: readonly T[], fields: (keyof T)[]): unknown[][] {
	return fields.map((field) => rows.map((row) => row[field]));
}
