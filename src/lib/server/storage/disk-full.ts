/**
 * A full disk: a write refused for lack of space (SQLite's `SQLITE_FULL`, a file's `ENOSPC` or
 * `EDQUOT`). SQLite rolls the refused transaction back whole, so nothing already stored is
 * touched; what was not stored waits in memory, and is written again once there is room.
 *
 * `DiskSpace` is what this node knows of its data directory's disk, from its own writes: full
 * since a write was refused, free again at the next write that lands. It says so in the log
 * once each way (with the directory to free space on), not once per refused write: an answer
 * burst on a full disk is thousands of them. The game service tells hosts (`onChange`).
 */

const FULL_CODES: ReadonlySet<unknown> = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

/** The error, or one it was caused by, says the disk is full. */
export function isDiskFull(error: unknown): boolean {
	for (let depth = 0; depth < 5 && typeof error === 'object' && error !== null; depth++) {
		if (FULL_CODES.has((error as { code?: unknown }).code)) return true;
		error = (error as { cause?: unknown }).cause;
	}
	return false;
}

/** A full disk is announced again at most this often while writes keep being refused. */
export const ANNOUNCE_AGAIN_MS = 5 * 60_000;

export class DiskSpace {
	/** A write was refused for lack of space, and none has landed since. */
	full = false;
	private announcedAt = -Infinity;
	/** This spell of a full disk was said in the log (its end is said too). */
	private announced = false;
	private readonly listeners = new Set<(full: boolean) => void>();

	constructor(
		/** The data directory: where space must be freed. */
		readonly dir: string,
		private readonly log: Pick<Console, 'error' | 'log'> = console,
		private readonly now: () => number = Date.now
	) {}

	/** Told when the disk is found full, and when a write lands again; returns the unsubscribe. */
	onChange(listener: (full: boolean) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * A write of `what` failed. True if for lack of space: then the disk is full (said in the log
	 * the first time); false for any other failure, which the caller reports itself.
	 */
	refused(error: unknown, what: string): boolean {
		if (!isDiskFull(error)) return false;
		const now = this.now();
		if (!this.full && now - this.announcedAt >= ANNOUNCE_AGAIN_MS) {
			this.announcedAt = now;
			this.announced = true;
			this.log.error(
				`The disk is full: could not store ${what}. Games go on, but answers, games in progress ` +
					`and reports are not saved until there is room. Free space on ${this.dir} ` +
					`(see df -h ${this.dir}); saving resumes by itself.`
			);
		}
		if (!this.full) {
			this.full = true;
			this.tell(true);
		}
		return true;
	}

	/** A write landed: if the disk was full, it has room again. */
	stored(): void {
		if (!this.full) return;
		this.full = false;
		if (this.announced) this.log.log(`There is room on ${this.dir} again: saving resumed`);
		this.announced = false;
		this.tell(false);
	}

	private tell(full: boolean): void {
		for (const listener of this.listeners) {
			try {
				listener(full);
			} catch (error) {
				this.log.error('Could not pass on a change of disk space', error);
			}
		}
	}
}
