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

function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
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
		for (const path of ['/', '/host', '/quizzes/new']) {
			const response = await fetch(`${server.url}${path}`);
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
	});

	test('are on API responses, pictures and errors, which may run nothing', async () => {
		const upload = await post('/api/images', tinyPng() as Uint8Array<ArrayBuffer>, {
			'content-type': 'image/png'
		});
		expect(upload.status).toBe(201);
		expectSecurityHeaders(upload);
		const { url } = (await upload.json()) as { url: string };

		const responses = [
			await fetch(`${server.url}/api/quizzes`),
			await fetch(`${server.url}${url}`),
			await fetch(`${server.url}/api/games/999999`),
			await post('/api/games', '{')
		];
		expect(responses.map((response) => response.status)).toEqual([200, 200, 404, 400]);
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
		const streamed = await fetch(`${server.url}/api/games`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: chunked(20 * 1024 * 1024),
			duplex: 'half'
		} as RequestInit).then(
			(response) => response.status,
			(error: Error) => (error.cause as { code?: string } | undefined)?.code ?? error.message
		);
		expect([413, 'ECONNRESET', 'EPIPE']).toContain(streamed);

		const { pin } = await createGame(server);
		const join = await post(`/api/games/${pin}/players`, big);
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
			// As `use:enhance` posts it: the answer is the action's result as JSON.
			const response = await fetch(`${server.url}${path}`, {
				method: 'POST',
				headers: {
					accept: 'application/json',
					'x-sveltekit-action': 'true',
					origin: server.url
				},
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
		const foreign = await post('/api/games', body, { origin: 'http://evil.example' });
		expect(foreign.status).toBe(403);
		expect(await foreign.json()).toEqual({
			code: 'cross-site',
			message: 'Requests from other sites are not accepted'
		});
		// A picture with no content type from an opaque origin: what a `no-cors` fetch sends.
		const opaque = await fetch(`${server.url}/api/images`, {
			method: 'POST',
			headers: { origin: 'null' },
			body: tinyPng() as Uint8Array<ArrayBuffer>
		});
		expect(opaque.status).toBe(403);

		const own = await post('/api/games', body, { origin: server.url });
		expect(own.status).toBe(201);
	});
});
