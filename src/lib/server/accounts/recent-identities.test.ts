import { describe, expect, it } from 'vitest';
import { RECENT_FOR_MS, RecentIdentities } from './recent-identities.ts';

const ana = { accountId: 'ana', admin: false, sessionId: 's-ana' };
const bo = { accountId: 'bo', admin: true, sessionId: 's-bo' };

describe('sessions recalled while the record is unreachable', () => {
	it('gives back who a token was when checked within the hour, and no one after', () => {
		const recent = new RecentIdentities();
		recent.remember('token-ana', ana, 1000);
		expect(recent.recall('token-ana', 1000 + RECENT_FOR_MS)).toEqual(ana);
		expect(recent.recall('token-ana', 1001 + RECENT_FOR_MS)).toBeNull();
		expect(recent.recall('never-seen', 1000)).toBeNull();
	});

	it('never recalls a session ended since (signed out, disabled, revoked)', () => {
		const recent = new RecentIdentities();
		recent.remember('token-ana', ana, 0);
		recent.remember('token-bo', bo, 0);
		recent.forget(['s-ana']);
		expect(recent.recall('token-ana', 1)).toBeNull();
		expect(recent.recall('token-bo', 1)).toEqual(bo);
	});
});
