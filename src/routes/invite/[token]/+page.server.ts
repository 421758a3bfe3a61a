import { showLink, useLink } from '$lib/server/accounts/link-visit';
import type { Actions, PageServerLoad } from './$types';

/** Shown by opening it; used only by its button (see link-visit.ts). */
export const load: PageServerLoad = (event) => showLink(event);

export const actions: Actions = { default: (event) => useLink(event) };
