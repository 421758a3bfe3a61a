/**
 * How much JavaScript a phone downloads for the player page (/play/[playerId]), gzipped, from
 * the build output: SvelteKit's entry (start + app), the root layout and the page's own route
 * node, and every module they import statically (dynamic imports, such as the other routes'
 * nodes listed in app.js, are not loaded for this page). Fails above the budget.
 *
 * The interface's words are not JavaScript: the page's data carries its one locale's messages
 * (src/lib/i18n/catalog.ts). Printed beside the total, the largest locale's, gzipped; and this
 * fails if a message file ever lands in the browser's bundle (every locale for every phone).
 *
 *   npm run build && npm run size
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LOCALES } from '../src/lib/i18n/locales.ts';

const BUDGET_BYTES = 60 * 1024;
const ROUTE_ID = '/play/[playerId]';
const build = process.argv[2] ?? 'build';
const immutable = join(build, 'client/_app/immutable');

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

if (!existsSync(immutable)) fail(`No ${immutable}: run \`npm run build\` first.`);

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
	);
}

/** The route's layout and leaf nodes, from the server's manifest of routes. */
function routeNodes(): number[] {
	const manifest = filesUnder(join(build, 'server'))
		.filter((file) => file.endsWith('.js'))
		.map((file) => readFileSync(file, 'utf8'))
		.find((text) => text.includes(`id: ${JSON.stringify(ROUTE_ID)}`));
	if (!manifest) fail(`Route ${ROUTE_ID} not found in ${build}/server`);
	const at = manifest.indexOf(`id: ${JSON.stringify(ROUTE_ID)}`);
	const page = /page:\s*\{\s*layouts:\s*\[([^\]]*)\][^}]*leaf:\s*(\d+)/.exec(manifest.slice(at));
	if (!page) fail(`No page nodes for ${ROUTE_ID}`);
	const layouts = page[1]!
		.split(',')
		.map((n) => n.trim())
		.filter(Boolean)
		.map(Number);
	return [...layouts, Number(page[2])];
}

function one(dir: string, prefix: string): string {
	const found = readdirSync(join(immutable, dir)).find(
		(name) => name.startsWith(prefix) && name.endsWith('.js')
	);
	if (!found) fail(`No ${dir}/${prefix}*.js in ${immutable}`);
	return join(immutable, dir, found);
}

/** `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`; not `import("./x.js")`. */
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+\.js)["']/g;

const seen = new Set<string>();
function walk(file: string): void {
	if (seen.has(file)) return;
	seen.add(file);
	const code = readFileSync(file, 'utf8');
	for (const match of code.matchAll(STATIC_IMPORT)) {
		const target = match[1]!;
		if (!target.startsWith('.')) continue;
		walk(posix.normalize(join(dirname(file), target)));
	}
}

const roots = [
	one('entry', 'start.'),
	one('entry', 'app.'),
	...routeNodes().map((node) => one('nodes', `${node}.`))
];
roots.forEach(walk);

let raw = 0;
let gzipped = 0;
const rows = [...seen].map((file) => {
	const bytes = readFileSync(file);
	const size = gzipSync(bytes, { level: 9 }).length;
	raw += bytes.length;
	gzipped += size;
	return { file: relative(immutable, file), raw: bytes.length, gzip: size };
});
rows.sort((a, b) => b.gzip - a.gzip);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
for (const row of rows) {
	console.log(`${kb(row.gzip).padStart(9)}  ${kb(row.raw).padStart(9)}  ${row.file}`);
}
console.log(
	`\n${ROUTE_ID}: ${rows.length} files, ${kb(raw)} of JavaScript, ${kb(gzipped)} gzipped ` +
		`(budget ${kb(BUDGET_BYTES)})`
);

const bundled = filesUnder(immutable).filter(
	(file) => file.endsWith('.js') && /["']lang\.label["']\s*:/.test(readFileSync(file, 'utf8'))
);
if (bundled.length > 0) {
	fail(`Message files in the browser bundle: ${bundled.map((f) => relative(immutable, f))}`);
}
const messageSizes = await Promise.all(
	Object.keys(LOCALES).map(async (code) => {
		const file = new URL(`../src/lib/i18n/messages/${code}.ts`, import.meta.url);
		const { default: messages } = (await import(file.href)) as { default: object };
		return { code, gzip: gzipSync(JSON.stringify(messages), { level: 9 }).length };
	})
);
const largest = messageSizes.reduce((a, b) => (b.gzip > a.gzip ? b : a));
console.log(
	`Messages: one locale's, with the page's data (not JavaScript): ${kb(largest.gzip)} gzipped ` +
		`at most (${largest.code})`
);
if (gzipped > BUDGET_BYTES) fail(`Over budget by ${kb(gzipped - BUDGET_BYTES)}`);
