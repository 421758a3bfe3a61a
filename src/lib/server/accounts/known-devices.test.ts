import { describe, expect, it } from 'vitest';
import { knownDevice, rememberDevice } from './known-devices.ts';

const account = (n: number) => ({
	id: `account-${n}`,
	passwordHash: `scrypt$17$8$1$salt$key-${n}`
});

describe('a browser known for an account', () => {
	it('is known by its own entry only: another account’s, a forged or a garbled one proves nothing', () => {
		const ben = account(1);
		const cookie = rememberDevice(ben, undefined);
		expect(knownDevice(ben, cookie)).not.toBeNull();
		expect(knownDevice(account(2), cookie)).toBeNull();
		const [nonce] = cookie.split('.');
		expect(knownDevice(ben, `${nonce}.${'A'.repeat(22)}`)).toBeNull();
		expect(knownDevice(ben, 'garbage')).toBeNull();
		expect(knownDevice(ben, undefined)).toBeNull();
		// No password: nothing to key the proof with, so no browser is known for it.
		expect(knownDevice({ ...ben, passwordHash: null }, cookie)).toBeNull();
	});

	it('keeps one entry per account, newest first, at most eight: the oldest goes', () => {
		let cookie: string | undefined;
		for (let n = 1; n <= 9; n++) cookie = rememberDevice(account(n), cookie);
		expect(cookie!.split('~')).toHaveLength(8);
		expect(knownDevice(account(9), cookie)).not.toBeNull();
		expect(knownDevice(account(2), cookie)).not.toBeNull();
		expect(knownDevice(account(1), cookie)).toBeNull();
		// Signing in again keeps the same entry (moved first), not a second one.
		const again = rememberDevice(account(2), cookie);
		expect(again.split('~')).toHaveLength(8);
		expect(again.split('~')[0]).toBe(
			cookie!.split('~').find((entry) => knownDevice(account(2), entry))
		);
		// A cookie stuffed with entries is read no further than eight.
		const stuffed = [...Array.from({ length: 50 }, () => cookie!.split('~')[7]), cookie].join('~');
		expect(knownDevice(account(9), stuffed)).toBeNull();
	});
});
