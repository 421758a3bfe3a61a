import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import type { ApiError } from '../protocol/http.ts';

const STATUS: Record<string, number> = {
	'unknown-pin': 404,
	'unknown-quiz': 404,
	'game-over': 410,
	'game-full': 409,
	'nickname-taken': 409,
	'shutting-down': 503
};

export function apiError(code: string, message: string, status = STATUS[code] ?? 400): Response {
	return json({ code, message } satisfies ApiError, { status });
}

/** Reads a JSON body against a schema; a bad body is a clear 400, never an exception. */
export async function readJson<S extends v.GenericSchema>(
	request: Request,
	schema: S
): Promise<{ ok: true; body: v.InferOutput<S> } | { ok: false; response: Response }> {
	let data: unknown;
	try {
		data = await request.json();
	} catch {
		return { ok: false, response: apiError('bad-json', 'Body must be JSON') };
	}
	const result = v.safeParse(schema, data);
	if (!result.success) {
		const issue = result.issues[0];
		const path = v.getDotPath(issue);
		return {
			ok: false,
			response: apiError('bad-request', `${path ? `${path}: ` : ''}${issue.message}`)
		};
	}
	return { ok: true, body: result.output };
}
