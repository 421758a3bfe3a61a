/**
 * Who may use what, in one table per layer: every SvelteKit route and method (checked by the
 * hook in hooks.server.ts before the route runs), every route of the room server (Fastify),
 * and every command a socket or the HTTP fallback carries (checked by the room, by seat).
 *
 * - anyone: players and passers-by. Joining, playing, pictures, the sign-in page and one-time
 *   links (the link is the key). Players never sign in.
 * - host:   a signed-in host or admin. What they reach is theirs, shared with them, or (for an
 *   admin) anyone's; another host's quiz, report or game answers 404, so ids do not leak.
 * - admin:  admins only; a host gets 403 (the page's existence is no secret).
 *
 * A route or method missing here is refused (405) rather than left open; the door test
 * (tests/integration/door.test.ts) fails for a route without a row, and checks each row by
 * asking the running server as each kind of person.
 */
import type { ClientMessage } from '../../protocol/messages.ts';

export type Door = 'anyone' | 'host' | 'admin';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** SvelteKit route id → method → door. A page's form actions are its POST. */
export const ROUTE_DOORS: Readonly<Record<string, Readonly<Partial<Record<Method, Door>>>>> = {
	// Players: join by PIN and nickname, then the phone's screen (its seat is in its own cookie).
	'/': { GET: 'anyone', POST: 'anyone' },
	'/play/[playerId]': { GET: 'anyone' },
	'/api/games/[pin]': { GET: 'anyone' },
	'/api/messages/[locale]': { GET: 'anyone' },
	'/api/games/[pin]/players': { POST: 'anyone' },
	'/api/seats/locate': { POST: 'anyone' },
	// Content-addressed: the address is a SHA-256 of the picture, known only to who saw it.
	'/images/[id]': { GET: 'anyone' },
	// The way in.
	'/signin': { GET: 'anyone', POST: 'anyone' },
	'/signout': { POST: 'anyone' },
	// One-time links: opening one only shows it (previews and mail scanners open links); its
	// button, a POST, uses it and signs the browser in.
	'/setup/[token]': { GET: 'anyone', POST: 'anyone' },
	'/invite/[token]': { GET: 'anyone', POST: 'anyone' },
	'/link/[token]': { GET: 'anyone', POST: 'anyone' },
	'/api/passkeys/sign-in': { GET: 'anyone', POST: 'anyone' },
	// What a host refused at a page only admins may open sees in its place (always 403).
	'/refused': { GET: 'anyone' },
	// A host's own account.
	'/account': { GET: 'host', POST: 'host' },
	'/api/passkeys': { POST: 'host' },
	// The current password first: a session left open must not be enough to add a way in.
	'/api/passkeys/options': { POST: 'host' },
	// Hosting, the library and reports: each host's own and what is shared with them.
	'/host': { GET: 'host', POST: 'host' },
	'/host/[pin]': { GET: 'host' },
	'/api/games': { POST: 'host' },
	'/quizzes': { GET: 'host', POST: 'host' },
	'/quizzes/new': { GET: 'host' },
	'/quizzes/[id]': { GET: 'host' },
	'/quizzes/[id]/export/[format]': { GET: 'host' },
	'/api/quizzes': { GET: 'host', POST: 'host' },
	'/api/quizzes/[id]': { GET: 'host', PUT: 'host', DELETE: 'host' },
	'/api/quizzes/[id]/shares': { GET: 'host', PUT: 'host' },
	'/api/images': { POST: 'host' },
	'/reports': { GET: 'host' },
	'/reports/[id]': { GET: 'host' },
	'/reports/[id]/export/[format]': { GET: 'host' },
	// Managing hosts.
	'/admin': { GET: 'admin', POST: 'admin' }
};

/** The door of a route and method; HEAD is a GET. Undefined: no row, so refused. */
export function doorOf(routeId: string, method: string): Door | undefined {
	const row = ROUTE_DOORS[routeId];
	const key = (method === 'HEAD' ? 'GET' : method) as Method;
	return row?.[key];
}

/**
 * The room server's own routes (Fastify, beside SvelteKit): the socket and its HTTP fallback.
 * Open to anyone; what a connection may do is decided by the token in its `hello` (a seat),
 * and the host's seat also by the session it comes with.
 */
export const SOCKET_ROUTES: Readonly<Record<string, Door>> = {
	'GET /ws': 'anyone',
	'POST /ws/sessions': 'anyone',
	'DELETE /ws/sessions': 'anyone',
	'GET /ws/events': 'anyone',
	'POST /ws/messages': 'anyone',
	// Only with QUIZROOM_BENCH_POLLING=1: the benchmark's naive polling, for comparison.
	'GET /ws/poll': 'anyone',
	// CORS preflights for pages of ALLOWED_ORIGINS: they carry nothing and open nothing.
	'OPTIONS /ws/sessions': 'anyone',
	'OPTIONS /ws/events': 'anyone',
	'OPTIONS /ws/messages': 'anyone',
	'OPTIONS /ws/poll': 'anyone'
};

/** Who may send each frame, on a socket or the fallback alike. */
export type Sender = 'anyone' | 'player' | 'host';

export const COMMAND_SENDERS: Readonly<Record<ClientMessage['type'], Sender>> = {
	hello: 'anyone',
	clock: 'anyone',
	pong: 'anyone',
	answer: 'player',
	start: 'host',
	next: 'host',
	kick: 'host',
	lock: 'host',
	pause: 'host',
	end: 'host'
};
