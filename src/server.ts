/**
 * Quizroom's one process: Fastify with the room server under /ws (WebSocket and its HTTP
 * fallback) and the SvelteKit app behind everything else, on one port. `--dev` serves the app through Vite with hot reload.
 */
import Fastify from 'fastify';
import QRCode from 'qrcode';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nanoid } from 'nanoid';
import { AccountService } from './lib/server/accounts/account-service.ts';
import { adminLinkCommand } from './lib/server/accounts/admin-command.ts';
import { Passkeys } from './lib/server/accounts/passkeys.ts';
import { RecentIdentities } from './lib/server/accounts/recent-identities.ts';
import { Cluster, type ClusterConfig } from './lib/server/cluster/cluster-lobby.ts';
import { GameService } from './lib/server/live/game-service.ts';
import { IMAGE_SWEEP_EVERY_MS, sweepUnusedImages } from './lib/server/quizzes/image-sweep.ts';
import { ImportGate } from './lib/server/quizzes/import-gate.ts';
import { LocalLobby, type Lobby } from './lib/server/live/lobby.ts';
import { publicBaseUrl } from './lib/server/web/lan.ts';
import { cookieFrom, SESSION_COOKIE } from './lib/server/web/cookies.ts';
import type { Identity } from './lib/server/live/seats.ts';
import { loadSampleQuizzes } from './lib/server/quizzes/samples.ts';
import { roomServer } from './lib/server/transport/room-server.ts';
import { HostScreens } from './lib/server/transport/connections.ts';
import { PICTURE_QUOTA_MB } from './lib/server/quizzes/picture-quota.ts';
import { installServices } from './lib/server/services.ts';
import { missingStore, openStorage } from './lib/server/storage/open.ts';
import { AutomaticBackups, BACKUPS_KEPT } from './lib/server/storage/auto-backup.ts';
import { lockDataDir } from './lib/server/storage/lock.ts';
import { isStoreUnavailable } from './lib/server/storage/errors.ts';
import {
	ADDRESS_HEADER,
	PROTOCOL_HEADER,
	webApp,
	type NodeHandler
} from './lib/server/web/mount.ts';

interface Config {
	host: string;
	port: number;
	dataDir: string;
	/** Set: the record (quizzes, pictures, reports, accounts) in PostgreSQL (storage/open.ts). */
	databaseUrl?: string;
	databasePoolSize?: number;
	/** Set, with databaseUrl: cluster mode, the nodes meeting in Redis. */
	redisUrl?: string;
	publicUrl?: string;
	maxPlayers?: number;
	abandonedRoomMinutes?: number;
	heartbeatMs?: number;
	dev: boolean;
	logLevel: string;
	trustProxy: boolean;
	allowedOrigins: string[];
	maxConnectionsPerIp?: number;
	messagesPerSecond?: number;
	pinGuessesPerMinute?: number;
	/** A report the database could not take is tried again after this (then twice as long…). */
	reportRetryMs?: number;
	/** Automatic daily backups of the SQLite record kept (0: none made). */
	backupsKept: number;
	/** Bytes of pictures each host may keep; 0: no limit. */
	pictureQuotaBytes: number;
	/** Cluster mode: set when REDIS_URL is. */
	cluster?: ClusterConfig;
}

function positiveInteger(name: string): number | undefined {
	const raw = process.env[name];
	if (!raw) return undefined;
	const value = Number(raw);
	if (!Number.isInteger(value) || value <= 0) {
		throw new Error(`${name} must be a positive whole number, got "${raw}"`);
	}
	return value;
}

