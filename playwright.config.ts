import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROGRAMS, findProgram } from './scripts/programs/programs.ts';

/**
 * End-to-end: the real server (built app) and headless Chromium. Browsers cannot be downloaded
 * everywhere, so a system Chromium (Debian's) is used when there is one.
 */
const port = Number(process.env.E2E_PORT ?? 4317);
// Found as `npm test`'s set-up found it (CHROMIUM_PATH, PATH, or Playwright's own download).
const chromium = findProgram(PROGRAMS.chromium) ?? undefined;
// A fresh database per run: the samples seeded, nothing left from earlier runs. In the
// environment, so the workers (and the setup's admin command) open the server's own.
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'quizroom-e2e-'));

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/e2e',
	fullyParallel: false,
	workers: 1,
	timeout: 120_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		// CI keeps nothing but its log, and recording a trace of every test costs a fifth of the
		// run (measured: 70 s → 57 s for two files); locally a failure leaves its trace.
		trace: process.env.CI ? 'off' : 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: chromium,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	projects: [
		// Once the server is up (globalSetup could come before it): the host signs in, and the
		// host screens of the tests start from that browser state (screens.ts, HOST_STATE).
		{ name: 'setup', testMatch: /\.setup\.ts$/ },
		{ name: 'chromium', use: { ...devices['Desktop Chrome'] }, dependencies: ['setup'] }
	],
	webServer: {
		command: 'node --import tsx src/server.ts',
		url: `http://127.0.0.1:${port}/`,
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			LOG_LEVEL: 'warn',
			DATA_DIR: process.env.E2E_DATA_DIR
		},
		reuseExistingServer: false,
		timeout: 60_000
	}
});
