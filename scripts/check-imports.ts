/**
 * `npm run check` runs this: the import rules of scripts/imports/rules.ts over all of our code.
 * Prints each import that breaks them and exits 1, or prints one line and exits 0.
 */
import { fileURLToPath } from 'node:url';
import { importGraph } from './imports/graph.ts';
import { importCircles, layerViolations } from './imports/rules.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const edges = importGraph(root, ['src', 'tests', 'scripts']);
const problems = [
	...layerViolations(edges),
	...importCircles(edges).map((circle) => `import circle: ${circle.join(' ↔ ')}`)
];
if (problems.length > 0) {
	console.error(`Import rules (scripts/imports/rules.ts): ${problems.length} problem(s)`);
	for (const problem of problems) console.error(`  ${problem}`);
	process.exit(1);
}
console.log(`Import rules: ${edges.length} imports, no circles, every layer in place`);
