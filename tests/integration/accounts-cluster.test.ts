/**
 * Accounts in cluster mode: they live in the shared store, so a host signed in through node A
 * is signed in on node B, and a session ended on A is ended on B at once: its pages and API
 * refuse it on the next request, and the host screens it opened on B close within a second.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { startCluster, type LocalCluster } from '../../scripts/cluster/local-cluster.ts';
import { createDatabase } from '../../scripts/postgres-server.ts';
import { HostSession, inviteHost } from '../../scripts/host-session.ts';
import { CloseCode, type CreateGameResponse } from '../../src/lib/protocol/index.ts';
import { TestClient } from './harness.ts';

let cluster: LocalCluster;
let admin: HostSession;

beforeAll(async () => {
	cluster = await startCluster({
		nodes: 2,
		databaseUrl: await createDatabase(inject('postgresUrl')),
		port: 0,
		dataDir: mkdtempSync(join(tmpdir(), 'quizroom-accounts-cluster-')),
		env: { LOG_LEVEL: 'error' }
	});
	admin = await cluster.signInAdmin();
});

afterAll(() => cluster?.stop());

/** The same sign-in, straight at one node rather than through the proxy. */
function at(nodeId: string, session: HostSession): HostSession {
	const node = cluster.nodes.find((candidate) => candidate.id === nodeId)!;
	return new HostSession(`http://${node.host}:${node.port}`, session.cookie);
}

/** A game of a sample created through node `via`, and its host screen on the game's node. */
async function hostScreen(session: HostSession, via: string) {
	const created = await at(via, session).json<CreateGameResponse>('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId: 'world-geography', options: { introSeconds: 0 } })
	});
	// `/n/<node>/ws`: the node that holds the game, reached here straight.
	const node = /^\/n\/([\w-]+)\/ws$/.exec(created.socketUrl)![1]!;
	const target = cluster.nodes.find((candidate) => candidate.id === node)!;
	const screen = await TestClient.connectTo(
		`ws://${target.host}:${target.port}/ws`,
		created.hostToken,
		{ headers: { cookie: session.cookie } }
	);
	return { screen, node, pin: created.pin };
}

test('a host signed in through node A is signed in on node B', async () => {
	const ben = await inviteHost(at('n1', admin), 'Ben');
	for (const node of ['n1', 'n2']) {
		const quizzes = await at(node, ben).json<{ id: string }[]>('/api/quizzes');
		expect(quizzes.map((quiz) => quiz.id)).toContain('world-geography');
		expect((await at(node, ben).fetch('/account')).status).toBe(200);
	}
});

test('signing out on A ends the session on B at once, and closes its host screens there', async () => {
	const ben = await inviteHost(at('n1', admin), 'Ben 2');
	// A game on each node, so one of the host screens is surely on the other node than n1.
	const screens = await Promise.all([hostScreen(ben, 'n1'), hostScreen(ben, 'n2')]);
	const elsewhere = screens.find(({ node }) => node !== 'n1') ?? screens[1]!;
	const signedOut = await at('n1', ben).fetch('/signout', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: ''
	});
	expect(signedOut.status).toBe(303);
	const started = Date.now();
	expect((await at('n2', ben).fetch('/api/quizzes')).status).toBe(401);
	expect((await at('n2', ben).fetch('/host')).headers.get('location')).toMatch(/^\/signin/);
	for (const { screen } of screens) {
		expect(await screen.closed(2000)).toBe(CloseCode.notYourGame);
	}
	expect(Date.now() - started).toBeLessThan(1500);
	expect(elsewhere.screen.ofType('error').at(-1)).toMatchObject({ code: 'not-your-game' });
});

test('an admin disabling a host on B signs them out on A too', async () => {
	const cy = await inviteHost(at('n2', admin), 'Cy');
	expect((await at('n1', cy).fetch('/api/quizzes')).status).toBe(200);
	const page = await (await at('n2', admin).fetch('/admin')).text();
	const id = new RegExp(`<input type="hidden" name="id" value="([\\w-]+)"[^>]*>[\\s\\S]*?`).exec(
		page.slice(page.indexOf('>Cy<'))
	)?.[1];
	expect(id).toBeTruthy();
	const disabled = await at('n2', admin).fetch('/admin?/disable', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ id: id! })
	});
	expect(await disabled.text()).toContain('Cy is disabled and signed out everywhere');
	expect((await at('n1', cy).fetch('/api/quizzes')).status).toBe(401);
});

test('a deleted host’s games go to the heir on the node that runs them, and stay so when another node takes one over', async () => {
	const dee = await inviteHost(at('n1', admin), 'Dee');
	const eli = await inviteHost(at('n1', admin), 'Eli');
	// Games until one is on n2 (each goes to the node with fewest games).
	const games = [await hostScreen(dee, 'n1')];
	while (!games.some((game) => game.node === 'n2') && games.length < 6) {
		games.push(await hostScreen(dee, 'n1'));
	}
	const onN2 = games.find((game) => game.node === 'n2');
	expect(onN2).toBeTruthy();
	const page = await (await at('n1', admin).fetch('/admin')).text();
	const idOf = (name: string) =>
		/<input type="hidden" name="id" value="([\w-]+)"/.exec(
			page.slice(page.indexOf(`>${name}<`))
		)?.[1];
	const deleted = await at('n1', admin).fetch('/admin?/delete', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ id: idOf('Dee')!, heir: idOf('Eli')! })
	});
	const said = games.length === 1 ? 'game in progress is' : `${games.length} games in progress are`;
	expect(await deleted.text()).toMatch(new RegExp(`Dee is deleted; their ${said} Eli.{1,6}s now`));
	for (const game of games) {
		expect(await game.screen.closed(2000)).toBe(CloseCode.notYourGame);
		expect((await at('n1', eli).fetch(`/host/${game.pin}`)).status).toBe(200);
	}

	// n2 dies: n1 takes its game over from the copy in Redis, which names Eli as its host.
	await cluster.kill('n2');
	const deadline = Date.now() + 30_000;
	let status = 0;
	while (status !== 200 && Date.now() < deadline) {
		status = (await at('n1', eli).fetch(`/host/${onN2!.pin}`)).status;
		if (status !== 200) await new Promise((done) => setTimeout(done, 500));
	}
	expect(status).toBe(200);
}, 60_000);
