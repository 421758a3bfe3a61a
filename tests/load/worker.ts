/**
 * One player process of the load generator: a share of the simulated phones. Each joins through
 * the same HTTP step a phone uses (`POST /api/games/:pin/players`), opens `/ws` (or the HTTP
 * fallback, or bench-only polling: links.ts), says hello and then plays: it stamps every question, tick and acknowledgement as it arrives, and answers
 * within the burst the coordinator asked for. It runs in its own process (forked by
 * generator.ts), so its CPU is counted apart from the server's; it reports its own load too.
 *
 * Receipt times are `Date.now()` of this process against the server's own timestamps in the
 * frames (`opensAt`, `closesAt`): the generator and the server run on the same machine and
 * read the same clock, so no offset correction is applied. Clock probes over the socket check
 * that assumption (`clockOffsetMs` in the join report).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { ServerMessage } from '../../src/lib/protocol/index.ts';
import { liveUrl, openLink, type BenchTransport, type PlayerLink } from './links.ts';
import type {
	BaselineReport,
	FromWorker,
	JoinReport,
	PlayerPlan,
	QuestionPlan,
	QuestionReport,
	ToWorker,
	WorkerLoad
} from './wire.ts';

const PROTOCOL_VERSION = 1;
const CONNECT_TIMEOUT_MS = 30_000;
/** Same options a lean phone client would use: no compression; the frames are trusted text. */
const SOCKET_OPTIONS: WebSocket.ClientOptions = {
	perMessageDeflate: false,
	skipUTF8Validation: true
};

function tell(message: FromWorker): void {
	process.send!(message);
}

// ---------------------------------------------------------------------------------------------
// Our own load

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

class LoadMeter {
	private readonly cpu = process.cpuUsage();
	private readonly startedAt = performance.now();

	constructor() {
		loopDelay.reset();
	}

