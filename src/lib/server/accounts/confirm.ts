/**
 * The account page's guard on what would let whoever sits at a session left open keep the
 * account (adding a passkey, removing the password, signing the other devices out): the
 * current password, or a fresh sign-in (`AccountService.confirm`). Shared by the page's
 * actions and the passkey endpoint.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Result } from '../../protocol/http.ts';
import { KNOWN_DEVICES_COOKIE } from '../web/cookies.ts';
import type { Account } from '../storage/accounts.ts';
import type { ConfirmRefusal } from './account-service.ts';
import type { TryFrom } from './password-tries.ts';

/** The status each refusal answers with. */
export const CONFIRM_STATUS: Record<ConfirmRefusal, number> = {
	'wrong-password': 403,
	'sign-in-again': 403,
	wait: 429,
	busy: 503
};

export async function confirmIdentity(
	event: RequestEvent,
	password: string
): Promise<Result<{ account: Account }, ConfirmRefusal>> {
	const { account, session, services } = event.locals;
	if (!account || !session) throw new Error('A host route ran without a signed-in account');
	return services.accounts.confirm({ account, session }, password, triedFrom(event));
}

/** Where a password try comes from: the address, and the browsers known for sign-in. */
export function triedFrom(event: RequestEvent): TryFrom {
	return {
		address: event.getClientAddress(),
		knownDevices: event.cookies.get(KNOWN_DEVICES_COOKIE)
	};
}
