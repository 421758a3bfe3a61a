import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit } from './group-commit.ts';

const WINDOW = 5;

describe('GroupCommit', () => {
	let now: number;
	let committed: string[][];
	let failing: Set<string>;
	let errors: string[];
	let commits: GroupCommit;

	/** A transaction that keeps its rows only if none of its writes threw. */
	function transaction(work: () => void): void {
		const rows: string[] = [];
		current = rows;
		try {
			work();
			committed.push(rows);
		} finally {
			current = null;
		}
	}
	let current: string[] | null = null;
	const batch = (label: string) => ({
		label,
		write: () => {
			if (failing.has(label)) throw new Error(`${label} broke`);
			current!.push(label);
		}
	});

	beforeEach(() => {
		vi.useFakeTimers();
		now = 1000;
		committed = [];
		failing = new Set();
		errors = [];
		commits = new GroupCommit({
			transaction,
			windowMs: WINDOW,
			now: () => now,
			onError: (label) => errors.push(label)
		});
	});
	afterEach(() => vi.useRealTimers());

	it('commits at once when nothing was committed within the window, and returns nothing', () => {
		expect(commits.add(batch('room A'))).toBeUndefined();
		expect(committed).toEqual([['room A']]);
		now += WINDOW;
		expect(commits.add(batch('room B'))).toBeUndefined();
		expect(committed).toEqual([['room A'], ['room B']]);
	});

	it('a burst within the window waits for one shared commit, which settles every promise', async () => {
		commits.add(batch('room A'));
		now += 1;
		const second = commits.add(batch('room B'));
		const third = commits.add(batch('room C'));
		expect(second).toBeInstanceOf(Promise);
		expect(third).toBe(second);
		expect(committed).toEqual([['room A']]);
		let settled = false;
		void second!.then(() => (settled = true));

		now += WINDOW - 2;
		await vi.advanceTimersByTimeAsync(WINDOW - 2);
		expect(settled).toBe(false);
		now += 1;
		await vi.advanceTimersByTimeAsync(1);
		expect(committed).toEqual([['room A'], ['room B', 'room C']]);
		expect(settled).toBe(true);
	});

	it('flush commits what waits at once (before another write), and settles its promise', async () => {
		commits.add(batch('room A'));
		const waiting = commits.add(batch('room B'));
		commits.flush();
		expect(committed).toEqual([['room A'], ['room B']]);
		await expect(waiting).resolves.toBeUndefined();
		// Nothing left: the timer is gone and a second flush commits nothing.
		commits.flush();
		await vi.runAllTimersAsync();
		expect(committed).toHaveLength(2);
	});

	it('one room’s failing write costs only that room its answers, and is logged', async () => {
		commits.add(batch('room A'));
		failing.add('room C');
		const waiting = commits.add(batch('room B'));
		commits.add(batch('room C'));
		commits.add(batch('room D'));
		now += WINDOW;
		await vi.runAllTimersAsync();
		await expect(waiting).resolves.toBeUndefined();
		expect(committed).toEqual([['room A'], ['room B'], ['room D']]);
		expect(errors).toEqual(['room C']);
	});

	it('a write committed at once throws when it fails, for the caller to report', () => {
		failing.add('room A');
		expect(() => commits.add(batch('room A'))).toThrow('room A broke');
		expect(committed).toEqual([]);
	});
});
