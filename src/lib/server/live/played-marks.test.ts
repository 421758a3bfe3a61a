import { describe, expect, it, vi } from 'vitest';
import { DiskSpace } from '../storage/disk-full.ts';
import { PlayedMarks } from './played-marks.ts';

describe('PlayedMarks', () => {
	it('a stamp a full disk refused is said by the disk, once, not at every stamp', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const log = { error: vi.fn(), log: vi.fn() };
		const disk = new DiskSpace('/data', log);
		const marks = new PlayedMarks(
			{
				markQuizPlayed: async () => {
					throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
				}
			},
			disk
		);
		for (const quiz of ['capitals', 'rivers', 'flags']) marks.mark(quiz, 1_000);
		await marks.settled();
		expect(disk.full).toBe(true);
		expect(log.error).toHaveBeenCalledTimes(1);
		expect(logged).not.toHaveBeenCalled();
		logged.mockRestore();
	});

	it('sends one quiz’s stamps one at a time, the waiting ones as one with the latest time', async () => {
		const writes: [string, number][] = [];
		let release: () => void = () => {};
		const marks = new PlayedMarks({
			markQuizPlayed: (id, at) => {
				writes.push([id, at]);
				return new Promise((resolve) => (release = resolve));
			}
		});
		// 200 games of one quiz start in the same moment, each stamping twice.
		for (let game = 0; game < 200; game++) {
			marks.mark('capitals', 1_000 + game);
			marks.mark('capitals', 1_000 + game);
		}
		expect(writes).toEqual([['capitals', 1_000]]);
		release();
		await vi.waitFor(() => expect(writes).toHaveLength(2));
		expect(writes[1]).toEqual(['capitals', 1_199]);
		release();
		await marks.settled();
		expect(writes).toHaveLength(2);
	});

	it('does not hold one quiz behind another', () => {
		const writes: string[] = [];
		const marks = new PlayedMarks({
			markQuizPlayed: (id) => {
				writes.push(id);
				return new Promise(() => {});
			}
		});
		marks.mark('capitals', 1);
		marks.mark('fractions', 1);
		expect(writes).toEqual(['capitals', 'fractions']);
	});

	it('logs a store that fails and goes on with the next stamp', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const writes: number[] = [];
		const marks = new PlayedMarks({
			markQuizPlayed: async (_id, at) => {
				writes.push(at);
				if (at === 1) throw new Error('database away');
			}
		});
		marks.mark('capitals', 1);
		marks.mark('capitals', 2);
		await marks.settled();
		expect(writes).toEqual([1, 2]);
		expect(error).toHaveBeenCalledWith('Could not mark quiz capitals played', expect.any(Error));
		error.mockRestore();
	});
});
