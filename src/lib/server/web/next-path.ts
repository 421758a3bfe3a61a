/**
 * Where to go after signing in: a path on this site, never another site (`//evil.example` and
 * `/\evil.example` are other sites to a browser). Anything else goes to the host's start page.
 */
export function nextPath(raw: string | null | undefined, fallback = '/host'): string {
	if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
		return fallback;
	}
	try {
		const url = new URL(raw, 'http://quizroom.invalid');
		return url.origin === 'http://quizroom.invalid'
			? url.pathname + url.search + url.hash
			: fallback;
	} catch {
		return fallback;
	}
}
