/**
 * The load generator's coordinator: plays one scenario (some rooms of some players) against a
 * real Quizroom process, then the same fan-out against a bare `ws` server, and returns the
 * figures.
 *
 * Processes, so that nobody measures itself:
 * - the Quizroom server (`node --import tsx src/server.ts`, as `npm start` runs it) with
 *   server-probe.ts preloaded: event-loop delay and memory over IPC; CPU from /proc/<pid>/stat
 *   (with `nodes` > 1, a cluster of them, its Redis and its PostgreSQL: deployment.ts);
 * - player processes (worker.ts), each a share of the phones, reporting their own CPU and
 *   event-loop delay so a saturated generator shows up in the figures;
 * - this process: the hosts (signed in as the first admin; one socket per room, driving start /
 *   next / end) and the clock.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { HostSession } from '../../scripts/host-session.ts';
import type { ServerMessage } from '../../src/lib/protocol/index.ts';
import { Channel, startDeployment, type Deployment } from './deployment.ts';
import { liveUrl, type BenchTransport } from './links.ts';
import { idlePercent, median, round, summarize, type Summary } from './stats.ts';
import type {
	BaselineReport,
	FromWorker,
	JoinReport,
	PlayerPlan,
	QuestionReport,
	ToWorker,
	WorkerLoad
} from './wire.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * A "get ready" second before each question: the open frame then goes out when the room's timer
 * reaches `opensAt`, so a phone's receipt minus `opensAt` is the fan-out. With none, `opensAt`
 * is set a lead ahead of the send for the room's slow phones (game/timing.ts), and on a loaded
 * server every phone is slow.
 */
const BENCH_INTRO_MS = 1000;

export interface ScenarioConfig {
	name: string;
	rooms: number;
	playersPerRoom: number;
	questions: number;
	/** Player processes. */
	workers: number;
	/** Phones arriving per second, all rooms together. */
	joinRate: number;
	/** Joins in flight at most, all workers together. */
	joinConcurrency: number;
	/** Burst answers all arrive within this long of the question opening. */
	burstMs: number;
	/** Share of burst answers that are right. */
	correctShare: number;
	/** Question time limit (seconds; the quiz schema allows 5 at least). */
	timeLimitS: number;
	/**
	 * One player per room answers near the deadline, so the question stays open for its ticks.
	 * Off: the question closes as soon as the burst is in.
	 */
	holdOpen: boolean;
	/**
	 * Hosts press start and next this far apart, evenly spread (0: all at once). Independent
	 * games do not share a clock; at 0 every room's question, ticks and answers coincide.
	 */
	hostSpreadMs: number;
	/** Run the bare `ws` baseline after the game (rounds of the same frame). */
	baselineRounds: number;
	/**
	 * How the phones reach the room server: WebSocket, the HTTP fallback, or naive polling
	 * every second (bench only). The hosts always use a WebSocket.
	 */
	transport: BenchTransport;
	/**
	 * Write V8 CPU profiles of the server here: one of the join phase, one of the questions
	 * (`<scenario>-joins.cpuprofile`, `<scenario>-questions.cpuprofile`).
	 */
	profileDir?: string;
	/**
	 * Quizroom processes: 1, or a cluster of that many nodes sharing a Redis and a PostgreSQL
	 * of their own (deployment.ts). Games are created and phones join through each node in turn.
	 */
	nodes: number;
	/** Extra environment for the server. */
	serverEnv?: Record<string, string>;
	/**
	 * Run the server from another checkout (its `src/server.ts`, with its build), e.g. a copy
	 * without a change, to compare the two under the same conditions. Default: this one.
	 */
	serverDir?: string;
	log?: (line: string) => void;
}

export const SCENARIO_DEFAULTS = {
	questions: 3,
	workers: 2,
	joinRate: 1000,
	joinConcurrency: 64,
	burstMs: 1000,
	correctShare: 0.7,
	timeLimitS: 5,
	holdOpen: true,
	baselineRounds: 5,
	hostSpreadMs: 0,
	transport: 'ws' as BenchTransport,
	nodes: 1
} satisfies Partial<ScenarioConfig>;

