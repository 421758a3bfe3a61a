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
	type JoinErrorCode,
	type Quiz,
	type ReportStatus
} from '../../protocol/index.ts';
import { waitInWords } from '../../protocol/wait.ts';
import { nicknameKey, normalizeNickname } from '../../game/nickname.ts';
import type { GameRecord } from '../../game/record.ts';
import { recordGame } from '../../game/record-game.ts';
import type { Player } from '../../game/state.ts';
import { GuessLimiter } from '../limits/limits.ts';
import { claimPin, isPinShaped } from './pin.ts';
import { FIRST_RETRY_MS, MAX_RETRY_MS, ReportSaver } from './report-saver.ts';
import { fromSnapshot, toSnapshot } from '../../game/snapshot.ts';
import { Room, systemClock, type Clock, type RoomEvents, type Seat } from './room.ts';
import type {
	CreateErrorCode,
	GameLookup,
	HostSeat,
	Identity,
	PlayerSeat,
	Refusal,
	Result,
	Visitor
} from './seats.ts';
import { PlayedMarks } from './played-marks.ts';
import { DiskSpace } from '../storage/disk-full.ts';
import { RoomToSave, type LivePlayer, type LiveRoomRecord } from '../storage/live-rooms.ts';
import type { Storage } from '../storage/storage.ts';

export interface GameServiceConfig {
	storage: Storage;
	clock?: Clock;
	maxPlayers?: number;
	/** Finished games stay reachable this long, so phones can show the final result. */
	endedRoomTtlMs?: number;
	/** Rooms with no host and no player connected for this long are saved and dropped. */
	abandonedRoomMs?: number;
	/** After a restart, running countdowns wait this long for phones to reconnect. */
	resumeGraceMs?: number;
	/**
	 * Wrong PINs one browser may try per minute before it has to wait. An address (a whole
	 * school may share one) may try 20 times as many: one guesser does not lock out a class.
	 */
	pinGuessesPerMinute?: number;
	/** A report the store could not take is tried again after this, then twice as long… */
	reportRetryMs?: number;
	/**
	 * The record store is this node's own SQLite file (no DATABASE_URL): a report is held
	 * apart only if the store refuses it, as saving it is already a local write (ReportSaver).
	 */
	recordIsLocal?: boolean;
}

/** A live game as the admin page and a host's own list show it. */
export interface LiveGame {
	pin: string;
	hostId: string | null;
	quizTitle: string;
	phase: string;
	players: number;
}

/** A write the full disk refused, to make once there is room if it still `applies`. */
interface Unwritten {
	what: string;
	write(): void;
	applies(): boolean;
}

/** An address's budget of wrong PINs, as a multiple of one browser's. */
const ADDRESS_GUESSES_FACTOR = 20;

/** Refusals a browser that is already in (under that name) gets its seat back from instead. */
const ASKED_AGAIN: ReadonlySet<string> = new Set(['nickname-taken', 'game-locked', 'game-full']);

const SHUTTING_DOWN = {
	ok: false,
	code: 'shutting-down',
	message: 'The server is restarting: try again in a moment'
} as const;

interface TokenEntry {
	pin: string;
	seat: Seat;
	/** The host removed this player: the token opens nothing, and says why. */
	removed?: true;
}

export class GameService {
	readonly storage: Storage;
	readonly maxPlayers: number;
	private readonly clock: Clock;
	private readonly rooms = new Map<string, Room>();
	private readonly tokens = new Map<string, TokenEntry>();
	private readonly endedRoomTtlMs: number;
	private readonly abandonedRoomMs: number;
	private readonly resumeGraceMs: number;
	private readonly deviceGuesses: GuessLimiter;
	private readonly addressGuesses: GuessLimiter;
	/** Set on shutdown: no new games or players while the rooms are being put away. */
	private closing = false;
	/** Reports, held on this node and retried while the store is unreachable. */
	private readonly reports: ReportSaver;
	/** "Last played" stamps, one write per quiz at a time. */
	private readonly played: PlayedMarks;
	/** This node's disk as its writes find it: full, the hosts are told and saves retried. */
	private readonly disk: DiskSpace;
	private readonly firstRetryMs: number;
	/** While the disk is full: the next try at saving the games in progress, and its delay. */
	private diskRetry: { timer: unknown; delay: number } | null = null;
	/**
	 * Writes the full disk refused that the next save of a room does not make (a seat, a removal,
	 * a game's end), in order: made once there is room, those that still apply.
	 */
	private unwritten: Unwritten[] = [];

