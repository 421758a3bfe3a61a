/**
 * A live game: the rules' state plus the sockets of its host and players. The room owns its
 * clock and turns the rules' effects into frames and timers. It knows nothing of WebSockets or
 * the HTTP fallback beyond the two-method `RoomSocket`, so tests drive it with fakes.
 */
import { nanoid } from 'nanoid';
import {
	CloseCode,
	HOST_COMMANDS,
	type ClientMessage,
	type CloseReason,
	type ErrorCode,
	type GameOptions,
	type Quiz,
	type ReportStatus,
	type ServerMessage
} from '../../protocol/index.ts';
import {
	apply,
	createGameState,
	snapshot,
	type Answer,
	type Effect,
	type GameEvent,
	type GameState,
	type Outcome,
	type Player
} from '../../game/index.ts';
import { Outbox } from './outbox.ts';

export interface SendOptions {
	/** Superseded by the next one (a tick, an answer count): a socket that lags may skip it. */
	droppable?: boolean;
}

export interface RoomSocket {
	send(text: string, options?: SendOptions): void;
	close(code: number, reason: string): void;
	/** Optional: hold this socket's writes until `uncork`, so several frames leave in one write. */
	cork?(): void;
	uncork?(): void;
}

/** Frames the next one of the same kind replaces: never worth queueing behind a slow link. */
const DROPPABLE: ReadonlySet<ServerMessage['type']> = new Set(['tick', 'answers']);
const DROP_IF_LAGGING: SendOptions = { droppable: true };

export interface Clock {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	/**
	 * Optional: call back once the frames that have arrived by now are handled (setImmediate).
	 * Without it, accepted answers are stored one dispatch at a time.
	 */
	defer?(callback: () => void): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
	defer: (callback) => setImmediate(callback)
};

export type Seat = { role: 'host' } | { role: 'player'; playerId: string };

export interface RoomEvents {
	/** A player was removed: their token must stop working. */
	onPlayerRemoved?(room: Room, playerId: string): void;
	onEnded?(room: Room): void;
	onPersist?(room: Room): void;
	/** Runs before the player's acknowledgement is sent: store the answer here. */
	onAnswerAccepted?(room: Room, playerId: string, questionIndex: number, answer: Answer): void;
	/**
	 * Instead of `onAnswerAccepted` when given: the answers accepted since the last call (with
	 * a deferring clock, all those that arrived in one turn of the event loop), to store in one
	 * write. Their acknowledgements wait until it returns, and so does every later frame; when
	 * it returns a promise (a store that confirms later), until that settles. `false` (or a
	 * promise of it): they were not stored (a full disk), and their acknowledgements say so
	 * (`stored: false`): they count in the game all the same.
	 */
	onAnswersAccepted?(room: Room, answers: AcceptedAnswer[]): void | false | Promise<void | false>;
	onError?(room: Room, event: GameEvent, error: unknown): void;
}

export interface AcceptedAnswer {
	playerId: string;
	questionIndex: number;
	answer: Answer;
	receivedAt: number;
}

function logRoomError(room: Room, event: GameEvent, error: unknown): void {
	console.error(`Room ${room.pin}: ${event.type} failed`, error);
}

export interface RoomSetup {
	pin: string;
	/** The host's seat token (kept with the room so a restarted server can honour it). */
	hostToken?: string;
	/** The account hosting the game; null for games from before accounts. */
	hostId?: string | null;
	/** A game picked up after a restart, instead of a new one. */
	restored?: { state: GameState; createdAt: number };
	/** Unique per game, for its report; a fresh one when not given. */
	gameId?: string;
	quiz: Quiz;
	options: GameOptions;
	maxPlayers: number;
	/** Seeds puzzle shuffles; fixed in tests. */
	seed?: number;
	clock: Clock;
	events?: RoomEvents;
}

/** A player who joined over HTTP but opened no socket by then is shown as gone. */
export const FIRST_CONNECT_GRACE_MS = 15_000;

const CLOSE_CODES: Record<CloseReason, number> = {
	kicked: CloseCode.kicked,
	ended: CloseCode.ended,
	replaced: CloseCode.replaced,
	shutdown: CloseCode.shutdown
};

