/**
 * Hostile input over HTTP on the real server: security headers on every kind of response, the
 * pages' Content-Security-Policy, small bodies capped by the routes that take them, malformed
 * bodies answered with a clear 400, and cross-site writes refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tinyPng } from '../../src/lib/testing/test-images.ts';
import { createGame, startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

/** A signed-in host's POST (cookie and Origin, as the host's browser sends them). */
function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
	return server.admin.fetch(path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body
	});
}

/** The same POST from someone not signed in: a player's phone, or a script. */
function postAnonymously(path: string, body: BodyInit, headers: Record<string, string> = {}) {
	return fetch(`${server.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body
	});
}

/** A body sent in chunks with no content-length, so only reading it can find its size. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
	let sent = 0;
	return new ReadableStream({
		pull(controller) {
			if (sent >= bytes) return controller.close();
			const chunk = new Uint8Array(Math.min(64 * 1024, bytes - sent)).fill(0x20);
			sent += chunk.byteLength;
			controller.enqueue(chunk);
		}
	});
}

function expectSecurityHeaders(response: Response): void {
	expect(response.headers.get('x-content-type-options')).toBe('nosniff');
	expect(response.headers.get('referrer-policy')).toBe('same-origin');
	expect(response.headers.get('x-frame-options')).toBe('DENY');
	expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
	expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
	test('are on pages, with a CSP the app works under', async () => {
		// Players' and visitors' pages, then a host's (signed in: anonymous is sent to /signin).
		const pages: [string, 'anyone' | 'host'][] = [
			['/', 'anyone'],
			['/signin', 'anyone'],
			['/host', 'host'],
			['/quizzes/new', 'host']
		];
		for (const [path, who] of pages) {
			const response =
				who === 'host' ? await server.admin.fetch(path) : await fetch(`${server.url}${path}`);
			expect(response.status, path).toBe(200);
			expectSecurityHeaders(response);
			const csp = response.headers.get('content-security-policy')!;
			const directives = new Map(
				csp.split(';').map((part) => {
					const [name, ...sources] = part.trim().split(/\s+/);
					return [name!, sources] as const;
				})
			);
			expect(directives.get('default-src')).toEqual(["'self'"]);
			expect(directives.get('object-src')).toEqual(["'none'"]);
			expect(directives.get('base-uri')).toEqual(["'self'"]);
			expect(directives.get('form-action')).toEqual(["'self'"]);
			expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
			expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
			expect(directives.get('connect-src')).toEqual(["'self'", `ws://127.0.0.1:${server.port}`]);
			// SvelteKit's inline start-up script runs by its nonce; nothing else inline does.
			const scripts = directives.get('script-src')!;
			expect(scripts).not.toContain("'unsafe-inline'");
			const nonce = scripts.find((source) => source.startsWith("'nonce-"));
			expect(nonce).toBeDefined();
			expect(await response.text()).toContain(`nonce="${nonce!.slice(7, -1)}"`);
		}
		// A host's page opened by someone not signed in (open to anyone before host accounts):
		// sent to sign in, and back afterwards.
		const signedOut = await fetch(`${server.url}/host`, { redirect: 'manual' });
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toBe('/signin?next=%2Fhost');
	});

	test('are on API responses, pictures and errors, which may run nothing', async () => {
		const upload = await post('/api/images', tinyPng() as Uint8Array<ArrayBuffer>, {
			'content-type': 'image/png'
		});
		expect(upload.status).toBe(201);
		expectSecurityHeaders(upload);
		const { url } = (await upload.json()) as { url: string };

		const responses = [
			await server.admin.fetch('/api/quizzes'),
			await fetch(`${server.url}${url}`),
			await fetch(`${server.url}/api/games/999999`),
			await post('/api/games', '{'),
			// Refused at the door (the library is a host's now): a refusal is a response too.
			await fetch(`${server.url}/api/quizzes`)
		];
		expect(responses.map((response) => response.status)).toEqual([200, 200, 404, 400, 401]);
		for (const response of responses) {
			expectSecurityHeaders(response);
			expect(response.headers.get('content-security-policy')).toBe(
				"default-src 'none'; frame-ancestors 'none'; sandbox"
			);
		}
	});

	test('are on the static files the adapter serves itself', async () => {
		const favicon = await fetch(`${server.url}/favicon.svg`);
		expect(favicon.status).toBe(200);
		expect(favicon.headers.get('x-content-type-options')).toBe('nosniff');
		expect(favicon.headers.get('x-frame-options')).toBe('DENY');
		expect(favicon.headers.get('referrer-policy')).toBe('same-origin');
	});
});

