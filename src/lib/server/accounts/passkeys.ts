/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: a signed-in host adds one, and later
 * signs in with it without typing a name (a discoverable credential). Browsers offer them only
 * in a secure context: on localhost, or over https.
 *
 * Each ceremony's challenge is stored like a one-time link (kind `challenge`, five minutes):
 * the answer may come to any node of a cluster, and a challenge answers once.
 */
import {
	generateAuthenticationOptions,
	generateRegistrationOptions,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
	type AuthenticationResponseJSON,
	type AuthenticatorTransportFuture,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON,
	type RegistrationResponseJSON
} from '@simplewebauthn/server';
import type { Result } from '../../protocol/http.ts';
import { waitInWords } from '../../protocol/wait.ts';
import { GuessLimiter } from '../limits/limits.ts';
import type { Account, AccountStore, OneTimeToken } from '../storage/accounts.ts';
import type { AccountService, NewSession } from './account-service.ts';
import { newToken, tokenId } from './tokens.ts';

/** Where the ceremony happens: the page's origin, and its host name as the relying party. */
export interface RelyingParty {
	origin: string;
	rpId: string;
}

export function relyingParty(url: URL): RelyingParty {
	return { origin: url.origin, rpId: url.hostname };
}

export type PasskeyRefusal = 'bad-passkey' | 'unknown-passkey' | 'disabled';

/**
 * Sign-in challenges an address may ask for in a minute: each is a row in the store until it
 * is answered or swept, and asking needs no account. A school's staff signing in at once from
 * behind one address stays well under it.
 */
export const CHALLENGES_PER_MINUTE = 30;

export class Passkeys {
	private readonly challenges = new GuessLimiter(CHALLENGES_PER_MINUTE, 60_000);

	constructor(
		private readonly accounts: AccountService,
		private readonly store: AccountStore,
		private readonly now: () => number = Date.now
	) {}

	/** What the browser needs to make a passkey for this account. */
	async registrationOptions(
		account: Account,
		party: RelyingParty
	): Promise<PublicKeyCredentialCreationOptionsJSON> {
		const challenge = await this.challenge(account.id);
		const existing = await this.store.listPasskeys(account.id);
		return generateRegistrationOptions({
			rpName: 'Quizroom',
			rpID: party.rpId,
			userName: account.name,
			userDisplayName: account.name,
			userID: new TextEncoder().encode(account.id),
			challenge,
			attestationType: 'none',
			excludeCredentials: existing.map((passkey) => ({
				id: passkey.id,
				transports: passkey.transports as AuthenticatorTransportFuture[]
			})),
			// Discoverable: signing in later needs no name typed first.
			authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' }
		});
	}

	/** Checks the browser's new passkey and keeps it for the account. */
	async register(
		account: Account,
		response: RegistrationResponseJSON,
		party: RelyingParty
	): Promise<Result<{ passkeyId: string }, 'bad-passkey'>> {
		let taken: OneTimeToken | null = null;
		let verified;
		try {
			verified = await verifyRegistrationResponse({
				response,
				expectedChallenge: async (challenge) => {
					taken = await this.takeChallenge(challenge);
					return taken?.accountId === account.id;
				},
				expectedOrigin: party.origin,
				expectedRPID: party.rpId,
				requireUserVerification: false
			});
		} catch (error) {
			return badPasskey(error);
		}
		if (!verified.verified || !taken) return badPasskey();
		const { credential } = verified.registrationInfo;
		await this.store.addPasskey({
			id: credential.id,
			accountId: account.id,
			publicKey: credential.publicKey,
			counter: credential.counter,
			transports: credential.transports ?? [],
			createdAt: this.now(),
			lastUsedAt: null
		});
		return { ok: true, passkeyId: credential.id };
	}

	/** What the browser needs to offer the passkeys it holds for this site. */
	async signInOptions(
		party: RelyingParty,
		address: string
	): Promise<Result<{ options: PublicKeyCredentialRequestOptionsJSON }, 'too-many-challenges'>> {
		const now = this.now();
		const waitMs = this.challenges.retryAfterMs(address, now);
		if (waitMs > 0) {
			const retryAfterS = Math.ceil(waitMs / 1000);
			return {
				ok: false,
				code: 'too-many-challenges',
				message: `Too many passkey sign-ins from here: try again ${waitInWords(waitMs)}`,
				retryAfterS
			};
		}
		this.challenges.fail(address, now);
		const options = await generateAuthenticationOptions({
			rpID: party.rpId,
			challenge: await this.challenge(null),
			userVerification: 'preferred'
		});
		return { ok: true, options };
	}

	/** Forgets addresses whose challenges have all left the minute; called now and then. */
	sweep(): void {
		this.challenges.sweep(this.now());
	}

	/** Checks the signature against the stored passkey and signs its account in. */
	async signIn(
		response: AuthenticationResponseJSON,
		party: RelyingParty,
		device: string
	): Promise<Result<NewSession, PasskeyRefusal>> {
		if (typeof response !== 'object' || response === null || typeof response.id !== 'string') {
			return badPasskey();
		}
		const passkey = await this.store.getPasskey(response.id);
		if (!passkey) {
			return {
				ok: false,
				code: 'unknown-passkey',
				message: 'This passkey is not known here (removed, or made for another server)'
			};
		}
		let verified;
		try {
			verified = await verifyAuthenticationResponse({
				response,
				// A sign-in challenge, issued to nobody: one issued to add a passkey signs nobody in.
				expectedChallenge: async (challenge) => {
					const taken = await this.takeChallenge(challenge);
					return taken !== null && !taken.accountId;
				},
				expectedOrigin: party.origin,
				expectedRPID: party.rpId,
				credential: {
					id: passkey.id,
					publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>,
					counter: passkey.counter,
					transports: passkey.transports as AuthenticatorTransportFuture[]
				},
				requireUserVerification: false
			});
		} catch (error) {
			return badPasskey(error);
		}
		if (!verified.verified) return badPasskey();
		const account = await this.accounts.account(passkey.accountId);
		if (!account) return badPasskey();
		if (account.disabled) {
			return {
				ok: false,
				code: 'disabled',
				message: 'This account is disabled: ask your Quizroom admin'
			};
		}
		await this.store.usedPasskey(passkey.id, verified.authenticationInfo.newCounter, this.now());
		return { ok: true, ...(await this.accounts.startSession(account, device)) };
	}

	/**
	 * 32 random bytes to sign. The browser hands them back base64url-encoded, which is exactly
	 * how a token of ours is written: the answer's challenge finds its stored hash.
	 */
	private async challenge(accountId: string | null): Promise<Uint8Array<ArrayBuffer>> {
		const token = await this.accounts.issueLink('challenge', accountId, newToken());
		return new Uint8Array(Buffer.from(token, 'base64url'));
	}

	private async takeChallenge(challenge: string): Promise<OneTimeToken | null> {
		const id = tokenId(challenge);
		const token = id ? await this.store.takeToken(id, this.now()) : null;
		return token?.kind === 'challenge' ? token : null;
	}
}

/**
 * The browser's answer did not check out. What the library said is for the server's log only
 * (one line): it names its own internals ("Cannot destructure property 'id'…"), not the
 * person's problem.
 */
function badPasskey(error?: unknown) {
	if (error !== undefined) {
		const reason = error instanceof Error ? error.message : String(error);
		console.warn(`A passkey was refused: ${reason.split('\n')[0]}`);
	}
	return {
		ok: false,
		code: 'bad-passkey',
		message: 'The passkey could not be checked: try again'
	} as const;
}
