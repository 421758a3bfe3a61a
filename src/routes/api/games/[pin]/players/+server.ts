import { json } from '@sveltejs/kit';
import { JoinRequestSchema, type JoinResponse } from '$lib/protocol';
import { deviceId } from '$lib/server/web/cookies';
import { apiError, readJson } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({
	request,
	locals,
	params,
	cookies,
	url,
	getClientAddress
}) => {
	const read = await readJson(request, JoinRequestSchema);
	if (!read.ok) return read.response;
	const joined = await locals.services.lobby.join(params.pin, read.body.nickname, {
		address: getClientAddress(),
		device: deviceId(cookies, url)
	});
	if (!joined.ok) {
		const response = apiError(joined.code, joined.message);
		if (joined.retryAfterS) response.headers.set('retry-after', String(joined.retryAfterS));
		return response;
	}
	const { ok: _ok, ...seat } = joined;
	return json(seat satisfies JoinResponse, { status: 201 });
};
