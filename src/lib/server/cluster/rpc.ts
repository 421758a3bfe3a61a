/**
 * Calls between nodes over Redis pub/sub: each node listens on its own channel and answers on
 * the caller's. Nodes never need to reach each other directly, only Redis, so a node behind any
 * network layout can serve any other node's HTTP step.
 */
import { nanoid } from 'nanoid';
import type { Keys, Redis } from './redis.ts';

export type Handlers = Record<string, (...args: never[]) => Promise<unknown>>;

interface Request {
	id: string;
	from: string;
	method: string;
	args: unknown[];
}

type Reply = { id: string; ok: true; result: unknown } | { id: string; ok: false; error: string };

/** The other node did not answer: it is down, or too busy to matter. */
export class NodeUnavailable extends Error {}

export class Rpc {
	private readonly pending = new Map<
		string,
		{ resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }
	>();

	constructor(
		private readonly redis: Redis,
		private readonly subscriber: Redis,
		private readonly keys: Keys,
		private readonly nodeId: string,
		private readonly handlers: Handlers,
		private readonly timeoutMs = 3000
	) {}

	async start(): Promise<void> {
		await this.subscriber.subscribe(this.keys.rpc(this.nodeId), (text) => void this.serve(text));
		await this.subscriber.subscribe(this.keys.reply(this.nodeId), (text) => this.settle(text));
	}

	async call<T>(nodeId: string, method: string, args: unknown[]): Promise<T> {
		const request: Request = { id: nanoid(), from: this.nodeId, method, args };
		const result = new Promise<unknown>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pending.delete(request.id);
				reject(new NodeUnavailable(`Node ${nodeId} did not answer ${method}`));
			}, this.timeoutMs);
			this.pending.set(request.id, { resolve, reject, timer });
		});
		const listeners = await this.redis.publish(this.keys.rpc(nodeId), JSON.stringify(request));
		if (listeners === 0) this.fail(request.id, new NodeUnavailable(`Node ${nodeId} is gone`));
		return result as Promise<T>;
	}

	stop(): void {
		for (const id of [...this.pending.keys()]) this.fail(id, new NodeUnavailable('Shutting down'));
	}

	private async serve(text: string): Promise<void> {
		let request: Request;
		try {
			request = JSON.parse(text) as Request;
		} catch {
			return;
		}
		let reply: Reply;
		const handler = Object.hasOwn(this.handlers, request.method)
			? this.handlers[request.method]
			: undefined;
		try {
			if (!handler) throw new Error(`Unknown call ${request.method}`);
			const result = await (handler as (...args: unknown[]) => Promise<unknown>)(...request.args);
			reply = { id: request.id, ok: true, result };
		} catch (error) {
			reply = {
				id: request.id,
				ok: false,
				error: error instanceof Error ? error.message : 'failed'
			};
		}
		await this.redis.publish(this.keys.reply(request.from), JSON.stringify(reply)).catch(() => {});
	}

	private settle(text: string): void {
		const reply = JSON.parse(text) as Reply;
		const waiting = this.pending.get(reply.id);
		if (!waiting) return;
		this.pending.delete(reply.id);
		clearTimeout(waiting.timer);
		if (reply.ok) waiting.resolve(reply.result);
		else waiting.reject(new Error(reply.error));
	}

	private fail(id: string, error: Error): void {
		const waiting = this.pending.get(id);
		if (!waiting) return;
		this.pending.delete(id);
		clearTimeout(waiting.timer);
		waiting.reject(error);
	}
}
