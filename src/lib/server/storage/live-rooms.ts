/**
 * Games in progress, kept so a restarted server picks them up where they stopped:
 *
 * - the room, with a snapshot of its game written at every phase boundary;
 * - every player as they join (their token too), and removed when kicked;
 * - every accepted answer, written before its acknowledgement goes out.
 *
 * A restart puts these back together (game/snapshot.ts): snapshot + later joins + later answers.
 * Everything about a room goes when it ends (its report is saved elsewhere).
 */
import type Database from 'better-sqlite3';
import type { GameSnapshot, JoinedPlayer } from '../../game/snapshot.ts';
import type { Answer } from '../../game/state.ts';

export interface LiveRoom {
	pin: string;
	gameId: string;
	hostToken: string;
	createdAt: number;
	snapshot: GameSnapshot;
}

/**
 * A room on its way to the stores, with its snapshot as JSON made once at most: in cluster mode
 * SQLite and Redis both store that text, and for a room of thousands of players serialising it
 * is most of what a save costs the event loop. The memory store never asks for it.
 */
export class RoomToSave implements LiveRoom {
	readonly pin: string;
	readonly gameId: string;
	readonly hostToken: string;
	readonly createdAt: number;
	readonly snapshot: GameSnapshot;
	// Truly private (#): a copy or spread of the room carries the room, not this.
	#snapshotJson: string | undefined;

	constructor(room: LiveRoom) {
		this.pin = room.pin;
		this.gameId = room.gameId;
		this.hostToken = room.hostToken;
		this.createdAt = room.createdAt;
		this.snapshot = room.snapshot;
	}

	/** `JSON.stringify(snapshot)`, made on first use: the snapshot must not change after. */
	get snapshotJson(): string {
		return (this.#snapshotJson ??= JSON.stringify(this.snapshot));
	}
}

export interface LivePlayer extends JoinedPlayer {
	token: string;
}

export interface LiveAnswer {
	questionIndex: number;
	playerId: string;
	answer: Answer;
	receivedAt: number;
}

export interface LiveRoomRecord extends LiveRoom {
	savedAt: number;
	/** Last moment the server was known to run this room: what a restart measures downtime from. */
	aliveAt: number;
	players: LivePlayer[];
	/** Answers to the snapshot's current question given after the snapshot. */
	answers: LiveAnswer[];
}

export interface LiveRooms {
	/** Creates or replaces the room's snapshot; answers to earlier questions are dropped. */
	saveRoom(room: RoomToSave, now: number): void;
	/** "Still running": one write for every room, a few times a minute. */
	markAlive(now: number): void;
	addPlayer(pin: string, player: LivePlayer): void;
	removePlayer(pin: string, playerId: string): void;
	addAnswer(pin: string, answer: LiveAnswer): void;
	/**
	 * Several at once, all or none (one transaction): an answer burst is thousands of them.
	 * A promise when the write lands later (the cluster's Redis copy): it settles once stored,
	 * or once waiting longer is pointless; it never rejects.
	 */
	addAnswers(pin: string, answers: LiveAnswer[]): void | Promise<void>;
	removeRoom(pin: string): void;
	list(): LiveRoomRecord[];
}

export class MemoryLiveRooms implements LiveRooms {
	private readonly rooms = new Map<string, LiveRoomRecord>();

	saveRoom(room: RoomToSave, now: number): void {
		// A new game that drew the PIN of a record left behind does not inherit its seats.
		const kept = this.rooms.get(room.pin);
		const previous = kept?.gameId === room.gameId ? kept : undefined;
		const current = room.snapshot.questionIndex;
		this.rooms.set(room.pin, {
			...copy(room),
			savedAt: now,
			aliveAt: now,
			players: previous?.players ?? [],
			answers: (previous?.answers ?? []).filter((answer) => answer.questionIndex >= current)
		});
	}

	markAlive(now: number): void {
		for (const room of this.rooms.values()) room.aliveAt = now;
	}

	addPlayer(pin: string, player: LivePlayer): void {
		this.room(pin).players.push({ ...player });
	}

	removePlayer(pin: string, playerId: string): void {
		const room = this.room(pin);
		room.players = room.players.filter((player) => player.id !== playerId);
		room.answers = room.answers.filter((answer) => answer.playerId !== playerId);
	}

	addAnswer(pin: string, answer: LiveAnswer): void {
		const room = this.room(pin);
		const taken = room.answers.some(
			(a) => a.questionIndex === answer.questionIndex && a.playerId === answer.playerId
		);
		if (!taken) room.answers.push(copy(answer));
	}

	addAnswers(pin: string, answers: LiveAnswer[]): void {
		for (const answer of answers) this.addAnswer(pin, answer);
	}

	removeRoom(pin: string): void {
		this.rooms.delete(pin);
	}

	list(): LiveRoomRecord[] {
		return [...this.rooms.values()].map((room) => ({
			...copy(room),
			answers: room.answers.filter((a) => a.questionIndex === room.snapshot.questionIndex)
		}));
	}

	private room(pin: string): LiveRoomRecord {
		const room = this.rooms.get(pin);
		if (!room) throw new Error(`No live room ${pin}`);
		return room;
	}
}

export class SqliteLiveRooms implements LiveRooms {
	private readonly sql;