export interface GeneratorLoad {
	/** CPU of all player processes over the question windows, in cores (1 = one core busy). */
	cores: number;
	/** Busiest player process over a question window, in cores. */
	maxWorkerCores: number;
	/** Worst event-loop delay p99 of a player process in a question window. */
	workerLoopDelayP99Ms: number;
	saturated: boolean;
}

export interface ScenarioResult {
	name: string;
	transport: BenchTransport;
	/** Quizroom processes (more than one: a cluster sharing Redis). */
	nodes: number;
	/** Where the cluster placed the games, by node id ('single' on one node). */
	roomsPerNode: Record<string, number>;
	rooms: number;
	playersPerRoom: number;
	players: number;
	questions: number;
	workers: number;
	machine: {
		cores: number;
		cpu: string;
		node: string;
		/** CPU idle over the second before the scenario started (others' work on the machine). */
		idleBeforePercent: number;
		loadBefore: number[];
		loadAfter: number[];
	};
	join: {
		offeredPerSecond: number;
		/** Players through the HTTP step and connected, per second of the join phase. */
		achievedPerSecond: number;
		joined: number;
		connected: number;
		failed: number;
		failures: Record<string, number>;
		/** Nicknames refused (rude, taken) and typed again: not failures. */
		retyped: Record<string, number>;
		httpMs: Summary;
		connectMs: Summary;
		/** Server CPU per join (HTTP step, socket, hello, snapshot). */
		serverCpuMsPerJoin: number | null;
		serverLoopDelayP99Ms: number;
	};
	/** Server's send start (the frame's `opensAt`) to each phone's receipt. */
	fanoutMs: Summary;
	baselineFanoutMs: Summary | null;
	/** Quizroom's fan-out over the bare `ws` loop's. */
	fanoutRatio: { p50: number; p99: number } | null;
	/** Burst answers: sent to acknowledged. */
	ackMs: Summary;
	/** Tick receipt minus its due time, every phone. */
	tickJitterMs: Summary;
	/** The same for the bare `ws` loop sending the tick frame on its own timer(s). */
	baselineTickJitterMs: Summary | null;
	/** The first phone's tick receipt minus its due time: the room clock's own lateness. */
	tickStartMs: Summary;
	/** Several rooms: the spread of each room's own p99s (min, median, max). */
	perRoom: {
		fanoutP99Ms: number[];
		tickJitterP99Ms: number[];
		/**
		 * From each host's next (sent from the generator) to its room's question opening, which
		 * the fan-out (from `opensAt`) does not include.
		 */
		startLagMs: Summary;
	} | null;
	server: {
		/** Over the question windows (open to every phone having its result). */
		loopDelayP99Ms: number;
		loopDelayMaxMs: number;
		rssEmptyMB: number;
		rssLoadedMB: number;
		/** RSS after a full GC with everyone connected, minus the same with the room(s) empty. */
		rssPerPlayerKB: number;
		heapPerPlayerKB: number;
		/** CPU used from the host's start/next to every phone having its result (all nodes). */
		cpuMsPerQuestion: number[];
		/** The Redis server's CPU over the same windows (cluster mode; empty on one node). */
		redisCpuMsPerQuestion: number[];
		/** PostgreSQL's (the record), the same way; empty on one node. */
		postgresCpuMsPerQuestion: number[];
		/**
		 * Bytes through the server's TCP sockets over the same window, per player and question,
		 * headers and framing included: `down` to the phones, `up` from them (the host's one
		 * socket is in there too).
		 */
		bytesPerPlayerQuestion: { down: number; up: number };
	};
	completeness: {
		expected: number;
		gotQuestion: number;
		acked: number;
		gotResult: number;
		errors: Record<string, number>;
	};
	generator: GeneratorLoad;
	/** Server clock minus the generator's, from clock probes (shared clock: should be ~0). */
	clockOffsetMs: number | null;
	warnings: string[];
	durationS: number;
}

// ---------------------------------------------------------------------------------------------
// Processes

