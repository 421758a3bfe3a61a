/**
 * A host's whole day with their own quiz: write it in the editor (with a picture), host it,
 * two phones play it to the podium, open the report and download both exports; then the
 * server restarts and the quiz and the report are still there. This test runs its own server
 * (not Playwright's) so it can restart it on the same data directory.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, expectPicture, hostContext, test } from './screens.ts';
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { startServer, type RunningServer } from '../integration/harness.ts';

const shots = 'test-results/screenshots';
let server: RunningServer;

test.afterAll(() => server?.stop());

/** A 32×18 PNG in two colours, built here so no fixture file is needed. */
function picture(): Buffer {
	const [width, height] = [32, 18];
	const rows: number[] = [];
	for (let y = 0; y < height; y++) {
		rows.push(0);
		for (let x = 0; x < width; x++) rows.push(...(x < width / 2 ? [19, 104, 206] : [38, 137, 12]));
	}
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.from(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

async function phone(browser: Browser, base: string, pin: string, nickname: string): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true
	});
	const page = await context.newPage();
	await page.goto(`${base}/?pin=${pin}`);
	await page.getByLabel('Nickname').fill(nickname);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
	return page;
}

test('write a quiz, play it, read its report, and find both after a restart', async ({
	browser
}) => {
	server = await startServer();
	const base = server.url;
	const context = await hostContext(browser, { viewport: { width: 1280, height: 800 } }, server);
	const host = await context.newPage();

	// Write the quiz.
	await host.goto(`${base}/quizzes`);
	await host.getByRole('link', { name: 'New quiz' }).click();
	// Exact: the library's "Search by title" field would match too while the page changes.
	await host.waitForURL(/\/quizzes\/new$/);
	await host.getByLabel('Title', { exact: true }).fill('Colours of the flag');
	const first = host.getByRole('region', { name: 'Question 1', exact: true });
	await first.getByLabel('Question', { exact: true }).fill('Which colour is on the left?');
	for (const [index, answer] of ['Red', 'Blue', 'Yellow', 'Green'].entries()) {
		await first.getByPlaceholder(`Answer ${index + 1}`, { exact: true }).fill(answer);
	}
	await first.getByRole('checkbox', { name: 'Correct (answer 2)' }).check();
	await first.getByLabel(/Add image/).setInputFiles({
		name: 'flag.png',
		mimeType: 'image/png',
		buffer: picture()
	});
	await expect(first.getByRole('img', { name: 'Picture for question 1' })).toBeVisible();
	await host.getByRole('button', { name: '+ Add question' }).click();
	await host.getByRole('menuitem', { name: 'Quiz', exact: true }).click();
	const second = host.getByRole('region', { name: 'Question 2', exact: true });
	await second.getByLabel('Question', { exact: true }).fill('And on the right?');
	for (const [index, answer] of ['Red', 'Blue', 'Yellow', 'Green'].entries()) {
		await second.getByPlaceholder(`Answer ${index + 1}`, { exact: true }).fill(answer);
	}
	await second.getByRole('checkbox', { name: 'Correct (answer 4)' }).check();
	await host.getByRole('button', { name: 'Save' }).click();
	await host.waitForURL(/\/quizzes\/[a-z0-9]{12}$/);
	await expect(host.getByRole('status').first()).toContainText('Saved');

	// Host it from the library.
	await host.goto(`${base}/quizzes`);
	const row = host.getByRole('row', { name: /Colours of the flag/ });
	await row.getByRole('link', { name: 'Host' }).click();
	await expect(host.getByRole('radio', { name: /Colours of the flag/ })).toBeChecked();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /(\d{6})$/.exec(host.url())![1]!;

	const ana = await phone(browser, base, pin, 'Ana');
	const ben = await phone(browser, base, pin, 'Ben');
	await host.getByRole('button', { name: 'Start' }).click();

	// Question 1 shows its picture on the projector.
	const image = host.locator('img.image');
	await expectPicture(image, 32);
	await host.screenshot({ path: `${shots}/host-question-image.png` });
	await ana.getByRole('button', { name: 'blue diamond' }).click();
	await ben.getByRole('button', { name: 'red triangle' }).click();
	await expect(host.getByRole('figure')).toBeVisible();
	await host.keyboard.press('Space');
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await host.keyboard.press('Space');
	await ana.getByRole('button', { name: 'green square' }).click();
	await ben.getByRole('button', { name: 'green square' }).click();
	await expect(host.getByRole('figure')).toBeVisible();
	await host.keyboard.press('Space');
	await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
	await host.keyboard.press('Space');
	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
	await expect(host.locator('.place-1 .name')).toHaveText('Ana');

	// The report.
	await host.goto(`${base}/reports`);
	await host.getByRole('link', { name: 'Colours of the flag' }).click();
	await expect(host.getByRole('heading', { name: 'Colours of the flag' })).toBeVisible();
	const ranking = host.getByRole('table');
	await expect(ranking.getByRole('row').nth(1)).toContainText('Ana');
	await expect(ranking.getByRole('row').nth(1)).toContainText('2 / 2');
	await expect(ranking.getByRole('row').nth(2)).toContainText('Ben');
	await expect(host.getByText('50% correct')).toBeVisible();
	await expect(host.getByText('100% correct')).toBeVisible();
	await host.screenshot({ path: `${shots}/report.png`, fullPage: true });

	for (const [label, extension] of [
		['Download CSV', 'csv'],
		['Download Excel', 'xlsx']
	] as const) {
		const [download] = await Promise.all([
			host.waitForEvent('download'),
			host.getByRole('link', { name: label }).click()
		]);
		expect(download.suggestedFilename()).toMatch(
			new RegExp(`Colours of the flag .* report\\.${extension}$`)
		);
		const saved = readFileSync((await download.path())!);
		if (extension === 'csv') expect(saved.toString('utf8')).toContain('Ana');
		else expect(saved.subarray(0, 2).toString('latin1')).toBe('PK');
	}

	// Restart on the same data directory: the quiz (with its picture) and the report remain.
	const dataDir = server.dataDir;
	await server.stop();
	server = await startServer({ DATA_DIR: dataDir });
	// Still signed in: the session outlives the restart too.
	await host.goto(`${server.url}/quizzes`);
	await host.getByRole('link', { name: 'Colours of the flag' }).first().click();
	await expect(host.getByLabel('Title', { exact: true })).toHaveValue('Colours of the flag');
	const thumbnail = host.getByRole('img', { name: 'Picture for question 1' });
	await expectPicture(thumbnail, 32);
	await host.goto(`${server.url}/reports`);
	await expect(host.getByRole('link', { name: 'Colours of the flag' })).toBeVisible();
});
