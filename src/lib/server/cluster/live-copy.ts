/**
 * In cluster mode every game in progress is written twice: to the node's own SQLite (a restart
 * of the same node picks it up from there, as in single-node mode) and to Redis, where another
 * node finds it when this one dies. The Redis writes are sent without waiting: node-redis keeps
 * them in order on one connection, and the room's clock never waits on the network. What a
 * phone is promised does wait: an answer's acknowledgement (and every frame after it, see
 * outbox.ts) until Redis has the answer, a new seat until Redis has the player.
 *
 * A room is one hash: `room` (the room and its last snapshot, without quiz, history and
 * players), `question`, and, written as in SQLite, `quiz` and `round:<question index>` once
 * each, `players` when their standings moved. Older copies have those inside `room`.
 */
import type { GameRecord } from '../../game/record.ts';
import {
	playersToWrite,
	wholeSnapshot,
	WrittenPieces,
	type HeldReport,
	type LiveAnswer,
	type LivePlayer,
	type LiveRoomRecord,
	type LiveRooms,
	type RoomToSave,
	type StoredSnapshot
} from '../storage/live-rooms.ts';
import { within, type Keys, type Redis } from './redis.ts';

/** How long an acknowledgement or a seat waits for Redis before going out anyway. */
export const COPY_WAIT_MS = 1000;

/**
 * A new question drops the answers to the last (they are in the snapshot by then). ARGV[5]
 * set: the quiz and every round follow, and rounds already there go (another game's, or an
 * earlier run's of this one). Then field/value pairs: the quiz and rounds not yet written.
 */
const SAVE_ROOM = `
local previous = redis.call('HGET', KEYS[1], 'question')
if ARGV[5] ~= '' then redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[1], 'room', ARGV[1], 'question', ARGV[2])
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if previous ~= ARGV[2] then redis.call('DEL', KEYS[2]) end
redis.call('SET', KEYS[3], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[4])
return 1`;

/** The room and every seat key pointing at it. */
const REMOVE_ROOM = `
for _, token in ipairs(redis.call('SMEMBERS', KEYS[4])) do
	redis.call('DEL', ARGV[1] .. token)
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1`;

interface StoredRoom {
	pin: string;
	gameId: string;
	hostToken: string;
	/** Absent in copies written before accounts. */
	hostId?: string | null;
	createdAt: number;
	savedAt: number;
	snapshot: StoredSnapshot;
}

const ROUND = 'round:';

/**
 * The room as Redis keeps it (a StoredRoom), with the snapshot's text, already made for SQLite,
 * put in as it is rather than serialised again: byte for byte the JSON of
 * `{ pin, gameId, hostToken, hostId, createdAt, snapshot, savedAt }`.
 */
function storedRoomJson(room: RoomToSave, savedAt: number): string {
	const { pin, gameId, hostToken, hostId, createdAt } = room;
	const head = JSON.stringify({ pin, gameId, hostToken, hostId, createdAt }).slice(0, -1);
	return `${head},"snapshot":${room.stateJson},"savedAt":${JSON.stringify(savedAt)}}`;
}

export class RedisLiveCopy implements LiveRooms {
	private readonly written = new WrittenPieces();

	constructor(
		private readonly redis: Redis,
		private readonly keys: Keys
	) {}

	saveRoom(room: RoomToSave, now: number): void {
		const { keys } = this;
		const stored = this.written.stored(room);
		const { history } = room.snapshot;
		const pieces = stored === null ? ['quiz', room.quizJson] : [];
		const players = playersToWrite(room, stored);
		if (players !== null) pieces.push('players', players);
		for (let index = stored?.rounds ?? 0; index < history.length; index++) {
			pieces.push(`${ROUND}${history[index]!.questionIndex}`, room.roundJson(index));
		}
		const write = this.redis.eval(SAVE_ROOM, {
			keys: [
				keys.live(room.pin),
				keys.liveAnswers(room.pin),
				keys.seat(room.hostToken),
				keys.liveTokens(room.pin)
			],
			arguments: [
				storedRoomJson(room, now),
				String(room.snapshot.questionIndex),
				room.pin,
				room.hostToken,
				stored === null ? 'afresh' : '',
				...pieces
			]
		});
		// Counted as written now: the next save is sent before this one lands.
		this.written.wrote(room);
		this.send(
			write.catch((error: unknown) => {
				// Perhaps nothing of it is stored: the next save writes everything.
				this.written.forget(room.pin);
				throw error;
			}),
			`the snapshot of game ${room.pin}`
		);
	}

	/** The node's heartbeat says it is alive; rooms need no write of their own. */
	markAlive(): void {}

	addPlayer(pin: string, player: LivePlayer): void {
		const { keys } = this;
		this.send(
			this.redis
				.multi()
				.hSet(keys.livePlayers(pin), player.id, JSON.stringify(player))
				.set(keys.seat(player.token), pin)
				.sAdd(keys.liveTokens(pin), player.token)
				.exec(),
			`player ${player.nickname} of game ${pin}`
		);
	}

	removePlayer(pin: string, playerId: string): void {
		this.send(this.redis.hDel(this.keys.livePlayers(pin), playerId), `a kick in game ${pin}`);
	}

	addAnswer(pin: string, answer: LiveAnswer): void {
		void this.addAnswers(pin, [answer]);
	}

