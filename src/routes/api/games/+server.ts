import { json } from '@sveltejs/kit';
import { CreateGameRequestSchema, type CreateGameResponse } from '$lib/protocol';
import { quizFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import { apiError, readJson } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

/** A game of a quiz the host may use (their own, or shared with them), hosted by them. */
export const POST: RequestHandler = async ({ request, locals }) => {
	const read = await readJson(request, CreateGameRequestSchema);
	if (!read.ok) return read.response;
	const account = signedIn(locals);
	const { lobby, publicUrl, storage } = locals.services;
	const usable = await quizFor(storage, read.body.quizId, viewerOf(account), 'use');
	if (!usable.ok) return apiError('unknown-quiz', 'That quiz does not exist');
	const created = await lobby.createGame(read.body.quizId, read.body.options, account.id);
	if (!created.ok) return apiError(created.code, created.message);
	const body: CreateGameResponse = {
		pin: created.pin,
		hostToken: created.hostToken,
		joinUrl: `${publicUrl}/?pin=${created.pin}`,
		socketUrl: created.socketUrl
	};
	return json(body, { status: 201 });
};
