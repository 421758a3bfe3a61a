/**
 * What a screen shows, rebuilt from server messages only: the server is the authority on
 * phases, answers and scores, and a snapshot on every (re)connect makes the screen right again.
 */
import { CloseCode } from '../protocol/basics.ts';
import type {
	AnswerInput,
	ClientMessage,
	CloseReason,
	ErrorCode,
	GameOptions,
	PhaseView,
	PlayerStatus,
	PlayerSummary,
	ReportStatus,
	Role,
	ServerMessage
} from '../protocol/messages.ts';
import {
	MISSED_ANSWER,
	settleAfterRefusal,
	settleAfterSnapshot,
	type OutgoingAnswer
} from './answer-outbox.ts';
import { lateBy, msUntilOpening, shownView } from './answer-opening.ts';
import { GameConnection, type ConnectionStatus } from './connection.ts';
import { forcedTransport, type Transport } from './transport-choice.ts';

/** An answer without an acknowledgement this long makes the socket prove it is alive. */
const ACK_PATIENCE_MS = 4000;

export interface ClosedSeat {
	reason: CloseReason | 'error';
	message: string;
	/** For `error`: why the server refused the seat. */
	code?: ErrorCode;
	/** Host, a game ended after a reveal: its report (`/reports/<reportId>`). */
	reportId?: string;
}

/** What a close code means when the `closed` frame before it got lost. */
const CLOSE_CODE_REASONS: Record<number, ClosedSeat> = {
	[CloseCode.kicked]: { reason: 'kicked', message: 'You were removed from the game by the host' },
	[CloseCode.ended]: { reason: 'ended', message: 'The game is over' },
	[CloseCode.replaced]: {
		reason: 'replaced',
		message: 'This game was opened in another tab or device'
	},
	[CloseCode.badToken]: {
		reason: 'error',
		code: 'bad-token',
		message: 'This game is over or the link is no longer valid'
	},
	[CloseCode.badVersion]: {
		reason: 'error',
		code: 'bad-version',
		message: 'The game was updated: reload the page'
	},
	[CloseCode.notYourGame]: {
		reason: 'error',
		code: 'not-your-game',
		message: 'You were signed out: sign in again to host this game'
	}
};

export interface Where {
	socketUrl?: string | null;
	/** Several nodes: when the socket keeps failing, ask where the game went. */
	clustered?: boolean;
}

/** Where this seat's game lives now (`POST /api/seats/locate`); null if nobody knows. */
export async function locateSeat(token: string): Promise<string | null> {
	const response = await fetch('/api/seats/locate', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ token })
	});
	if (!response.ok) return null;
	return ((await response.json()) as { socketUrl: string }).socketUrl;
}

export class Game {
	status = $state<ConnectionStatus>('connecting');
	/**
	 * How the game reaches this screen: `sse` is the HTTP fallback for networks that cut
	 * WebSockets ("compatibility mode" on screen).
	 */
	transport = $state<Transport>('ws');
	/** The server closed the socket to restart (1012): it comes back by itself. */
	restarting = $state(false);
	role = $state<Role | null>(null);
	pin = $state('');
	quizTitle = $state('');
	questionCount = $state(0);
	options = $state<GameOptions | null>(null);
	view = $state<PhaseView | null>(null);
	/** Host only. */
	players = $state<PlayerSummary[]>([]);
	playerCount = $state(0);
	/** Host: no new players may join. */
	locked = $state(false);
	/** Host, from the podium: how the game's report fares on its way to the store. */
	report = $state<{ reportId: string; status: ReportStatus } | null>(null);
	answeredCount = $state(0);
	answeredOf = $state(0);
	/** Player only. */
	you = $state<PlayerStatus | null>(null);
	/** The answer the server confirmed for the current question. */
	lockedAnswer = $state<AnswerInput | null>(null);
	/**
	 * Given on this device, not yet confirmed: sent, or waiting for the socket to come back.
	 * Kept across reconnects; the next snapshot decides whether it is sent again.
	 */
	outgoing = $state<OutgoingAnswer | null>(null);
	/** The unconfirmed answer, for the screen. */
	readonly pendingAnswer = $derived(this.outgoing?.input ?? null);
	/** An unconfirmed answer that cannot go out before the socket is back. */
	readonly answerWaiting = $derived(this.outgoing !== null && this.status !== 'open');
	closed = $state<ClosedSeat | null>(null);
	/** The server says this seat is over for good (not merely taken by another tab). */
	readonly seatGone = $derived(
		this.closed?.reason === 'kicked' ||
			this.closed?.reason === 'ended' ||
			this.closed?.code === 'bad-token' ||
			this.view?.phase === 'ended'
	);
	/** Last refusal from the server, for a short message on screen. */
	notice = $state<string | null>(null);

