import { visitLink } from '$lib/server/accounts/link-visit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => visitLink(event);
