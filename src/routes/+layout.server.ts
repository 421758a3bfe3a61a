import type { LayoutServerLoad } from './$types';

/** Who is signed in, for the account bar on hosts' pages; nothing for players. */
export const load: LayoutServerLoad = async ({ locals }) => ({
	account: locals.account
		? { name: locals.account.name, admin: locals.account.role === 'admin' }
		: null
});
