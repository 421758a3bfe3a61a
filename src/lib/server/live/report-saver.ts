/**
 * Saves game reports, and tries again while the store is unreachable (in cluster mode, Redis
 * restarting or cut off for a while): the report waits in memory and is retried with a growing
 * delay for up to a day. A newer report of the same game (a resumed game reaching its podium)
 * takes the waiting one's place. Other failures are not retried: they are logged.
 */
import type { GameRecord } from '../../game/record.ts';
import type { Clock } from './room.ts';
import { isStoreUnavailable } from '../storage/errors.ts';
import type { Storage } from '../storage/storage.ts';

export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 60_000;
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

interface Attempt {
	record: GameRecord;
	/** When the first try failed: retries stop a day after it. */
	since: number;
	delay: number;
	timer: unknown;
}

export class ReportSaver {
	/** The latest report of each game whose save has not succeeded yet. */
	private readonly waiting = new Map<string, Attempt>();

	constructor(
		private readonly storage: Pick<Storage, 'saveGame'>,
		private readonly clock: Clock,
		private readonly log: Pick<Console, 'error' | 'log'> = console
	) {}

	/** Reports still waiting for the store. */
	get waitingCount(): number {
		return this.waiting.size;
	}

	save(record: GameRecord): void {
		const earlier = this.waiting.get(record.id);
		if (earlier) this.clock.clearTimeout(earlier.timer);
		const attempt: Attempt = {
			record,
			since: this.clock.now(),
			delay: FIRST_RETRY_MS,
			timer: null
		};
		this.waiting.set(record.id, attempt);
		this.try(attempt);
	}

	private try(attempt: Attempt): void {
		const { id, pin } = attempt.record;
		let saving: Promise<void>;
		try {
			saving = this.storage.saveGame(attempt.record);
		} catch (error) {
			saving = Promise.reject(error);
		}
		saving.then(
			() => {
				if (this.waiting.get(id) !== attempt) return;
				this.waiting.delete(id);
				if (attempt.delay > FIRST_RETRY_MS)
					this.log.log(`Saved the report of game ${pin} after all`);
			},
			(error: unknown) => {
				// A newer report of this game took over meanwhile: it is the one to save.
				if (this.waiting.get(id) !== attempt) return;
				const waited = this.clock.now() - attempt.since;
				if (!isStoreUnavailable(error) || waited >= GIVE_UP_AFTER_MS) {
					this.waiting.delete(id);
					this.log.error(`Could not save the report of game ${pin}`, error);
					return;
				}
				if (attempt.delay === FIRST_RETRY_MS) {
					this.log.error(`The store is unreachable: the report of game ${pin} waits, retrying`);
				}
				attempt.timer = this.clock.setTimeout(() => this.try(attempt), attempt.delay);
				attempt.delay = Math.min(attempt.delay * 2, MAX_RETRY_MS);
			}
		);
	}
}
