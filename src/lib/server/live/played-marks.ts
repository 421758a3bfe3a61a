/**
 * "Last played" stamps on quizzes, one store write per quiz at a time. A class's 200 games of
 * one quiz started together (or one game's two stamps, intro and opening) make one write and
 * a follow-up with the latest time, not 200 updates of one row at the moment the questions go
 * out: with PostgreSQL those queued on the row's lock, filled the pool and had it open new
 * connections in the middle of the answer burst (the 200-room bench's acknowledgements p99
 * 155 → 590 ms).
 */
import type { DiskSpace } from '../storage/disk-full.ts';

export interface PlayedStore {
	markQuizPlayed(id: string, at: number): Promise<void>;
}

export class PlayedMarks {
	/** The latest time not yet sent, by quiz. */
	private readonly waiting = new Map<string, number>();
	private readonly sending = new Set<string>();

	constructor(
		private readonly store: PlayedStore,
		/** This node's disk: a full one says so in the log once, not here at every stamp. */
		private readonly disk?: Pick<DiskSpace, 'refused'>
	) {}

	/** Not awaited by the game: a failure is only logged. */
	mark(quizId: string, at: number): void {
		this.waiting.set(quizId, Math.max(at, this.waiting.get(quizId) ?? at));
		if (!this.sending.has(quizId)) void this.send(quizId);
	}

	/** Resolves once nothing is waiting or on its way (tests, shutdown). */
	async settled(): Promise<void> {
		while (this.sending.size > 0) await new Promise((resolve) => setTimeout(resolve, 1));
	}

	private async send(quizId: string): Promise<void> {
		this.sending.add(quizId);
		try {
			for (let at = this.waiting.get(quizId); at !== undefined; at = this.waiting.get(quizId)) {
				this.waiting.delete(quizId);
				try {
					await this.store.markQuizPlayed(quizId, at);
				} catch (error) {
					// Only a stamp: not tried again.
					if (!this.disk?.refused(error, `the "last played" stamp of quiz ${quizId}`)) {
						console.error(`Could not mark quiz ${quizId} played`, error);
					}
				}
			}
		} finally {
			this.sending.delete(quizId);
		}
	}
}
