/**
 * A full disk is told apart from other failures by its codes, wherever it is in the causes; the
 * node says it in the log once a spell (again after a while if it lasts), names the directory
 * to free space on, and says when writes land again. Listeners hear both.
 */
import { describe, expect, test, vi } from 'vitest';
import { ANNOUNCE_AGAIN_MS, DiskSpace, isDiskFull } from './disk-full.ts';

const full = (code = 'SQLITE_FULL') =>
	Object.assign(new Error('database or disk is full'), { code });

function disk() {
	let now = 0;
	const log = { error: vi.fn(), log: vi.fn() };
	const space = new DiskSpace('/srv/quizroom/data', log, () => now);
	const changes: boolean[] = [];
	space.onChange((isFull) => changes.push(isFull));
	return { space, log, changes, wait: (ms: number) => (now += ms) };
}

describe('a full disk', () => {
	test('is SQLite’s SQLITE_FULL or a file’s ENOSPC or EDQUOT, also as a cause', () => {
		expect(isDiskFull(full())).toBe(true);
		expect(isDiskFull(full('ENOSPC'))).toBe(true);
		expect(isDiskFull(full('EDQUOT'))).toBe(true);
		expect(isDiskFull(new Error('saving failed', { cause: full('ENOSPC') }))).toBe(true);
		expect(isDiskFull(full('SQLITE_CORRUPT'))).toBe(false);
		expect(isDiskFull(new Error('disk on fire'))).toBe(false);
		expect(isDiskFull(undefined)).toBe(false);
		expect(isDiskFull('SQLITE_FULL')).toBe(false);
	});

	test('is said once with the directory to free space on, and once when writes land again', () => {
		const { space, log, changes } = disk();
		expect(space.refused(new Error('constraint failed'), 'a quiz')).toBe(false);
		expect(space.full).toBe(false);
		for (let i = 0; i < 1000; i++) expect(space.refused(full(), `answer ${i}`)).toBe(true);
		expect(space.full).toBe(true);
		expect(log.error).toHaveBeenCalledTimes(1);
		const [line] = log.error.mock.calls[0]!;
		expect(line).toContain('could not store answer 0');
		expect(line).toContain('Free space on /srv/quizroom/data');
		expect(line).toContain('saving resumes by itself');
		space.stored();
		space.stored();
		expect(space.full).toBe(false);
		expect(log.log.mock.calls).toEqual([
			['There is room on /srv/quizroom/data again: saving resumed']
		]);
		expect(changes).toEqual([true, false]);
	});

	test('a disk that fills again at once is not said again for a while, nor its end', () => {
		const { space, log, changes, wait } = disk();
		space.refused(full(), 'a game');
		space.stored();
		wait(ANNOUNCE_AGAIN_MS - 1);
		space.refused(full(), 'a game');
		space.stored();
		expect(log.error).toHaveBeenCalledTimes(1);
		expect(log.log).toHaveBeenCalledTimes(1);
		// Listeners hear every change: hosts see each.
		expect(changes).toEqual([true, false, true, false]);
		wait(1);
		space.refused(full(), 'a game');
		expect(log.error).toHaveBeenCalledTimes(2);
	});

	test('a listener that throws does not stop the others', () => {
		const { space, log, changes } = disk();
		space.onChange(() => {
			throw new Error('oops');
		});
		const again: boolean[] = [];
		space.onChange((isFull) => again.push(isFull));
		space.refused(full(), 'a game');
		expect(changes).toEqual([true]);
		expect(again).toEqual([true]);
		expect(log.error).toHaveBeenCalledTimes(2);
	});
});
