/**
 * Preloaded into the Quizroom server by the bench only:
 *
 *   node --import tsx --import ./tests/load/server-probe.ts src/server.ts
 *
 * so the server itself needs no debug route or flag. It watches the event-loop delay
 * (perf_hooks) and answers the coordinator over the IPC channel the bench opens: event-loop
 * delay since the last reset, memory (after a full garbage collection when asked, so the
 * figure per player is not garbage), CPU, and the bytes through every TCP socket the server
 * accepted (HTTP headers, WebSocket framing and all: what goes over the wire, both ways).
 * Without an IPC channel it does nothing.
 */
import { writeFileSync } from 'node:fs';
import { Server, type Socket } from 'node:net';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface ProbeRequest {
	id: number;
	/** Start a fresh event-loop delay window after reading this one. */
	reset?: boolean;
	/** Full garbage collection before reading memory. */
	gc?: boolean;
	/**
	 * V8 CPU profile of a window (the same profiler as `node --cpu-prof`): `start`, then `stop`
	 * with the file to write it to, so a profile shows one phase (the joins, the questions).
	 */
	profile?: { action: 'start' } | { action: 'stop'; file: string };
}

export interface ProbeReply {
	id: number;
	rssBytes: number;
	heapUsedBytes: number;
	/** Event-loop delay over the window, in milliseconds. */
	loopDelay: { p50: number; p99: number; max: number; samples: number };
	cpuMs: number;
	/** Since the server started, every accepted TCP socket together (closed ones included). */
	bytes: { read: number; written: number };
}

/** Every connection the server accepts, counted at its socket. */
const liveSockets = new Set<Socket>();
const closedBytes = { read: 0, written: 0 };
function countSocket(socket: Socket): void {
	liveSockets.add(socket);
	socket.once('close', () => {
		liveSockets.delete(socket);
		closedBytes.read += socket.bytesRead;
		closedBytes.written += socket.bytesWritten;
	});
}
function socketBytes(): { read: number; written: number } {
	const total = { ...closedBytes };
	for (const socket of liveSockets) {
		total.read += socket.bytesRead;
		total.written += socket.bytesWritten;
	}
	return total;
}

if (process.send) {
	// The HTTP server (Fastify's) hears of each connection through this event.
	const emit = Server.prototype.emit as (event: string | symbol, ...args: unknown[]) => boolean;
	Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
		if (event === 'connection') countSocket(args[0] as Socket);
		return emit.call(this, event, ...args);
	} as typeof Server.prototype.emit;

	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	const delay = monitorEventLoopDelay({ resolution: 10 });
	delay.enable();

	let inspector: Session | null = null;
	const post = (method: string, params?: object) =>
		new Promise<unknown>((resolve, reject) =>
			inspector!.post(method, params, (error, result) => (error ? reject(error) : resolve(result)))
		);

	process.on('message', async (request: ProbeRequest) => {
		if (typeof request !== 'object' || request === null || typeof request.id !== 'number') return;
		if (request.profile?.action === 'start') {
			inspector ??= new Session();
			inspector.connect();
			await post('Profiler.enable');
			await post('Profiler.start');
		} else if (request.profile?.action === 'stop' && inspector) {
			const { profile } = (await post('Profiler.stop')) as { profile: unknown };
			writeFileSync(request.profile.file, JSON.stringify(profile));
			inspector.disconnect();
		}
		if (request.gc) {
			gc();
			gc();
		}
		const memory = process.memoryUsage();
		const cpu = process.cpuUsage();
		const reply: ProbeReply = {
			id: request.id,
			rssBytes: memory.rss,
			heapUsedBytes: memory.heapUsed,
			loopDelay: {
				p50: delay.count ? delay.percentile(50) / 1e6 : 0,
				p99: delay.count ? delay.percentile(99) / 1e6 : 0,
				max: delay.count ? delay.max / 1e6 : 0,
				samples: delay.count
			},
			cpuMs: (cpu.user + cpu.system) / 1000,
			bytes: socketBytes()
		};
		if (request.reset) delay.reset();
		process.send!(reply);
	});
	// The channel must not keep a server alive that wants to exit.
	process.channel?.unref();
}
