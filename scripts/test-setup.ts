/**
 * The first step of `npm test`: every program outside npm that the tests start must be here
 * before anything runs. Each is found (scripts/programs/programs.ts), or installed from Debian's
 * packages where this machine allows it (apt-get as root, or with sudo that asks no password),
 * or named in one line with the command that installs it, and `npm test` stops at once.
 *
 * QUIZROOM_NO_INSTALL=1 only looks and tells.
 */
import { spawnSync } from 'node:child_process';
import {
	PROGRAMS,
	findExecutable,
	findProgram,
	missingLine,
	type OutsideProgram
} from './programs/programs.ts';

const programs: OutsideProgram[] = Object.values(PROGRAMS);
const missing = () => programs.filter((program) => findProgram(program) === null);

let absent = missing();
if (absent.length > 0 && !process.env.QUIZROOM_NO_INSTALL) {
	const apt = aptInstaller();
	if (apt) {
		const packages = absent.map((program) => program.debian);
		console.log(`== installing Debian's ${packages.join(', ')} for the tests`);
		apt(packages);
		absent = missing();
	}
}

if (absent.length > 0) {
	console.error(
		`npm test needs ${absent.length === 1 ? 'a program' : 'programs'} this machine lacks:`
	);
	for (const program of absent) console.error(`  ${missingLine(program)}`);
	process.exit(1);
}
console.log(
	`Test programs: ${programs.map((program) => `${program.name} ${findProgram(program)}`).join(', ')}`
);

/** A function that installs Debian packages, or null where that is not possible without asking. */
function aptInstaller(): ((packages: string[]) => void) | null {
	if (process.platform !== 'linux') return null;
	const aptGet = findExecutable('apt-get');
	if (!aptGet) return null;
	let prefix: string[] = [];
	if (process.getuid?.() !== 0) {
		const sudo = findExecutable('sudo');
		// -n: never ask for a password; a sudo that would ask means "no".
		if (!sudo || spawnSync(sudo, ['-n', 'true'], { stdio: 'ignore' }).status !== 0) return null;
		prefix = [sudo, '-n'];
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const run = (args: string[]) => {
		const [command, ...rest] = [...prefix, aptGet, ...args];
		return spawnSync(command!, rest, { env, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
	};
	return (packages) => {
		const install = ['install', '-y', '--no-install-recommends', ...packages];
		// A fresh machine's package lists may be missing or stale: refresh them once and retry.
		if (!run(install) && run(['update'])) run(install);
	};
}
