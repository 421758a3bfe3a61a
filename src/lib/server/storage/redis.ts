/**
 * The store shared by the nodes of a cluster: quizzes, images and game reports in Redis, so a
 * quiz saved through one node is played on another and every node lists every report. Games
 * in progress (`live`) stay in the node's own SQLite file: the caller hands them in.
 *
 * Keys, all under one prefix (default `quizroom:`):
 *
 *   meta:format            "2": the layout below; a newer one is refused, not misread, an
 *                          older one upgraded at open (UPGRADES)
 *   meta:samples-seeded    when the sample quizzes went in (once per store, ever)
 *   quiz:<id>              hash: title, description, questionCount, questions (JSON),
 *                          createdAt, updatedAt, lastPlayedAt (absent until played), ownerId
 *                          (absent: from before accounts)
 *   quizzes                sorted set of quiz ids, scored by updatedAt
 *   quiz-shares:<id>       hash: grantee (account id or *) → "<position>:<use|edit>"
 *   image:<sha256>.<ext>   the image's bytes (content-addressed: written once, never changed)
 *   images:used            hash: image id → when it was last uploaded or found in use (ms)
 *   image-owners:<id>      set of the accounts that uploaded the image
 *   account-images:<id>    set of the images the account uploaded
 *   game:<id>              the game's record, JSON (hostId: the account that hosted it)
 *   games                  hash: game id → its summary for the list, JSON
 *
 * Accounts, sessions, links and passkeys: see redis-accounts.ts.
 *
 * A write that touches several keys is one MULTI/EXEC (or one Lua script where it must read
 * first), so a crash never leaves a quiz without its list entry or half a report.
 */
import { ErrorReply, RESP_TYPES } from '@redis/client';
import type { GameRecord } from '../../game/record.ts';
import { QUIZ_FORMAT_VERSION, type Quiz } from '../../protocol/quiz.ts';
import { StoreUnavailableError } from './errors.ts';
import type { LiveRooms } from './live-rooms.ts';
import { RedisAccounts } from './redis-accounts.ts';
import { BATCH_ROWS, REPORTS_PER_BATCH, byId, chunks, chunksBySize } from './batches.ts';
import type { RedisClient } from './redis-client.ts';
import {
	accessFor,
	assertGameKeys,
	byNewestEdit,
	quizListPage,
	byNewestStart,
	foldCase,
	gameListItem,
	imageId,
	imageTypeOf,
	titleSearch,
	toJson
} from './shared.ts';
import {
	QuizChangedError,
	type SaveQuizOptions,
	type GameListItem,
	type ImageType,
	type OwnedCounts,
	type QuizAccess,
	type QuizListItem,
	type QuizListOptions,
	type QuizShare,
	type RecordBatch,
	type ShareLevel,
	type Storage,
	type StoredImage,
	type StoredQuiz,
	type Viewer
} from './storage.ts';

export const DEFAULT_REDIS_PREFIX = 'quizroom:';

/** The samples shipped before accounts (UPGRADES[2] opens them to every host). */
const SAMPLE_IDS = [
	'world-geography',
	'science-and-nature',
	'computers-and-the-internet',
	'question-types-tour'
];

/** Every key pattern of redis-accounts.ts, for clearRecord. */
const RECORD_ACCOUNT_KEYS = [
	'account:*',
	'accounts',
	'account-name:*',
	'admins',
	'session:*',
	'account-sessions:*',
	'token:*',
	'tokens',
	'passkey:*',
	'account-passkeys:*',
	'failures:*'
];

/** The key layout above. Bump it (and add its step to UPGRADES) when the layout changes. */
export const REDIS_FORMAT = 2;

/**
 * Each format's step from the one before, one Lua script each (Redis runs it whole, and the
 * format stamp moves in the same script, so nodes opening at once upgrade once). ARGV[1] is
 * the key prefix.
 *
 * 2: accounts. The four samples seeded before then stay open to every host, as new ones start
 * (a quiz without `ownerId` is nobody's until the first admin adopts it).
 */
const UPGRADES: Record<number, string> = {
	2: `
for _, id in ipairs({'world-geography', 'science-and-nature', 'computers-and-the-internet',
		'question-types-tour'}) do
	if redis.call('EXISTS', ARGV[1] .. 'quiz:' .. id) == 1 then
		redis.call('HSETNX', ARGV[1] .. 'quiz-shares:' .. id, '*', '0:use')
	end
end`
};

