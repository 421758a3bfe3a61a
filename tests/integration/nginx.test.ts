/**
 * The shipped reverse-proxy example (deploy/nginx-cluster.conf) in front of a real cluster:
 * the file as it is, with only its addresses swapped for this machine's (its listen port and
 * the three nodes'). A browser's steps go through it: signing in, the library, creating a
 * game, joining through the round-robin upstream, then the live connection on the game's node
 * by its `/n/<id>/ws` prefix — a WebSocket for two phones and the host, the HTTP fallback's
 * event stream for the third (which a buffering proxy would hold back). Every request carries
 * the Origin a browser page sends, so the proxy must pass the Host the origin check compares;
 * the host's carry its session cookie, which every node must honour.
 *
 * Needs Debian's nginx (`.ci/run` installs it); without it the test is skipped, saying so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../scripts/postgres-server.ts';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { CreateGameResponse, JoinResponse } from '../../src/lib/protocol/index.ts';
import {
	startCluster,
	stopProcess,
	type LocalCluster
} from '../../scripts/cluster/local-cluster.ts';
import { freePort } from '../../scripts/cluster/redis-server.ts';
import type { HostSession } from '../../scripts/host-session.ts';
import { PROGRAMS, requireProgram } from '../../scripts/programs/programs.ts';
import { FallbackClient } from './fallback-client.ts';
import { TestClient } from './harness.ts';

/** `npm test` made sure it is here; a run of this file alone says how to install it. */
const NGINX = requireProgram(PROGRAMS.nginx);

/** The shipped server block, pointed at this machine: a plain-HTTP port and the three nodes. */
function renderExample(port: number, nodes: { host: string; port: number }[]): string {
	let config = readFileSync(new URL('../../deploy/nginx-cluster.conf', import.meta.url), 'utf8');
	config = config.replace(/listen 443 ssl;/, `listen 127.0.0.1:${port};`);
	for (const [i, node] of nodes.entries()) {
		config = config.replaceAll(`10.0.0.1${i + 1}:3000`, `${node.host}:${node.port}`);
	}
	if (/10\.0\.0\./.test(config)) throw new Error('The example names more nodes than were started');
	return config;
}

/** A whole nginx.conf around it that runs unprivileged in a directory of its own. */
function nginxConf(dir: string, server: string): string {
	return `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
	access_log off;
	client_body_temp_path ${dir}/body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
${server}
}
`;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise<boolean>((done) => {
			const socket = connectTcp(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				done(true);
			});
			socket.once('error', () => done(false));
		});
		if (open) return;
		if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}`);
		await new Promise((done) => setTimeout(done, 100));
	}
}

describe('the example nginx config in front of three nodes', () => {
	let cluster: LocalCluster;
	let nginx: ChildProcess;
	let url: string;
	/** Signed in through nginx: the session cookie must reach whichever node answers. */
	let admin: HostSession;
	const clients: (TestClient | FallbackClient)[] = [];

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'quizroom-nginx-'));
		const port = await freePort();
		url = `http://127.0.0.1:${port}`;
		cluster = await startCluster({
			nodes: 3,
			databaseUrl: await createDatabase(inject('postgresUrl')),
			port: 0,
			dataDir: join(dir, 'cluster'),
			publicUrl: url,
			env: { LOG_LEVEL: 'error' }
		});
		const nginxDir = join(dir, 'nginx');
		mkdirSync(nginxDir);
		writeFileSync(
			join(nginxDir, 'nginx.conf'),
			nginxConf(nginxDir, renderExample(port, cluster.nodes))
		);
		nginx = spawn(NGINX, ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf')], {
			stdio: ['ignore', 'inherit', 'inherit']
		});
		await waitForPort(port, 10_000);
		admin = await cluster.signInAdmin();
	});

	afterAll(async () => {
		for (const client of clients) await client.close().catch(() => {});
		if (nginx) await stopProcess(nginx);
		await cluster?.stop();
	});

	/** A browser page's POST: a player's, or with `as` a signed-in host's. */
	async function post<T>(
		path: string,
		body: unknown,
		as?: HostSession
	): Promise<{ status: number; body: T }> {
		const init = {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: url },
			body: JSON.stringify(body)
		};
		const response = await (as ? as.fetch(path, init) : fetch(url + path, init));
		return { status: response.status, body: (await response.json()) as T };
	}

	test('a game created, joined and played through nginx, on WebSockets and the event stream', async () => {
		const page = await fetch(`${url}/`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('<html');

		const quiz = await post<{ id: string }>(
			'/api/quizzes',
			{
				title: 'Through nginx',
				questions: [
					{
						type: 'quiz',
						text: 'Capital of France?',
						options: ['Rome', 'Paris'],
						correct: [1],
						timeLimit: 20
					}
				]
			},
			admin
		);
		expect(quiz.status).toBe(201);
		const game = await post<CreateGameResponse>(
			'/api/games',
			{ quizId: quiz.body.id, options: { introSeconds: 0 } },
			admin
		);
		expect(game.status).toBe(201);
		expect(game.body.socketUrl).toMatch(/^\/n\/n[123]\/ws$/);

		// Three joins, round-robin over the nodes: those that do not own the game forward them.
		const seats: JoinResponse[] = [];
		for (const nickname of ['Ana', 'Ben', 'Cy']) {
			const joined = await post<JoinResponse>(`/api/games/${game.body.pin}/players`, { nickname });
			expect(joined.status).toBe(201);
			expect(joined.body.socketUrl).toBe(game.body.socketUrl);
			seats.push(joined.body);
		}

		const live = url + game.body.socketUrl;
		// Every socket with the host's cookie, as from the host's laptop: its seat needs it.
		const socket = (token: string) =>
			TestClient.connectTo(live.replace(/^http/, 'ws'), token, {
				origin: url,
				headers: { cookie: admin.cookie }
			});
		const host = await socket(game.body.hostToken);
		const [ana, ben] = await Promise.all([socket(seats[0]!.token), socket(seats[1]!.token)]);
		const cy = await FallbackClient.open(live, seats[2]!.token, { origin: url });
		clients.push(host, ana!, ben!, cy);

		host.send({ type: 'start' });
		for (const phone of [ana!, ben!, cy]) await phone.next('phase', (m) => m.phase === 'open');
		ana!.send({ type: 'answer', questionIndex: 0, choice: 1 });
		ben!.send({ type: 'answer', questionIndex: 0, choice: 0 });
		cy.send({ type: 'answer', questionIndex: 0, choice: 1 });
		await cy.next('answer-ack');
		const reveal = await host.next('phase', (m) => m.phase === 'reveal');
		if (reveal.phase !== 'reveal') throw new Error('no reveal');
		expect(reveal.distribution).toEqual([1, 2]);
		expect((await cy.next('you')).you.lastResult).toMatchObject({ correct: true });
		expect((await ben!.next('you')).you.lastResult).toMatchObject({ correct: false });
		// The event stream came through unbuffered and uncompressed.
		expect(cy.streamHeaders?.get('content-type')).toContain('text/event-stream');
	});
});
