/**
 * For whoever runs the server, from its folder: never locked out.
 *
 *   npm run admin -- link [name]   a one-time sign-in link for an admin (the first one, or the
 *                                  one named); before any admin exists, a setup link
 *   npm run admin -- list          every account, with role and last sign-in
 *
 * Reads the same configuration as the server (DATA_DIR, or REDIS_URL in cluster mode; PORT and
 * PUBLIC_URL for the link's address). Works while the server runs.
 */
import { resolve } from 'node:path';
import { AccountService } from '../src/lib/server/accounts/account-service.ts';
import { openStorage } from '../src/lib/server/storage/open.ts';

const [command = 'help', ...rest] = process.argv.slice(2);
const env = process.env;
const base = (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, '');

async function main(): Promise<number> {
	if (command !== 'link' && command !== 'list') {
		console.log('Usage: npm run admin -- link [name]   a one-time sign-in link for an admin');
		console.log('       npm run admin -- list          every account');
		return command === 'help' || command === '--help' ? 0 : 2;
	}
	const { storage } = await openStorage(
		{
			dataDir: resolve(env.DATA_DIR || 'data'),
			redisUrl: env.REDIS_URL || undefined,
			redisPrefix: env.REDIS_PREFIX || undefined
		},
		{ warn: () => {} }
	);
	try {
		const accounts = new AccountService({ storage, issuer: 'admin-command' });
		if (command === 'list') {
			const all = await accounts.accounts();
			if (all.length === 0)
				console.log('No accounts yet: npm run admin -- link makes the first admin.');
			for (const account of all) {
				const state = account.disabled ? ', disabled' : '';
				const seen = account.lastSignInAt ? new Date(account.lastSignInAt).toISOString() : 'never';
				console.log(`${account.name} (${account.role}${state}), last sign-in ${seen}`);
			}
			return 0;
		}
		const made = await accounts.adminLink(rest.join(' ') || undefined);
		if (!made.ok) {
			console.error(made.message);
			return 1;
		}
		if (made.kind === 'setup') {
			console.log('No admin yet. Open this link to become the first admin (it works once):');
			console.log(`  ${base}/setup/${made.token}`);
		} else {
			console.log(`Sign in as ${made.account!.name} with this link (once, within 15 minutes):`);
			console.log(`  ${base}/link/${made.token}`);
		}
		return 0;
	} finally {
		await storage.close();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	}
);
