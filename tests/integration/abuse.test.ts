/**
 * The limits that keep one bad client from hurting everyone else's game, against the real
 * server: the WebSocket origin check, connections per address, the per-socket message budget,
 * PIN-guess throttling (per browser, and per address), kicks that stick, and the lobby lock.
 */
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, PROTOCOL_VERSION } from '../../src/lib/protocol/index.ts';
import { waitInWords } from '../../src/lib/protocol/wait.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer({ ALLOWED_ORIGINS: 'https://quiz.example.org' });
});
afterAll(() => server?.stop());

/** Opens a raw socket with this Origin: the HTTP status of a refused upgrade, or 101. */
async function upgradeStatus(origin: string | undefined): Promise<number> {
	const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, {
		headers: origin ? { origin } : {}
	});
	return new Promise((resolve) => {
		socket.on('upgrade', () => {
			resolve(101);
			socket.close();
		});
		socket.on('unexpected-response', (_request, response) => {
			resolve(response.statusCode ?? 0);
			socket.terminate();
		});
		socket.on('error', () => {});
	});
}

describe('who may open a socket', () => {
	test("another site's page is refused before the upgrade; ours and ALLOWED_ORIGINS are not", async () => {
		expect(await upgradeStatus('http://evil.example')).toBe(403);
		expect(await upgradeStatus('null')).toBe(403);
		expect(await upgradeStatus(server.url)).toBe(101);
		expect(await upgradeStatus('https://quiz.example.org')).toBe(101);
		// Not a browser: it could claim any origin, so it is let through to say hello.
		expect(await upgradeStatus(undefined)).toBe(101);
	});

	test('one address may hold only so many sockets; a closed one frees a place', async () => {
		// Its own server, so other tests' sockets do not count.
		const capped = await startServer({ MAX_CONNECTIONS_PER_IP: '4' });
		onTestFinished(() => capped.stop());
		const clients = await Promise.all(Array.from({ length: 4 }, () => TestClient.connect(capped)));
		const fifth = await TestClient.connect(capped);
		expect(await fifth.closed()).toBe(CloseCode.policy);
		expect(fifth.messages).toContainEqual(
			expect.objectContaining({ type: 'error', code: 'too-many-connections' })
		);
		clients[0]!.socket.close();
		await clients[0]!.closed();
		const again = await TestClient.connect(capped);
		expect(again.socket.readyState).toBe(WebSocket.OPEN);
		for (const client of [...clients, again]) client.socket.close();
		await Promise.all([...clients, again].map((client) => client.closed()));
	});

	test('a socket that never says hello is closed after a few seconds', async () => {
		const idle = await TestClient.connect(server);
		expect(await idle.closed(15_000)).toBe(CloseCode.helloTimeout);
		expect(idle.messages).toContainEqual(
			expect.objectContaining({ type: 'error', code: 'not-authenticated' })
		);
	});
});

describe('a flooding socket', () => {
	test('gets "rate-limited" for frames past its budget, then is cut off; the game goes on', async () => {
		const game = await createGame(server);
		const host = await TestClient.connect(server, game.hostToken);
		const flooder = await TestClient.connect(server);
		for (let i = 0; i < 200; i++) flooder.send({ type: 'clock', id: i, clientSentAt: 0 });
		expect(await flooder.closed()).toBe(CloseCode.policy);
		const clockReplies = flooder.messages.filter((m) => m.type === 'clock').length;
		const refusals = flooder.messages.filter(
			(m) => m.type === 'error' && m.code === 'rate-limited'
		);
		// A burst of three seconds' worth got through; the rest were refused, each with an error.
		expect(clockReplies).toBeGreaterThanOrEqual(30);
		expect(clockReplies).toBeLessThan(40);
		expect(refusals.length).toBeGreaterThan(0);
		expect(refusals.at(-1)).toMatchObject({ message: 'Too many messages: disconnected' });

		// The host's own socket on the same address is untouched.
		host.send({ type: 'clock', id: 1, clientSentAt: 0 });
		await host.next('clock');
		host.socket.close();
	});
});