	constructor(config: GameServiceConfig) {
		this.storage = config.storage;
		this.clock = config.clock ?? systemClock;
		this.maxPlayers = config.maxPlayers ?? MAX_PLAYERS_DEFAULT;
		this.endedRoomTtlMs = config.endedRoomTtlMs ?? 30 * 60_000;
		this.abandonedRoomMs = config.abandonedRoomMs ?? 2 * 60 * 60_000;
		// Phones retry with backoff capped at 4 s: give them time to be back before the clock runs.
		this.resumeGraceMs = config.resumeGraceMs ?? 5000;
		const perDevice = config.pinGuessesPerMinute ?? 10;
		this.deviceGuesses = new GuessLimiter(perDevice, 60_000);
		this.addressGuesses = new GuessLimiter(perDevice * ADDRESS_GUESSES_FACTOR, 60_000);
		this.disk = this.storage.live.disk ?? new DiskSpace('the data directory');
		this.disk.onChange((full) => this.diskChanged(full));
		this.firstRetryMs = config.reportRetryMs ?? FIRST_RETRY_MS;
		this.played = new PlayedMarks(this.storage, this.disk);
		this.reports = new ReportSaver({
			store: this.storage,
			held: this.storage.live,
			clock: this.clock,
			firstRetryMs: config.reportRetryMs,
			holdFirst: !config.recordIsLocal,
			disk: this.disk,
			onStatus: (report, status) => this.reportStatus(report, status)
		});
	}

	private get live() {
		return this.storage.live;
	}

	/**
	 * `hostId`: the account that hosts it. `pin`: already claimed for this game (in a cluster,
	 * PINs are handed out by Redis).
	 */
	async createGame(
		quizId: string,
		rawOptions: unknown = {},
		placement: { hostId?: string | null; pin?: string } = {}
	): Promise<Result<HostSeat, CreateErrorCode>> {
		const { pin, hostId = null } = placement;
		if (this.closing) return SHUTTING_DOWN;
		const quiz = (await this.storage.getQuiz(quizId))?.quiz;
		// Checked again: the server may have begun shutting down while the quiz was read.
		if (this.closing) return SHUTTING_DOWN;
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
		const open = (pin: string) =>
			new Room({
				pin,
				hostId,
				quiz,
				options,
				maxPlayers: this.maxPlayers,
				seed: randomInt(2 ** 31),
				clock: this.clock,
				events: this.roomEvents(pin)
			});
		const room = pin === undefined ? claimPin(this.rooms, open) : open(pin);
		this.rooms.set(room.pin, room);
		this.tokens.set(room.hostToken, { pin: room.pin, seat: { role: 'host' } });
		this.persist(room);
		// It plays all the same; its host sees that it cannot be saved yet.
		if (this.disk.full) room.reportStatus('disk-full');
		return { ok: true, pin: room.pin, hostToken: room.hostToken };
	}

	/**
	 * Puts back every game that was running when the server stopped, with the same PINs and
	 * seats. The time the server was down is given back to a running countdown or question,
	 * plus a moment for phones to reconnect. Then sends the reports held on this node that the
	 * store did not have yet. Returns how many games came back.
	 */
	restore(keep: (pin: string) => boolean = () => true): number {
		let restored = 0;
		for (const record of this.live.list()) {
			if (!keep(record.pin)) {
				// Another node took this game over while this one was away: it is theirs now.
				this.removeLiveRoom(record.pin);
				continue;
			}
			try {
				this.open(record);
				restored++;
			} catch (error) {
				// One unreadable game must not keep the others (or the server) down.
				console.error(
					`Could not restore game ${record.pin}; its record stays in the database`,
					error
				);
			}
		}
		// After the rooms: a game back on its podium shows its host how its report fares.
		this.reports.resume();
		return restored;
	}

