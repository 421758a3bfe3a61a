/**
 * How the stores cut their record into batches for `exportRecord` and `exportAccounts`: small
 * enough that one batch is one quick transaction in the store it goes to, big enough that a
 * school's record is a few hundred of them.
 */

/** Rows per batch: quizzes, accounts, sessions, links, passkeys. */
export const BATCH_ROWS = 500;
/** Reports per batch: one may hold tens of thousands of answers. */
export const REPORTS_PER_BATCH = 50;
/** Bytes of pictures per batch (one picture may be up to 5 MB; a batch holds at least one). */
export const IMAGE_BATCH_BYTES = 16 * 1024 * 1024;

/** The items in runs of at most `size`. */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
	for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Items with a size in runs of at most `bytes` (and at least one item each). */
export function* chunksBySize<T>(
	items: readonly T[],
	sizeOf: (item: T) => number,
	bytes = IMAGE_BATCH_BYTES
): Generator<T[]> {
	let run: T[] = [];
	let total = 0;
	for (const item of items) {
		const size = sizeOf(item);
		if (run.length > 0 && total + size > bytes) {
			yield run;
			run = [];
			total = 0;
		}
		run.push(item);
		total += size;
	}
	if (run.length > 0) yield run;
}

/** Code-unit order, the order every store exports ids in (SQLite's BINARY, PostgreSQL's "C"). */
export function byId(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
