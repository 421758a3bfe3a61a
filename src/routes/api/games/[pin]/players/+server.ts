import { json } from '@sveltejs/kit';
import { JoinRequestSchema, type JoinResponse } from '$lib/protocol';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals, params }) => {
	const read = await readJson(request, JoinRequestSchema);
	if (!read.ok) return read.response;
	const joined = locals.services.games.join(params.pin, read.body.nickname);
	if (!joined.ok) return apiError(joined.code, joined.message);
	const { ok: _ok, ...seat } = joined;
	return json(seat satisfies JoinResponse, { status: 201 });
};
