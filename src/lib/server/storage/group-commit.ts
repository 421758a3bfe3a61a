/**
 * Answers and phase-change saves from every room, committed together.
 *
 * A commit costs about 50 µs, an inserted answer a tenth of that. Each room stores its answers
 * once per event-loop turn, but in a burst a turn holds one or two answers, and 200 rooms
 * answering at once meant 200 commits in the same turn. Here a commit happens at once when
 * none happened in the last `windowMs`; otherwise the writes wait (at most `windowMs`) for the
 * next one, together with every other room's. A waiting write returns a promise that settles
 * once it is committed: the room holds the answer's acknowledgement (and every frame after it)
 * until then, so a phone is never told its answer is stored before it is on disk. A batch the
 * disk refused (full) is told so (`failed`), and its acknowledgement says "not stored".
 */
export interface Batch {
	/** Whose writes these are, for the log if they fail. */
	label: string;
	write(): void;
	/** They were not stored (already rolled back). */
	failed?(): void;
}

export interface GroupCommitOptions {
	/** Runs `work` in one transaction. */
	transaction(work: () => void): void;
	windowMs: number;
	now?: () => number;
	onError?: (label: string, error: unknown) => void;
}

export class GroupCommit {
	private pending: Batch[] = [];
	private settle: (() => void) | null = null;
	private landing: Promise<void> | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private lastCommitAt = -Infinity;
	private readonly now: () => number;

	constructor(private readonly options: GroupCommitOptions) {
		this.now = options.now ?? (() => performance.now());
	}

	/**
	 * Commits `batch` now (throwing if it fails), or queues it for the next group commit and
	 * returns a promise that settles once that is done. The promise never rejects: a failed
	 * write is logged and its batch told (`failed`), and the game goes on (only a restart would
	 * miss those answers).
	 */
	add(batch: Batch): void | Promise<void> {
		if (this.timer === null && this.now() - this.lastCommitAt >= this.options.windowMs) {
			this.lastCommitAt = this.now();
			this.commitNow(batch);
			return;
		}
		this.pending.push(batch);
		this.landing ??= new Promise((resolve) => (this.settle = resolve));
		this.timer ??= setTimeout(
			() => this.flush(),
			Math.max(0, this.lastCommitAt + this.options.windowMs - this.now())
		);
		return this.landing;
	}

	/** Commits what waits, then `batch` on its own, now; throws if `batch` fails. */
	commitNow(batch: Batch): void {
		this.flush();
		try {
			this.options.transaction(() => batch.write());
		} catch (error) {
			batch.failed?.();
			throw error;
		}
	}

	/** Commits what waits now: before any other write, so writes land in the order made. */
	flush(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
		const batches = this.pending;
		const settle = this.settle;
		this.pending = [];
		this.settle = null;
		this.landing = null;
		if (batches.length === 0) return;
		this.lastCommitAt = this.now();
		try {
			this.options.transaction(() => {
				for (const batch of batches) batch.write();
			});
		} catch {
			// One room's bad write must not cost the others theirs: each again on its own.
			for (const batch of batches) {
				try {
					this.options.transaction(() => batch.write());
				} catch (error) {
					batch.failed?.();
					(this.options.onError ?? logFailure)(batch.label, error);
				}
			}
		} finally {
			settle?.();
		}
	}
}

function logFailure(label: string, error: unknown): void {
	console.error(`Could not store ${label}`, error);
}
