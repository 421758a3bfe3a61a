/**
 * The import worker: waits for one uploaded file, reads it (formats/quiz-file.ts), posts the
 * result back and ends, taking its heap with it. Started ahead by ImportGate (import-gate.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportLimits } from '../formats/import-limits.ts';
import { readQuizFile } from '../formats/quiz-file.ts';
import type { ImportJob } from './import-gate.ts';

/**
 * A workbook inflates into Buffers outside the heap, freed only when the small objects holding
 * them are collected: V8 waited for ~64 MB of them per reading, and the allocator kept that
 * memory for the process after the worker ended (+100 MB for two readings). A young-generation
 * collection every 20 ms (~1 ms each) frees them as the reading goes.
 */
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (options: { type: 'minor' }) => void;

const { limits } = workerData as { limits: ImportLimits };
const port = parentPort!;
port.once('message', async ({ bytes, fileName }: ImportJob) => {
	const collecting = setInterval(() => collect({ type: 'minor' }), 20);
	try {
		port.postMessage(await readQuizFile(bytes, fileName, limits));
	} finally {
		// A reader that threw ends the worker with its error (the gate's 'error').
		clearInterval(collecting);
		port.close();
	}
});
