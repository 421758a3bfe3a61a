/**
 * A full disk in the middle of a game. The server's data directory is on a small tmpfs of this
 * file's own; after a first game (its report saved: "earlier data") a second one starts, and
 * between its two questions a filler file takes every byte left. The game plays on to its
 * podium: the phones' answers count and score, but their acknowledgements say they are not
 * stored; the host sees that results cannot be saved; the log says so once, naming the
 * directory to free space on. Then the filler goes, and without a restart the report lands
 * ("saved"), the database checks out (`quick_check`) and the first game's report and the
 * quizzes are all there.
 *
 * Mounting needs root (CI runs as root): elsewhere the file is skipped, saying why.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import {
	closeSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	rmSync,
	writeSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import type { SavedQuizResponse } from '../../src/lib/protocol/quiz-check.ts';
import { DATABASE_FILE } from '../../src/lib/server/storage/sqlite.ts';
import { randomBytes } from 'node:crypto';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

/** A picture of 64 KB (PNG magic bytes, then noise): more than a full disk has room for. */
const PICTURE = new Uint8Array([
	...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
	...randomBytes(64 * 1024)
]);

/** Room for the database, its WAL and the server's pictures; the filler takes the rest. */
const DISK_SIZE = '24m';

const mountPoint = mkdtempSync(join(tmpdir(), 'quizroom-full-disk-'));
const skipped = mountTmpfs(mountPoint);
if (skipped) console.warn(`full-disk.test.ts skipped: ${skipped}`);

