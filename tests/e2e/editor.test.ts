/**
 * The quiz editor through the real UI: write a quiz, get refused for an empty answer, fix it,
 * reorder by keyboard and by drag (mouse and touch), save, reload and find everything; the
 * unsaved-changes guard and the draft kept in localStorage. Screenshots of the editor land in
 * test-results/screenshots/editor-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { crc32, deflateSync } from 'node:zlib';

const shots = 'test-results/screenshots';
const DESKTOP = { width: 1280, height: 800 };

test.use({ viewport: DESKTOP });

/** A small striped PNG (24×16), built from its chunks so no fixture file is needed. */
function stripedPng(): Buffer {
	const width = 24;
	const height = 16;
	const rows: number[] = [];
	for (let y = 0; y < height; y++) {
		rows.push(0); // filter: none
		for (let x = 0; x < width; x++) {
			rows.push(...(Math.floor(x / 4) % 2 === 0 ? [226, 27, 60] : [255, 210, 63]));
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	const chunk = (type: string, data: Buffer) => {
		const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(typeAndData));
		return Buffer.concat([length, typeAndData, crc]);
	};
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.from(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const question = (page: Page, number: number) =>
	page.getByRole('region', { name: `Question ${number}`, exact: true });

const questionText = (card: Locator) => card.getByLabel('Question', { exact: true });

/** The question texts in the order the editor shows them. */
const questionOrder = (page: Page) =>
	page
		.locator('section.question textarea')
		.evaluateAll((fields) => fields.map((field) => (field as HTMLTextAreaElement).value));

async function fillQuestion(
	card: Locator,
	text: string,
	answers: string[],
	correct: number[]
): Promise<void> {
	await questionText(card).fill(text);
	for (const [index, answer] of answers.entries()) {
		await card.getByPlaceholder(`Answer ${index + 1}`, { exact: true }).fill(answer);
	}
	for (const index of correct) {
		await card.getByRole('checkbox', { name: `Correct (answer ${index + 1})` }).check();
	}
}

/** Drags a question by its handle with the mouse until `done` holds, then drops it. */
async function dragHandle(page: Page, card: Locator, toY: number, done: () => Promise<boolean>) {
	const handle = card.getByRole('button', { name: /Reorder question/ });
	await handle.scrollIntoViewIfNeeded();
	const box = (await handle.boundingBox())!;
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width / 2, toY, { steps: 12 });
	// Near the window's edge the list scrolls by itself; wait for the drop spot to be reached.
	await expect.poll(done, { timeout: 10_000 }).toBe(true);
	// Out of the scrolling zone for a still picture of the drag.
	await page.mouse.move(box.x + box.width / 2, toY - 90, { steps: 3 });
	await page.waitForTimeout(300);
	await page.screenshot({ path: `${shots}/editor-dragging.png` });
	await page.mouse.up();
}

async function createQuizByApi(page: Page, title: string): Promise<string> {
	const response = await page.request.post('/api/quizzes', {
		data: {
			title,
			description: 'Made by the test',
			questions: [
				{ text: 'Two plus two?', options: ['3', '4'], correct: [1], timeLimit: 20 },
				{ text: 'Sky colour?', options: ['Blue', 'Green'], correct: [0], timeLimit: 10 }
			]
		}
	});
	expect(response.status()).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

test('a host writes, fixes, reorders and saves a quiz, and finds it all after a reload', async ({
	page
}) => {
	await page.goto('/quizzes/new');
	await expect(page.getByRole('heading', { name: 'New quiz' })).toBeVisible();
	await expect(page.getByRole('status').first()).toHaveText('Not saved yet');
	await page.screenshot({ path: `${shots}/editor-new.png` });

	await page.getByLabel('Title').fill('Space and planets');
	await page.getByLabel('Description').fill('Five minutes around the solar system.');

	// Question A: one correct answer, 10 s, double points.
	const first = question(page, 1);
	await fillQuestion(
		first,
		'Which planet is the largest?',
		['Jupiter', 'Saturn', 'Earth', 'Mars'],
		[0]
	);
	await expect(first.getByText('28/200')).toBeVisible();
	await first.getByLabel('Time limit').selectOption('10');
	await first.getByLabel('Points').selectOption('double');

	// Question B: three answers, two of them correct, no points, with a picture.
	await page.getByRole('button', { name: '+ Add question' }).click();
	const second = question(page, 2);
	await expect(questionText(second)).toBeFocused();
	await second.getByRole('button', { name: 'Remove answer 4' }).click();
	await fillQuestion(
		second,
		'Which of these are gas giants?',
		['Jupiter', 'Venus', 'Saturn'],
		[0, 2]
	);
	await second.getByLabel('Time limit').selectOption('30');
	await second.getByLabel('Points').selectOption('none');
	await second.getByLabel(/Add image/).setInputFiles({
		name: 'stripes.png',
		mimeType: 'image/png',
		buffer: stripedPng()
	});
	const thumbnail = second.getByRole('img', { name: 'Picture for question 2' });
	await expect(thumbnail).toBeVisible();
	expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);

	// An SVG is refused, with the reason next to the image field.
	await page.getByRole('button', { name: '+ Add question' }).click();
	const third = question(page, 3);
	await third.getByLabel(/Add image/).setInputFiles({
		name: 'logo.svg',
		mimeType: 'image/svg+xml',
		buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')
	});
	await expect(third.getByText('SVG is not accepted')).toBeVisible();

	// Question C: two answers left empty, so the save is refused.
	await fillQuestion(third, 'How many moons does Mars have?', ['2', '0'], [0]);
	await page.getByRole('button', { name: 'Save' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'Not saved' });
	await expect(summary).toContainText('2 things need fixing');
	await expect(summary).toContainText('Question 3, answer 3: Answer is empty');
	const emptyAnswer = third.getByPlaceholder('Answer 3', { exact: true });
	await expect(emptyAnswer).toBeFocused();
	await expect(emptyAnswer).toHaveAttribute('aria-invalid', 'true');
	const describedBy = (await emptyAnswer.getAttribute('aria-describedby'))!;
	await expect(page.locator(`[id="${describedBy.split(' ')[0]}"]`)).toHaveText('Answer is empty');
	await expect(page).toHaveURL(/\/quizzes\/new$/);
	await page.screenshot({ path: `${shots}/editor-refused.png` });
	await summary.scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${shots}/editor-summary.png` });

	// The summary links to the field at fault.
	await summary.getByRole('link', { name: /Question 3, answer 4/ }).click();
	await expect(third.getByPlaceholder('Answer 4', { exact: true })).toBeFocused();

	// Fixing a field clears its message at once; fixing both clears the summary.
	await emptyAnswer.fill('1');
	await expect(third.getByText('Answer is empty')).toHaveCount(1);
	await third.getByPlaceholder('Answer 4', { exact: true }).fill('4');
	await expect(summary).toBeHidden();
	await third.getByLabel('Time limit').selectOption('60');

	// Delete takes one click, and Undo brings the question back where it was.
	await second.getByRole('button', { name: 'Delete question 2' }).click();
	await expect(page.locator('section.question')).toHaveCount(2);
	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(page.locator('section.question')).toHaveCount(3);
	expect(await questionOrder(page)).toEqual([
		'Which planet is the largest?',
		'Which of these are gas giants?',
		'How many moons does Mars have?'
	]);

	// Keyboard: Alt+↑ from inside question C's text moves it up, and the focus stays there.
	await questionText(question(page, 3)).focus();
	await page.keyboard.press('Alt+ArrowUp');
	expect(await questionOrder(page)).toEqual([
		'Which planet is the largest?',
		'How many moons does Mars have?',
		'Which of these are gas giants?'
	]);
	await expect(questionText(question(page, 2))).toBeFocused();
	// And the Move buttons do the same.
	await question(page, 2).getByRole('button', { name: 'Move down question 2' }).click();
	await question(page, 3).getByRole('button', { name: 'Move up question 3' }).click();

	// Mouse: drag question A below the others (the list scrolls near the window's edge).
	await dragHandle(page, question(page, 1), DESKTOP.height - 10, async () => {
		const order = await questionOrder(page);
		return order[2] === 'Which planet is the largest?';
	});
	expect(await questionOrder(page)).toEqual([
		'How many moons does Mars have?',
		'Which of these are gas giants?',
		'Which planet is the largest?'
	]);

	await expect(page.getByRole('status').first()).toHaveText('Unsaved changes');
	await page.keyboard.press('Control+s');
	await page.waitForURL(/\/quizzes\/[a-z0-9]{12}$/);
	await expect(page.getByRole('status').first()).toContainText('Saved');
	await expect(page.getByRole('link', { name: 'Host this quiz' })).toHaveAttribute(
		'href',
		/\/host\?quiz=[a-z0-9]{12}$/
	);
	const url = page.url();

	await page.reload();
	await expect(page.getByRole('heading', { name: 'Edit quiz' })).toBeVisible();
	await expect(page.getByRole('status').first()).toContainText('Saved');
	await expect(page.getByLabel('Title')).toHaveValue('Space and planets');
	await expect(page.getByLabel('Description')).toHaveValue('Five minutes around the solar system.');
	expect(await questionOrder(page)).toEqual([
		'How many moons does Mars have?',
		'Which of these are gas giants?',
		'Which planet is the largest?'
	]);
	const moons = question(page, 1);
	const giants = question(page, 2);
	const largest = question(page, 3);
	await expect(moons.getByPlaceholder('Answer 3', { exact: true })).toHaveValue('1');
	await expect(moons.getByPlaceholder('Answer 4', { exact: true })).toHaveValue('4');
	await expect(moons.getByRole('checkbox', { name: 'Correct (answer 1)' })).toBeChecked();
	await expect(moons.getByLabel('Time limit')).toHaveValue('60');
	await expect(moons.getByLabel('Points')).toHaveValue('standard');

	await expect(giants.getByPlaceholder(/^Answer \d$/)).toHaveCount(3);
	await expect(giants.getByRole('checkbox', { name: 'Correct (answer 1)' })).toBeChecked();
	await expect(giants.getByRole('checkbox', { name: 'Correct (answer 2)' })).not.toBeChecked();
	await expect(giants.getByRole('checkbox', { name: 'Correct (answer 3)' })).toBeChecked();
	await expect(giants.getByLabel('Time limit')).toHaveValue('30');
	await expect(giants.getByLabel('Points')).toHaveValue('none');
	const savedThumbnail = giants.getByRole('img', { name: 'Picture for question 2' });
	await expect(savedThumbnail).toBeVisible();
	await expect
		.poll(() => savedThumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth))
		.toBe(24);

	await expect(largest.getByRole('checkbox', { name: 'Correct (answer 1)' })).toBeChecked();
	await expect(largest.getByLabel('Time limit')).toHaveValue('10');
	await expect(largest.getByLabel('Points')).toHaveValue('double');
	await page.screenshot({ path: `${shots}/editor-saved.png` });
	await page.screenshot({ path: `${shots}/editor-saved-full.png`, fullPage: true });

	// The API has the same quiz.
	const id = url.split('/').pop()!;
	const stored = (await (await page.request.get(`/api/quizzes/${id}`)).json()) as {
		questions: { text: string; correct: number[]; image?: string }[];
	};
	expect(stored.questions.map((q) => q.correct)).toEqual([[0], [0, 2], [0]]);
	expect(stored.questions[1]!.image).toMatch(/^[0-9a-f]{64}\.png$/);
});

test('questions reorder by touch on a phone', async ({ browser }) => {
	const context = await browser.newContext({
		viewport: { width: 390, height: 844 },
		isMobile: true,
		hasTouch: true
	});
	const page = await context.newPage();
	const id = await createQuizByApi(page, 'Touch order');
	await page.goto(`/quizzes/${id}`);
	expect(await questionOrder(page)).toEqual(['Two plus two?', 'Sky colour?']);

	// Playwright has no touch-move helper: drive the touch points through the DevTools protocol.
	const handle = question(page, 2).getByRole('button', { name: /Reorder question/ });
	await handle.scrollIntoViewIfNeeded();
	const box = (await handle.boundingBox())!;
	const firstBox = (await question(page, 1).boundingBox())!;
	const x = box.x + box.width / 2;
	const cdp = await context.newCDPSession(page);
	const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) =>
		cdp.send('Input.dispatchTouchEvent', {
			type,
			touchPoints: type === 'touchEnd' ? [] : [{ x, y }]
		});
	await touch('touchStart', box.y + box.height / 2);
	const targetY = Math.max(firstBox.y + 10, 20);
	for (let step = 1; step <= 10; step++) {
		await touch('touchMove', box.y + ((targetY - box.y) * step) / 10);
	}
	await expect.poll(() => questionOrder(page)).toEqual(['Sky colour?', 'Two plus two?']);
	await touch('touchEnd', targetY);
	await page.screenshot({ path: `${shots}/editor-phone.png` });
	await context.close();
});

test('leaving with unsaved changes asks first', async ({ page }) => {
	const id = await createQuizByApi(page, 'Guarded quiz');
	await page.goto(`/quizzes/${id}`);
	await expect(page.getByLabel('Title')).toHaveValue('Guarded quiz');

	// Nothing changed: no question asked.
	await page.getByRole('link', { name: 'Quiz library' }).click();
	await page.waitForURL(/\/quizzes$/);
	await page.goto(`/quizzes/${id}`);

	await page.getByLabel('Title').fill('Guarded quiz, edited');
	const dialogs: string[] = [];
	page.once('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	await page.getByRole('link', { name: 'Quiz library' }).click();
	await expect.poll(() => dialogs.length).toBe(1);
	expect(dialogs[0]).toContain('not saved');
	await expect(page).toHaveURL(new RegExp(`/quizzes/${id}$`));
	await expect(page.getByLabel('Title')).toHaveValue('Guarded quiz, edited');

	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByRole('link', { name: 'Quiz library' }).click();
	await page.waitForURL(/\/quizzes$/);
});

test('a reload with unsaved changes offers the draft back', async ({ page }) => {
	const id = await createQuizByApi(page, 'Draft quiz');
	await page.goto(`/quizzes/${id}`);
	await page.getByLabel('Title').fill('Draft quiz, half done');
	await page.getByRole('button', { name: '+ Add question' }).click();
	await questionText(question(page, 3)).fill('A question written but never saved');

	// The reload trips the beforeunload warning; go ahead anyway.
	const kinds: string[] = [];
	page.on('dialog', (dialog) => {
		kinds.push(dialog.type());
		void dialog.accept();
	});
	await page.reload();
	expect(kinds).toEqual(['beforeunload']);
	await expect(page.getByLabel('Title')).toHaveValue('Draft quiz');
	const offer = page.getByRole('alert').filter({ hasText: 'Unsaved changes found' });
	await expect(offer).toContainText('3 questions');
	await page.screenshot({ path: `${shots}/editor-restore.png` });

	await offer.getByRole('button', { name: 'Restore draft' }).click();
	await expect(offer).toBeHidden();
	await expect(page.getByLabel('Title')).toHaveValue('Draft quiz, half done');
	await expect(questionText(question(page, 3))).toHaveValue('A question written but never saved');
	await expect(page.getByRole('status').first()).toHaveText('Unsaved changes');

	// The half-written question is not valid yet; remove it and save.
	await question(page, 3).getByRole('button', { name: 'Delete question 3' }).click();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status').first()).toContainText('Saved');

	// Saved: nothing left to offer.
	await page.reload();
	await expect(page.getByLabel('Title')).toHaveValue('Draft quiz, half done');
	await expect(page.getByText('Unsaved changes found')).toBeHidden();

	// A new quiz's draft comes back too, and can be thrown away.
	await page.goto('/quizzes/new');
	await page.getByLabel('Title').fill('Never saved');
	await page.reload();
	const newOffer = page.getByRole('alert').filter({ hasText: 'Unsaved changes found' });
	await newOffer.getByRole('button', { name: 'Discard it' }).click();
	await expect(page.getByLabel('Title')).toHaveValue('');
	await page.reload();
	await expect(page.getByRole('heading', { name: 'New quiz' })).toBeVisible();
	await expect(page.getByText('Unsaved changes found')).toBeHidden();
});

test('an unknown quiz gets a not-found page with the way back', async ({ page }) => {
	const response = await page.goto('/quizzes/nosuchquiz');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Quiz not found' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Back to the quiz library' })).toHaveAttribute(
		'href',
		'/quizzes'
	);
	await page.screenshot({ path: `${shots}/editor-not-found.png` });
});
