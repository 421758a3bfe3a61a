import type { Handle } from '@sveltejs/kit';
import { getServices } from '$lib/server/services';

/** Routes reach the process's one GameService through locals, never through a module import. */
export const handle: Handle = async ({ event, resolve }) => {
	event.locals.services = getServices();
	return resolve(event);
};