	/**
	 * Takes over a game another node ran until it died (cluster mode), from its copy in Redis:
	 * written to this node's own store too, so a restart of this node keeps it.
	 */
	adopt(record: LiveRoomRecord): boolean {
		try {
			const room = this.open(record);
			this.persist(room);
			for (const player of record.players) this.live.addPlayer(room.pin, player);
			if (record.answers.length > 0) this.live.addAnswers(room.pin, record.answers);
			return true;
		} catch (error) {
			console.error(`Could not take over game ${record.pin}`, error);
			return false;
		}
	}

	/** PINs of the games in this node's store, running or not yet restored. */
	storedPins(): string[] {
		return this.live.list().map((record) => record.pin);
	}

	/** PINs of the games running here. */
	pins(): string[] {
		return [...this.rooms.keys()];
	}

	/**
	 * The game now runs on another node (cluster mode): its phones are told to reconnect, and
	 * find it there. Nothing is written: the game is not over.
	 */
	evict(pin: string): void {
		const room = this.rooms.get(pin);
		if (!room) return;
		room.close('shutdown');
		this.removeRoom(pin);
	}

	/** Builds the room as its record left it; the clock gets back the time it was away. */
	private open(record: LiveRoomRecord): Room {
		const state = fromSnapshot({
			snapshot: record.snapshot,
			roster: record.players,
			laterAnswers: record.answers.map((a) => [a.playerId, a.answer])
		});
		const room = new Room({
			pin: record.pin,
			gameId: record.gameId,
			hostToken: record.hostToken,
			hostId: record.hostId,
			restored: { state, createdAt: record.createdAt },
			quiz: state.quiz,
			options: state.options,
			maxPlayers: state.maxPlayers,
			clock: this.clock,
			events: this.roomEvents(record.pin)
		});
		this.rooms.set(room.pin, room);
		this.tokens.set(room.hostToken, { pin: room.pin, seat: { role: 'host' } });
		for (const player of record.players) {
			this.tokens.set(player.token, {
				pin: room.pin,
				seat: { role: 'player', playerId: player.id }
			});
		}
		room.resume(Math.max(0, this.clock.now() - record.aliveAt) + this.resumeGraceMs);
		return room;
	}

	/** "Still running", for measuring downtime after a crash; called every few seconds. */
	markAlive(): void {
		if (this.rooms.size > 0) this.write('the server\'s "alive" stamp', () => this.markAliveNow());
	}

	private markAliveNow(): void {
		this.live.markAlive(this.clock.now());
	}

	private roomEvents(pin: string): RoomEvents {
		return {
			onPlayerRemoved: (_room, playerId) => {
				this.markPlayerRemoved(pin, playerId);
				const gameId = this.rooms.get(pin)?.gameId;
				this.writeOrLater({
					what: `the removal of a player from game ${pin}`,
					write: () => this.live.removePlayer(pin, playerId),
					applies: () => this.rooms.get(pin)?.gameId === gameId
				});
			},
			onPersist: (room) => this.phaseChanged(room),
			// A burst's answers in one transaction: a commit each costs more than the answer.
			onAnswersAccepted: (_room, answers) => {
				try {
					// A promise when the commit is shared, or in cluster mode waits for the Redis copy:
					// the acknowledgements wait for it.
					return this.live.addAnswers(pin, answers);
				} catch (error) {
					// The answers count, and their acks say they are not stored: only a restart
					// before the next save of the game would lose them.
					const what = `${answers.length === 1 ? '1 answer' : `${answers.length} answers`} in game ${pin}`;
					this.writeFailed(what, error);
					return false;
				}
			},
			onEnded: (room) => this.finish(room)
		};
	}