/** Mounts a small tmpfs; the reason it cannot, or null. */
function mountTmpfs(dir: string): string | null {
	if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_SIZE}`, 'tmpfs', dir], {
			stdio: 'pipe'
		});
		return null;
	} catch (error) {
		return `mount -t tmpfs failed (${(error as Error).message.split('\n')[0]})`;
	}
}

let server: RunningServer | undefined;
const clients: TestClient[] = [];

afterAll(async () => {
	await Promise.all(clients.map((client) => client.close()));
	await server?.stop();
	if (!skipped) {
		try {
			execFileSync('umount', [mountPoint], { stdio: 'pipe' });
		} catch {
			// Something still holds a file there: detach it now, it goes when let go of.
			execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
		}
	}
	rmSync(mountPoint, { recursive: true, force: true });
});

const QUIZ = {
	title: 'Full disk quiz',
	questions: [
		{ type: 'quiz', text: 'Two plus two?', options: ['3', '4', '5'], correct: [1], timeLimit: 30 },
		{ type: 'true-false', text: 'The sky is green.', answer: false, timeLimit: 30 }
	]
};

/** Writes a file until the disk has no byte left; gives its path. */
function fillDisk(dir: string): string {
	const path = join(dir, 'filler');
	const fd = openSync(path, 'w');
	try {
		for (const size of [1 << 20, 1 << 12, 1]) {
			const chunk = Buffer.alloc(size, 1);
			try {
				for (;;) writeSync(fd, chunk);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
			}
		}
	} finally {
		closeSync(fd);
	}
	return path;
}

/** A game of the quiz with a host and two phones, started. */
async function startedGame(quizId: string) {
	const game = await createGame(server!, quizId, { introSeconds: 0 });
	const host = await TestClient.connect(server!, game.hostToken);
	clients.push(host);
	const phones: TestClient[] = [];
	for (const nickname of ['Ana', 'Ben']) {
		const joined = await joinGame(server!, game.pin, nickname);
		expect(joined.status).toBe(201);
		const phone = await TestClient.connect(server!, joined.body.token, { headers: {} });
		phones.push(phone);
		clients.push(phone);
	}
	host.send({ type: 'start' });
	return { game, host, phones };
}

/**
 * Every phone answers (`choices`, in phone order); gives their acknowledgements and results.
 * Ends on the reveal, the host's Next pressed once more (the scoreboard).
 */
async function playQuestion(
	{ host, phones }: { host: TestClient; phones: TestClient[] },
	questionIndex: number,
	choices: number[]
) {
	await Promise.all(
		phones.map((phone) =>
			phone.next('phase', (m) => m.phase === 'open' && m.question.index === questionIndex)
		)
	);
	phones.forEach((phone, i) => phone.send({ type: 'answer', questionIndex, choice: choices[i]! }));
	const acks = await Promise.all(
		phones.map((phone) => phone.next('answer-ack', (m) => m.questionIndex === questionIndex))
	);
	await host.next('phase', (m) => m.phase === 'reveal' && m.question.index === questionIndex);
	const results = await Promise.all(
		phones.map(
			async (phone) =>
				(await phone.next('you', (m) => m.you.lastResult?.questionIndex === questionIndex)).you
		)
	);
	host.send({ type: 'next' });
	return { acks, results };
}

function quickCheck(dataDir: string) {
	const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
	try {
		return {
			check: db.pragma('quick_check', { simple: true }),
			games: db.prepare('SELECT count(*) FROM games').pluck().get(),
			quizzes: db.prepare('SELECT title FROM quizzes').pluck().all() as string[]
		};
	} finally {
		db.close();
	}
}

describe.skipIf(skipped !== null)('a full disk', () => {
	test('the game plays on, the host sees results cannot be saved, and they are once there is room', async () => {
		const dataDir = join(mountPoint, 'data');
		mkdirSync(dataDir);
		// A report the disk refused is tried again 250 ms later (doubling), not 5 s.
		server = await startServer({ DATA_DIR: dataDir, REPORT_RETRY_MS: '250' });
		const created = await server.admin.fetch('/api/quizzes', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(QUIZ)
		});
		expect(created.status).toBe(201);
		const quizId = ((await created.json()) as SavedQuizResponse).id;

		// Earlier data: a first game, to its podium, its report saved.
		const first = await startedGame(quizId);
		await playQuestion(first, 0, [1, 0]);
		first.host.send({ type: 'next' });
		await playQuestion(first, 1, [1, 1]);
		first.host.send({ type: 'next' });
		const firstReportId = (await first.host.next('report', (m) => m.status === 'saved')).reportId;

		const second = await startedGame(quizId);
		const { host, phones } = second;
		const before = await playQuestion(second, 0, [1, 0]);
		expect(before.acks.map((ack) => ack.stored)).toEqual([undefined, undefined]);

		const filler = fillDisk(mountPoint);
		host.send({ type: 'next' });
		const during = await playQuestion(second, 1, [1, 0]);
		// They count, and their acknowledgements do not claim they are stored.
		expect(during.acks.map((ack) => ack.stored)).toEqual([false, false]);
		expect(during.results.map((you) => you.lastResult?.answered)).toEqual([true, true]);
		expect(during.results[0]!.lastResult!.points).toBeGreaterThan(0);
		expect(during.results[0]!.score).toBeGreaterThan(before.results[0]!.score);
		host.send({ type: 'next' });
		// The host heard it as soon as a write was refused, mid-game (before the reveal).
		const reveal = host.messages.findIndex(
			(m) => m.type === 'phase' && m.phase === 'reveal' && m.question.index === 1
		);
		const midGame = host.messages.slice(0, reveal + 1).filter((m) => m.type === 'report');
		expect(midGame.map((m) => m.status)).toEqual(['disk-full']);
		const { reportId } = midGame[0]!;

		const podium = await host.next('phase', (m) => m.phase === 'podium');
		if (podium.phase !== 'podium') throw new Error('no podium');
		expect(podium.standings.map((standing) => standing.nickname)).toEqual(['Ana', 'Ben']);
		expect(podium.standings[0]!.score).toBe(during.results[0]!.score);
		await Promise.all(phones.map((phone) => phone.next('phase', (m) => m.phase === 'podium')));
		// The report's save: refused for lack of space, the host told so.
		await host.next('report', (m) => m.status === 'saving');
		await host.next('report', (m) => m.status === 'disk-full');

		// A quiz saved meanwhile is refused in words, not with "Internal Error".
		const refused = await server.admin.fetch('/api/quizzes', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ...QUIZ, title: 'Saved on a full disk' })
		});
		expect(refused.status).toBe(503);
		expect(await refused.json()).toMatchObject({ code: 'disk-full' });
		// A picture too (ENOSPC on its file), leaving no half-written file behind.
		const picture = await server.admin.fetch('/api/images', {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: Buffer.from(PICTURE)
		});
		expect(picture.status).toBe(503);
		expect(await picture.json()).toMatchObject({ code: 'disk-full' });
		expect(readdirSync(join(dataDir, 'images'))).toEqual([]);

		// Said once in the log, with what to do; the server is still up.
		await vi.waitFor(() => expect(server!.output()).toContain(`Free space on ${dataDir}`));
		expect(server.output().match(/The disk is full/g)).toHaveLength(1);
		expect(server.process.exitCode).toBeNull();

		rmSync(filler);
		const saved = await host.next('report', (m) => m.status === 'saved', 15_000);
		expect(saved.reportId).toBe(reportId);
		const csv = await (await server.admin.fetch(`/reports/${saved.reportId}/export/csv`)).text();
		for (const nickname of ['Ana', 'Ben']) expect(csv).toContain(nickname);
		await vi.waitFor(() => expect(server!.output()).toContain(`There is room on ${dataDir} again`));

		// Nothing stored earlier was damaged.
		const stored = quickCheck(dataDir);
		expect(stored.check).toBe('ok');
		expect(stored.games).toBe(2);
		expect(stored.quizzes).toContain(QUIZ.title);
		const firstReport = await server.admin.fetch(`/reports/${firstReportId}/export/csv`);
		expect(firstReport.status).toBe(200);
		expect(await firstReport.text()).toContain('Ana');
	}, 30_000);
});