class WorkerProcess extends Channel<FromWorker> {
	static async start(index: number): Promise<WorkerProcess> {
		const child = fork(here('./worker.ts'), [], {
			cwd: ROOT,
			execArgv: ['--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			serialization: 'advanced'
		});
		const worker = new WorkerProcess(child, `player process ${index}`);
		await worker.next((m) => m.type === 'ready', 30_000);
		return worker;
	}

	request<T extends FromWorker['type']>(
		command: ToWorker,
		type: T,
		timeoutMs?: number
	): Promise<Extract<FromWorker, { type: T }>> {
		const reply = this.expect(type, timeoutMs);
		this.send(command);
		return reply;
	}

	expect<T extends FromWorker['type']>(
		type: T,
		timeoutMs?: number
	): Promise<Extract<FromWorker, { type: T }>> {
		return this.next((m) => m.type === type, timeoutMs) as Promise<
			Extract<FromWorker, { type: T }>
		>;
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = once(this.child, 'exit');
		this.send({ type: 'exit' } satisfies ToWorker);
		await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
		if (this.child.exitCode === null) this.child.kill('SIGKILL');
	}
}

async function startBaselineServer(): Promise<{
	url: string;
	channel: Channel<{
		type: string;
		port?: number;
		loopMs?: number[];
		clients?: number;
		dueAt?: number[][];
	}>;
	stop(): Promise<void>;
}> {
	const child = fork(here('./baseline-server.ts'), [], {
		cwd: ROOT,
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const channel = new Channel<{ type: string; port?: number }>(child, 'baseline server');
	const listening = await channel.next((m) => m.type === 'listening', 30_000);
	return {
		url: `ws://127.0.0.1:${listening.port}`,
		channel,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			await exited;
		}
	};
}

// ---------------------------------------------------------------------------------------------
// The host: one socket per room, in this process

class HostClient {
	private readonly waiters: { match: (m: ServerMessage) => boolean; resolve: () => void }[] = [];

	private constructor(readonly socket: WebSocket) {
		socket.on('message', (data: Buffer) => {
			const message = JSON.parse(data.toString()) as ServerMessage;
			for (let i = this.waiters.length - 1; i >= 0; i--) {
				if (this.waiters[i]!.match(message)) this.waiters.splice(i, 1)[0]!.resolve();
			}
		});
	}

	/** `url`: the game's live endpoint (links.ts `liveUrl`); `cookie`: the host's sign-in. */
	static async connect(url: string, token: string, cookie: string): Promise<HostClient> {
		const socket = new WebSocket(url.replace(/^http/, 'ws'), {
			perMessageDeflate: false,
			headers: { cookie }
		});
		const host = new HostClient(socket);
		const ready = host.until((m) => m.type === 'state', 30_000);
		await once(socket, 'open');
		socket.send(JSON.stringify({ type: 'hello', v: 1, token }));
		await ready;
		return host;
	}

	/** Resolves on the next message that matches; register before sending what causes it. */
	until(match: (m: ServerMessage) => boolean, timeoutMs = 120_000): Promise<void> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error('Host: expected message not seen')),
				timeoutMs
			);
			this.waiters.push({
				match,
				resolve: () => {
					clearTimeout(timer);
					resolve();
				}
			});
		});
	}

	untilPhase(phase: string, index?: number, timeoutMs?: number): Promise<void> {
		return this.until(
			(m) =>
				m.type === 'phase' &&
				m.phase === phase &&
				(index === undefined || ('question' in m && m.question.index === index)),
			timeoutMs
		);
	}

	send(message: { type: 'start' | 'next' | 'end' }): void {
		this.socket.send(JSON.stringify(message));
	}

	close(): void {
		this.socket.terminate();
	}
}

// ---------------------------------------------------------------------------------------------
// HTTP set-up

