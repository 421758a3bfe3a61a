/**
 * What the bench plays against: one Quizroom process, or a cluster of several sharing a real
 * `redis-server` and a PostgreSQL for the record (as `REDIS_URL` and `DATABASE_URL` deploy
 * them), each with server-probe.ts preloaded. The coordinator sees one deployment either way:
 * probes and CPU are summed over the nodes (event-loop delay: the worst node), so a three-node
 * figure compares with a one-node one.
 *
 * No proxy in the bench: phones take the HTTP step on any node and open their live connection
 * on the owning node's own address (its `/n/<id>/ws` prefix, which the node strips), as nginx
 * would route them at almost no cost; the Node proxy of `npm run cluster` is for development.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis, type RedisInstance } from '../../scripts/cluster/redis-server.ts';
import { startPostgres, type PostgresInstance } from '../../scripts/postgres-server.ts';
import { HostSession, signInAdmin } from '../../scripts/host-session.ts';
import { spawnQuizroom } from '../../scripts/quizroom-process.ts';
import type { ProbeReply, ProbeRequest } from './server-probe.ts';
import { processCpuMs, processTreeCpuMs } from './stats.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Messages from a child process over IPC, awaited by what they say. */
export class Channel<In> {
	private readonly inbox: In[] = [];
	private readonly waiters: {
		match: (m: In) => boolean;
		resolve: (m: In) => void;
		reject: (error: Error) => void;
	}[] = [];

	constructor(
		readonly child: ChildProcess,
		private readonly label: string
	) {
		child.on('message', (message: In) => {
			const index = this.waiters.findIndex((w) => w.match(message));
			if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
			else this.inbox.push(message);
		});
		child.on('exit', (code) => {
			for (const waiter of this.waiters.splice(0)) {
				waiter.reject(new Error(`${this.label} exited (${code}) while we waited`));
			}
		});
	}

	next(match: (m: In) => boolean, timeoutMs = 120_000): Promise<In> {
		const index = this.inbox.findIndex(match);
		if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0]!);
		return new Promise((resolve, reject) => {
			const waiter = {
				match,
				resolve: (m: In) => {
					clearTimeout(timer);
					resolve(m);
				},
				reject: (error: Error) => {
					clearTimeout(timer);
					reject(error);
				}
			};
			const timer = setTimeout(() => {
				this.waiters.splice(this.waiters.indexOf(waiter), 1);
				reject(new Error(`${this.label}: no answer within ${timeoutMs} ms`));
			}, timeoutMs);
			this.waiters.push(waiter);
		});
	}

	send(message: unknown): void {
		this.child.send(message as never);
	}
}

export interface DeploymentOptions {
	/** Quizroom processes; more than one is cluster mode, with a Redis and a PostgreSQL of its own. */
	nodes: number;
	dataDir: string;
	/** Environment for every node (limits sized to the scenario, bench switches). */
	env: Record<string, string>;
	/** Another checkout's server (its `src/server.ts` and build). */
	serverDir?: string;
}

type Probe = Omit<ProbeRequest, 'id'>;

export interface Deployment {
	/** Where the bench sets things up (quizzes): the first node. */
	url: string;
	/** The host who sets them up: the first admin, signed in at `url` (good on every node). */
	admin: HostSession;
	/** Every node's address: phones and hosts take the HTTP steps on each in turn. */
	entryUrls: string[];
	/** Cluster mode: each node's own address by id (links.ts `liveUrl`); empty on one node. */
	nodes: Record<string, string>;
	/** Every node at once; figures summed, event-loop delay the worst node's; a CPU profile each. */
	probe(request?: Probe): Promise<ProbeReply>;
	/** CPU of every node together so far (ms); null off Linux. */
	cpuMs(): number | null;
	/** The same for the Redis server; null on one node. */
	redisCpuMs(): number | null;
	/** The same for PostgreSQL (its server process and every connection's); null on one node. */
	postgresCpuMs(): number | null;
	/** What the nodes printed, for failure messages. */
	output(): string;
	stop(): Promise<void>;
}

interface NodeProcess {
	id: string | null;
	url: string;
	/** What it was started with, which the admin script needs too. */
	env: Record<string, string>;
	pid: number;
	probe(request?: Probe): Promise<ProbeReply>;
	output(): string;
	stop(): Promise<void>;
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
	if (options.nodes <= 1) {
		const node = await startNode(options, options.dataDir, options.env);
		try {
			return deploymentOf([node], {}, await signIn(options, node));
		} catch (error) {
			await node.stop();
			throw error;
		}
	}
	// With its append-only file, as a production Redis for live games would run.
	const redis = await startRedis({ dir: join(options.dataDir, 'redis') });
	// The record (quizzes, reports, accounts): a throw-away server, one empty database. A
	// checkout from before PostgreSQL (`--server-dir`) ignores DATABASE_URL and keeps it in Redis.
	// Its data sits outside `dataDir`, which the `postgres` user (under root) may not enter.
	const postgresDir = mkdtempSync(join(tmpdir(), 'quizroom-bench-postgres-'));
	let postgres: PostgresInstance | null = null;
	const nodes: NodeProcess[] = [];
	try {
		postgres = await startPostgres({ dir: postgresDir });
		const databaseUrl = await postgres.newDatabase('quizroom');
		for (let i = 1; i <= options.nodes; i++) {
			const id = `n${i}`;
			const dir = join(options.dataDir, id);
			mkdirSync(dir, { recursive: true });
			nodes.push(
				await startNode(options, dir, {
					...options.env,
					REDIS_URL: redis.url,
					DATABASE_URL: databaseUrl,
					NODE_ID: id,
					NODE_URL: `/n/${id}`
				})
			);
		}
		// Accounts are shared: one sign-in, on the first node, is good on all of them.
		return deploymentOf(nodes, { redis, postgres, postgresDir }, await signIn(options, nodes[0]!));
	} catch (error) {
		await Promise.all(nodes.map((node) => node.stop()));
		await redis.stop();
		await postgres?.stop();
		rmSync(postgresDir, { recursive: true, force: true });
		throw error;
	}
}

