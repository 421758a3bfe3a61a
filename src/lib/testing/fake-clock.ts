/**
 * A clock for tests that only moves when told to, firing due timers in order, each at its own
 * time. Shared by the room and game service tests.
 */
import type { Clock } from '../server/live/room.ts';

export class FakeClock implements Clock {
	private nextId = 1;
	private readonly timers = new Map<number, { at: number; callback: () => void }>();

	constructor(private time = 1_700_000_000_000) {}

	now(): number {
		return this.time;
	}

	setTimeout(callback: () => void, ms: number): unknown {
		const id = this.nextId++;
		this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
		return id;
	}

	clearTimeout(handle: unknown): void {
		this.timers.delete(handle as number);
	}

	get pending(): number {
		return this.timers.size;
	}

	advance(ms: number): void {
		const until = this.time + ms;
		for (;;) {
			let dueId: number | null = null;
			let dueAt = Infinity;
			for (const [id, timer] of this.timers) {
				if (timer.at <= until && timer.at < dueAt) {
					dueId = id;
					dueAt = timer.at;
				}
			}
			if (dueId === null) break;
			const timer = this.timers.get(dueId)!;
			this.timers.delete(dueId);
			this.time = timer.at;
			timer.callback();
		}
		this.time = until;
	}
}
