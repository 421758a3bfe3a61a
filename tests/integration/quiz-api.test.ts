/**
 * The editor's JSON API on the real server: quizzes created, read, replaced and deleted, every
 * schema problem reported with its path, and images checked by their bytes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TINY_GIF, TINY_SVG, tinyPng } from '../../src/lib/testing/test-images.ts';
import { startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const quiz = {
	title: 'Capitals',
	description: 'Europe only',
	questions: [
		{ text: 'Capital of France?', options: ['Paris', 'Lyon'], correct: [0], timeLimit: 20 },
		{
			text: 'Capitals on a river?',
			options: ['Paris', 'Madrid', 'Budapest'],
			correct: [0, 2],
			timeLimit: 30,
			points: 'double'
		}
	]
};

/** As the editor sends it: a signed-in host. */
function send(method: string, path: string, body?: unknown): Promise<Response> {
	return server.admin.fetch(path, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
}

function upload(bytes: Uint8Array, type = 'application/octet-stream'): Promise<Response> {
	return server.admin.fetch('/api/images', {
		method: 'POST',
		headers: { 'content-type': type },
		body: bytes as Uint8Array<ArrayBuffer>
	});
}

describe('quizzes', () => {
	test('are created under a new id, read, replaced and deleted', async () => {
		const created = await send('POST', '/api/quizzes', { ...quiz, id: 'chosen-by-client' });
		expect(created.status).toBe(201);
		const { id, updatedAt } = (await created.json()) as { id: string; updatedAt: number };
		expect(id).toMatch(/^[a-z0-9]{12}$/);
		expect(updatedAt).toBeGreaterThan(0);

		const read = await send('GET', `/api/quizzes/${id}`);
		expect(read.status).toBe(200);
		expect(await read.json()).toMatchObject({ ...quiz, id });

		const listed = (await (await send('GET', '/api/quizzes')).json()) as { id: string }[];
		expect(listed.map((item) => item.id)).toContain(id);

		const replaced = await send('PUT', `/api/quizzes/${id}`, {
			...quiz,
			id: 'other-id',
			title: 'Capitals, revised'
		});
		expect(replaced.status).toBe(200);
		expect(await replaced.json()).toMatchObject({ id });
		expect(await (await send('GET', `/api/quizzes/${id}`)).json()).toMatchObject({
			id,
			title: 'Capitals, revised'
		});
		expect((await send('GET', '/api/quizzes/other-id')).status).toBe(404);

		expect((await send('DELETE', `/api/quizzes/${id}`)).status).toBe(204);
		expect((await send('GET', `/api/quizzes/${id}`)).status).toBe(404);
		expect((await send('DELETE', `/api/quizzes/${id}`)).status).toBe(404);
	});

	test('that break the schema get every problem with its path', async () => {
		const response = await send('POST', '/api/quizzes', {
			title: '  ',
			questions: [
				quiz.questions[0],
				{ text: 'x'.repeat(201), options: ['Only one'], correct: [], timeLimit: 15 }
			]
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as {
			code: string;
			message: string;
			issues: { path: string; message: string }[];
		};
		expect(body.code).toBe('invalid-quiz');
		expect(body.message).toBe('The quiz has 5 problems');
		expect(body.issues).toEqual([
			{ path: 'title', message: 'Title is empty' },
			{ path: 'questions.1.text', message: 'Question text is longer than 200 characters' },
			{ path: 'questions.1.options', message: 'A question needs at least 2 answers' },
			{ path: 'questions.1.correct', message: 'Mark at least one answer as correct' },
			{
				path: 'questions.1.timeLimit',
				message: 'Time limit must be one of 5, 10, 20, 30, 60, 90, 120, 240 s'
			}
		]);

		const put = await send('PUT', '/api/quizzes/anything', { ...quiz, questions: [] });
		expect(put.status).toBe(400);
		expect(await put.json()).toMatchObject({
			code: 'invalid-quiz',
			issues: [{ path: 'questions', message: 'A quiz needs at least one question' }]
		});
	});

	test('bodies that are not a quiz at all are refused', async () => {
		const garbage = await server.admin.fetch('/api/quizzes', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{nope'
		});
		expect(garbage.status).toBe(400);
		expect(await garbage.json()).toMatchObject({ code: 'bad-json' });
		const list = await send('POST', '/api/quizzes', [quiz]);
		expect(list.status).toBe(400);
		expect(await list.json()).toMatchObject({ code: 'invalid-quiz' });
	});
});

describe('the library, a page at a time', () => {
	test('each page is followed by the Link to the next, and they add up to the whole list', async () => {
		for (let n = 0; n < 55; n++) {
			const created = await send('POST', '/api/quizzes', { ...quiz, title: `Paged ${n}` });
			expect(created.status).toBe(201);
		}
		const whole = (await (await send('GET', '/api/quizzes?q=paged')).json()) as { id: string }[];
		expect(whole).toHaveLength(55);

		const walked: string[] = [];
		let path: string | null = '/api/quizzes?q=paged&limit=20';
		const sizes: number[] = [];
		while (path) {
			const response = await send('GET', path);
			expect(response.status).toBe(200);
			const page = (await response.json()) as { id: string }[];
			sizes.push(page.length);
			walked.push(...page.map((item) => item.id));
			path = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
		}
		expect(sizes).toEqual([20, 20, 15]);
		expect(walked).toEqual(whole.map((item) => item.id));

		for (const [query, message] of [
			['limit=0', 'limit: a whole number from 1 to 500'],
			['limit=many', 'limit: a whole number from 1 to 500'],
			['after=yesterday', 'after: not a place in the library (<time>.<id>)']
		]) {
			const refused = await send('GET', `/api/quizzes?${query}`);
			expect(refused.status).toBe(400);
			expect(await refused.json()).toMatchObject({ code: 'bad-request', message });
		}

		// The library page without JavaScript: 50, then a link to the rest and back to the top.
		// Each title appears in its row and its share dialog: count the different ones.
		const titles = (html: string) => new Set(html.match(/>Paged \d+</g)).size;
		const first = await (await server.admin.fetch('/quizzes?q=paged')).text();
		expect(titles(first)).toBe(50);
		// (SvelteKit writes links relative to the page: ./quizzes?…)
		const more = /href="\.?(\/quizzes\?q=paged&amp;after=[^"]+)"[^>]*>Show more quizzes</.exec(
			first
		);
		expect(more).not.toBeNull();
		const rest = await (await server.admin.fetch(more![1]!.replaceAll('&amp;', '&'))).text();
		expect(titles(rest)).toBe(5);
		expect(rest).toContain('Back to the newest quizzes');
		expect(rest).not.toContain('Show more quizzes');
	});
});