	/**
	 * The room's state as of now, for a restart to pick up. `shared`: the commit may be shared
	 * with other rooms' writes a moment later (a phase change: its frames have left already).
	 */
	private persist(room: Room, shared = false): boolean {
		// Never throws: a phase change's effects must all run, whatever the disk says.
		return this.write(`the game ${room.pin}`, () => {
			void this.live.saveRoom(
				new RoomToSave({
					pin: room.pin,
					gameId: room.gameId,
					hostToken: room.hostToken,
					hostId: room.hostId,
					createdAt: room.createdAt,
					snapshot: toSnapshot(room.state)
				}),
				this.clock.now(),
				{ shared }
			);
		});
	}

	/**
	 * A write to this node's store, which must not stop the game: a failure is logged (a full
	 * disk once, and the hosts told) and the game goes on in memory. True if it was stored.
	 */
	private write(what: string, write: () => void): boolean {
		try {
			write();
			return true;
		} catch (error) {
			this.writeFailed(what, error);
			return false;
		}
	}

	/** Like `write`; refused by a full disk, made once there is room (if it still applies). */
	private writeOrLater(write: Unwritten): void {
		if (!this.write(write.what, write.write) && this.disk.full) this.unwritten.push(write);
	}

	/** The game's rows go (it ended here, or is another node's now). */
	private removeLiveRoom(pin: string): void {
		this.writeOrLater({
			what: `the end of game ${pin}`,
			write: () => this.live.removeRoom(pin),
			// A new game on the PIN since wrote its own rows over the old ones.
			applies: () => !this.rooms.has(pin)
		});
	}

	private writeFailed(what: string, error: unknown): void {
		if (this.disk.refused(error, what)) this.scheduleDiskRetry();
		else console.error(`Could not store ${what}`, error);
	}

	/**
	 * The disk was found full, or has room again. Hosts of games in progress see it (a game on
	 * its podium sees its report's own save); full, the games are tried again with a growing
	 * delay (REPORT_RETRY_MS doubling to a minute); room again, every game here is written
	 * whole at once, then what the disk refused besides (seats, removals, ends), and reports it
	 * refused are tried now.
	 */
	private diskChanged(full: boolean): void {
		if (full) {
			for (const room of this.playingRooms()) room.reportStatus('disk-full');
			this.scheduleDiskRetry();
			return;
		}
		if (this.diskRetry) this.clock.clearTimeout(this.diskRetry.timer);
		this.diskRetry = null;
		// Not inside the write that found the room (a commit, a room's event): just after it.
		this.clock.setTimeout(() => this.roomOnDisk(), 0);
	}

	/** There is room on the disk again: what it refused is written now. */
	private roomOnDisk(): void {
		if (this.disk.full || this.closing) return;
		// Full again half-way (refused writes say so themselves): the rest waits for the retry.
		for (const room of this.rooms.values()) if (!this.persist(room)) return;
		while (this.unwritten.length > 0) {
			const next = this.unwritten[0]!;
			// Refused again for lack of space: it waits on. For another reason: logged, let go.
			if (next.applies() && !this.write(next.what, next.write) && this.disk.full) return;
			this.unwritten.shift();
		}
		for (const room of this.playingRooms()) room.reportStatus('saving');
		this.reports.retryNow();
	}

	/** While the disk is full, the games in progress are written whole again now and then. */
	private scheduleDiskRetry(): void {
		if (this.diskRetry) return;
		const retry = { timer: null as unknown, delay: this.firstRetryMs };
		this.diskRetry = retry;
		const tryAgain = () => {
			if (this.diskRetry !== retry) return;
			// The first that lands says there is room, and the rest follow (diskChanged).
			for (const room of this.rooms.values()) if (this.persist(room)) return;
			// No game here: the smallest write there is, to find out.
			if (
				this.rooms.size === 0 &&
				this.write('the server\'s "alive" stamp', () => this.markAliveNow())
			) {
				this.disk.stored();
				return;
			}
			retry.delay = Math.min(retry.delay * 2, Math.max(MAX_RETRY_MS, this.firstRetryMs));
			retry.timer = this.clock.setTimeout(tryAgain, retry.delay);
		};
		retry.timer = this.clock.setTimeout(tryAgain, retry.delay);
	}

