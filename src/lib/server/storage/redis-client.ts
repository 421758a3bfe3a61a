/**
 * One connection to Redis with Quizroom's policy: refuse to start when Redis cannot be reached
 * (a clear error, not a hang), then ride out outages: reconnect with backoff, fail commands at
 * once while disconnected instead of queueing them (an HTTP request gets a clear error, not a
 * spinner), log going down and coming back once each instead of every retry.
 */
import { createClient } from '@redis/client';

export type RedisClient = ReturnType<typeof newClient>;

export interface RedisConnectOptions {
	/** Shown in Redis's CLIENT LIST, e.g. `quizroom-store`. */
	name?: string;
	/** Tries at startup, 200 ms apart, before giving up (default 10: about 2 s). */
	connectAttempts?: number;
	/** A command without a reply after this long fails (default 5 s): Redis is not answering. */
	commandTimeoutMs?: number;
	/** Where going down and coming back are reported (default console). */
	log?: Pick<Console, 'error' | 'log'>;
}

/** Connects, or rejects with a message that names the address (never the password). */
export async function connectRedis(
	url: string,
	options: RedisConnectOptions = {}
): Promise<RedisClient> {
	checkUrl(url);
	const where = redactedUrl(url);
	const attempts = options.connectAttempts ?? 10;
	const log = options.log ?? console;
	let wasReady = false;
	let down = false;
	const client = newClient(
		url,
		options.name,
		options.commandTimeoutMs ?? 5000,
		(retries, cause) => {
			if (!wasReady) return retries + 1 >= attempts ? cause : 200;
			return Math.min(100 * 2 ** retries, 2000);
		}
	);
	client.on('error', (error: Error) => {
		// Without a listener an 'error' event would end the process.
		if (wasReady && !down) {
			down = true;
			log.error(`Lost the connection to Redis at ${where} (${error.message}): retrying`);
		}
	});
	client.on('ready', () => {
		if (down) log.log(`Connected to Redis at ${where} again`);
		wasReady = true;
		down = false;
	});
	try {
		await client.connect();
	} catch (error) {
		client.destroy();
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(`Cannot reach Redis at ${where} (REDIS_URL): ${reason}`, { cause: error });
	}
	return client;
}

function newClient(
	url: string,
	name: string | undefined,
	commandTimeoutMs: number,
	reconnectStrategy: (retries: number, cause: Error) => number | Error
) {
	return createClient({
		url,
		name,
		disableOfflineQueue: true,
		commandOptions: { timeout: commandTimeoutMs },
		socket: { connectTimeout: 5000, reconnectStrategy }
	});
}

function checkUrl(url: string): void {
	let protocol: string | null = null;
	try {
		protocol = new URL(url).protocol;
	} catch {
		// Reported below.
	}
	if (protocol !== 'redis:' && protocol !== 'rediss:') {
		throw new Error(
			`REDIS_URL must look like redis://host:6379 (or rediss:// for TLS), got "${redactedUrl(url)}"`
		);
	}
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return url.replace(/:[^:@/]*@/, ':***@');
	}
}
