import { afterEach, expect, it } from 'vitest';
import { IMPORT_LIMITS } from '../formats/import-limits.ts';
import { IMPORT_BUSY, ImportGate, type ImportGateOptions } from './import-gate.ts';

const gates: ImportGate[] = [];
afterEach(async () => {
	for (const gate of gates.splice(0)) await gate.close();
});

function open(options: ImportGateOptions = {}): ImportGate {
	const gate = new ImportGate({
		...options,
		onError: (error) => {
			throw error;
		}
	});
	gates.push(gate);
	return gate;
}

const csv = new TextEncoder().encode(
	'Question,Answer 1,Answer 2,Correct answer(s)\r\nTallest mountain?,K2,Everest,2\r\n'
);

it('reads a file in a worker, and refuses one more than it reads at once as busy', async () => {
	const gate = open({ concurrent: 1 });
	await gate.opened();
	const [first, second] = await Promise.all([
		gate.read(csv, 'Mountains.csv'),
		gate.read(csv, 'Mountains.csv')
	]);
	expect(first).toMatchObject({ ok: true, imported: 1, quiz: { title: 'Mountains' } });
	expect(second).toEqual({ ok: false, message: IMPORT_BUSY, rowErrors: [] });
	// The worker is gone and a fresh one reads the next file.
	expect(gate.busy).toBe(0);
	expect(await gate.read(csv, 'Again.csv')).toMatchObject({ ok: true });
});

it('ends a reading that runs out of its heap, or of time, with a refusal that says so', async () => {
	// A file within generous limits whose parsing needs more than a 16 MB heap.
	const limits = { ...IMPORT_LIMITS, jsonValues: 10_000_000 };
	const values = new TextEncoder().encode(`{"many":[${Array(1_000_000).fill('{}').join(',')}]}`);
	const heap = await open({ heapMb: 16, limits }).read(values, 'Many.json');
	expect(heap).toMatchObject({ ok: false, message: expect.stringContaining('more memory') });
	const slow = await open({ timeoutMs: 1 }).read(csv, 'Mountains.csv');
	expect(slow).toMatchObject({ ok: false, message: expect.stringContaining('too long to read') });
});