describe('PIN guessing over HTTP', () => {
	/** A join as a phone's browser makes it: with its device cookie once it has one. */
	function join(server: RunningServer, pin: string, nickname: string, cookie?: string) {
		return fetch(`${server.url}/api/games/${pin}/players`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: JSON.stringify({ nickname })
		});
	}

	async function expectTooManyGuesses(response: Response): Promise<void> {
		expect(response.status).toBe(429);
		const retryAfter = Number(response.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(50);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(await response.json()).toEqual({
			code: 'too-many-guesses',
			message: `Too many wrong PINs: try again ${waitInWords(retryAfter * 1000)}`
		});
	}

	test('after too many wrong PINs the browser gets 429 with a retry time, even for a right PIN; other phones do not', async () => {
		// Its own server: this address's guesses count there for a minute.
		const guarded = await startServer({ PIN_GUESSES_PER_MINUTE: '3' });
		onTestFinished(() => guarded.stop());
		const game = await createGame(guarded);
		const wrong = game.pin === '999999' ? '999998' : '999999';
		// One browser: the first answer gives it its device cookie, which it sends from then on.
		let cookie: string | undefined;
		for (let i = 0; i < 3; i++) {
			const response = await join(guarded, wrong, `Guess ${i}`, cookie);
			expect(response.status).toBe(404);
			cookie ??= response.headers
				.getSetCookie()
				.find((line) => line.startsWith('quizroom-device='))
				?.split(';')[0];
			expect(cookie).toBeDefined();
		}
		await expectTooManyGuesses(await join(guarded, game.pin, 'Ana', cookie));
		// The lookup the join page makes is throttled the same way.
		const lookup = await fetch(`${guarded.url}/api/games/${game.pin}`, {
			headers: { cookie: cookie! }
		});
		expect(lookup.status).toBe(429);
		// Another phone on the same address (a class behind one router) still gets in: before,
		// the address was blocked after the same few guesses; now it may guess 20 times as many.
		expect((await joinGame(guarded, game.pin, 'Ben')).status).toBe(201);
		expect((await fetch(`${guarded.url}/api/games/${game.pin}`)).status).toBe(200);
	});

	test("a guesser that drops its cookies meets the address's limit, 20 times a browser's", async () => {
		const guarded = await startServer({ PIN_GUESSES_PER_MINUTE: '3' });
		onTestFinished(() => guarded.stop());
		const game = await createGame(guarded);
		const wrong = game.pin === '999999' ? '999998' : '999999';
		// No cookie sent back: a new browser every time, so only the address counts the guesses.
		for (let i = 0; i < 20 * 3; i++) {
			expect((await joinGame(guarded, wrong, `Guess ${i}`)).status, `guess ${i}`).toBe(404);
		}
		await expectTooManyGuesses(await join(guarded, game.pin, 'Ana'));
		expect((await fetch(`${guarded.url}/api/games/${game.pin}`)).status).toBe(429);
	});
});

describe('the host removes a player', () => {
	test('their phone is told, their token says "removed" on reload, and their browser cannot rejoin', async () => {
		const game = await createGame(server);
		const host = await TestClient.connect(server, game.hostToken);
		const join = await fetch(`${server.url}/api/games/${game.pin}/players`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ nickname: 'Troll' })
		});
		expect(join.status).toBe(201);
		const browser = join.headers.getSetCookie().find((c) => c.startsWith('quizroom-device='));
		expect(browser).toBeDefined();
		const cookie = browser!.split(';')[0]!;
		const seat = (await join.json()) as { playerId: string; token: string };
		const phone = await TestClient.connect(server, seat.token);

		host.send({ type: 'kick', playerId: seat.playerId });
		expect(await phone.closed()).toBe(CloseCode.kicked);
		expect(phone.messages).toContainEqual({
			type: 'closed',
			reason: 'kicked',
			message: 'You were removed from the game by the host'
		});

		// A reload: the same token says why, and opens nothing.
		const reloaded = await TestClient.connect(server);
		reloaded.send({ type: 'hello', v: PROTOCOL_VERSION, token: seat.token });
		expect(await reloaded.closed()).toBe(CloseCode.kicked);
		expect(reloaded.messages).toContainEqual(
			expect.objectContaining({ type: 'error', code: 'kicked' })
		);

		// Joining again from the same browser, under another name.
		const rejoin = await fetch(`${server.url}/api/games/${game.pin}/players`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({ nickname: 'Not A Troll' })
		});
		expect(rejoin.status).toBe(403);
		expect(await rejoin.json()).toEqual({
			code: 'banned',
			message: 'The host removed you from this game'
		});
		// Someone else still gets in.
		expect((await joinGame(server, game.pin, 'Maya')).status).toBe(201);
		host.socket.close();
	});
});

describe('the host locks the game', () => {
	test('new players are turned away until it is unlocked; the lookup says so', async () => {
		const game = await createGame(server);
		const host = await TestClient.connect(server, game.hostToken);
		expect((await joinGame(server, game.pin, 'Ana')).status).toBe(201);
		host.send({ type: 'lock', locked: true });
		expect(await host.next('locked')).toEqual({ type: 'locked', locked: true });

		const refused = await joinGame(server, game.pin, 'Ben');
		expect(refused.status).toBe(403);
		expect(refused.body).toEqual({
			code: 'game-locked',
			message: 'The host has locked this game: no new players'
		});
		const lookup = await (await fetch(`${server.url}/api/games/${game.pin}`)).json();
		expect(lookup).toMatchObject({ joinable: false });

		host.send({ type: 'lock', locked: false });
		await host.next('locked');
		expect((await joinGame(server, game.pin, 'Ben')).status).toBe(201);
		host.socket.close();
	});

	test.each([
		['pause', { type: 'pause', paused: true }],
		['lock', { type: 'lock', locked: true }]
	] as const)('a player cannot %s it', async (command, message) => {
		const game = await createGame(server);
		const seat = await joinGame(server, game.pin, 'Sneaky');
		const phone = await TestClient.connect(server, seat.body.token);
		phone.send(message);
		expect(await phone.next('error')).toEqual({
			type: 'error',
			code: 'forbidden',
			message: `Only the host can ${command}`
		});
		phone.socket.close();
	});
});
