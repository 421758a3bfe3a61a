/**
 * `npm run admin -- link` as whoever runs this server must type it: the command reads the
 * server's settings from its environment (where the store is, the address its links name), so
 * each that differs from its default goes in front of it. Without them it would open another
 * store, or print a link to another port. A database password is never printed.
 */
import { isAbsolute, relative, resolve } from 'node:path';

export interface ServerSettings {
	port: number;
	/** HOST: the interface listened on (`0.0.0.0` by default). */
	host: string;
	/** DATA_DIR, resolved. */
	dataDir: string;
	databaseUrl?: string;
	publicUrl?: string;
}

const COMMAND = 'npm run admin -- link';

/** `PORT=3601 DATA_DIR=/tmp/quiz npm run admin -- link`, run from the server's folder. */
export function adminLinkCommand(settings: ServerSettings, cwd = process.cwd()): string {
	const env: string[] = [];
	if (settings.port !== 3000) env.push(`PORT=${settings.port}`);
	if (settings.host !== '0.0.0.0') env.push(`HOST=${shellWord(settings.host)}`);
	if (settings.publicUrl) env.push(`PUBLIC_URL=${shellWord(settings.publicUrl)}`);
	if (resolve(cwd, settings.dataDir) !== resolve(cwd, 'data')) {
		const inside = relative(cwd, settings.dataDir);
		const shown =
			inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : settings.dataDir;
		env.push(`DATA_DIR=${shellWord(shown)}`);
	}
	if (settings.databaseUrl)
		env.push(`DATABASE_URL=${shellWord(withoutPassword(settings.databaseUrl))}`);
	return [...env, COMMAND].join(' ');
}

/** The database's address with `<password>` where its password was. */
function withoutPassword(url: string): string {
	return url.replace(/^([a-z][\w+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:<password>@');
}

/** Quoted for a POSIX shell when it holds anything but plain path and address characters. */
function shellWord(value: string): string {
	return /^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
