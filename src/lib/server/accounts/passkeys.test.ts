import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../storage/memory.ts';
import { AccountService, type NewSession } from './account-service.ts';
import { Passkeys } from './passkeys.ts';

const PARTY = { origin: 'http://localhost:3000', rpId: 'localhost' };
const CHEAP = { logN: 10, r: 8, p: 1 };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/**
 * A passkey held by a test instead of a browser: an ES256 key whose answers (attestation
 * "none", as the page asks for) are made as an authenticator makes them.
 */
class FakeAuthenticator {
	readonly id = randomBytes(16);
	private readonly key: KeyObject;
	private readonly cose: Uint8Array;
	private counter = 0;

	constructor() {
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		this.key = privateKey;
		const jwk = publicKey.export({ format: 'jwk' });
		// COSE_Key: kty EC2, alg ES256, crv P-256, x, y.
		this.cose = isoCBOR.encode(
			new Map<number, number | Uint8Array>([
				[1, 2],
				[3, -7],
				[-1, 1],
				[-2, Buffer.from(jwk.x!, 'base64url')],
				[-3, Buffer.from(jwk.y!, 'base64url')]
			])
		);
	}

	register(challenge: string): RegistrationResponseJSON {
		const clientData = this.clientData('webauthn.create', challenge);
		const length = Buffer.alloc(2);
		length.writeUInt16BE(this.id.length);
		const authData = Buffer.concat([
			this.header(0x41), // user present, credential data included
			Buffer.alloc(16), // AAGUID
			length,
			this.id,
			this.cose
		]);
		const attestation = isoCBOR.encode(
			new Map<string, string | Uint8Array | Map<string, string>>([
				['fmt', 'none'],
				['attStmt', new Map()],
				['authData', authData]
			])
		);
		return {
			id: b64(this.id),
			rawId: b64(this.id),
			type: 'public-key',
			response: { clientDataJSON: b64(clientData), attestationObject: b64(attestation) },
			clientExtensionResults: {}
		};
	}

	signIn(challenge: string): AuthenticationResponseJSON {
		const clientData = this.clientData('webauthn.get', challenge);
		const authData = this.header(0x01);
		const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.key);
		return {
			id: b64(this.id),
			rawId: b64(this.id),
			type: 'public-key',
			response: {
				clientDataJSON: b64(clientData),
				authenticatorData: b64(authData),
				signature: b64(signature)
			},
			clientExtensionResults: {}
		};
	}

	private header(flags: number): Buffer {
		const counter = Buffer.alloc(4);
		counter.writeUInt32BE(++this.counter);
		return Buffer.concat([sha256(PARTY.rpId), Buffer.from([flags]), counter]);
	}

	private clientData(type: string, challenge: string): Buffer {
		return Buffer.from(JSON.stringify({ type, challenge, origin: PARTY.origin }));
	}
}

let now: number;
let accounts: AccountService;
let passkeys: Passkeys;

beforeEach(() => {
	now = 1_000_000_000_000;
	const storage = new MemoryStorage();
	accounts = new AccountService({ storage, now: () => now, passwordParams: CHEAP });
	passkeys = new Passkeys(accounts, storage.accounts, () => now);
	// The library's reason for a refusal goes to the log; the tests need not show it.
	vi.spyOn(console, 'warn').mockImplementation(() => {});
});

async function host(name: string): Promise<NewSession> {
	if (await accounts.needsSetup()) {
		const setUp = await accounts.useLink((await accounts.setupLink())!, 'Firefox on Linux');
		if (!setUp.ok) throw new Error(setUp.message);
	}
	const invited = await accounts.invite(name, 'host');
	if (!invited.ok) throw new Error(invited.message);
	const used = await accounts.useLink(invited.token, 'Chrome on Windows');
	if (!used.ok) throw new Error(used.message);
	return used;
}

describe('a passkey', () => {
	it('is added to an account only with a challenge issued to that account, once', async () => {
		const ana = await host('Ana');
		const ben = await host('Ben');
		const key = new FakeAuthenticator();
		// Ben confirms his own password and gets a challenge: it cannot add a passkey to Ana's
		// account from her session left open (the guard asked for Ben's password, not hers).
		const bens = await passkeys.registrationOptions(ben.account, PARTY);
		expect(await passkeys.register(ana.account, key.register(bens.challenge), PARTY)).toMatchObject(
			{ ok: false, code: 'bad-passkey' }
		);
		const anas = await passkeys.registrationOptions(ana.account, PARTY);
		const answer = key.register(anas.challenge);
		expect(await passkeys.register(ana.account, answer, PARTY)).toMatchObject({ ok: true });
		// The same answer again: its challenge is used up.
		expect(await passkeys.register(ana.account, answer, PARTY)).toMatchObject({
			ok: false,
			code: 'bad-passkey'
		});
		expect(await accounts.passkeysOf(ana.account.id)).toHaveLength(1);
	});

	it('signs in with a sign-in challenge, once; never with one issued to add a passkey', async () => {
		const ana = await host('Ana');
		const key = new FakeAuthenticator();
		const added = await passkeys.registrationOptions(ana.account, PARTY);
		await passkeys.register(ana.account, key.register(added.challenge), PARTY);

		// A registration challenge is for adding a passkey, not for signing in.
		const another = await passkeys.registrationOptions(ana.account, PARTY);
		expect(await passkeys.signIn(key.signIn(another.challenge), PARTY, 'x')).toMatchObject({
			ok: false,
			code: 'bad-passkey'
		});

		const asked = await passkeys.signInOptions(PARTY, '10.0.0.1');
		if (!asked.ok) throw new Error(asked.message);
		const answer = key.signIn(asked.options.challenge);
		const signedIn = await passkeys.signIn(answer, PARTY, 'Safari on iOS');
		expect(signedIn).toMatchObject({ ok: true, account: { id: ana.account.id } });
		// Replayed: the challenge answered once already.
		expect(await passkeys.signIn(answer, PARTY, 'x')).toMatchObject({
			ok: false,
			code: 'bad-passkey'
		});
	});

	it('expires with its challenge after five minutes', async () => {
		const ana = await host('Ana');
		const key = new FakeAuthenticator();
		const options = await passkeys.registrationOptions(ana.account, PARTY);
		now += 5 * 60_000;
		expect(
			await passkeys.register(ana.account, key.register(options.challenge), PARTY)
		).toMatchObject({ ok: false, code: 'bad-passkey' });
	});
});
