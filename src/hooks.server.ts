import { chooseLocale, LOCALE_COOKIE, LOCALES } from '$lib/i18n/locales';
import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { doorOf } from '$lib/server/accounts/door';
import { apiError } from '$lib/server/web/http';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/web/cookies';
import { getServices } from '$lib/server/services';
import { isStoreUnavailable } from '$lib/server/storage/errors';
import { isDiskFull } from '$lib/server/storage/disk-full';

const DISK_FULL_MESSAGE =
	"The server's disk is full, so this cannot be saved: free up space on the server and try again";

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

/**
 * Routes reach the process's one GameService through locals, never through a module import.
 * Every request passes the door here, once: cross-site writes are refused, the session cookie
 * says who is asking, and the route's row in the door table (accounts/door.ts) says whether
 * they may. What a host may reach object by object is the routes' check (accounts/access.ts).
 */
export const handle: Handle = async ({ event, resolve }) => {
	const services = (event.locals.services = getServices());
	event.locals.account = null;
	event.locals.session = null;
	const locale = (event.locals.locale = chooseLocale(
		event.cookies.get(LOCALE_COOKIE),
		event.request.headers.get('accept-language')
	));
	const crossSite = crossSiteWrite(event);
	if (crossSite) return withSecurityHeaders(crossSite, event.url);

	const token = event.cookies.get(SESSION_COOKIE);
	let storeDown: unknown = null;
	if (token !== undefined) {
		try {
			const signedIn = await services.accounts.session(token);
			if (signedIn) {
				event.locals.account = signedIn.account;
				event.locals.session = signedIn.session;
			} else {
				clearSessionCookie(event.cookies, event.url);
			}
		} catch (error) {
			// Who this is cannot be known now (cluster mode: Redis away). A player's page needs no
			// answer; a host's gets "try again in a moment", never a trip to the sign-in page.
			if (!isStoreUnavailable(error)) throw error;
			storeDown = error;
		}
	}

	const refused = storeDown
		? await refusedWhileStoreDown(event, storeDown)
		: await refusedAtDoor(event);
	if (refused) return withSecurityHeaders(refused, event.url, keptPrivate(event));
	// The page's language and direction are in its first paint, not set by a script later.
	const response = await resolve(event, {
		transformPageChunk: ({ html }) =>
			html.replace('%lang%', locale).replace('%dir%', LOCALES[locale].dir)
	});
	return withSecurityHeaders(
		event.locals.storeUnavailable ? asUnavailable(response) : response,
		event.url,
		keptPrivate(event)
	);
};

/**
 * Whatever a signed-in host is answered (a page, its data, the API, a download) is kept by no
 * cache: on a staff room's shared computer, Back after signing out must not show the admin
 * page or a report again. Pictures are the exception: anyone's by their content address.
 */
function keptPrivate(event: RequestEvent): boolean {
	return event.locals.account !== null && event.route.id !== '/images/[id]';
}

/**
 * SvelteKit refuses cross-site form posts; this refuses every other cross-site write (a
 * `no-cors` fetch with a JSON body and no content type gets past that check). Browsers send
 * Origin on every POST, PUT and DELETE, and Sec-Fetch-Site on every request; a write that
 * carries the session cookie but neither header is not from a page of ours.
 */
function crossSiteWrite(event: RequestEvent): Response | null {
	if (SAFE_METHODS.has(event.request.method)) return null;
	const { headers } = event.request;
	const origin = headers.get('origin');
	const site = headers.get('sec-fetch-site');
	const foreign =
		(origin !== null && origin !== event.url.origin) ||
		(site !== null && site !== 'same-origin' && site !== 'none') ||
		(origin === null && site === null && event.cookies.get(SESSION_COOKIE) !== undefined);
	return foreign ? apiError('cross-site', 'Requests from other sites are not accepted', 403) : null;
}

