/**
 * Copies Quizroom's record from one store to another, exactly, and checks the copy:
 *
 *   npm run migrate -- --from ./data --to postgres://user:password@host:5432/quizroom
 *   npm run migrate -- --from postgres://… --to ./data-copy
 *   npm run migrate -- --from redis://host:6379 --to postgres://…   (a cluster before PostgreSQL)
 *
 * --force replaces a target that holds another record. REDIS_PREFIX (default `quizroom:`) names
 * the old cluster's keys. The source is never written. How it works: src/lib/server/storage/copy.ts.
 */
import { parseArgs } from 'node:util';
import {
	checkCopy,
	copyRecord,
	describePlace,
	holding,
	MigrateError,
	openSource,
	openTarget,
	parsePlace,
	summaryTable,
	type OpenedPlace
} from '../src/lib/server/storage/copy.ts';

const USAGE = `Usage: npm run migrate -- --from <data dir | postgres://… | redis://…> --to <postgres://… | data dir> [--force]

Copies quizzes, pictures, reports and accounts (with passwords, passkeys, sessions and links)
exactly, then checks every kind's count and checksum on both sides. Games in progress are not
copied. --force replaces a target that already holds a different record.`;

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			from: { type: 'string' },
			to: { type: 'string' },
			force: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(USAGE);
		return 0;
	}
	if (!values.from || !values.to) {
		console.error(USAGE);
		return 2;
	}
	const from = parsePlace(values.from, process.env.REDIS_PREFIX || undefined);
	const to = parsePlace(values.to);
	checkCopy(from, to);
	console.log(`Copying the record from ${describePlace(from)}`);
	console.log(`                     to ${describePlace(to)}`);

	let source: OpenedPlace | null = null;
	let target: OpenedPlace | null = null;
	try {
		source = await openSource(from);
		target = await openTarget(to, from);
		let batches = 0;
		const result = await copyRecord(source.storage, target.storage, {
			force: values.force,
			onBatch: () => {
				if (++batches % 20 === 0) process.stdout.write('.');
			}
		});
		if (batches >= 20) process.stdout.write('\n');
		console.log('');
		console.log(summaryTable(result));
		console.log('');
		if (result.outcome === 'already-there') {
			console.log('The target already holds exactly this record: nothing was copied.');
		} else {
			if (result.replaced)
				console.log(`Replaced the target's record (${holding(result.replaced)}).`);
			console.log(
				`Copied and checked in ${(result.ms / 1000).toFixed(1)} s: every kind has the same ` +
					'count and checksum on both sides.'
			);
		}
		console.log(notCopied(source, from.kind === 'redis'));
		return 0;
	} finally {
		await target?.close();
		await source?.close();
	}
}

/** What stays behind, said every time: games in progress belong to the server running them. */
function notCopied(source: OpenedPlace, clusterRedis: boolean): string {
	const lines = [];
	if (source.liveGames > 0 && clusterRedis) {
		// A cluster's games in progress are Redis's live side, which the cluster keeps using.
		lines.push(
			`Not copied: ${source.liveGames} game${source.liveGames === 1 ? '' : 's'} in progress, ` +
				'which stay in this Redis: nodes started with DATABASE_URL and this REDIS_URL pick ' +
				'them up (or take them over from a node that is gone).'
		);
	} else if (source.liveGames > 0) {
		lines.push(
			`Not copied: ${source.liveGames} game${source.liveGames === 1 ? '' : 's'} in progress in the ` +
				'source. A game in progress belongs to the server running it: finish it there (its ' +
				'report is then in the source) and run this again with --force.'
		);
	} else {
		lines.push('Games in progress are never copied (there were none in the source).');
	}
	if (source.heldReports > 0) {
		lines.push(
			`Not copied: ${source.heldReports} finished game report${source.heldReports === 1 ? '' : 's'} ` +
				'the source’s server had not saved yet. Start that server once (it saves them), then ' +
				'run this again with --force.'
		);
	}
	return lines.join('\n');
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		if (error instanceof MigrateError || !(error instanceof Error)) {
			console.error(error instanceof Error ? error.message : error);
		} else {
			console.error(error.stack ?? error.message);
		}
		process.exit(1);
	}
);
