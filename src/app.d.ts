import type { Locale } from '$lib/i18n/locales';
import type { Services } from '$lib/server/services';
import type { Account, AccountSession } from '$lib/server/storage/accounts';

declare global {
	namespace App {
		interface Locals {
			services: Services;
			/** The signed-in host or admin; null for players and anyone else. */
			account: Account | null;
			session: AccountSession | null;
			/** Set by handleError: the store (Redis in cluster mode) did not answer. */
			storeUnavailable?: true;
			/** The screen's interface language: the switcher's cookie, else Accept-Language. */
			locale: Locale;
		}
		interface Error {
			message: string;
			/** Machine-readable, as in the API's own errors, e.g. `store-unavailable`. */
			code?: string;
		}
	}
}

export {};