const CLOSE_TEXT: Record<CloseReason, string> = {
	kicked: 'You were removed from the game by the host',
	ended: 'The host ended the game',
	replaced: 'This game was opened in another tab or device',
	shutdown: 'The server is restarting: reconnecting…'
};

export class Room {
	readonly pin: string;
	readonly gameId: string;
	readonly hostToken: string;
	/** Only this account's sessions (or an admin's) open the host seat; see GameService.mayHost. */
	hostId: string | null;
	readonly state: GameState;
	readonly createdAt: number;
	lastActivityAt: number;
	/** Since when no host or player socket has been open; null while someone is here. */
	emptySince: number | null;
	private readonly clock: Clock;
	private readonly events: RoomEvents;
	private host: RoomSocket | null = null;
	private readonly players = new Map<string, RoomSocket>();
	private wakeTimer: unknown = null;
	/**
	 * Seats given at the join step whose phone has not connected yet: the browser they were
	 * given to, and the timer that marks them gone if no socket follows (null once it fired).
	 */
	private readonly unclaimed = new Map<string, { device: string | null; timer: unknown }>();
	/** Accepted answers not stored yet, and their acknowledgements, held until they are. */
	private unstored: AcceptedAnswer[] = [];
	private heldAcks: HeldAck[] = [];
	private storeDeferred = false;
	/** Frames held behind answers that are still on their way to a store. */
	private readonly outbox = new Outbox();
	/** The report's save as last heard (see reportStatus), sent again to a host who reconnects. */
	private reportFrame: string | null = null;

	constructor(setup: RoomSetup) {
		this.pin = setup.pin;
		this.gameId = setup.gameId ?? nanoid();
		this.hostToken = setup.hostToken ?? nanoid();
		this.hostId = setup.hostId ?? null;
		this.clock = setup.clock;
		this.events = setup.events ?? {};
		this.state = setup.restored?.state ?? createGameState(setup);
		this.lastActivityAt = this.emptySince = this.clock.now();
		this.createdAt = setup.restored?.createdAt ?? this.lastActivityAt;
	}

	/**
	 * Picks a restored game up again: the time it was stopped for is given back to a running
	 * countdown or question, and the room's clock starts again.
	 */
	resume(pausedMs: number): void {
		this.dispatch({ type: 'resume', pausedMs });
		this.schedule(this.state.wakeAt);
	}

	get socketCount(): number {
		return this.players.size + (this.host ? 1 : 0);
	}

	get phase() {
		return this.state.phase;
	}

	get hostConnected(): boolean {
		return this.host !== null;
	}

	/** The HTTP join step: the rules decide whether this nickname may play. */
	join(playerId: string, nickname: string, device?: string): Outcome {
		const outcome = this.dispatch({ type: 'join', playerId, nickname, device });
		if (!outcome.error) {
			const seat = { device: device ?? null, timer: null as unknown };
			seat.timer = this.clock.setTimeout(() => {
				seat.timer = null;
				if (!this.players.has(playerId) && this.state.players.has(playerId)) {
					this.dispatch({ type: 'connection', playerId, connected: false });
				}
			}, FIRST_CONNECT_GRACE_MS);
			this.unclaimed.set(playerId, seat);
		}
		return outcome;
	}

	/**
	 * The latest seat this browser was given and never came for: its join reached the room but
	 * the answer was lost on the way back. Null when there is none.
	 */
	unclaimedSeatOf(device: string): Player | null {
		let latest: Player | null = null;
		for (const [playerId, seat] of this.unclaimed) {
			const player = seat.device === device ? this.state.players.get(playerId) : undefined;
			if (player && (!latest || player.joinOrder > latest.joinOrder)) latest = player;
		}
		return latest;
	}

	nicknameOf(playerId: string): string | undefined {
		return this.state.players.get(playerId)?.nickname;
	}

