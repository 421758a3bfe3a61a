import { describe, expect, test } from 'vitest';
import { EventLog } from './event-log.ts';

const ids = (events: { id: number }[] | null) => events?.map((e) => e.id) ?? null;

describe('EventLog', () => {
	test('numbers events 1, 2, 3… and hands back those after an id', () => {
		const log = new EventLog();
		for (const data of ['a', 'b', 'c', 'd']) log.append(data);
		expect(log.lastId).toBe(4);
		expect(ids(log.since(0))).toEqual([1, 2, 3, 4]);
		expect(log.since(2)?.map((e) => e.data)).toEqual(['c', 'd']);
		expect(log.since(4)).toEqual([]);
	});

	test('an id never handed out, or not a whole number, cannot be resumed from', () => {
		const log = new EventLog();
		log.append('a');
		expect(log.since(2)).toBeNull();
		expect(log.since(-1)).toBeNull();
		expect(log.since(0.5)).toBeNull();
	});

	test('keeps the newest events by count: a gap reaching back past them is null', () => {
		const log = new EventLog(3, 1000);
		for (let i = 1; i <= 5; i++) log.append(`event ${i}`);
		expect(log.size).toBe(3);
		expect(ids(log.since(2))).toEqual([3, 4, 5]);
		expect(log.since(1)).toBeNull();
		expect(log.since(0)).toBeNull();
	});

	test('keeps the newest events by size, but always the latest however big', () => {
		const log = new EventLog(100, 10);
		log.append('12345');
		log.append('67890');
		log.append('x');
		expect(ids(log.since(1))).toEqual([2, 3]);
		log.append('a very long snapshot of a full room');
		expect(log.size).toBe(1);
		expect(ids(log.since(3))).toEqual([4]);
		expect(log.since(2)).toBeNull();
	});

	test('acknowledged events are let go; asking for them again finds a gap', () => {
		const log = new EventLog();
		for (const data of ['a', 'b', 'c']) log.append(data);
		log.acknowledge(2);
		expect(log.size).toBe(1);
		expect(ids(log.since(2))).toEqual([3]);
		expect(log.since(1)).toBeNull();
		log.acknowledge(99);
		expect(log.size).toBe(0);
		expect(log.since(3)).toEqual([]);
		log.append('d');
		expect(ids(log.since(3))).toEqual([4]);
	});

	test('stays right over many evictions (compaction)', () => {
		const log = new EventLog(10, 1e9);
		for (let i = 1; i <= 1000; i++) log.append(String(i));
		expect(ids(log.since(995))).toEqual([996, 997, 998, 999, 1000]);
		expect(log.since(989)).toBeNull();
		expect(ids(log.since(990))?.length).toBe(10);
	});

	test('names the close event', () => {
		const log = new EventLog();
		log.append('{"code":4001}', 'close');
		expect(log.since(0)).toEqual([{ id: 1, event: 'close', data: '{"code":4001}' }]);
	});
});
