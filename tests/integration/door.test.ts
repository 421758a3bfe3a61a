/**
 * Every door, checked from outside: each page, endpoint and download (every route under
 * src/routes, every method), each route of the room server and each socket command, asked of
 * the running server by an anonymous visitor, a player in a game, another host (B) and an
 * admin, about host A's things: a private quiz, a report, a live game.
 *
 * The table below must have a row for every route the app has, and the app's door table
 * (src/lib/server/accounts/door.ts) and the README's "Who may do what" must too: a new route
 * without a row fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inviteHost, signInAdmin, type HostSession } from '../../scripts/host-session.ts';
import { CloseCode, HOST_COMMANDS, PROTOCOL_VERSION } from '../../src/lib/protocol/index.ts';
import { ClientMessageSchema } from '../../src/lib/protocol/messages.ts';
import {
	COMMAND_SENDERS,
	ROUTE_DOORS,
	SOCKET_ROUTES,
	type Method
} from '../../src/lib/server/accounts/door.ts';
import { GameService } from '../../src/lib/server/live/game-service.ts';
import { MemoryStorage } from '../../src/lib/server/storage/memory.ts';
import { roomServer } from '../../src/lib/server/transport/room-server.ts';
import { tinyPng } from '../../src/lib/testing/test-images.ts';
import { FallbackClient } from './fallback-client.ts';
import { form, json, startServer, TestClient, type RunningServer } from './harness.ts';

const ROOT = join(import.meta.dirname, '../..');

// ---------------------------------------------------------------------------------------------
// The routes the app has

/** `METHOD /route/[param]` for every route file under src/routes. */
function appRoutes(): string[] {
	const routes: string[] = [];
	const walk = (dir: string) => {
		const names = readdirSync(dir);
		const id = '/' + relative(join(ROOT, 'src/routes'), dir).split('\\').join('/');
		const route = id === '/' ? '/' : id.replace(/\/$/, '');
		if (names.includes('+page.svelte')) {
			routes.push(`GET ${route}`);
			const server = names.includes('+page.server.ts')
				? readFileSync(join(dir, '+page.server.ts'), 'utf8')
				: '';
			if (/export const actions\b/.test(server)) routes.push(`POST ${route}`);
		}
		if (names.includes('+server.ts')) {
			const text = readFileSync(join(dir, '+server.ts'), 'utf8');
			for (const [, method] of text.matchAll(
				/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g
			)) {
				routes.push(`${method} ${route}`);
			}
		}
		for (const name of names) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
		}
	};
	walk(join(ROOT, 'src/routes'));
	return routes.sort();
}

function doorRows(): string[] {
	return Object.entries(ROUTE_DOORS)
		.flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method} ${route}`))
		.sort();
}

/** The keys of the README's "Who may do what" table: each `GET /x` and each `command`. */
function readmeRows(): string[] {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const start = readme.indexOf('### Who may do what');
	const table = readme.slice(start, readme.indexOf('\n## ', start));
	return table
		.split('\n')
		.filter((line) => line.startsWith('| `'))
		.flatMap((line) => [...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!))
		.filter((code) => /^(GET|POST|PUT|DELETE|OPTIONS) \/\S*$|^[a-z]+$/.test(code))
		.sort();
}

describe('the door table', () => {
	test('has a row for every route and method of the app, and none for routes gone', () => {
		expect(doorRows()).toEqual(appRoutes());
	});

	test('has a row for every route of the room server', async () => {
		const routes: string[] = [];
		const app = Fastify();
		app.addHook('onRoute', (route) => {
			for (const method of [route.method].flat()) {
				if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
			}
		});
		const games = new GameService({ storage: new MemoryStorage() });
		await app.register(roomServer, { games, fallback: { polling: true } });
		await app.ready();
		await app.close();
		games.shutdown();
		expect(routes.sort()).toEqual(Object.keys(SOCKET_ROUTES).sort());
	});

	test('has a row for every command, and the host commands are the host’s', () => {
		const types = ClientMessageSchema.options.map((option) => option.entries.type.literal).sort();
		expect(Object.keys(COMMAND_SENDERS).sort()).toEqual(types);
		const hosts = Object.entries(COMMAND_SENDERS)
			.filter(([, sender]) => sender === 'host')
			.map(([type]) => type)
			.sort();
		expect(hosts).toEqual([...HOST_COMMANDS].sort());
	});

	test('is the README’s table, row for row', () => {
		const expected = [
			...doorRows(),
			...Object.keys(SOCKET_ROUTES),
			...Object.keys(COMMAND_SENDERS)
		];
		expect(readmeRows()).toEqual(expected.sort());
	});

	test('is what this test asks the server about, row for row', () => {
		expect(CHECKS.map((check) => `${check.method} ${check.route}`).sort()).toEqual(doorRows());
	});
});

