/**
 * A report is held on the node before the store is asked and let go of once the store has it;
 * while the store is unreachable it waits there, retried with a growing delay for as long as it
 * takes, and a new saver on the same node (a restart) sends what is held. A newer report of the
 * same game takes the waiting one's place; a refusal that is not the store being down is not
 * retried until the next start. Every step is told (the host's podium shows it).
 */
import { describe, expect, test } from 'vitest';
import type { GameRecord } from '../../game/record.ts';
import type { ReportStatus } from '../../protocol/messages.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { makeGame } from '../../testing/quiz-fixtures.ts';
import { DiskSpace } from '../storage/disk-full.ts';
import { StoreUnavailableError } from '../storage/errors.ts';
import { MemoryLiveRooms } from '../storage/live-rooms.ts';
import { MemoryStorage } from '../storage/memory.ts';
import {
	FIRST_RETRY_MS,
	MAX_RETRY_MS,
	ReportSaver,
	type ReportSaverSetup
} from './report-saver.ts';

/** A store that is down until told otherwise, counting every try. */
class FlakyStore {
	down = true;
	tries = 0;
	readonly saved = new MemoryStorage();

	async saveGame(record: GameRecord): Promise<void> {
		this.tries++;
		if (this.down) throw new StoreUnavailableError(new Error('ECONNREFUSED'));
		await this.saved.saveGame(record);
	}
}

function quietLog() {
	const lines: string[] = [];
	return {
		lines,
		log: { error: (text: string) => lines.push(text), log: (text: string) => lines.push(text) }
	};
}

/**
 * A saver in front of a store that is down, with its log, the steps it told and the node's own
 * store (`held`) kept; `again` is a second saver on the same node and store (a restart).
 */
function saverWithStoreDown(setup: Partial<ReportSaverSetup> = {}) {
	const clock = new FakeClock();
	const store = new FlakyStore();
	const held = new MemoryLiveRooms();
	const { lines, log } = quietLog();
	const steps: [string, ReportStatus][] = [];
	const make = () =>
		new ReportSaver({
			store,
			held,
			clock,
			log,
			onStatus: (report, status) => steps.push([report.id, status]),
			...setup
		});
	return { clock, store, held, lines, steps, reports: make(), again: make };
}

/** Lets the promise callbacks of a try run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const heldIds = (held: MemoryLiveRooms) => held.heldReports().map((report) => report.record.id);

/** A record store on this node's disk, full until told otherwise. */
class FullDiskStore {
	full = true;
	tries = 0;
	readonly saved = new MemoryStorage();

	async saveGame(record: GameRecord): Promise<void> {
		this.tries++;
		if (this.full)
			throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
		await this.saved.saveGame(record);
	}
}

describe('saving reports on a full disk', () => {
	function saverOnFullDisk() {
		const clock = new FakeClock();
		const store = new FullDiskStore();
		const { lines, log } = quietLog();
		const disk = new DiskSpace('/data', log, () => clock.now());
		const steps: [string, ReportStatus][] = [];
		const reports = new ReportSaver({
			store,
			held: new MemoryLiveRooms(),
			clock,
			log,
			disk,
			// A laptop: the record store is this node's SQLite.
			holdFirst: false,
			onStatus: (report, status) => steps.push([report.id, status])
		});
		return { clock, store, lines, disk, steps, reports };
	}

	test('the host is told it cannot be saved yet, it is tried again with a growing delay, and saved once there is room', async () => {
		const { clock, store, lines, disk, steps, reports } = saverOnFullDisk();
		reports.save(makeGame('g1'));
		reports.save(makeGame('g2'));
		await settle();
		expect(steps).toEqual([
			['g1', 'saving'],
			['g2', 'saving'],
			['g1', 'disk-full'],
			['g2', 'disk-full']
		]);
		expect(disk.full).toBe(true);
		// Said once, by the disk, for both reports.
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('Free space on /data');
		for (const delay of [FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS]) {
			const before = store.tries;
			clock.advance(delay - 1);
			await settle();
			expect(store.tries).toBe(before);
			clock.advance(1);
			await settle();
			expect(store.tries).toBe(before + 2);
		}
		expect(steps).toHaveLength(4);
		expect(lines).toHaveLength(1);

		store.full = false;
		clock.advance(8 * FIRST_RETRY_MS);
		await settle();
		expect(steps.slice(4)).toEqual([
			['g1', 'saved'],
			['g2', 'saved']
		]);
		expect(await store.saved.getGame('g2')).toEqual(makeGame('g2'));
		expect(disk.full).toBe(false);
		expect(lines.slice(1)).toEqual([
			'There is room on /data again: saving resumed',
			`Saved the report of game ${makeGame('g1').pin} after all`,
			`Saved the report of game ${makeGame('g2').pin} after all`
		]);
		expect(clock.pending).toBe(0);
	});

	test('once a write finds room, the reports the disk refused are tried at once, not at their next retry', async () => {
		const { clock, store, steps, reports } = saverOnFullDisk();
		reports.save(makeGame('g1'));
		await settle();
		clock.advance(FIRST_RETRY_MS);
		await settle();
		expect(store.tries).toBe(2);
		store.full = false;
		reports.retryNow();
		await settle();
		expect(store.tries).toBe(3);
		expect(steps.at(-1)).toEqual(['g1', 'saved']);
		expect(clock.pending).toBe(0);
	});
});

