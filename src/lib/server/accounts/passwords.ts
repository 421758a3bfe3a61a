/**
 * Passwords, kept as scrypt hashes (node:crypto, memory-hard, run on libuv's thread pool so a
 * sign-in never stalls the game loop). A hash names its own parameters, so stronger ones can
 * come later: a hash made with others is still checked, and made again at the next sign-in.
 *
 *   scrypt$<log2 N>$<r>$<p>$<salt, base64url>$<key, base64url>
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
	/** log2 of N, the cost: memory is 128 × N × r bytes (2^17 × 8: 128 MiB). */
	logN: number;
	r: number;
	p: number;
}

/** OWASP's recommendation (2025): N = 2^17, r = 8, p = 1; about 0.4 s here on one core. */
export const SCRYPT_PARAMS: ScryptParams = { logN: 17, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
export const MIN_PASSWORD_LENGTH = 8;
/** A sign-in form's worth: longer is no stronger, and every byte goes through scrypt. */
export const MAX_PASSWORD_BYTES = 1024;

/** Hashes at once at most this many: each holds 128 MiB while it runs. */
const AT_ONCE = 2;
/**
 * Password checks waiting behind those, at most (about 2 s of work): past it a check is
 * refused at once (`takeHashTurn` answers null) instead of queued, so a burst of guesses never
 * leaves a right password waiting for seconds.
 */
export const MAX_WAITING_CHECKS = 8;
let running = 0;
/** Turns taken and not yet done: hashing, queued, or about to queue. */
let taken = 0;
const queue: (() => void)[] = [];

/** A place in the line of hashes, taken before a check's other work and held until it ends. */
export interface HashTurn {
	done(): void;
}

/**
 * A turn for a password check, or null while the line is full. Taken before the try is counted
 * or anything waited for, so a check refused here has cost nothing.
 */
export function takeHashTurn(): HashTurn | null {
	if (taken >= AT_ONCE + MAX_WAITING_CHECKS) return null;
	return newTurn();
}

function newTurn(): HashTurn {
	taken++;
	let held = true;
	return {
		done() {
			if (held) taken--;
			held = false;
		}
	};
}

async function derive(
	password: string,
	salt: Buffer,
	params: ScryptParams,
	turn?: HashTurn
): Promise<Buffer> {
	// Without a turn (a signed-in host setting a password): in line however long it is.
	const own = turn ? null : newTurn();
	if (running >= AT_ONCE) await new Promise<void>((resolve) => queue.push(resolve));
	else running++;
	try {
		const N = 2 ** params.logN;
		const options: ScryptOptions = {
			N,
			r: params.r,
			p: params.p,
			maxmem: 256 * N * params.r
		};
		return await new Promise<Buffer>((resolve, reject) =>
			scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
				error ? reject(error) : resolve(key)
			)
		);
	} finally {
		// The slot passes straight to the next in line: nobody overtakes in between.
		const next = queue.shift();
		if (next) next();
		else running--;
		own?.done();
	}
}

export async function hashPassword(
	password: string,
	params: ScryptParams = SCRYPT_PARAMS,
	turn?: HashTurn
): Promise<string> {
	const salt = randomBytes(SALT_BYTES);
	const key = await derive(password, salt, params, turn);
	return [
		'scrypt',
		params.logN,
		params.r,
		params.p,
		salt.toString('base64url'),
		key.toString('base64url')
	].join('$');
}

export interface PasswordCheck {
	ok: boolean;
	/** Right, but hashed with other parameters than today's: hash it again. */
	rehash: boolean;
}

/** Compares in constant time; a hash it cannot read is a wrong password, never a crash. */
export async function verifyPassword(
	password: string,
	stored: string,
	params: ScryptParams = SCRYPT_PARAMS,
	turn?: HashTurn
): Promise<PasswordCheck> {
	const parsed = parseHash(stored);
	if (!parsed) return { ok: false, rehash: false };
	const key = await derive(password, parsed.salt, parsed.params, turn);
	const ok = key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
	const same =
		parsed.params.logN === params.logN &&
		parsed.params.r === params.r &&
		parsed.params.p === params.p;
	return { ok, rehash: ok && !same };
}

/**
 * For a name nobody has: the same work as a real check, so the answer's time does not say
 * whether the name exists. The hash is made once, on first need.
 */
let decoy: Promise<string> | null = null;
export async function verifyNobody(
	password: string,
	params: ScryptParams = SCRYPT_PARAMS,
	turn?: HashTurn
): Promise<void> {
	decoy ??= hashPassword(randomBytes(16).toString('hex'), params);
	await verifyPassword(password, await decoy, params, turn);
}

/**
 * Why a new password is refused, or null. NIST 800-63B: length, not one of the passwords
 * attackers try first, no composition rules.
 */
export async function passwordProblem(password: string): Promise<string | null> {
	if ([...password].length < MIN_PASSWORD_LENGTH) {
		return `A password needs at least ${MIN_PASSWORD_LENGTH} characters`;
	}
	if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return 'That password is too long';
	if ((await commonPasswords()).has(password.normalize('NFC').toLowerCase())) {
		return 'That is one of the most used passwords, the first ones tried: pick another';
	}
	return null;
}

/**
 * The most used passwords, as leaks show them: the ranked list `@zxcvbn-ts/language-common`
 * keeps (MIT; about 49,000, of which some 18,000 are long enough to be accepted otherwise),
 * compared without case as zxcvbn does. Read at the first new password, not at start (0.1 s).
 */
let common: Promise<ReadonlySet<string>> | null = null;
function commonPasswords(): Promise<ReadonlySet<string>> {
	common ??= import('@zxcvbn-ts/language-common').then(
		({ dictionary }) =>
			new Set(
				dictionary['passwords-common']
					.map((entry) => entry.normalize('NFC').toLowerCase())
					.filter((entry) => [...entry].length >= MIN_PASSWORD_LENGTH)
			)
	);
	return common;
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
	const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
	// Bounds, so a damaged row cannot ask for terabytes.
	if (!(logN >= 10 && logN <= 22 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return null;
	return {
		params: { logN, r, p },
		salt: Buffer.from(parts[4]!, 'base64url'),
		key: Buffer.from(parts[5]!, 'base64url')
	};
}