	stop(): WorkerLoad {
		const cpu = process.cpuUsage(this.cpu);
		return {
			cpuMs: (cpu.user + cpu.system) / 1000,
			wallMs: performance.now() - this.startedAt,
			loopDelayP99Ms: loopDelay.count ? loopDelay.percentile(99) / 1e6 : 0,
			loopDelayMaxMs: loopDelay.count ? loopDelay.max / 1e6 : 0
		};
	}
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function count(counts: Record<string, number>, key: string): void {
	counts[key] = (counts[key] ?? 0) + 1;
}

function randomLetters(length: number): string {
	let text = '';
	for (let i = 0; i < length; i++) text += 'bcdfghjkmnpqrstvwxz'[Math.floor(Math.random() * 19)];
	return text;
}

function push(samples: Record<string, number[]>, key: string, value: number): void {
	(samples[key] ??= []).push(value);
}

// ---------------------------------------------------------------------------------------------
// Players

interface Seat {
	plan: PlayerPlan;
	link: PlayerLink;
	/** The open question's deadline, from its frame. */
	closesAt: number;
	gotQuestion: boolean;
	answerSentAt: number;
	acked: boolean;
	gotResult: boolean;
}

interface Round {
	plan: QuestionPlan;
	report: QuestionReport;
	/** Seats still waiting for their result. */
	pending: number;
	timer: ReturnType<typeof setTimeout>;
	meter: LoadMeter;
}

const seats: Seat[] = [];
let round: Round | null = null;
const closeCodes: Record<string, number> = {};
let onSeatClosed: (() => void) | null = null;
/** Clock probes in flight on the first seat: id → sent at. */
const clockProbes = new Map<number, number>();
const clockSamples: { rtt: number; offset: number }[] = [];

async function joinAll(command: Extract<ToWorker, { type: 'join' }>): Promise<void> {
	const meter = new LoadMeter();
	const report: JoinReport = {
		attempted: command.players.length,
		joined: 0,
		connected: 0,
		failures: {},
		retyped: {},
		httpMs: [],
		connectMs: [],
		clockOffsetMs: null,
		startedAt: Date.now(),
		endedAt: 0,
		load: meter.stop()
	};
	const start = performance.now();
	const interval = 1000 / command.ratePerSecond;
	let inFlight = 0;
	const slots: (() => void)[] = [];
	const joins: Promise<void>[] = [];
	for (let i = 0; i < command.players.length; i++) {
		// Paced: phone i arrives at i / rate, whatever happened to the ones before it.
		const wait = start + i * interval - performance.now();
		if (wait >= 1) await sleep(wait);
		while (inFlight >= command.concurrency) await new Promise<void>((r) => slots.push(r));
		inFlight++;
		joins.push(
			joinOne(
				command.entryUrls[i % command.entryUrls.length]!,
				command.nodes,
				command.players[i]!,
				report,
				command.transport
			).finally(() => {
				inFlight--;
				slots.shift()?.();
			})
		);
	}
	await Promise.all(joins);
	report.endedAt = Date.now();
	report.clockOffsetMs = await measureClockOffset();
	report.load = meter.stop();
	tell({ type: 'joined', report });
}

interface JoinBody {
	token?: string;
	socketUrl?: string;
	code?: string;
}

/** Refusals a person answers by typing another name ("Bot 1-455" reads as rude in leetspeak). */
const RETYPE = new Set(['nickname-rude', 'nickname-taken']);
const RETYPES = 3;

async function joinOne(
	baseUrl: string,
	nodes: Record<string, string>,
	plan: PlayerPlan,
	report: JoinReport,
	transport: BenchTransport
): Promise<void> {
	let sentAt = 0;
	let status = 0;
	let body: JoinBody | null = null;
	for (let attempt = 0; attempt <= RETYPES; attempt++) {
		const nickname =
			attempt === 0 ? plan.nickname : `${plan.nickname.split('-')[0]}-${randomLetters(6)}`;
		sentAt = performance.now();
		try {
			const response = await fetch(`${baseUrl}/api/games/${plan.pin}/players`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ nickname })
			});
			status = response.status;
			body = (await response.json().catch(() => null)) as JoinBody | null;
		} catch (error) {
			const code = (error as { cause?: { code?: string } }).cause?.code ?? 'error';
			count(report.failures, `http-${code}`);
			return;
		}
		if (status === 201 || !body?.code || !RETYPE.has(body.code)) break;
		count(report.retyped, body.code);
	}
	if (status !== 201 || !body?.token) {
		count(report.failures, body?.code ?? `http-${status}`);
		return;
	}
	report.httpMs.push(performance.now() - sentAt);
	report.joined++;
	const openedAt = performance.now();
	const url = liveUrl(body.socketUrl ?? '/ws', baseUrl, nodes);
	const failure = await connectSeat(url, body.token, plan, transport);
	if (failure) {
		count(report.failures, failure);
		return;
	}
	report.connectMs.push(performance.now() - openedAt);
	report.connected++;
}

/** Opens the seat's link and says hello; resolves once the `state` snapshot came (or why not). */
function connectSeat(
	url: string,
	token: string,
	plan: PlayerPlan,
	transport: BenchTransport
): Promise<string | null> {
	return new Promise((resolve) => {
		let settled = false;
		const settle = (failure: string | null) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(failure);
		};
		const timer = setTimeout(() => {
			settle('ws-timeout');
			link.terminate();
		}, CONNECT_TIMEOUT_MS);
		const link: PlayerLink = openLink(transport, url, {
			open: () => link.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token })),
			message: (text) => {
				const receivedAt = Date.now();
				const message = JSON.parse(text) as ServerMessage;
				if (!settled) {
					if (message.type === 'state') {
						seats.push(seat);
						settle(null);
					} else if (message.type === 'error') {
						settle(`ws-${message.code}`);
					}
					return;
				}
				onPlayerMessage(seat, message, text, receivedAt);
			},
			close: (code) => {
				settle(`ws-closed-${code}`);
				count(closeCodes, String(code));
				onSeatClosed?.();
			}
		});
		const seat: Seat = {
			plan,
			link,
			closesAt: 0,
			gotQuestion: false,
			answerSentAt: 0,
			acked: false,
			gotResult: false
		};
	});
}

