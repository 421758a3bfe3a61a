import { describe, expect, test } from 'vitest';
import { Outbox } from './outbox.ts';

const settle = () => new Promise((done) => setImmediate(done));

function later() {
	let land!: () => void;
	let fail!: (error: Error) => void;
	const landing = new Promise<void>((resolve, reject) => {
		land = resolve;
		fail = reject;
	});
	return { landing, land, fail };
}

describe('outbox', () => {
	test('with nothing to wait for, a frame goes out at once', () => {
		const outbox = new Outbox();
		const sent: string[] = [];
		outbox.send(() => sent.push('a'));
		expect(sent).toEqual(['a']);
		expect(outbox.holding).toBe(false);
	});

	test('frames queue behind a write and leave in order once it lands', async () => {
		const outbox = new Outbox();
		const sent: string[] = [];
		const first = later();
		const second = later();
		outbox.send(() => sent.push('before'));
		outbox.waitFor(first.landing);
		outbox.send(() => sent.push('ack 1'));
		outbox.waitFor(second.landing);
		outbox.send(() => sent.push('ack 2'));
		outbox.send(() => sent.push('reveal'));
		expect(sent).toEqual(['before']);

		// The later write landing first releases nothing: the earlier one still holds the line.
		second.land();
		await settle();
		expect(sent).toEqual(['before']);

		first.land();
		await settle();
		expect(sent).toEqual(['before', 'ack 1', 'ack 2', 'reveal']);
		expect(outbox.holding).toBe(false);
		outbox.send(() => sent.push('tick'));
		expect(sent.at(-1)).toBe('tick');
	});

	test('a failed write releases the frames behind it too', async () => {
		const outbox = new Outbox();
		const sent: string[] = [];
		const write = later();
		outbox.waitFor(write.landing);
		outbox.send(() => sent.push('ack'));
		write.fail(new Error('Redis is gone'));
		await settle();
		expect(sent).toEqual(['ack']);
	});

	test('a frame that throws does not strand the ones behind it', async () => {
		const outbox = new Outbox();
		const sent: string[] = [];
		const write = later();
		const errors = console.error;
		console.error = () => {};
		try {
			outbox.waitFor(write.landing);
			outbox.send(() => {
				throw new Error('socket gone');
			});
			outbox.send(() => sent.push('next'));
			write.land();
			await settle();
		} finally {
			console.error = errors;
		}
		expect(sent).toEqual(['next']);
	});
});
