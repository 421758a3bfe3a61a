/**
 * Browsers an account signed in from before, remembered in a cookie of the browser's own
 * (OWASP's "device cookies"): a right password from one of them is never held up by other
 * people's wrong guesses at the same name (see password-tries.ts).
 *
 * The cookie holds an entry per account signed in on that browser (a staff room's computer has
 * several), newest first, at most eight: a random nonce and an HMAC of it keyed with the
 * account's password hash, a secret only the store holds. Nothing is kept on the server, every
 * node of a cluster reads it alike, an entry does not say whose it is, and a new password makes
 * the account's entries worthless (the next sign-in writes a new one).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Account } from '../storage/accounts.ts';

const MAX_ENTRIES = 8;
const ENTRY = /^([\w-]{11})\.([\w-]{22})$/;

type Holder = Pick<Account, 'id' | 'passwordHash'>;

/** This browser's nonce for the account (it signed in here before), or null. */
export function knownDevice(account: Holder, cookie: string | undefined): string | null {
	if (!account.passwordHash) return null;
	for (const entry of entries(cookie)) {
		const [, nonce, mac] = ENTRY.exec(entry)!;
		const given = Buffer.from(mac!, 'base64url');
		const expected = proof(account.passwordHash, account.id, nonce!);
		if (given.length === expected.length && timingSafeEqual(given, expected)) return nonce!;
	}
	return null;
}

/**
 * The cookie's new value after a right password: the account's entry first (the one it had,
 * or a new one), then the others, the oldest dropped past eight.
 */
export function rememberDevice(account: Holder, cookie: string | undefined): string {
	if (!account.passwordHash) return entries(cookie).join('~');
	const nonce = knownDevice(account, cookie) ?? randomBytes(8).toString('base64url');
	const mac = proof(account.passwordHash, account.id, nonce).toString('base64url');
	const others = entries(cookie).filter((entry) => !entry.startsWith(`${nonce}.`));
	return [`${nonce}.${mac}`, ...others].slice(0, MAX_ENTRIES).join('~');
}

function entries(cookie: string | undefined): string[] {
	return (cookie ?? '')
		.split('~')
		.filter((entry) => ENTRY.test(entry))
		.slice(0, MAX_ENTRIES);
}

function proof(passwordHash: string, accountId: string, nonce: string): Buffer {
	return createHmac('sha256', passwordHash)
		.update(`quizroom known device\0${accountId}\0${nonce}`)
		.digest()
		.subarray(0, 16);
}
