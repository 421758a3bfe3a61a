import { fail, redirect } from '@sveltejs/kit';
import { deviceLabel } from '$lib/server/web/device-label';
import { nextPath } from '$lib/server/web/next-path';
import {
	KNOWN_DEVICES_COOKIE,
	setKnownDevicesCookie,
	setSessionCookie
} from '$lib/server/web/cookies';
import { readForm } from '$lib/server/web/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = nextPath(url.searchParams.get('next'));
	// Signed in already: on to where they were going.
	if (locals.account) redirect(303, next);
	return { next, signedOut: url.searchParams.has('signedOut') };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress, setHeaders }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { name: '', error: read.message });
		const name = String(read.form.get('name') ?? '');
		const password = String(read.form.get('password') ?? '');
		const next = nextPath(String(read.form.get('next') ?? ''));
		if (name.trim() === '' || password === '') {
			return fail(400, { name, error: 'Enter your name and password' });
		}
		const signedIn = await locals.services.accounts.signIn(
			name,
			password,
			getClientAddress(),
			deviceLabel(request.headers.get('user-agent')),
			cookies.get(KNOWN_DEVICES_COOKIE)
		);
		if (!signedIn.ok) {
			if (signedIn.retryAfterS) setHeaders({ 'retry-after': String(signedIn.retryAfterS) });
			const status = { wrong: 400, wait: 429, busy: 503 }[signedIn.code];
			return fail(status, { name, error: signedIn.message });
		}
		setSessionCookie(cookies, signedIn.token, url, signedIn.session.expiresAt);
		// This browser is known for the account from now on: nobody else's guesses hold it up.
		setKnownDevicesCookie(cookies, signedIn.knownDevices, url);
		redirect(303, next);
	}
};
