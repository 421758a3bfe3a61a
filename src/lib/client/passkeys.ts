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

export type PasskeyOutcome = { ok: true } | { ok: false; message: string };

/**
 * A passkey belongs to a site by its domain name: on a bare IP address (http://127.0.0.1,
 * https://10.0.0.5) browsers refuse to make or use one, secure context or not.
 */
export function passkeysAvailable(): boolean {
	if (typeof window === 'undefined' || !window.isSecureContext) return false;
	const host = window.location.hostname;
	const ipAddress = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
	return !ipAddress && browserSupportsWebAuthn();
}

/** Signs this browser in with a passkey it holds for this site; the server sets the cookie. */
export async function signInWithPasskey(): Promise<PasskeyOutcome> {
	return ceremony('/api/passkeys/sign-in', (optionsJSON: AuthenticationOptions) =>
		startAuthentication({ optionsJSON })
	);
}

/** Makes a passkey for the signed-in account and keeps it on the server. */
export async function addPasskey(): Promise<PasskeyOutcome> {
	return ceremony('/api/passkeys', (optionsJSON: RegistrationOptions) =>
		startRegistration({ optionsJSON })
	);
}

async function ceremony<O, R>(
	address: string,
	run: (options: O) => Promise<R>
): Promise<PasskeyOutcome> {
	try {
		const options = await fetch(address, { headers: { accept: 'application/json' } });
		if (!options.ok) return { ok: false, message: await messageOf(options) };
		const answer = await run((await options.json()) as O);
		const checked = await fetch(address, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(answer)
		});
		return checked.ok ? { ok: true } : { ok: false, message: await messageOf(checked) };
	} catch (error) {
		// The person closed the browser's prompt, or no authenticator answered.
		if (
			error instanceof WebAuthnError ||
			(error instanceof Error && error.name === 'NotAllowedError')
		) {
			return { ok: false, message: 'No passkey was used: try again, or use your password' };
		}
		return { ok: false, message: 'Could not reach the server: check the connection and try again' };
	}
}

async function messageOf(response: Response): Promise<string> {
	try {
		const body = (await response.json()) as { message?: string };
		return body.message ?? `The server said ${response.status}`;
	} catch {
		return `The server said ${response.status}`;
	}
}
