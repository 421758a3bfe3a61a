/**
 * For whoever runs the server, from its folder: never locked out.
 *
 *   npm run admin -- link [name]   a one-time sign-in link for an admin (the first one, or the
 *                                  one named); before any admin exists, a setup link
 *   npm run admin -- list          every account: role, enabled or disabled, last sign-in
 *
 * Reads the same configuration as the server (DATA_DIR, or DATABASE_URL; PORT, HOST and
 * PUBLIC_URL for the link's address): the server's start names those it needs. Works while the
 * server runs.
 */
import { resolve } from 'node:path';
import { formatWhen } from '../src/lib/components/shared/format.ts';
import { AccountService } from '../src/lib/server/accounts/account-service.ts';
import type { Account } from '../src/lib/server/storage/accounts.ts';
import { openStorage } from '../src/lib/server/storage/open.ts';
import { publicBaseUrl } from '../src/lib/server/web/lan.ts';
import { runCommand } from './command.ts';

const [command = 'help', ...rest] = process.argv.slice(2);
const env = process.env;
const port = Number(env.PORT || 3000);
/**
 * Where the link is opened: the server's address as players get it (PUBLIC_URL, else this
 * machine's network address, so a phone or another laptop can open it), and this computer's
 * own name, where passkeys work.
 */
const base = publicBaseUrl(env.HOST || '0.0.0.0', port, env.PUBLIC_URL || undefined);
const local = `http://localhost:${port}`;

function printLink(path: string): void {
	console.log(`  ${base}${path}`);
	if (!env.PUBLIC_URL && base !== local) {
		console.log('or, on this computer (where passkeys work), the same link as:');
		console.log(`  ${local}${path}`);
	}
}

async function main(): Promise<number> {
	if (command !== 'link' && command !== 'list') {
		console.log('Usage: npm run admin -- link [name]   a one-time sign-in link for an admin');
		console.log('       npm run admin -- list          every account');
		return command === 'help' || command === '--help' ? 0 : 2;
	}
	const { storage } = await openStorage({
		dataDir: resolve(env.DATA_DIR || 'data'),
		databaseUrl: env.DATABASE_URL || undefined
	});
	try {
		const accounts = new AccountService({ storage, issuer: 'admin-command' });
		if (command === 'list') {
			const all = await accounts.accounts();
			if (all.length === 0)
				console.log('No accounts yet: npm run admin -- link makes the first admin.');
			else console.log(accountTable(all));
			return 0;
		}
		const made = await accounts.adminLink(rest.join(' ') || undefined);
		if (!made.ok) {
			console.error(made.message);
			return 1;
		}
		if (made.kind === 'setup') {
			console.log('No admin yet. Open this link to become the first admin (it works once):');
			printLink(`/setup/${made.token}`);
		} else {
			console.log(`Sign in as ${made.account!.name} with this link (once, within 15 minutes):`);
			printLink(`/link/${made.token}`);
		}
		return 0;
	} finally {
		await storage.close();
	}
}

/** One line per account under a header, in columns: a disabled account is plain to see. */
function accountTable(accounts: Account[]): string {
	const rows = [
		['Name', 'Role', 'State', 'Last sign-in'],
		...accounts.map((account) => [
			account.name,
			account.role,
			account.disabled ? 'disabled' : 'enabled',
			// In this computer's time, as the Hosts page says it: "today 20:00", "3 Nov 2026".
			formatWhen(account.lastSignInAt)
		])
	];
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
	return rows
		.map((row) =>
			row
				.map((cell, column) => cell.padEnd(widths[column]!))
				.join('  ')
				.trimEnd()
		)
		.join('\n');
}

runCommand(main);
