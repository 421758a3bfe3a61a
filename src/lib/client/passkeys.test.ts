import { WebAuthnError } from '@simplewebauthn/browser';
import { describe, expect, it } from 'vitest';
import { ceremonyFailure, passkeysWorkAt } from './passkeys.ts';

function domError(name: string): Error {
	const error = new Error('from the browser');
	error.name = name;
	return error;
}

describe('ceremonyFailure', () => {
	it('says so when this device already holds a passkey for the account', () => {
		const registered = new WebAuthnError({
			message: 'The authenticator was previously registered',
			code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED',
			cause: domError('InvalidStateError')
		});
		expect(ceremonyFailure(registered)).toBe('This device already has a passkey for this account');
		expect(ceremonyFailure(domError('InvalidStateError'))).toBe(
			'This device already has a passkey for this account'
		);
	});

	it('says no passkey was used when the prompt was closed or nothing answered', () => {
		const closed = new WebAuthnError({
			message: 'closed',
			code: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY',
			cause: domError('NotAllowedError')
		});
		expect(ceremonyFailure(closed)).toBe('No passkey was used: try again, or use your password');
		expect(ceremonyFailure(domError('NotAllowedError'))).toMatch(/^No passkey was used/);
	});

	it('blames the connection for anything else (fetch failed)', () => {
		expect(ceremonyFailure(new TypeError('fetch failed'))).toMatch(/^Could not reach the server/);
	});
});

describe('passkeysWorkAt', () => {
	it('is true on https with a name, and on this computer’s own name', () => {
		expect(passkeysWorkAt('https://quiz.example.org/host/123456')).toBe(true);
		expect(passkeysWorkAt('http://localhost:3000/host/123456')).toBe(true);
	});

	it('is false at a plain network address, or any IP address', () => {
		expect(passkeysWorkAt('http://192.168.1.20:3000/host/123456')).toBe(false);
		expect(passkeysWorkAt('http://quiz.lan:3000/host/123456')).toBe(false);
		expect(passkeysWorkAt('https://10.0.0.5/host/123456')).toBe(false);
		expect(passkeysWorkAt('http://127.0.0.1:3000/host/123456')).toBe(false);
	});
});
