import { afterAll, beforeAll, expect, test } from 'vitest';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

test('a host and a player get their snapshots', async () => {
	const game = await createGame(server);
	const joined = await joinGame(server, game.pin, 'Maya');
	expect(joined.status).toBe(201);
	const host = await TestClient.connect(server, game.hostToken);
	const player = await TestClient.connect(server, joined.body.token);
	expect(host.messages[0]).toMatchObject({ type: 'state', role: 'host', pin: game.pin });
	expect(player.messages[0]).toMatchObject({
		type: 'state',
		role: 'player',
		you: { nickname: 'Maya' }
	});
	await host.close();
	await player.close();
});
