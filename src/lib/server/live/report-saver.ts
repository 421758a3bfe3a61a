/**
 * Saves game reports. A report is first written to this node's own SQLite (`held`), then sent
 * to the record store (PostgreSQL), and let go of once the store has it. While the store is
 * unreachable the report waits on disk and is tried again with a growing delay (5 s doubling
 * to a minute), for as long as it takes; a restart sends every report still held. A newer
 * report of the same game (a resumed game reaching its podium) takes the waiting one's place.
 * A store that refuses a report for another reason is not asked again until the next start:
 * logged, and the report stays held.
 *
 * Held before the first try rather than at its failure: a try can take long to fail (a database
 * cut off by the network answers nothing until the connection times out), and a node that dies
 * meanwhile would lose a report that was only in memory. That costs one local write per game
 * (about a third of what saving the report in SQLite costs: 52 ms for 2,000 players × 20
 * questions). Where the record store is that same SQLite file (`holdFirst` false: a laptop, no
 * DATABASE_URL) the save is itself a local write, done before `saveGame` returns, and a hold
 * would only copy it: the report is held only if the store refuses it.
 *
 * A full disk (this node's, where the record is local SQLite) is waited out the same way: the
 * report stays in memory (and on disk, if it was held before), the host is told it cannot be
 * saved yet (`disk-full`), it is tried again with the same growing delay, and at once when a
 * write finds room again (`retryNow`). The disk says it is full in the log once, not per report.
 */
import type { GameRecord } from '../../game/record.ts';
import type { ReportStatus } from '../../protocol/messages.ts';
import type { Clock } from './room.ts';
import { isDiskFull, type DiskSpace } from '../storage/disk-full.ts';
import { isStoreUnavailable } from '../storage/errors.ts';
import type { LiveRooms } from '../storage/live-rooms.ts';
import type { Storage } from '../storage/storage.ts';

export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 60_000;

export interface ReportSaverSetup {
	store: Pick<Storage, 'saveGame'>;
	/** The node's own store, where a report waits until the record store has it. */
	held: Pick<LiveRooms, 'holdReport' | 'heldReports' | 'releaseReport'>;
	clock: Clock;
	/** The first retry's delay (REPORT_RETRY_MS); it doubles up to a minute (or this, if more). */
	firstRetryMs?: number;
	/** Held before the store is asked (default); false: only once the store failed to take it. */
	holdFirst?: boolean;
	log?: Pick<Console, 'error' | 'log'>;
	/** This node's disk: told of writes it refused for lack of space, and of writes that landed. */
	disk?: Pick<DiskSpace, 'refused' | 'stored'>;
	/** Each step of a report's save: the host's podium shows it. */
	onStatus?: (report: GameRecord, status: ReportStatus) => void;
}

interface Attempt {
	record: GameRecord;
	delay: number;
	timer: unknown;
	/** The store was found unreachable for this report (logged once). */
	waited: boolean;
	/** What the host was last told. */
	status: ReportStatus;
	/** On this node's disk (else held at its first failure). */
	held: boolean;
}

export class ReportSaver {
	/** The latest report of each game whose save has not succeeded yet. */
	private readonly waiting = new Map<string, Attempt>();
	private readonly store: ReportSaverSetup['store'];
	private readonly held: ReportSaverSetup['held'];
	private readonly clock: Clock;
	private readonly firstRetryMs: number;
	private readonly maxRetryMs: number;
	private readonly holdFirst: boolean;
	private readonly log: Pick<Console, 'error' | 'log'>;
	private readonly disk: ReportSaverSetup['disk'];
	private readonly onStatus: NonNullable<ReportSaverSetup['onStatus']>;

	constructor(setup: ReportSaverSetup) {
		this.store = setup.store;
		this.held = setup.held;
		this.clock = setup.clock;
		this.firstRetryMs = setup.firstRetryMs ?? FIRST_RETRY_MS;
		this.maxRetryMs = Math.max(MAX_RETRY_MS, this.firstRetryMs);
		this.holdFirst = setup.holdFirst ?? true;
		this.log = setup.log ?? console;
		this.disk = setup.disk;
		this.onStatus = setup.onStatus ?? (() => {});
	}

	/** Reports still waiting for the store. */
	get waitingCount(): number {
		return this.waiting.size;
	}

	/** Held on this node, then sent to the store. */
	save(record: GameRecord): void {
		this.send(record, this.holdFirst && this.hold(record));
	}

