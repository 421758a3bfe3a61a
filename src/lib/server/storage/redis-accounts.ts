/**
 * Accounts in Redis, shared by the nodes of a cluster: a host signed in through one node is
 * signed in on all of them, and a session ended on one ends on all at once (every request
 * reads its session here). Keys, under the store's prefix:
 *
 *   account:<id>               hash: id, name, nameKey, role, passwordHash (absent: none),
 *                              disabled (0/1), createdAt, lastSignInAt (absent: never)
 *   accounts                   sorted set of account ids, scored by createdAt
 *   account-name:<nameKey>     the id holding that name (names are unique as folded)
 *   admins                     set of the enabled admins' ids
 *   session:<id>               hash: accountId, createdAt, lastSeenAt, expiresAt, device;
 *                              expires with the session
 *   account-sessions:<id>      set of the account's session ids
 *   token:<id>                 hash: kind, accountId, createdAt, expiresAt, issuer; expires
 *   tokens                     set of every token id (for deleting by kind, account, issuer)
 *   passkey:<id>               hash: accountId, publicKey (base64url), counter, transports
 *                              (JSON), createdAt, lastUsedAt
 *   account-passkeys:<id>      set of the account's passkey ids
 *   failures:<key>             hash: count, lastAt; expires when forgotten
 *
 * Checks and the writes they guard run in one Lua script: Redis runs one at a time, so two
 * nodes cannot both take the last admin away or both use one link.
 */
