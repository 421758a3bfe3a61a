/**
 * Cluster mode in real browsers: three nodes, PostgreSQL, a real redis-server and the
 * development proxy (`npm run cluster`). A quiz written in the editor on one node is hosted on
 * another and its report read on the third: the record is one. The host screen and two phones
 * play through the proxy; the node that
 * runs their game is killed mid-question (SIGKILL, no goodbye). The browsers find the game's
 * new node by themselves (`/api/seats/locate` before each reconnect), the locked-in answer is
 * still locked in, the question finishes with the right results, and no phone is left in
 * compatibility mode because a node died. Screenshot: test-results/screenshots/cluster-*.png.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, test } from './screens.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type LocalCluster } from '../../scripts/cluster/local-cluster.ts';
import type { HostSession } from '../../scripts/host-session.ts';

interface SampleQuiz {
	title: string;
	questions: { correct: number[]; options: string[] }[];
}

const quiz = JSON.parse(
	readFileSync('src/lib/server/quizzes/samples/science-and-nature.json', 'utf8')
) as SampleQuiz;
const SHAPES = ['red triangle', 'blue diamond', 'yellow circle', 'green square'];
const shots = 'test-results/screenshots';

let cluster: LocalCluster;
let admin: HostSession;

test.beforeAll(async () => {
	cluster = await startCluster({
		nodes: 3,
		port: 0,
		dataDir: mkdtempSync(join(tmpdir(), 'quizroom-e2e-cluster-')),
		// A dead node is noticed within 2 s instead of 10.
		env: { NODE_TTL_MS: '2000', LOG_LEVEL: 'error' }
	});
	// Accounts and sessions are in PostgreSQL: the host's cookie is good on every node.
	admin = await cluster.signInAdmin();
});

test.afterAll(async () => {
	await cluster?.stop();
});

/** The node each page's live connection went to last, from the WebSocket addresses it opened. */
function trackNode(page: Page): () => string | null {
	let node: string | null = null;
	page.on('websocket', (socket) => {
		node = /\/n\/([^/]+)\/ws/.exec(socket.url())?.[1] ?? node;
	});
	return () => node;
}

async function phone(browser: Browser, pin: string, nickname: string) {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true
	});
	const page = await context.newPage();
	const node = trackNode(page);
	await page.goto(`${cluster.url}/?pin=${pin}`);
	await page.getByLabel('Nickname').fill(nickname);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	return { page, node };
}

test('a quiz saved through one node is hosted on another, and its report is listed on the third', async ({
	browser
}) => {
	// A game placed first makes its node the busiest: the next game goes to another one.
	const busy = await admin.fetch('/api/games', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ quizId: 'world-geography', options: {} })
	});
	const saver = /^\/n\/([^/]+)\//.exec(
		((await busy.json()) as { socketUrl: string }).socketUrl
	)![1]!;

	const host = await (
		await hostContext(
			browser,
			{ viewport: { width: 1280, height: 720 } },
			{ url: cluster.url, admin }
		)
	).newPage();
	const hostNode = trackNode(host);
	cluster.steer(saver);
	await host.goto(`${cluster.url}/quizzes/new`);
	await host.getByLabel('Title').fill('Three nodes');
	await host.getByLabel('Question', { exact: true }).fill('How many nodes run this game?');
	await host.getByRole('button', { name: 'Remove answer 4' }).click();
	await host.getByRole('button', { name: 'Remove answer 3' }).click();
	for (const [index, answer] of ['One', 'Three'].entries()) {
		await host.getByPlaceholder(`Answer ${index + 1}`, { exact: true }).fill(answer);
	}
	await host.getByRole('checkbox', { name: 'Correct (answer 2)' }).check();
	const [saved] = await Promise.all([
		host.waitForResponse((r) => r.request().method() !== 'GET' && /\/api\/quizzes/.test(r.url())),
		host.getByRole('button', { name: 'Save' }).click()
	]);
	expect(saved.ok()).toBe(true);
	expect(saved.headers()['x-served-by']).toBe(saver);
	await expect(host.getByRole('status').first()).toContainText('Saved');

	cluster.steer(null);
	await host.goto(`${cluster.url}/host`);
	await host.getByRole('radio', { name: 'Three nodes' }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /(\d{6})$/.exec(host.url())![1]!;
	const ana = await phone(browser, pin, 'Ana');
	const runner = hostNode();
	expect(runner).toMatch(/^n[123]$/);
	expect(runner).not.toBe(saver);
	await host.getByRole('button', { name: 'Start' }).click();
	await ana.page.getByRole('button', { name: SHAPES[1]!, exact: true }).click();
	await expect(ana.page.getByRole('heading', { name: 'Correct!' })).toBeVisible();
	await host.keyboard.press('Space');
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await host.keyboard.press('Space');
	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();

	// The third node lists the report the second one saved.
	const reader = ['n1', 'n2', 'n3'].find((id) => id !== saver && id !== runner)!;
	cluster.steer(reader);
	// Saved a moment after the podium: the list is read again until it shows the game.
	await expect(async () => {
		const list = await host.goto(`${cluster.url}/reports`);
		expect(list!.headers()['x-served-by']).toBe(reader);
		await expect(host.getByRole('link', { name: 'Three nodes' })).toBeVisible({ timeout: 500 });
	}).toPass({ timeout: 20_000 });
	await host.getByRole('link', { name: 'Three nodes' }).click();
	await expect(host.getByRole('heading', { name: 'Three nodes' })).toBeVisible();
	await expect(host.getByRole('table').getByRole('row').nth(1)).toContainText('Ana');
	await host.screenshot({ path: `${shots}/cluster-report-on-third-node.png` });
	cluster.steer(null);
	await host.context().close();
	await ana.page.context().close();
});

