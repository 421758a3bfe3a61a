/**
 * The HTTP fallback, for networks whose proxies cut WebSockets: the same frames as on `/ws`,
 * server → client as Server-Sent Events, client → server as POSTs. Every address sits under the
 * live prefix (`/ws`, or `/n/<node>/ws` in a cluster), so one proxy rule covers both transports.
 *
 *   POST   <prefix>/sessions   opens a session: 201 { session }. Counts as one connection.
 *   GET    <prefix>/events     the event stream; `Last-Event-ID` resumes where a cut one stopped
 *   POST   <prefix>/messages   client frames, one JSON frame per line, in order
 *   DELETE <prefix>/sessions   the page is leaving: the session ends now, not after the grace
 *
 * The session id travels in a header, never in an address (addresses end up in access logs),
 * and the seat token only inside the `hello` frame, as on a WebSocket. Plain values only: the
 * phone's page imports this file.
 */

export const FALLBACK_PATHS = {
	sessions: '/sessions',
	events: '/events',
	messages: '/messages'
} as const;

/** Names the session on every fallback request after the first. */
export const SESSION_HEADER = 'x-quizroom-session';

/**
 * Numbers each POST of frames (1, 2, 3…): a POST sent again after a lost response is
 * recognised and not played twice (a host's `next` twice would skip a question).
 */
export const SEQUENCE_HEADER = 'x-quizroom-seq';

/** Frames in one POST, one per line: JSON text never holds a raw line break. */
export const MAX_POST_BYTES = 16 * 1024;

/**
 * The stream's last event when the server closes the session, as a WebSocket close frame would:
 * `event: close` with this as its data.
 */
export interface FallbackClose {
	code: number;
	reason: string;
}

export interface SessionOpened {
	session: string;
}
