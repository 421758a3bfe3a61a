/**
 * Once per test run: the built SvelteKit app (the real server serves it; built here if this
 * checkout has none yet, though `npm test` builds before anyway), and one PostgreSQL server
 * for every test that needs one. Each test makes its own database (or schema) on it, so
 * files running side by side never see each other's rows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/postgres-server.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** `postgres://…/postgres` of the run's PostgreSQL server. */
		postgresUrl: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	if (!existsSync('build/handler.js')) {
		execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
	}
	const postgres = await startPostgres();
	project.provide('postgresUrl', postgres.url);
	return () => postgres.stop();
}
