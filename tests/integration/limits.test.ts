import { afterAll, beforeAll, expect, onTestFinished, test } from 'vitest';
import { createGame, joinGame, startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer({ MAX_PLAYERS: '2' });
});
afterAll(() => server?.stop());

test('a full game turns the next player away with a clear message', async () => {
	const game = await createGame(server);
	expect((await joinGame(server, game.pin, 'One')).status).toBe(201);
	expect((await joinGame(server, game.pin, 'Two')).status).toBe(201);
	const third = await joinGame(server, game.pin, 'Three');
	expect(third.status).toBe(409);
	expect(third.body).toEqual({ code: 'game-full', message: 'This game is full' });
});

test('a bad request body gets a 400 that says what is wrong', async () => {
	const response = await server.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId: 'world-geography', options: { introSeconds: 99 } })
	});
	expect(response.status).toBe(400);
	expect(await response.json()).toMatchObject({ code: 'bad-request', message: /introSeconds/ });

	const unknown = await server.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId: 'no-such-quiz' })
	});
	expect(unknown.status).toBe(404);
	expect(await unknown.json()).toMatchObject({ code: 'unknown-quiz' });

	const garbage = await server.admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{not json'
	});
	expect(garbage.status).toBe(400);
	expect(await garbage.json()).toMatchObject({ code: 'bad-json' });
});

test('the start banner prints where to host and where to join, with a QR code', async () => {
	// A first start has no admin yet: it prints the one-time link that makes one instead.
	expect(server.output()).toMatch(
		/First time here\?[^]*\n +http:\/\/localhost:\d+\/setup\/[\w-]{43}\n/
	);
	expect(server.output()).not.toContain('Host (this laptop');
	expect(server.output()).toMatch(/Players join on their phones at: +http:\/\/127\.0\.0\.1:\d+/);
	expect(server.output()).toContain('▄');

	// Started again once the admin exists (its own data: this file's server keeps running):
	// the host's address, as every day.
	const first = await startServer();
	await first.stop();
	const again = await startServer({ DATA_DIR: first.dataDir });
	onTestFinished(() => again.stop());
	expect(again.output()).toMatch(
		/Host \(this laptop, on the projector\): +http:\/\/localhost:\d+\/host/
	);
	expect(again.output()).not.toContain('/setup/');
});
