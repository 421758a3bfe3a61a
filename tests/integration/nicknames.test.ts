/**
 * Nicknames over the real HTTP join step: look-alike duplicates, invisible names, the
 * profanity filter and its off switch, and generated friendly names.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

describe('joining with a typed nickname', () => {
	test('names that differ only in case, accents or width are taken (409)', async () => {
		const { pin } = await createGame(server);
		expect((await joinGame(server, pin, 'Zoë')).status).toBe(201);
		for (const lookAlike of ['zoe', 'ZOE', 'Zoe\u0308', 'Ｚｏｅ']) {
			const refused = await joinGame(server, pin, lookAlike);
			expect(refused.status, lookAlike).toBe(409);
			expect(refused.body.code).toBe('nickname-taken');
			expect(refused.body.message).toContain('is taken: pick another');
		}
	});

	test('names with nothing visible are refused (400) with a clear message', async () => {
		const { pin } = await createGame(server);
		for (const blank of ['\u3164', '\u200B\u200B', '\u2800', ' \u115F\u1160 ']) {
			const refused = await joinGame(server, pin, blank);
			expect(refused.status, JSON.stringify(blank)).toBe(400);
			expect(refused.body).toEqual({
				code: 'nickname-invisible',
				message: 'Use a nickname people can see: no invisible or blank characters'
			});
		}
		const zalgo = await joinGame(server, pin, 'Z̴̡̛̖̙͎̈́̀ä̷l̶g̶o̶');
		expect([zalgo.status, zalgo.body.code]).toEqual([400, 'nickname-stacked-marks']);
		const control = await joinGame(server, pin, 'Maya\u0007');
		expect([control.status, control.body.code]).toEqual([400, 'nickname-bad-characters']);
	});

	test('a rude name is refused with the filter on (the default)', async () => {
		const { pin } = await createGame(server);
		const refused = await joinGame(server, pin, 'Sh1thead');
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual({ code: 'nickname-rude', message: 'Pick a friendlier nickname' });
		expect((await joinGame(server, pin, 'Scunthorpe')).status).toBe(201);
	});

	test('a rude name is accepted when the host turned the filter off', async () => {
		const { pin } = await createGame(server, 'world-geography', {
			introSeconds: 0,
			profanityFilter: false
		});
		const joined = await joinGame(server, pin, 'Sh1thead');
		expect(joined.status).toBe(201);
		expect(joined.body.nickname).toBe('Sh1thead');
	});
});

describe('joining a game with friendly names', () => {
	test('every player gets a distinct two-word name, whatever they typed', async () => {
		const game = await createGame(server, 'world-geography', {
			introSeconds: 0,
			friendlyNames: true
		});
		const typed = ['', 'Maya', 'Maya', 'Sh1thead', '\u3164'];
		const names: string[] = [];
		for (const nickname of typed) {
			const joined = await joinGame(server, game.pin, nickname);
			expect(joined.status).toBe(201);
			names.push(joined.body.nickname);
		}
		for (const name of names) expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
		expect(new Set(names).size).toBe(typed.length);

		// The projector's lobby lists the same names.
		const host = await TestClient.connect(server, game.hostToken);
		const state = host.messages[0];
		expect(state?.type).toBe('state');
		const listed = state?.type === 'state' ? (state.players ?? []).map((p) => p.nickname) : [];
		expect(listed).toEqual(names);
		await host.close();
	});
});
