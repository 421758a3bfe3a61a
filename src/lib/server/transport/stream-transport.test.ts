/**
 * The fallback's transport over a fake HTTP response and fake timers: what a resuming stream
 * gets (the events it missed, or a snapshot when they are gone), ticks not kept, the grace
 * period, a close heard by a stream that was away, POSTed lines and their numbers.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { EventLog } from './event-log.ts';
import type { Session } from './session.ts';
import { StreamTransport, STREAM_HEADERS } from './stream-transport.ts';

class FakeResponse extends EventEmitter {
	status = 0;
	headers: Record<string, string> = {};
	written = '';
	ended = false;
	writableLength = 0;
	socket = { setNoDelay: () => {} };
	writeHead(status: number, headers: Record<string, string>) {
		this.status = status;
		this.headers = headers;
	}
	write(text: string) {
		this.written += text;
		return true;
	}
	end() {
		this.ended = true;
		this.emit('close');
	}
	destroy() {
		this.emit('close');
	}
	cork() {}
	uncork() {}
	/** Data lines of the events written so far, with their ids. */
	events(): { id: number | null; event: string | null; data: string }[] {
		return this.written
			.split('\n\n')
			.filter((block) => block.includes('data: '))
			.map((block) => {
				const field = (name: string) =>
					block
						.split('\n')
						.find((line) => line.startsWith(`${name}: `))
						?.slice(name.length + 2) ?? null;
				const id = field('id');
				return { id: id === null ? null : Number(id), event: field('event'), data: field('data')! };
			});
	}
}

function setup(log = new EventLog()) {
	const calls = { resync: 0, closed: 0, finished: 0, forgotten: 0, frames: [] as string[] };
	const transport = new StreamTransport(
		'session-id',
		{ onFinished: () => calls.finished++, onForgotten: () => calls.forgotten++ },
		{ graceMs: 10_000, keepAliveMs: 15_000 },
		log
	);
	transport.session = {
		resync: () => {
			calls.resync++;
			transport.send('{"type":"state"}');
		},
		closed: () => calls.closed++,
		measure: () => {},
		receive: (line: string) => calls.frames.push(line)
	} as unknown as Session;
	return { transport, calls };
}

const attach = (transport: StreamTransport, lastEventId: number | null) => {
	const response = new FakeResponse();
	transport.attach(response as unknown as ServerResponse, lastEventId);
	return response;
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('StreamTransport', () => {
	test('streams with the no-buffering headers and an id on every frame that matters', () => {
		const { transport } = setup();
		const stream = attach(transport, null);
		expect(stream.status).toBe(200);
		expect(stream.headers).toEqual(STREAM_HEADERS);
		transport.send('{"type":"phase"}');
		transport.send('{"type":"tick"}', { droppable: true });
		expect(stream.events()).toEqual([
			{ id: 1, event: null, data: '{"type":"phase"}' },
			{ id: null, event: null, data: '{"type":"tick"}' }
		]);
	});

	test('a resumed stream gets exactly the events after Last-Event-ID; ticks are not kept', () => {
		const { transport, calls } = setup();
		const first = attach(transport, null);
		transport.send('one');
		transport.send('two');
		first.destroy();
		transport.send('three');
		transport.send('tick', { droppable: true });
		transport.send('four');
		const second = attach(transport, 2);
		expect(second.events().map((e) => [e.id, e.data])).toEqual([
			[3, 'three'],
			[4, 'four']
		]);
		expect(calls.resync).toBe(0);
	});

	test('a stream that missed more than the log keeps gets a fresh snapshot instead', () => {
		const { transport, calls } = setup(new EventLog(2, 1e6));
		attach(transport, null).destroy();
		for (const data of ['a', 'b', 'c', 'd']) transport.send(data);
		const stream = attach(transport, 1);
		expect(calls.resync).toBe(1);
		expect(stream.events()).toEqual([{ id: 5, event: null, data: '{"type":"state"}' }]);
	});

	test('a second stream replaces the first', () => {
		const { transport } = setup();
		const first = attach(transport, null);
		const second = attach(transport, 0);
		expect(first.ended).toBe(true);
		transport.send('x');
		expect(first.events()).toEqual([]);
		expect(second.events()).toHaveLength(1);
	});

	test('no stream for the grace period: gone for the room, and forgotten', () => {
		const { transport, calls } = setup();
		attach(transport, null).destroy();
		vi.advanceTimersByTime(9_000);
		expect(calls.closed).toBe(0);
		attach(transport, 0).destroy();
		vi.advanceTimersByTime(9_000);
		expect(calls.closed).toBe(0);
		vi.advanceTimersByTime(1_001);
		expect(calls).toMatchObject({ closed: 1, finished: 1, forgotten: 1 });
	});

	test('a session nobody ever streams is gone after the grace period too', () => {
		const { calls } = setup();
		vi.advanceTimersByTime(10_001);
		expect(calls).toMatchObject({ closed: 1, finished: 1, forgotten: 1 });
	});

	test('closed while away: the stream that comes back hears why, then it ends', () => {
		const { transport, calls } = setup();
		attach(transport, null).destroy();
		transport.send('{"type":"closed","reason":"kicked"}');
		transport.close(4001, 'Removed by the host');
		expect(calls).toMatchObject({ closed: 1, finished: 1, forgotten: 0 });
		transport.send('ignored: the session is over');
		const stream = attach(transport, 0);
		expect(stream.events()).toEqual([
			{ id: 1, event: null, data: '{"type":"closed","reason":"kicked"}' },
			{ id: 2, event: 'close', data: '{"code":4001,"reason":"Removed by the host"}' }
		]);
		expect(stream.ended).toBe(true);
		vi.advanceTimersByTime(10_001);
		expect(calls).toMatchObject({ closed: 1, finished: 1, forgotten: 1 });
	});

	test('a comment line keeps a quiet stream alive', () => {
		const { transport } = setup();
		const stream = attach(transport, null);
		vi.advanceTimersByTime(15_000);
		expect(stream.written).toContain(': keep-alive\n\n');
	});

	test('ticks are skipped for a stream that lags; one that stopped reading is cut', () => {
		const { transport } = setup();
		const stream = attach(transport, null);
		stream.writableLength = 100 * 1024;
		transport.send('tick', { droppable: true });
		expect(transport.ping(1)).toBe(false);
		expect(stream.events()).toEqual([]);
		stream.writableLength = 5 * 1024 * 1024;
		transport.send('phase');
		expect(transport.attached).toBe(false);
	});

	test('POSTed lines go to the session in order; a number seen before is not played again', () => {
		const { transport, calls } = setup();
		expect(transport.receive('a\nb\n\nc', 1, 4096)).toBe('ok');
		transport.receive('a\nb\nc', 1, 4096);
		transport.receive('d', 2, 4096);
		transport.receive('e', null, 4096);
		expect(calls.frames).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	test('a line over the frame limit closes the session (1009)', () => {
		const { transport, calls } = setup();
		expect(transport.receive(`a\n${'x'.repeat(5000)}\nb`, 1, 4096)).toBe('too-big');
		expect(calls.frames).toEqual(['a']);
		expect(transport.closedWith).toEqual({ code: 1009, reason: 'Frame too big' });
	});
});
