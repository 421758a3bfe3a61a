/**
 * What a screen shows, rebuilt from server messages only: the server is the authority on
 * phases, answers and scores, and a snapshot on every (re)connect makes the screen right again.
 */
import type {
	AnswerInput,
	ClientMessage,
	CloseReason,
	GameOptions,
	PhaseView,
	PlayerStatus,
	PlayerSummary,
	Role,
	ServerMessage
} from '../protocol/messages.ts';
import { GameConnection, type ConnectionStatus } from './connection.ts';

export class Game {
	status = $state<ConnectionStatus>('connecting');
	role = $state<Role | null>(null);
	pin = $state('');
	quizTitle = $state('');
	questionCount = $state(0);
	options = $state<GameOptions | null>(null);
	view = $state<PhaseView | null>(null);
	/** Host only. */
	players = $state<PlayerSummary[]>([]);
	playerCount = $state(0);
	answeredCount = $state(0);
	answeredOf = $state(0);
	/** Player only. */
	you = $state<PlayerStatus | null>(null);
	/** The answer the server confirmed for the current question. */
	lockedAnswer = $state<AnswerInput | null>(null);
	/** Sent, not yet confirmed. */
	pendingAnswer = $state<AnswerInput | null>(null);
	/** Last whole seconds the server announced; the countdown itself runs on the synced clock. */
	tickRemaining = $state<number | null>(null);
	closed = $state<{ reason: CloseReason | 'error'; message: string } | null>(null);
	/** Last refusal from the server, for a short message on screen. */
	notice = $state<string | null>(null);

	/** Length of the "get ready" countdown, for drawing its bar. */
	readonly introMs = $derived((this.options?.introSeconds ?? 0) * 1000);

	private connection: GameConnection | null = null;

	connect(token: string): void {
		this.connection = new GameConnection({
			token,
			onMessage: (message) => this.receive(message),
			onStatus: (status) => (this.status = status)
		});
	}

	disconnect(): void {
		this.connection?.close();
		this.connection = null;
	}

	/** Server time now, as best this device knows it. */
	serverNow(): number {
		return this.connection?.clock.serverNow() ?? Date.now();
	}

	send(message: ClientMessage): boolean {
		return this.connection?.send(message) ?? false;
	}

	/** Sends this question's answer: `{ choice }`, `{ choices }`, `{ text }`, `{ value }` or `{ order }`. */
	answer(input: AnswerInput): void {
		const view = this.view;
		if (view?.phase !== 'open' || this.lockedAnswer !== null || this.pendingAnswer !== null) return;
		this.pendingAnswer = input;
		this.notice = null;
		if (!this.send({ type: 'answer', questionIndex: view.question.index, ...input })) {
			this.pendingAnswer = null;
			this.notice = 'Not connected: your answer was not sent. Try again.';
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
				this.enterPhase(message.view);
				this.answeredCount = message.answeredCount;
				this.lockedAnswer = message.you?.currentAnswer ?? null;
				this.pendingAnswer = null;
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
				this.tickRemaining = message.remaining;
				return;
			case 'answer-ack': {
				const { type: _type, questionIndex: _index, ...input } = message;
				this.lockedAnswer = input;
				this.pendingAnswer = null;
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
				this.closed = { reason: message.reason, message: message.message };
				return;
			case 'error':
				this.pendingAnswer = null;
				if (message.code === 'bad-token' || message.code === 'bad-version') {
					this.closed = { reason: 'error', message: message.message };
				} else {
					this.notice = message.message;
				}
				return;
			case 'clock':
				return;
		}
	}

	private enterPhase(view: PhaseView): void {
		const previous = this.view;
		const newQuestion =
			'question' in view &&
			!(previous && 'question' in previous && previous.question.index === view.question.index);
		if (newQuestion || view.phase === 'lobby') {
			this.lockedAnswer = null;
			this.pendingAnswer = null;
			this.answeredCount = 0;
			this.answeredOf = this.playerCount;
			this.notice = null;
		}
		if (view.phase === 'open') {
			this.tickRemaining = Math.ceil((view.closesAt - view.opensAt) / 1000);
		}
		if (view.phase === 'reveal') this.answeredCount = view.answeredCount;
		this.view = view;
	}
}