	/**
	 * Settles once Redis has the answers (their acknowledgements wait for it), or after
	 * COPY_WAIT_MS: with Redis slow or gone the node's own SQLite still has them, and a game
	 * that stalls is worse than the small chance of this node dying too before Redis is back.
	 */
	addAnswers(pin: string, answers: LiveAnswer[]): Promise<void> {
		if (answers.length === 0) return Promise.resolve();
		const fields: Record<string, string> = {};
		for (const answer of answers) {
			fields[`${answer.questionIndex}:${answer.playerId}`] = JSON.stringify(answer);
		}
		const write = this.redis.hSet(this.keys.liveAnswers(pin), fields);
		this.send(write, `answers in game ${pin}`);
		return within(COPY_WAIT_MS, () => write);
	}

	removeRoom(pin: string): void {
		const { keys } = this;
		this.written.forget(pin);
		this.send(
			this.redis.eval(REMOVE_ROOM, {
				keys: [keys.live(pin), keys.livePlayers(pin), keys.liveAnswers(pin), keys.liveTokens(pin)],
				arguments: [keys.seat('')]
			}),
			`the end of game ${pin}`
		);
	}

	/** Never read here: a node restores its own rooms from its own SQLite. */
	list(): LiveRoomRecord[] {
		return [];
	}

	/**
	 * Reports wait in the node's own SQLite only: one held there goes out when that node (or
	 * the record store) is back, as a single node's would.
	 */
	holdReport(): void {}
	heldReports(): HeldReport[] {
		return [];
	}
	releaseReport(): void {}

	/** A room as the node that owned it last wrote it, for taking it over. */
	async load(pin: string, aliveAt: number): Promise<LiveRoomRecord | null> {
		const { keys } = this;
		const [hash, players, answers] = await Promise.all([
			this.redis.hGetAll(keys.live(pin)) as Promise<Record<string, string>>,
			this.redis.hVals(keys.livePlayers(pin)),
			this.redis.hVals(keys.liveAnswers(pin))
		]);
		if (!hash.room) return null;
		const stored = JSON.parse(hash.room) as StoredRoom;
		const snapshot = wholeSnapshot(stored.snapshot, hash, () => roundTexts(hash));
		const question = snapshot.questionIndex;
		return {
			...stored,
			hostId: stored.hostId ?? null,
			snapshot,
			aliveAt,
			players: players
				.map((text) => JSON.parse(text) as LivePlayer)
				.sort((a, b) => a.joinOrder - b.joinOrder),
			answers: answers
				.map((text) => JSON.parse(text) as LiveAnswer)
				.filter((answer) => answer.questionIndex === question)
				.sort((a, b) => a.receivedAt - b.receivedAt)
		};
	}

	/** Resolves once every write sent so far has landed (for shutdown and tests). */
	async flush(): Promise<void> {
		await this.redis.ping();
	}

	private send(write: Promise<unknown>, what: string): void {
		write.catch((error: unknown) => {
			const reason = error instanceof Error ? error.message : String(error);
			console.error(`Could not copy ${what} to Redis: ${reason}`);
		});
	}
}

/** The `round:<question index>` fields of a room's hash, in question order. */
function roundTexts(hash: Record<string, string>): string[] {
	return Object.keys(hash)
		.filter((field) => field.startsWith(ROUND))
		.map((field) => ({ index: Number(field.slice(ROUND.length)), text: hash[field]! }))
		.sort((a, b) => a.index - b.index)
		.map((round) => round.text);
}

/** Every write to both; reads from the node's own store. */
export class TeeLiveRooms implements LiveRooms {
	constructor(
		private readonly local: LiveRooms,
		private readonly copy: LiveRooms,
		/** The game is over for good: its PIN can go back to the cluster. */
		private readonly onRemoved?: (pin: string) => void
	) {}

	/** The node's own disk (a full one is told to hosts and retried). */
	get disk() {
		return this.local.disk;
	}

	/** The same RoomToSave to both: each piece of its snapshot is serialised once, for both. */
	saveRoom(room: RoomToSave, now: number, options?: { shared?: boolean }): void | Promise<void> {
		const local = this.local.saveRoom(room, now, options);
		this.copy.saveRoom(room, now);
		return local;
	}
	markAlive(now: number): void {
		this.local.markAlive(now);
	}
	addPlayer(pin: string, player: LivePlayer): void {
		this.local.addPlayer(pin, player);
		this.copy.addPlayer(pin, player);
	}
	removePlayer(pin: string, playerId: string): void {
		this.local.removePlayer(pin, playerId);
		this.copy.removePlayer(pin, playerId);
	}
	addAnswer(pin: string, answer: LiveAnswer): void {
		this.local.addAnswer(pin, answer);
		this.copy.addAnswer(pin, answer);
	}
	/** Settles once both have them (the local commit may be shared, a moment later). */
	addAnswers(pin: string, answers: LiveAnswer[]): void | Promise<void | false> {
		const local = this.local.addAnswers(pin, answers);
		const copy = this.copy.addAnswers(pin, answers);
		if (!local) return copy;
		// `false`: the node's disk refused them (the acknowledgements say "not stored").
		return copy ? Promise.all([local, copy]).then(([stored]) => stored) : local;
	}
	removeRoom(pin: string): void {
		this.local.removeRoom(pin);
		this.copy.removeRoom(pin);
		this.onRemoved?.(pin);
	}
	list(): LiveRoomRecord[] {
		return this.local.list();
	}
	/** Held reports are the node's own: not copied (see RedisLiveCopy.holdReport). */
	holdReport(record: GameRecord, now: number): void {
		this.local.holdReport(record, now);
	}
	heldReports(): HeldReport[] {
		return this.local.heldReports();
	}
	releaseReport(gameId: string): void {
		this.local.releaseReport(gameId);
	}
}
