/**
 * `npm run bench`: plays every load scenario against a real Quizroom process, prints the table
 * and writes the figures as JSON (bench-results/latest.json, plus a dated copy).
 *
 *   npm run bench                              every scenario (500, 2000, 5000, 10000, rooms,
 *                                              rooms-spread)
 *   npm run bench -- --players 2000            one room of 2,000 players
 *   npm run bench -- --rooms 200 --room-size 25 [--host-spread 1000]
 *                                              many rooms; their hosts press next at once, or
 *                                              spread evenly over that many milliseconds
 *   npm run bench -- --scenario 500,rooms      picked from the list above
 *   npm run bench:transports                   200 players over WebSocket, the HTTP fallback
 *                                              and naive 1 s polling (bench only), compared
 *                                              (`-- --transports 500` for another size)
 *   npm run bench -- --players 200 --transport sse   any scenario over one transport
 *   npm run bench:cluster                      the 2,000-player room and 200 rooms × 25 on one
 *                                              node, then on a cluster of three sharing Redis
 *                                              and PostgreSQL
 *   npm run bench -- --scenario rooms --nodes 1,3    any scenario at each cluster size
 *   options: --questions 3 --workers 2 --join-rate 1000 --burst-ms 1000 --time-limit 5
 *            --baseline-rounds 5 (0: none) --no-hold-open --profile [dir] --label text --out file
 *            --server-dir ../other-checkout (compare another version under the same conditions)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	runScenario,
	SCENARIO_DEFAULTS,
	type ScenarioConfig,
	type ScenarioResult
} from './generator.ts';
import { BENCH_TRANSPORTS, POLL_INTERVAL_MS, type BenchTransport } from './links.ts';
import { idlePercent, type Summary } from './stats.ts';

const NAMED: Record<string, { rooms: number; playersPerRoom: number; hostSpreadMs?: number }> = {
	'500': { rooms: 1, playersPerRoom: 500 },
	'2000': { rooms: 1, playersPerRoom: 2000 },
	'5000': { rooms: 1, playersPerRoom: 5000 },
	'10000': { rooms: 1, playersPerRoom: 10_000 },
	// Every host presses next in the same millisecond: the worst case, all rooms in lockstep.
	rooms: { rooms: 200, playersPerRoom: 25 },
	// As independent games run: their hosts press next at different moments (here within 1 s).
	'rooms-spread': { rooms: 200, playersPerRoom: 25, hostSpreadMs: 1000 }
};

function parseArgs(argv: string[]) {
	const flags = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
		const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
		const following = argv[i + 1];
		if (inline !== undefined) flags.set(key, inline);
		else if (following !== undefined && !following.startsWith('--')) flags.set(key, argv[++i]!);
		else flags.set(key, true);
	}
	const number = (key: string, fallback: number) => {
		const value = flags.get(key);
		if (value === undefined) return fallback;
		const parsed = Number(value);
		if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${key} takes a number`);
		return parsed;
	};
	const scenarios: {
		name: string;
		rooms: number;
		playersPerRoom: number;
		transport?: BenchTransport;
		baselineRounds?: number;
		nodes?: number;
		hostSpreadMs?: number;
	}[] = [];
	const transport = flags.get('transport') ?? 'ws';
	if (!BENCH_TRANSPORTS.includes(transport as BenchTransport)) {
		throw new Error(`--transport takes ${BENCH_TRANSPORTS.join(', ')}`);
	}
	const comparing = flags.has('transports');
	if (comparing) {
		const size = flags.get('transports') === true ? 200 : Number(flags.get('transports'));
		if (!Number.isInteger(size) || size < 1) throw new Error('--transports takes a player count');
		for (const each of BENCH_TRANSPORTS) {
			// The comparison is between transports: no bare-ws yardstick in between.
			scenarios.push({
				name: `${size} players, ${each}`,
				rooms: 1,
				playersPerRoom: size,
				transport: each,
				baselineRounds: 0
			});
		}
	}
	if (flags.has('players')) {
		for (const n of String(flags.get('players')).split(',')) {
			scenarios.push({ name: `${n} players`, rooms: 1, playersPerRoom: Number(n) });
		}
	}
	if (flags.has('rooms') || flags.has('room-size')) {
		const rooms = number('rooms', 200);
		const size = number('room-size', 25);
		const hostSpreadMs = number('host-spread', 0);
		scenarios.push({
			name: scenarioName(rooms, size, hostSpreadMs),
			rooms,
			playersPerRoom: size,
			hostSpreadMs
		});
	}
	if (flags.has('scenario')) {
		for (const name of String(flags.get('scenario')).split(',')) {
			const named = NAMED[name];
			if (!named) throw new Error(`Unknown scenario "${name}": ${Object.keys(NAMED).join(', ')}`);
			scenarios.push({
				name: scenarioName(named.rooms, named.playersPerRoom, named.hostSpreadMs),
				...named
			});
		}
	}
	if (scenarios.length === 0 && !comparing) {
		for (const named of Object.values(NAMED)) {
			scenarios.push({
				name: scenarioName(named.rooms, named.playersPerRoom, named.hostSpreadMs),
				...named
			});
		}
	}
	// Cluster sizes: every scenario at each, side by side (the comparison needs no yardstick).
	const nodeCounts = flags.has('nodes') ? String(flags.get('nodes')).split(',').map(Number) : [1];
	if (nodeCounts.some((n) => !Number.isInteger(n) || n < 1)) {
		throw new Error('--nodes takes node counts, e.g. 3 or 1,3');
	}
	const clustered = flags.has('nodes');
	const sized = clustered
		? scenarios.flatMap((scenario) =>
				nodeCounts.map((nodes) => ({
					...scenario,
					name: `${scenario.name}, ${nodes} node${nodes === 1 ? '' : 's'}`,
					nodes,
					baselineRounds: scenario.baselineRounds ?? 0
				}))
			)
		: scenarios;
	const profile = flags.get('profile');
	return {
		scenarios: sized,
		comparing,
		clustered,
		nodes: 1,
		transport: transport as BenchTransport,
		questions: number('questions', SCENARIO_DEFAULTS.questions),
		workers: number('workers', SCENARIO_DEFAULTS.workers),
		joinRate: number('join-rate', SCENARIO_DEFAULTS.joinRate),
		joinConcurrency: number('join-concurrency', SCENARIO_DEFAULTS.joinConcurrency),
		burstMs: number('burst-ms', SCENARIO_DEFAULTS.burstMs),
		correctShare: number('correct-share', SCENARIO_DEFAULTS.correctShare),
		timeLimitS: number('time-limit', SCENARIO_DEFAULTS.timeLimitS),
		holdOpen: !flags.has('no-hold-open'),
		baselineRounds: number('baseline-rounds', SCENARIO_DEFAULTS.baselineRounds),
		hostSpreadMs: SCENARIO_DEFAULTS.hostSpreadMs,
		profileDir: profile
			? resolve(profile === true ? 'bench-results/profiles' : profile)
			: undefined,
		serverDir:
			typeof flags.get('server-dir') === 'string'
				? resolve(flags.get('server-dir') as string)
				: undefined,
		label: typeof flags.get('label') === 'string' ? (flags.get('label') as string) : '',
		out: typeof flags.get('out') === 'string' ? (flags.get('out') as string) : undefined
	};
}

function scenarioName(rooms: number, size: number, hostSpreadMs = 0): string {
	if (rooms === 1) return `${size} players`;
	return hostSpreadMs > 0
		? `${rooms} rooms × ${size}, hosts over ${hostSpreadMs / 1000} s`
		: `${rooms} rooms × ${size}, hosts at once`;
}

// ---------------------------------------------------------------------------------------------
// The table

const ms = (s: Summary | null, key: keyof Summary) => (s && s.count ? String(s[key]) : '–');
const trio = (s: Summary | null) => (s && s.count ? `${s.p50} / ${s.p99} / ${s.max}` : '–');

export function table(results: ScenarioResult[]): string {
	const rows: [string, (r: ScenarioResult) => string][] = [
		['players (rooms × size)', (r) => `${r.players} (${r.rooms} × ${r.playersPerRoom})`],
		[
			'nodes (rooms on each)',
			(r) => {
				if (r.nodes === 1) return '1';
				// Nodes that got no game are not in roomsPerNode.
				const counts = Object.values(r.roomsPerNode).sort((a, b) => b - a);
				while (counts.length < r.nodes) counts.push(0);
				return `${r.nodes} (${counts.join(' / ')})`;
			}
		],
		[
			'join: per s (offered) · failed',
			(r) => `${r.join.achievedPerSecond} (${r.join.offeredPerSecond}) · ${r.join.failed}`
		],
		['join HTTP p50 / p99 ms', (r) => `${ms(r.join.httpMs, 'p50')} / ${ms(r.join.httpMs, 'p99')}`],
		['fan-out p50 / p99 / max ms', (r) => trio(r.fanoutMs)],
		['bare ws fan-out p50 / p99 / max ms', (r) => trio(r.baselineFanoutMs)],
		[
			'fan-out ÷ bare ws (p50 · p99)',
			(r) => (r.fanoutRatio ? `${r.fanoutRatio.p50} · ${r.fanoutRatio.p99}` : '–')
		],
		['answer ack p50 / p99 ms (burst)', (r) => `${ms(r.ackMs, 'p50')} / ${ms(r.ackMs, 'p99')}`],
		[
			'tick jitter p99 / max ms (every phone)',
			(r) => `${ms(r.tickJitterMs, 'p99')} / ${ms(r.tickJitterMs, 'max')}`
		],
		[
			'bare ws tick jitter p99 / max ms',
			(r) =>
				r.baselineTickJitterMs
					? `${ms(r.baselineTickJitterMs, 'p99')} / ${ms(r.baselineTickJitterMs, 'max')}`
					: '–'
		],
		[
			'tick lateness p99 / max ms (first phone)',
			(r) => `${ms(r.tickStartMs, 'p99')} / ${ms(r.tickStartMs, 'max')}`
		],
		[
			'server event-loop delay p99 / max ms',
			(r) => `${r.server.loopDelayP99Ms} / ${r.server.loopDelayMaxMs}`
		],
		['server RSS per player KB', (r) => String(r.server.rssPerPlayerKB)],
		['server CPU per question ms', (r) => String(Math.round(avg(r.server.cpuMsPerQuestion)))],
		[
			'Redis CPU per question ms',
			(r) =>
				r.server.redisCpuMsPerQuestion?.length
					? String(Math.round(avg(r.server.redisCpuMsPerQuestion)))
					: '–'
		],
		[
			'PostgreSQL CPU per question ms',
			(r) =>
				r.server.postgresCpuMsPerQuestion?.length
					? String(Math.round(avg(r.server.postgresCpuMsPerQuestion)))
					: '–'
		],
		[
			'bytes per player per question (down / up)',
			(r) => `${r.server.bytesPerPlayerQuestion.down} / ${r.server.bytesPerPlayerQuestion.up}`
		],
		[
			'per-room p99 fan-out · tick (min/med/max)',
			(r) =>
				r.perRoom
					? `${r.perRoom.fanoutP99Ms.join('/')} · ${r.perRoom.tickJitterP99Ms.join('/')}`
					: '–'
		],
		[
			'rooms: host next → question open p50 / p99 ms',
			(r) => (r.perRoom ? `${r.perRoom.startLagMs.p50} / ${r.perRoom.startLagMs.p99}` : '–')
		],
		[
			'generator cores (busiest process)',
			(r) =>
				`${r.generator.cores} (${r.generator.maxWorkerCores})${r.generator.saturated ? ' ⚠' : ''}`
		],
		[
			'complete (results / expected)',
			(r) => `${r.completeness.gotResult} / ${r.completeness.expected}`
		]
	];
	const header = `| | ${results.map((r) => r.name).join(' | ')} |`;
	const rule = `| --- | ${results.map(() => '---').join(' | ')} |`;
	const body = rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(' | ')} |`);
	return [header, rule, ...body].join('\n');
}

const TRANSPORT_NAMES: Record<BenchTransport, string> = {
	ws: 'WebSocket',
	sse: 'SSE + POST (fallback)',
	poll: `polling every ${POLL_INTERVAL_MS / 1000} s (bench only)`
};

/** The transport comparison, as in the README: one column per transport. */
export function transportTable(results: ScenarioResult[]): string {
	const bytes = (r: ScenarioResult) => r.server.bytesPerPlayerQuestion;
	const rows: [string, (r: ScenarioResult) => string][] = [
		[
			'bytes on the wire per player per question: down + up = total',
			(r) => `${bytes(r).down} + ${bytes(r).up} = ${bytes(r).down + bytes(r).up}`
		],
		[
			'question delivery p50 / p99 ms',
			(r) => `${ms(r.fanoutMs, 'p50')} / ${ms(r.fanoutMs, 'p99')}`
		],
		['answer ack p50 / p99 ms', (r) => `${ms(r.ackMs, 'p50')} / ${ms(r.ackMs, 'p99')}`],
		['server CPU per question ms', (r) => String(Math.round(avg(r.server.cpuMsPerQuestion)))],
		['server RSS per player KB', (r) => String(r.server.rssPerPlayerKB)],
		[
			'every phone got question, ack and result',
			(r) => (r.completeness.gotResult === r.completeness.expected ? 'yes' : 'no')
		]
	];
	const header = `| ${results[0] ? `${results[0].players} players` : ''} | ${results.map((r) => TRANSPORT_NAMES[r.transport]).join(' | ')} |`;
	const rule = `| --- | ${results.map(() => '---').join(' | ')} |`;
	const body = rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(' | ')} |`);
	return [header, rule, ...body].join('\n');
}

/** Waits (up to half a minute) until the machine is at least 80 % idle over a second. */
async function quiet(log: (line: string) => void): Promise<void> {
	for (let i = 0; i < 30; i++) {
		const idle = await idlePercent(1000);
		if (idle >= 80) return;
		if (i === 0) log(`  waiting for the machine to settle (${idle}% idle)…`);
	}
}

function avg(values: number[]): number {
	return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const log = (line: string) => console.log(line);
	console.log(
		`Load bench on ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ` +
			`load average ${loadavg()
				.map((l) => l.toFixed(2))
				.join(' ')}`
	);
	const results: ScenarioResult[] = [];
	for (const scenario of args.scenarios) {
		log(`\n${scenario.name}`);
		// Side by side figures need the same quiet machine: wait out the last run's teardown.
		if (args.comparing || args.clustered) await quiet(log);
		const config: ScenarioConfig = { ...args, ...scenario, log };
		const result = await runScenario(config);
		results.push(result);
		for (const warning of result.warnings) log(`  ⚠ ${warning}`);
	}
	console.log(`\n${table(results)}\n`);
	if (args.comparing) console.log(`${transportTable(results)}\n`);
	const document = {
		label: args.label,
		at: new Date().toISOString(),
		machine: {
			cores: cpus().length,
			cpu: cpus()[0]?.model ?? 'unknown',
			node: process.version
		},
		clock:
			'shared: the generator and the server run on one machine and read the same clock ' +
			'(clockOffsetMs from clock probes checks it)',
		results
	};
	const dir = resolve('bench-results');
	mkdirSync(dir, { recursive: true });
	const stamp = document.at.replace(/[:.]/g, '-');
	const target = args.out
		? resolve(args.out)
		: join(
				dir,
				args.comparing
					? 'transports-latest.json'
					: args.clustered
						? 'cluster-latest.json'
						: 'latest.json'
			);
	writeFileSync(target, JSON.stringify(document, null, '\t') + '\n');
	if (!args.out) {
		const dated = join(
			dir,
			`${stamp}${args.label ? `-${args.label.replace(/\W+/g, '-')}` : ''}.json`
		);
		writeFileSync(dated, JSON.stringify(document, null, '\t') + '\n');
	}
	console.log(`Figures written to ${target}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