	/** The disk has room again: reports it refused are tried now, not at their next retry. */
	retryNow(): void {
		for (const attempt of this.waiting.values()) {
			if (attempt.status !== 'disk-full' || attempt.timer === null) continue;
			this.clock.clearTimeout(attempt.timer);
			attempt.timer = null;
			attempt.delay = this.firstRetryMs;
			this.try(attempt);
		}
	}

	/**
	 * Sends every report a stop left held (the store was down, or the node stopped before it
	 * answered). Returns how many.
	 */
	resume(): number {
		let held;
		try {
			held = this.held.heldReports();
		} catch (error) {
			this.log.error('Could not read the reports held on this server', error);
			return 0;
		}
		const resent = held.filter(({ record }) => !this.waiting.has(record.id));
		if (resent.length > 0) {
			const count = resent.length === 1 ? '1 game report' : `${resent.length} game reports`;
			this.log.log(`Sending ${count} held on this server while the store was unreachable`);
		}
		for (const { record } of resent) this.send(record, true);
		return resent.length;
	}

	/** True if it is on this node's disk now. */
	private hold(record: GameRecord): boolean {
		try {
			this.held.holdReport(record, this.clock.now());
			this.disk?.stored();
			return true;
		} catch (error) {
			// The node's own disk refused it (full, say): the store may still take it.
			if (!this.disk?.refused(error, `the report of game ${record.pin}`)) {
				this.log.error(`Could not hold the report of game ${record.pin} on this server`, error);
			}
			return false;
		}
	}

	/** `held`: already on this node's disk (sent again after a restart). */
	private send(record: GameRecord, held: boolean): void {
		const earlier = this.waiting.get(record.id);
		if (earlier) this.clock.clearTimeout(earlier.timer);
		const attempt: Attempt = {
			record,
			delay: this.firstRetryMs,
			timer: null,
			waited: false,
			held,
			status: 'saving'
		};
		this.waiting.set(record.id, attempt);
		this.onStatus(record, 'saving');
		this.try(attempt);
	}

	private tell(attempt: Attempt, status: ReportStatus): void {
		if (attempt.status === status) return;
		attempt.status = status;
		this.onStatus(attempt.record, status);
	}

	private try(attempt: Attempt): void {
		attempt.timer = null;
		const { id, pin } = attempt.record;
		let saving: Promise<void>;
		try {
			saving = this.store.saveGame(attempt.record);
		} catch (error) {
			saving = Promise.reject(error);
		}
		saving.then(
			() => {
				// A newer report of this game took over meanwhile: it is the one to let go of.
				if (this.waiting.get(id) !== attempt) return;
				this.waiting.delete(id);
				// The record store is this node's disk: it took a write.
				if (!this.holdFirst) this.disk?.stored();
				// Also when this one was never held: an older report of the game may be.
				this.release(attempt.record);
				if (attempt.waited || attempt.status === 'disk-full') {
					this.log.log(`Saved the report of game ${pin} after all`);
				}
				this.tell(attempt, 'saved');
			},
			(error: unknown) => {
				if (this.waiting.get(id) !== attempt) return;
				// Said in the log once by the disk, not here for each report.
				const full = this.disk
					? this.disk.refused(error, `the report of game ${pin}`)
					: isDiskFull(error);
				// Not on a full disk: where the record store is local, the hold is the same disk.
				if (!attempt.held && !full) attempt.held = this.hold(attempt.record);
				if (full) {
					this.tell(attempt, 'disk-full');
					this.retryLater(attempt);
					return;
				}
				if (!isStoreUnavailable(error)) {
					this.waiting.delete(id);
					this.log.error(
						`Could not save the report of game ${pin}: it stays on this server, tried again at the next start`,
						error
					);
					this.tell(attempt, 'failed');
					return;
				}
				if (!attempt.waited) {
					attempt.waited = true;
					this.log.error(
						`The store is unreachable: the report of game ${pin} waits on this server, retrying`
					);
				}
				this.tell(attempt, 'waiting');
				this.retryLater(attempt);
			}
		);
	}

	private retryLater(attempt: Attempt): void {
		attempt.timer = this.clock.setTimeout(() => this.try(attempt), attempt.delay);
		attempt.delay = Math.min(attempt.delay * 2, this.maxRetryMs);
	}

	private release(record: GameRecord): void {
		try {
			this.held.releaseReport(record.id);
		} catch (error) {
			// Sent again at the next start: a save replaces the record of the same game, no harm.
			if (!this.disk?.refused(error, `the end of the held report of game ${record.pin}`)) {
				this.log.error(`Could not let go of the held report of game ${record.pin}`, error);
			}
		}
	}
}
