/**
 * Reading request bodies with a size cap and answering API errors with the status their code
 * means, the same way in every endpoint.
 */
import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import type { ApiError } from '../../protocol/http.ts';

const STATUS: Record<string, number> = {
	'unknown-pin': 404,
	'unknown-quiz': 404,
	'unknown-seat': 404,
	'game-over': 410,
	'game-full': 409,
	'nickname-taken': 409,
	banned: 403,
	'game-locked': 403,
	'too-many-guesses': 429,
	'shutting-down': 503
};

export function apiError(code: string, message: string, status = STATUS[code] ?? 400): Response {
	return json({ code, message } satisfies ApiError, { status });
}

/** The small JSON steps (create a game, join) and small form posts: a few hundred bytes in use. */
export const MAX_SMALL_BODY_BYTES = 16 * 1024;

/**
 * Reads a JSON body against a schema; a bad body is a clear 400 and one over `maxBytes` a 413,
 * never an exception.
 */
export async function readJson<S extends v.GenericSchema>(
	request: Request,
	schema: S,
	maxBytes = MAX_SMALL_BODY_BYTES
): Promise<{ ok: true; body: v.InferOutput<S> } | { ok: false; response: Response }> {
	const read = await readJsonValue(request, maxBytes);
	if (!read.ok) return read;
	const result = v.safeParse(schema, read.data);
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

/** "16 KB", "2 MB": for messages people read. */
function sizeText(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * 413 with `{ code, message }`, on a connection that stays open: Node reads the rest of the
 * refused body and drops it, so the client gets to finish sending and reads the answer. Closing
 * the connection instead (`connection: close`) reset it under a client still sending, which
 * then saw a broken connection, not the reason (measured: 3 uploads of 5 MB in 40).
 */
export function bodyTooLarge(
	maxBytes: number,
	code = 'body-too-large',
	message = `The request body is too large (at most ${sizeText(maxBytes)} here)`
): Response {
	return apiError(code, message, 413);
}

/**
 * The request body, unless it passes `max` bytes: a declared content-length over the cap is
 * refused before anything is read, and a chunked body (no length to check up front) as soon
 * as it passes the cap. adapter-node lets bodies of up to 21 MB through for quiz imports, so
 * every route that takes a small body reads it through this. The rest of a refused body is
 * read and thrown away in the background (a body left unread would jam the connection, and
 * cancelling it cuts the connection before the answer goes out). 'cut-off': the stream broke
 * off, as it does when the client goes away or the adapter's own limit is reached.
 */
export async function readCapped(
	request: Request,
	max: number
): Promise<Uint8Array<ArrayBuffer> | 'too-large' | 'cut-off'> {
	if (!request.body) return new Uint8Array();
	if (Number(request.headers.get('content-length')) > max) {
		void discard(request.body.getReader());
		return 'too-large';
	}
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		let read: ReadableStreamReadResult<Uint8Array>;
		try {
			read = await reader.read();
		} catch {
			return 'cut-off';
		}
		if (read.done) break;
		total += read.value.byteLength;
		if (total > max) {
			void discard(reader);
			return 'too-large';
		}
		chunks.push(read.value);
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/** Reads to the end, keeping nothing; bounded by adapter-node's BODY_SIZE_LIMIT. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		while (!(await reader.read()).done) {
			// thrown away
		}
	} catch {
		// The client went away or passed the adapter's limit: nothing left to read.
	}
}

/** Parsed JSON of a body of at most `maxBytes`; 413 when bigger, 400 when not JSON. */
export async function readJsonValue(
	request: Request,
	maxBytes: number
): Promise<{ ok: true; data: unknown } | { ok: false; response: Response }> {
	const bytes = await readCapped(request, maxBytes);
	if (bytes === 'too-large') return { ok: false, response: bodyTooLarge(maxBytes) };
	if (bytes === 'cut-off') {
		return { ok: false, response: apiError('bad-json', 'The request body broke off') };
	}
	try {
		return { ok: true, data: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
	} catch {
		return { ok: false, response: apiError('bad-json', 'Body must be JSON') };
	}
}

/**
 * A form post of at most `maxBytes`, for form actions (SvelteKit itself lets through whatever
 * adapter-node does). Refused with a status and a message for the page, never an exception.
 */
export async function readForm(
	request: Request,
	maxBytes = MAX_SMALL_BODY_BYTES
): Promise<{ ok: true; form: FormData } | { ok: false; status: 400 | 413; message: string }> {
	const bytes = await readCapped(request, maxBytes);
	if (bytes === 'too-large') {
		return {
			ok: false,
			status: 413,
			message: `This form is too large (${sizeText(maxBytes)} at most)`
		};
	}
	if (bytes === 'cut-off')
		return { ok: false, status: 400, message: 'The form broke off: try again' };
	try {
		const type = request.headers.get('content-type') ?? '';
		return {
			ok: true,
			form: await new Response(bytes, { headers: { 'content-type': type } }).formData()
		};
	} catch {
		return { ok: false, status: 400, message: 'The form could not be read: try again' };
	}
}