	constructor(private readonly db: Database.Database) {
		this.sql = {
			upsertRoom: db.prepare<LiveRoomRow>(
				`INSERT INTO live_rooms (pin, game_id, host_token, created_at, snapshot, saved_at, alive_at)
				VALUES (@pin, @game_id, @host_token, @created_at, @snapshot, @saved_at, @alive_at)
				ON CONFLICT (pin) DO UPDATE SET snapshot = excluded.snapshot,
					saved_at = excluded.saved_at, alive_at = excluded.alive_at`
			),
			dropOtherGame: db.prepare<[string, string]>(
				'DELETE FROM live_rooms WHERE pin = ? AND game_id <> ?'
			),
			dropOldAnswers: db.prepare<[string, number]>(
				'DELETE FROM live_answers WHERE pin = ? AND question_index < ?'
			),
			markAlive: db.prepare<[number]>('UPDATE live_rooms SET alive_at = ?'),
			addPlayer: db.prepare<LivePlayerRow>(
				`INSERT OR REPLACE INTO live_players (pin, player_id, token, nickname, join_order,
					first_question, device)
				VALUES (@pin, @player_id, @token, @nickname, @join_order, @first_question, @device)`
			),
			removePlayer: db.prepare<[string, string]>(
				'DELETE FROM live_players WHERE pin = ? AND player_id = ?'
			),
			removePlayerAnswers: db.prepare<[string, string]>(
				'DELETE FROM live_answers WHERE pin = ? AND player_id = ?'
			),
			addAnswer: db.prepare<LiveAnswerRow>(
				`INSERT OR IGNORE INTO live_answers (pin, question_index, player_id, answer, received_at)
				VALUES (@pin, @question_index, @player_id, @answer, @received_at)`
			),
			removeRoom: db.prepare<[string]>('DELETE FROM live_rooms WHERE pin = ?'),
			rooms: db.prepare<[], LiveRoomRow>('SELECT * FROM live_rooms ORDER BY created_at'),
			players: db.prepare<[string], LivePlayerRow>(
				'SELECT * FROM live_players WHERE pin = ? ORDER BY join_order'
			),
			answers: db.prepare<[string, number], LiveAnswerRow>(
				`SELECT * FROM live_answers WHERE pin = ? AND question_index = ? ORDER BY received_at`
			)
		};
	}

	saveRoom(room: RoomToSave, now: number): void {
		this.db.transaction(() => {
			// A new game that drew the PIN of a record left behind does not inherit its seats.
			this.sql.dropOtherGame.run(room.pin, room.gameId);
			this.sql.upsertRoom.run({
				pin: room.pin,
				game_id: room.gameId,
				host_token: room.hostToken,
				created_at: room.createdAt,
				snapshot: room.snapshotJson,
				saved_at: now,
				alive_at: now
			});
			this.sql.dropOldAnswers.run(room.pin, room.snapshot.questionIndex);
		})();
	}

	markAlive(now: number): void {
		this.sql.markAlive.run(now);
	}

	addPlayer(pin: string, player: LivePlayer): void {
		this.sql.addPlayer.run({
			pin,
			player_id: player.id,
			token: player.token,
			nickname: player.nickname,
			join_order: player.joinOrder,
			first_question: player.firstQuestion,
			device: player.device ?? null
		});
	}

	removePlayer(pin: string, playerId: string): void {
		this.db.transaction(() => {
			this.sql.removePlayer.run(pin, playerId);
			this.sql.removePlayerAnswers.run(pin, playerId);
		})();
	}

	addAnswer(pin: string, answer: LiveAnswer): void {
		this.sql.addAnswer.run({
			pin,
			question_index: answer.questionIndex,
			player_id: answer.playerId,
			answer: JSON.stringify(answer.answer),
			received_at: answer.receivedAt
		});
	}

	addAnswers(pin: string, answers: LiveAnswer[]): void {
		this.db.transaction(() => {
			for (const answer of answers) this.addAnswer(pin, answer);
		})();
	}

	removeRoom(pin: string): void {
		this.sql.removeRoom.run(pin);
	}

	list(): LiveRoomRecord[] {
		return this.db.transaction(() =>
			this.sql.rooms.all().map((row) => {
				const snapshot = JSON.parse(row.snapshot) as GameSnapshot;
				return {
					pin: row.pin,
					gameId: row.game_id,
					hostToken: row.host_token,
					createdAt: row.created_at,
					snapshot,
					savedAt: row.saved_at,
					aliveAt: row.alive_at,
					players: this.sql.players.all(row.pin).map((player) => ({
						id: player.player_id,
						token: player.token,
						nickname: player.nickname,
						joinOrder: player.join_order,
						firstQuestion: player.first_question,
						device: player.device
					})),
					answers: this.sql.answers.all(row.pin, snapshot.questionIndex).map((answer) => ({
						questionIndex: answer.question_index,
						playerId: answer.player_id,
						answer: JSON.parse(answer.answer) as Answer,
						receivedAt: answer.received_at
					}))
				};
			})
		)();
	}
}

interface LiveRoomRow {
	pin: string;
	game_id: string;
	host_token: string;
	created_at: number;
	snapshot: string;
	saved_at: number;
	alive_at: number;
}

interface LivePlayerRow {
	pin: string;
	player_id: string;
	token: string;
	nickname: string;
	join_order: number;
	first_question: number;
	device: string | null;
}

interface LiveAnswerRow {
	pin: string;
	question_index: number;
	player_id: string;
	answer: string;
	received_at: number;
}

function copy<T>(value: T): T {
	return structuredClone(value);
}
