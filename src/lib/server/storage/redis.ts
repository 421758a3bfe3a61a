/**
 * The store shared by the nodes of a cluster: quizzes, images and game reports in Redis, so a
 * quiz saved through one node is played on another and every node lists every report. Games
 * in progress (`live`) stay in the node's own SQLite file: the caller hands them in.
 *
 * Keys, all under one prefix (default `quizroom:`):
 *
 *   meta:format            "1": the layout below; a newer one is refused, not misread
 *   meta:samples-seeded    when the sample quizzes went in (once per store, ever)
 *   quiz:<id>              hash: title, description, questionCount, questions (JSON),
 *                          createdAt, updatedAt, lastPlayedAt (absent until played)
 *   quizzes                sorted set of quiz ids, scored by updatedAt
 *   image:<sha256>.<ext>   the image's bytes (content-addressed: written once, never changed)
 *   images:used            hash: image id → when it was last uploaded or found in use (ms)
 *   game:<id>              the game's record, JSON
 *   games                  hash: game id → its summary for the list, JSON
 *
 * A write that touches several keys is one MULTI/EXEC (or one Lua script where it must read
 * first), so a crash never leaves a quiz without its list entry or half a report.
 */
import { ErrorReply, RESP_TYPES } from '@redis/client';
import type { GameRecord } from '../../game/record.ts';
import { QUIZ_FORMAT_VERSION, type Quiz } from '../../protocol/quiz.ts';
import { StoreUnavailableError } from './errors.ts';
import type { LiveRooms } from './live-rooms.ts';
import type { RedisClient } from './redis-client.ts';
import {
	assertGameKeys,
	byNewestEdit,
	byNewestStart,
	foldCase,
	gameListItem,
	imageId,
	imageTypeOf,
	titleSearch,
	toJson
} from './shared.ts';
import type {
	GameListItem,
	ImageType,
	QuizListItem,
	Storage,
	StoredImage,
	StoredQuiz
} from './storage.ts';

export const DEFAULT_REDIS_PREFIX = 'quizroom:';

/** The key layout above. Bump it (and teach `open` to upgrade) when the layout changes. */
export const REDIS_FORMAT = 1;

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
	'lastPlayedAt'
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
		inserted = inserted + 1
	end
end
redis.call('SET', KEYS[1], now)
return inserted`;

export class RedisStorage implements Storage {
	readonly live: LiveRooms;
	readonly prefix: string;
	private readonly client: RedisClient;
	private readonly onClose?: () => Promise<void> | void;
	private closed = false;

	private constructor(options: RedisStorageOptions) {
		this.client = options.client;
		this.live = options.live;
		this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
		this.onClose = options.onClose;
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
		} catch (error) {
			await storage.close();
			throw error;
		}
		return storage;
	}

	// -------------------------------------------------------------------------------------------
	// Quizzes

	async listQuizzes(search?: string): Promise<QuizListItem[]> {
		const folded = titleSearch(search);
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
		const items: QuizListItem[] = [];
		rows.forEach((row, index) => {
			const [title, description, questionCount, createdAt, updatedAt, lastPlayedAt] = row;
			if (title == null || description == null) return;
			if (folded !== null && !foldCase(title).includes(folded)) return;
			items.push({
				id: ids[index]!,
				title,
				description,
				questionCount: Number(questionCount),
				createdAt: Number(createdAt),
				updatedAt: Number(updatedAt),
				lastPlayedAt: lastPlayedAt == null ? null : Number(lastPlayedAt)
			});
		});
		return items.sort(byNewestEdit);
	}

	async getQuiz(id: string): Promise<StoredQuiz | null> {
		const hash = await this.call(() => this.client.hGetAll(this.quizKey(id)));
		return storedQuizFromHash(id, hash as Record<string, string>);
	}

	async saveQuiz(quiz: Quiz, now: number): Promise<StoredQuiz> {
		// Encoded before anything is sent: a quiz JSON cannot keep fails without touching Redis.
		const fields = quizFields(quiz, now);
		const key = this.quizKey(quiz.id);
		const replies = await this.call(() =>
			this.client
				.multi()
				// An edit keeps createdAt and lastPlayedAt; everything else is replaced.
				.hSetNX(key, 'createdAt', String(now))
				.hSet(key, fields)
				.zAdd(this.key('quizzes'), { score: now, value: quiz.id })
				// Read back what is stored, so the caller gets exactly what getQuiz will give.
				.hGetAll(key)
				.execTyped()
		);
		return storedQuizFromHash(quiz.id, replies[3])!;
	}

	async deleteQuiz(id: string): Promise<boolean> {
		const [deleted] = await this.call(() =>
			this.client.multi().del(this.quizKey(id)).zRem(this.key('quizzes'), id).exec()
		);
		return Number(deleted) > 0;
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
		const inserted = await this.call(() =>
			this.client.eval(SEED_SAMPLES, { keys, arguments: args })
		);
		return Number(inserted);
	}

	// -------------------------------------------------------------------------------------------
	// Images

	async saveImage(bytes: Uint8Array, type: ImageType): Promise<string> {
		const id = imageId(bytes, type);
		const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		// Same address, same bytes: an image already there is this image (used again now).
		await this.call(() =>
			this.client
				.multi()
				.set(this.key(`image:${id}`), value, { NX: true })
				.hSet(this.key('images:used'), id, String(Date.now()))
				.exec()
		);
		return id;
	}

	async hasImage(id: string): Promise<boolean> {
		if (!imageTypeOf(id)) return false;
		return (await this.call(() => this.client.exists(this.key(`image:${id}`)))) > 0;
	}

	async sweepImages(inUse: ReadonlySet<string>, now: number, keepMs: number): Promise<number> {
		const used = this.key('images:used');
		const prefix = this.key('image:');
		const ids: string[] = [];
		await this.call(async () => {
			const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
			for await (const keys of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
				for (const key of keys) ids.push(key.slice(prefix.length));
			}
		});
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
				arguments: [String(now - keepMs), ...stale]
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

	async listGames(): Promise<GameListItem[]> {
		const summaries = await this.call(() => this.client.hVals(this.key('games')));
		return summaries.map((summary) => JSON.parse(summary) as GameListItem).sort(byNewestStart);
	}

	async getGame(id: string): Promise<GameRecord | null> {
		const json = await this.call(() => this.client.get(this.gameKey(id)));
		return json == null ? null : (JSON.parse(json) as GameRecord);
	}

	async deleteGame(id: string): Promise<boolean> {
		const [deleted] = await this.call(() =>
			this.client.multi().del(this.gameKey(id)).hDel(this.key('games'), id).exec()
		);
		return Number(deleted) > 0;
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
		createdAt: Number(hash.createdAt),
		updatedAt: Number(hash.updatedAt),
		lastPlayedAt: hash.lastPlayedAt === undefined ? null : Number(hash.lastPlayedAt)
	};
}