// ---------------------------------------------------------------------------------------------
// Asking the server

type Role = 'anonymous' | 'player' | 'hostB' | 'admin';
const ROLES: readonly Role[] = ['anonymous', 'player', 'hostB', 'admin'];

/** A status, or SIGN_IN: sent to the sign-in page (303 to /signin?next=…). */
const SIGN_IN = 'sign in';
type Expected = number | typeof SIGN_IN;

interface World {
	/** Host A's private quiz, another to delete, A's report, A's live game and its player. */
	quiz: string;
	doomed: string;
	report: string;
	pin: string;
	hostToken: string;
	playerId: string;
	playerToken: string;
	image: string;
}

interface Check {
	route: string;
	method: Method;
	request(world: World): { path: string; init?: RequestInit };
	/** One status for everyone, or one per role. */
	expect: Expected | Record<Role, Expected>;
}

const QUIZ_BODY = {
	title: 'Door test',
	description: '',
	questions: [{ type: 'quiz', text: 'One?', options: ['Yes', 'No'], correct: [0], timeLimit: 20 }]
};
const BOGUS_TOKEN = 'x'.repeat(43);
let joins = 0;

/** Signed-in host routes: anonymous and players are sent to sign in (pages) or told to (401). */
const hostOnly = (host: Expected, admin: Expected, page = true): Record<Role, Expected> => ({
	anonymous: page ? SIGN_IN : 401,
	player: page ? SIGN_IN : 401,
	hostB: host,
	admin
});

