/**
 * Which of our folders may import which, and the checks over the import graph that hold the
 * architecture in place: no folder imports against the arrows below, no file imports itself
 * round a circle, and shipped code never imports the test helpers in `src/lib/testing`.
 * Each server folder's README.md says the same in words; this table is what CI holds it to.
 */
import type { ImportEdge } from './graph.ts';

const PROTOCOL = 'src/lib/protocol';
const GAME = 'src/lib/game';
const SERVER = 'src/lib/server';
const TESTING = 'src/lib/testing';

/**
 * Folder → the other folders of ours its files may import. A file belongs to the longest folder
 * listed that holds it; a folder may always import itself. Folders not listed (routes, the
 * entry, tests, scripts) stand outside the layers and may import any of them.
 */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
	[PROTOCOL]: [],
	[GAME]: [PROTOCOL],
	'src/lib/client': [PROTOCOL, GAME],
	// The interface's words: message files and the small runtime that picks one locale's.
	'src/lib/i18n': [],
	'src/lib/components': [PROTOCOL, GAME, 'src/lib/client', 'src/lib/i18n'],
	// The one process-wide registry (services.ts): the live side, accounts, the store, the imports.
	[SERVER]: [`${SERVER}/live`, `${SERVER}/storage`, `${SERVER}/accounts`, `${SERVER}/quizzes`],
	[`${SERVER}/limits`]: [],
	[`${SERVER}/storage`]: [PROTOCOL, GAME],
	[`${SERVER}/formats`]: [PROTOCOL, GAME, `${SERVER}/storage`],
	[`${SERVER}/web`]: [PROTOCOL, `${SERVER}/limits`],
	[`${SERVER}/quizzes`]: [
		PROTOCOL,
		GAME,
		`${SERVER}/storage`,
		`${SERVER}/formats`,
		`${SERVER}/web`
	],
	[`${SERVER}/live`]: [PROTOCOL, GAME, `${SERVER}/storage`, `${SERVER}/limits`],
	// Who the hosts are and what they may reach; it knows nothing of games in progress.
	[`${SERVER}/accounts`]: [
		PROTOCOL,
		GAME,
		`${SERVER}/storage`,
		`${SERVER}/limits`,
		`${SERVER}/web`
	],
	// The wire carries the room's frames; what is stored is the room's business, not the wire's.
	[`${SERVER}/transport`]: [PROTOCOL, GAME, `${SERVER}/live`, `${SERVER}/limits`],
	[`${SERVER}/cluster`]: [PROTOCOL, GAME, `${SERVER}/storage`, `${SERVER}/live`]
};

/** Test files and test helpers: free to import anything, and the only ones who may import helpers. */
export function isTestCode(path: string): boolean {
	return (
		/\.test\.ts$/.test(path) ||
		path.startsWith(`${TESTING}/`) ||
		path.startsWith('tests/') ||
		path.startsWith('scripts/')
	);
}

/** The layer a file belongs to: the longest listed folder that holds it, or null. */
export function layerOf(path: string): string | null {
	let best: string | null = null;
	for (const folder of Object.keys(MAY_IMPORT)) {
		if (path.startsWith(`${folder}/`) && (best === null || folder.length > best.length))
			best = folder;
	}
	return best;
}

/** One line per import that goes against the table, or that brings test helpers into shipped code. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
	const problems: string[] = [];
	for (const { from, to } of edges) {
		if (to.startsWith(`${TESTING}/`) && !isTestCode(from)) {
			problems.push(`${from} imports the test helper ${to}: shipped code must not`);
			continue;
		}
		if (isTestCode(from)) continue;
		const own = layerOf(from);
		if (own === null) continue;
		const theirs = layerOf(to);
		if (theirs === null || theirs === own || MAY_IMPORT[own]!.includes(theirs)) continue;
		problems.push(`${from} imports ${to}: ${own} may import only ${listed(MAY_IMPORT[own]!)}`);
	}
	return problems;
}

function listed(folders: readonly string[]): string {
	return folders.length === 0 ? 'itself' : `itself, ${folders.join(', ')}`;
}

/**
 * Every import circle among files, each as the files on it (Tarjan's strongly connected
 * components: a component of more than one file, or a file importing itself, is a circle).
 */
export function importCircles(edges: readonly ImportEdge[]): string[][] {
	const next = new Map<string, string[]>();
	for (const { from, to } of edges) {
		if (!next.has(from)) next.set(from, []);
		if (!next.has(to)) next.set(to, []);
		next.get(from)!.push(to);
	}
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const circles: string[][] = [];
	let counter = 0;

	// Iterative, so a long chain of imports cannot overflow the call stack.
	for (const start of next.keys()) {
		if (index.has(start)) continue;
		const work: Array<{ file: string; child: number }> = [{ file: start, child: 0 }];
		index.set(start, counter);
		low.set(start, counter++);
		stack.push(start);
		onStack.add(start);
		while (work.length > 0) {
			const top = work[work.length - 1]!;
			const children = next.get(top.file)!;
			if (top.child < children.length) {
				const child = children[top.child++]!;
				if (!index.has(child)) {
					index.set(child, counter);
					low.set(child, counter++);
					stack.push(child);
					onStack.add(child);
					work.push({ file: child, child: 0 });
				} else if (onStack.has(child)) {
					low.set(top.file, Math.min(low.get(top.file)!, index.get(child)!));
				}
				continue;
			}
			work.pop();
			const parent = work[work.length - 1];
			if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(top.file)!));
			if (low.get(top.file) !== index.get(top.file)) continue;
			const component: string[] = [];
			let file: string;
			do {
				file = stack.pop()!;
				onStack.delete(file);
				component.push(file);
			} while (file !== top.file);
			if (component.length > 1 || children.includes(top.file)) circles.push(component.sort());
		}
	}
	return circles;
}