function onPlayerMessage(seat: Seat, message: ServerMessage, text: string, receivedAt: number) {
	switch (message.type) {
		case 'phase':
			if (message.phase === 'open') onQuestion(seat, message, text, receivedAt);
			return;
		case 'tick': {
			if (!round || message.questionIndex !== round.plan.index || !seat.gotQuestion) return;
			const dueAt = seat.closesAt - message.remaining * 1000;
			push(round.report.tickMs, seat.plan.pin, receivedAt - dueAt);
			const tick = `${seat.plan.pin}:${message.remaining}`;
			const first = round.report.tickFirstMs[tick];
			if (first === undefined || receivedAt - dueAt < first) {
				round.report.tickFirstMs[tick] = receivedAt - dueAt;
			}
			return;
		}
		case 'answer-ack':
			if (!round || message.questionIndex !== round.plan.index || seat.acked) return;
			seat.acked = true;
			round.report.acked++;
			if (!seat.plan.late) round.report.ackMs.push(performance.now() - seat.answerSentAt);
			return;
		case 'you':
			if (!round || seat.gotResult) return;
			if (message.you.lastResult?.questionIndex !== round.plan.index) return;
			seat.gotResult = true;
			round.report.gotResult++;
			if (--round.pending === 0) endRound();
			return;
		case 'clock': {
			const sentAt = clockProbes.get(message.id);
			if (sentAt === undefined) return;
			clockProbes.delete(message.id);
			clockSamples.push({
				rtt: receivedAt - sentAt,
				offset: message.serverTime - (sentAt + receivedAt) / 2
			});
			return;
		}
		case 'error':
			if (round) {
				round.report.errors[message.code] = (round.report.errors[message.code] ?? 0) + 1;
			}
			return;
		default:
			return;
	}
}

function onQuestion(
	seat: Seat,
	message: Extract<ServerMessage, { type: 'phase'; phase: 'open' }>,
	text: string,
	receivedAt: number
): void {
	if (!round || message.question.index !== round.plan.index || seat.gotQuestion) return;
	const { plan, report } = round;
	seat.gotQuestion = true;
	seat.closesAt = message.closesAt;
	report.gotQuestion++;
	push(report.fanoutMs, seat.plan.pin, receivedAt - message.opensAt);
	report.opensAt[seat.plan.pin] = message.opensAt;
	report.openFrame ??= text;
	const delay = seat.plan.late ? plan.lateAnswerMs : Math.random() * plan.burstMs;
	setTimeout(() => answer(seat, plan), Math.max(0, message.opensAt + delay - Date.now()));
}

function answer(seat: Seat, plan: QuestionPlan): void {
	if (!seat.link.open) return;
	const right = Math.random() < plan.correctShare;
	const choice = right
		? plan.correct
		: (plan.correct + 1 + Math.floor(Math.random() * (plan.optionCount - 1))) % plan.optionCount;
	seat.answerSentAt = performance.now();
	seat.link.send(JSON.stringify({ type: 'answer', questionIndex: plan.index, choice }));
}

function armRound(plan: QuestionPlan): void {
	let live = 0;
	for (const seat of seats) {
		seat.gotQuestion = seat.acked = seat.gotResult = false;
		seat.closesAt = 0;
		if (seat.link.open) live++;
	}
	round = {
		plan,
		report: {
			index: plan.index,
			expected: seats.length,
			gotQuestion: 0,
			acked: 0,
			gotResult: 0,
			fanoutMs: {},
			opensAt: {},
			ackMs: [],
			tickMs: {},
			tickFirstMs: {},
			errors: {},
			openFrame: null,
			load: new LoadMeter().stop()
		},
		pending: live,
		timer: setTimeout(endRound, plan.timeoutMs),
		meter: new LoadMeter()
	};
	tell({ type: 'armed', index: plan.index });
	if (live === 0) endRound();
}

function endRound(): void {
	if (!round) return;
	const { report, meter, timer } = round;
	clearTimeout(timer);
	round = null;
	report.load = meter.stop();
	tell({ type: 'question-done', report });
}

/** A few clock probes on one socket: the offset of the server's clock from ours. */
async function measureClockOffset(): Promise<number | null> {
	const seat = seats.find((s) => s.link.open);
	if (!seat) return null;
	clockSamples.length = 0;
	for (let id = 0; id < 6; id++) {
		clockProbes.set(id, Date.now());
		seat.link.send(JSON.stringify({ type: 'clock', id, clientSentAt: Date.now() }));
		await sleep(30);
	}
	await sleep(200);
	clockProbes.clear();
	if (clockSamples.length === 0) return null;
	const best = clockSamples.sort((a, b) => a.rtt - b.rtt).slice(0, 3);
	const offsets = best.map((s) => s.offset).sort((a, b) => a - b);
	return offsets[offsets.length >> 1]!;
}