	/** A socket presented a token for this seat: it replaces any earlier socket there. */
	connect(seat: Seat, socket: RoomSocket): void {
		this.storeAnswers();
		const previous = seat.role === 'host' ? this.host : this.players.get(seat.playerId);
		if (previous && previous !== socket) this.closeSocket(previous, 'replaced');
		if (seat.role === 'host') {
			this.host = socket;
		} else {
			this.players.set(seat.playerId, socket);
			this.claim(seat.playerId);
		}
		this.lastActivityAt = this.clock.now();
		this.emptySince = null;
		// Behind any held frames: it counts answers whose acknowledgements are still held.
		const text = this.snapshotFor(seat);
		this.outbox.sendTo(socket, text);
		if (seat.role === 'host' && this.reportFrame) this.outbox.sendTo(socket, this.reportFrame);
		if (seat.role === 'player') {
			this.dispatch({ type: 'connection', playerId: seat.playerId, connected: true });
		}
	}

	/**
	 * The seat's whole picture again, for its current socket only: an HTTP fallback stream that
	 * missed more events than its session kept gets this instead of the events.
	 */
	sendSnapshot(seat: Seat, socket: RoomSocket): void {
		const current = seat.role === 'host' ? this.host : this.players.get(seat.playerId);
		if (current !== socket) return;
		// Held acknowledgements first: the snapshot already counts those answers.
		this.storeAnswers();
		const text = this.snapshotFor(seat);
		this.outbox.sendTo(socket, text);
		if (seat.role === 'host' && this.reportFrame) this.outbox.sendTo(socket, this.reportFrame);
	}

	/** How the game's report fares on its way to the store: the host's podium says so. */
	reportStatus(status: ReportStatus): void {
		this.reportFrame = JSON.stringify({
			type: 'report',
			reportId: this.gameId,
			status
		} satisfies ServerMessage);
		if (this.host) this.outbox.sendTo(this.host, this.reportFrame);
	}

	private snapshotFor(seat: Seat): string {
		return JSON.stringify(
			snapshot(
				this.state,
				this.pin,
				seat.role,
				this.clock.now(),
				seat.role === 'player' ? seat.playerId : undefined
			)
		);
	}

	/** The socket went away. Ignored if another socket already took the seat. */
	disconnect(seat: Seat, socket: RoomSocket): void {
		if (seat.role === 'host') {
			if (this.host !== socket) return;
			this.host = null;
		} else {
			if (this.players.get(seat.playerId) !== socket) return;
			this.players.delete(seat.playerId);
			if (this.state.players.has(seat.playerId)) {
				this.dispatch({ type: 'connection', playerId: seat.playerId, connected: false });
			}
		}
		if (this.socketCount === 0) this.emptySince = this.clock.now();
	}

	/** A validated frame from a seated socket; answers go back to that socket only. */
	handleMessage(seat: Seat, socket: RoomSocket, message: ClientMessage): void {
		this.lastActivityAt = this.clock.now();
		if (HOST_COMMANDS.has(message.type) && seat.role !== 'host') {
			this.reply(seat, socket, errorFrame('forbidden', `Only the host can ${message.type}`));
			return;
		}
		const event = this.toEvent(seat, message);
		if (!event) {
			const text = errorFrame('bad-frame', `"${message.type}" is not a ${seat.role} message`);
			this.reply(seat, socket, text);
			return;
		}
		const outcome = this.dispatch(event);
		if (outcome.error) {
			this.reply(seat, socket, errorFrame(outcome.error.code, outcome.error.message));
		}
	}

	/**
	 * A socket's reply that must not overtake frames held for it (see Outbox), nor this seat's
	 * acknowledgement still waiting for its answer to be stored: replies leave in the order of
	 * the frames they answer.
	 */
	inTurn(seat: Seat, write: () => void): void {
		this.releaseAckOf(seat);
		this.outbox.send(write);
	}

	private reply(seat: Seat, socket: RoomSocket, text: string): void {
		this.releaseAckOf(seat);
		this.outbox.sendTo(socket, text);
	}

	/** Stores the held answers now if one is this seat's (its reply would overtake the ack). */
	private releaseAckOf(seat: Seat): void {
		if (seat.role !== 'player' || this.heldAcks.length === 0) return;
		if (this.heldAcks.some((ack) => ack.playerId === seat.playerId)) this.storeAnswers();
	}

	setRoundTrip(playerId: string, rttMs: number): void {
		this.dispatch({ type: 'rtt', playerId, rttMs });
	}