/** The route's door: null to go in, or the answer for who may not. */
async function refusedAtDoor(event: RequestEvent): Promise<Response | null> {
	const routeId = event.route.id;
	// No route: SvelteKit's own 404. OPTIONS: nothing of ours answers it but SvelteKit.
	if (routeId === null || event.request.method === 'OPTIONS') return null;
	const door = doorOf(routeId, event.request.method);
	if (door === undefined) {
		return apiError('method-not-allowed', `${event.request.method} is not allowed here`, 405);
	}
	const account = event.locals.account;
	if (door === 'anyone' || (account && (door === 'host' || account.role === 'admin'))) return null;
	if (account) {
		return refusal(event, 403, 'admins-only', 'Only an admin of this Quizroom may do this');
	}
	// A page sends the browser to sign in and back; an API call or a download is told to.
	if (isPageVisit(event)) {
		const next = event.url.pathname + event.url.search;
		const location = `/signin?next=${encodeURIComponent(next)}`;
		return new Response(null, { status: 303, headers: { location } });
	}
	return apiError('sign-in', 'Sign in as a host to do this', 401);
}

/** A door that needs a session, while the store that keeps sessions does not answer: 503. */
async function refusedWhileStoreDown(
	event: RequestEvent,
	error: unknown
): Promise<Response | null> {
	const door = event.route.id === null ? 'anyone' : doorOf(event.route.id, event.request.method);
	if (door === 'anyone') return null;
	const message = error instanceof Error ? error.message : 'The store is not answering';
	const response = await refusal(event, 503, 'store-unavailable', message);
	response.headers.set('retry-after', '5');
	return response;
}

function isPageVisit(event: RequestEvent): boolean {
	const id = event.route.id ?? '';
	return (
		(event.request.method === 'GET' || event.request.method === 'HEAD') &&
		!id.startsWith('/api/') &&
		!id.includes('/export/')
	);
}

/**
 * JSON for API calls, form posts and a page's data (the app shows it on its error page); for a
 * person who opened an address only admins may, the app's error page with the account bar, as
 * the page /refused renders it (the refused route's own code never runs); a short page while
 * the store is down.
 */
async function refusal(
	event: RequestEvent,
	status: number,
	code: string,
	message: string
): Promise<Response> {
	if (!isPageVisit(event) || event.isDataRequest) return apiError(code, message, status);
	if (status === 403) return event.fetch('/refused');
	const page = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Quizroom</title>
<body><main><h1>Try again in a moment</h1><p>${message}.</p><p><a href="/host">Back to your games</a></p></main></body></html>`;
	return new Response(page, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * A store that is down (cluster mode: Redis) is no bug: the page or API says so in words, and
 * `handle` turns the 500 into a 503 with Retry-After. Anything else stays "Internal Error".
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (isDiskFull(error)) {
		// Said once in the log, as the games' own writes say it (DiskSpace); a 503 in words.
		getServices().storage.live.disk?.refused(
			error,
			`${event.request.method} ${event.url.pathname}`
		);
		event.locals.storeUnavailable = true;
		return { message: DISK_FULL_MESSAGE, code: 'disk-full' };
	}
	if (!isStoreUnavailable(error)) {
		// One line for what a client got wrong (a page not found, a form posted as JSON: 415),
		// so nobody can fill the log with stacks from outside; the stack for a bug of ours.
		const where = `[${status}] ${event.request.method} ${event.url.pathname}`;
		if (status < 500) {
			console.error(status === 404 ? where : `${where}: ${message}`);
			return { message };
		}
		const stack = error instanceof Error ? error.stack : String(error);
		console.error(`${where}\n${stack}`);
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

function withSecurityHeaders(response: Response, url: URL, isPrivate = false): Response {
	try {
		response.headers.set('x-content-type-options', 'nosniff');
	} catch {
		// Immutable headers (a response passed through from fetch): copy it.
		response = new Response(response.body, response);
	}
	const { headers } = response;
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
	if (isPrivate) headers.set('cache-control', 'private, no-store');
	// Behind https (a proxy that says so, with TRUST_PROXY): never plain http again for a year.
	if (url.protocol === 'https:') headers.set('strict-transport-security', 'max-age=31536000');
	const csp = headers.get('content-security-policy');
	if (csp === null) {
		headers.set('content-security-policy', NON_PAGE_CSP);
	} else if (PLAIN_HOST.test(url.host)) {
		// Safari before 16 does not count ws: and wss: as 'self': name this server's socket (once:
		// a refused page's answer, rendered by /refused, has been through here already).
		const socket = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
		if (!csp.includes(` ${socket}`)) {
			headers.set(
				'content-security-policy',
				csp.replace("connect-src 'self'", `connect-src 'self' ${socket}`)
			);
		}
	}
	return response;
}