import {
	LastAdminError,
	NameTakenError,
	accountNameKey,
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
import type { RedisClient } from './redis-client.ts';

/** How the store runs commands: outages become StoreUnavailableError (see redis.ts). */
export type RedisCall = <T>(commands: () => Promise<T>) => Promise<T>;

/**
 * KEYS: account, admins, accounts; ARGV: prefix, id, nameKey, createdAt, isEnabledAdmin (0/1),
 * then field, value pairs of the hash.
 */
const CREATE_ACCOUNT = `
local holder = redis.call('GET', ARGV[1] .. 'account-name:' .. ARGV[3])
if holder and holder ~= ARGV[2] then
	return {'name-taken', redis.call('HGET', ARGV[1] .. 'account:' .. holder, 'name')}
end
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('SET', ARGV[1] .. 'account-name:' .. ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
if ARGV[5] == '1' then redis.call('SADD', KEYS[2], ARGV[2]) end
return {'ok'}`;

/**
 * KEYS: account, admins; ARGV: prefix, id, new nameKey ('' when the name stays), the number of
 * field, value pairs to set, the pairs, then the fields to delete (set to null).
 */
const UPDATE_ACCOUNT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
local prefix, id, newKey = ARGV[1], ARGV[2], ARGV[3]
local oldKey = redis.call('HGET', KEYS[1], 'nameKey')
local renamed = newKey ~= '' and newKey ~= oldKey
if renamed then
	local holder = redis.call('GET', prefix .. 'account-name:' .. newKey)
	if holder and holder ~= id then
		return {'name-taken', redis.call('HGET', prefix .. 'account:' .. holder, 'name')}
	end
end
local count = tonumber(ARGV[4])
local role = redis.call('HGET', KEYS[1], 'role')
local disabled = redis.call('HGET', KEYS[1], 'disabled')
for i = 0, count - 1 do
	local field, value = ARGV[5 + 2 * i], ARGV[6 + 2 * i]
	if field == 'role' then role = value elseif field == 'disabled' then disabled = value end
end
local adminAfter = role == 'admin' and disabled == '0'
if not adminAfter and redis.call('SISMEMBER', KEYS[2], id) == 1
	and redis.call('SCARD', KEYS[2]) == 1 then
	return {'last-admin'}
end
for i = 0, count - 1 do redis.call('HSET', KEYS[1], ARGV[5 + 2 * i], ARGV[6 + 2 * i]) end
for i = 5 + 2 * count, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
if renamed then
	redis.call('DEL', prefix .. 'account-name:' .. oldKey)
	redis.call('SET', prefix .. 'account-name:' .. newKey, id)
end
if adminAfter then redis.call('SADD', KEYS[2], id) else redis.call('SREM', KEYS[2], id) end
return {'ok'}`;

/** KEYS: account, admins, accounts, tokens; ARGV: prefix, id. */
const DELETE_ACCOUNT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
local prefix, id = ARGV[1], ARGV[2]
if redis.call('SISMEMBER', KEYS[2], id) == 1 and redis.call('SCARD', KEYS[2]) == 1 then
	return {'last-admin'}
end
redis.call('DEL', prefix .. 'account-name:' .. redis.call('HGET', KEYS[1], 'nameKey'))
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], id)
redis.call('SREM', KEYS[2], id)
for _, session in ipairs(redis.call('SMEMBERS', prefix .. 'account-sessions:' .. id)) do
	redis.call('DEL', prefix .. 'session:' .. session)
end
for _, passkey in ipairs(redis.call('SMEMBERS', prefix .. 'account-passkeys:' .. id)) do
	redis.call('DEL', prefix .. 'passkey:' .. passkey)
end
for _, token in ipairs(redis.call('SMEMBERS', KEYS[4])) do
	if redis.call('HGET', prefix .. 'token:' .. token, 'accountId') == id then
		redis.call('DEL', prefix .. 'token:' .. token)
		redis.call('SREM', KEYS[4], token)
	end
end
redis.call('DEL', prefix .. 'account-sessions:' .. id, prefix .. 'account-passkeys:' .. id)
return {'ok'}`;

/** A field set only on a hash that exists: a late write must not bring a deleted one back. */
const SET_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`;

/** KEYS: token, tokens; ARGV: token id. The whole hash, and the token gone, in one step. */
const TAKE_TOKEN = `
local token = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return token`;

/** KEYS: failures; ARGV: now, forgetAfterMs. */
const NOTE_FAILURE = `
local last = tonumber(redis.call('HGET', KEYS[1], 'lastAt'))
local count = 1
if last and last > tonumber(ARGV[1]) - tonumber(ARGV[2]) then
	count = tonumber(redis.call('HGET', KEYS[1], 'count')) + 1
end
redis.call('HSET', KEYS[1], 'count', count, 'lastAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return count`;

export class RedisAccounts implements AccountStore {
	constructor(
		private readonly client: RedisClient,
		private readonly prefix: string,
		private readonly call: RedisCall
	) {}

	async listAccounts(): Promise<Account[]> {
		const ids = await this.call(() => this.client.zRange(this.key('accounts'), 0, -1));
		const accounts = await this.hashes(ids.map((id) => this.key(`account:${id}`)));
		return accounts.flatMap((hash) => (hash ? [accountFromHash(hash)] : []));
	}

	async getAccount(id: string): Promise<Account | null> {
		const [hash] = await this.hashes([this.key(`account:${id}`)]);
		return hash ? accountFromHash(hash) : null;
	}

	async findAccountByName(name: string): Promise<Account | null> {
		const key = this.key(`account-name:${accountNameKey(name)}`);
		const id = await this.call(() => this.client.get(key));
		return id ? this.getAccount(id) : null;
	}

	async createAccount(account: Account): Promise<void> {
		const nameKey = accountNameKey(account.name);
		const fields = accountFields(account, nameKey);
		const reply = await this.script(CREATE_ACCOUNT, [
			[this.key(`account:${account.id}`), this.key('admins'), this.key('accounts')],
			[
				this.prefix,
				account.id,
				nameKey,
				String(account.createdAt),
				account.role === 'admin' && !account.disabled ? '1' : '0',
				...Object.entries(fields).flat()
			]
		]);
		refused(reply);
	}

	async updateAccount(id: string, patch: AccountPatch): Promise<Account | null> {
		const set: string[] = [];
		const unset: string[] = [];
		for (const [field, value] of Object.entries(patch)) {
			if (value === undefined) continue;
			if (value === null) unset.push(field);
			else set.push(field, field === 'disabled' ? (value ? '1' : '0') : String(value));
		}
		const nameKey = patch.name === undefined ? '' : accountNameKey(patch.name);
		if (nameKey !== '') set.push('nameKey', nameKey);
		const reply = await this.script(UPDATE_ACCOUNT, [
			[this.key(`account:${id}`), this.key('admins')],
			[this.prefix, id, nameKey, String(set.length / 2), ...set, ...unset]
		]);
		if (reply[0] === 'missing') return null;
		refused(reply);
		return this.getAccount(id);
	}

	async deleteAccount(id: string): Promise<boolean> {
		const reply = await this.script(DELETE_ACCOUNT, [
			[this.key(`account:${id}`), this.key('admins'), this.key('accounts'), this.key('tokens')],
			[this.prefix, id]
		]);
		if (reply[0] === 'missing') return false;
		refused(reply);
		return true;
	}

	async createSession(session: AccountSession): Promise<void> {
		const key = this.key(`session:${session.id}`);
		await this.call(() =>
			this.client
				.multi()
				.hSet(key, {
					accountId: session.accountId,
					createdAt: String(session.createdAt),
					lastSeenAt: String(session.lastSeenAt),
					expiresAt: String(session.expiresAt),
					device: session.device
				})
				.pExpireAt(key, redisExpiry(session.expiresAt))
				.sAdd(this.key(`account-sessions:${session.accountId}`), session.id)
				.exec()
		);
	}

	async getSession(id: string): Promise<AccountSession | null> {
		const [hash] = await this.hashes([this.key(`session:${id}`)]);
		return hash ? sessionFromHash(id, hash) : null;
	}

	async touchSession(id: string, lastSeenAt: number): Promise<void> {
		await this.script(SET_IF_EXISTS, [
			[this.key(`session:${id}`)],
			['lastSeenAt', String(lastSeenAt)]
		]);
	}

	async deleteSession(id: string): Promise<void> {
		const session = await this.getSession(id);
		await this.call(() => {
			const multi = this.client.multi().del(this.key(`session:${id}`));
			if (session) multi.sRem(this.key(`account-sessions:${session.accountId}`), id);
			return multi.exec();
		});
	}

	async deleteSessionsOf(accountId: string, keep?: string): Promise<string[]> {
		const index = this.key(`account-sessions:${accountId}`);
		const ids = await this.call(() => this.client.sMembers(index));
		const ended = ids.filter((id) => id !== keep);
		if (ended.length === 0) return [];
		await this.call(() =>
			this.client
				.multi()
				.del(ended.map((id) => this.key(`session:${id}`)))
				.sRem(index, ended)
				.exec()
		);
		return ended;
	}

	async listSessionsOf(accountId: string, now: number): Promise<AccountSession[]> {
		const index = this.key(`account-sessions:${accountId}`);
		const ids = await this.call(() => this.client.sMembers(index));
		const hashes = await this.hashes(ids.map((id) => this.key(`session:${id}`)));
		const gone = ids.filter((_, i) => hashes[i] === null);
		// Sessions Redis expired leave their id behind in the index: tidy up while here.
		if (gone.length > 0) await this.call(() => this.client.sRem(index, gone));
		return ids
			.flatMap((id, i) => {
				const hash = hashes[i];
				return hash ? [sessionFromHash(id, hash)] : [];
			})
			.filter((session) => session.expiresAt > now)
			.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
	}

	async saveToken(token: OneTimeToken): Promise<void> {
		await this.deleteExpiredTokens(token.createdAt);
		const key = this.key(`token:${token.id}`);
		const fields: Record<string, string> = {
			kind: token.kind,
			createdAt: String(token.createdAt),
			expiresAt: String(token.expiresAt)
		};
		if (token.accountId !== null) fields.accountId = token.accountId;
		if (token.issuer !== null) fields.issuer = token.issuer;
		await this.call(() =>
			this.client
				.multi()
				.hSet(key, fields)
				.pExpireAt(key, redisExpiry(token.expiresAt))
				.sAdd(this.key('tokens'), token.id)
				.exec()
		);
	}

	async peekToken(id: string, now: number): Promise<OneTimeToken | null> {
		const [hash] = await this.hashes([this.key(`token:${id}`)]);
		const token = hash ? tokenFromHash(id, hash) : null;
		return token && token.expiresAt > now ? token : null;
	}

	async takeToken(id: string, now: number): Promise<OneTimeToken | null> {
		const flat = (await this.script(TAKE_TOKEN, [
			[this.key(`token:${id}`), this.key('tokens')],
			[id]
		])) as string[];
		if (flat.length === 0) return null;
		const token = tokenFromHash(id, pairsToObject(flat));
		return token.expiresAt > now ? token : null;
	}

	async deleteTokens(match: {
		kind?: TokenKind;
		accountId?: string;
		issuer?: string;
	}): Promise<void> {
		const ids = await this.call(() => this.client.sMembers(this.key('tokens')));
		const hashes = await this.hashes(ids.map((id) => this.key(`token:${id}`)));
		const doomed = ids.filter((id, i) => {
			const hash = hashes[i];
			if (!hash) return true;
			const token = tokenFromHash(id, hash);
			return (
				(match.kind === undefined || token.kind === match.kind) &&
				(match.accountId === undefined || token.accountId === match.accountId) &&
				(match.issuer === undefined || token.issuer === match.issuer)
			);
		});
		if (doomed.length === 0) return;
		await this.call(() =>
			this.client
				.multi()
				.del(doomed.map((id) => this.key(`token:${id}`)))
				.sRem(this.key('tokens'), doomed)
				.exec()
		);
	}

	async addPasskey(passkey: Passkey): Promise<void> {
		const fields: Record<string, string> = {
			accountId: passkey.accountId,
			publicKey: Buffer.from(passkey.publicKey).toString('base64url'),
			counter: String(passkey.counter),
			transports: JSON.stringify(passkey.transports),
			createdAt: String(passkey.createdAt)
		};
		if (passkey.lastUsedAt !== null) fields.lastUsedAt = String(passkey.lastUsedAt);
		await this.call(() =>
			this.client
				.multi()
				.hSet(this.key(`passkey:${passkey.id}`), fields)
				.sAdd(this.key(`account-passkeys:${passkey.accountId}`), passkey.id)
				.exec()
		);
	}

	async getPasskey(id: string): Promise<Passkey | null> {
		const [hash] = await this.hashes([this.key(`passkey:${id}`)]);
		return hash ? passkeyFromHash(id, hash) : null;
	}

	async listPasskeys(accountId: string): Promise<Passkey[]> {
		const ids = await this.call(() =>
			this.client.sMembers(this.key(`account-passkeys:${accountId}`))
		);
		const hashes = await this.hashes(ids.map((id) => this.key(`passkey:${id}`)));
		return ids
			.flatMap((id, i) => {
				const hash = hashes[i];
				return hash ? [passkeyFromHash(id, hash)] : [];
			})
			.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
	}

	async usedPasskey(id: string, counter: number, at: number): Promise<void> {
		await this.script(SET_IF_EXISTS, [
			[this.key(`passkey:${id}`)],
			['counter', String(counter), 'lastUsedAt', String(at)]
		]);
	}

	async deletePasskey(accountId: string, id: string): Promise<boolean> {
		const passkey = await this.getPasskey(id);
		if (passkey?.accountId !== accountId) return false;
		await this.call(() =>
			this.client
				.multi()
				.del(this.key(`passkey:${id}`))
				.sRem(this.key(`account-passkeys:${accountId}`), id)
				.exec()
		);
		return true;
	}

	async noteFailure(key: string, now: number, forgetAfterMs: number): Promise<Failures> {
		const count = await this.script(NOTE_FAILURE, [
			[this.key(`failures:${key}`)],
			[String(now), String(forgetAfterMs)]
		]);
		return { count: Number(count), lastAt: now };
	}

	async failures(key: string): Promise<Failures | null> {
		const [hash] = await this.hashes([this.key(`failures:${key}`)]);
		return hash ? { count: Number(hash.count), lastAt: Number(hash.lastAt) } : null;
	}

	async clearFailures(key: string): Promise<void> {
		await this.call(() => this.client.del(this.key(`failures:${key}`)));
	}

	/** The tries in this process, one after another. */
	private tries: Promise<unknown> = Promise.resolve();

	/**
	 * One try at a time in this process. Nobody signs in against Redis any more (it is read by
	 * `npm run migrate` only), so this keeps the contract without a lock shared by processes.
	 */
	async takeTry(rules: readonly TryRule[], now: number): Promise<number> {
		const turn = this.tries.then(async () => {
			const known = await this.hashes(rules.map((rule) => this.key(`failures:${rule.key}`)));
			const waits = rules.map((rule, i) => {
				const hash = known[i];
				return rule.waitMs(
					hash ? { count: Number(hash.count), lastAt: Number(hash.lastAt) } : null
				);
			});
			const wait = Math.max(0, ...waits);
			if (wait > 0) return wait;
			for (const rule of rules) await this.noteFailure(rule.key, now, rule.forgetAfterMs);
			return 0;
		});
		this.tries = turn.catch(() => 0);
		return turn;
	}

	/**
	 * Redis expires sessions, tokens and failures itself, by its own clock; this goes by the
	 * caller's, and tidies the indexes of what Redis dropped. Scans everything: Redis is only
	 * `npm run migrate`'s source now.
	 */
	async deleteExpired(now: number, failuresBefore: number): Promise<number> {
		const tokens = await this.deleteExpiredTokens(now);
		let deleted = tokens;
		const multi = this.client.multi();
		const accounts = await this.call(() => this.client.zRange(this.key('accounts'), 0, -1));
		for (const accountId of accounts) {
			for (const session of await this.listSessionsOf(accountId, -Infinity)) {
				if (session.expiresAt > now) continue;
				multi.del(this.key(`session:${session.id}`));
				multi.sRem(this.key(`account-sessions:${accountId}`), session.id);
				deleted++;
			}
		}
		const match = this.key('failures:*');
		for await (const keys of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
			const failures = await this.hashes(keys);
			keys.forEach((key, i) => {
				if (Number(failures[i]?.lastAt ?? -Infinity) >= failuresBefore) return;
				multi.del(key);
				deleted++;
			});
		}
		if (deleted > tokens) await this.call(() => multi.exec());
		return deleted;
	}

	private async deleteExpiredTokens(now: number): Promise<number> {
		const ids = await this.call(() => this.client.sMembers(this.key('tokens')));
		const hashes = await this.hashes(ids.map((id) => this.key(`token:${id}`)));
		const gone = ids.filter((id, i) => {
			const hash = hashes[i];
			return !hash || tokenFromHash(id, hash).expiresAt <= now;
		});
		if (gone.length === 0) return 0;
		await this.call(() =>
			this.client
				.multi()
				.del(gone.map((id) => this.key(`token:${id}`)))
				.sRem(this.key('tokens'), gone)
				.exec()
		);
		return gone.length;
	}

	// -------------------------------------------------------------------------------------------
	// The accounts as rows (npm run migrate, copy.ts)

	async *exportAccounts(): AsyncIterable<AccountBatch> {
		const accountIds = (
			await this.call(() => this.client.zRange(this.key('accounts'), 0, -1))
		).sort(byId);
		for (const ids of chunks(accountIds, BATCH_ROWS)) {
			const hashes = await this.hashes(ids.map((id) => this.key(`account:${id}`)));
			const rows = hashes.flatMap((hash) => (hash ? [accountFromHash(hash)] : []));
			if (rows.length > 0) yield { kind: 'accounts', rows };
		}
		const owned = async (index: string) => {
			const multi = this.client.multi();
			for (const id of accountIds) multi.sMembers(this.key(`${index}:${id}`));
			const sets = (await this.call(() => multi.execAsPipeline())) as unknown as string[][];
			return accountIds.length === 0 ? [] : sets.flat().sort(byId);
		};
		for (const ids of chunks(await owned('account-sessions'), BATCH_ROWS)) {
			const hashes = await this.hashes(ids.map((id) => this.key(`session:${id}`)));
			const rows = ids.flatMap((id, i) => (hashes[i] ? [sessionFromHash(id, hashes[i])] : []));
			if (rows.length > 0) yield { kind: 'sessions', rows };
		}
		const tokenIds = (await this.call(() => this.client.sMembers(this.key('tokens')))).sort(byId);
		for (const ids of chunks(tokenIds, BATCH_ROWS)) {
			const hashes = await this.hashes(ids.map((id) => this.key(`token:${id}`)));
			const rows = ids.flatMap((id, i) => (hashes[i] ? [tokenFromHash(id, hashes[i])] : []));
			if (rows.length > 0) yield { kind: 'links', rows };
		}
		for (const ids of chunks(await owned('account-passkeys'), BATCH_ROWS)) {
			const hashes = await this.hashes(ids.map((id) => this.key(`passkey:${id}`)));
			const rows = ids.flatMap((id, i) => (hashes[i] ? [passkeyFromHash(id, hashes[i])] : []));
			if (rows.length > 0) yield { kind: 'passkeys', rows };
		}
	}

	async importAccounts(batch: AccountBatch): Promise<void> {
		const multi = this.client.multi();
		switch (batch.kind) {
			case 'accounts': {
				const nameKeys = batch.rows.map((account) => accountNameKey(account.name));
				const [holders, before] = await Promise.all([
					this.call(() => this.client.mGet(nameKeys.map((key) => this.key(`account-name:${key}`)))),
					this.hashes(batch.rows.map((account) => this.key(`account:${account.id}`)))
				]);
				for (const [i, account] of batch.rows.entries()) {
					const holder = holders[i];
					if (holder && holder !== account.id) {
						const taken = await this.getAccount(holder);
						throw new NameTakenError(taken?.name ?? account.name);
					}
					const key = this.key(`account:${account.id}`);
					const oldKey = before[i]?.nameKey;
					if (oldKey !== undefined && oldKey !== nameKeys[i]) {
						multi.del(this.key(`account-name:${oldKey}`));
					}
					multi.del(key).hSet(key, accountFields(account, nameKeys[i]!));
					multi.set(this.key(`account-name:${nameKeys[i]}`), account.id);
					multi.zAdd(this.key('accounts'), { score: account.createdAt, value: account.id });
					if (account.role === 'admin' && !account.disabled) {
						multi.sAdd(this.key('admins'), account.id);
					} else {
						multi.sRem(this.key('admins'), account.id);
					}
				}
				break;
			}
			case 'sessions':
				for (const session of batch.rows) {
					const key = this.key(`session:${session.id}`);
					multi.del(key).hSet(key, {
						accountId: session.accountId,
						createdAt: String(session.createdAt),
						lastSeenAt: String(session.lastSeenAt),
						expiresAt: String(session.expiresAt),
						device: session.device
					});
					multi.pExpireAt(key, redisExpiry(session.expiresAt));
					multi.sAdd(this.key(`account-sessions:${session.accountId}`), session.id);
				}
				break;
			case 'links':
				for (const token of batch.rows) {
					const key = this.key(`token:${token.id}`);
					const fields: Record<string, string> = {
						kind: token.kind,
						createdAt: String(token.createdAt),
						expiresAt: String(token.expiresAt)
					};
					if (token.accountId !== null) fields.accountId = token.accountId;
					if (token.issuer !== null) fields.issuer = token.issuer;
					multi.del(key).hSet(key, fields);
					multi.pExpireAt(key, redisExpiry(token.expiresAt));
					multi.sAdd(this.key('tokens'), token.id);
				}
				break;
			case 'passkeys':
				for (const passkey of batch.rows) {
					const key = this.key(`passkey:${passkey.id}`);
					const fields: Record<string, string> = {
						accountId: passkey.accountId,
						publicKey: Buffer.from(passkey.publicKey).toString('base64url'),
						counter: String(passkey.counter),
						transports: JSON.stringify(passkey.transports),
						createdAt: String(passkey.createdAt)
					};
					if (passkey.lastUsedAt !== null) fields.lastUsedAt = String(passkey.lastUsedAt);
					multi.del(key).hSet(key, fields);
					multi.sAdd(this.key(`account-passkeys:${passkey.accountId}`), passkey.id);
				}
				break;
		}
		// MULTI/EXEC: the batch goes in whole.
		await this.call(() => multi.exec());
	}

	private key(name: string): string {
		return this.prefix + name;
	}

	/** HGETALL of each key in one round trip; null where there is no such hash. */
	private async hashes(keys: string[]): Promise<(Record<string, string> | null)[]> {
		if (keys.length === 0) return [];
		const pipeline = this.client.multi();
		for (const key of keys) pipeline.hGetAll(key);
		const replies = (await this.call(() => pipeline.execAsPipeline())) as unknown as Record<
			string,
			string
		>[];
		return replies.map((hash) => (Object.keys(hash).length === 0 ? null : hash));
	}

	private async script(source: string, [keys, args]: [string[], string[]]): Promise<unknown[]> {
		const reply = await this.call(() => this.client.eval(source, { keys, arguments: args }));
		return Array.isArray(reply) ? reply : [reply];
	}
}

/**
 * When Redis may forget a session or a link by itself: its end, by Redis's clock. Reads check
 * the end themselves by the caller's clock, so a time already past here (a test's clock) keeps
 * the key a minute rather than dropping it before it is read.
 */
function redisExpiry(expiresAt: number): number {
	return Math.max(expiresAt, Date.now() + 60_000);
}

/** A script's refusal as the store's errors. */
function refused(reply: unknown[]): void {
	if (reply[0] === 'name-taken') throw new NameTakenError(String(reply[1]));
	if (reply[0] === 'last-admin') throw new LastAdminError();
}

function accountFields(account: Account, nameKey: string): Record<string, string> {
	const fields: Record<string, string> = {
		id: account.id,
		name: account.name,
		nameKey,
		role: account.role,
		disabled: account.disabled ? '1' : '0',
		createdAt: String(account.createdAt)
	};
	if (account.passwordHash !== null) fields.passwordHash = account.passwordHash;
	if (account.lastSignInAt !== null) fields.lastSignInAt = String(account.lastSignInAt);
	return fields;
}

function accountFromHash(hash: Record<string, string>): Account {
	return {
		id: hash.id!,
		name: hash.name!,
		role: hash.role === 'admin' ? 'admin' : 'host',
		passwordHash: hash.passwordHash ?? null,
		disabled: hash.disabled === '1',
		createdAt: Number(hash.createdAt),
		lastSignInAt: hash.lastSignInAt === undefined ? null : Number(hash.lastSignInAt)
	};
}

function sessionFromHash(id: string, hash: Record<string, string>): AccountSession {
	return {
		id,
		accountId: hash.accountId!,
		createdAt: Number(hash.createdAt),
		lastSeenAt: Number(hash.lastSeenAt),
		expiresAt: Number(hash.expiresAt),
		device: hash.device ?? ''
	};
}

function tokenFromHash(id: string, hash: Record<string, string>): OneTimeToken {
	return {
		id,
		kind: hash.kind as TokenKind,
		accountId: hash.accountId ?? null,
		createdAt: Number(hash.createdAt),
		expiresAt: Number(hash.expiresAt),
		issuer: hash.issuer ?? null
	};
}

function passkeyFromHash(id: string, hash: Record<string, string>): Passkey {
	return {
		id,
		accountId: hash.accountId!,
		publicKey: new Uint8Array(Buffer.from(hash.publicKey!, 'base64url')),
		counter: Number(hash.counter),
		transports: JSON.parse(hash.transports ?? '[]') as string[],
		createdAt: Number(hash.createdAt),
		lastUsedAt: hash.lastUsedAt === undefined ? null : Number(hash.lastUsedAt)
	};
}

function pairsToObject(flat: string[]): Record<string, string> {
	const hash: Record<string, string> = {};
	for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
	return hash;
}
