/**
 * Passkeys in the browser, through @simplewebauthn/browser: sign in with one, or add one to
 * the signed-in account. Browsers offer them only in a secure context (localhost or https):
 * a party on http://192.168.x.x signs in with a password or a link instead.
 */
import {
	browserSupportsWebAuthn,
	startAuthentication,
	startRegistration,
	WebAuthnError
} from '@simplewebauthn/browser';

type AuthenticationOptions = Parameters<typeof startAuthentication>[0]['optionsJSON'];
type RegistrationOptions = Parameters<typeof startRegistration>[0]['optionsJSON'];

/** `code`: the server's refusal code, when it refused (`sign-in-again`: confirm by a new sign-in). */
export type PasskeyOutcome = { ok: true } | { ok: false; message: string; code?: string };

/**
 * A passkey belongs to a site by its domain name: on a bare IP address (http://127.0.0.1,
 * https://10.0.0.5) browsers refuse to make or use one, secure context or not.
 */
export function passkeysAvailable(): boolean {
	if (typeof window === 'undefined' || !window.isSecureContext) return false;
	return !isIpAddress(window.location.hostname) && browserSupportsWebAuthn();
}

/**
 * Whether a page at this address may use passkeys: https or this computer's own name
 * (`localhost`), and a name rather than an IP address. A party's `http://192.168.1.20:3000`
 * may not: there a host signs in with a password.
 */
export function passkeysWorkAt(address: string): boolean {
	const { protocol, hostname } = new URL(address);
	const secure =
		protocol === 'https:' || hostname === 'localhost' || hostname.endsWith('.localhost');
	return secure && !isIpAddress(hostname);
}

function isIpAddress(host: string): boolean {
	return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

/** Signs this browser in with a passkey it holds for this site; the server sets the cookie. */
export async function signInWithPasskey(): Promise<PasskeyOutcome> {
	return ceremony('/api/passkeys/sign-in', (optionsJSON: AuthenticationOptions) =>
		startAuthentication({ optionsJSON })
	);
}

/**
 * Makes a passkey for the signed-in account and keeps it on the server. The account's current
 * password goes first, if it has one: a session left open must not be enough to add a way in.
 */
export async function addPasskey(password = ''): Promise<PasskeyOutcome> {
	const confirm: RequestInit = {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ password })
	};
	return ceremony(
		'/api/passkeys',
		(optionsJSON: RegistrationOptions) => startRegistration({ optionsJSON }),
		['/api/passkeys/options', confirm]
	);
}

/** Options from `optionsFrom` (a GET of `address` unless given), the answer posted to `address`. */
async function ceremony<O, R>(
	address: string,
	run: (options: O) => Promise<R>,
	optionsFrom: [string, RequestInit] = [address, {}]
): Promise<PasskeyOutcome> {
	try {
		const [from, init] = optionsFrom;
		const options = await fetch(from, {
			...init,
			headers: { accept: 'application/json', ...init.headers }
		});
		if (!options.ok) {
			const code = options.headers.get('content-type')?.includes('json')
				? ((await options.clone().json()) as { code?: string }).code
				: undefined;
			return { ok: false, message: await messageOf(options), code };
		}
		const answer = await run((await options.json()) as O);
		const checked = await fetch(address, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(answer)
		});
		return checked.ok ? { ok: true } : { ok: false, message: await messageOf(checked) };
	} catch (error) {
		return { ok: false, message: ceremonyFailure(error) };
	}
}

/** What the person is told when the browser's part of a ceremony, or the network, failed. */
export function ceremonyFailure(error: unknown): string {
	const name = error instanceof Error ? error.name : '';
	// Adding a second passkey on a device that holds one for this account already: the browser
	// refuses it (excludeCredentials), as WebAuthn's InvalidStateError.
	if (
		name === 'InvalidStateError' ||
		(error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')
	) {
		return 'This device already has a passkey for this account';
	}
	// The person closed the browser's prompt, or no authenticator answered.
	if (error instanceof WebAuthnError || name === 'NotAllowedError' || name === 'AbortError') {
		return 'No passkey was used: try again, or use your password';
	}
	return 'Could not reach the server: check the connection and try again';
}

async function messageOf(response: Response): Promise<string> {
	try {
		const body = (await response.json()) as { message?: string };
		return body.message ?? `The server said ${response.status}`;
	} catch {
		return `The server said ${response.status}`;
	}
}