	/**
	 * Closes every socket for this reason and stops the clock: 'shutdown' tells browsers to come
	 * back (server restarting), 'ended' that the game is gone (expired).
	 */
	close(reason: 'shutdown' | 'ended'): void {
		this.closeAll(reason);
		this.dispose();
	}

	dispose(): void {
		this.storeAnswers();
		if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
		this.wakeTimer = null;
		for (const playerId of [...this.unclaimed.keys()]) this.claim(playerId);
	}

	private toEvent(seat: Seat, message: ClientMessage): GameEvent | null {
		switch (message.type) {
			case 'answer':
				if (seat.role !== 'player') return null;
				return { ...message, playerId: seat.playerId };
			case 'next':
				return message.from ? { type: 'next', from: message.from } : { type: 'next' };
			case 'start':
			case 'end':
				return { type: message.type };
			case 'kick':
				return { type: 'kick', playerId: message.playerId };
			case 'lock':
				return { type: 'lock', locked: message.locked };
			case 'pause':
				return { type: 'pause', paused: message.paused };
			default:
				// hello and clock are answered by the socket layer
				return null;
		}
	}

	private dispatch(event: GameEvent): Outcome {
		let corked: RoomSocket[] | null = null;
		try {
			const outcome = apply(this.state, event, this.clock.now());
			corked = this.corkForResults(outcome.effects);
			for (const effect of outcome.effects) this.run(effect);
			if (!this.clock.defer) this.storeAnswers();
			return outcome;
		} catch (error) {
			// A bug in one game must not take down every other game in the process.
			(this.events.onError ?? logRoomError)(this, event, error);
			return {
				effects: [],
				error: { code: 'internal', message: 'Something went wrong on the server' }
			};
		} finally {
			if (corked) {
				const sockets = corked;
				this.outbox.send(() => {
					for (const socket of sockets) socket.uncork?.();
				});
			}
		}
	}

	/**
	 * A reveal or the podium sends every phone the phase, then each its own result: each
	 * socket's writes are held until both are in, so they leave in one system call, not two.
	 */
	private corkForResults(effects: Effect[]): RoomSocket[] | null {
		const toEveryPhone = effects.some((effect) => effect.kind === 'send' && effect.to !== 'host');
		if (!toEveryPhone || !effects.some((effect) => effect.kind === 'send-player')) return null;
		const sockets = [...this.players.values()];
		this.outbox.send(() => {
			for (const socket of sockets) socket.cork?.();
		});
		return sockets;
	}

	private run(effect: Effect): void {
		// Frames stay in order, and nothing goes out ahead of a held acknowledgement.
		if (this.unstored.length > 0 && !this.mayWaitForAnswers(effect)) this.storeAnswers();
		switch (effect.kind) {
			case 'send': {
				// Serialise once, send the same string to every socket.
				const text = JSON.stringify(effect.message);
				const options = DROPPABLE.has(effect.message.type) ? DROP_IF_LAGGING : undefined;
				const host = effect.to !== 'players' ? this.host : null;
				const players = effect.to !== 'host' ? this.players.values() : [];
				if (this.outbox.holding) {
					// To the sockets open now, not to ones that replace them meanwhile.
					const sockets = [...players];
					this.outbox.send(() => {
						host?.send(text, options);
						for (const socket of sockets) socket.send(text, options);
					});
					return;
				}
				host?.send(text, options);
				for (const socket of players) socket.send(text, options);
				return;
			}
			case 'send-player': {
				const text = JSON.stringify(effect.message);
				if (effect.message.type === 'answer-ack' && this.unstored.length > 0) {
					this.heldAcks.push({ playerId: effect.playerId, text, message: effect.message });
					return;
				}
				const socket = this.players.get(effect.playerId);
				if (socket) this.outbox.sendTo(socket, text);
				return;
			}
			case 'wake':
				this.schedule(effect.at);
				return;
			case 'answer-accepted':
				if (!this.events.onAnswersAccepted) {
					this.events.onAnswerAccepted?.(
						this,
						effect.playerId,
						effect.questionIndex,
						effect.answer
					);
					return;
				}
				this.unstored.push({
					playerId: effect.playerId,
					questionIndex: effect.questionIndex,
					answer: effect.answer,
					receivedAt: this.clock.now()
				});
				if (this.clock.defer && !this.storeDeferred) {
					this.storeDeferred = true;
					this.clock.defer(() => {
						this.storeDeferred = false;
						this.storeAnswers();
					});
				}
				return;
			case 'persist':
				this.events.onPersist?.(this);
				return;
			case 'disconnect':
				if (effect.playerId === null) {
					// The host ended it: a game that reached a reveal leaves a report, theirs to see.
					const played = effect.reason === 'ended' && this.state.history.length > 0;
					this.closeAll(effect.reason, played ? this.gameId : undefined);
					if (effect.reason === 'ended') this.events.onEnded?.(this);
					return;
				}
				this.removePlayerSocket(effect.playerId, effect.reason);
				this.events.onPlayerRemoved?.(this, effect.playerId);
				return;
		}
	}