const CHECKS: Check[] = [
	// Players and passers-by.
	{ route: '/', method: 'GET', request: (w) => ({ path: `/?pin=${w.pin}` }), expect: 200 },
	{
		route: '/',
		method: 'POST',
		request: (w) => ({ path: '/?/pin', init: form({ pin: w.pin }) }),
		expect: 303
	},
	{
		route: '/play/[playerId]',
		method: 'GET',
		request: (w) => ({ path: `/play/${w.playerId}` }),
		expect: 200
	},
	{
		route: '/api/messages/[locale]',
		method: 'GET',
		request: () => ({ path: '/api/messages/de' }),
		expect: 200
	},
	{
		route: '/api/games/[pin]',
		method: 'GET',
		request: (w) => ({ path: `/api/games/${w.pin}` }),
		expect: 200
	},
	{
		route: '/api/games/[pin]/players',
		method: 'POST',
		request: (w) => ({
			path: `/api/games/${w.pin}/players`,
			init: json('POST', { nickname: `Joiner ${++joins}` })
		}),
		expect: 201
	},
	{
		route: '/api/seats/locate',
		method: 'POST',
		request: (w) => ({ path: '/api/seats/locate', init: json('POST', { token: w.playerToken }) }),
		expect: 200
	},
	{
		route: '/images/[id]',
		method: 'GET',
		request: (w) => ({ path: `/images/${w.image}` }),
		expect: 200
	},
	// The way in.
	{
		route: '/signin',
		method: 'GET',
		request: () => ({ path: '/signin' }),
		// Signed in already: on to /host.
		expect: { anonymous: 200, player: 200, hostB: 303, admin: 303 }
	},
	{
		route: '/signin',
		method: 'POST',
		request: () => ({
			path: '/signin',
			init: form({ name: 'Nobody', password: 'wrong password' })
		}),
		// Signed in already: the page sends them on whatever the form said.
		expect: { anonymous: 400, player: 400, hostB: 303, admin: 303 }
	},
	{
		route: '/setup/[token]',
		method: 'GET',
		request: () => ({ path: `/setup/${BOGUS_TOKEN}` }),
		expect: 200
	},
	{
		route: '/invite/[token]',
		method: 'GET',
		request: () => ({ path: `/invite/${BOGUS_TOKEN}` }),
		expect: 200
	},
	{
		route: '/link/[token]',
		method: 'GET',
		request: () => ({ path: `/link/${BOGUS_TOKEN}` }),
		expect: 200
	},
	// A link's button: the link is the key, and this one opens nothing.
	{
		route: '/setup/[token]',
		method: 'POST',
		request: () => ({ path: `/setup/${BOGUS_TOKEN}`, init: form({}) }),
		expect: 400
	},
	{
		route: '/invite/[token]',
		method: 'POST',
		request: () => ({ path: `/invite/${BOGUS_TOKEN}`, init: form({}) }),
		expect: 400
	},
	{
		route: '/link/[token]',
		method: 'POST',
		request: () => ({ path: `/link/${BOGUS_TOKEN}`, init: form({}) }),
		expect: 400
	},
	{
		route: '/api/passkeys/sign-in',
		method: 'GET',
		request: () => ({ path: '/api/passkeys/sign-in' }),
		expect: 200
	},
	{
		route: '/api/passkeys/sign-in',
		method: 'POST',
		request: () => ({ path: '/api/passkeys/sign-in', init: json('POST', { id: 'nope' }) }),
		expect: 400
	},
	// What a refused page shows in its place: it opens nothing, and says no to everyone.
	{ route: '/refused', method: 'GET', request: () => ({ path: '/refused' }), expect: 403 },
	// A host's own account.
	{
		route: '/account',
		method: 'GET',
		request: () => ({ path: '/account' }),
		expect: hostOnly(200, 200)
	},
	{
		route: '/account',
		method: 'POST',
		request: () => ({ path: '/account?/endOthers', init: form({}) }),
		expect: hostOnly(200, 200, false)
	},
	{
		route: '/api/passkeys/options',
		method: 'POST',
		// Ben and the admin have no password (signed in by links): nothing to confirm with.
		request: () => ({ path: '/api/passkeys/options', init: json('POST', {}) }),
		expect: hostOnly(200, 200, false)
	},
	{
		route: '/api/passkeys',
		method: 'POST',
		request: () => ({ path: '/api/passkeys', init: json('POST', { id: 'nope' }) }),
		expect: hostOnly(400, 400, false)
	},
	// Hosting, the library and reports: B reaches nothing of A's; an admin reaches everything.
	{ route: '/host', method: 'GET', request: () => ({ path: '/host' }), expect: hostOnly(200, 200) },
	{
		route: '/host',
		method: 'POST',
		request: (w) => ({ path: '/host?/create', init: form({ quizId: w.quiz, introSeconds: '0' }) }),
		expect: hostOnly(404, 303, false)
	},
	{
		route: '/host/[pin]',
		method: 'GET',
		request: (w) => ({ path: `/host/${w.pin}` }),
		expect: hostOnly(404, 200)
	},
	{
		route: '/api/games',
		method: 'POST',
		request: (w) => ({ path: '/api/games', init: json('POST', { quizId: w.quiz }) }),
		expect: hostOnly(404, 201, false)
	},
	{
		route: '/quizzes',
		method: 'GET',
		request: () => ({ path: '/quizzes' }),
		expect: hostOnly(200, 200)
	},
	{
		route: '/quizzes',
		method: 'POST',
		request: (w) => ({ path: '/quizzes?/duplicate', init: form({ id: w.quiz }) }),
		expect: hostOnly(404, 303, false)
	},
	{
		route: '/quizzes/new',
		method: 'GET',
		request: () => ({ path: '/quizzes/new' }),
		expect: hostOnly(200, 200)
	},
	{
		route: '/quizzes/[id]',
		method: 'GET',
		request: (w) => ({ path: `/quizzes/${w.quiz}` }),
		expect: hostOnly(404, 200)
	},
	{
		route: '/quizzes/[id]/export/[format]',
		method: 'GET',
		request: (w) => ({ path: `/quizzes/${w.quiz}/export/json` }),
		expect: hostOnly(404, 200, false)
	},
	{
		route: '/api/quizzes',
		method: 'GET',
		request: () => ({ path: '/api/quizzes' }),
		expect: hostOnly(200, 200, false)
	},
	{
		route: '/api/quizzes',
		method: 'POST',
		request: () => ({ path: '/api/quizzes', init: json('POST', QUIZ_BODY) }),
		expect: hostOnly(201, 201, false)
	},
	{
		route: '/api/quizzes/[id]',
		method: 'GET',
		request: (w) => ({ path: `/api/quizzes/${w.quiz}` }),
		expect: hostOnly(404, 200, false)
	},
	{
		route: '/api/quizzes/[id]',
		method: 'PUT',
		request: (w) => ({ path: `/api/quizzes/${w.quiz}`, init: json('PUT', QUIZ_BODY) }),
		expect: hostOnly(404, 200, false)
	},
	{
		route: '/api/quizzes/[id]',
		method: 'DELETE',
		request: (w) => ({ path: `/api/quizzes/${w.doomed}`, init: { method: 'DELETE' } }),
		expect: hostOnly(404, 204, false)
	},
	{
		route: '/api/quizzes/[id]/shares',
		method: 'GET',
		request: (w) => ({ path: `/api/quizzes/${w.quiz}/shares` }),
		expect: hostOnly(404, 200, false)
	},
	{
		route: '/api/quizzes/[id]/shares',
		method: 'PUT',
		request: (w) => ({
			path: `/api/quizzes/${w.quiz}/shares`,
			init: json('PUT', { grantee: '*', level: null })
		}),
		expect: hostOnly(404, 200, false)
	},
	{
		route: '/api/images',
		method: 'POST',
		request: () => ({
			path: '/api/images',
			init: {
				method: 'POST',
				headers: { 'content-type': 'image/png' },
				body: Buffer.from(tinyPng([1, 2, 3, 255]))
			}
		}),
		expect: hostOnly(201, 201, false)
	},
	{
		route: '/reports',
		method: 'GET',
		request: () => ({ path: '/reports' }),
		expect: hostOnly(200, 200)
	},
	{
		route: '/reports/[id]',
		method: 'GET',
		request: (w) => ({ path: `/reports/${w.report}` }),
		expect: hostOnly(404, 200)
	},
	{
		route: '/reports/[id]/export/[format]',
		method: 'GET',
		request: (w) => ({ path: `/reports/${w.report}/export/csv` }),
		expect: hostOnly(404, 200, false)
	},
	// Managing hosts: no secret that the page exists, so a host gets 403.
	{
		route: '/admin',
		method: 'GET',
		request: () => ({ path: '/admin' }),
		expect: hostOnly(403, 200)
	},
	{
		route: '/admin',
		method: 'POST',
		request: () => ({
			path: '/admin?/invite',
			init: form({ name: 'Door Test Invitee', role: 'host' })
		}),
		expect: hostOnly(403, 200, false)
	},
	// Last: it ends the sessions it is asked with.
	{
		route: '/signout',
		method: 'POST',
		request: () => ({ path: '/signout', init: form({}) }),
		expect: 303
	}
];

