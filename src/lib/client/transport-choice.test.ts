import { describe, expect, test } from 'vitest';
import { liveAddresses } from './live-addresses.ts';
import { EventStreamParser, type StreamEvent } from './event-stream.ts';
import { forcedTransport, networkFailure, TransportChoice } from './transport-choice.ts';

describe('TransportChoice', () => {
	test('starts on WebSocket; two failures in a row swap to the fallback, and back', () => {
		const choice = new TransportChoice(null, true);
		expect(choice.current).toBe('ws');
		choice.failed();
		expect(choice.current).toBe('ws');
		choice.failed();
		expect(choice.current).toBe('sse');
		expect(choice.probing).toBe(true);
		choice.failed();
		choice.failed();
		expect(choice.current).toBe('ws');
	});

	test('a link that worked in between resets the count', () => {
		const choice = new TransportChoice(null, true);
		choice.failed();
		choice.worked();
		choice.failed();
		expect(choice.current).toBe('ws');
	});

	test('without WebSocket in the browser: the fallback, for good, with nothing to probe', () => {
		const choice = new TransportChoice(null, false);
		expect(choice.current).toBe('sse');
		for (let i = 0; i < 5; i++) choice.failed();
		expect(choice.current).toBe('sse');
		expect(choice.probing).toBe(false);
	});

	test('a forced transport stays, whatever fails', () => {
		for (const forced of ['ws', 'sse'] as const) {
			const choice = new TransportChoice(forced, true);
			for (let i = 0; i < 5; i++) choice.failed();
			expect(choice.current).toBe(forced);
			expect(choice.probing).toBe(false);
		}
	});

	test("a game that moved to another node: the dead node's failures are forgiven", () => {
		const choice = new TransportChoice(null, true);
		choice.failed();
		choice.failed();
		expect(choice.current).toBe('sse');
		choice.failed();
		// Another node took the game over: the network never blocked WebSockets.
		choice.moved();
		expect(choice.current).toBe('ws');
		choice.failed();
		expect(choice.current).toBe('ws');
	});

	test('a phone that needed the fallback before its node died keeps it on the new node', () => {
		const choice = new TransportChoice(null, true);
		choice.failed();
		choice.failed();
		choice.seated();
		expect(choice.current).toBe('sse');
		choice.failed();
		choice.failed();
		expect(choice.current).toBe('ws');
		choice.moved();
		expect(choice.current).toBe('sse');
	});

	test('a WebSocket that gets through in the background brings it back', () => {
		const choice = new TransportChoice(null, true);
		choice.failed();
		choice.failed();
		choice.socketsWork();
		expect(choice.current).toBe('ws');
		choice.failed();
		expect(choice.current).toBe('ws');
	});
});

describe('networkFailure', () => {
	test('never opened, or cut without a close frame soon after: the network', () => {
		expect(networkFailure(null, null)).toBe(true);
		expect(networkFailure(1006, null)).toBe(true);
		expect(networkFailure(1006, 2000)).toBe(true);
		expect(networkFailure(null, 4999)).toBe(true);
	});

	test('cut after a good while, or closed by the server: not the network', () => {
		expect(networkFailure(1006, 5000)).toBe(false);
		expect(networkFailure(null, 60_000)).toBe(false);
		expect(networkFailure(1012, 100)).toBe(false);
		expect(networkFailure(1008, null)).toBe(false);
		expect(networkFailure(1000, 100)).toBe(false);
	});
});

describe('forcedTransport', () => {
	test('reads ?transport=ws or sse, nothing else', () => {
		expect(forcedTransport('?transport=sse')).toBe('sse');
		expect(forcedTransport('?a=1&transport=ws')).toBe('ws');
		expect(forcedTransport('?transport=poll')).toBeNull();
		expect(forcedTransport('')).toBeNull();
	});
});

describe('liveAddresses', () => {
	const http = { protocol: 'http:', host: 'quiz.lan:3000' };
	const https = { protocol: 'https:', host: 'quiz.example.org' };

	test('a path on this host: the socket by the page protocol, the fallback on the same path', () => {
		expect(liveAddresses('/ws', http)).toEqual({ socket: 'ws://quiz.lan:3000/ws', http: '/ws' });
		expect(liveAddresses('/n/2/ws/', https)).toEqual({
			socket: 'wss://quiz.example.org/n/2/ws',
			http: '/n/2/ws'
		});
	});

	test('an absolute address of either kind gives both', () => {
		const both = { socket: 'wss://node2.example.org/ws', http: 'https://node2.example.org/ws' };
		expect(liveAddresses('wss://node2.example.org/ws', http)).toEqual(both);
		expect(liveAddresses('https://node2.example.org/ws', http)).toEqual(both);
		expect(liveAddresses('http://10.0.0.5:3001/n/1/ws', https)).toEqual({
			socket: 'ws://10.0.0.5:3001/n/1/ws',
			http: 'http://10.0.0.5:3001/n/1/ws'
		});
	});
});

describe('EventStreamParser', () => {
	test('reads events split anywhere across chunks, skipping comments', () => {
		const events: StreamEvent[] = [];
		const parser = new EventStreamParser((event) => events.push(event));
		const text =
			': stream open\n\nid: 1\ndata: {"a":1}\n\ndata: {"tick":1}\n\nid: 2\r\nevent: close\r\ndata: {"code":4001}\r\n\r\n';
		for (let i = 0; i < text.length; i += 3) parser.push(text.slice(i, i + 3));
		expect(events).toEqual([
			{ id: '1', event: 'message', data: '{"a":1}' },
			{ id: null, event: 'message', data: '{"tick":1}' },
			{ id: '2', event: 'close', data: '{"code":4001}' }
		]);
	});

	test('joins multi-line data; an event without data is nothing', () => {
		const events: StreamEvent[] = [];
		const parser = new EventStreamParser((event) => events.push(event));
		parser.push('data: one\ndata:two\n\nid: 9\n\n');
		expect(events).toEqual([{ id: null, event: 'message', data: 'one\ntwo' }]);
	});
});
