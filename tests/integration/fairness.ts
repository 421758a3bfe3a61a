/**
 * One game played by phones behind links of different speeds (delay-proxy.ts), each answering
 * right exactly `reactionMs` after its answers open (timed-phone.ts): what each was charged per
 * answer (from the report the server stored) and scored. Used by fair-links.test.ts and by the
 * bench's fairness table (`npm run bench:fairness`).
 */
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerMessage } from '../../src/lib/protocol/index.ts';
import { DelayProxy, type LinkDelay } from './delay-proxy.ts';
import { FallbackClient } from './fallback-client.ts';
import { createGame, joinGame, TestClient, type RunningServer } from './harness.ts';
import { TimedPhone, type OpeningMode, type PhoneRound } from './timed-phone.ts';

export type FairnessTransport = 'ws' | 'sse';

/** How long the host stays on each reveal. */
const HOST_PAUSE_MS = 1000;

export interface FairnessLink extends LinkDelay {
	/** The player's nickname, and the row's name in the table. */
	name: string;
}

export interface FairnessOptions {
	transport: FairnessTransport;
	links: FairnessLink[];
	questions?: number;
	/** Seconds per question. */
	timeLimit?: number;
	reactionMs?: number;
	introSeconds?: number;
	/** How phones open their answers: `on-arrival` is the behaviour before issue 26. */
	mode?: OpeningMode;
	/** Seed for the proxies' jitter, so a failure can be replayed. */
	seed?: number;
}

export interface FairnessRow {
	name: string;
	/** Round trip the link adds (twice its one-way delay), and its jitter each way. */
	rttMs: number;
	jitterMs: number;
	/** Charged answer time per question, as stored in the report. */
	chargedMs: number[];
	score: number;
	rounds: PhoneRound[];
}

/** A small deterministic generator (mulberry32) for the proxies' jitter. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export async function playFairnessGame(
	server: RunningServer,
	{
		transport,
		links,
		questions = 5,
		timeLimit = 20,
		reactionMs = 700,
		introSeconds = 0,
		mode = 'synced',
		seed = 26
	}: FairnessOptions
): Promise<FairnessRow[]> {
	const quiz = {
		title: `Fair on every link (${transport})`,
		questions: Array.from({ length: questions }, (_, i) => ({
			type: 'quiz',
			text: `Question ${i + 1}: pick the first`,
			options: ['First', 'Second', 'Third', 'Fourth'],
			correct: [0],
			timeLimit
		}))
	};
	const created = await server.admin.fetch('/api/quizzes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(quiz)
	});
	if (created.status !== 201) throw new Error(`Quiz refused: ${await created.text()}`);
	const { id: quizId } = (await created.json()) as { id: string };
	if (transport === 'sse') keepConnectionsLikeABrowser();
	const game = await createGame(server, quizId, { introSeconds });
	const host = await TestClient.connect(server, game.hostToken);

	const proxies: DelayProxy[] = [];
	const phones: TimedPhone[] = [];
	const closers: (() => Promise<void>)[] = [];
	try {
		for (const [i, link] of links.entries()) {
			const proxy = await DelayProxy.start(server.port, {
				...link,
				random: link.random ?? seededRandom(seed * 100 + i)
			});
			proxies.push(proxy);
			const joined = await joinGame(server, game.pin, link.name);
			if (joined.status !== 201) throw new Error(`Join refused: ${JSON.stringify(joined.body)}`);
			const phone = new TimedPhone(link.name, reactionMs, 0, mode);
			phones.push(phone);
			closers.push(await connectPhone(phone, transport, proxy, joined.body.token));
		}
		// A short lobby: every phone's clock probed (eight probes, one at a time on the fallback)
		// and its round trips measured (five pings after hello).
		await new Promise((resolve) => setTimeout(resolve, 1500 + 8 * maxRtt(links)));

		let reportId: string | null = null;
		host.send({ type: 'start' });
		for (let q = 0; q < questions; q++) {
			await host.next('phase', (m) => m.phase === 'reveal' && m.question.index === q, 60_000);
			// A host looks at the results a moment before going on.
			await new Promise((resolve) => setTimeout(resolve, HOST_PAUSE_MS));
			host.send({ type: 'next' });
			await host.next('phase', (m) => m.phase === 'scoreboard' || m.phase === 'podium');
			// From the scoreboard to the next question, or to the podium after the last.
			host.send({ type: 'next' });
		}
		await host.next('phase', (m) => m.phase === 'podium', 60_000);
		const saved = await host.next('report', (m) => m.status === 'saved', 30_000);
		reportId = saved.reportId;
		return readReport(server, reportId, links, phones);
	} finally {
		for (const phone of phones) phone.stop();
		await Promise.all(closers.map((close) => close().catch(() => undefined)));
		await host.close();
		await Promise.all(proxies.map((proxy) => proxy.stop()));
	}
}

/**
 * A browser keeps an idle connection open for minutes; Node's `fetch` closes it after 4 s, so
 * every fallback POST after a quiet spell (a ping's answer, every 5 s) would pay a new TCP
 * handshake: a whole extra round trip on its way up, and a skewed round-trip sample. The
 * fallback phones here keep theirs as a browser does.
 */