	/** Length of the "get ready" countdown, for drawing its bar. */
	readonly introMs = $derived((this.options?.introSeconds ?? 0) * 1000);
	/** When the host paused the countdown or the question (server time); null while it runs. */
	readonly pausedAt = $derived(pausedAtOf(this.view));

	private connection: GameConnection | null = null;
	/** The phase as the server sent it; `view` is what it looks like now (answer-opening.ts). */
	private phaseSent: PhaseView | null = null;
	private openingTimer: ReturnType<typeof setTimeout> | null = null;
	/** The question whose answers opened here, and how late (server time) they did. */
	private opened: { index: number; lateMs: number } | null = null;
	private token: string | null = null;
	private where: Where = {};

	/** `where`: the game's node (a cluster gives another node's address than this page's). */
	connect(token: string, where: Where = this.where): void {
		this.connection?.close();
		this.token = token;
		this.where = where;
		this.connection = new GameConnection({
			token,
			url: where.socketUrl ?? undefined,
			locate: where.clustered ? () => locateSeat(token) : undefined,
			onMessage: (message) => this.receive(message),
			onStatus: (status, closeCode) => this.statusChanged(status, closeCode),
			onTransport: (transport) => (this.transport = transport),
			answering: () =>
				this.role === 'player' &&
				this.view?.phase === 'open' &&
				!this.lockedAnswer &&
				!this.outgoing,
			transport: typeof location === 'undefined' ? null : forcedTransport(location.search)
		});
	}

	/** "Play here instead": after another tab took the seat, take it back. */
	takeBack(): void {
		if (!this.token || this.closed?.reason !== 'replaced') return;
		this.closed = null;
		this.connect(this.token);
	}

	/** The page became visible again: a socket that slept with the phone may be dead. */
	wake(): void {
		this.connection?.checkAlive(2000);
	}

	disconnect(): void {
		this.connection?.close();
		this.connection = null;
		if (this.openingTimer) clearTimeout(this.openingTimer);
		this.openingTimer = null;
	}

	/** Server time now, as best this device knows it. */
	serverNow(): number {
		return this.connection?.clock.serverNow() ?? Date.now();
	}

	/** The time the game's clocks show: server time, standing still while the host has paused. */
	clockNow(): number {
		return this.pausedAt ?? this.serverNow();
	}

	send(message: ClientMessage): boolean {
		return this.connection?.send(message) ?? false;
	}

	/**
	 * This question's answer: `{ choice }`, `{ choices }`, `{ text }`, `{ value }` or `{ order }`.
	 * Sent now if the socket is up; otherwise kept and sent after the reconnect if still in time.
	 */
	answer(input: AnswerInput): void {
		const view = this.view;
		if (view?.phase !== 'open' || this.lockedAnswer !== null || this.outgoing !== null) return;
		this.notice = null;
		this.outgoing = { questionIndex: view.question.index, input, carriedOver: false };
		if (this.status === 'open') this.sendOutgoing();
		else this.outgoing.carriedOver = true;
	}

	private sendOutgoing(): void {
		const outgoing = this.outgoing;
		if (!outgoing) return;
		// Time lost here, not by the player: answers opened late, the link busy (answer-opening.ts).
		const opened = this.opened?.index === outgoing.questionIndex ? this.opened.lateMs : 0;
		const { questionIndex, input } = outgoing;
		const sent =
			this.connection?.sendWhenFree((heldMs) => {
				const late = opened + heldMs;
				return { type: 'answer', questionIndex, ...(late > 0 ? { lateMs: late } : {}), ...input };
			}) ?? false;
		if (sent) this.connection?.checkAlive(ACK_PATIENCE_MS);
		// Not sent: the socket is going down, and the next snapshot decides.
		else outgoing.carriedOver = true;
	}

	private statusChanged(status: ConnectionStatus, closeCode: number | null): void {
		this.status = status;
		if (status === 'open') this.restarting = false;
		else if (closeCode === CloseCode.shutdown) this.restarting = true;
		if (this.outgoing && status !== 'open') this.outgoing.carriedOver = true;
		if (status === 'closed' && !this.closed && closeCode !== null) {
			const known = CLOSE_CODE_REASONS[closeCode];
			if (known) this.closed = { ...known };
		}
	}

