/**
 * What a host keeps: a played game becomes a report (with both downloads), quizzes and
 * reports survive a restart of the server, and the samples are seeded only once.
 */
import ExcelJS from 'exceljs';
import { afterAll, expect, test } from 'vitest';
import { createGame, joinGame, startServer, TestClient, type RunningServer } from './harness.ts';

const servers: RunningServer[] = [];
afterAll(async () => {
	for (const server of servers) await server.stop();
});

async function start(dataDir?: string): Promise<RunningServer> {
	const server = await startServer(dataDir ? { DATA_DIR: dataDir } : {});
	servers.push(server);
	return server;
}

/** A host's GET, signed in as the server's admin. */
async function getJson<T>(server: RunningServer, path: string): Promise<T> {
	const response = await server.admin.fetch(path);
	expect(response.status, path).toBe(200);
	return (await response.json()) as T;
}

interface QuizRow {
	id: string;
	title: string;
	lastPlayedAt: number | null;
}

test('a played game is reported, and quizzes and reports survive a restart', async () => {
	const first = await start();
	const quizzes = await getJson<QuizRow[]>(first, '/api/quizzes');
	expect(quizzes.map((q) => q.title).sort()).toEqual([
		'A tour of question types',
		'Computers and the Internet',
		'Science and Nature',
		'World Geography'
	]);
	const quiz = quizzes.find((q) => q.title === 'World Geography')!;
	expect(quiz.lastPlayedAt).toBeNull();

	// One question played by two players, then the host ends the game: an unfinished report.
	const game = await createGame(first, quiz.id, { introSeconds: 0 });
	const host = await TestClient.connect(first, game.hostToken);
	const ana = await joinGame(first, game.pin, 'Ana');
	const ben = await joinGame(first, game.pin, 'Ben');
	const players = [
		await TestClient.connect(first, ana.body.token),
		await TestClient.connect(first, ben.body.token)
	];
	host.send({ type: 'start' });
	const open = await players[0]!.next('phase', (m) => m.phase === 'open');
	expect(open.phase).toBe('open');
	players[0]!.send({ type: 'answer', questionIndex: 0, choice: 2 }); // Canberra: right
	players[1]!.send({ type: 'answer', questionIndex: 0, choice: 0 });
	await host.next('phase', (m) => m.phase === 'reveal');
	host.send({ type: 'end' });
	await host.next('closed');

	const reportsPage = await first.admin.fetch('/reports');
	expect(await reportsPage.text()).toContain('World Geography');
	const played = await getJson<QuizRow[]>(first, '/api/quizzes');
	expect(played.find((q) => q.id === quiz.id)!.lastPlayedAt).toEqual(expect.any(Number));

	// Restart on the same data directory.
	await first.stop();
	const second = await start(first.dataDir);
	expect(second.output()).not.toContain('sample quizzes');
	const after = await getJson<QuizRow[]>(second, '/api/quizzes');
	expect(after).toHaveLength(quizzes.length);

	const list = await (await second.admin.fetch('/reports')).text();
	const reportId = /href="\.?\/reports\/([\w-]+)"/.exec(list)?.[1];
	expect(reportId, list).toBeTruthy();
	const page = await (await second.admin.fetch(`/reports/${reportId}`)).text();
	expect(page).toContain('unfinished');
	expect(page).toContain('Ana');
	expect(page).toContain('What is the capital city of Australia?');

	const csv = await second.admin.fetch(`/reports/${reportId}/export/csv`);
	expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/);
	const csvText = await csv.text();
	expect(csvText).toContain('Ana');
	expect(csvText).toContain('Canberra');

	const xlsx = await second.admin.fetch(`/reports/${reportId}/export/xlsx`);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(await xlsx.arrayBuffer());
	expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(
		expect.arrayContaining(['Ranking', 'Answers'])
	);
	for (const client of [host, ...players]) await client.close();
});

