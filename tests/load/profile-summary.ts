/**
 * Where a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench -- --profile`) spent its
 * time: the top functions by self time and by total time (self plus callees).
 *
 *   node --import tsx tests/load/profile-summary.ts bench-results/profiles/CPU.*.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export function summarizeProfile(profile: Profile, top = 30): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const selfUs = new Map<number, number>();
	profile.samples.forEach((id, i) => {
		selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
	});
	const label = (node: ProfileNode) => {
		const { functionName, url, lineNumber } = node.callFrame;
		const file = url.replace(/^.*\/(node_modules\/)?/, (m, nm) => (nm ? 'node_modules/' : ''));
		return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
	};
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	let all = 0;
	for (const [id, us] of selfUs) {
		all += us;
		const node = byId.get(id)!;
		self.set(label(node), (self.get(label(node)) ?? 0) + us);
		// Each function once per stack, however deep its recursion.
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const name = label(byId.get(at)!);
			if (seen.has(name)) continue;
			seen.add(name);
			total.set(name, (total.get(name) ?? 0) + us);
		}
	}
	const rows = (map: Map<string, number>) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(
				([name, us]) =>
					`${(us / 1000).toFixed(0).padStart(8)} ms ${((us / all) * 100).toFixed(1).padStart(5)}%  ${name}`
			)
			.join('\n');
	return [
		`total ${(all / 1000).toFixed(0)} ms sampled`,
		'',
		'self time',
		rows(self),
		'',
		'total time (self + callees)',
		rows(total)
	].join('\n');
}

if (process.argv[2]) {
	const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile;
	console.log(summarizeProfile(profile, Number(process.argv[3] ?? 30)));
}
