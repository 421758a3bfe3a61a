/**
 * Issue 25: a bad file cannot sink the server. A 600 KB workbook that inflates to 600 MB (made
 * here, its zip lying about its size) is refused in under a second, through the real import
 * form, with the server's memory barely moving; four at once likewise; and a game played beside
 * them keeps its ticks a second apart. Good files still import through the worker.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { workbookBomb } from '../../src/lib/testing/zips.ts';
import { processRssBytes } from '../load/stats.ts';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

const MB = 1024 * 1024;
const GOOD_CSV =
	'Question,Answer 1,Answer 2,Correct answer(s)\r\nTallest mountain?,K2,Everest,2\r\n';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

interface ActionResult {
	type: string;
	status?: number;
	/** Devalue-encoded: look for the words in the text. */
	data: string;
}

async function upload(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<ActionResult> {
	const form = new FormData();
	form.append('file', new Blob([bytes]), name);
	const response = await server.admin.fetch('/quizzes?/import', {
		method: 'POST',
		body: form,
		headers: { accept: 'application/json' }
	});
	return (await response.json()) as ActionResult;
}

function rssMb(): number {
	return processRssBytes(server.process.pid!)! / MB;
}

/** Samples the server's RSS every 10 ms until stopped; the highest seen. */
function watchRss(): { stop(): number } {
	let peak = rssMb();
	const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 10);
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, rssMb());
		}
	};
}

test('a 600 MB-inflating workbook is refused at once, alone and four at a time, beside a game', async () => {
	const bomb = workbookBomb(600);
	expect(bomb.byteLength).toBeLessThan(1 * MB);

	// A game in its first question (20 s): one phone records when each tick arrives, the other
	// answers while the files are being refused (one answer of two: the question stays open).
	const game = await createGame(server, 'world-geography', { introSeconds: 0 });
	const host = await TestClient.connect(server, game.hostToken);
	const join = async (name: string) =>
		TestClient.connect(server, (await joinGame(server, game.pin, name)).body.token);
	const phone = await join('Ana');
	const other = await join('Ben');
	const tickTimes: number[] = [];
	phone.socket.on('message', (data) => {
		if (String(data).includes('"type":"tick"')) tickTimes.push(performance.now());
	});
	host.send({ type: 'start' });
	await phone.next('phase', (m) => m.phase === 'open');
	await phone.next('tick');

	// One good import first: the route's and the worker's code loaded once is not what a bad
	// file leaves behind.
	expect((await upload(new TextEncoder().encode(GOOD_CSV), 'Warm-up.csv')).type).toBe('success');
	const before = rssMb();
	const watch = watchRss();
	let started = performance.now();
	const alone = await upload(bomb, 'Bomb.xlsx');
	const aloneMs = performance.now() - started;
	expect(alone.type).toBe('failure');
	expect(alone.data).toContain('unpacks to more than 50 MB');
	expect(aloneMs).toBeLessThan(1000);

	started = performance.now();
	const four = await Promise.all([1, 2, 3, 4].map((n) => upload(bomb, `Bomb ${n}.xlsx`)));
	const fourMs = performance.now() - started;
	for (const result of four) {
		expect(result.type).toBe('failure');
		expect(result.data).toMatch(/unpacks to more than 50 MB|busy reading other imported files/);
	}
	expect(fourMs).toBeLessThan(1000);
	const peak = watch.stop();

	// The phone's answer is acknowledged as fast as ever while the server is at it.
	const answeredAt = performance.now();
	other.send({ type: 'answer', questionIndex: 0, choice: 2 });
	await other.next('answer-ack');
	const ackMs = performance.now() - answeredAt;

	// Two more seconds of ticks after the imports, then the spacing of every one of them.
	const ticksSoFar = tickTimes.length;
	await phone.next('tick', () => tickTimes.length >= ticksSoFar + 2, 5000);
	const gaps = tickTimes.slice(1).map((at, i) => at - tickTimes[i]!);
	const after = rssMb();
	console.log(
		`bomb refused in ${aloneMs.toFixed(0)} ms, four in ${fourMs.toFixed(0)} ms; ` +
			`RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} → ${after.toFixed(0)} MB; ` +
			`ack ${ackMs.toFixed(0)} ms; tick gaps ${gaps.map((gap) => gap.toFixed(0)).join(', ')} ms`
	);
	expect(peak - before).toBeLessThan(100);
	// Two seconds on, 35-60 MB are still held (measured); some 10 s later the process is back
	// where it was, which this test does not wait for.
	expect(after - before).toBeLessThan(75);
	expect(ackMs).toBeLessThan(100);
	for (const gap of gaps) expect(Math.abs(gap - 1000)).toBeLessThan(50);
	for (const client of [host, phone, other]) await client.close();
});

test('good files still import through the worker, and the memory goes back', async () => {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Sheet1');
	sheet.getRow(1).values = ['', 'Question', 'Answer 1', 'Answer 2', 'Time limit', 'Correct'];
	sheet.getRow(2).values = ['', 'Largest ocean?', 'Atlantic', 'Pacific', 20, 2];
	const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
	const csv = new TextEncoder().encode(GOOD_CSV);
	const json = new Uint8Array(
		await (await server.admin.fetch('/quizzes/world-geography/export/json')).arrayBuffer()
	);

	const before = rssMb();
	for (const [bytes, name, title] of [
		[xlsx, 'Oceans.xlsx', 'Oceans'],
		[csv, 'Mountains.csv', 'Mountains'],
		[json, 'Geography.quizroom.json', 'World Geography']
	] as const) {
		const result = await upload(bytes, name);
		expect(result.type, result.data).toBe('success');
		expect(result.data).toContain(title);
	}
	const after = rssMb();
	console.log(`three good imports: RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB`);
	expect(after - before).toBeLessThan(60);
});
