import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	games: locals.services.storage.listGames()
});
