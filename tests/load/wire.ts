/**
 * What the load generator's coordinator and its player processes (worker.ts) say to each other
 * over the child-process IPC channel. Samples travel as plain arrays of milliseconds.
 */
import type { BenchTransport } from './links.ts';

/** One simulated phone. */
export interface PlayerPlan {
	pin: string;
	nickname: string;
	/** Answers near the deadline instead of in the burst, so the question stays open and ticks. */
	late: boolean;
}

export interface QuestionPlan {
	index: number;
	/** The option counted right; the players know it, the server does not tell them. */
	correct: number;
	optionCount: number;
	/** Every burst answer is sent within this long of `opensAt`. */
	burstMs: number;
	/** Share of burst answers that pick the right option. */
	correctShare: number;
	/** Late players answer this long after `opensAt`. */
	lateAnswerMs: number;
	/** A player that has not seen its result by then is counted as missing. */
	timeoutMs: number;
}

export type ToWorker =
	| {
			type: 'join';
			/** Where phones take the HTTP step: phone i asks the (i mod n)th (any node answers). */
			entryUrls: string[];
			/** Cluster mode: each node's own address by id, for the live connection. */
			nodes: Record<string, string>;
			players: PlayerPlan[];
			/** This process's share of the offered join rate. */
			ratePerSecond: number;
			/** Joins (HTTP step through to the first `state` frame) in flight at most. */
			concurrency: number;
			/** How the phones reach the room server (links.ts). */
			transport: BenchTransport;
	  }
	| { type: 'question'; plan: QuestionPlan }
	/** The host ended the game: wait for every socket to be closed by the server. */
	| { type: 'finish'; timeoutMs: number }
	| { type: 'baseline-connect'; url: string; sockets: number }
	| { type: 'baseline-expect'; rounds: number; tickRounds: number; timeoutMs: number }
	| { type: 'baseline-close' }
	| { type: 'exit' };

/** A worker's own load while something was measured. */
export interface WorkerLoad {
	cpuMs: number;
	wallMs: number;
	/** Event-loop delay of the worker: a late loop stamps receipts late. */
	loopDelayP99Ms: number;
	loopDelayMaxMs: number;
}

export interface JoinReport {
	attempted: number;
	joined: number;
	/** Joined over HTTP and got the `state` snapshot over the WebSocket. */
	connected: number;
	/** By error code (`nickname-taken`, `http-503`, `ws-closed`, `timeout`…). */
	failures: Record<string, number>;
	/** Refused nicknames (rude, taken) that the phone replaced with another and joined. */
	retyped: Record<string, number>;
	/** HTTP join step, request to response (of the attempt that got in). */
	httpMs: number[];
	/** Socket open, hello, up to the `state` snapshot. */
	connectMs: number[];
	/** Server clock minus ours, from clock probes (median of the low-round-trip ones). */
	clockOffsetMs: number | null;
	/** Epoch milliseconds: first join sent, last join done. */
	startedAt: number;
	endedAt: number;
	load: WorkerLoad;
}

export interface QuestionReport {
	index: number;
	expected: number;
	/** Got the question's `phase open` frame. */
	gotQuestion: number;
	/** Got an `answer-ack`. */
	acked: number;
	/** Got their own result (`you`) after the reveal. */
	gotResult: number;
	/** Per room PIN: receipt minus the frame's `opensAt` (the server's send start). */
	fanoutMs: Record<string, number[]>;
	/** Per room PIN: the question's `opensAt` (for how long the host's command waited). */
	opensAt: Record<string, number>;
	/** Answers sent in the burst: sent to `answer-ack`. */
	ackMs: number[];
	/** Per room PIN: receipt of each tick minus its due time (`closesAt − remaining × 1000`). */
	tickMs: Record<string, number[]>;
	/**
	 * Per `pin:remaining` (one tick of one room): the earliest receipt minus its due time, i.e.
	 * how late the room's clock sent it, before any fan-out.
	 */
	tickFirstMs: Record<string, number>;
	errors: Record<string, number>;
	/** One player's `phase open` frame as received, for the bare-ws baseline to send. */
	openFrame: string | null;
	load: WorkerLoad;
}

export interface BaselineReport {
	/** Receipt minus the `opensAt` the baseline server stamped in just before its send loop. */
	fanoutMs: number[];
	/** Tick receipts, flat: round, group, epoch ms; jitter is against the server's `dueAt`. */
	ticks: number[];
	missing: number;
	load: WorkerLoad;
}

export type FromWorker =
	| { type: 'ready' }
	| { type: 'joined'; report: JoinReport }
	| { type: 'armed'; index: number }
	| { type: 'question-done'; report: QuestionReport }
	| { type: 'finished'; closed: number; closeCodes: Record<string, number> }
	| { type: 'baseline-connected'; open: number; failed: number }
	| { type: 'baseline-done'; report: BaselineReport }
	| { type: 'baseline-closed' };