async function finish(timeoutMs: number): Promise<void> {
	const open = () => seats.filter((s) => !s.link.closed).length;
	const deadline = performance.now() + timeoutMs;
	while (open() > 0 && performance.now() < deadline) {
		await new Promise<void>((resolve) => {
			onSeatClosed = resolve;
			setTimeout(resolve, 100);
		});
	}
	onSeatClosed = null;
	for (const seat of seats) if (!seat.link.closed) seat.link.terminate();
	const closed = seats.length - open();
	seats.length = 0;
	tell({ type: 'finished', closed, closeCodes: { ...closeCodes } });
	for (const key of Object.keys(closeCodes)) delete closeCodes[key];
}

// ---------------------------------------------------------------------------------------------
// Baseline: plain sockets to the bare `ws` server, read the same way

const baselineSockets: WebSocket[] = [];
let baseline: {
	rounds: number;
	received: number;
	expected: number;
	fanoutMs: number[];
	ticks: number[];
	meter: LoadMeter;
	timer: ReturnType<typeof setTimeout>;
} | null = null;

async function baselineConnect(url: string, count: number): Promise<void> {
	let failed = 0;
	const opening: Promise<void>[] = [];
	for (let i = 0; i < count; i++) {
		const socket = new WebSocket(url, SOCKET_OPTIONS);
		socket.on('message', (data: Buffer) => {
			const receivedAt = Date.now();
			const message = JSON.parse(data.toString()) as
				| { type: 'phase'; opensAt: number }
				| { type: 'tick'; questionIndex: number; remaining: number };
			if (!baseline) return;
			if (message.type === 'phase') baseline.fanoutMs.push(receivedAt - message.opensAt);
			else if (message.type === 'tick') {
				baseline.ticks.push(message.questionIndex, message.remaining, receivedAt);
			} else return;
			if (++baseline.received === baseline.expected) baselineDone();
		});
		socket.on('error', () => {});
		opening.push(
			new Promise<void>((resolve) => {
				socket.once('open', () => {
					baselineSockets.push(socket);
					resolve();
				});
				socket.once('close', () => {
					failed++;
					resolve();
				});
			})
		);
		// Opened in small batches, like the joins: no connect storm.
		if (i % 50 === 49) await sleep(5);
	}
	await Promise.all(opening);
	tell({ type: 'baseline-connected', open: baselineSockets.length, failed });
}

function baselineExpect(rounds: number, tickRounds: number, timeoutMs: number): void {
	baseline = {
		rounds,
		received: 0,
		expected: (rounds + tickRounds) * baselineSockets.length,
		fanoutMs: [],
		ticks: [],
		meter: new LoadMeter(),
		timer: setTimeout(baselineDone, timeoutMs)
	};
	if (baseline.expected === 0) baselineDone();
}

function baselineDone(): void {
	if (!baseline) return;
	clearTimeout(baseline.timer);
	const report: BaselineReport = {
		fanoutMs: baseline.fanoutMs,
		ticks: baseline.ticks,
		missing: baseline.expected - baseline.received,
		load: baseline.meter.stop()
	};
	baseline = null;
	tell({ type: 'baseline-done', report });
}

async function baselineClose(): Promise<void> {
	await Promise.all(
		baselineSockets.map(
			(socket) =>
				new Promise<void>((resolve) => {
					if (socket.readyState === WebSocket.CLOSED) return resolve();
					socket.once('close', () => resolve());
					socket.terminate();
				})
		)
	);
	baselineSockets.length = 0;
	tell({ type: 'baseline-closed' });
}

// ---------------------------------------------------------------------------------------------

process.on('message', (command: ToWorker) => {
	switch (command.type) {
		case 'join':
			void joinAll(command);
			return;
		case 'question':
			armRound(command.plan);
			return;
		case 'finish':
			void finish(command.timeoutMs);
			return;
		case 'baseline-connect':
			void baselineConnect(command.url, command.sockets);
			return;
		case 'baseline-expect':
			baselineExpect(command.rounds, command.tickRounds, command.timeoutMs);
			return;
		case 'baseline-close':
			void baselineClose();
			return;
		case 'exit':
			process.exit(0);
	}
});
// The coordinator is gone: so are we.
process.on('disconnect', () => process.exit(0));
tell({ type: 'ready' });
