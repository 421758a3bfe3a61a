/**
 * The README's `npm test` on a machine without the outside programs: it must stop before
 * anything runs, with one line per missing program naming the command that installs it. Run
 * from a copy of the repository's package.json and scripts, with a PATH that holds only a shell,
 * node and npm (so there is no apt-get to install with either).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const copy = mkdtempSync(join(tmpdir(), 'quizroom-fresh-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function npmCli(): string {
	const npm = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' });
	return join(npm.stdout.trim(), 'lib/node_modules/npm/bin/npm-cli.js');
}

test('npm test without chromium, redis-server, PostgreSQL and nginx stops first, naming each with its install line', () => {
	cpSync(join(repo, 'package.json'), join(copy, 'package.json'));
	cpSync(join(repo, 'scripts'), join(copy, 'scripts'), { recursive: true });
	symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
	const bin = join(copy, 'bin');
	mkdirSync(bin);
	// What any machine has: a shell for npm's scripts, node and npm.
	symlinkSync('/bin/sh', join(bin, 'sh'));
	symlinkSync(process.execPath, join(bin, 'node'));
	symlinkSync(realpathSync(npmCli()), join(bin, 'npm'));

	const run = spawnSync(join(bin, 'npm'), ['test'], {
		cwd: copy,
		encoding: 'utf8',
		timeout: 60_000,
		env: {
			HOME: copy,
			PATH: bin,
			QUIZROOM_PROGRAM_PATH: bin,
			npm_config_cache: join(copy, '.npm'),
			npm_config_update_notifier: 'false'
		}
	});
	const output = `${run.stdout}\n${run.stderr}`;
	expect(run.status, output).not.toBe(0);
	const lines = run.stderr.split('\n');
	for (const [name, debian, macos] of [
		['chromium', 'sudo apt-get install chromium', 'macOS: npx playwright install chromium'],
		['redis-server', 'sudo apt-get install redis-server', 'macOS: brew install redis'],
		// The copy npm installed counts only without QUIZROOM_PROGRAM_PATH, which this run sets.
		['postgres', 'sudo apt-get install postgresql', 'macOS: brew install postgresql@17'],
		['nginx', 'sudo apt-get install nginx', 'macOS: brew install nginx']
	] as const) {
		const line = lines.find((text) => text.trimStart().startsWith(`${name},`));
		expect(line, output).toBeDefined();
		expect(line).toContain(debian);
		expect(line).toContain(macos);
	}
	// Stopped before the first real step: no type check, no build, no test ran.
	expect(output).not.toContain('svelte-check');
	expect(output).not.toContain('vite build');
});
