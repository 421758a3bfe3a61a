/**
 * A report saved while the store is unreachable waits and is saved when it is back; a newer
 * report of the same game takes its place; other failures and a day of retrying give up, logged.
 */
import { describe, expect, test } from 'vitest';
import type { GameRecord } from '../../game/record.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { FIRST_RETRY_MS, GIVE_UP_AFTER_MS, MAX_RETRY_MS, ReportSaver } from './report-saver.ts';
import { StoreUnavailableError } from '../storage/errors.ts';
import { makeGame } from '../../testing/quiz-fixtures.ts';
import { MemoryStorage } from '../storage/memory.ts';

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

/** A saver in front of a store that is down, with its log kept. */
function saverWithStoreDown() {
	const clock = new FakeClock();
	const store = new FlakyStore();
	const { lines, log } = quietLog();
	return { clock, store, lines, reports: new ReportSaver(store, clock, log) };
}

/** Lets the promise callbacks of a try run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('saving reports', () => {
	test('a report waits while the store is down, and is saved once it is back', async () => {
		const { clock, store, lines, reports } = saverWithStoreDown();
		reports.save(makeGame('g1'));
		await settle();
		expect(reports.waitingCount).toBe(1);
		const { pin } = makeGame('g1');
		expect(lines).toEqual([`The store is unreachable: the report of game ${pin} waits, retrying`]);
		// Retries back off: 5 s, 10 s, 20 s, 40 s, then every minute.
		for (const delay of [FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS]) {
			clock.advance(delay);
			await settle();
		}
		expect(store.tries).toBe(4);
		store.down = false;
		clock.advance(8 * FIRST_RETRY_MS);
		await settle();
		expect(store.tries).toBe(5);
		expect(reports.waitingCount).toBe(0);
		expect(await store.saved.getGame('g1')).toEqual(makeGame('g1'));
		expect(lines.at(-1)).toBe(`Saved the report of game ${pin} after all`);
		expect(clock.pending).toBe(0);
	});

	test('a newer report of the same game takes the waiting one’s place', async () => {
		const { clock, store, reports } = saverWithStoreDown();
		reports.save({ ...makeGame('g1'), finished: false });
		await settle();
		reports.save(makeGame('g1'));
		await settle();
		expect(reports.waitingCount).toBe(1);
		expect(clock.pending).toBe(1);
		store.down = false;
		clock.advance(MAX_RETRY_MS);
		await settle();
		expect((await store.saved.getGame('g1'))?.finished).toBe(true);
	});

	test('gives up after a day, and at once on a failure that is not the store being down', async () => {
		const { clock, lines, reports } = saverWithStoreDown();
		reports.save(makeGame('g1'));
		await settle();
		for (let waited = 0; waited <= GIVE_UP_AFTER_MS; waited += MAX_RETRY_MS) {
			clock.advance(MAX_RETRY_MS);
			await settle();
		}
		expect(reports.waitingCount).toBe(0);
		expect(clock.pending).toBe(0);
		expect(lines.at(-1)).toBe(`Could not save the report of game ${makeGame('g1').pin}`);

		const broken = new ReportSaver(
			{
				saveGame: () => Promise.reject(new Error('SQLITE_CORRUPT'))
			},
			clock,
			quietLog().log
		);
		broken.save(makeGame('g2'));
		await settle();
		expect(broken.waitingCount).toBe(0);
		expect(clock.pending).toBe(0);
	});
});
