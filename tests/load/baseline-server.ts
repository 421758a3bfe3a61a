/**
 * The yardstick: a bare `ws` server (no compression, nothing else running) that sends a given
 * frame to every connected client with a plain loop. The coordinator starts it in its own
 * process after a scenario, has the same worker processes connect as many clients, and asks it
 * to send the very frame Quizroom sent (a question), with `opensAt` re-stamped just before each
 * loop. What Quizroom's fan-out costs beyond this is what the room server adds.
 *
 * Several rooms: one loop per room-sized group of clients, each stamped just before it runs.
 *
 * Then the same for a tick: Quizroom's tick frame, due once a second (per room, spread over
 * `spreadMs` as the rooms' hosts were), sent by a plain loop when its timer fires. Its
 * `questionIndex` carries the round and `remaining` the group, so a phone's receipt minus that
 * group's due time is the bare tick jitter: how late a tick reaches every phone with nothing
 * else to do but send it.
 *
 * IPC in: `{ type: 'send', frame, rounds, intervalMs, groupSize }`,
 * `{ type: 'ticks', frame, rounds, groupSize, spreadMs }`. Out: `{ type: 'listening', port }`,
 * `{ type: 'sent', loopMs: number[], clients }`, `{ type: 'ticked', dueAt: number[][] }` (epoch
 * ms, by round and group).
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

interface TicksCommand {
	type: 'ticks';
	/** Quizroom's tick frame: `{"type":"tick","questionIndex":0,"remaining":4}`. */
	frame: string;
	rounds: number;
	groupSize: number;
	spreadMs: number;
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

function tagged(frame: string, round: number, group: number): string {
	return frame
		.replace(/"questionIndex":\d+/, `"questionIndex":${round}`)
		.replace(/"remaining":\d+/, `"remaining":${group}`);
}

async function ticks({ frame, rounds, groupSize, spreadMs }: TicksCommand): Promise<void> {
	const clients = [...server.clients];
	const size = groupSize > 0 ? groupSize : clients.length;
	const groups = Math.ceil(clients.length / size);
	const start = Date.now() + 1000;
	const dueAt: number[][] = [];
	const sends: Promise<void>[] = [];
	for (let round = 0; round < rounds; round++) {
		dueAt.push([]);
		for (let group = 0; group < groups; group++) {
			// Each group's own timer, as each room has its own clock.
			const due = start + round * 1000 + Math.floor((group * spreadMs) / groups);
			dueAt[round]!.push(due);
			sends.push(
				new Promise((resolve) =>
					setTimeout(() => {
						const text = tagged(frame, round, group);
						const end = Math.min((group + 1) * size, clients.length);
						for (let i = group * size; i < end; i++) clients[i]!.send(text);
						resolve();
					}, due - Date.now())
				)
			);
		}
	}
	await Promise.all(sends);
	process.send!({ type: 'ticked', dueAt });
}

process.on('message', (command: SendCommand | TicksCommand) => {
	if (command.type === 'send') void send(command);
	if (command.type === 'ticks') void ticks(command);
});
process.on('disconnect', () => process.exit(0));
