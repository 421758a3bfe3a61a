/**
 * A real `redis-server` for tests: its own process on a free port, a temporary directory and
 * no persistence, stopped (and its directory removed) by `stop()`. Tests that need Redis start
 * one in `beforeAll` and stop it in `afterAll`; nothing is shared between test files.
 *
 *   const redis = await startRedis();
 *   … REDIS_URL: redis.url …
 *   await redis.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROGRAMS, requireProgram } from '../programs/programs.ts';

export interface RedisInstance {
	/** `redis://127.0.0.1:<port>`, for REDIS_URL. */
	url: string;
	port: number;
	process: ChildProcess;
	/** What the server printed, for failure messages. */
	output(): string;
	stop(): Promise<void>;
}

export interface StartRedisOptions {
	/** A given port (to bring a stopped server back where its clients look); default a free one. */
	port?: number;
	readyTimeoutMs?: number;
	/**
	 * Keep the data here, with the append-only file on (`npm run cluster`); without it, a
	 * temporary directory and no persistence (tests).
	 */
	dir?: string;
	/** A snapshot (`dump.rdb`) to start from, in a temporary directory (a test's fixture). */
	snapshot?: string;
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisInstance> {
	const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
	const { dir, snapshot } = options;
	// Missing: one line naming the install command (REDIS_SERVER names another executable).
	const executable = requireProgram(PROGRAMS.redis);
	const start = (port: number) => startOn(executable, port, readyTimeoutMs, dir, snapshot);
	if (options.port !== undefined) return start(options.port);
	// A free port can be taken by someone else between asking and binding: try a few.
	let lastError: unknown;
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			return await start(await freePort());
		} catch (error) {
			lastError = error;
		}
	}
	throw lastError;
}

async function startOn(
	executable: string,
	port: number,
	readyTimeoutMs: number,
	keptDir?: string,
	snapshot?: string
): Promise<RedisInstance> {
	if (keptDir) mkdirSync(keptDir, { recursive: true });
	const dir = keptDir ?? mkdtempSync(join(tmpdir(), 'quizroom-redis-'));
	// Loaded at start from the data directory, as Redis loads its own after a restart.
	if (snapshot) copyFileSync(snapshot, join(dir, 'dump.rdb'));
	const child = spawn(
		executable,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			// Tests start from nothing and keep nothing; a kept directory keeps every write.
			'--save',
			'',
			'--appendonly',
			keptDir ? 'yes' : 'no',
			'--daemonize',
			'no'
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<never>((_resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) =>
			reject(new Error(`redis-server exited (${signal ?? code}) before answering:\n${output}`))
		);
	});
	const cleanup = () => {
		if (!keptDir) rmSync(dir, { recursive: true, force: true });
	};
	try {
		await Promise.race([answersPing(port, readyTimeoutMs), exited]);
	} catch (error) {
		child.kill('SIGKILL');
		cleanup();
		throw error;
	}
	exited.catch(() => {}); // From here on an exit is expected (stop) or reported by the tests.
	// A test run that ends without stop() (a crash, Ctrl+C) leaves no server behind.
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);
	return {
		url: `redis://127.0.0.1:${port}`,
		port,
		process: child,
		output: () => output,
		async stop() {
			process.off('exit', killOnExit);
			if (child.exitCode === null && child.signalCode === null) {
				const exit = once(child, 'exit');
				child.kill('SIGTERM');
				await exit;
			}
			cleanup();
		}
	};
}

/** A port nothing listens on right now, from the OS. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** Retries a raw `PING` until the server answers `+PONG`, or the time is up. */
async function answersPing(port: number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await pingOnce(port)) return;
		if (Date.now() > deadline) {
			throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function pingOnce(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ port, host: '127.0.0.1' });
		let reply = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk;
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
	});
}
