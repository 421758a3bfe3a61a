import { describe, expect, it } from 'vitest';
import type { ImportEdge } from './graph.ts';
import { importCircles, layerOf, layerViolations } from './rules.ts';

const edge = (from: string, to: string): ImportEdge => ({ from, to });

describe('layer rules', () => {
	it('refuses the imports the architecture forbids', () => {
		const problems = layerViolations([
			edge('src/lib/game/rules.ts', 'src/lib/server/live/room.ts'),
			edge('src/lib/game/rules.ts', 'src/lib/client/connection.ts'),
			edge('src/lib/protocol/messages.ts', 'src/lib/game/state.ts'),
			edge('src/lib/server/transport/session.ts', 'src/lib/server/storage/storage.ts')
		]);
		expect(problems).toHaveLength(4);
		expect(problems[3]).toContain(
			'src/lib/server/transport may import only itself, src/lib/protocol'
		);
	});

	it('lets each folder import itself and what sits under it in the table', () => {
		expect(
			layerViolations([
				edge('src/lib/game/rules.ts', 'src/lib/game/state.ts'),
				edge('src/lib/game/rules.ts', 'src/lib/protocol/messages.ts'),
				edge('src/lib/server/transport/session.ts', 'src/lib/server/live/room.ts'),
				edge('src/routes/+page.server.ts', 'src/lib/server/storage/storage.ts'),
				edge('src/server.ts', 'src/lib/server/transport/room-server.ts')
			])
		).toEqual([]);
	});

	it('keeps test helpers out of shipped code, and lets tests use them', () => {
		const helper = 'src/lib/testing/fake-clock.ts';
		expect(layerViolations([edge('src/lib/server/live/room.ts', helper)])).toEqual([
			`src/lib/server/live/room.ts imports the test helper ${helper}: shipped code must not`
		]);
		expect(layerViolations([edge('src/routes/+page.server.ts', helper)])).toHaveLength(1);
		expect(
			layerViolations([
				edge('src/lib/server/live/room.test.ts', helper),
				edge('tests/integration/harness.ts', helper),
				edge('scripts/store-bench.ts', helper)
			])
		).toEqual([]);
	});

	it('puts a file in the deepest folder the table names', () => {
		expect(layerOf('src/lib/server/services.ts')).toBe('src/lib/server');
		expect(layerOf('src/lib/server/live/room.ts')).toBe('src/lib/server/live');
		expect(layerOf('src/routes/+page.svelte')).toBeNull();
	});
});

describe('import circles', () => {
	it('finds a circle of two, a longer one and a file importing itself', () => {
		const circles = importCircles([
			edge('a.ts', 'b.ts'),
			edge('b.ts', 'a.ts'),
			edge('c.ts', 'd.ts'),
			edge('d.ts', 'e.ts'),
			edge('e.ts', 'c.ts'),
			edge('e.ts', 'f.ts'),
			edge('g.ts', 'g.ts')
		]);
		expect(circles).toEqual(
			expect.arrayContaining([['a.ts', 'b.ts'], ['c.ts', 'd.ts', 'e.ts'], ['g.ts']])
		);
		expect(circles).toHaveLength(3);
	});

	it('finds none in a chain, however long', () => {
		const chain = Array.from({ length: 20_000 }, (_, i) => edge(`${i}.ts`, `${i + 1}.ts`));
		expect(importCircles(chain)).toEqual([]);
	});
});
