/**
 * The import graph of our own code: every `.ts`, `.js` and `.svelte` file under the given roots,
 * and the files of ours each one imports (static, dynamic and type-only imports alike, since a
 * type import is a dependency a reader has to follow too). Packages are left out.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
	/** Paths relative to the repository root, with forward slashes. */
	from: string;
	to: string;
}

const SOURCE = /\.(ts|js|svelte)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.svelte-kit', 'build', 'test-results']);
/** Svelte components keep their imports in `<script>` blocks; the markup imports nothing. */
const SCRIPT_BLOCK = /<script\b[^>]*>([\s\S]*?)<\/script>/g;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		if (SKIPPED_DIRS.has(entry.name)) return [];
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return SOURCE.test(entry.name) ? [path] : [];
	});
}

function specifiers(path: string): string[] {
	let text = readFileSync(path, 'utf8');
	if (path.endsWith('.svelte')) text = [...text.matchAll(SCRIPT_BLOCK)].map((m) => m[1]).join('\n');
	return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** Our file that a specifier names, or null for a package (or SvelteKit's `$app`, `$env`). */
function resolveSpecifier(root: string, importer: string, specifier: string): string | null {
	// SvelteKit writes each route's `./$types` into .svelte-kit/ at sync time.
	if (specifier.endsWith('/$types')) return null;
	let base: string;
	if (specifier.startsWith('.')) base = resolve(dirname(importer), specifier);
	else if (specifier === '$lib' || specifier.startsWith('$lib/'))
		base = join(root, 'src/lib', specifier.slice('$lib'.length));
	else return null;
	for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${relative(root, importer)}: cannot find '${specifier}'`);
}

export function importGraph(root: string, dirs: string[]): ImportEdge[] {
	const edges: ImportEdge[] = [];
	const name = (path: string) => relative(root, path).split('\\').join('/');
	for (const dir of dirs) {
		for (const file of sourceFiles(join(root, dir))) {
			for (const specifier of specifiers(file)) {
				const target = resolveSpecifier(root, file, specifier);
				if (target && SOURCE.test(target)) edges.push({ from: name(file), to: name(target) });
			}
		}
	}
	return edges;
}