let server: RunningServer;
let admin: HostSession;
let ana: HostSession;
let ben: HostSession;
let world: World;
let playerCookie: string;

async function play(): Promise<World> {
	const quiz = await ana.json<{ id: string }>(
		'/api/quizzes',
		json('POST', { ...QUIZ_BODY, title: 'Ana private' })
	);
	const doomed = await ana.json<{ id: string }>(
		'/api/quizzes',
		json('POST', { ...QUIZ_BODY, title: 'Ana doomed' })
	);
	const image = await ana.json<{ id: string }>('/api/images', {
		method: 'POST',
		headers: { 'content-type': 'image/png' },
		body: Buffer.from(tinyPng([9, 9, 9, 255]))
	});
	// A game played to its first reveal and ended: Ana's report.
	const played = await ana.json<{ pin: string; hostToken: string }>(
		'/api/games',
		json('POST', { quizId: quiz.id, options: { introSeconds: 0 } })
	);
	const anaScreen = await TestClient.connect(server, played.hostToken, {
		headers: { cookie: ana.cookie }
	});
	const seat = await (
		await fetch(`${server.url}/api/games/${played.pin}/players`, json('POST', { nickname: 'Pia' }))
	).json();
	const pia = await TestClient.connect(server, seat.token, { headers: {} });
	anaScreen.send({ type: 'start' });
	await pia.next('phase', (m) => m.phase === 'open');
	pia.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await anaScreen.next('phase', (m) => m.phase === 'reveal');
	anaScreen.send({ type: 'end' });
	await anaScreen.closed();
	await pia.close();
	const reportId = await waitForReport(ana);

	// And a game in progress, with a player in its lobby.
	const live = await ana.json<{ pin: string; hostToken: string }>(
		'/api/games',
		json('POST', { quizId: quiz.id, options: { introSeconds: 0 } })
	);
	const joined = await (
		await fetch(`${server.url}/api/games/${live.pin}/players`, json('POST', { nickname: 'Max' }))
	).json();
	playerCookie = `quizroom-player-${joined.playerId}=${joined.token}`;
	return {
		quiz: quiz.id,
		doomed: doomed.id,
		report: reportId,
		pin: live.pin,
		hostToken: live.hostToken,
		playerId: joined.playerId,
		playerToken: joined.token,
		image: image.id
	};
}