/** Set-up is a host's: signed in, as the host's browser would be. */
async function post<T>(host: HostSession, path: string, body: unknown): Promise<T> {
	const response = await host.fetch(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	if (response.status !== 201) {
		throw new Error(`POST ${host.base}${path}: ${response.status} ${await response.text()}`);
	}
	return (await response.json()) as T;
}

const OPTIONS = ['Red', 'Blue', 'Yellow', 'Green'];
/** The bytes a room sends for a tick (the baseline retags round and group in place). */
const TICK_FRAME = JSON.stringify({
	type: 'tick',
	questionIndex: 0,
	remaining: 4
} satisfies ServerMessage);

function benchQuiz(questions: number, timeLimitS: number) {
	return {
		title: 'Load bench',
		description: 'Made by the load generator (tests/load).',
		questions: Array.from({ length: questions }, (_, i) => ({
			type: 'quiz',
			text: `Bench question ${i + 1}: which colour is number ${(i % OPTIONS.length) + 1}?`,
			options: OPTIONS.map((colour) => `${colour} answer`),
			correct: [i % OPTIONS.length],
			timeLimit: timeLimitS,
			points: 'standard'
		}))
	};
}

// ---------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MB = 1024 * 1024;

function sumLoads(loads: WorkerLoad[]): { cores: number; max: number; loopP99: number } {
	let cores = 0;
	let max = 0;
	let loopP99 = 0;
	for (const load of loads) {
		const share = load.wallMs > 0 ? load.cpuMs / load.wallMs : 0;
		cores += share;
		max = Math.max(max, share);
		loopP99 = Math.max(loopP99, load.loopDelayP99Ms);
	}
	return { cores, max, loopP99 };
}

function avgOf(values: number[]): number {
	return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

function mergeCounts(into: Record<string, number>, from: Record<string, number>): void {
	for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}

export async function runScenario(config: ScenarioConfig): Promise<ScenarioResult> {
	const log = config.log ?? (() => {});
	const startedAt = performance.now();
	const players = config.rooms * config.playersPerRoom;
	const warnings: string[] = [];
	const loadBefore = loadavg().map((l) => round(l, 2));
	const idleBefore = await idlePercent(1000);
	const dataDir = mkdtempSync(join(tmpdir(), 'quizroom-bench-'));
	const workers: WorkerProcess[] = [];
	const hosts: HostClient[] = [];
	let server: Deployment | null = null;
	try {
		server = await startDeployment({
			nodes: config.nodes,
			dataDir,
			serverDir: config.serverDir,
			env: {
				LOG_LEVEL: 'error',
				MAX_PLAYERS: String(Math.max(20_000, config.playersPerRoom)),
				// One address plays every phone here.
				MAX_CONNECTIONS_PER_IP: String(Math.max(100_000, players * 2)),
				// The daily backup's first copy, a minute in, would land in some runs and not others.
				BACKUPS_KEPT: '0',
				...(config.transport === 'poll' ? { QUIZROOM_BENCH_POLLING: '1' } : {}),
				...config.serverEnv
			}
		});
		const { entryUrls, nodes, admin } = server;
		workers.push(
			...(await Promise.all(
				Array.from({ length: config.workers }, (_, i) => WorkerProcess.start(i))
			))
		);
		const quiz = await post<{ id: string }>(
			admin,
			'/api/quizzes',
			benchQuiz(config.questions, config.timeLimitS)
		);
		// Through each node in turn: the cluster places each game on the node with fewest rooms.
		// One sign-in for all of them (accounts are shared), each node asked from its own origin.
		const hostAt = entryUrls.map((url) => new HostSession(url, admin.cookie));
		const games: { pin: string; hostToken: string; socketUrl: string; askedUrl: string }[] = [];
		for (let r = 0; r < config.rooms; r++) {
			const askedUrl = entryUrls[r % entryUrls.length]!;
			const created = await post<{ pin: string; hostToken: string; socketUrl: string }>(
				hostAt[r % entryUrls.length]!,
				'/api/games',
				{ quizId: quiz.id, options: { introSeconds: BENCH_INTRO_MS / 1000 } }
			);
			games.push({ ...created, askedUrl });
		}
		const roomsPerNode: Record<string, number> = {};
		for (const game of games) {
			const node = /^\/n\/([^/]+)\//.exec(game.socketUrl)?.[1] ?? 'single';
			roomsPerNode[node] = (roomsPerNode[node] ?? 0) + 1;
			const url = liveUrl(game.socketUrl, game.askedUrl, nodes);
			hosts.push(await HostClient.connect(url, game.hostToken, admin.cookie));
		}
		await sleep(300);
		const empty = await server.probe({ gc: true });

		// Phones: rooms interleaved, so every room fills at the same pace; spread over the workers.
		const plans: PlayerPlan[][] = workers.map(() => []);
		let next = 0;
		for (let j = 0; j < config.playersPerRoom; j++) {
			for (let r = 0; r < config.rooms; r++) {
				plans[next++ % workers.length]!.push({
					pin: games[r]!.pin,
					nickname: `Bot ${r + 1}-${j + 1}`,
					late: config.holdOpen && j === 0
				});
			}
		}

		log(`  joining ${players} players at ${config.joinRate}/s…`);
		const profile = (phase: string) =>
			join(config.profileDir!, `${config.name.replace(/\W+/g, '-')}-${phase}.cpuprofile`);
		if (config.profileDir) {
			mkdirSync(config.profileDir, { recursive: true });
			await server.probe({ profile: { action: 'start' } });
		}
		await server.probe({ reset: true });
		const joinCpu0 = server.cpuMs();
		const joinReports: JoinReport[] = (
			await Promise.all(
				workers.map((worker, i) =>
					worker.request(
						{
							type: 'join',
							entryUrls,
							nodes,
							players: plans[i]!,
							ratePerSecond: config.joinRate / workers.length,
							concurrency: Math.max(1, Math.floor(config.joinConcurrency / workers.length)),
							transport: config.transport
						},
						'joined',
						600_000
					)
				)
			)
		).map((m) => m.report);
		const joinCpu1 = server.cpuMs();
		const joinLoop = await server.probe({ reset: true });
		if (config.profileDir) {
			await server.probe({ profile: { action: 'stop', file: profile('joins') } });
		}
		const joinFailures: Record<string, number> = {};
		const retyped: Record<string, number> = {};
		for (const report of joinReports) {
			mergeCounts(joinFailures, report.failures);
			mergeCounts(retyped, report.retyped);
		}
		const joined = joinReports.reduce((n, r) => n + r.joined, 0);
		const connected = joinReports.reduce((n, r) => n + r.connected, 0);
		const joinSeconds =
			(Math.max(...joinReports.map((r) => r.endedAt)) -
				Math.min(...joinReports.map((r) => r.startedAt))) /
			1000;
		log(`  ${connected} connected in ${joinSeconds.toFixed(1)} s`);

		await sleep(1000);
		const loaded = await server.probe({ gc: true });

		// The questions
		if (config.profileDir) await server.probe({ profile: { action: 'start' } });
		const reports: QuestionReport[] = [];
		/** Per room and question: the host's command (sent from here) to the question opening. */
		const startLagMs: number[] = [];
		/** Every host presses, spread over `hostSpreadMs`; when each did, by PIN. */
		const press = async (type: 'start' | 'next') => {
			const pressedAt = new Map<string, number>();
			await Promise.all(
				hosts.map(async (host, i) => {
					const delay = (i * config.hostSpreadMs) / hosts.length;
					if (delay > 0) await sleep(delay);
					pressedAt.set(games[i]!.pin, Date.now());
					host.send({ type });
				})
			);
			return pressedAt;
		};
		const cpuPerQuestion: number[] = [];
		const redisCpuPerQuestion: number[] = [];
		const postgresCpuPerQuestion: number[] = [];
		const loopP99: number[] = [];
		const loopMax: number[] = [];
		const bytesDown: number[] = [];
		const bytesUp: number[] = [];
		for (let q = 0; q < config.questions; q++) {
			const plan = {
				index: q,
				correct: q % OPTIONS.length,
				optionCount: OPTIONS.length,
				burstMs: config.burstMs,
				correctShare: config.correctShare,
				lateAnswerMs: Math.max(config.burstMs + 500, config.timeLimitS * 1000 - 1000),
				timeoutMs: config.timeLimitS * 1000 + 60_000
			};
			await Promise.all(workers.map((w) => w.request({ type: 'question', plan }, 'armed')));
			const results = workers.map((w) => w.expect('question-done', plan.timeoutMs + 10_000));
			const revealed = hosts.map((h) => h.untilPhase('reveal', q, plan.timeoutMs));
			const before = await server.probe({ reset: true });
			const cpu0 = server.cpuMs();
			const redisCpu0 = server.redisCpuMs();
			const postgresCpu0 = server.postgresCpuMs();
			const pressedAt = await press(q === 0 ? 'start' : 'next');
			const questionReports = (await Promise.all(results)).map((m) => m.report);
			reports.push(...questionReports);
			const opened = new Map<string, number>();
			for (const report of questionReports) {
				for (const [pin, at] of Object.entries(report.opensAt)) opened.set(pin, at);
			}
			for (const [pin, at] of opened) startLagMs.push(at - BENCH_INTRO_MS - pressedAt.get(pin)!);
			await Promise.all(revealed);
			const cpu1 = server.cpuMs();
			const redisCpu1 = server.redisCpuMs();
			if (redisCpu0 !== null && redisCpu1 !== null) redisCpuPerQuestion.push(redisCpu1 - redisCpu0);
			const postgresCpu1 = server.postgresCpuMs();
			if (postgresCpu0 !== null && postgresCpu1 !== null) {
				postgresCpuPerQuestion.push(postgresCpu1 - postgresCpu0);
			}
			const loop = await server.probe({ reset: true });
			if (cpu0 !== null && cpu1 !== null) cpuPerQuestion.push(cpu1 - cpu0);
			bytesDown.push((loop.bytes.written - before.bytes.written) / Math.max(1, connected));
			bytesUp.push((loop.bytes.read - before.bytes.read) / Math.max(1, connected));
			loopP99.push(loop.loopDelay.p99);
			loopMax.push(loop.loopDelay.max);
			log(
				`  question ${q + 1}: server ${cpu1 !== null && cpu0 !== null ? cpu1 - cpu0 : '?'} ms CPU`
			);
			const scoreboards = hosts.map((h) => h.untilPhase('scoreboard', undefined, 30_000));
			await press('next');
			await Promise.all(scoreboards);
		}

		if (config.profileDir) {
			await server.probe({ profile: { action: 'stop', file: profile('questions') } });
			log(`  profiles written to ${config.profileDir}`);
		}

		// The end: the server closes every socket.
		const finishing = workers.map((w) => w.expect('finished', 60_000));
		for (const host of hosts) host.send({ type: 'end' });
		for (const worker of workers)
			worker.send({ type: 'finish', timeoutMs: 30_000 } satisfies ToWorker);
		await Promise.all(finishing);
		for (const host of hosts) host.close();
		hosts.length = 0;
		await server.stop();
		server = null;

		// The yardstick: the same frame, the same number of sockets, a plain loop.
		const openFrame = reports.find((r) => r.openFrame)?.openFrame ?? null;
		let baseline: BaselineReport[] = [];
		let baselineTickMs: number[] = [];
		if (config.baselineRounds > 0 && openFrame) {
			log(`  bare ws baseline: ${connected} sockets × ${config.baselineRounds} rounds…`);
			({ reports: baseline, tickJitterMs: baselineTickMs } = await runBaseline(
				workers,
				connected,
				openFrame,
				config.baselineRounds,
				config.rooms > 1 ? config.playersPerRoom : 0,
				config.hostSpreadMs
			));
		}

		// Figures
		const all = (pick: (r: QuestionReport) => Record<string, number[]>) => {
			const byRoom = new Map<string, number[]>();
			for (const report of reports) {
				for (const [pin, samples] of Object.entries(pick(report))) {
					const list = byRoom.get(pin) ?? [];
					for (const sample of samples) list.push(sample);
					byRoom.set(pin, list);
				}
			}
			return byRoom;
		};
		const fanoutByRoom = all((r) => r.fanoutMs);
		const tickByRoom = all((r) => r.tickMs);
		const flat = (byRoom: Map<string, number[]>) => [...byRoom.values()].flat();
		const fanoutMs = summarize(flat(fanoutByRoom));
		// Each tick of each room: its first receipt over every player process.
		const tickFirst = new Map<string, number>();
		for (const report of reports) {
			for (const [tick, ms] of Object.entries(report.tickFirstMs)) {
				const key = `${report.index}:${tick}`;
				tickFirst.set(key, Math.min(ms, tickFirst.get(key) ?? Infinity));
			}
		}
		const baselineFanoutMs = baseline.length
			? summarize(baseline.flatMap((b) => b.fanoutMs))
			: null;
		const spread = (byRoom: Map<string, number[]>) => {
			const p99s = [...byRoom.values()].map((s) => summarize(s).p99).sort((a, b) => a - b);
			return p99s.length ? [p99s[0]!, round(median(p99s)), p99s[p99s.length - 1]!] : [];
		};

		const completeness = {
			expected: 0,
			gotQuestion: 0,
			acked: 0,
			gotResult: 0,
			errors: {} as Record<string, number>
		};
		for (const report of reports) {
			completeness.expected += report.expected;
			completeness.gotQuestion += report.gotQuestion;
			completeness.acked += report.acked;
			completeness.gotResult += report.gotResult;
			mergeCounts(completeness.errors, report.errors);
		}

		const questionLoad = sumLoads(reports.map((r) => r.load));
		// Per question window: the player processes together.
		const windows = Array.from({ length: config.questions }, (_, q) =>
			sumLoads(reports.filter((r) => r.index === q).map((r) => r.load))
		);
		const generator: GeneratorLoad = {
			cores: round(Math.max(...windows.map((w) => w.cores)), 2),
			maxWorkerCores: round(questionLoad.max, 2),
			workerLoopDelayP99Ms: round(questionLoad.loopP99),
			saturated: questionLoad.max > 0.85
		};
		if (generator.saturated) {
			warnings.push(
				`The generator saturated: a player process used ${generator.maxWorkerCores} of a core ` +
					`in a question window, so latencies include its own delay`
			);
		}
		if (generator.workerLoopDelayP99Ms > 50) {
			warnings.push(
				`A player process's event loop lagged (p99 ${generator.workerLoopDelayP99Ms} ms): ` +
					`receipts are stamped that much late at worst`
			);
		}
		const serverCores = cpuPerQuestion.length
			? Math.max(
					...cpuPerQuestion.map(
						(ms, q) => ms / (reports.find((r) => r.index === q)?.load.wallMs ?? 1)
					)
				)
			: 0;
		if (serverCores + generator.cores > cpus().length * 0.9) {
			warnings.push(
				`The machine was saturated in a question window (server ${round(serverCores, 2)} + ` +
					`generator ${generator.cores} cores of ${cpus().length})`
			);
		}
		if (completeness.gotResult < completeness.expected) {
			warnings.push(
				`${completeness.expected - completeness.gotResult} player-questions did not complete`
			);
		}
		if (idleBefore < 80) {
			warnings.push(`The machine was busy before the run (${idleBefore}% idle)`);
		}
		const offsets = joinReports.map((r) => r.clockOffsetMs).filter((o): o is number => o !== null);

		return {
			name: config.name,
			transport: config.transport,
			nodes: config.nodes,
			roomsPerNode,
			rooms: config.rooms,
			playersPerRoom: config.playersPerRoom,
			players,
			questions: config.questions,
			workers: config.workers,
			machine: {
				cores: cpus().length,
				cpu: cpus()[0]?.model ?? 'unknown',
				node: process.version,
				idleBeforePercent: idleBefore,
				loadBefore,
				loadAfter: loadavg().map((l) => round(l, 2))
			},
			join: {
				offeredPerSecond: config.joinRate,
				achievedPerSecond: round(connected / joinSeconds),
				joined,
				connected,
				failed: players - connected,
				failures: joinFailures,
				retyped,
				httpMs: summarize(joinReports.flatMap((r) => r.httpMs)),
				connectMs: summarize(joinReports.flatMap((r) => r.connectMs)),
				serverCpuMsPerJoin:
					joinCpu0 !== null && joinCpu1 !== null && connected > 0
						? round((joinCpu1 - joinCpu0) / connected, 3)
						: null,
				serverLoopDelayP99Ms: round(joinLoop.loopDelay.p99)
			},
			fanoutMs,
			baselineFanoutMs,
			fanoutRatio: baselineFanoutMs
				? {
						p50: round(fanoutMs.p50 / Math.max(baselineFanoutMs.p50, 0.5), 2),
						p99: round(fanoutMs.p99 / Math.max(baselineFanoutMs.p99, 0.5), 2)
					}
				: null,
			ackMs: summarize(reports.flatMap((r) => r.ackMs)),
			tickJitterMs: summarize(flat(tickByRoom)),
			baselineTickJitterMs: baselineTickMs.length ? summarize(baselineTickMs) : null,
			tickStartMs: summarize([...tickFirst.values()]),
			perRoom:
				config.rooms > 1
					? {
							fanoutP99Ms: spread(fanoutByRoom),
							tickJitterP99Ms: spread(tickByRoom),
							startLagMs: summarize(startLagMs)
						}
					: null,
			server: {
				loopDelayP99Ms: round(Math.max(...loopP99)),
				loopDelayMaxMs: round(Math.max(...loopMax)),
				rssEmptyMB: round(empty.rssBytes / MB),
				rssLoadedMB: round(loaded.rssBytes / MB),
				rssPerPlayerKB: round(
					(loaded.rssBytes - empty.rssBytes) / 1024 / Math.max(1, connected),
					2
				),
				heapPerPlayerKB: round(
					(loaded.heapUsedBytes - empty.heapUsedBytes) / 1024 / Math.max(1, connected),
					2
				),
				cpuMsPerQuestion: cpuPerQuestion,
				redisCpuMsPerQuestion: redisCpuPerQuestion,
				postgresCpuMsPerQuestion: postgresCpuPerQuestion,
				bytesPerPlayerQuestion: {
					down: Math.round(avgOf(bytesDown)),
					up: Math.round(avgOf(bytesUp))
				}
			},
			completeness,
			generator,
			clockOffsetMs: offsets.length ? round(median(offsets), 2) : null,
			warnings,
			durationS: round((performance.now() - startedAt) / 1000)
		};
	} catch (error) {
		if (server) {
			const tail = server.output().slice(-2000);
			if (tail) log(`  server output:\n${tail}`);
		}
		throw error;
	} finally {
		for (const host of hosts) host.close();
		await server?.stop();
		await Promise.all(workers.map((w) => w.stop()));
		rmSync(dataDir, { recursive: true, force: true });
	}
}

async function runBaseline(
	workers: WorkerProcess[],
	sockets: number,
	frame: string,
	rounds: number,
	groupSize: number,
	spreadMs: number
): Promise<{ reports: BaselineReport[]; tickJitterMs: number[] }> {
	const baseline = await startBaselineServer();
	try {
		await Promise.all(
			workers.map((worker, i) =>
				worker.request(
					{
						type: 'baseline-connect',
						url: baseline.url,
						sockets: Math.floor(sockets / workers.length) + (i < sockets % workers.length ? 1 : 0)
					},
					'baseline-connected',
					120_000
				)
			)
		);
		await sleep(500);
		const done = workers.map((w) => w.expect('baseline-done', 2 * rounds * 1000 + 60_000));
		for (const worker of workers) {
			worker.send({
				type: 'baseline-expect',
				rounds,
				tickRounds: rounds,
				timeoutMs: 2 * rounds * 1000 + 30_000
			} satisfies ToWorker);
		}
		baseline.channel.send({ type: 'send', frame, rounds, intervalMs: 1000, groupSize });
		await baseline.channel.next((m) => m.type === 'sent', rounds * 1000 + 30_000);
		baseline.channel.send({ type: 'ticks', frame: TICK_FRAME, rounds, groupSize, spreadMs });
		const { dueAt } = await baseline.channel.next(
			(m) => m.type === 'ticked',
			rounds * 1000 + spreadMs + 30_000
		);
		const reports = (await Promise.all(done)).map((m) => m.report);
		await Promise.all(workers.map((w) => w.request({ type: 'baseline-close' }, 'baseline-closed')));
		const tickJitterMs: number[] = [];
		for (const { ticks } of reports) {
			for (let i = 0; i < ticks.length; i += 3) {
				tickJitterMs.push(ticks[i + 2]! - dueAt![ticks[i]!]![ticks[i + 1]!]!);
			}
		}
		return { reports, tickJitterMs };
	} finally {
		await baseline.stop();
	}
}