describe('images', () => {
	test('are stored by content and served for good', async () => {
		const bytes = tinyPng([10, 20, 30, 255]);
		// The declared type means nothing; the bytes decide.
		const response = await upload(bytes, 'image/gif');
		expect(response.status).toBe(201);
		const { id, url } = (await response.json()) as { id: string; url: string };
		expect(id).toMatch(/^[0-9a-f]{64}\.png$/);
		expect(url).toBe(`/images/${id}`);

		const again = (await (await upload(bytes)).json()) as { id: string };
		expect(again.id).toBe(id);

		const served = await fetch(`${server.url}${url}`);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('image/png');
		expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(served.headers.get('x-content-type-options')).toBe('nosniff');
		expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);

		const gif = (await (await upload(TINY_GIF, 'image/gif')).json()) as { id: string };
		expect(gif.id).toMatch(/\.gif$/);
	});

	test('that are SVG or not images at all are refused', async () => {
		for (const bytes of [TINY_SVG, new TextEncoder().encode('hello')]) {
			const response = await upload(bytes, 'image/svg+xml');
			expect(response.status).toBe(415);
			expect(await response.json()).toEqual({
				code: 'unsupported-image',
				message: 'Only PNG, JPEG, GIF or WebP images (SVG is not accepted)'
			});
		}
		expect((await upload(new Uint8Array())).status).toBe(400);
	});

	test('over 5 MB are refused with a clear message', async () => {
		const big = new Uint8Array(5 * 1024 * 1024 + 1);
		big.set(tinyPng());
		const response = await upload(big, 'image/png');
		expect(response.status).toBe(413);
		expect(await response.json()).toEqual({
			code: 'image-too-large',
			message: 'Images can be at most 5 MB'
		});
	});

	// Needs adapter-node's BODY_SIZE_LIMIT (512 KB by default) raised to at least 5 MB.
	test('of a few megabytes, like phone photos, are accepted', async () => {
		const photo = new Uint8Array(3 * 1024 * 1024);
		photo.set(tinyPng());
		photo[photo.length - 1] = 7;
		const response = await upload(photo, 'image/png');
		expect(response.status).toBe(201);
	});

	test('with unknown or malformed ids are not found', async () => {
		for (const id of [`${'0'.repeat(64)}.png`, 'abc.png', '..%2Fdata.db']) {
			expect((await fetch(`${server.url}/images/${id}`)).status).toBe(404);
		}
	});
});

