/**
 * Where to go after signing in: a path on this site, never another site. Judged on the path as
 * the browser will resolve it, not as typed: `/.//evil.example`, `/x/..//evil.example` and
 * `/./\evil.example` all resolve to `//evil.example`, which a browser reads as another site
 * (so does `/\evil.example`); tabs and newlines are dropped by the URL parser first, as by
 * browsers. Anything that is not a plain path of this site goes to the host's start page.
 */
const HERE = 'http://quizroom.invalid';

export function nextPath(raw: string | null | undefined, fallback = '/host'): string {
	if (!raw || !raw.startsWith('/')) return fallback;
	let url: URL;
	try {
		url = new URL(raw, HERE);
	} catch {
		return fallback;
	}
	if (url.origin !== HERE) return fallback;
	const path = url.pathname + url.search + url.hash;
	// Resolved and still on this site, but as a Location `//host` or `/\host` is another site;
	// `/%2F%2Fhost` is not, but a proxy that decodes slashes would make it one.
	return awayFromHere(path) || awayFromHere(decoded(url.pathname)) ? fallback : path;
}

function awayFromHere(path: string | null): boolean {
	return path === null || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\');
}

function decoded(path: string): string | null {
	try {
		return decodeURIComponent(path);
	} catch {
		return null;
	}
}
