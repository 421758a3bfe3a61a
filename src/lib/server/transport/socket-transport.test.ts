/**
 * Frames written straight onto the TCP socket, as a real `ws` client reads them: every length
 * class of the header, the same text to several sockets, and `ws`'s own pings in between.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SocketTransport, textFrame } from './socket-transport.ts';

let server: WebSocketServer | null = null;

afterEach(async () => {
	await new Promise((done) => server?.close(done) ?? done(undefined));
	server = null;
});

/** A server whose connections come as transports, and `count` clients recording what they get. */
async function connect(count: number) {
	server = new WebSocketServer({ port: 0, perMessageDeflate: false });
	await new Promise((listening) => server!.once('listening', listening));
	const port = (server.address() as AddressInfo).port;
	const transports: SocketTransport[] = [];
	const sockets: WebSocket[] = [];
	server.on('connection', (socket) => {
		sockets.push(socket);
		transports.push(new SocketTransport(socket));
	});
	const clients = await Promise.all(
		Array.from({ length: count }, async () => {
			const socket = new WebSocket(`ws://127.0.0.1:${port}`);
			const received: string[] = [];
			let pings = 0;
			socket.on('message', (data, binary) => {
				expect(binary).toBe(false);
				received.push(data.toString());
			});
			socket.on('ping', () => received.push(`ping ${++pings}`));
			await new Promise((open) => socket.once('open', open));
			return { socket, received };
		})
	);
	while (transports.length < count) await new Promise((later) => setTimeout(later, 5));
	return { transports, sockets, clients };
}

test('texts of every length reach a ws client whole and in order, pings between them', async () => {
	const { transports, clients } = await connect(1);
	const [transport] = transports;
	const texts = ['hi', 'é'.repeat(100), 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(70_000)];
	transport!.send(texts[0]!);
	transport!.ping(1);
	for (const text of texts.slice(1)) transport!.send(text);
	const { received } = clients[0]!;
	await expect.poll(() => received.length).toBe(texts.length + 1);
	expect(received).toEqual([texts[0], 'ping 1', ...texts.slice(1)]);
	clients[0]!.socket.close();
});

test('a broadcast is framed once and every socket gets it', async () => {
	const { transports, sockets, clients } = await connect(3);
	const text = JSON.stringify({ type: 'tick', remaining: 3 });
	expect(textFrame(text)).toBe(textFrame(text));
	// Straight onto the TCP socket: `ws`'s own send (a header and a payload per socket) unused.
	const wsSends = sockets.map((socket) => vi.spyOn(socket, 'send'));
	for (const transport of transports) transport.send(text);
	for (const send of wsSends) expect(send).not.toHaveBeenCalled();
	for (const { received } of clients) await expect.poll(() => received).toEqual([text]);
	for (const { socket } of clients) socket.close();
});

test('nothing goes to a socket that is closing', async () => {
	const { transports, clients } = await connect(1);
	const closed = new Promise((done) => clients[0]!.socket.once('close', done));
	transports[0]!.close(1000, 'bye');
	transports[0]!.send('too late');
	await closed;
	expect(clients[0]!.received).toEqual([]);
});
