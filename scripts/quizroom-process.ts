/**
 * A Quizroom server in a child process (`node --import tsx src/server.ts`), as the tests, the
 * load bench and the local cluster start it: on a free port, its output kept, ready once it
 * says which port it listens on.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface QuizroomProcessOptions {
	/** Over this process's environment; PORT defaults to 0 (a free port), HOST to 127.0.0.1. */
	env: Record<string, string | undefined>;
	/** More `node` flags, e.g. `--import` of a probe. */
	nodeArgs?: string[];
	/** The checkout to run (default: the current directory). */
	cwd?: string;
	/** An IPC channel to the child (the bench's probe answers over it). */
	ipc?: boolean;
	/** Each chunk of output as it comes (the cluster's log). */
	onOutput?: (chunk: string) => void;
	/** Named in errors: "Server", "Node n2". */
	label?: string;
	timeoutMs?: number;
}

export interface QuizroomProcess {
	child: ChildProcess;
	/** Everything it printed so far, both streams. */
	output(): string;
	/** Its port, once it listens; rejects if it exits or stays silent too long. */
	ready: Promise<number>;
}

/** Returns at once, so IPC listeners can go on before the child says anything. */
export function spawnQuizroom(options: QuizroomProcessOptions): QuizroomProcess {
	const label = options.label ?? 'Server';
	const child = spawn(
		process.execPath,
		['--import', 'tsx', ...(options.nodeArgs ?? []), 'src/server.ts'],
		{
			cwd: options.cwd,
			env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...options.env },
			stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? ['ipc' as const] : [])],
			...(options.ipc ? { serialization: 'advanced' as const } : {})
		}
	);
	let output = '';
	const ready = new Promise<number>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${label} did not start:\n${output}`)),
			options.timeoutMs ?? 60_000
		);
		const read = (chunk: Buffer) => {
			output += chunk;
			options.onOutput?.(String(chunk));
			const match = /Listening on port (\d+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(Number(match[1]));
			}
		};
		child.stdout!.on('data', read);
		child.stderr!.on('data', read);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${label} exited with ${code}:\n${output}`));
		});
	});
	// A rejection nobody awaits yet (the child died later) must not crash the caller.
	ready.catch(() => {});
	return { child, output: () => output, ready };
}