test('a quiz exported as JSON imports back as the same quiz', async () => {
	const server = await start();
	const samples = await getJson<QuizRow[]>(server, '/api/quizzes');
	const quiz = samples[0];
	const exported = await server.admin.fetch(`/quizzes/${quiz!.id}/export/json`);
	const file = await exported.text();

	const form = new FormData();
	form.append('file', new Blob([file], { type: 'application/json' }), 'quiz.quizroom.json');
	const imported = await server.admin.fetch('/quizzes?/import', {
		method: 'POST',
		body: form,
		headers: { accept: 'application/json' }
	});
	expect(imported.status).toBe(200);
	const quizzes = await getJson<QuizRow[]>(server, '/api/quizzes');
	expect(quizzes).toHaveLength(samples.length + 1);
	const copy = quizzes.find((q) => q.title === quiz!.title && q.id !== quiz!.id)!;
	const original = await getJson<Record<string, unknown>>(server, `/api/quizzes/${quiz!.id}`);
	const roundTrip = await getJson<Record<string, unknown>>(server, `/api/quizzes/${copy.id}`);
	expect({ ...roundTrip, id: original.id }).toEqual(original);
});

test('a CSV saved by Excel on Windows imports with its accents; an empty file is called empty', async () => {
	const server = await start();
	const post = async (bytes: Uint8Array<ArrayBuffer>, name: string) => {
		const form = new FormData();
		form.append('file', new Blob([bytes]), name);
		const response = await server.admin.fetch('/quizzes?/import', {
			method: 'POST',
			body: form,
			headers: { accept: 'application/json' }
		});
		return (await response.json()) as { type: string; data: string };
	};
	// Windows-1252: é is one byte, 0xE9.
	const csv =
		'Question,Answer 1,Answer 2,Time limit (sec),Correct answer(s)\r\nCaf\u00e9 or th\u00e9?,Caf\u00e9,Th\u00e9,20,1\r\n';
	const latin = Uint8Array.from(csv, (character) => character.charCodeAt(0));
	const result = await post(latin, 'Drinks.csv');
	expect(result.type).toBe('success');
	const [found] = await getJson<QuizRow[]>(server, '/api/quizzes?q=drinks');
	const quiz = await getJson<{ questions: { text: string; options: string[] }[] }>(
		server,
		`/api/quizzes/${found!.id}`
	);
	expect(quiz.questions[0]).toMatchObject({ text: 'Café or thé?', options: ['Café', 'Thé'] });

	const empty = await post(new Uint8Array(), 'Nothing.csv');
	expect(empty.type).toBe('failure');
	expect(empty.data).toContain('Nothing.csv is empty: nothing to import');
});

test("Kahoot's spreadsheet imports through the library, bad rows listed by number", async () => {
	const server = await start();
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Sheet1');
	sheet.getRow(8).values = [
		'',
		'Question - max 120 characters',
		'Answer 1 - max 75 characters',
		'Answer 2 - max 75 characters',
		'Answer 3 - max 75 characters',
		'Answer 4 - max 75 characters',
		'Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs',
		'Correct answer(s) - choose at least one'
	];
	sheet.getRow(9).values = [1, 'Largest ocean?', 'Atlantic', 'Pacific', 'Indian', '', 20, 2];
	sheet.getRow(10).values = [2, 'Broken row', 'Only one answer', '', '', '', 20, 1];
	sheet.getRow(11).values = [3, 'Two correct', 'A', 'B', 'C', 'D', 30, '1,3'];
	const bytes = await workbook.xlsx.writeBuffer();

	const form = new FormData();
	form.append('file', new Blob([bytes]), 'Oceans.xlsx');
	const response = await server.admin.fetch('/quizzes?/import', {
		method: 'POST',
		body: form,
		headers: { accept: 'application/json' }
	});
	const result = (await response.json()) as { type: string; data: string };
	expect(result.type).toBe('success');
	// SvelteKit serialises action data with devalue: look for the facts in the text.
	expect(result.data).toContain('Oceans');
	expect(result.data).toMatch(/Row 10: .*answers/);

	const quizzes = await getJson<QuizRow[]>(server, '/api/quizzes?q=oceans');
	expect(quizzes).toHaveLength(1);
	const quiz = await getJson<{ questions: { text: string; correct: number[] }[] }>(
		server,
		`/api/quizzes/${quizzes[0]!.id}`
	);
	expect(quiz.questions.map((q) => [q.text, q.correct])).toEqual([
		['Largest ocean?', [1]],
		['Two correct', [0, 2]]
	]);
});
