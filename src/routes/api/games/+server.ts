import { json } from '@sveltejs/kit';
import { CreateGameRequestSchema, type CreateGameResponse } from '$lib/protocol';
import { apiError, readJson } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals }) => {
	const read = await readJson(request, CreateGameRequestSchema);
	if (!read.ok) return read.response;
	const { lobby, publicUrl } = locals.services;
	const created = await lobby.createGame(read.body.quizId, read.body.options);
	if (!created.ok) return apiError(created.code, created.message);
	const body: CreateGameResponse = {
		pin: created.pin,
		hostToken: created.hostToken,
		joinUrl: `${publicUrl}/?pin=${created.pin}`,
		socketUrl: created.socketUrl
	};
	return json(body, { status: 201 });
};