async function waitForReport(host: HostSession): Promise<string> {
	for (let i = 0; i < 50; i++) {
		const page = await (await host.fetch('/reports')).text();
		const id = /href="[^"]*reports\/([\w-]+)"/.exec(page)?.[1];
		if (id) return id;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('No report');
}

function ask(role: Role, path: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set('origin', server.url);
	if (role === 'player') headers.set('cookie', playerCookie);
	const session = role === 'hostB' ? ben : role === 'admin' ? admin : null;
	if (session) return session.fetch(path, { ...init, headers });
	return fetch(`${server.url}${path}`, { redirect: 'manual', ...init, headers });
}

beforeAll(async () => {
	server = await startServer();
	admin = server.admin;
	ana = await inviteHost(admin, 'Ana');
	ben = await inviteHost(admin, 'Ben');
	world = await play();
}, 60_000);
afterAll(() => server?.stop());

describe('every route, as each kind of person', () => {
	test('answers as its row says', async () => {
		const failures: string[] = [];
		for (const check of CHECKS) {
			for (const role of ROLES) {
				const expected = typeof check.expect === 'object' ? check.expect[role] : check.expect;
				const { path, init } = check.request(world);
				const response = await ask(role, path, init);
				const got = response.status;
				const location = response.headers.get('location') ?? '';
				const ok =
					expected === SIGN_IN
						? got === 303 && location.startsWith('/signin?next=')
						: got === expected;
				if (!ok)
					failures.push(
						`${check.method} ${path} as ${role}: ${got} ${location}, expected ${expected}`
					);
				await response.body?.cancel();
			}
		}
		expect(failures).toEqual([]);
	}, 60_000);
});