describe('saving reports', () => {
	test('a report is held on the node before the store is asked, and let go of once saved', async () => {
		const { clock, store, held, steps, lines, reports } = saverWithStoreDown();
		store.down = false;
		reports.save(makeGame('g1'));
		// Held at once, before the store has answered.
		expect(held.heldReports()).toEqual([{ record: makeGame('g1'), heldAt: clock.now() }]);
		await settle();
		expect(await store.saved.getGame('g1')).toEqual(makeGame('g1'));
		expect(held.heldReports()).toEqual([]);
		expect(steps).toEqual([
			['g1', 'saving'],
			['g1', 'saved']
		]);
		expect(lines).toEqual([]);
		expect(clock.pending).toBe(0);
	});

	test('a report waits on the node while the store is down, and is saved once it is back', async () => {
		const { clock, store, held, lines, steps, reports } = saverWithStoreDown();
		reports.save(makeGame('g1'));
		await settle();
		expect(reports.waitingCount).toBe(1);
		expect(heldIds(held)).toEqual(['g1']);
		const { pin } = makeGame('g1');
		expect(lines).toEqual([
			`The store is unreachable: the report of game ${pin} waits on this server, retrying`
		]);
		expect(steps).toEqual([
			['g1', 'saving'],
			['g1', 'waiting']
		]);
		// Retries back off: 5 s, 10 s, 20 s, 40 s, then every minute. Told once, not at each.
		for (const delay of [FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS]) {
			clock.advance(delay - 1);
			await settle();
			const before = store.tries;
			clock.advance(1);
			await settle();
			expect(store.tries).toBe(before + 1);
		}
		expect(store.tries).toBe(4);
		expect(steps).toHaveLength(2);
		expect(heldIds(held)).toEqual(['g1']);
		store.down = false;
		clock.advance(8 * FIRST_RETRY_MS);
		await settle();
		expect(store.tries).toBe(5);
		expect(reports.waitingCount).toBe(0);
		expect(held.heldReports()).toEqual([]);
		expect(await store.saved.getGame('g1')).toEqual(makeGame('g1'));
		expect(lines.at(-1)).toBe(`Saved the report of game ${pin} after all`);
		expect(steps.at(-1)).toEqual(['g1', 'saved']);
		expect(clock.pending).toBe(0);
	});

	test('keeps trying past a day, a minute apart: the report is on disk, not in memory only', async () => {
		const { clock, store, held, reports } = saverWithStoreDown();
		reports.save(makeGame('g1'));
		await settle();
		for (let waited = 0; waited <= 25 * 60 * 60_000; waited += MAX_RETRY_MS) {
			clock.advance(MAX_RETRY_MS);
			await settle();
		}
		expect(store.tries).toBeGreaterThan(25 * 60 - 5);
		expect(reports.waitingCount).toBe(1);
		expect(clock.pending).toBe(1);
		expect(heldIds(held)).toEqual(['g1']);
		store.down = false;
		clock.advance(MAX_RETRY_MS);
		await settle();
		expect(held.heldReports()).toEqual([]);
		expect(await store.saved.getGame('g1')).not.toBeNull();
	});

	test('the first retry comes sooner when asked (REPORT_RETRY_MS), doubling from there', async () => {
		const { clock, store, reports } = saverWithStoreDown({ firstRetryMs: 200 });
		reports.save(makeGame('g1'));
		await settle();
		for (const delay of [200, 400, 800]) {
			clock.advance(delay);
			await settle();
		}
		expect(store.tries).toBe(4);
	});

	test('a newer report of the same game takes the waiting one’s place, on disk too', async () => {
		const { clock, store, held, reports } = saverWithStoreDown();
		reports.save({ ...makeGame('g1'), finished: false });
		await settle();
		reports.save(makeGame('g1'));
		await settle();
		expect(reports.waitingCount).toBe(1);
		expect(clock.pending).toBe(1);
		expect(held.heldReports().map((report) => report.record.finished)).toEqual([true]);
		store.down = false;
		clock.advance(MAX_RETRY_MS);
		await settle();
		expect((await store.saved.getGame('g1'))?.finished).toBe(true);
		expect(held.heldReports()).toEqual([]);
	});

	test('an older report’s late success does not let go of the newer one', async () => {
		const clock = new FakeClock();
		const held = new MemoryLiveRooms();
		const answers: (() => void)[] = [];
		// The store answers when told: the first save lands after the second was held.
		const store = {
			saveGame: () => new Promise<void>((resolve) => answers.push(resolve))
		};
		const reports = new ReportSaver({ store, held, clock, log: quietLog().log });
		reports.save({ ...makeGame('g1'), finished: false });
		reports.save(makeGame('g1'));
		answers[0]!();
		await settle();
		expect(held.heldReports().map((report) => report.record.finished)).toEqual([true]);
		answers[1]!();
		await settle();
		expect(held.heldReports()).toEqual([]);
	});

	test('a restart sends what is held, oldest first, and lets go of each once saved', async () => {
		const { clock, store, held, lines, steps, reports, again } = saverWithStoreDown();
		reports.save(makeGame('g1'));
		clock.advance(1000);
		reports.save(makeGame('g2'));
		await settle();
		expect(heldIds(held)).toEqual(['g1', 'g2']);

		// The node stops; the store comes back; the node starts again.
		store.down = false;
		steps.length = 0;
		const restarted = again();
		expect(restarted.resume()).toBe(2);
		expect(lines.at(-1)).toBe(
			'Sending 2 game reports held on this server while the store was unreachable'
		);
		await settle();
		expect(held.heldReports()).toEqual([]);
		expect(await store.saved.getGame('g1')).toEqual(makeGame('g1'));
		expect(await store.saved.getGame('g2')).toEqual(makeGame('g2'));
		expect(steps).toEqual([
			['g1', 'saving'],
			['g2', 'saving'],
			['g1', 'saved'],
			['g2', 'saved']
		]);
		// Nothing held: nothing to send.
		expect(again().resume()).toBe(0);
	});

	test('a refusal that is not the store being down is not retried: logged, kept for the next start', async () => {
		const clock = new FakeClock();
		const held = new MemoryLiveRooms();
		const { lines, log } = quietLog();
		const steps: ReportStatus[] = [];
		let broken = true;
		const store = {
			saveGame: () => (broken ? Promise.reject(new Error('SQLITE_CORRUPT')) : Promise.resolve())
		};
		const setup = {
			store,
			held,
			clock,
			log,
			onStatus: (_: GameRecord, s: ReportStatus) => steps.push(s)
		};
		const reports = new ReportSaver(setup);
		reports.save(makeGame('g2'));
		await settle();
		expect(reports.waitingCount).toBe(0);
		expect(clock.pending).toBe(0);
		expect(steps).toEqual(['saving', 'failed']);
		expect(lines).toEqual([
			`Could not save the report of game ${makeGame('g2').pin}: it stays on this server, tried again at the next start`
		]);
		expect(heldIds(held)).toEqual(['g2']);

		broken = false;
		expect(new ReportSaver(setup).resume()).toBe(1);
		await settle();
		expect(held.heldReports()).toEqual([]);
	});

	test('where the store is the node’s own SQLite, a report is held only once the store failed to take it', async () => {
		const { clock, store, held, reports } = saverWithStoreDown({ holdFirst: false });
		store.down = false;
		reports.save(makeGame('g1'));
		expect(held.heldReports()).toEqual([]);
		await settle();
		expect(await store.saved.getGame('g1')).not.toBeNull();
		expect(held.heldReports()).toEqual([]);

		store.down = true;
		reports.save(makeGame('g2'));
		await settle();
		expect(heldIds(held)).toEqual(['g2']);
		// A newer report of the game is held in its place when it fails too, let go of if not.
		reports.save({ ...makeGame('g2'), finished: false });
		await settle();
		expect(held.heldReports().map((report) => report.record.finished)).toEqual([false]);
		store.down = false;
		reports.save(makeGame('g2'));
		await settle();
		expect(held.heldReports()).toEqual([]);
		expect((await store.saved.getGame('g2'))?.finished).toBe(true);
		expect(clock.pending).toBe(0);
	});

	test('a node whose own disk refuses the report still sends it to the store', async () => {
		const clock = new FakeClock();
		const saved = new MemoryStorage();
		const { lines, log } = quietLog();
		const held = new MemoryLiveRooms();
		held.holdReport = () => {
			throw new Error('SQLITE_FULL');
		};
		const reports = new ReportSaver({ store: saved, held, clock, log });
		reports.save(makeGame('g1'));
		await settle();
		expect(await saved.getGame('g1')).toEqual(makeGame('g1'));
		expect(lines).toEqual([
			`Could not hold the report of game ${makeGame('g1').pin} on this server`
		]);
	});
});
