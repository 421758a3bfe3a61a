/**
 * A phone that plays like a person with a steady hand: it keeps the server's clock as the
 * browser does (`client/clock-sync.ts`: eight probes at the start, one after each reveal), opens
 * each question's answers as the browser does (`client/answer-opening.ts`: at `opensAt` by that
 * clock, or on arrival if the frame came late, saying how late) and answers exactly
 * `reactionMs` after its answers opened. `mode: 'on-arrival'` plays as phones did before
 * issue 26: answers open when the `open` frame arrives.
 *
 * It speaks through any link (a WebSocket, the HTTP fallback), so the same phone measures
 * both transports through a delay proxy (delay-proxy.ts).
 */
import type { ClientMessage, ServerMessage } from '../../src/lib/protocol/index.ts';
import { ClockSync, localNow } from '../../src/lib/client/clock-sync.ts';
import { lateBy, shownView } from '../../src/lib/client/answer-opening.ts';

export type OpeningMode = 'synced' | 'on-arrival';

export interface PhoneLink {
	send(message: ClientMessage): void;
	/** As the browser's links: a frame sent now would wait behind others (the fallback's POST). */
	readonly busy?: boolean;
}

/** How one question went for this phone, by its own clock and the machine's. */
export interface PhoneRound {
	questionIndex: number;
	/** Server time (true: the test shares the server's clock) the answers opened here. */
	openedAt: number;
	lateMs: number;
	/**
	 * This phone's clock estimate minus the true time as the question opened: its countdown
	 * reaches zero this much before the projector's (whose clock is the server's here).
	 */
	clockErrorMs: number;
	/**
	 * From the answers opening here to the tap, as it really went: the reaction asked for plus
	 * however late this machine ran the tap's timer (a busy test machine), which the server
	 * cannot know and rightly charges. Null until tapped.
	 */
	reactedMs: number | null;
}

const FIRST_PROBES = 8;
const PROBE_SPACING_MS = 120;

export class TimedPhone {
	readonly clock = new ClockSync();
	readonly rounds: PhoneRound[] = [];
	private link: PhoneLink | null = null;
	private probeId = 0;
	private readonly timers = new Set<ReturnType<typeof setTimeout>>();
	private readonly scheduled = new Set<number>();
	/** Questions whose answers are open here and not yet sent. */
	private readonly open = new Set<number>();

	/** As the browser's `Game`: answers open here and this phone's not sent yet. */
	get answering(): boolean {
		return this.open.size > 0;
	}

	constructor(
		readonly name: string,
		private readonly reactionMs: number,
		private readonly answerChoice: number,
		readonly mode: OpeningMode = 'synced'
	) {}

	/** The link is up and seated: start the clock as the browser does. */
	start(link: PhoneLink): void {
		this.link = link;
		for (let i = 0; i < FIRST_PROBES; i++) this.later(() => this.probe(), i * PROBE_SPACING_MS);
	}

	/** Every frame the phone receives, as it arrives. */
	receive(text: string): void {
		const receivedAt = localNow();
		const message = JSON.parse(text) as ServerMessage;
		if (message.type === 'clock') {
			this.clock.add(message.clientSentAt, message.serverTime, receivedAt);
			return;
		}
		if (message.type === 'state') {
			this.clock.seed(message.serverTime, receivedAt);
			return;
		}
		if (message.type !== 'phase') return;
		if (message.phase === 'reveal') {
			// As the browser: a fresh probe while nobody is answering.
			this.later(() => this.probe(), Math.random() * 250);
			this.open.clear();
			return;
		}
		if (message.phase !== 'intro' && message.phase !== 'open') return;
		const index = message.question.index;
		if (this.mode === 'on-arrival') {
			if (message.phase === 'open' && !this.scheduled.has(index)) {
				this.scheduled.add(index);
				this.opened(index, Date.now(), 0);
			}
			return;
		}
		if (this.scheduled.has(index)) return;
		this.scheduled.add(index);
		const { type: _type, ...view } = message;
		const check = () => {
			const now = this.clock.serverNow();
			const shown = shownView(view, now);
			if (shown.phase === 'open') {
				this.opened(index, Date.now(), lateBy(shown.opensAt, now));
			} else this.later(check, Math.max(0, view.opensAt - now));
		};
		check();
	}

	stop(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	private opened(questionIndex: number, openedAt: number, lateMs: number): void {
		this.open.add(questionIndex);
		this.rounds.push({
			questionIndex,
			openedAt,
			lateMs,
			clockErrorMs: this.clock.serverNow() - Date.now(),
			reactedMs: null
		});
		const round = this.rounds.at(-1)!;
		const shownAt = localNow();
		this.later(() => {
			const tappedAt = localNow();
			round.reactedMs = tappedAt - shownAt;
			this.answer(questionIndex, lateMs, tappedAt);
		}, this.reactionMs);
	}

	/** As the browser (`GameConnection.sendWhenFree`): once the link is free, saying how long it waited. */
	private answer(questionIndex: number, lateMs: number, tappedAt: number, tries = 0): void {
		if (this.mode === 'synced' && this.link?.busy && tries < 40) {
			this.later(() => this.answer(questionIndex, lateMs, tappedAt, tries + 1), 50);
			return;
		}
		this.open.delete(questionIndex);
		const late = this.mode === 'synced' ? lateMs + Math.round(localNow() - tappedAt) : 0;
		this.link?.send({
			type: 'answer',
			questionIndex,
			choice: this.answerChoice,
			...(late > 0 ? { lateMs: late } : {})
		});
	}

	/** As the browser: once the link is free, so a queue is not read as the way up. */
	private probe(tries = 0): void {
		if (this.link?.busy && tries < 40) {
			this.later(() => this.probe(tries + 1), 50);
			return;
		}
		this.link?.send({ type: 'clock', id: ++this.probeId, clientSentAt: localNow() });
	}

	private later(callback: () => void, ms: number): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			callback();
		}, ms);
		this.timers.add(timer);
	}
}
