import { signedIn, viewerOf } from '$lib/server/accounts/access';
import type { PageServerLoad } from './$types';

/** The games this host hosted (every game, for an admin). */
export const load: PageServerLoad = async ({ locals }) => ({
	games: await locals.services.storage.listGames(viewerOf(signedIn(locals)))
});
