import { json } from '@sveltejs/kit';
import { CreateGameRequestSchema, type CreateGameResponse } from '$lib/protocol';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals }) => {
	const read = await readJson(request, CreateGameRequestSchema);
	if (!read.ok) return read.response;
	const { games, publicUrl } = locals.services;
	const created = await games.createGame(read.body.quizId, read.body.options);
	if (!created.ok) return apiError(created.code, created.message);
	const body: CreateGameResponse = {
		pin: created.pin,
		hostToken: created.hostToken,
		joinUrl: `${publicUrl}/?pin=${created.pin}`
	};
	return json(body, { status: 201 });
};
