import type { Handle, HandleServerError } from '@sveltejs/kit';
import { apiError } from '$lib/server/web/http';
import { getServices } from '$lib/server/services';
import { isStoreUnavailable } from '$lib/server/storage/errors';

/**
 * On every response; the pages' CSP comes from `kit.csp` (svelte.config.js). Referrer policy
 * `same-origin`: the host link carries `?key=`, and no address of ours may reach another site.
 * Not `no-referrer`: under it browsers send `Origin: null` on the app's own form posts, and
 * SvelteKit's CSRF check refuses those (joining with JavaScript off would break).
 */
const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin'
};

/** For what is not a page (JSON, pictures, downloads): nothing in it may run or load. */
const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** A host name and port as browsers send them, nothing that could end a CSP directive. */
const PLAIN_HOST = /^[\w.-]+(:\d+)?$|^\[[\d:a-f.]+\](:\d+)?$/i;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes reach the process's one GameService through locals, never through a module import. */
export const handle: Handle = async ({ event, resolve }) => {
	event.locals.services = getServices();
	// SvelteKit refuses cross-site form posts; this refuses every other cross-site write (a
	// `no-cors` fetch with a JSON body and no content type gets past that check). Browsers send
	// Origin on every POST, PUT and DELETE; scripts and tests without one are not browsers.
	const origin = event.request.headers.get('origin');
	if (!SAFE_METHODS.has(event.request.method) && origin !== null && origin !== event.url.origin) {
		return withSecurityHeaders(
			apiError('cross-site', 'Requests from other sites are not accepted', 403),
			event.url
		);
	}
	const response = await resolve(event);
	return withSecurityHeaders(
		event.locals.storeUnavailable ? asUnavailable(response) : response,
		event.url
	);
};

/**
 * A store that is down (cluster mode: Redis) is no bug: the page or API says so in words, and
 * `handle` turns the 500 into a 503 with Retry-After. Anything else stays "Internal Error".
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (!isStoreUnavailable(error)) {
		// As SvelteKit's default does: one line for a page not found, the stack for a bug.
		const where = `[${status}] ${event.request.method} ${event.url.pathname}`;
		const stack = error instanceof Error ? error.stack : String(error);
		console.error(status === 404 ? where : `${where}\n${stack}`);
		return { message };
	}
	// The outage itself is logged once by the Redis client, not once per request.
	event.locals.storeUnavailable = true;
	return { message: error.message, code: error.code };
};

/** SvelteKit answers every unexpected error with 500; an unreachable store is a 503. */
function asUnavailable(response: Response): Response {
	const headers = new Headers(response.headers);
	headers.set('retry-after', '5');
	return new Response(response.body, { status: 503, headers });
}

function withSecurityHeaders(response: Response, url: URL): Response {
	try {
		response.headers.set('x-content-type-options', 'nosniff');
	} catch {
		// Immutable headers (a response passed through from fetch): copy it.
		response = new Response(response.body, response);
	}
	const { headers } = response;
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
	const csp = headers.get('content-security-policy');
	if (csp === null) {
		headers.set('content-security-policy', NON_PAGE_CSP);
	} else if (PLAIN_HOST.test(url.host)) {
		// Safari before 16 does not count ws: and wss: as 'self': name this server's socket.
		const socket = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
		headers.set(
			'content-security-policy',
			csp.replace("connect-src 'self'", `connect-src 'self' ${socket}`)
		);
	}
	return response;
}
