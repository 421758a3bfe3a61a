import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	games: await locals.services.storage.listGames()
});
