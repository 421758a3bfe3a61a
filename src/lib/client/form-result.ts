import type { ActionResult } from '@sveltejs/kit';

/**
 * A form's request that never got an answer (no connection, or the answer was lost on the way).
 * A server error carries a status; this has none. The page should say so and keep the form,
 * where SvelteKit would otherwise show its error page.
 */
export function unanswered(result: ActionResult): boolean {
	return result.type === 'error' && result.status === undefined;
}
