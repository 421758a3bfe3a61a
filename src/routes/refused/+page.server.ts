import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/**
 * What the door (hooks.server.ts) shows a signed-in host who opened a page only admins may:
 * this page, rendered in the refused one's place, is the app's error page (+error.svelte) with
 * the account bar, and the refused page's own code never runs. At its own address it says the
 * same to anyone.
 */
export const load: PageServerLoad = () => {
	error(403, 'Only an admin of this Quizroom may open this page.');
};