/** KEYS: the format stamp; ARGV: prefix, from, to. Runs the step only if still at `from`. */
const UPGRADE = (step: string) => `
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
${step}
redis.call('SET', KEYS[1], ARGV[3])
return 1`;

export interface RedisStorageOptions {
	/** A connected client (see redis-client.ts); the store closes it on `close()`. */
	client: RedisClient;
	/** This node's games in progress (its SQLite `LiveRooms`). */
	live: LiveRooms;
	/** Every key starts with this (default `quizroom:`), so one Redis can hold other things. */
	prefix?: string;
	/** Runs after the client is closed, e.g. to close the SQLite file behind `live`. */
	onClose?: () => Promise<void> | void;
}

export class RedisFormatTooNewError extends Error {
	constructor(found: string) {
		super(
			`The Redis store was written by a newer Quizroom (format ${found}, this one knows ` +
				`${REDIS_FORMAT}): upgrade this node instead of letting it misread the data`
		);
		this.name = 'RedisFormatTooNewError';
	}
}

/** The fields of a quiz hash a list shows (everything but the questions). */
const LIST_FIELDS = [
	'title',
	'description',
	'questionCount',
	'createdAt',
	'updatedAt',
	'lastPlayedAt',
	'ownerId'
] as const;

/** Stamps "last played" on a quiz only if it still exists (an HSET would create half a quiz). */
const MARK_PLAYED = `
if redis.call('EXISTS', KEYS[1]) == 1 then
	redis.call('HSET', KEYS[1], 'lastPlayedAt', ARGV[1])
end
return 0`;

/**
 * Deletes images still unused: KEYS = the stamps hash, then one image key per candidate; ARGV =
 * the cutoff, then the candidates' ids. Each is checked again here, so an upload of the same
 * picture on another node since the sweep looked (a fresh stamp) keeps it.
 */
const SWEEP_IMAGES = `
local cutoff = tonumber(ARGV[1])
local deleted = 0
for i = 2, #KEYS do
	local at = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))
	if at and at < cutoff then
		redis.call('DEL', KEYS[i])
		redis.call('HDEL', KEYS[1], ARGV[i])
		local owners = ARGV[1 + #KEYS] .. 'image-owners:' .. ARGV[i]
		for _, owner in ipairs(redis.call('SMEMBERS', owners)) do
			redis.call('SREM', ARGV[1 + #KEYS] .. 'account-images:' .. owner, ARGV[i])
		end
		redis.call('DEL', owners)
		deleted = deleted + 1
	end
end
return deleted`;

/**
 * The samples, once per store: KEYS = flag, list, then one quiz key per sample; ARGV = now,
 * then id, title, description, questionCount, questions per sample. A quiz already under a
 * sample's id is the host's and stays. Nodes starting together race here; Redis runs one
 * script at a time, so exactly one of them seeds.
 */
