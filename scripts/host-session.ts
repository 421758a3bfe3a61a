/**
 * A host signed in over HTTP, for the tests, the load bench and scripts that drive a running
 * server: every request carries the session cookie, and an Origin header as a browser's would
 * (the server refuses a signed-in write that comes without one).
 *
 *   const admin = await signInAdmin(server.url, server.output(), { DATA_DIR: server.dataDir });
 *   await admin.fetch('/api/quizzes');
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class HostSession {
	constructor(
		/** The server's address, e.g. http://127.0.0.1:4317. */
		readonly base: string,
		/** `quizroom-session=…`, for a Cookie header. */
		readonly cookie: string
	) {}

	/** `fetch` of a path on the server, signed in. */
	fetch(path: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		headers.set('cookie', this.cookie);
		if (!headers.has('origin')) headers.set('origin', new URL(this.base).origin);
		return fetch(new URL(path, this.base), { redirect: 'manual', ...init, headers });
	}

	/** JSON of a signed-in request, failing loudly on any status but 2xx. */
	async json<T>(path: string, init: RequestInit = {}): Promise<T> {
		const response = await this.fetch(path, init);
		if (!response.ok) {
			throw new Error(
				`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`
			);
		}
		return (await response.json()) as T;
	}

	/**
	 * Uses a one-time link (setup, invitation, sign-in) as a fresh browser would: opening it only
	 * shows it, and its button (a form's POST, with the page's Origin) signs in.
	 */
	static async fromLink(base: string, link: string): Promise<HostSession> {
		const { pathname } = new URL(link, base);
		const response = await fetch(new URL(pathname, base), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				origin: new URL(base).origin
			},
			body: ''
		});
		// A server from before links took a button (the bench's `--server-dir`) signs in on GET.
		if (response.status === 405) return HostSession.fromOldLink(base, pathname);
		return HostSession.signedIn(base, pathname, response);
	}

	private static async fromOldLink(base: string, pathname: string): Promise<HostSession> {
		const response = await fetch(new URL(pathname, base), { redirect: 'manual' });
		return HostSession.signedIn(base, pathname, response);
	}

	private static signedIn(base: string, pathname: string, response: Response): HostSession {
		const cookie = response.headers
			.getSetCookie()
			.map((line) => line.split(';')[0]!)
			.find((pair) => pair.startsWith('quizroom-session='));
		if (response.status !== 303 || !cookie) {
			throw new Error(`The link ${pathname} signed nobody in (${response.status})`);
		}
		return new HostSession(base, cookie);
	}
}

/**
 * The server's first admin: the setup link its start printed, or (once an admin exists, as
 * after a restart on the same data) a sign-in link from `npm run admin -- link`, run with the
 * server's own configuration.
 */
export async function signInAdmin(
	base: string,
	output: string,
	env: Record<string, string | undefined>,
	cwd?: string
): Promise<HostSession> {
	const printed = [...output.matchAll(/\/setup\/([\w-]{43})/g)].at(-1);
	if (printed) {
		try {
			return await HostSession.fromLink(base, printed[0]);
		} catch {
			// Used already (a second session for the same start): ask for a sign-in link.
		}
	}
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'link'], {
		cwd,
		env: { ...process.env, ...env }
	});
	const link = /https?:\/\/\S+\/(?:link|setup)\/[\w-]{43}/.exec(stdout)?.[0];
	if (!link) throw new Error(`npm run admin -- link printed no link:\n${stdout}`);
	return HostSession.fromLink(base, link);
}

/** Invites a host through the admin page, as an admin would, and opens the invitation. */
export async function inviteHost(
	admin: HostSession,
	name: string,
	role: 'host' | 'admin' = 'host'
): Promise<HostSession> {
	const response = await admin.fetch('/admin?/invite', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ name, role })
	});
	const page = await response.text();
	const link = /\/invite\/[\w-]{43}/.exec(page)?.[0];
	if (!link)
		throw new Error(`No invitation for ${name} (${response.status}):\n${page.slice(0, 500)}`);
	return HostSession.fromLink(admin.base, link);
}