	/** An answer burst: each acknowledgement waits for the one write of every answer in it. */
	private mayWaitForAnswers(effect: Effect): boolean {
		return (
			effect.kind === 'answer-accepted' ||
			effect.kind === 'wake' ||
			(effect.kind === 'send-player' && effect.message.type === 'answer-ack')
		);
	}

	/**
	 * Stores the answers accepted so far in one go, then sends their acknowledgements: as stored,
	 * or, if the store refused them (or threw), with `stored: false`.
	 */
	private storeAnswers(): void {
		if (this.unstored.length === 0) return;
		const answers = this.unstored;
		const acks = this.heldAcks;
		this.unstored = [];
		this.heldAcks = [];
		let stored = false;
		try {
			const landing = this.events.onAnswersAccepted?.(this, answers);
			if (landing instanceof Promise) {
				this.outbox.waitFor(landing.then((result) => (stored = result !== false)));
			} else stored = landing !== false;
		} finally {
			const sends = acks.map((ack) => ({ socket: this.players.get(ack.playerId), ack }));
			this.outbox.send(() => {
				for (const { socket, ack } of sends) socket?.send(stored ? ack.text : unstoredAck(ack));
			});
		}
	}

	private schedule(at: number | null): void {
		if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
		this.wakeTimer = null;
		if (at === null) return;
		this.wakeTimer = this.clock.setTimeout(
			() => {
				this.wakeTimer = null;
				this.dispatch({ type: 'wake' });
			},
			Math.max(0, at - this.clock.now())
		);
	}

	private removePlayerSocket(playerId: string, reason: CloseReason): void {
		this.claim(playerId);
		const socket = this.players.get(playerId);
		if (!socket) return;
		this.players.delete(playerId);
		this.closeSocket(socket, reason);
	}

	/** `reportId`: told to the host only, the report the game left (`/reports/<reportId>`). */
	private closeAll(reason: CloseReason, reportId?: string): void {
		if (this.host) this.closeSocket(this.host, reason, reportId);
		this.host = null;
		for (const socket of this.players.values()) this.closeSocket(socket, reason);
		this.players.clear();
	}

	/** After the frames held for it: a kicked phone still sees what came before. */
	private closeSocket(socket: RoomSocket, reason: CloseReason, reportId?: string): void {
		const message = CLOSE_TEXT[reason];
		const text = JSON.stringify({
			type: 'closed',
			reason,
			message,
			...(reportId === undefined ? {} : { reportId })
		} satisfies ServerMessage);
		this.outbox.send(() => {
			socket.send(text);
			socket.close(CLOSE_CODES[reason], message);
		});
	}

	/** The seat is no longer waiting for its phone (it came, or the player or room is gone). */
	private claim(playerId: string): void {
		const seat = this.unclaimed.get(playerId);
		if (!seat) return;
		if (seat.timer !== null) this.clock.clearTimeout(seat.timer);
		this.unclaimed.delete(playerId);
	}
}

interface HeldAck {
	playerId: string;
	text: string;
	message: ServerMessage;
}

/** The acknowledgement of an answer that counts but could not be stored. */
function unstoredAck(ack: HeldAck): string {
	return JSON.stringify({ ...ack.message, stored: false });
}

export function errorFrame(code: ErrorCode, message: string): string {
	return JSON.stringify({ type: 'error', code, message } satisfies ServerMessage);
}
