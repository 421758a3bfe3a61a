import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, SCRYPT_PARAMS, verifyPassword } from './passwords.ts';

const CHEAP = { logN: 10, r: 8, p: 1 };

describe('passwords', () => {
	it('are kept as a salted scrypt hash naming its parameters, never as given', async () => {
		const one = await hashPassword('correct horse', CHEAP);
		const two = await hashPassword('correct horse', CHEAP);
		expect(one).toMatch(/^scrypt\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
		expect(one).not.toBe(two);
		expect(one).not.toContain('correct');
	});

	it('check the right one, refuse a wrong one, and ask for a new hash when parameters change', async () => {
		const stored = await hashPassword('correct horse', CHEAP);
		expect(await verifyPassword('correct horse', stored, CHEAP)).toEqual({
			ok: true,
			rehash: false
		});
		expect(await verifyPassword('correct horse ', stored, CHEAP)).toEqual({
			ok: false,
			rehash: false
		});
		expect(await verifyPassword('correct horse', stored, { ...CHEAP, logN: 11 })).toEqual({
			ok: true,
			rehash: true
		});
	});

	it('read a composed and a decomposed accent alike (phone keyboards differ)', async () => {
		const stored = await hashPassword('café au lait', CHEAP);
		expect((await verifyPassword('cafe\u0301 au lait', stored, CHEAP)).ok).toBe(true);
	});

	it('treat a damaged hash as a wrong password, and never ask for absurd memory', async () => {
		for (const broken of ['', 'bcrypt$x', 'scrypt$40$8$1$AAAA$BBBB', 'scrypt$10$8$1']) {
			expect(await verifyPassword('x', broken, CHEAP)).toEqual({ ok: false, rehash: false });
		}
	});

	it('need eight characters as people count them, and no more than a kilobyte', () => {
		expect(passwordProblem('short')).toBe('A password needs at least 8 characters');
		expect(passwordProblem('eight ch')).toBeNull();
		expect(passwordProblem('🙂🙂🙂🙂🙂🙂🙂🙂')).toBeNull();
		expect(passwordProblem('x'.repeat(1025))).toBe('That password is too long');
	});

	it('default to the recommended cost', () => {
		expect(SCRYPT_PARAMS).toEqual({ logN: 17, r: 8, p: 1 });
	});
});