describe('the picture quota', () => {
	let small: RunningServer;
	beforeAll(async () => {
		small = await startServer({ PICTURE_QUOTA_MB: '1' });
	});
	afterAll(() => small?.stop());

	/** A real PNG with 400 KB of trailing bytes, different for each `n`. */
	const picture = (n: number) => {
		const png = tinyPng([n, 0, 0, 255]);
		const bytes = new Uint8Array(png.byteLength + 400 * 1024).fill(n);
		bytes.set(png);
		return bytes as Uint8Array<ArrayBuffer>;
	};
	const post = (bytes: Uint8Array<ArrayBuffer>) =>
		small.admin.fetch('/api/images', {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: bytes
		});

	test("refuses the picture that would take a host past it, in words, and keeps what's stored", async () => {
		expect((await post(picture(1))).status).toBe(201);
		expect((await post(picture(2))).status).toBe(201);
		const refused = await post(picture(3));
		expect(refused.status).toBe(413);
		expect(await refused.json()).toEqual({
			code: 'picture-quota',
			message:
				'Your pictures take 0.8 MB of the 1.0 MB each host may keep on this server, and this ' +
				'one (0.4 MB) would go past it. Pictures no quiz uses any more are removed 30 days ' +
				'after their last use; an admin can raise the limit (PICTURE_QUOTA_MB).'
		});
		// A picture already stored adds nothing: it still goes in.
		expect((await post(picture(1))).status).toBe(201);
	});

	test('weighs the pictures a Quizroom file brings along, before storing any of them', async () => {
		const bytes = picture(9);
		const id = `${createHash('sha256').update(bytes).digest('hex')}.png`;
		const file = {
			format: 'quizroom.quiz',
			version: 1,
			quiz: { title: 'With a picture', questions: [{ ...quiz.questions[0], image: id }] },
			images: { [id]: { type: 'image/png', data: Buffer.from(bytes).toString('base64') } }
		};
		const form = new FormData();
		form.append('file', new Blob([JSON.stringify(file)]), 'with-picture.json');
		const response = await small.admin.fetch('/quizzes?/import', {
			method: 'POST',
			body: form,
			headers: { accept: 'application/json' }
		});
		// Devalue-encoded: the words are in the text.
		const text = await response.text();
		expect(text).toContain('each host may keep on this server');
		expect((await small.admin.fetch(`/images/${id}`)).status).toBe(404);
	});
});

describe('a quiz naming a picture', () => {
	test('is saved when the picture is on the server, and refused at that question when not', async () => {
		const { id: image } = (await (await upload(tinyPng([1, 2, 3, 255]))).json()) as {
			id: string;
		};
		const [first, second] = quiz.questions;
		const pictured = { ...quiz, questions: [first, { ...second, image }] };
		expect((await send('POST', '/api/quizzes', pictured)).status).toBe(201);

		// A draft kept in a browser for months can name a picture deleted as unused since.
		const gone = `${'ab'.repeat(32)}.png`;
		const stale = { ...quiz, questions: [first, { ...second, image: gone }] };
		for (const [method, path] of [
			['POST', '/api/quizzes'],
			['PUT', '/api/quizzes/stale-draft']
		] as const) {
			const refused = await send(method, path, stale);
			expect(refused.status).toBe(400);
			expect(await refused.json()).toEqual({
				code: 'invalid-quiz',
				message: 'questions.1.image: This picture is no longer on the server: add it again',
				issues: [
					{
						path: 'questions.1.image',
						message: 'This picture is no longer on the server: add it again'
					}
				]
			});
		}
		expect((await send('GET', '/api/quizzes/stale-draft')).status).toBe(404);
	});
});