function keepConnectionsLikeABrowser(): void {
	const key = Symbol.for('undici.globalDispatcher.1');
	const global = globalThis as unknown as Record<symbol, { constructor: unknown } | undefined>;
	const current = global[key];
	if (!current) throw new Error('No fetch dispatcher yet: fetch something first');
	const Agent = current.constructor as new (options: object) => { constructor: unknown };
	global[key] = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
}

function maxRtt(links: readonly FairnessLink[]): number {
	return Math.max(0, ...links.map((link) => 2 * (link.oneWayMs + (link.jitterMs ?? 0))));
}

/** Connects a phone through its proxy; returns how to hang up. */
async function connectPhone(
	phone: TimedPhone,
	transport: FairnessTransport,
	proxy: DelayProxy,
	token: string
): Promise<() => Promise<void>> {
	if (transport === 'ws') {
		const socket = new WebSocket(proxy.url.replace(/^http/, 'ws') + '/ws');
		socket.on('message', (data) => phone.receive(String(data)));
		await once(socket, 'open');
		const seated = new Promise<void>((resolve) => {
			socket.on('message', (data) => {
				if ((JSON.parse(String(data)) as ServerMessage).type === 'state') resolve();
			});
		});
		socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token }));
		await seated;
		phone.start({ send: (message) => socket.send(JSON.stringify(message)) });
		return async () => {
			socket.terminate();
		};
	}
	const client = await FallbackClient.open(`${proxy.url}/ws`, undefined);
	// Every frame as it arrives (the recording client keeps them for later too).
	const hooked = client as unknown as { record(frame: string): void };
	const record = hooked.record.bind(client);
	hooked.record = (frame: string) => {
		record(frame);
		phone.receive(frame);
	};
	if (phone.mode === 'synced') client.answering = () => phone.answering;
	client.send({ type: 'hello', v: PROTOCOL_VERSION, token });
	await client.next('state');
	phone.start({
		send: (message) => client.send(message),
		get busy() {
			return client.busy;
		}
	});
	return () => client.close();
}

function readReport(
	server: RunningServer,
	reportId: string,
	links: readonly FairnessLink[],
	phones: readonly TimedPhone[]
): FairnessRow[] {
	const db = new Database(join(server.dataDir, 'quizroom.db'), { readonly: true });
	try {
		const answers = db
			.prepare(
				`SELECT p.nickname, a.question_index, a.elapsed_ms
				FROM game_answers a JOIN game_players p USING (game_id, player_id)
				WHERE a.game_id = ? ORDER BY a.question_index`
			)
			.all(reportId) as { nickname: string; question_index: number; elapsed_ms: number }[];
		const scores = db
			.prepare('SELECT nickname, score FROM game_players WHERE game_id = ?')
			.all(reportId) as { nickname: string; score: number }[];
		return links.map((link, i) => ({
			name: link.name,
			rttMs: 2 * link.oneWayMs,
			jitterMs: link.jitterMs ?? 0,
			chargedMs: answers.filter((a) => a.nickname === link.name).map((a) => a.elapsed_ms),
			score: scores.find((s) => s.nickname === link.name)?.score ?? 0,
			rounds: phones[i]!.rounds
		}));
	} finally {
		db.close();
	}
}
