import type { Services } from '$lib/server/services';

declare global {
	namespace App {
		interface Locals {
			services: Services;
			/** Set by handleError: the store (Redis in cluster mode) did not answer. */
			storeUnavailable?: true;
		}
		interface Error {
			message: string;
			/** Machine-readable, as in the API's own errors, e.g. `store-unavailable`. */
			code?: string;
		}
	}
}

export {};