	/** Rooms whose game is not over: their report does not exist yet. */
	private playingRooms(): Room[] {
		return [...this.rooms.values()].filter(
			(room) => room.phase !== 'podium' && room.phase !== 'ended'
		);
	}

	/** A seat written for a restart; one the disk refused is written once there is room. */
	private addSeat(pin: string, seat: LivePlayer): void {
		const gameId = this.rooms.get(pin)?.gameId;
		this.writeOrLater({
			what: `the seat of a player in game ${pin}`,
			write: () => this.live.addPlayer(pin, seat),
			applies: () => this.rooms.get(pin)?.gameId === gameId
		});
	}

	/**
	 * First step of joining: is there a game behind this PIN that takes players? Wrong PINs
	 * count against the asker's browser and address: past the limit they wait, right PIN or not.
	 */
	checkPin(
		pin: string,
		from: Visitor = {}
	): Result<{ room: Room }, 'unknown-pin' | 'game-over' | 'too-many-guesses'> {
		const waiting = this.guessRefusal(from);
		if (waiting) return waiting;
		const room = isPinShaped(pin) ? this.rooms.get(pin) : undefined;
		if (!room) {
			this.wrongGuess(from);
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

	/**
	 * This browser, or its address, guessed too many wrong PINs lately: when it may try again.
	 * A browser is counted first; a guesser who drops its cookies each time still meets the
	 * address's much larger budget.
	 */
	guessRefusal(from: Visitor): Refusal<'too-many-guesses'> | null {
		const now = this.clock.now();
		const waitMs = Math.max(
			from.device === undefined ? 0 : this.deviceGuesses.retryAfterMs(from.device, now),
			from.address === undefined ? 0 : this.addressGuesses.retryAfterMs(from.address, now)
		);
		if (waitMs <= 0) return null;
		const retryAfterS = Math.ceil(waitMs / 1000);
		return {
			ok: false,
			code: 'too-many-guesses',
			message: `Too many wrong PINs: try again ${waitInWords(retryAfterS * 1000)}`,
			retryAfterS
		};
	}

	wrongGuess(from: Visitor): void {
		const now = this.clock.now();
		if (from.device !== undefined) this.deviceGuesses.fail(from.device, now);
		if (from.address !== undefined) this.addressGuesses.fail(from.address, now);
	}

	/**
	 * May this signed-in host take the game's host seat? Its own host may, and an admin may take
	 * any (a game from before accounts, which has no host yet, becomes that admin's). A host
	 * link (the token) alone is not enough: it must come with the right session.
	 */
	mayHost(room: Room, identity: Identity | null): boolean {
		if (!identity) return false;
		if (room.hostId === identity.accountId) return true;
		if (!identity.admin) return false;
		if (room.hostId === null) {
			room.hostId = identity.accountId;
			this.persist(room);
		}
		return true;
	}

	/** The token of this game's host seat, if this signed-in host may take it. */
	hostSeat(pin: string, identity: Identity | null): string | null {
		const room = isPinShaped(pin) ? this.rooms.get(pin) : undefined;
		return room && this.mayHost(room, identity) ? room.hostToken : null;
	}

	/**
	 * The account `hostId` was deleted. With an `heir`, its games here become the heir's: the
	 * host seat opens for the heir's sessions from now on, and the room's saved record (and in
	 * a cluster its copy) says so, for a restart or a takeover. Without one its things were
	 * deleted with it: its games end now, their phones told so, and leave no report. Returns
	 * how many games that was.
	 */
	hostRemoved(hostId: string, heir: string | null): number {
		const theirs = [...this.rooms.values()].filter((room) => room.hostId === hostId);
		for (const room of theirs) {
			if (heir !== null) {
				room.hostId = heir;
				this.persist(room);
				continue;
			}
			room.close('ended');
			this.removeLiveRoom(room.pin);
			this.removeRoom(room.pin);
		}
		return theirs.length;
	}

	/** The games running here, for the admin's list and a host's own. */
	liveGames(): LiveGame[] {
		return [...this.rooms.values()].map((room) => ({
			pin: room.pin,
			hostId: room.hostId,
			quizTitle: room.state.quiz.title,
			phase: room.phase,
			players: room.state.players.size
		}));
	}

	/** What the join page needs to know of a game here, over or not. */
	describe(pin: string): GameLookup | null {
		const room = isPinShaped(pin) ? this.rooms.get(pin) : undefined;
		if (!room) return null;
		const { state } = room;
		const over = room.phase === 'podium' || room.phase === 'ended';
		return {
			pin,
			phase: room.phase,
			joinable: !over && !state.locked && state.players.size < state.maxPlayers,
			friendlyNames: state.options.friendlyNames
		};
	}

	join(
		pin: string,
		nickname: string,
		visitor: Visitor = {}
	): Result<PlayerSeat, JoinErrorCode | 'shutting-down'> {
		if (this.closing) return SHUTTING_DOWN;
		const found = this.checkPin(pin, visitor);
		if (!found.ok) return found;
		const { room } = found;
		const friendly = room.state.options.friendlyNames;
		// With friendly names a join asked again would succeed, with a second name: look first.
		const given = friendly && this.seatOf(room, nickname, visitor.device);
		if (given) return { ok: true, ...given };
		const playerId = nanoid(10);
		const outcome = room.join(playerId, nickname, visitor.device);
		if (outcome.error) {
			const again =
				!friendly &&
				ASKED_AGAIN.has(outcome.error.code) &&
				this.seatOf(room, nickname, visitor.device);
			if (again) return { ok: true, ...again };
			return {
				ok: false,
				code: outcome.error.code as JoinErrorCode,
				message: outcome.error.message
			};
		}
		const token = nanoid();
		this.tokens.set(token, { pin, seat: { role: 'player', playerId } });
		const player = room.state.players.get(playerId)!;
		// Before the player hears they are in: a restart must still know them (on a full disk,
		// they play, and their seat is written once there is room).
		this.addSeat(pin, {
			id: playerId,
			token,
			nickname: player.nickname,
			joinOrder: player.joinOrder,
			firstQuestion: player.firstQuestion,
			device: player.device
		});
		return { ok: true, pin, playerId, token, nickname: player.nickname };
	}

	/**
	 * The seat this browser already holds: under this name, or with friendly names the name it
	 * was given and never came for. On a bad connection a join can reach the server while its
	 * answer is lost; the phone asks again, and gets that seat back rather than "taken" (its own
	 * name) or a second name, and a ghost player in the lobby.
	 */
	private seatOf(room: Room, nickname: string, device: string | undefined): PlayerSeat | null {
		if (device === undefined) return null;
		const player = room.state.options.friendlyNames
			? room.unclaimedSeatOf(device)
			: this.namedSeatOf(room, nickname, device);
		const token = player && this.playerToken(room.pin, player.id)?.[0];
		return token ? { pin: room.pin, playerId: player.id, token, nickname: player.nickname } : null;
	}

	private namedSeatOf(room: Room, nickname: string, device: string): Player | undefined {
		const checked = normalizeNickname(nickname);
		if (!checked.ok) return undefined;
		const key = nicknameKey(checked.nickname);
		if (!room.state.nicknames.has(key)) return undefined;
		return [...room.state.players.values()].find(
			(candidate) => candidate.device === device && nicknameKey(candidate.nickname) === key
		);
	}

	/** Which room and seat a socket's token opens, or nothing. */
	seatFor(token: string): { room: Room; seat: Seat } | null {
		const entry = this.tokens.get(token);
		const room = entry && !entry.removed && this.rooms.get(entry.pin);
		return room ? { room, seat: entry.seat } : null;
	}

	/** This token's player was removed by the host (while their game still runs). */
	wasRemoved(token: string): boolean {
		return this.tokens.get(token)?.removed === true;
	}

	/** The quizzes of the games here (their copies: a quiz edited or deleted meanwhile differs). */
	quizzesInPlay(): Quiz[] {
		return [...this.rooms.values()].map((room) => room.state.quiz);
	}

	room(pin: string): Room | undefined {
		return this.rooms.get(pin);
	}

	get roomCount(): number {
		return this.rooms.size;
	}

	/**
	 * Puts away finished games after a while, and games nobody is connected to any more after
	 * `abandonedRoomMs` (saved as unfinished); called periodically by the server.
	 */
	sweep(): void {
		const now = this.clock.now();
		this.deviceGuesses.sweep(now);
		this.addressGuesses.sweep(now);
		for (const room of this.rooms.values()) {
			const finished = room.phase === 'podium' && now - room.lastActivityAt > this.endedRoomTtlMs;
			const abandoned = room.emptySince !== null && now - room.emptySince > this.abandonedRoomMs;
			if (finished || abandoned) {
				room.close('ended');
				this.finish(room);
			}
		}
	}

	/**
	 * Process exit: no new games or players, every room's state written down, every socket told
	 * the server is restarting (browsers reconnect and find their game again).
	 */
	shutdown(): void {
		this.closing = true;
		const waiting = this.reports.waitingCount;
		if (waiting > 0) {
			const count = waiting === 1 ? '1 game report waits' : `${waiting} game reports wait`;
			console.error(`${count} on this server for the store: sent at the next start`);
		}
		for (const room of this.rooms.values()) {
			this.persist(room);
			room.close('shutdown');
		}
		this.write('the server\'s "alive" stamp', () => this.markAliveNow());
		if (this.diskRetry) this.clock.clearTimeout(this.diskRetry.timer);
		this.diskRetry = null;
		this.rooms.clear();
		this.tokens.clear();
	}

	/** The game is over for good: its report saved, its live record and seats gone. */
	private finish(room: Room): void {
		// A game on its podium was reported when the podium went up.
		if (room.phase !== 'podium') this.saveRecord(room);
		this.removeLiveRoom(room.pin);
		this.removeRoom(room.pin);
	}

	/** The game started: the quiz was played. The podium: the report is final. */
	private phaseChanged(room: Room): void {
		const { state } = room;
		if (state.phase !== 'ended') this.persist(room, true);
		if (state.phase === 'podium') this.saveRecord(room);
		// Stamped at the first question's intro and again at its opening: same time, no harm.
		else if (state.questionIndex === 0 && state.startedAt !== null && state.phase !== 'reveal') {
			this.played.mark(state.quiz.id, state.startedAt);
		}
	}

	/**
	 * Saves what was played; a game that never got to a reveal leaves no report. Not awaited:
	 * the room moves on at once. The report is held on this node until the store has it: a
	 * store that is unreachable gets it later, one that refuses it at the next start
	 * (ReportSaver); the host sees which.
	 */
	private saveRecord(room: Room): void {
		if (room.state.history.length === 0) return;
		const { pin } = room;
		try {
			this.reports.save(
				recordGame(room.state, {
					id: room.gameId,
					pin,
					endedAt: this.clock.now(),
					hostId: room.hostId
				})
			);
		} catch (error) {
			console.error(`Could not save the report of game ${pin}`, error);
		}
	}

	/** The host of the game, if it is still here, sees how its report fares. */
	private reportStatus(report: GameRecord, status: ReportStatus): void {
		const room = this.rooms.get(report.pin);
		if (room?.gameId === report.id) room.reportStatus(status);
	}

	private removeRoom(pin: string): void {
		this.rooms.get(pin)?.dispose();
		this.rooms.delete(pin);
		for (const [token, entry] of this.tokens) if (entry.pin === pin) this.tokens.delete(token);
	}

	/** The token stays known until the game ends, so a reload can say "removed by the host". */
	private markPlayerRemoved(pin: string, playerId: string): void {
		const entry = this.playerToken(pin, playerId)?.[1];
		if (entry) entry.removed = true;
	}

	/** A player's token and its entry (a scan: only for kicks and joins asked again). */
	private playerToken(pin: string, playerId: string): [string, TokenEntry] | undefined {
		for (const pair of this.tokens) {
			const { seat } = pair[1];
			if (pair[1].pin === pin && seat.role === 'player' && seat.playerId === playerId) return pair;
		}
		return undefined;
	}
}
