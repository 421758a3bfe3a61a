/**
 * The advice a damaged database is refused with, for the cases the server-level test
 * (tests/integration/damaged-database.test.ts) does not start: the record in PostgreSQL, a
 * path that needs quoting, a directory inside the server's folder.
 */
import { expect, test } from 'vitest';
import { damageAdvice } from './integrity.ts';

const NOW = Date.parse('2026-12-08T00:12:03Z');

test('with the record in PostgreSQL: nothing to restore here, the directory moved aside', () => {
	const advice = damageAdvice('/srv/quiz/quizroom.db', ['database disk image is malformed'], {
		dataDir: '/srv/quiz',
		recordElsewhere: true,
		cwd: '/opt/quizroom',
		now: NOW
	});
	expect(advice).toContain('The database /srv/quiz/quizroom.db is damaged');
	expect(advice).toContain('    database disk image is malformed');
	expect(advice).toContain('is in PostgreSQL and safe');
	expect(advice).toContain('mv /srv/quiz /srv/quiz-damaged-2026-12-08T00-12-03Z');
	expect(advice).not.toContain('npm run restore');
});

test('paths as typed in the server’s folder, quoted when they need it', () => {
	const advice = damageAdvice('/opt/quizroom/my data/quizroom.db', ['a', 'b', 'c', 'd', 'e', 'f'], {
		dataDir: '/opt/quizroom/my data',
		cwd: '/opt/quizroom',
		now: NOW
	});
	expect(advice).toContain("mv 'my data' 'my data-damaged-2026-12-08T00-12-03Z'");
	expect(advice).toContain("DATA_DIR='my data' npm run restore -- <its directory>");
	expect(advice).toContain('… and 2 more');
	// The default ./data needs no DATA_DIR in front.
	const plain = damageAdvice('/opt/quizroom/data/quizroom.db', ['x'], {
		dataDir: '/opt/quizroom/data',
		cwd: '/opt/quizroom',
		now: NOW
	});
	expect(plain).toContain('  npm run restore -- <its directory>');
	expect(plain).toContain('mv data data-damaged-2026-12-08T00-12-03Z');
});