/**
 * The first admin, by the setup link the node printed. A server from before host accounts
 * (`--server-dir` of an older checkout: no admin script) lets anyone set up games, so the
 * bench goes there with no cookie at all.
 */
async function signIn(options: DeploymentOptions, node: NodeProcess): Promise<HostSession> {
	const dir = options.serverDir ?? ROOT;
	if (!existsSync(join(dir, 'scripts', 'admin.ts'))) return new HostSession(node.url, '');
	return signInAdmin(node.url, node.output(), node.env, dir);
}

interface Stores {
	redis?: RedisInstance;
	postgres?: PostgresInstance | null;
	/** PostgreSQL's directory (removed at the end): its `postmaster.pid` names the server. */
	postgresDir?: string;
}

function deploymentOf(
	nodes: NodeProcess[],
	{ redis, postgres, postgresDir }: Stores,
	admin: HostSession
): Deployment {
	const sum = (values: (number | null)[]) =>
		values.some((value) => value === null) ? null : values.reduce<number>((a, b) => a + b!, 0);
	return {
		url: nodes[0]!.url,
		admin,
		entryUrls: nodes.map((node) => node.url),
		nodes: Object.fromEntries(nodes.flatMap((node) => (node.id ? [[node.id, node.url]] : []))),
		async probe(request) {
			const replies = await Promise.all(
				nodes.map((node) => node.probe(nodes.length > 1 ? forNode(request, node.id!) : request))
			);
			return replies.reduce((total, reply) => ({
				id: total.id,
				rssBytes: total.rssBytes + reply.rssBytes,
				heapUsedBytes: total.heapUsedBytes + reply.heapUsedBytes,
				cpuMs: total.cpuMs + reply.cpuMs,
				bytes: {
					read: total.bytes.read + reply.bytes.read,
					written: total.bytes.written + reply.bytes.written
				},
				loopDelay: {
					p50: Math.max(total.loopDelay.p50, reply.loopDelay.p50),
					p99: Math.max(total.loopDelay.p99, reply.loopDelay.p99),
					max: Math.max(total.loopDelay.max, reply.loopDelay.max),
					samples: total.loopDelay.samples + reply.loopDelay.samples
				}
			}));
		},
		cpuMs: () => sum(nodes.map((node) => processCpuMs(node.pid))),
		redisCpuMs: () => (redis ? processCpuMs(redis.process.pid!) : null),
		postgresCpuMs: () => (postgresDir ? postgresCpu(join(postgresDir, 'pgdata')) : null),
		output: () =>
			nodes.map((node) => (nodes.length > 1 ? `[${node.id}]\n` : '') + node.output()).join('\n'),
		async stop() {
			await Promise.all(nodes.map((node) => node.stop()));
			await redis?.stop();
			await postgres?.stop();
			if (postgresDir) rmSync(postgresDir, { recursive: true, force: true });
		}
	};
}

/** PostgreSQL forks a process per connection: the server's CPU and all of theirs. */
function postgresCpu(dataDir: string): number | null {
	try {
		const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
		return processTreeCpuMs(pid);
	} catch {
		return null;
	}
}

/** A CPU profile per node: `<file>-<node>.cpuprofile`. */
function forNode(request: Probe | undefined, id: string): Probe | undefined {
	const profile = request?.profile;
	if (profile?.action !== 'stop') return request;
	const file = profile.file.replace(/(\.cpuprofile)?$/, `-${id}.cpuprofile`);
	return { ...request, profile: { action: 'stop', file } };
}

async function startNode(
	options: DeploymentOptions,
	dataDir: string,
	env: Record<string, string>
): Promise<NodeProcess> {
	const nodeEnv = { DATA_DIR: dataDir, ...env };
	const server = spawnQuizroom({
		env: nodeEnv,
		nodeArgs: ['--import', here('./server-probe.ts')],
		cwd: options.serverDir ?? ROOT,
		ipc: true,
		label: `Quizroom server ${env.NODE_ID ?? ''}`.trim()
	});
	const { child } = server;
	const channel = new Channel<ProbeReply>(child, `Quizroom server ${env.NODE_ID ?? ''}`.trim());
	const port = await server.ready;
	let probes = 0;
	return {
		id: env.NODE_ID ?? null,
		url: `http://127.0.0.1:${port}`,
		env: nodeEnv,
		pid: child.pid!,
		output: server.output,
		probe(request = {}) {
			const id = ++probes;
			const reply = channel.next((m) => m.id === id, 30_000);
			channel.send({ ...request, id } satisfies ProbeRequest);
			return reply;
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			// A CPU profile of a big heap takes a while to write.
			await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		}
	};
}
