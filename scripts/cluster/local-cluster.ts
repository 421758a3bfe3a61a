/**
 * A whole cluster on this machine: PostgreSQL for the record, a Redis server for what moves
 * fast, several Quizroom nodes and the proxy in front of them, as `npm run cluster -- --nodes 3`
 * starts it and as the cluster tests use it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startProxy, type Proxy, type Upstream } from './proxy.ts';
import { startRedis } from './redis-server.ts';
import { startPostgres, type PostgresInstance } from '../postgres-server.ts';
import { signInAdmin, type HostSession } from '../host-session.ts';
import { spawnQuizroom } from '../quizroom-process.ts';

export interface ClusterOptions {
	nodes: number;
	/** The proxy's port (0: any free one). */
	port: number;
	host?: string;
	/** Everything the cluster keeps: Redis's append-only file and each node's SQLite. */
	dataDir: string;
	/** An existing Redis instead of starting one. */
	redisUrl?: string;
	/** An existing PostgreSQL database instead of starting a server. */
	databaseUrl?: string;
	/** Extra environment for every node (tests shorten NODE_TTL_MS, for one). */
	env?: Record<string, string>;
	/** The address phones are given (the QR code); the proxy's own address by default. */
	publicUrl?: string;
	/** Where the nodes' and Redis's output goes. */
	log?: (line: string) => void;
}

export interface ClusterNode extends Upstream {
	process: ChildProcess;
	output(): string;
}

export interface LocalCluster {
	url: string;
	redisUrl: string;
	databaseUrl: string;
	nodes: ClusterNode[];
	/**
	 * Sends every request that names no node (pages, the API) to this node first, as a sticky
	 * load balancer would; null: to the nodes in turn again.
	 */
	steer(id: string | null): void;
	/** The link that makes the first admin, as the first node printed it (null: it found one). */
	setupLink(): string | null;
	/**
	 * Signs in as the cluster's admin at `url`: accounts and sessions are in PostgreSQL, so the
	 * cookie is good on every node and through the proxy. It uses up the setup link (tests do
	 * this; `npm run cluster` leaves the link to the person at the keyboard).
	 */
	signInAdmin(): Promise<HostSession>;
	/** SIGKILL: the node dies as in a crash, with no goodbye. */
	kill(id: string): Promise<void>;
	/** Starts a node again under the same id and data directory. */
	restart(id: string): Promise<ClusterNode>;
	stop(): Promise<void>;
}

/** As a node prints it at a start that finds no admin. */
const SETUP_LINK = /https?:\/\/\S+\/setup\/[\w-]{43}/g;

export async function startCluster(options: ClusterOptions): Promise<LocalCluster> {
	const dataDir = resolve(options.dataDir);
	const redis = options.redisUrl ? null : await startRedis({ dir: join(dataDir, 'redis') });
	const redisUrl = options.redisUrl ?? redis!.url;
	let postgres: PostgresInstance | null = null;
	let databaseUrl = options.databaseUrl;
	if (!databaseUrl) {
		postgres = await startPostgres({ dir: join(dataDir, 'postgres') });
		databaseUrl = await postgres.newDatabase('quizroom').catch(async (error: unknown) => {
			// Kept from an earlier run of this directory: the database is there already.
			if (String(error).includes('already exists'))
				return postgres!.url.replace(/\/postgres$/, '/quizroom');
			throw error;
		});
	}
	const stopStores = async () => {
		await redis?.stop();
		await postgres?.stop();
	};
	const nodes: ClusterNode[] = [];
	let proxy: Proxy | null = null;
	let publicUrl = '';
	let steered: string | null = null;

	/** A node's environment, which the admin script needs too (its store, its link's address). */
	const envOf = (id: string): Record<string, string> => ({
		LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
		DATA_DIR: join(dataDir, id),
		REDIS_URL: redisUrl,
		DATABASE_URL: databaseUrl!,
		NODE_ID: id,
		NODE_URL: `/n/${id}`,
		PUBLIC_URL: publicUrl,
		TRUST_PROXY: '1',
		...options.env
	});

	const launch = async (id: string): Promise<ClusterNode> => {
		mkdirSync(join(dataDir, id), { recursive: true });
		const node = spawnQuizroom({
			env: envOf(id),
			label: `Node ${id}`,
			onOutput: (chunk) => {
				for (const line of chunk.split('\n')) if (line.trim()) options.log?.(`[${id}] ${line}`);
			}
		});
		const port = await node.ready;
		return { id, host: '127.0.0.1', port, process: node.child, output: node.output };
	};

	// The proxy first, so every node knows the address phones are given.
	proxy = await startProxy(
		() => nodes.filter((n) => n.process.exitCode === null && !n.process.killed),
		options.port,
		options.host ?? '0.0.0.0',
		() => steered
	);
	publicUrl = options.publicUrl ?? `http://127.0.0.1:${proxy.port}`;
	try {
		for (let i = 1; i <= options.nodes; i++) nodes.push(await launch(`n${i}`));
	} catch (error) {
		await Promise.all(nodes.map((node) => stopProcess(node.process)));
		await proxy.close();
		await stopStores();
		throw error;
	}

	return {
		url: publicUrl,
		redisUrl,
		databaseUrl: databaseUrl!,
		nodes,
		steer(id) {
			steered = id;
		},
		setupLink() {
			return [...nodes[0]!.output().matchAll(SETUP_LINK)].at(-1)?.[0] ?? null;
		},
		signInAdmin() {
			const first = nodes[0]!;
			return signInAdmin(publicUrl, first.output(), envOf(first.id));
		},
		async kill(id) {
			const node = nodes.find((n) => n.id === id);
			if (!node) throw new Error(`No node ${id}`);
			node.process.kill('SIGKILL');
			if (node.process.exitCode === null)
				await new Promise((done) => node.process.once('exit', done));
		},
		async restart(id) {
			const index = nodes.findIndex((n) => n.id === id);
			const node = await launch(id);
			if (index >= 0) nodes[index] = node;
			else nodes.push(node);
			return node;
		},
		async stop() {
			await Promise.all(nodes.map((node) => stopProcess(node.process)));
			await proxy?.close();
			await stopStores();
		}
	};
}

export async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((done) => child.once('exit', done));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(timer);
}
