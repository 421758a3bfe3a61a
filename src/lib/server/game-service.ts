/**
 * Every live game in this process: creating them, joining them, finding a seat by token.
 * One instance per process, shared by the room server and the SvelteKit routes through
 * `globalThis` (see services.ts): SvelteKit's bundle has its own copy of every module.
 */
import { nanoid } from 'nanoid';
import { randomInt } from 'node:crypto';
import * as v from 'valibot';
import {
	GameOptionsSchema,
	MAX_PLAYERS_DEFAULT,
	type GameOptions,
	type JoinErrorCode
} from '../protocol/index.ts';
import { recordGame } from '../game/record.ts';
import { claimPin, isPinShaped } from './pin.ts';
import { Room, systemClock, type Clock, type Seat } from './room.ts';
import type { Storage } from './storage/storage.ts';

export interface GameServiceConfig {
	storage: Storage;
	clock?: Clock;
	maxPlayers?: number;
	/** Finished games stay reachable this long, so phones can show the final result. */
	endedRoomTtlMs?: number;
	/** Rooms nobody touched for this long are dropped. */
	idleRoomTtlMs?: number;
}

export interface HostSeat {
	pin: string;
	hostToken: string;
}

export interface PlayerSeat {
	pin: string;
	playerId: string;
	token: string;
	nickname: string;
}

export type Refusal<C extends string> = { ok: false; code: C; message: string };
export type Result<T, C extends string> = ({ ok: true } & T) | Refusal<C>;

export type CreateErrorCode = 'unknown-quiz' | 'bad-options';

interface TokenEntry {
	pin: string;
	seat: Seat;
}

export class GameService {
	readonly storage: Storage;
	readonly maxPlayers: number;
	private readonly clock: Clock;
	private readonly rooms = new Map<string, Room>();
	private readonly tokens = new Map<string, TokenEntry>();
	private readonly endedRoomTtlMs: number;
	private readonly idleRoomTtlMs: number;

	constructor(config: GameServiceConfig) {
		this.storage = config.storage;
		this.clock = config.clock ?? systemClock;
		this.maxPlayers = config.maxPlayers ?? MAX_PLAYERS_DEFAULT;
		this.endedRoomTtlMs = config.endedRoomTtlMs ?? 30 * 60_000;
		this.idleRoomTtlMs = config.idleRoomTtlMs ?? 6 * 60 * 60_000;
	}

	createGame(quizId: string, rawOptions: unknown = {}): Result<HostSeat, CreateErrorCode> {
		const quiz = this.storage.getQuiz(quizId)?.quiz;
		if (!quiz) return { ok: false, code: 'unknown-quiz', message: 'That quiz does not exist' };
		const parsed = v.safeParse(GameOptionsSchema, rawOptions);
		if (!parsed.success) {
			const issue = parsed.issues[0];
			return {
				ok: false,
				code: 'bad-options',
				message: `Bad game option ${v.getDotPath(issue) ?? ''}: ${issue.message}`
			};
		}
		const options: GameOptions = parsed.output;
		const room = claimPin(
			this.rooms,
			(pin) =>
				new Room({
					pin,
					quiz,
					options,
					maxPlayers: this.maxPlayers,
					seed: randomInt(2 ** 31),
					clock: this.clock,
					events: {
						onPlayerRemoved: (_room, playerId) => this.forgetPlayerToken(pin, playerId),
						onPersist: (room) => this.phaseChanged(room),
						onEnded: (room) => {
							this.saveRecord(room);
							this.removeRoom(pin);
						}
					}
				})
		);
		const hostToken = nanoid();
		this.tokens.set(hostToken, { pin: room.pin, seat: { role: 'host' } });
		return { ok: true, pin: room.pin, hostToken };
	}

	/** First step of joining: is there a game behind this PIN that takes players? */
	checkPin(pin: string): Result<{ room: Room }, 'unknown-pin' | 'game-over'> {
		const room = isPinShaped(pin) ? this.rooms.get(pin) : undefined;
		if (!room) {
			return {
				ok: false,
				code: 'unknown-pin',
				message: `No game with PIN ${pin}: check the screen`
			};
		}
		if (room.phase === 'podium' || room.phase === 'ended') {
			return { ok: false, code: 'game-over', message: 'This game is over' };
		}
		return { ok: true, room };
	}

	join(pin: string, nickname: string): Result<PlayerSeat, JoinErrorCode> {
		const found = this.checkPin(pin);
		if (!found.ok) return found;
		const playerId = nanoid(10);
		const outcome = found.room.join(playerId, nickname);
		if (outcome.error) {
			return {
				ok: false,
				code: outcome.error.code as JoinErrorCode,
				message: outcome.error.message
			};
		}
		const token = nanoid();
		this.tokens.set(token, { pin, seat: { role: 'player', playerId } });
		return { ok: true, pin, playerId, token, nickname: found.room.nicknameOf(playerId)! };
	}

	/** Which room and seat a socket's token opens, or nothing. */
	seatFor(token: string): { room: Room; seat: Seat } | null {
		const entry = this.tokens.get(token);
		const room = entry && this.rooms.get(entry.pin);
		return room ? { room, seat: entry.seat } : null;
	}

	room(pin: string): Room | undefined {
		return this.rooms.get(pin);
	}

	get roomCount(): number {
		return this.rooms.size;
	}

	/** Drops finished and abandoned rooms; called periodically by the server. */
	sweep(): void {
		const now = this.clock.now();
		for (const room of this.rooms.values()) {
			const idle = now - room.lastActivityAt;
			const finished = room.phase === 'podium' && idle > this.endedRoomTtlMs;
			if (finished || idle > this.idleRoomTtlMs) {
				this.saveRecord(room);
				room.close('ended');
				this.removeRoom(room.pin);
			}
		}
	}

	/** Process exit: every socket is told to reconnect later. */
	shutdown(): void {
		for (const room of this.rooms.values()) {
			this.saveRecord(room);
			room.close('shutdown');
		}
		this.rooms.clear();
		this.tokens.clear();
	}

	/** The game started: the quiz was played. The podium: the report is final. */
	private phaseChanged(room: Room): void {
		const { state } = room;
		if (state.phase === 'podium') this.saveRecord(room);
		// Stamped at the first question's intro and again at its opening: same time, no harm.
		else if (state.questionIndex === 0 && state.startedAt !== null && state.phase !== 'reveal') {
			this.storage.markQuizPlayed(state.quiz.id, state.startedAt);
		}
	}

	/** Saves what was played; a game that never got to a reveal leaves no report. */
	private saveRecord(room: Room): void {
		if (room.state.history.length === 0) return;
		try {
			this.storage.saveGame(
				recordGame(room.state, { id: room.gameId, pin: room.pin, endedAt: this.clock.now() })
			);
		} catch (error) {
			console.error(`Could not save the report of game ${room.pin}`, error);
		}
	}

	private removeRoom(pin: string): void {
		this.rooms.get(pin)?.dispose();
		this.rooms.delete(pin);
		for (const [token, entry] of this.tokens) if (entry.pin === pin) this.tokens.delete(token);
	}

	private forgetPlayerToken(pin: string, playerId: string): void {
		for (const [token, entry] of this.tokens) {
			if (entry.pin === pin && entry.seat.role === 'player' && entry.seat.playerId === playerId) {
				this.tokens.delete(token);
				return;
			}
		}
	}
}
