import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

/**
 * A form's request that never got an answer (no connection, or the answer was lost on the way).
 * A server error carries a status; this has none.
 */
function unanswered(result: ActionResult): boolean {
	return result.type === 'error' && result.status === undefined;
}

/** How a form's sending goes, for its page to show (a `$state` object). */
export interface Sending {
	busy: boolean;
	/** The last send got no answer: the page says so and keeps the form. */
	unreachable: boolean;
}

/**
 * `use:enhance` for a form whose page keeps it when the request gets no answer, where SvelteKit
 * would otherwise show its error page; anything else is handled as usual.
 */
export function sendingTo(sending: Sending): SubmitFunction {
	return () => {
		sending.busy = true;
		sending.unreachable = false;
		return async ({ result, update }) => {
			if (unanswered(result)) sending.unreachable = true;
			else await update();
			sending.busy = false;
		};
	};
}
