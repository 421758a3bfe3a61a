/**
 * `npm run bench:fairness`: what a slow link costs, on each transport (issue 26). Players behind
 * TCP delay proxies (tests/integration/delay-proxy.ts) adding 10, 300 and 600 ms round trips,
 * steady and with jitter, each answer right exactly `--reaction` ms after its answers open
 * (tests/integration/timed-phone.ts, which opens answers as the browser does). Prints, per link,
 * the mean answer time the server charged, its gap to the 10 ms player's (mean and worst
 * answer), the score and its gap, and how far the phone's countdown ran from the projector's;
 * writes the figures to bench-results/fairness.json. Needs a build (`npm run build`).
 *
 *   npm run bench:fairness
 *   npm run bench:fairness -- --questions 5 --time-limit 5 --reaction 700 --transport ws
 *   npm run bench:fairness -- --mode on-arrival   (phones that open on the frame, as before)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { startServer } from '../integration/harness.ts';
import {
	playFairnessGame,
	type FairnessLink,
	type FairnessRow,
	type FairnessTransport
} from '../integration/fairness.ts';

const LINKS: FairnessLink[] = [
	{ name: 'rtt10', oneWayMs: 5 },
	{ name: 'rtt300', oneWayMs: 150 },
	{ name: 'rtt600', oneWayMs: 300 },
	{ name: 'rtt300j', oneWayMs: 150, jitterMs: 50 },
	{ name: 'rtt600j', oneWayMs: 300, jitterMs: 100 }
];

function flag(name: string, fallback: string): string {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const questions = Number(flag('questions', '5'));
const timeLimit = Number(flag('time-limit', '20'));
const reactionMs = Number(flag('reaction', '700'));
const mode = flag('mode', 'synced') === 'on-arrival' ? 'on-arrival' : 'synced';
const transports = flag('transport', 'ws,sse').split(',') as FairnessTransport[];

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / (values.length || 1);

interface LinkFigures {
	link: string;
	rttMs: number;
	jitterMs: number;
	chargedMeanMs: number;
	gapMeanMs: number;
	gapWorstMs: number;
	score: number;
	scoreGapPercent: number;
	countdownWorstMs: number;
}

function figures(rows: FairnessRow[]): LinkFigures[] {
	const fast = rows[0]!;
	return rows.map((row) => {
		const gaps = row.chargedMs.map((ms, q) => ms - (fast.chargedMs[q] ?? ms));
		return {
			link: row.name,
			rttMs: row.rttMs,
			jitterMs: row.jitterMs,
			chargedMeanMs: Math.round(mean(row.chargedMs)),
			gapMeanMs: Math.round(mean(gaps)),
			gapWorstMs: Math.max(0, ...gaps.map(Math.abs)),
			score: row.score,
			scoreGapPercent: Math.round(((row.score - fast.score) / fast.score) * 10_000) / 100,
			countdownWorstMs: Math.round(Math.max(0, ...row.rounds.map((r) => Math.abs(r.clockErrorMs))))
		};
	});
}

function print(transport: string, table: LinkFigures[]): void {
	console.log(
		`\n${transport}: ${questions} questions × ${timeLimit} s, answers ${reactionMs} ms after opening (${mode})`
	);
	console.log(
		'link       round trip  jitter  charged  vs 10 ms (mean / worst)  score   vs 10 ms  countdown vs projector (worst)'
	);
	for (const f of table) {
		console.log(
			`${f.link.padEnd(10)} ${`${f.rttMs} ms`.padStart(10)}  ${`±${f.jitterMs}`.padStart(6)}  ` +
				`${`${f.chargedMeanMs} ms`.padStart(7)}  ${`${f.gapMeanMs} / ${f.gapWorstMs} ms`.padStart(23)}  ` +
				`${String(f.score).padStart(5)}  ${`${f.scoreGapPercent.toFixed(2)} %`.padStart(8)}  ` +
				`${`${f.countdownWorstMs} ms`.padStart(8)}`
		);
	}
}

const server = await startServer();
const results: Record<string, LinkFigures[]> = {};
try {
	for (const transport of transports) {
		const rows = await playFairnessGame(server, {
			transport,
			links: LINKS,
			questions,
			timeLimit,
			reactionMs,
			mode
		});
		results[transport] = figures(rows);
		print(transport, results[transport]);
	}
} finally {
	await server.stop();
}
mkdirSync('bench-results', { recursive: true });
writeFileSync(
	'bench-results/fairness.json',
	JSON.stringify({ questions, timeLimit, reactionMs, mode, results }, null, '\t') + '\n'
);