function readConfig(): Config {
	const env = process.env;
	const port = Number(env.PORT ?? 3000);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be a port number, got "${env.PORT}"`);
	}
	const maxPlayers = positiveInteger('MAX_PLAYERS');
	const abandonedRoomMinutes = positiveInteger('ABANDONED_ROOM_MINUTES');
	const heartbeatMs = positiveInteger('HEARTBEAT_MS');
	const allowedOrigins = (env.ALLOWED_ORIGINS ?? '')
		.split(',')
		.map((origin) => origin.trim())
		.filter(Boolean);
	if (env.PUBLIC_URL) allowedOrigins.push(new URL(env.PUBLIC_URL).origin);
	const nodeId = env.NODE_ID || nanoid(6).replace(/[^A-Za-z0-9]/g, 'x');
	if (!/^[A-Za-z0-9_-]{1,32}$/.test(nodeId)) {
		throw new Error(`NODE_ID may only use letters, digits, - and _, got "${nodeId}"`);
	}
	return {
		host: env.HOST ?? '0.0.0.0',
		port,
		dataDir: resolve(env.DATA_DIR || 'data'),
		databaseUrl: env.DATABASE_URL || undefined,
		databasePoolSize: positiveInteger('DATABASE_POOL_SIZE'),
		redisUrl: env.REDIS_URL || undefined,
		publicUrl: env.PUBLIC_URL || undefined,
		maxPlayers,
		abandonedRoomMinutes,
		heartbeatMs,
		dev: process.argv.includes('--dev'),
		logLevel: env.LOG_LEVEL ?? 'warn',
		trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
		allowedOrigins,
		maxConnectionsPerIp: positiveInteger('MAX_CONNECTIONS_PER_IP'),
		messagesPerSecond: positiveInteger('MESSAGES_PER_SECOND'),
		pinGuessesPerMinute: positiveInteger('PIN_GUESSES_PER_MINUTE'),
		reportRetryMs: positiveInteger('REPORT_RETRY_MS'),
		backupsKept: env.BACKUPS_KEPT === '0' ? 0 : (positiveInteger('BACKUPS_KEPT') ?? BACKUPS_KEPT),
		pictureQuotaBytes:
			(env.PICTURE_QUOTA_MB === '0'
				? 0
				: (positiveInteger('PICTURE_QUOTA_MB') ?? PICTURE_QUOTA_MB)) *
			1024 *
			1024,
		cluster: env.REDIS_URL
			? {
					redisUrl: env.REDIS_URL,
					nodeId,
					nodeUrl: env.NODE_URL || `/n/${nodeId}`,
					nodeTtlMs: positiveInteger('NODE_TTL_MS'),
					keyPrefix: env.REDIS_PREFIX || undefined
				}
			: undefined
	};
}

async function webHandler(dev: boolean): Promise<{ handler: NodeHandler; close(): Promise<void> }> {
	if (dev) {
		const { createServer } = await import('vite');
		const vite = await createServer({ server: { middlewareMode: true }, appType: 'custom' });
		return { handler: vite.middlewares, close: () => vite.close() };
	}
	const built = fileURLToPath(new URL('../build/handler.js', import.meta.url));
	if (!existsSync(built)) {
		throw new Error('The web app is not built yet: run `npm run build` (or use `npm start`)');
	}
	// Read by adapter-node when its module loads: see web.ts.
	process.env.PROTOCOL_HEADER ??= PROTOCOL_HEADER;
	process.env.ADDRESS_HEADER ??= ADDRESS_HEADER;
	// adapter-node refuses bodies over 512 KB; quiz imports may be up to 20 MB (images 5 MB,
	// checked by their own routes).
	process.env.BODY_SIZE_LIMIT ??= '21M';
	const { handler } = (await import(built)) as { handler: NodeHandler };
	return { handler, close: async () => {} };
}

async function main(): Promise<void> {
	const config = readConfig();
	// Before connecting anywhere: a cluster without its database is refused in words.
	const missing = missingStore(config);
	if (missing) throw new Error(missing);
	// Cluster mode: the other nodes and the shared directory are in Redis.
	const cluster = config.cluster ? await Cluster.connect(config.cluster) : null;
	// One server per data directory, and `npm run restore` refused while it runs (storage/lock.ts).
	const lock = lockDataDir(config.dataDir);
	const { storage, where } = await openStorage({
		...config,
		name: `quizroom-${config.cluster?.nodeId ?? 'node'}`,
		live: cluster ? (local) => cluster.liveRooms(local) : undefined
	});
	// Once per store: in cluster mode the first node ever started seeds, the others find them.
	const seeded = await storage.seedSamples(loadSampleQuizzes(), Date.now());
	if (seeded > 0) console.log(`  Added ${seeded} sample quizzes to ${where}`);
	const games = new GameService({
		storage,
		maxPlayers: config.maxPlayers,
		abandonedRoomMs: config.abandonedRoomMinutes && config.abandonedRoomMinutes * 60_000,
		pinGuessesPerMinute: config.pinGuessesPerMinute,
		reportRetryMs: config.reportRetryMs,
		recordIsLocal: !config.databaseUrl
	});
	const restored = cluster ? await cluster.start(games) : games.restore();
	if (restored > 0)
		console.log(`  Picked up ${restored} game${restored === 1 ? '' : 's'} in progress`);
	const lobby: Lobby = cluster ?? new LocalLobby(games);
	// Host screens of ended sign-ins close at once, on every node.
	const hostScreens = new HostScreens();
	const recentIdentities = new RecentIdentities();
	const accounts = new AccountService({
		storage,
		issuer: config.cluster?.nodeId ?? 'local',
		onSessionsEnded: (sessionIds) => {
			recentIdentities.forget(sessionIds);
			hostScreens.end(sessionIds);
			cluster?.endHostScreensElsewhere(sessionIds);
		},
		// A deleted account's games go to its heir, or end, on whichever node runs them.
		onAccountRemoved: (accountId, heir) => lobby.hostRemoved(accountId, heir)
	});
	cluster?.onHostScreensEnded((sessionIds) => {
		recentIdentities.forget(sessionIds);
		hostScreens.end(sessionIds);
	});
	const passkeys = new Passkeys(accounts, storage.accounts);
	// Quiz files are read in worker threads, never on the loop that runs the games.
	const imports = new ImportGate({
		keepEsbuild: config.dev,
		onError: (error) => app.log.error({ err: error }, 'A quiz import failed')
	});
	const services = installServices({
		games,
		lobby,
		storage,
		accounts,
		passkeys,
		imports,
		pictureQuotaBytes: config.pictureQuotaBytes,
		publicUrl: ''
	});
	// A host screen reconnecting while the record is unreachable is known by its last check.
	const identify = async (headers: { cookie?: string }): Promise<Identity | null> => {
		const token = cookieFrom(headers.cookie, SESSION_COOKIE);
		let signedIn;
		try {
			signedIn = await accounts.session(token);
		} catch (error) {
			if (token && isStoreUnavailable(error)) return recentIdentities.recall(token, Date.now());
			throw error;
		}
		if (!signedIn) return null;
		const { account, session } = signedIn;
		const identity = {
			accountId: account.id,
			admin: account.role === 'admin',
			sessionId: session.id
		};
		if (token) recentIdentities.remember(token, identity, Date.now());
		return identity;
	};

	// Behind a proxy, the client's address comes from X-Forwarded-For: only when told to trust it.
	const app = Fastify({
		logger: { level: config.logLevel },
		trustProxy: config.trustProxy,
		// A cluster node is reached as /n/<node>/… behind the proxy; it answers there directly too.
		rewriteUrl: cluster ? nodePathRewriter(config.cluster!.nodeUrl) : undefined
	});
	await app.register(roomServer, {
		games,
		heartbeatMs: config.heartbeatMs,
		allowedOrigins: config.allowedOrigins,
		maxConnectionsPerAddress: config.maxConnectionsPerIp,
		messagesPerSecond: config.messagesPerSecond,
		// Bench only (tests/load): naive polling, to compare with the event stream.
		fallback: { polling: process.env.QUIZROOM_BENCH_POLLING === '1' },
		identify,
		hostScreens
	});
	const web = await webHandler(config.dev);
	await app.register(webApp, { handler: web.handler, trustProxy: config.trustProxy });
	app.addHook('onClose', () => web.close());

	await app.listen({ host: config.host, port: config.port });
	const address = app.server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	services.publicUrl = publicBaseUrl(config.host, port, config.publicUrl);

	const sweep = setInterval(() => {
		games.sweep();
		// Passkey challenges, links and sessions past their end, old sign-in failures: anonymous
		// requests write them, so none may pile up.
		passkeys.sweep();
		accounts
			.sweep()
			.catch((error: unknown) => app.log.warn({ err: error }, 'Could not sweep expired sign-ins'));
	}, 60_000);
	sweep.unref();
	const sweepImages = () =>
		sweepUnusedImages(storage, games.quizzesInPlay(), Date.now()).then(
			(deleted) => {
				if (deleted > 0)
					app.log.info(`Deleted ${deleted} unused picture${deleted === 1 ? '' : 's'}`);
			},
			(error: unknown) => app.log.error({ err: error }, 'Could not sweep unused pictures')
		);
	void sweepImages();
	setInterval(sweepImages, IMAGE_SWEEP_EVERY_MS).unref();
	// How long the server was gone is measured from this after a crash: see GameService.restore.
	const alive = setInterval(() => games.markAlive(), 2000);
	alive.unref();
	// A minute after the start (if the newest is a day old), then daily (storage/auto-backup.ts).
	const backups =
		!config.databaseUrl && config.backupsKept > 0
			? new AutomaticBackups({ dataDir: config.dataDir, keep: config.backupsKept }).start()
			: null;

	// Until an admin exists, every start prints a fresh one-time link that makes one.
	const setup = await accounts.setupLink();
	const setupUrl = setup && `${config.publicUrl ?? `http://localhost:${port}`}/setup/${setup}`;
	// What to type to print a sign-in link for this server: its store, its address.
	const adminCommand = adminLinkCommand({
		port,
		host: config.host,
		dataDir: config.dataDir,
		databaseUrl: config.databaseUrl,
		publicUrl: config.publicUrl
	});
	await announce(services.publicUrl, port, config.dev, setupUrl, adminCommand);

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: saving games and shutting down…`);
		// Running games are written down and their sockets told to come back; then the database
		// is shut. The next start picks the games up.
		clearInterval(alive);
		games.shutdown();
		// In a cluster the node leaves the directory now: the others take its games over at once.
		await cluster?.stop();
		await app.close();
		await backups?.stop();
		await storage.close();
		lock.release();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Strips the node's own path prefix (`/n/n1/ws` → `/ws`), if it has one. */
function nodePathRewriter(nodeUrl: string): ((request: { url?: string }) => string) | undefined {
	if (/^[a-z]+:/i.test(nodeUrl)) return undefined;
	const prefix = nodeUrl.replace(/\/$/, '');
	return ({ url = '/' }) =>
		url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)
			? url.slice(prefix.length) || '/'
			: url;
}

async function announce(
	publicUrl: string,
	port: number,
	dev: boolean,
	setupUrl: string | null,
	adminCommand: string
): Promise<void> {
	const qr = await QRCode.toString(publicUrl, { type: 'terminal', small: true });
	const host = setupUrl
		? [
				`  First time here? Open this link on the laptop you host from to become the admin.`,
				`  It works once, and only until the server restarts (each start prints a new one):`,
				`    ${setupUrl}`
			]
		: [`  Host (this laptop, on the projector):  http://localhost:${port}/host`];
	console.log(
		[
			'',
			`  Quizroom is running${dev ? ' (dev mode)' : ''} on port ${port}`,
			'',
			...host,
			`  Players join on their phones at:       ${publicUrl}`,
			'',
			qr,
			`  Listening on port ${port}. Ctrl+C stops.`,
			`  Lost your sign-in? ${adminCommand}`,
			''
		].join('\n')
	);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