describe('request bodies', () => {
	test('over a small endpoint’s cap are refused with 413 before being read whole', async () => {
		const big = JSON.stringify({ quizId: 'world-geography', padding: 'x'.repeat(20_000) });
		const tooLarge = {
			code: 'body-too-large',
			message: 'The request body is too large (at most 16 KB here)'
		};
		const declared = await post('/api/games', big);
		expect(declared.status).toBe(413);
		expect(await declared.json()).toEqual(tooLarge);

		// Chunked (no content-length to go by; browsers do not send these over HTTP/1.1): the
		// connection is cut once the body passes the cap, long before the 20 MB are sent.
		const streamed = await server.admin
			.fetch('/api/games', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: chunked(20 * 1024 * 1024),
				duplex: 'half'
			} as RequestInit)
			.then(
				(response) => response.status,
				(error: Error) => (error.cause as { code?: string } | undefined)?.code ?? error.message
			);
		expect([413, 'ECONNRESET', 'EPIPE']).toContain(streamed);

		const { pin } = await createGame(server);
		const join = await postAnonymously(`/api/games/${pin}/players`, big);
		expect(join.status).toBe(413);
		expect(await join.json()).toEqual(tooLarge);
	});

	test('of a quiz are capped at 2 MB', async () => {
		const quiz = { title: 'Big', questions: [], padding: 'x'.repeat(2 * 1024 * 1024) };
		const response = await post('/api/quizzes', JSON.stringify(quiz));
		expect(response.status).toBe(413);
		expect(await response.json()).toEqual({
			code: 'body-too-large',
			message: 'The request body is too large (at most 2 MB here)'
		});
	});

	test('that are malformed get 400 with a message saying what is wrong', async () => {
		for (const body of ['{"quizId":', 'not json', '']) {
			const response = await post('/api/games', body);
			expect(response.status, body).toBe(400);
			expect(await response.json()).toEqual({ code: 'bad-json', message: 'Body must be JSON' });
		}
		const wrongType = await post('/api/games', JSON.stringify({ quizId: 5 }));
		expect(wrongType.status).toBe(400);
		expect(await wrongType.json()).toEqual({
			code: 'bad-request',
			message: 'quizId: Invalid type: Expected string but received 5'
		});
		const badOption = await post(
			'/api/games',
			JSON.stringify({ quizId: 'world-geography', options: { introSeconds: 99 } })
		);
		expect(badOption.status).toBe(400);
		expect(((await badOption.json()) as { message: string }).message).toMatch(/^options\.intro/);

		const badQuiz = await post('/api/quizzes', JSON.stringify([1, 2]));
		expect(badQuiz.status).toBe(400);
		expect(await badQuiz.json()).toMatchObject({
			code: 'invalid-quiz',
			message: 'A quiz must be an object'
		});
	});

	test('of form actions are capped too, with the message shown on the page', async () => {
		const form = new URLSearchParams({ quizId: 'world-geography', padding: 'x'.repeat(20_000) });
		for (const path of ['/host?/create', '/quizzes?/duplicate', '/quizzes?/delete']) {
			// As `use:enhance` posts it from a host's page: the answer is the action's result as JSON.
			const response = await server.admin.fetch(path, {
				method: 'POST',
				headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
				body: form
			});
			const result = (await response.json()) as { type: string; status: number; data: string };
			expect(result, path).toMatchObject({ type: 'failure', status: 413 });
			expect(result.data).toContain('This form is too large (16 KB at most)');
		}
	});
});

describe('cross-site writes', () => {
	test('are refused whatever their content type; same-site ones go through', async () => {
		const body = JSON.stringify({ quizId: 'world-geography' });
		const crossSite = { code: 'cross-site', message: 'Requests from other sites are not accepted' };
		// Refused before anyone is asked who they are: signed in or not.
		const foreign = await post('/api/games', body, { origin: 'http://evil.example' });
		expect(foreign.status).toBe(403);
		expect(await foreign.json()).toEqual(crossSite);
		const anonymous = await postAnonymously('/api/games', body, { origin: 'http://evil.example' });
		expect(anonymous.status).toBe(403);
		// A picture with no content type from an opaque origin: what a `no-cors` fetch sends.
		const opaque = await server.admin.fetch('/api/images', {
			method: 'POST',
			headers: { origin: 'null' },
			body: tinyPng() as Uint8Array<ArrayBuffer>
		});
		expect(opaque.status).toBe(403);
		// The session cookie with neither Origin nor Sec-Fetch-Site: no page of ours sent that.
		const bare = await fetch(`${server.url}/api/games`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: server.admin.cookie },
			body
		});
		expect(bare.status).toBe(403);
		expect(await bare.json()).toEqual(crossSite);

		const own = await post('/api/games', body, { origin: server.url });
		expect(own.status).toBe(201);
		// Same-site but not signed in: creating a game is a host's (it was open to anyone before
		// host accounts).
		const signedOut = await postAnonymously('/api/games', body, { origin: server.url });
		expect(signedOut.status).toBe(401);
		expect(await signedOut.json()).toMatchObject({ code: 'sign-in' });
	});
});
