import { json } from '@sveltejs/kit';
import {
	QuizShareRequestSchema,
	type QuizSharesResponse,
	type QuizShareView
} from '$lib/protocol/http';
import { quizFor, signedIn, viewerOf, type QuizRefusal } from '$lib/server/accounts/access';
import type { Refusal } from '$lib/protocol/http';
import { EVERYONE, type Storage } from '$lib/server/storage/storage';
import type { AccountService } from '$lib/server/accounts/account-service';
import { apiError, readJson } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

const EVERYONE_NAME = 'Everyone on this server';

const OWNER_ONLY = 'Only the quiz’s owner may see or change who it is shared with';

/** A quiz the host cannot see is not there (404); one shared with them is not theirs (403). */
function refused(refusal: Refusal<QuizRefusal>): Response {
	return apiError(refusal.code, refusal.message, refusal.code === 'forbidden' ? 403 : 404);
}

/** Who the quiz is shared with; its owner's (and admins') business only. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { storage, accounts } = locals.services;
	const viewer = viewerOf(signedIn(locals));
	const owned = await quizFor(storage, params.id, viewer, 'owner', OWNER_ONLY);
	if (!owned.ok) return refused(owned);
	return json(await sharesOf(params.id, storage, accounts));
};

/** Shares the quiz with one account, or everyone, to use or to edit; `level: null` unshares. */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	const { storage, accounts } = locals.services;
	const account = signedIn(locals);
	const owned = await quizFor(storage, params.id, viewerOf(account), 'owner', OWNER_ONLY);
	if (!owned.ok) return refused(owned);
	const read = await readJson(request, QuizShareRequestSchema);
	if (!read.ok) return read.response;
	const { grantee, level } = read.body;
	if (grantee === EVERYONE) {
		// Everyone may host it; editing stays with people named one by one.
		if (level === 'edit') {
			return apiError('bad-share', 'A quiz is shared with everyone to use, not to edit');
		}
	} else {
		const other = await accounts.account(grantee);
		if (!other || other.id === owned.stored.ownerId) {
			return apiError('bad-share', 'Share with another host of this server');
		}
		// Unsharing is always allowed; a new share waits until an admin enables the account.
		if (other.disabled && level !== null) {
			return apiError(
				'account-disabled',
				`${other.name} is disabled: an admin must enable the account before you share with it`,
				409
			);
		}
	}
	await storage.shareQuiz(params.id, grantee, level);
	return json(await sharesOf(params.id, storage, accounts));
};

async function sharesOf(
	quizId: string,
	storage: Storage,
	accounts: AccountService
): Promise<QuizSharesResponse> {
	const [shares, everyone] = await Promise.all([storage.quizShares(quizId), accounts.accounts()]);
	const names = new Map(everyone.map((account) => [account.id, account.name]));
	return {
		shares: shares.flatMap((share): QuizShareView[] => {
			const name = share.grantee === EVERYONE ? EVERYONE_NAME : names.get(share.grantee);
			return name ? [{ grantee: share.grantee, name, level: share.level }] : [];
		})
	};
}
