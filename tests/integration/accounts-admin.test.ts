/**
 * What an admin does to hosts, seen from outside on a running server: a deleted host's games in
 * progress go to the heir (and stay theirs after a restart) or end with no report; a disabled
 * host's games run on, but only an admin takes their seat; the Hosts page lists only games in
 * progress; `npm run admin -- list` shows who is disabled. And the answers a host gets when
 * something is refused: in words, with the right status, and nothing of the server's insides.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HostSession, inviteHost } from '../../scripts/host-session.ts';
import { CloseCode, type CreateGameResponse } from '../../src/lib/protocol/index.ts';
import { form, joinGame, json, startServer, TestClient, type RunningServer } from './harness.ts';

const run = promisify(execFile);

let server: RunningServer;
let admin: HostSession;

beforeAll(async () => {
	server = await startServer();
	admin = server.admin;
});

afterAll(() => server?.stop());

const ONE_QUESTION = {
	title: 'One question',
	description: '',
	questions: [{ type: 'quiz', text: 'One?', options: ['Yes', 'No'], correct: [0], timeLimit: 20 }]
};

/** The account id of a host, as the Hosts page holds it in the row's forms. */
async function accountId(name: string): Promise<string> {
	const page = await (await admin.fetch('/admin')).text();
	const row = page.slice(page.indexOf(`>${name}</bdi>`));
	const id = /<input type="hidden" name="id" value="([\w-]+)"/.exec(row)?.[1];
	if (!id) throw new Error(`No row for ${name} on the Hosts page`);
	return id;
}

/** The Hosts page's row of this host, as text. */
async function hostRow(name: string): Promise<string> {
	const page = await (await admin.fetch('/admin')).text();
	const start = page.indexOf(`>${name}</bdi>`);
	return page.slice(start, page.indexOf('</tr>', start));
}

async function createGame(host: HostSession, quizId = 'world-geography') {
	return host.json<CreateGameResponse>(
		'/api/games',
		json('POST', { quizId, options: { introSeconds: 0 } })
	);
}

/**
 * A game of the sample hosted by `host`, with one player, played to the first question's
 * reveal: it has something to report.
 */
async function gameAtReveal(host: HostSession, nickname: string) {
	const game = await createGame(host);
	const joined = await joinGame(server, game.pin, nickname);
	const player = await TestClient.connect(server, joined.body.token);
	const screen = await TestClient.connect(server, game.hostToken, {
		headers: { cookie: host.cookie }
	});
	screen.send({ type: 'start' });
	await player.next('phase', (m) => m.phase === 'open');
	player.send({ type: 'answer', questionIndex: 0, choice: 2 });
	await screen.next('phase', (m) => m.phase === 'reveal');
	return { ...game, player, screen };
}

async function reportCount(host: HostSession): Promise<number> {
	const page = await (await host.fetch('/reports')).text();
	// Relative addresses (`./reports/<id>`), as the app writes them.
	return page.match(/href="[^"]*\/reports\/[\w-]+"/g)?.length ?? 0;
}

async function deleteAccount(name: string, heir: string): Promise<string> {
	const response = await admin.fetch(
		'/admin?/delete',
		form({ id: await accountId(name), heir: heir && (await accountId(heir)) })
	);
	expect(response.status).toBe(200);
	return response.text();
}

describe('deleting a host with games in progress', () => {
	test('their things handed to another: the game is the heir’s, and stays so after a restart', async () => {
		const dave = await inviteHost(admin, 'Dave');
		const carol = await inviteHost(admin, 'Carol');
		const game = await gameAtReveal(dave, 'Ana');
		expect((await carol.fetch(`/host/${game.pin}`)).status).toBe(404);

		const page = await deleteAccount('Dave', 'Carol');
		expect(page).toMatch(/Dave is deleted; their game in progress is Carol.{1,6}s now/);
		// Dave's screen closes with his sign-in; the players play on.
		expect(await game.screen.closed()).toBe(CloseCode.notYourGame);
		expect(game.player.closeCode).toBeNull();
		expect((await carol.fetch(`/host/${game.pin}`)).status).toBe(200);
		expect(await hostRow('Carol')).toContain(game.pin);
		expect(await (await carol.fetch('/host')).text()).toContain(game.pin);
		await game.player.close();

		// Picked up after a restart with Carol as its host.
		await server.stop();
		server = await startServer({ DATA_DIR: server.dataDir });
		admin = server.admin;
		// Her sign-in is in the store: the same cookie, at the server's new address.
		const carolAgain = new HostSession(server.url, carol.cookie);
		expect((await carolAgain.fetch(`/host/${game.pin}`)).status).toBe(200);
		const screen = await TestClient.connect(server, game.hostToken, {
			headers: { cookie: carol.cookie }
		});
		// Ended by Carol: its report is hers, not the deleted account's.
		const before = await reportCount(carolAgain);
		screen.send({ type: 'end' });
		expect(await screen.closed()).toBe(CloseCode.ended);
		await expect.poll(() => reportCount(carolAgain)).toBe(before + 1);
	});

	test('their things deleted: the game ends at once, the phones are told, and no report is left', async () => {
		const eve = await inviteHost(admin, 'Eve');
		const game = await gameAtReveal(eve, 'Bo');
		const reports = await reportCount(admin);

		const page = await deleteAccount('Eve', '');
		expect(page).toContain('Eve is deleted; their game in progress was ended');
		expect(await game.player.next('closed')).toMatchObject({ reason: 'ended' });
		expect(await game.player.closed()).toBe(CloseCode.ended);
		expect((await fetch(`${server.url}/api/games/${game.pin}`)).status).toBe(404);
		expect(await (await admin.fetch('/admin')).text()).not.toContain(game.pin);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await reportCount(admin)).toBe(reports);
	});
});