describe('what a host sees of another’s things', () => {
	beforeAll(async () => {
		// /signout above ended Ben's and the admin's sessions: sign them in again.
		admin = server.admin = await signInAdmin(server.url, '', { DATA_DIR: server.dataDir });
		ben = await inviteHost(admin, 'Ben 2');
	});

	test('lists leave out another host’s quizzes and reports; an admin’s do not', async () => {
		const benQuizzes = await ben.json<{ id: string }[]>('/api/quizzes');
		expect(benQuizzes.map((quiz) => quiz.id)).not.toContain(world.quiz);
		// The samples are everyone's to use.
		expect(benQuizzes.map((quiz) => quiz.id)).toContain('world-geography');
		expect(await (await ben.fetch('/reports')).text()).not.toContain(world.report);
		const adminQuizzes = await admin.json<{ id: string }[]>('/api/quizzes');
		expect(adminQuizzes.map((quiz) => quiz.id)).toContain(world.quiz);
		expect(await (await admin.fetch('/reports')).text()).toContain(world.report);
	});

	test('a quiz shared to use: hosted and copied, but not edited (403: its existence is no secret)', async () => {
		// Ana shares her quiz with everyone on the server, to use.
		const shared = await ana.fetch(
			`/api/quizzes/${world.quiz}/shares`,
			json('PUT', { grantee: '*', level: 'use' })
		);
		expect(shared.status).toBe(200);
		expect((await ben.fetch(`/api/quizzes/${world.quiz}`)).status).toBe(200);
		expect((await ben.fetch(`/api/quizzes/${world.quiz}`, json('PUT', QUIZ_BODY))).status).toBe(
			403
		);
		expect((await ben.fetch(`/quizzes/${world.quiz}`)).status).toBe(403);
		expect((await ben.fetch(`/api/quizzes/${world.quiz}`, { method: 'DELETE' })).status).toBe(403);
		const game = await ben.fetch('/api/games', json('POST', { quizId: world.quiz }));
		expect(game.status).toBe(201);
		// Shares are the owner's: Ben sees the quiz, but cannot see or change its shares.
		const shares = await ben.fetch(`/api/quizzes/${world.quiz}/shares`);
		expect(shares.status).toBe(403);
		expect((await shares.json()).message).toBe(
			'Only the quiz’s owner may see or change who it is shared with'
		);
		const deleting = await ben.fetch(`/api/quizzes/${world.quiz}`, { method: 'DELETE' });
		expect(await deleting.json()).toMatchObject({
			code: 'forbidden',
			message: 'Only the quiz’s owner may delete it'
		});
	});

	test('a signed-in write without a browser’s Origin is refused (CSRF)', async () => {
		const response = await fetch(`${server.url}/api/quizzes`, {
			method: 'POST',
			headers: { cookie: ben.cookie, 'content-type': 'application/json' },
			body: JSON.stringify(QUIZ_BODY)
		});
		expect(response.status).toBe(403);
		const crossSite = await ben.fetch('/api/quizzes', {
			...json('POST', QUIZ_BODY),
			headers: { 'content-type': 'application/json', origin: 'https://evil.example' }
		});
		expect(crossSite.status).toBe(403);
	});
});

describe('the socket and the fallback', () => {
	const HOST_FRAMES = [
		{ type: 'start' },
		{ type: 'next' },
		{ type: 'kick', playerId: 'x' },
		{ type: 'lock', locked: true },
		{ type: 'pause', paused: true },
		{ type: 'end' }
	];

	async function hello(cookie: string | undefined, token: string) {
		const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`, {
			headers: cookie ? { cookie } : {}
		});
		const frames: { type: string; code?: string }[] = [];
		socket.on('message', (data) => frames.push(JSON.parse(String(data))));
		await new Promise((resolve) => socket.once('open', resolve));
		socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token }));
		const code = await new Promise<number | null>((resolve) => {
			socket.once('close', (closed) => resolve(closed));
			const waitForState = setInterval(() => {
				if (frames.some((frame) => frame.type === 'state')) {
					clearInterval(waitForState);
					resolve(null);
				}
			}, 20);
		});
		return { socket, frames, code };
	}

	test('the host seat opens only for its host’s session or an admin’s: a host link alone is not enough', async () => {
		for (const cookie of [undefined, playerCookie, ben.cookie]) {
			const attempt = await hello(cookie, world.hostToken);
			expect(attempt.code).toBe(CloseCode.notYourGame);
			expect(attempt.frames).toContainEqual(expect.objectContaining({ code: 'not-your-game' }));
		}
		const owner = await hello(ana.cookie, world.hostToken);
		expect(owner.code).toBeNull();
		owner.socket.close();
	});

	test('the same holds on the HTTP fallback', async () => {
		const stranger = await FallbackClient.open(server, undefined, { cookie: ben.cookie });
		stranger.send({ type: 'hello', v: PROTOCOL_VERSION, token: world.hostToken });
		expect(await stranger.closed()).toBe(CloseCode.notYourGame);
	});

	test('a player’s seat cannot send a host command', async () => {
		const player = await TestClient.connect(server, world.playerToken, { headers: {} });
		for (const frame of HOST_FRAMES) {
			player.send(frame);
			const refusal = await player.next('error');
			expect(refusal.code, frame.type).toBe('forbidden');
		}
		await player.close();
	});
});
