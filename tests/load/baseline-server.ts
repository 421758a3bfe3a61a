/**
 * The yardstick: a bare `ws` server (no compression, nothing else running) that sends a given
 * frame to every connected client with a plain loop. The coordinator starts it in its own
 * process after a scenario, has the same worker processes connect as many clients, and asks it
 * to send the very frame Quizroom sent (a question), with `opensAt` re-stamped just before each
 * loop. What Quizroom's fan-out costs beyond this is what the room server adds.
 *
 * Several rooms: one loop per room-sized group of clients, each stamped just before it runs.
 *
 * IPC in: `{ type: 'send', frame, rounds, intervalMs, groupSize }`. Out: `{ type: 'listening', port }`,
 * `{ type: 'sent', loopMs: number[], clients }`.
 */
import { WebSocketServer } from 'ws';

interface SendCommand {
	type: 'send';
	frame: string;
	rounds: number;
	intervalMs: number;
	/** Clients per loop, each loop stamped on its own, like rooms of this size; 0: one loop. */
	groupSize: number;
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });

server.on('listening', () => {
	const address = server.address();
	process.send!({
		type: 'listening',
		port: typeof address === 'object' && address ? address.port : 0
	});
});

/** Same length as the original: a 13-digit epoch-milliseconds stamp replaces another. */
function stamped(frame: string, now: number, limitMs: number): string {
	return frame
		.replace(/"opensAt":\d+/, `"opensAt":${now}`)
		.replace(/"closesAt":\d+/, `"closesAt":${now + limitMs}`);
}

async function send({ frame, rounds, intervalMs, groupSize }: SendCommand): Promise<void> {
	const opens = /"opensAt":(\d+)/.exec(frame);
	const closes = /"closesAt":(\d+)/.exec(frame);
	const limitMs = opens && closes ? Number(closes[1]) - Number(opens[1]) : 0;
	const loopMs: number[] = [];
	for (let i = 0; i < rounds; i++) {
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
		const startedAt = performance.now();
		const clients = [...server.clients];
		const size = groupSize > 0 ? groupSize : clients.length;
		for (let from = 0; from < clients.length; from += size) {
			const text = stamped(frame, Date.now(), limitMs);
			for (let i = from; i < Math.min(from + size, clients.length); i++) clients[i]!.send(text);
		}
		loopMs.push(performance.now() - startedAt);
	}
	process.send!({ type: 'sent', loopMs, clients: server.clients.size });
}

process.on('message', (command: SendCommand) => {
	if (command.type === 'send') void send(command);
});
process.on('disconnect', () => process.exit(0));
