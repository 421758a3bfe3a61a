/**
 * Small numeric helpers for the load generator: percentiles over plain arrays of samples, and
 * CPU time of any process from /proc (Linux; the figures are left out elsewhere).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Summary {
	count: number;
	p50: number;
	p99: number;
	max: number;
}

/** Nearest-rank percentiles of the samples (milliseconds in, milliseconds out, 0.1 ms steps). */
export function summarize(samples: readonly number[]): Summary {
	if (samples.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN };
	const sorted = Float64Array.from(samples).sort();
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
	return {
		count: sorted.length,
		p50: round(at(0.5)),
		p99: round(at(0.99)),
		max: round(sorted[sorted.length - 1]!)
	};
}

export function round(value: number, digits = 1): number {
	const scale = 10 ** digits;
	return Math.round(value * scale) / scale;
}

export function median(values: readonly number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime: 100 on every Linux we run. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds a process has used so far (10 ms resolution); null off Linux. */
export function processCpuMs(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const utime = Number(fields[11]);
		const stime = Number(fields[12]);
		return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
	} catch {
		return null;
	}
}

/**
 * CPU milliseconds of a process and its children: the living ones, and those that ended and
 * were waited for (PostgreSQL's connections, each its own process); null off Linux.
 */
export function processTreeCpuMs(pid: number): number | null {
	const own = statFields(pid);
	if (!own) return null;
	// utime, stime, cutime, cstime: the children that ended are in the last two.
	let ticks = own.slice(11, 15).reduce((a, b) => a + Number(b), 0);
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return null;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		const fields = statFields(Number(entry));
		// Field 4, the parent's pid, is the first after the state.
		if (fields && Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
	}
	return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** /proc/<pid>/stat's fields after the command name (the state first); null if gone. */
function statFields(pid: number): string[] | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return null;
	}
}

/** Resident set size in bytes from /proc/<pid>/status; null off Linux. */
export function processRssBytes(pid: number): number | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
		return match ? Number(match[1]) * 1024 : null;
	} catch {
		return null;
	}
}

/** The machine's CPU time so far, idle and in all (/proc/stat); null off Linux. */
export function cpuTimes(): { idle: number; total: number } | null {
	try {
		const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
		const times = fields.slice(1, 9).map(Number);
		return { idle: times[3]! + times[4]!, total: times.reduce((a, b) => a + b, 0) };
	} catch {
		return null;
	}
}

/** Share of the machine's CPU time spent idle since `before` (cpuTimes); 100 off Linux. */
export function idleSince(before: ReturnType<typeof cpuTimes>): number {
	const after = cpuTimes();
	if (!before || !after || after.total === before.total) return 100;
	return Math.round((100 * (after.idle - before.idle)) / (after.total - before.total));
}

/** Share of the machine's CPU time spent idle over the next `ms`; 100 off Linux. */
export async function idlePercent(ms: number): Promise<number> {
	const before = cpuTimes();
	await new Promise((resolve) => setTimeout(resolve, ms));
	return idleSince(before);
}