	receive(message: ServerMessage): void {
		switch (message.type) {
			case 'state':
				this.role = message.role;
				this.pin = message.pin;
				this.quizTitle = message.quizTitle;
				this.questionCount = message.questionCount;
				this.options = message.options;
				this.players = message.players ?? [];
				this.playerCount = message.playerCount;
				this.you = message.you;
				this.resume(message.view, message.you, message.answeredCount);
				this.answeredOf = message.answeredOf;
				this.locked = message.locked;
				// Sent again after the snapshot if there is one to tell.
				this.report = null;
				return;
			case 'locked':
				this.locked = message.locked;
				return;
			case 'report':
				this.report = { reportId: message.reportId, status: message.status };
				return;
			case 'phase': {
				const { type: _type, ...view } = message;
				this.enterPhase(view as PhaseView);
				return;
			}
			case 'you':
				this.you = message.you;
				return;
			case 'tick':
				// The countdown is drawn from closesAt and the clock estimate: nothing to do.
				return;
			case 'answer-ack': {
				// Counted either way: whether it is stored too is the host's concern (told there).
				const { type: _type, questionIndex: _index, stored: _stored, ...input } = message;
				this.lockedAnswer = input;
				this.outgoing = null;
				return;
			}
			case 'answers':
				this.answeredCount = message.count;
				this.answeredOf = message.of;
				return;
			case 'player-joined':
				this.players.push(message.player);
				this.playerCount = message.playerCount;
				return;
			case 'player-left':
				this.players = this.players.filter((p) => p.id !== message.playerId);
				this.playerCount = message.playerCount;
				return;
			case 'player-connection': {
				const player = this.players.find((p) => p.id === message.playerId);
				if (player) player.connected = message.connected;
				return;
			}
			case 'closed':
				// A restart is not the end: the socket comes back and the game goes on.
				if (message.reason === 'shutdown') this.restarting = true;
				else {
					const { reason, message: text, reportId } = message;
					this.closed = { reason, message: text, ...(reportId ? { reportId } : {}) };
				}
				return;
			case 'error':
				if (message.code === 'kicked') {
					// A reload after the host removed this player: still removed.
					this.closed = { reason: 'kicked', message: message.message };
				} else if (
					message.code === 'bad-token' ||
					message.code === 'bad-version' ||
					message.code === 'not-your-game'
				) {
					this.closed = { reason: 'error', code: message.code, message: message.message };
				} else if (this.outgoing) {
					const refusal = settleAfterRefusal(this.outgoing, message.code, message.message);
					this.outgoing = null;
					if (refusal.locked) this.lockedAnswer = refusal.locked;
					this.notice = refusal.notice;
				} else {
					this.notice = message.message;
				}
				return;
			case 'clock':
				return;
		}
	}

	/** A (re)connect snapshot: what the server holds, and what becomes of an unconfirmed answer. */
	private resume(view: PhaseView, you: PlayerStatus | null, answeredCount: number): void {
		const outgoing = $state.snapshot(this.outgoing);
		// Settled below from the snapshot, not taken as missed by the phase change.
		this.outgoing = null;
		this.enterPhase(view);
		this.answeredCount = answeredCount;
		const settlement = settleAfterSnapshot(outgoing, view, you);
		this.lockedAnswer = settlement.locked;
		this.outgoing = settlement.resend;
		if (settlement.notice) this.notice = settlement.notice;
		if (settlement.resend) this.sendOutgoing();
	}

	private enterPhase(view: PhaseView): void {
		const previous = this.view;
		const newQuestion =
			'question' in view &&
			!(previous && 'question' in previous && previous.question.index === view.question.index);
		if (newQuestion || view.phase === 'lobby') {
			this.lockedAnswer = null;
			this.answeredCount = 0;
			this.answeredOf = this.playerCount;
			this.notice = null;
			this.dropOutgoing();
		}
		if (view.phase === 'reveal') {
			this.answeredCount = view.answeredCount;
			this.dropOutgoing();
		}
		// Going on after a pause: "the game is paused" (an answer tapped as it paused) is over.
		if (pausedAtOf(previous) !== null && pausedAtOf(view) === null) this.notice = null;
		// A fresh clock estimate before the next question, while nobody is answering.
		if (view.phase === 'reveal' && previous?.phase !== 'reveal') this.connection?.probeClockSoon();
		this.phaseSent = view;
		this.show();
	}

	/** Shows the phase as of now; answers open at `opensAt` by this screen's clock. */
	private show(): void {
		const view = this.phaseSent;
		if (this.openingTimer) clearTimeout(this.openingTimer);
		this.openingTimer = null;
		if (!view) return;
		const now = pausedAtOf(view) ?? this.serverNow();
		const shown = shownView(view, now);
		if (shown.phase === 'open' && this.opened?.index !== shown.question.index) {
			this.opened = { index: shown.question.index, lateMs: lateBy(shown.opensAt, now) };
		}
		this.view = shown;
		const wait = msUntilOpening(view, now);
		if (wait !== null) this.openingTimer = setTimeout(() => this.show(), wait);
	}

	/** The question closed with this phone's answer unconfirmed: it did not count. */
	private dropOutgoing(): void {
		if (!this.outgoing) return;
		this.outgoing = null;
		this.notice = MISSED_ANSWER;
	}
}

function pausedAtOf(view: PhaseView | null): number | null {
	return (view && 'pausedAt' in view && view.pausedAt) || null;
}
