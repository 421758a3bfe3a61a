/**
 * The store could not be reached (Redis down, or not answering in time): nothing was read or
 * written, and trying again later may work. Routes answer it with a 503 and this message (see
 * hooks.server.ts); games in progress are not affected, they live on their node.
 */
export class StoreUnavailableError extends Error {
	override readonly name = 'StoreUnavailableError';
	readonly code = 'store-unavailable';

	constructor(cause?: unknown) {
		super(
			'The quiz library is unreachable right now (its store is not answering): try again in a moment',
			{
				cause
			}
		);
	}
}

/**
 * By name, not instanceof: SvelteKit's bundle and the entry each load their own copy of this
 * module, so an error thrown by the entry's store is not an instance of the bundle's class.
 */
export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
	return error instanceof Error && error.name === 'StoreUnavailableError';
}
