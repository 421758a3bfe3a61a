/**
 * Where uploaded quiz files are read: never on the event loop that runs the games. Each file is
 * read in a worker thread of its own (import-worker.ts) with a capped heap and a deadline, and
 * the worker ends after that one file, so whatever reading it took (good file or refused) goes
 * back to the system with it. At most `concurrent` files are read at a time; one more is
 * refused at once as busy, in the host's words, rather than queued behind a bad file. Workers
 * wait ready for as many files, and a new one is started as soon as one is taken.
 *
 * The worker's code is bundled once, when the gate opens, into one module whose packages are
 * imported from node_modules by address (esbuild, which tsx runs on already): a worker started
 * through tsx took ~0.4 s and ~35 MB, this one ~0.1 s and ~15 MB. The entry (src/server.ts,
 * not bundled by Vite) makes the one gate of the process and puts it in the services: the
 * worker's source is found next to this file, which a bundled copy of it could not do.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { IMPORT_LIMITS, type ImportLimits } from '../formats/import-limits.ts';
import type { QuizFileRead } from '../formats/quiz-file.ts';
import type { QuizFileReader } from './import.ts';

/** One file for a worker. */
export interface ImportJob {
	bytes: Uint8Array;
	fileName: string;
}

export interface ImportGateOptions {
	/** Files read at the same time; one more is refused as busy. Default 2. */
	concurrent?: number;
	/** Workers started ahead, waiting for a file. Default: as many as `concurrent`. */
	spares?: number;
	/** The heap one reading may use, in MB. Default 160. */
	heapMb?: number;
	/** A file still being read after this is given up. Default 15 s. */
	timeoutMs?: number;
	limits?: ImportLimits;
	/**
	 * Leave esbuild's service process running once the worker is bundled: in dev mode Vite uses
	 * it too. Default: stopped (~16 MB back).
	 */
	keepEsbuild?: boolean;
	/** A worker that failed for another reason than its file (logged by the entry). */
	onError?: (error: unknown) => void;
}

export const IMPORT_BUSY =
	'The server is busy reading other imported files right now: try again in a moment';

const READ_FAILED = 'This file could not be read: save it again and try once more';

const WORKER_SOURCE = fileURLToPath(new URL('./import-worker.ts', import.meta.url));

/** import-worker.ts and what it imports of ours as one module (a data: URL), packages by address. */
async function workerScript(keepEsbuild: boolean): Promise<URL> {
	const { build, stop } = await import('esbuild');
	const bundled = await build({
		entryPoints: [WORKER_SOURCE],
		bundle: true,
		write: false,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		logLevel: 'silent',
		plugins: [
			{
				name: 'packages-by-address',
				setup(build) {
					// A data: module cannot look in node_modules: its packages come as file URLs.
					build.onResolve({ filter: /^[^./]/ }, ({ path }) => ({
						path: path.startsWith('node:') ? path : import.meta.resolve(path),
						external: true
					}));
				}
			}
		]
	});
	if (!keepEsbuild) await stop();
	const code = bundled.outputFiles[0]!.text;
	return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export class ImportGate implements QuizFileReader {
	/** Started and waiting for a file. */
	private readonly spares: Worker[] = [];
	private readonly spareCount: number;
	private readonly reading = new Set<Worker>();
	private readonly concurrent: number;
	private readonly heapMb: number;
	private readonly timeoutMs: number;
	private readonly limits: ImportLimits;
	private closed = false;
	/** The worker's module, once bundled; null if that failed (every file is then refused). */
	private script: URL | null = null;
	private readonly ready: Promise<void>;

	constructor(private readonly options: ImportGateOptions = {}) {
		this.concurrent = options.concurrent ?? 2;
		this.spareCount = Math.min(options.spares ?? this.concurrent, this.concurrent);
		this.heapMb = options.heapMb ?? 160;
		this.timeoutMs = options.timeoutMs ?? 15_000;
		this.limits = options.limits ?? IMPORT_LIMITS;
		this.ready = workerScript(options.keepEsbuild ?? false).then(
			(script) => {
				this.script = script;
				this.startSpares();
			},
			(error: unknown) => options.onError?.(error)
		);
	}

	/** Resolves once workers can start (the worker's module is bundled, or failed to be). */
	opened(): Promise<void> {
		return this.ready;
	}

	/** Files being read now. */
	get busy(): number {
		return this.reading.size;
	}

	async read(bytes: Uint8Array, fileName: string): Promise<QuizFileRead> {
		if (this.closed || this.reading.size >= this.concurrent) return refuse(IMPORT_BUSY);
		if (!this.script) await this.ready;
		if (!this.script) return refuse(READ_FAILED);
		if (this.closed || this.reading.size >= this.concurrent) return refuse(IMPORT_BUSY);
		const worker = this.spares.shift() ?? this.start(this.script);
		this.reading.add(worker);
		worker.ref();
		this.startSpares();
		return new Promise<QuizFileRead>((resolve) => {
			let settled = false;
			const settle = (read: QuizFileRead) => {
				if (settled) return;
				settled = true;
				clearTimeout(deadline);
				this.reading.delete(worker);
				void worker.terminate();
				this.startSpares();
				resolve(read);
			};
			const deadline = setTimeout(
				() =>
					settle(
						refuse(
							`This file took too long to read (more than ${this.timeoutMs / 1000} s): it is too big or too complicated to be a quiz`
						)
					),
				this.timeoutMs
			);
			worker.removeAllListeners();
			worker.once('message', (read: QuizFileRead) => settle(read));
			worker.once('error', (error: Error & { code?: string }) => {
				if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
					settle(
						refuse(
							`This file needs more memory to read than an import may use (${this.heapMb} MB): it is too big to be a quiz`
						)
					);
					return;
				}
				this.options.onError?.(error);
				settle(refuse(READ_FAILED));
			});
			worker.once('exit', () => settle(refuse(READ_FAILED)));
			const job: ImportJob = { bytes, fileName };
			worker.postMessage(job);
		});
	}

	/** Stops every reading and spare (shutdown). */
	async close(): Promise<void> {
		this.closed = true;
		const workers = [...this.spares.splice(0), ...this.reading];
		await Promise.all(workers.map((worker) => worker.terminate()));
	}

	/** Spares up to their count, and no more than the files that could still be read. */
	private startSpares(): void {
		while (
			this.script &&
			!this.closed &&
			this.spares.length < this.spareCount &&
			this.spares.length + this.reading.size < this.concurrent
		) {
			const spare = this.start(this.script);
			// A spare keeps nothing alive; one that fails to start is dropped (and said).
			spare.unref();
			spare.once('error', (error) => {
				this.options.onError?.(error);
				this.drop(spare);
			});
			spare.once('exit', () => this.drop(spare));
			this.spares.push(spare);
		}
	}

	private drop(spare: Worker): void {
		const at = this.spares.indexOf(spare);
		if (at >= 0) this.spares.splice(at, 1);
	}

	private start(script: URL): Worker {
		return new Worker(script, {
			workerData: { limits: this.limits },
			// Plain JavaScript: not the entry's --import tsx, which would take longer than the file.
			execArgv: [],
			resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 16 }
		});
	}
}

function refuse(message: string): QuizFileRead {
	return { ok: false, message, rowErrors: [] };
}