test('a disabled host’s game runs on; only an admin takes its seat; the admin command says who is disabled', async () => {
	const fay = await inviteHost(admin, 'Fay');
	const game = await createGame(fay);
	expect((await joinGame(server, game.pin, 'Cy')).status).toBe(201);
	const page = await admin.fetch('/admin?/disable', form({ id: await accountId('Fay') }));
	expect(await page.text()).toContain('Fay is disabled');

	expect((await fay.fetch(`/host/${game.pin}`)).headers.get('location')).toMatch(/^\/signin/);
	const lookup = await fetch(`${server.url}/api/games/${game.pin}`);
	expect(await lookup.json()).toMatchObject({ joinable: true });
	expect((await joinGame(server, game.pin, 'Di')).status).toBe(201);
	expect((await admin.fetch(`/host/${game.pin}`)).status).toBe(200);

	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'list'], {
		env: { ...process.env, DATA_DIR: server.dataDir }
	});
	expect(stdout).toMatch(/^Name\s+Role\s+State\s+Last sign-in$/m);
	// Times as the Hosts page says them, in this computer's time ("today 20:15"), not ISO.
	expect(stdout).toMatch(/^Fay\s+host\s+disabled\s+(today|yesterday) \d{2}:\d{2}$/m);
	expect(stdout).toMatch(/^Admin\s+admin\s+enabled\s+(today|yesterday) \d{2}:\d{2}$/m);
});

test('the Hosts page lists games in progress only, with their players, and a game nobody joined as waiting', async () => {
	const gil = await inviteHost(admin, 'Gil');
	const quiz = await gil.json<{ id: string }>('/api/quizzes', json('POST', ONE_QUESTION));
	const waiting = await createGame(gil);
	const playing = await createGame(gil);
	await joinGame(server, playing.pin, 'Ed');
	await joinGame(server, playing.pin, 'Flo');
	// A game played to its podium: over, though its phones may still show the result.
	const over = await createGame(gil, quiz.id);
	const player = await TestClient.connect(
		server,
		(await joinGame(server, over.pin, 'Al')).body.token
	);
	const screen = await TestClient.connect(server, over.hostToken, {
		headers: { cookie: gil.cookie }
	});
	screen.send({ type: 'start' });
	await player.next('phase', (m) => m.phase === 'open');
	player.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await screen.next('phase', (m) => m.phase === 'reveal');
	while (screen.ofType('phase').at(-1)?.phase !== 'podium') {
		screen.send({ type: 'next' });
		await screen.next('phase');
	}

	const row = await hostRow('Gil');
	expect(row).toMatch(new RegExp(`${waiting.pin} · .*? · waiting in the lobby`));
	expect(row).toMatch(new RegExp(`${playing.pin} · .*? · 2 players, in the lobby`));
	expect(row).not.toContain(over.pin);
	await Promise.all([player.close(), screen.close()]);
});

describe('refusals, in words', () => {
	let ben: HostSession;

	beforeAll(async () => {
		ben = await inviteHost(admin, 'Ben');
	});

	test('ending a session or removing a passkey that is not there: 404, not "done"', async () => {
		const session = await ben.fetch('/account?/endSession', form({ id: 'made-up' }));
		expect(session.status).toBe(404);
		expect(await session.text()).toContain('No such session');
		const passkey = await ben.fetch('/account?/removePasskey', form({ id: 'made-up' }));
		expect(passkey.status).toBe(404);
		expect(await passkey.text()).toContain('No such passkey');
	});

	test('a passkey that does not check out is refused in words; the details stay in the log', async () => {
		const response = await ben.fetch('/api/passkeys', json('POST', { id: 'nope' }));
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			code: 'bad-passkey',
			message: 'The passkey could not be checked: try again'
		});
	});

	test('a quiz is not shared with a disabled account; unsharing is fine', async () => {
		await inviteHost(admin, 'Hal');
		const quiz = await ben.json<{ id: string }>('/api/quizzes', json('POST', ONE_QUESTION));
		const halId = await accountId('Hal');
		expect(
			(
				await ben.fetch(
					`/api/quizzes/${quiz.id}/shares`,
					json('PUT', { grantee: halId, level: 'use' })
				)
			).status
		).toBe(200);
		await admin.fetch('/admin?/disable', form({ id: halId }));
		const refused = await ben.fetch(
			`/api/quizzes/${quiz.id}/shares`,
			json('PUT', { grantee: halId, level: 'edit' })
		);
		expect(refused.status).toBe(409);
		expect(await refused.json()).toEqual({
			code: 'account-disabled',
			message: 'Hal is disabled: an admin must enable the account before you share with it'
		});
		const unshared = await ben.fetch(
			`/api/quizzes/${quiz.id}/shares`,
			json('PUT', { grantee: halId, level: null })
		);
		expect(unshared.status).toBe(200);
	});

	test('a form posted as JSON is refused (415) and logged in one line, with no stack', async () => {
		const response = await fetch(`${server.url}/?/pin`, json('POST', { pin: '123456' }));
		expect(response.status).toBe(415);
		await expect.poll(() => server.output()).toMatch(/\[415\] POST \/: Unsupported Media Type/);
		const logged = server.output().slice(server.output().indexOf('[415] POST /'));
		expect(logged.split('\n')[1] ?? '').not.toMatch(/^\s+at /);
	});
});
