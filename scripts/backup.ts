/**
 * A backup of the record, safe while games run:
 *
 *   npm run backup -- <directory>     (default: quizroom-backup-<date>-<time>)
 *
 * With the record in DATA_DIR (no DATABASE_URL): a new directory that is itself a data
 * directory, quizroom.db (SQLite's online backup) and images/. With DATABASE_URL: PostgreSQL's
 * own tools do it; this prints the exact commands. How: src/lib/server/storage/backup.ts.
 */
import { resolve } from 'node:path';
import { backupDataDir, postgresBackupCommands } from '../src/lib/server/storage/backup.ts';
import { shownPath } from '../src/lib/server/storage/integrity.ts';
import { count, runCommand } from './command.ts';

const env = process.env;
const args = process.argv.slice(2).filter((arg) => arg !== '--');

async function main(): Promise<number> {
	if (args[0] === '--help' || args[0] === '-h' || args.length > 1) {
		console.log(
			'Usage: npm run backup -- [directory]   a backup of DATA_DIR, safe while games run'
		);
		return args.length > 1 ? 2 : 0;
	}
	const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
	if (env.DATABASE_URL) {
		const { backup, restore } = postgresBackupCommands(args[0] ?? `quizroom-${stamp}.dump`);
		console.log('The record is in PostgreSQL (DATABASE_URL): back it up with pg_dump, safe while');
		console.log('games run (games in progress are not in the database: they play on):');
		console.log(`  ${backup}`);
		console.log('Restore it (stop the servers first; it replaces the record with the dump’s):');
		console.log(`  ${restore}`);
		return 0;
	}
	const dataDir = resolve(env.DATA_DIR || 'data');
	const into = resolve(args[0] ?? `quizroom-backup-${stamp}`);
	const done = await backupDataDir(dataDir, into);
	const shown = shownPath(done.dir);
	console.log(
		`Backed up ${dataDir} to ${shown} in ${(done.ms / 1000).toFixed(1)} s: ` +
			`${count(done.quizzes, 'quiz', 'quizzes')}, ${count(done.reports, 'report')}, ` +
			`${count(done.accounts, 'account')}, ${count(done.pictures, 'picture')} ` +
			`(${(done.bytes / 1024 / 1024).toFixed(1)} MB).`
	);
	if (done.liveGames > 0) {
		console.log(
			`Not in the backup: ${count(done.liveGames, 'game')} in progress ` +
				'(restored later, it would start again from the moment of the backup).'
		);
	}
	const live = shownPath(dataDir);
	console.log('To restore: stop the server, put the backup in place of the data directory, start:');
	console.log(`  mv ${live} ${live}-before-restore`);
	console.log(`  cp -r ${shown} ${live}`);
	console.log(`(or start the server with DATA_DIR=${shown})`);
	return 0;
}

runCommand(main);