const SEED_SAMPLES = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local now = ARGV[1]
local inserted = 0
for i = 3, #KEYS do
	local at = 2 + (i - 3) * 5
	if redis.call('EXISTS', KEYS[i]) == 0 then
		redis.call('HSET', KEYS[i], 'title', ARGV[at + 1], 'description', ARGV[at + 2],
			'questionCount', ARGV[at + 3], 'questions', ARGV[at + 4],
			'createdAt', now, 'updatedAt', now)
		redis.call('ZADD', KEYS[2], now, ARGV[at])
		redis.call('HSET', ARGV[#ARGV] .. 'quiz-shares:' .. ARGV[at], '*', '0:use')
		inserted = inserted + 1
	end
end
redis.call('SET', KEYS[1], now)
return inserted`;

/**
 * KEYS: the quiz, the list; ARGV: id, now, owner ('' for none), the updatedAt the save was
 * made against ('' for any), then the quiz's fields. An edit keeps createdAt, lastPlayedAt and
 * the owner; everything else is replaced. 0: someone saved it since (nothing written).
 */
const SAVE_QUIZ = `
local stored = redis.call('HGET', KEYS[1], 'updatedAt')
if ARGV[4] ~= '' and stored and stored ~= ARGV[4] then return 0 end
redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[2])
redis.call('HSETNX', KEYS[1], 'ownerId', ARGV[3])
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
local at = tonumber(ARGV[2])
if stored and tonumber(stored) >= at then at = tonumber(stored) + 1 end
local stamp = string.format('%d', at)
redis.call('HSET', KEYS[1], 'updatedAt', stamp)
redis.call('ZADD', KEYS[2], stamp, ARGV[1])
return 1`;

/**
 * KEYS: the quiz, its shares; ARGV: grantee, level. A new share goes last; a changed level
 * keeps its place. Nothing for a quiz that is not there.
 */
const SHARE_QUIZ = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local current = redis.call('HGET', KEYS[2], ARGV[1])
local position
if current then
	position = string.match(current, '^(%d+):')
else
	position = 0
	for _, value in ipairs(redis.call('HVALS', KEYS[2])) do
		position = math.max(position, tonumber(string.match(value, '^(%d+):')) + 1)
	end
end
redis.call('HSET', KEYS[2], ARGV[1], position .. ':' .. ARGV[2])
return 1`;

export class RedisStorage implements Storage {
	readonly live: LiveRooms;
	readonly accounts: RedisAccounts;
	readonly prefix: string;
	private readonly client: RedisClient;
	private readonly onClose?: () => Promise<void> | void;
	private closed = false;

	private constructor(options: RedisStorageOptions) {
		this.client = options.client;
		this.live = options.live;
		this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
		this.onClose = options.onClose;
		this.accounts = new RedisAccounts(this.client, this.prefix, (commands) => this.call(commands));
	}

	/**
	 * Takes over the client and checks the layout: a store written by a newer Quizroom is
	 * refused (the client is closed then too). A new store is stamped with this format.
	 */
	static async open(options: RedisStorageOptions): Promise<RedisStorage> {
		const storage = new RedisStorage(options);
		try {
			const key = storage.key('meta:format');
			const [, found] = (await storage.call(() =>
				storage.client.multi().set(key, String(REDIS_FORMAT), { NX: true }).get(key).exec()
			)) as [unknown, string | null];
			if (Number(found) > REDIS_FORMAT) throw new RedisFormatTooNewError(String(found));
			for (let format = Number(found); format < REDIS_FORMAT; format++) {
				const step = UPGRADES[format + 1]!;
				await storage.call(() =>
					storage.client.eval(UPGRADE(step), {
						keys: [key],
						arguments: [storage.prefix, String(format), String(format + 1)]
					})
				);
			}
		} catch (error) {
			await storage.close();
			throw error;
		}
		return storage;
	}

	// -------------------------------------------------------------------------------------------
	// Quizzes

	async listQuizzes(options: QuizListOptions = {}): Promise<QuizListItem[]> {
		const folded = titleSearch(options.search);
		const { viewer } = options;
		const ids = await this.call(() => this.client.zRange(this.key('quizzes'), 0, -1));
		if (ids.length === 0) return [];
		// One round trip for all of them; not a transaction, so a quiz deleted in between
		// comes back empty and is left out.
		const pipeline = this.client.multi();
		for (const id of ids) pipeline.hmGet(this.quizKey(id), [...LIST_FIELDS]);
		// Built in a loop, so the client cannot type the replies: HMGET gives strings or nulls.
		const rows = (await this.call(() => pipeline.execAsPipeline())) as unknown as (
			string | null
		)[][];
		const shares = viewer ? await this.sharesOf(ids) : [];
		const items: QuizListItem[] = [];
		rows.forEach((row, index) => {
			const [title, description, questionCount, createdAt, updatedAt, lastPlayedAt, ownerId] = row;
			if (title == null || description == null) return;
			if (folded !== null && !foldCase(title).includes(folded)) return;
			// '' is "nobody": a quiz saved before its owner was known keeps the field empty.
			const owner = ownerId || null;
			const access = viewer ? accessFor(owner, shares[index]!, viewer) : 'owner';
			if (!access) return;
			items.push({
				id: ids[index]!,
				title,
				description,
				questionCount: Number(questionCount),
				createdAt: Number(createdAt),
				updatedAt: Number(updatedAt),
				lastPlayedAt: lastPlayedAt == null ? null : Number(lastPlayedAt),
				ownerId: owner,
				access
			});
		});
		return quizListPage(items.sort(byNewestEdit), options);
	}

	async getQuiz(id: string): Promise<StoredQuiz | null> {
		const hash = await this.call(() => this.client.hGetAll(this.quizKey(id)));
		return storedQuizFromHash(id, hash as Record<string, string>);
	}

	async quizAccess(id: string, viewer: Viewer): Promise<QuizAccess | null> {
		const [exists, ownerId] = await this.call(() =>
			this.client.multi().exists(this.quizKey(id)).hGet(this.quizKey(id), 'ownerId').execTyped()
		);
		if (!exists) return null;
		const [shares] = await this.sharesOf([id]);
		return accessFor(ownerId || null, shares!, viewer);
	}

	async saveQuiz(
		quiz: Quiz,
		now: number,
		ownerId: string | null = null,
		options: SaveQuizOptions = {}
	): Promise<StoredQuiz> {
		// Encoded before anything is sent: a quiz JSON cannot keep fails without touching Redis.
		const fields = quizFields(quiz, now);
		const key = this.quizKey(quiz.id);
		const saved = await this.call(() =>
			this.client.eval(SAVE_QUIZ, {
				keys: [key, this.key('quizzes')],
				arguments: [
					quiz.id,
					String(now),
					ownerId ?? '',
					options.expectedUpdatedAt === undefined ? '' : String(options.expectedUpdatedAt),
					...Object.entries(fields).flat()
				]
			})
		);
		if (saved === 0) throw new QuizChangedError(quiz.id);
		// Read back what is stored, so the caller gets exactly what getQuiz will give.
		return (await this.getQuiz(quiz.id))!;
	}

	async deleteQuiz(id: string): Promise<boolean> {
		const [deleted] = await this.call(() =>
			this.client
				.multi()
				.del(this.quizKey(id))
				.zRem(this.key('quizzes'), id)
				.del(this.sharesKey(id))
				.exec()
		);
		return Number(deleted) > 0;
	}

	async quizShares(id: string): Promise<QuizShare[]> {
		const [shares] = await this.sharesOf([id]);
		return shares!;
	}

	async shareQuiz(id: string, grantee: string, level: ShareLevel | null): Promise<void> {
		if (level === null) {
			await this.call(() => this.client.hDel(this.sharesKey(id), grantee));
			return;
		}
		await this.call(() =>
			this.client.eval(SHARE_QUIZ, {
				keys: [this.quizKey(id), this.sharesKey(id)],
				arguments: [grantee, level]
			})
		);
	}

	/** Each quiz's shares, in the order shared, in one round trip. */
	private async sharesOf(ids: string[]): Promise<QuizShare[][]> {
		const pipeline = this.client.multi();
		for (const id of ids) pipeline.hGetAll(this.sharesKey(id));
		const hashes = (await this.call(() => pipeline.execAsPipeline())) as unknown as Record<
			string,
			string
		>[];
		return hashes.map((hash) =>
			Object.entries(hash)
				.map(([grantee, value]) => {
					const [position, level] = value.split(':');
					return { grantee, level: level as ShareLevel, position: Number(position) };
				})
				.sort((a, b) => a.position - b.position || (a.grantee < b.grantee ? -1 : 1))
				.map(({ grantee, level }) => ({ grantee, level }))
		);
	}

	async markQuizPlayed(id: string, at: number): Promise<void> {
		await this.call(() =>
			this.client.eval(MARK_PLAYED, { keys: [this.quizKey(id)], arguments: [String(at)] })
		);
	}

	async seedSamples(samples: Quiz[], now: number): Promise<number> {
		const keys = [this.key('meta:samples-seeded'), this.key('quizzes')];
		const args = [String(now)];
		for (const quiz of samples) {
			const fields = quizFields(quiz, now);
			keys.push(this.quizKey(quiz.id));
			args.push(quiz.id, fields.title, fields.description, fields.questionCount, fields.questions);
		}
		args.push(this.prefix);
		const inserted = await this.call(() =>
			this.client.eval(SEED_SAMPLES, { keys, arguments: args })
		);
		return Number(inserted);
	}

	// -------------------------------------------------------------------------------------------
	// Images

	async saveImage(
		bytes: Uint8Array,
		type: ImageType,
		ownerId: string | null = null
	): Promise<string> {
		const id = imageId(bytes, type);
		const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		// Same address, same bytes: an image already there is this image (used again now).
		await this.call(() => {
			const multi = this.client
				.multi()
				.set(this.key(`image:${id}`), value, { NX: true })
				.hSet(this.key('images:used'), id, String(Date.now()));
			if (ownerId !== null) {
				multi.sAdd(this.key(`image-owners:${id}`), ownerId);
				multi.sAdd(this.key(`account-images:${ownerId}`), id);
			}
			return multi.exec();
		});
		return id;
	}

	async imageBytesOf(accountId: string): Promise<number> {
		const ids = await this.call(() =>
			this.client.sMembers(this.key(`account-images:${accountId}`))
		);
		if (ids.length === 0) return 0;
		const pipeline = this.client.multi();
		for (const id of ids) pipeline.strLen(this.key(`image:${id}`));
		const lengths = (await this.call(() => pipeline.execAsPipeline())) as unknown as number[];
		return lengths.reduce((sum, length) => sum + Number(length), 0);
	}

	async hasImage(id: string): Promise<boolean> {
		if (!imageTypeOf(id)) return false;
		return (await this.call(() => this.client.exists(this.key(`image:${id}`)))) > 0;
	}

	async sweepImages(inUse: ReadonlySet<string>, now: number, keepMs: number): Promise<number> {
		const used = this.key('images:used');
		const prefix = this.key('image:');
		const ids = await this.imageIds();
		const stamps = await this.call(() => this.client.hGetAll(used));
		const fresh: Record<string, string> = {};
		const stale: string[] = [];
		for (const id of ids) {
			// An image stored before stamps were kept counts from its first sweep.
			if (inUse.has(id) || stamps[id] === undefined) fresh[id] = String(now);
			else if (Number(stamps[id]) < now - keepMs) stale.push(id);
		}
		if (Object.keys(fresh).length > 0) await this.call(() => this.client.hSet(used, fresh));
		if (stale.length === 0) return 0;
		const deleted = await this.call(() =>
			this.client.eval(SWEEP_IMAGES, {
				keys: [used, ...stale.map((id) => `${prefix}${id}`)],
				arguments: [String(now - keepMs), ...stale, this.prefix]
			})
		);
		return Number(deleted);
	}

	async getImage(id: string): Promise<StoredImage | null> {
		// The pattern check keeps odd ids from ever becoming keys.
		const type = imageTypeOf(id);
		if (!type) return null;
		const bytes = await this.call(() =>
			this.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(this.key(`image:${id}`))
		);
		// A copy with its own ArrayBuffer: a reply may be a view of a larger buffer.
		return bytes ? { id, type, bytes: new Uint8Array(bytes) } : null;
	}

	// -------------------------------------------------------------------------------------------
	// Games

	async saveGame(record: GameRecord): Promise<void> {
		// The same records are refused as by SQLite's keys, before anything is sent.
		assertGameKeys(record);
		const json = toJson(record, `Game ${record.id}`);
		const summary = JSON.stringify(gameListItem(record));
		await this.call(() =>
			this.client
				.multi()
				.set(this.gameKey(record.id), json)
				.hSet(this.key('games'), record.id, summary)
				.exec()
		);
	}

	async listGames(viewer?: Viewer): Promise<GameListItem[]> {
		const summaries = await this.call(() => this.client.hVals(this.key('games')));
		return (
			summaries
				.map((summary) => JSON.parse(summary) as GameListItem)
				// Summaries written before accounts have no host.
				.map((game) => ({ ...game, hostId: game.hostId ?? null }))
				.filter((game) => !viewer || viewer.everything || game.hostId === viewer.accountId)
				.sort(byNewestStart)
		);
	}

	async getGame(id: string): Promise<GameRecord | null> {
		const json = await this.call(() => this.client.get(this.gameKey(id)));
		if (json == null) return null;
		const record = JSON.parse(json) as GameRecord;
		// Records written before accounts have no host.
		return { ...record, hostId: record.hostId ?? null };
	}

	async deleteGame(id: string): Promise<boolean> {
		const [deleted] = await this.call(() =>
			this.client.multi().del(this.gameKey(id)).hDel(this.key('games'), id).exec()
		);
		return Number(deleted) > 0;
	}

	async adoptOrphans(accountId: string): Promise<void> {
		const ids = await this.call(() => this.client.zRange(this.key('quizzes'), 0, -1));
		const owners = await this.quizOwners(ids);
		const orphans = ids.filter((_, i) => !owners[i]);
		if (orphans.length > 0) {
			const multi = this.client.multi();
			for (const id of orphans) multi.hSet(this.quizKey(id), 'ownerId', accountId);
			await this.call(() => multi.exec());
		}
		await this.rehostGames((hostId) => (hostId === null ? accountId : undefined));
		const images = await this.imageIds();
		const imageOwners = await this.call(() => {
			const multi = this.client.multi();
			for (const id of images) multi.exists(this.key(`image-owners:${id}`));
			return multi.execAsPipeline();
		});
		const unowned = images.filter((_, i) => Number(imageOwners[i]) === 0);
		if (unowned.length > 0) {
			const multi = this.client.multi();
			for (const id of unowned) multi.sAdd(this.key(`image-owners:${id}`), accountId);
			multi.sAdd(this.key(`account-images:${accountId}`), unowned);
			await this.call(() => multi.exec());
		}
	}

	async handOver(fromId: string, toId: string): Promise<void> {
		const ids = await this.call(() => this.client.zRange(this.key('quizzes'), 0, -1));
		const owners = await this.quizOwners(ids);
		const multi = this.client.multi();
		ids.forEach((id, i) => {
			// Shared with the new owner: theirs now, the share says nothing more.
			if (owners[i] === fromId) {
				multi.hSet(this.quizKey(id), 'ownerId', toId);
				multi.hDel(this.sharesKey(id), toId);
			}
			multi.hDel(this.sharesKey(id), fromId);
		});
		const images = await this.call(() =>
			this.client.sMembers(this.key(`account-images:${fromId}`))
		);
		for (const id of images) {
			multi.sRem(this.key(`image-owners:${id}`), fromId);
			multi.sAdd(this.key(`image-owners:${id}`), toId);
		}
		if (images.length > 0) multi.sAdd(this.key(`account-images:${toId}`), images);
		multi.del(this.key(`account-images:${fromId}`));
		await this.call(() => multi.exec());
		await this.rehostGames((hostId) => (hostId === fromId ? toId : undefined));
	}

	async deleteOwnedBy(accountId: string): Promise<void> {
		const ids = await this.call(() => this.client.zRange(this.key('quizzes'), 0, -1));
		const owners = await this.quizOwners(ids);
		for (const [i, id] of ids.entries()) {
			if (owners[i] === accountId) await this.deleteQuiz(id);
			else await this.call(() => this.client.hDel(this.sharesKey(id), accountId));
		}
		for (const game of await this.listGames({ accountId, everything: false })) {
			await this.deleteGame(game.id);
		}
		const images = await this.call(() =>
			this.client.sMembers(this.key(`account-images:${accountId}`))
		);
		const multi = this.client.multi();
		for (const id of images) multi.sRem(this.key(`image-owners:${id}`), accountId);
		multi.del(this.key(`account-images:${accountId}`));
		await this.call(() => multi.exec());
	}

	async ownedCounts(accountId: string): Promise<OwnedCounts> {
		const ids = await this.call(() => this.client.zRange(this.key('quizzes'), 0, -1));
		const owners = await this.quizOwners(ids);
		const games = await this.listGames({ accountId, everything: false });
		const images = await this.call(() =>
			this.client.sCard(this.key(`account-images:${accountId}`))
		);
		return {
			quizzes: owners.filter((owner) => owner === accountId).length,
			reports: games.length,
			images: Number(images)
		};
	}

	/** Each quiz's owner ('' or null: none), in one round trip. */
	private async quizOwners(ids: string[]): Promise<(string | null)[]> {
		if (ids.length === 0) return [];
		const multi = this.client.multi();
		for (const id of ids) multi.hGet(this.quizKey(id), 'ownerId');
		const owners = (await this.call(() => multi.execAsPipeline())) as unknown as (string | null)[];
		return owners.map((owner) => owner || null);
	}

	/** Gives games a new host: `next` says whom, or undefined to leave a game as it is. */
	private async rehostGames(next: (hostId: string | null) => string | undefined): Promise<void> {
		for (const game of await this.listGames()) {
			const hostId = next(game.hostId);
			if (hostId === undefined) continue;
			const record = await this.getGame(game.id);
			if (record) await this.saveGame({ ...record, hostId });
		}
	}

	private async imageIds(): Promise<string[]> {
		const prefix = this.key('image:');
		const ids: string[] = [];
		await this.call(async () => {
			const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
			for await (const keys of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
				for (const key of keys) ids.push(key.slice(prefix.length));
			}
		});
		return ids;
	}

	// -------------------------------------------------------------------------------------------
	// The record as rows (npm run migrate, copy.ts): how a cluster's record before PostgreSQL
	// moves there.

	/**
	 * For reading the record out: takes over the client and writes nothing, not even the format
	 * stamp (the caller checks `meta:format` first). A store of an older format is exported as
	 * its upgrade would leave it.
	 */
	static forReading(options: RedisStorageOptions): RedisStorage {
		return new RedisStorage(options);
	}

	async *exportRecord(): AsyncIterable<RecordBatch> {
		const [format, seeded] = await this.call(() =>
			this.client.mGet([this.key('meta:format'), this.key('meta:samples-seeded')])
		);
		if (seeded != null) yield { kind: 'meta', rows: [{ key: 'samples-seeded', value: seeded }] };
		const quizIds = (await this.call(() => this.client.zRange(this.key('quizzes'), 0, -1))).sort(
			byId
		);
		for (const ids of chunks(quizIds, BATCH_ROWS)) {
			const pipeline = this.client.multi();
			for (const id of ids) pipeline.hGetAll(this.quizKey(id));
			const hashes = (await this.call(() => pipeline.execAsPipeline())) as unknown as Record<
				string,
				string
			>[];
			const shares = await this.sharesOf(ids);
			const rows = ids.flatMap((id, i) => {
				const stored = storedQuizFromHash(id, hashes[i]!);
				if (!stored) return [];
				let quizShares = shares[i]!;
				// Format 1 (before accounts): the samples, open to every host, as UPGRADES[2] does.
				if (Number(format ?? REDIS_FORMAT) < 2 && SAMPLE_IDS.includes(id)) {
					if (!quizShares.some((share) => share.grantee === '*')) {
						quizShares = [{ grantee: '*', level: 'use' }, ...quizShares];
					}
				}
				return [{ ...stored, shares: quizShares }];
			});
			if (rows.length > 0) yield { kind: 'quizzes', rows };
		}
		// A picture stored before stamps were kept counts from now, as its first sweep would.
		const now = Date.now();
		const stamps = await this.call(() => this.client.hGetAll(this.key('images:used')));
		const imageIds = (await this.imageIds()).sort(byId);
		const sizes = await this.call(() => {
			const multi = this.client.multi();
			for (const id of imageIds) multi.strLen(this.key(`image:${id}`));
			return multi.execAsPipeline();
		});
		const images = imageIds.map((id, i) => ({ id, size: Number(sizes[i]) }));
		for (const batch of chunksBySize(images, (image) => image.size)) {
			const rows = [];
			for (const { id } of batch) {
				const image = await this.getImage(id);
				if (!image) continue;
				const owners = await this.call(() => this.client.sMembers(this.key(`image-owners:${id}`)));
				const stamp = stamps[id];
				rows.push({
					...image,
					usedAt: stamp === undefined ? now : Number(stamp),
					owners: owners.sort(byId)
				});
			}
			if (rows.length > 0) yield { kind: 'images', rows };
		}
		const gameIds = (await this.call(() => this.client.hKeys(this.key('games')))).sort(byId);
		for (const ids of chunks(gameIds, REPORTS_PER_BATCH)) {
			const records = await this.call(() => this.client.mGet(ids.map((id) => this.gameKey(id))));
			const rows = records.flatMap((json) => {
				if (json == null) return [];
				const record = JSON.parse(json) as GameRecord;
				// Records written before accounts have no host.
				return [{ ...record, hostId: record.hostId ?? null }];
			});
			if (rows.length > 0) yield { kind: 'reports', rows };
		}
	}

	async importRecord(batch: RecordBatch): Promise<void> {
		const multi = this.client.multi();
		switch (batch.kind) {
			case 'meta':
				for (const row of batch.rows) multi.set(this.key('meta:samples-seeded'), row.value);
				break;
			case 'quizzes':
				for (const row of batch.rows) {
					const key = this.quizKey(row.quiz.id);
					const fields: Record<string, string> = {
						...quizFields(row.quiz, row.updatedAt),
						createdAt: String(row.createdAt)
					};
					if (row.lastPlayedAt !== null) fields.lastPlayedAt = String(row.lastPlayedAt);
					if (row.ownerId !== null) fields.ownerId = row.ownerId;
					multi.del(key).hSet(key, fields);
					multi.zAdd(this.key('quizzes'), { score: row.updatedAt, value: row.quiz.id });
					multi.del(this.sharesKey(row.quiz.id));
					row.shares.forEach((share, position) =>
						multi.hSet(this.sharesKey(row.quiz.id), share.grantee, `${position}:${share.level}`)
					);
				}
				break;
			case 'images': {
				const before = await this.call(() => {
					const owners = this.client.multi();
					for (const row of batch.rows) owners.sMembers(this.key(`image-owners:${row.id}`));
					return owners.execAsPipeline();
				});
				batch.rows.forEach((row, i) => {
					const id = imageId(row.bytes, row.type);
					if (id !== row.id) throw new Error(`Picture ${row.id}: its bytes are ${id}`);
					const bytes = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
					multi.set(this.key(`image:${id}`), bytes);
					multi.hSet(this.key('images:used'), id, String(row.usedAt));
					for (const owner of before[i] as unknown as string[]) {
						multi.sRem(this.key(`account-images:${owner}`), id);
					}
					multi.del(this.key(`image-owners:${id}`));
					for (const owner of row.owners) {
						multi.sAdd(this.key(`image-owners:${id}`), owner);
						multi.sAdd(this.key(`account-images:${owner}`), id);
					}
				});
				break;
			}
			case 'reports':
				for (const record of batch.rows) {
					assertGameKeys(record);
					multi.set(this.gameKey(record.id), toJson(record, `Game ${record.id}`));
					multi.hSet(this.key('games'), record.id, JSON.stringify(gameListItem(record)));
				}
				break;
		}
		// MULTI/EXEC: the batch goes in whole.
		await this.call(() => multi.exec());
	}

	async clearRecord(): Promise<void> {
		// The record's keys and the accounts'; games in progress (`live:`, `pin:`…) and the
		// format stamp stay.
		const patterns = [
			'meta:samples-seeded',
			'quiz:*',
			'quizzes',
			'quiz-shares:*',
			'image:*',
			'images:used',
			'image-owners:*',
			'account-images:*',
			'game:*',
			'games',
			...RECORD_ACCOUNT_KEYS
		];
		await this.call(async () => {
			for (const pattern of patterns) {
				const match = this.prefix.replace(/[*?[\]\\]/g, '\\$&') + pattern;
				for await (const keys of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
					if (keys.length > 0) await this.client.del(keys);
				}
			}
		});
	}

	/** Waits for the commands already sent, then closes the connection and `onClose`. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		try {
			if (this.client.isOpen) await this.client.close();
		} finally {
			await this.onClose?.();
		}
	}

	// -------------------------------------------------------------------------------------------

	private key(name: string): string {
		return this.prefix + name;
	}

	private quizKey(id: string): string {
		return this.key(`quiz:${id}`);
	}

	private gameKey(id: string): string {
		return this.key(`game:${id}`);
	}

	private sharesKey(quizId: string): string {
		return this.key(`quiz-shares:${quizId}`);
	}

	/**
	 * Runs Redis commands; a connection that is down, closed or silent becomes a
	 * StoreUnavailableError (routes answer 503 with a clear message). An error reply from
	 * Redis itself (out of memory, a wrong type) stays what it is: that is not an outage.
	 */
	private async call<T>(commands: () => Promise<T>): Promise<T> {
		try {
			return await commands();
		} catch (error) {
			if (error instanceof ErrorReply) throw error;
			throw new StoreUnavailableError(error);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Hashes ⇄ interface types. Redis keeps strings: numbers go in with String() and come out with
// Number(), which round-trips every millisecond timestamp exactly.

interface QuizFields {
	[field: string]: string;
	title: string;
	description: string;
	questionCount: string;
	questions: string;
	updatedAt: string;
}

function quizFields(quiz: Quiz, now: number): QuizFields {
	return {
		title: quiz.title,
		description: quiz.description,
		questionCount: String(quiz.questions.length),
		questions: toJson(quiz.questions, `Quiz ${quiz.id}`),
		updatedAt: String(now)
	};
}

/**
 * The stored questions are in the current quiz format (a format change upgrades them, as the
 * SQLite migrations do), so the version is the code's. An empty hash is no quiz.
 */
function storedQuizFromHash(id: string, hash: Record<string, string>): StoredQuiz | null {
	if (hash.questions === undefined) return null;
	return {
		quiz: {
			version: QUIZ_FORMAT_VERSION,
			id,
			title: hash.title!,
			description: hash.description!,
			questions: JSON.parse(hash.questions)
		},
		ownerId: hash.ownerId || null,
		createdAt: Number(hash.createdAt),
		updatedAt: Number(hash.updatedAt),
		lastPlayedAt: hash.lastPlayedAt === undefined ? null : Number(hash.lastPlayedAt)
	};
}
