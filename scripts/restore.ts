/**
 * A backup put back as the data directory, after checking it:
 *
 *   npm run restore -- [backup directory]   (default: the newest in DATA_DIR/backups)
 *
 * Refused while a server runs on DATA_DIR. The data directory that was there is moved aside
 * (`<DATA_DIR>-before-restore-<time>`), never deleted; the automatic backups move into the
 * restored one. With DATABASE_URL: PostgreSQL's pg_restore does it; this prints the command.
 * How: src/lib/server/storage/restore.ts.
 */
import { resolve } from 'node:path';
import { BACKUPS_DIR, listBackups } from '../src/lib/server/storage/auto-backup.ts';
import { postgresBackupCommands } from '../src/lib/server/storage/backup.ts';
import { shownPath } from '../src/lib/server/storage/integrity.ts';
import { BackupUnfitError, restoreDataDir } from '../src/lib/server/storage/restore.ts';
import { count, runCommand } from './command.ts';

const env = process.env;
const args = process.argv.slice(2).filter((arg) => arg !== '--');

async function main(): Promise<number> {
	if (args[0] === '--help' || args[0] === '-h' || args.length > 1) {
		console.log(
			'Usage: npm run restore -- [backup directory]   (default: the newest in DATA_DIR/backups)'
		);
		return args.length > 1 ? 2 : 0;
	}
	if (env.DATABASE_URL) {
		const { restore } = postgresBackupCommands(args[0] ?? '<your last dump>');
		console.log('The record is in PostgreSQL (DATABASE_URL): restore a pg_dump with pg_restore.');
		console.log('Stop every node first; it replaces the record with the dump’s:');
		console.log(`  ${restore}`);
		console.log("DATA_DIR holds only this node's games in progress: nothing there to restore.");
		return 0;
	}
	const dataDir = resolve(env.DATA_DIR || 'data');
	const backups = listBackups(dataDir);
	const chosen = args[0] ? resolve(args[0]) : backups.at(-1)?.dir;
	if (!chosen) {
		console.error(
			`There is no automatic backup in ${shownPath(`${dataDir}/${BACKUPS_DIR}`)}: ` +
				'name the backup directory to restore (npm run restore -- <directory>).'
		);
		return 1;
	}
	let done;
	try {
		done = await restoreDataDir(chosen, dataDir);
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		if (error instanceof BackupUnfitError) {
			const older = backups.filter((backup) => backup.dir !== chosen).reverse();
			if (older.length > 0) {
				console.error('Nothing was changed. Other automatic backups, newest first:');
				for (const backup of older) console.error(`  npm run restore -- ${shownPath(backup.dir)}`);
			}
		}
		return 1;
	}
	console.log(
		`Checked ${shownPath(done.dir)} (quick_check ok, schema version ${done.schemaVersion}): ` +
			`${count(done.quizzes, 'quiz', 'quizzes')}, ${count(done.reports, 'report')}, ` +
			`${count(done.accounts, 'account')}, ${count(done.pictures, 'picture')}.`
	);
	if (done.aside) {
		console.log(`Moved the data directory that was there aside, kept: ${shownPath(done.aside)}`);
	}
	if (done.backupsMoved)
		console.log(
			`The automatic backups are in ${shownPath(done.dataDir)}/${BACKUPS_DIR} as before.`
		);
	console.log(
		`Restored to ${shownPath(done.dataDir)} in ${(done.ms / 1000).toFixed(1)} s. Start the server (npm start).`
	);
	return 0;
}

runCommand(main);
