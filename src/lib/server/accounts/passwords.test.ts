import type { ScryptOptions } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
	hashPassword,
	MAX_WAITING_CHECKS,
	passwordProblem,
	SCRYPT_PARAMS,
	takeHashTurn,
	verifyPassword
} from './passwords.ts';

const CHEAP = { logN: 10, r: 8, p: 1 };

/** node:crypto's scrypt, counting how many run at once (passwords.ts calls it with options). */
const hashing = vi.hoisted(() => ({ running: 0, most: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
	const real = await importOriginal<typeof import('node:crypto')>();
	const scrypt = (
		password: string,
		salt: Buffer,
		length: number,
		options: ScryptOptions,
		callback: (error: Error | null, key: Buffer) => void
	) => {
		hashing.running++;
		hashing.most = Math.max(hashing.most, hashing.running);
		real.scrypt(password, salt, length, options, (error, key) => {
			hashing.running--;
			callback(error, key);
		});
	};
	return { ...real, scrypt };
});

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

	it('need eight characters as people count them, and no more than a kilobyte', async () => {
		expect(await passwordProblem('short')).toBe('A password needs at least 8 characters');
		expect(await passwordProblem('eight ch')).toBeNull();
		expect(await passwordProblem('🙂🙂🙂🙂🙂🙂🙂🙂')).toBeNull();
		expect(await passwordProblem('x'.repeat(1025))).toBe('That password is too long');
	});

	it('may not be one of the most used passwords, however it is capitalised', async () => {
		for (const common of [
			'password',
			'Password',
			'PASSWORD1',
			'iloveyou',
			'12345678',
			'passw0rd'
		]) {
			expect(await passwordProblem(common), common).toBe(
				'That is one of the most used passwords, the first ones tried: pick another'
			);
		}
		for (const fine of ['correct horse', 'new horse!', 'Ms Ortiz teaches maths']) {
			expect(await passwordProblem(fine), fine).toBeNull();
		}
	});

	it('default to the recommended cost', () => {
		expect(SCRYPT_PARAMS).toEqual({ logN: 17, r: 8, p: 1 });
	});

	it('are hashed two at a time (each holds 128 MiB at full cost), the rest in line', async () => {
		hashing.most = 0;
		const hashes = await Promise.all(
			Array.from({ length: 6 }, (_, i) => hashPassword(`password ${i}`, CHEAP))
		);
		expect(hashes).toHaveLength(6);
		expect(hashing.most).toBe(2);
		expect(hashing.running).toBe(0);
	});

	it('are checked two at a time, with a short line: past it a check is refused at once', async () => {
		const turns = Array.from({ length: 2 + MAX_WAITING_CHECKS }, () => takeHashTurn());
		expect(turns.every((turn) => turn !== null)).toBe(true);
		expect(takeHashTurn()).toBeNull();
		turns[0]!.done();
		turns[0]!.done(); // twice is once
		const again = takeHashTurn();
		expect(again).not.toBeNull();
		expect(takeHashTurn()).toBeNull();
		// Setting a password (signed in) still waits its turn rather than being refused.
		const stored = hashPassword('correct horse', CHEAP);
		for (const turn of [...turns, again]) turn!.done();
		expect(await verifyPassword('correct horse', await stored, CHEAP)).toMatchObject({ ok: true });
		const free = takeHashTurn();
		expect(free).not.toBeNull();
		free!.done();
	});
});
