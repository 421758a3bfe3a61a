/**
 * A TCP proxy that puts a slow link between a test's clients and the server: each direction
 * delays what passes through it by `oneWayMs`, plus a random jitter of up to ±`jitterMs` per
 * chunk. The stream is delayed, never reordered: a chunk leaves no earlier than the one before
 * it (as on a real link, where TCP hands bytes over in order), so a late chunk holds back the
 * ones behind it.
 *
 *   const proxy = await DelayProxy.start(server.port, { oneWayMs: 150, jitterMs: 30 });
 *   fetch(`${proxy.url}/…`), new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`)
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export interface LinkDelay {
	/** Added to every chunk, each way: the round trip grows by twice this. */
	oneWayMs: number;
	/** Each chunk's delay varies by up to this much either way (uniform). */
	jitterMs?: number;
	/** Random numbers for the jitter (tests give a seeded one); default Math.random. */
	random?: () => number;
}

/** One direction of one connection: chunks in, the same chunks out later, in order. */
class DelayedPipe {
	private lastDue = 0;
	private readonly pending = new Set<ReturnType<typeof setTimeout>>();

	constructor(
		private readonly to: Socket,
		private readonly delay: LinkDelay
	) {}

	push(chunk: Buffer): void {
		const jitter = this.delay.jitterMs ?? 0;
		const random = this.delay.random ?? Math.random;
		const now = performance.now();
		const wanted = now + Math.max(0, this.delay.oneWayMs + (random() * 2 - 1) * jitter);
		// Never before the chunk ahead of it: bytes keep their order.
		const due = Math.max(wanted, this.lastDue);
		this.lastDue = due;
		const timer = setTimeout(() => {
			this.pending.delete(timer);
			if (!this.to.destroyed) this.to.write(chunk);
		}, due - now);
		this.pending.add(timer);
	}

	/** The far side ended: end this side once everything in flight has gone. */
	end(): void {
		const wait = Math.max(0, this.lastDue - performance.now());
		setTimeout(() => this.to.end(), wait + 1);
	}

	drop(): void {
		for (const timer of this.pending) clearTimeout(timer);
		this.pending.clear();
	}
}

export class DelayProxy {
	private constructor(
		private readonly server: Server,
		readonly port: number,
		/** Both ends of every connection, to cut them all at the end. */
		private readonly sockets: Set<Socket>
	) {}

	/** `http://127.0.0.1:<port>`: the server's address, as seen through this link. */
	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	static async start(targetPort: number, delay: LinkDelay): Promise<DelayProxy> {
		const sockets = new Set<Socket>();
		const server = createServer((client) => {
			client.setNoDelay(true);
			const upstream = connect({ port: targetPort, host: '127.0.0.1' });
			upstream.setNoDelay(true);
			sockets.add(client).add(upstream);
			const up = new DelayedPipe(upstream, delay);
			const down = new DelayedPipe(client, delay);
			client.on('data', (chunk) => up.push(chunk));
			upstream.on('data', (chunk) => down.push(chunk));
			client.on('end', () => up.end());
			upstream.on('end', () => down.end());
			const close = () => {
				up.drop();
				down.drop();
				client.destroy();
				upstream.destroy();
				sockets.delete(client);
				sockets.delete(upstream);
			};
			client.on('error', close).on('close', () => setTimeout(close, delay.oneWayMs + 50));
			upstream.on('error', close).on('close', () => setTimeout(close, delay.oneWayMs + 50));
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		const address = server.address();
		if (!address || typeof address === 'string') throw new Error('No port');
		return new DelayProxy(server, address.port, sockets);
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		this.server.close();
		await once(this.server, 'close').catch(() => undefined);
	}
}
