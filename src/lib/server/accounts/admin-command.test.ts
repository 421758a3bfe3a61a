import { describe, expect, it } from 'vitest';
import { adminLinkCommand } from './admin-command.ts';

const DEFAULTS = { port: 3000, host: '0.0.0.0', dataDir: '/srv/quizroom/data' };

describe('the admin command the server tells whoever runs it', () => {
	it('is the bare command when the server runs with the defaults', () => {
		expect(adminLinkCommand(DEFAULTS, '/srv/quizroom')).toBe('npm run admin -- link');
	});

	it('names every setting that differs, so the link opens this store at this address', () => {
		expect(
			adminLinkCommand(
				{ ...DEFAULTS, port: 3601, host: '127.0.0.1', dataDir: '/tmp/quiz night' },
				'/srv/quizroom'
			)
		).toBe("PORT=3601 HOST=127.0.0.1 DATA_DIR='/tmp/quiz night' npm run admin -- link");
		expect(
			adminLinkCommand(
				{ ...DEFAULTS, dataDir: '/srv/quizroom/data2', publicUrl: 'https://quiz.example.org' },
				'/srv/quizroom'
			)
		).toBe('PUBLIC_URL=https://quiz.example.org DATA_DIR=data2 npm run admin -- link');
	});

	it('never prints the database password', () => {
		expect(
			adminLinkCommand(
				{ ...DEFAULTS, databaseUrl: 'postgres://quiz:s3cret@db:5432/quizroom' },
				'/srv/quizroom'
			)
		).toBe("DATABASE_URL='postgres://quiz:<password>@db:5432/quizroom' npm run admin -- link");
		expect(
			adminLinkCommand({ ...DEFAULTS, databaseUrl: 'postgres://db/quizroom' }, '/srv/quizroom')
		).toBe('DATABASE_URL=postgres://db/quizroom npm run admin -- link');
	});
});