test('the node running a game dies mid-question: browsers follow it to another node and it goes on', async ({
	browser
}) => {
	const host = await (
		await hostContext(
			browser,
			{ viewport: { width: 1280, height: 720 } },
			{ url: cluster.url, admin }
		)
	).newPage();
	const hostNode = trackNode(host);
	await host.goto(`${cluster.url}/host`);
	await host.getByRole('radio', { name: quiz.title }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /(\d{6})$/.exec(host.url())![1]!;

	const maya = await phone(browser, pin, 'Maya');
	const theo = await phone(browser, pin, 'Theo');
	await expect(host.getByRole('button', { name: 'Remove Theo', exact: true })).toBeVisible();
	const owner = hostNode();
	expect(owner).toMatch(/^n[123]$/);
	expect([maya.node(), theo.node()]).toEqual([owner, owner]);

	await host.getByRole('button', { name: 'Start' }).click();
	const right = quiz.questions[0]!.correct[0]!;
	const wrong = (right + 1) % quiz.questions[0]!.options.length;
	await maya.page.getByRole('button', { name: SHAPES[right]!, exact: true }).click();
	await expect(maya.page.getByText('Answer locked in')).toBeVisible();

	await cluster.kill(owner!);
	await expect(maya.page.getByText('Connection lost — reconnecting…')).toBeVisible();
	await maya.page.screenshot({ path: `${shots}/cluster-node-lost.png` });

	// Back, on another node, with the answer still locked in and the clock still running.
	await expect(maya.page.getByText('Connection lost — reconnecting…')).toBeHidden({
		timeout: 20_000
	});
	await expect(maya.page.getByText('Answer locked in')).toBeVisible();
	await expect(host.locator('.answered')).toHaveText(/1\s*\/\s*2 answered/, { timeout: 20_000 });
	await theo.page
		.getByRole('button', { name: SHAPES[wrong]!, exact: true })
		.click({ timeout: 20_000 });
	await expect(maya.page.getByRole('heading', { name: 'Correct!' })).toBeVisible();
	await expect(theo.page.getByRole('heading', { name: 'Incorrect' })).toBeVisible();
	await maya.page.screenshot({ path: `${shots}/cluster-after-takeover.png` });
	for (const page of [host, maya.page, theo.page]) {
		await expect(page.getByText('Compatibility mode')).toBeHidden();
	}
	const moved = hostNode();
	expect(moved).not.toBe(owner);
	expect([maya.node(), theo.node()]).toEqual([moved, moved]);
});
