/**
 * The local cluster's proxy (scripts/cluster/proxy.ts) when a node dies under a live socket:
 * the phone must see a cut connection, as it would without a proxy, never bytes that are not
 * WebSocket frames (an HTTP 502 written into the stream reads as a broken frame and throws).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startProxy, type Proxy } from '../../scripts/cluster/proxy.ts';

const closing: { close(): unknown }[] = [];
afterEach(async () => {
	for (const thing of closing.splice(0)) await thing.close();
});

/** A WebSocket node that says hello, then dies on request with a TCP reset (as under SIGKILL). */
async function dyingNode(): Promise<{ port: number; die(): void }> {
	const sockets = new Set<Socket>();
	const wss = new WebSocketServer({ noServer: true });
	const web = createServer();
	web.on('upgrade', (request, socket, head) => {
		sockets.add(socket as Socket);
		wss.handleUpgrade(request, socket, head, (ws) => ws.send('hello'));
	});
	await new Promise<void>((done) => web.listen(0, '127.0.0.1', done));
	closing.push({ close: () => new Promise((done) => web.close(done)) });
	const address = web.address();
	return {
		port: typeof address === 'object' && address ? address.port : 0,
		die: () => {
			for (const socket of sockets) socket.resetAndDestroy();
		}
	};
}

test('a node reset under a live socket: the phone sees a cut, not a 502 inside the stream', async () => {
	const node = await dyingNode();
	const proxy: Proxy = await startProxy(
		() => [{ id: 'n1', host: '127.0.0.1', port: node.port }],
		0,
		'127.0.0.1'
	);
	closing.push(proxy);
	const phone = new WebSocket(`ws://127.0.0.1:${proxy.port}/n/n1/ws`);
	const errors: Error[] = [];
	phone.on('error', (error) => errors.push(error));
	const [hello] = (await once(phone, 'message')) as [Buffer];
	expect(String(hello)).toBe('hello');

	node.die();
	const [code] = (await once(phone, 'close')) as [number];
	expect(code).toBe(1006);
	expect(errors.map((error) => error.message)).toEqual([]);
});
