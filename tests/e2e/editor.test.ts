/**
 * The quiz editor through the real UI: write a quiz, get refused for an empty answer, fix it,
 * reorder by keyboard and by drag (mouse and touch), save, reload and find everything; one
 * question of every type, with their own checks; the unsaved-changes guard and the draft kept
 * in localStorage. Screenshots of the editor land in test-results/screenshots/editor-*.png.
 */
import type { Locator, Page } from '@playwright/test';
import { HOST_STATE, expect, expectPicture, sameOrigin, test } from './screens.ts';
import { crc32, deflateSync } from 'node:zlib';

const shots = 'test-results/screenshots';
const DESKTOP = { width: 1280, height: 800 };

// Every browser here is the host's, signed in (the phone one too: a host editing on a phone).
test.use({ viewport: DESKTOP, storageState: HOST_STATE });

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

/** Adds a question of a type through the "+ Add question" menu. */
async function addQuestion(page: Page, typeName: string): Promise<void> {
	await page.getByRole('button', { name: '+ Add question' }).click();
	await page.getByRole('menuitem', { name: typeName, exact: true }).click();
}

/** The question texts in the order the editor shows them. */
const questionOrder = (page: Page) =>
	page
		.locator('section.question textarea.question-text')
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
	// Into view and holding still (a scroll may still be moving the page): a press anywhere
	// else would start a text selection, not a drag.
	await handle.hover();
	const box = (await handle.boundingBox())!;
	await page.mouse.down();
	await page.mouse.move(box.x + box.width / 2, toY, { steps: 12 });
	// A picture of the drag in progress (the list may still be scrolling).
	await page.screenshot({ path: `${shots}/editor-dragging.png` });
	// Near the window's edge the list scrolls by itself; drop as soon as the spot is reached,
	// without moving again (under load, any further move could pass another question).
	await expect.poll(done, { timeout: 10_000, intervals: [50] }).toBe(true);
	await page.mouse.up();
}

async function createQuizByApi(page: Page, title: string): Promise<string> {
	const response = await page.request.post('/api/quizzes', {
		headers: sameOrigin(),
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
	await addQuestion(page, 'Quiz');
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
	await expectPicture(thumbnail, 24);

	// An SVG is refused, with the reason next to the image field.
	await addQuestion(page, 'Quiz');
	const third = question(page, 3);
	await third.getByLabel(/Add image/).setInputFiles({
		name: 'logo.svg',
		mimeType: 'image/svg+xml',
		buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')
	});
	await expect(third.getByText('SVG is not accepted')).toBeVisible();
	// So is a photo over 5 MB, before it is sent.
	const uploads: string[] = [];
	page.on('request', (request) => {
		if (new URL(request.url()).pathname === '/api/images') uploads.push(request.url());
	});
	await third.getByLabel(/Add image/).setInputFiles({
		name: 'holiday.jpg',
		mimeType: 'image/jpeg',
		buffer: Buffer.alloc(6 * 1024 * 1024)
	});
	await expect(third.getByText('Images can be at most 5 MB: this one is 6.0 MB')).toBeVisible();
	expect(uploads).toEqual([]);

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
	await page.getByLabel('Title').focus();
	await page.keyboard.press('Control+s');
	await page.waitForURL(/\/quizzes\/[a-z0-9]{12}$/);
	await expect(page.getByRole('status').first()).toContainText('Saved');
	// The quiz got its address and the host stays where they were typing.
	await expect(page.getByRole('heading', { name: 'Edit quiz' })).toBeVisible();
	await expect(page.getByLabel('Title')).toBeFocused();
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
	await expectPicture(savedThumbnail, 24);

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

test('a host writes one question of every type, fixes a slider, a typed answer and a puzzle, and finds them all after a reload', async ({
	page
}) => {
	/**
	 * A card on its own, with the sticky bar let go so it never covers it. (A clip measured on the
	 * whole page first could fall outside it when the page moved before the shot, under load.)
	 */
	const shoot = async (card: Locator, name: string) => {
		await card.screenshot({
			path: `${shots}/editor-types-${name}.png`,
			style: '.editor-top { position: static !important; }'
		});
	};

	await page.goto('/quizzes/new');
	const details = page.getByRole('region', { name: 'Quiz details' });
	await details.getByLabel('Title').fill('One of everything');

	// 1. Quiz: the question a new quiz starts with.
	const quiz = question(page, 1);
	await expect(quiz.getByLabel('Question type')).toHaveValue('quiz');
	await fillQuestion(quiz, 'Capital of Norway?', ['Oslo', 'Bergen', 'Trondheim', 'Tromsø'], [0]);

	// 2. True or false, added from the keyboard: Enter opens the menu, arrows pick the type.
	const addButton = page.getByRole('button', { name: '+ Add question' });
	await addButton.focus();
	await page.keyboard.press('Enter');
	const menu = page.getByRole('menu', { name: 'Question types' });
	await expect(menu.getByRole('menuitem')).toHaveCount(8);
	await expect(menu.getByRole('menuitem', { name: 'Quiz', exact: true })).toBeFocused();
	await expect(menu.getByRole('menuitem', { name: 'Slider' })).toHaveAccessibleDescription(
		'Players guess a number on a scale'
	);
	await menu.scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${shots}/editor-types-menu.png` });
	await page.keyboard.press('Escape');
	await expect(menu).toBeHidden();
	await expect(addButton).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowDown');
	await expect(menu.getByRole('menuitem', { name: 'True or false' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(menu).toBeHidden();
	const trueFalse = question(page, 2);
	await expect(questionText(trueFalse)).toBeFocused();
	await expect(trueFalse.getByLabel('Question type')).toHaveValue('true-false');
	await questionText(trueFalse).fill('The Moon is a planet');
	await trueFalse.getByRole('radio', { name: 'False' }).check();

	// 3. Select all that apply.
	await addQuestion(page, 'Select all that apply');
	const multi = question(page, 3);
	await expect(multi.getByText('players must tick exactly these')).toBeVisible();
	await multi.getByRole('button', { name: 'Remove answer 4' }).click();
	await fillQuestion(multi, 'Which are prime?', ['2', '4', '7'], [0, 2]);

	// 4. Type answer, with one accepted text too long.
	await addQuestion(page, 'Type answer');
	const typed = question(page, 4);
	// The hint says what the matching does: spaces around never count, inside they do.
	await expect(
		typed.getByText('several in a row count as one: “New York” is not “NewYork”')
	).toBeVisible();
	await questionText(typed).fill('Capital of Sweden?');
	await typed.getByPlaceholder('Accepted answer 1').fill('Stockholm');
	await typed.getByRole('button', { name: '+ Add accepted answer' }).click();
	const secondAccepted = typed.getByPlaceholder('Accepted answer 2');
	await expect(secondAccepted).toBeFocused();
	await secondAccepted.fill('Stockholm, the capital');
	await expect(typed.getByText('2 characters too many')).toBeVisible();
	await typed.getByLabel('Match case').check();
	await typed.getByLabel('Accents must match').check();

	// 5. Slider, with its correct value off the slider.
	await addQuestion(page, 'Slider');
	const slider = question(page, 5);
	await questionText(slider).fill('How far is it from Oslo to Bergen?');
	await slider.getByLabel('Minimum').fill('100');
	await slider.getByLabel('Maximum').fill('600');
	await slider.getByLabel('Step', { exact: true }).fill('10');
	await slider.getByLabel('Correct value').fill('700');
	await slider.getByLabel('Tolerance').fill('50');
	await slider.getByLabel('Unit').fill('km');
	await expect(slider.getByText('100 … 600 km, step 10; 700 ± 50 scores')).toBeVisible();

	// 6. Puzzle: written out of order, then put right with the move buttons; one item repeated.
	await addQuestion(page, 'Puzzle');
	const puzzle = question(page, 6);
	await expect(puzzle.getByText('Players get them shuffled')).toBeVisible();
	await questionText(puzzle).fill('From smallest to largest');
	await puzzle.getByRole('button', { name: '+ Add item' }).click();
	for (const [index, item] of ['Cell', 'Atom', 'Mouse', 'atom'].entries()) {
		await puzzle.getByPlaceholder(`Item ${index + 1}`, { exact: true }).fill(item);
	}
	await puzzle.getByRole('button', { name: 'Move item 2 up' }).click();
	// The focus travels with the item; at the top, to its other move button.
	await expect(puzzle.getByRole('button', { name: 'Move item 1 down' })).toBeFocused();
	await expect(puzzle.getByPlaceholder('Item 1', { exact: true })).toHaveValue('Atom');
	await expect(puzzle.getByPlaceholder('Item 2', { exact: true })).toHaveValue('Cell');

	// 7. Poll: options without correct marks, and no points.
	await addQuestion(page, 'Poll');
	const poll = question(page, 7);
	await poll.getByRole('button', { name: 'Remove option 4' }).click();
	await poll.getByRole('button', { name: 'Remove option 3' }).click();
	await questionText(poll).fill('Fjords or mountains?');
	await poll.getByPlaceholder('Option 1', { exact: true }).fill('Fjords');
	await poll.getByPlaceholder('Option 2', { exact: true }).fill('Mountains');
	await expect(poll.getByRole('checkbox')).toHaveCount(0);
	await expect(poll.getByLabel('Points')).toHaveCount(0);
	await poll.getByLabel('Time limit').selectOption('30');

	// 8. Info slide: title, text and a picture; no time limit, no points.
	await addQuestion(page, 'Info slide');
	const info = question(page, 8);
	await info.getByLabel('Title', { exact: true }).fill('Half time');
	await info.getByLabel('Text').fill('Stretch your legs: the second half is all about Norway.');
	await expect(info.getByText('55/500')).toBeVisible();
	await expect(info.getByLabel('Time limit')).toHaveCount(0);
	await expect(info.getByLabel('Points')).toHaveCount(0);
	await info.getByLabel(/Add image/).setInputFiles({
		name: 'stripes.png',
		mimeType: 'image/png',
		buffer: stripedPng()
	});
	await expect(info.getByRole('img', { name: 'Picture for question 8' })).toBeVisible();

	// Save: refused for the long typed answer, the slider's value and the repeated puzzle item,
	// each shown at its field.
	await page.getByRole('button', { name: 'Save' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'Not saved' });
	await expect(summary).toContainText('3 things need fixing');
	await expect(summary).toContainText('Question 6, items: Puzzle items must all be different');
	await expect(summary).toContainText(
		'Question 4, accepted answer 2: Accepted answer is longer than 20 characters'
	);
	await expect(summary).toContainText(
		'Question 5, correct value: The correct value must be on the slider'
	);
	await expect(secondAccepted).toBeFocused();
	await expect(secondAccepted).toHaveAttribute('aria-invalid', 'true');
	await expect(typed.getByText('Accepted answer is longer than 20 characters')).toBeVisible();
	const rangeError = slider.getByText('The correct value must be on the slider');
	await expect(rangeError).toBeVisible();
	await expect(slider.getByLabel('Correct value')).toHaveAttribute('aria-invalid', 'true');
	await expect(slider.getByLabel('Correct value')).toHaveAccessibleDescription(
		/The correct value must be on the slider/
	);
	await expect(slider.getByLabel('Minimum')).not.toHaveAttribute('aria-invalid');
	await expect(puzzle.getByText('Puzzle items must all be different')).toBeVisible();
	await expect(puzzle.getByPlaceholder('Item 1', { exact: true })).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	await expect(puzzle.getByPlaceholder('Item 4', { exact: true })).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	await expect(puzzle.getByPlaceholder('Item 2', { exact: true })).not.toHaveAttribute(
		'aria-invalid'
	);
	await shoot(typed, 'type-answer-refused');
	await shoot(slider, 'slider-refused');
	await shoot(puzzle, 'puzzle-refused');

	// The summary's link takes the keyboard to the slider's field at fault.
	await summary.getByRole('link', { name: /Question 5, correct value/ }).click();
	await expect(slider.getByLabel('Correct value')).toBeFocused();

	// Fixing all three clears the messages and the summary.
	await puzzle.getByPlaceholder('Item 4', { exact: true }).fill('Whale');
	await expect(puzzle.getByText('Puzzle items must all be different')).toBeHidden();
	await secondAccepted.fill('Sthlm');
	await expect(typed.getByText('Accepted answer is longer')).toBeHidden();
	await slider.getByLabel('Correct value').fill('310');
	await expect(rangeError).toBeHidden();
	await expect(summary).toBeHidden();
	await expect(slider.getByText('100 … 600 km, step 10; 310 ± 50 scores')).toBeVisible();

	await page.keyboard.press('Control+s');
	await page.waitForURL(/\/quizzes\/[a-z0-9]{12}$/);
	await expect(page.getByRole('status').first()).toContainText('Saved');
	const id = page.url().split('/').pop()!;

	await page.reload();
	await expect(page.getByRole('heading', { name: 'Edit quiz' })).toBeVisible();
	const types = page.locator('section.question').getByLabel('Question type');
	expect(
		await types.evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value))
	).toEqual(['quiz', 'true-false', 'multi', 'type-answer', 'slider', 'puzzle', 'poll', 'info']);

	await expect(quiz.getByPlaceholder('Answer 4', { exact: true })).toHaveValue('Tromsø');
	await expect(quiz.getByRole('checkbox', { name: 'Correct (answer 1)' })).toBeChecked();
	await expect(trueFalse.getByRole('radio', { name: 'False' })).toBeChecked();
	await expect(trueFalse.getByRole('radio', { name: 'True' })).not.toBeChecked();
	await expect(multi.getByPlaceholder(/^Answer \d$/)).toHaveCount(3);
	await expect(multi.getByRole('checkbox', { name: 'Correct (answer 3)' })).toBeChecked();
	await expect(multi.getByRole('checkbox', { name: 'Correct (answer 2)' })).not.toBeChecked();
	await expect(typed.getByPlaceholder('Accepted answer 1')).toHaveValue('Stockholm');
	await expect(typed.getByPlaceholder('Accepted answer 2')).toHaveValue('Sthlm');
	await expect(typed.getByLabel('Match case')).toBeChecked();
	await expect(typed.getByLabel('Accents must match')).toBeChecked();
	await expect(slider.getByLabel('Minimum')).toHaveValue('100');
	await expect(slider.getByLabel('Maximum')).toHaveValue('600');
	await expect(slider.getByLabel('Step', { exact: true })).toHaveValue('10');
	await expect(slider.getByLabel('Correct value')).toHaveValue('310');
	await expect(slider.getByLabel('Tolerance')).toHaveValue('50');
	await expect(slider.getByLabel('Unit')).toHaveValue('km');
	for (const [index, item] of ['Atom', 'Cell', 'Mouse', 'Whale'].entries()) {
		await expect(puzzle.getByPlaceholder(`Item ${index + 1}`, { exact: true })).toHaveValue(item);
	}
	await expect(poll.getByPlaceholder(/^Option \d$/)).toHaveCount(2);
	await expect(poll.getByPlaceholder('Option 2', { exact: true })).toHaveValue('Mountains');
	await expect(poll.getByLabel('Time limit')).toHaveValue('30');
	await expect(info.getByLabel('Title', { exact: true })).toHaveValue('Half time');
	await expect(info.getByLabel('Text')).toHaveValue(
		'Stretch your legs: the second half is all about Norway.'
	);
	await expect(info.getByRole('img', { name: 'Picture for question 8' })).toBeVisible();

	const names = ['quiz', 'true-false', 'multi', 'type-answer', 'slider', 'puzzle', 'poll', 'info'];
	for (const [index, name] of names.entries()) await shoot(question(page, index + 1), name);

	// The API holds each type with its own fields, and nothing of the others.
	const stored = (await (await page.request.get(`/api/quizzes/${id}`)).json()) as {
		questions: Record<string, unknown>[];
	};
	expect(stored.questions.map((q) => q.type)).toEqual(names);
	expect(stored.questions[1]).toMatchObject({ answer: false });
	expect(stored.questions[3]).toMatchObject({
		accepted: ['Stockholm', 'Sthlm'],
		caseSensitive: true,
		ignoreAccents: false
	});
	expect(stored.questions[4]).toMatchObject({
		min: 100,
		max: 600,
		step: 10,
		answer: 310,
		tolerance: 50,
		unit: 'km'
	});
	expect(stored.questions[5]).toMatchObject({ items: ['Atom', 'Cell', 'Mouse', 'Whale'] });
	expect(stored.questions[6]).not.toHaveProperty('correct');
	expect(stored.questions[6]).not.toHaveProperty('points');
	expect(stored.questions[7]).not.toHaveProperty('timeLimit');
	expect(stored.questions[7]!.image).toMatch(/^[0-9a-f]{64}\.png$/);

	// Changing the type keeps what was written: quiz → select-all → poll → quiz is no change.
	await quiz.getByLabel('Question type').selectOption('multi');
	await expect(page.getByRole('status').first()).toHaveText('Unsaved changes');
	await expect(quiz.getByText('players must tick exactly these')).toBeVisible();
	await quiz.getByLabel('Question type').selectOption('poll');
	await expect(quiz.getByPlaceholder('Option 1', { exact: true })).toHaveValue('Oslo');
	await quiz.getByLabel('Question type').selectOption('true-false');
	await expect(questionText(quiz)).toHaveValue('Capital of Norway?');
	await expect(quiz.getByRole('radio', { name: 'True' })).not.toBeChecked();
	await quiz.getByLabel('Question type').selectOption('quiz');
	await expect(quiz.getByRole('checkbox', { name: 'Correct (answer 1)' })).toBeChecked();
	await expect(page.getByRole('status').first()).toContainText('Saved');

	// A phone: the slider's card in one column, nothing cut off.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.waitForTimeout(300);
	await shoot(slider, 'phone-slider');
	await shoot(typed, 'phone-type-answer');
	const overflow = await slider.evaluate((card) => card.scrollWidth - card.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	await addButton.click();
	await menu.scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${shots}/editor-types-phone-menu.png` });
});

test('the first save lists every problem, each at the field at fault', async ({ page }) => {
	await page.goto('/quizzes/new');
	await page.getByLabel('Title').fill('Everything wrong at once');
	// Question 1 stays blank: its text, four answers and the correct mark are missing.
	await addQuestion(page, 'Puzzle');
	const puzzle = question(page, 2);
	await questionText(puzzle).fill('Smallest first');
	await puzzle.getByRole('button', { name: '+ Add item' }).click();
	for (const [index, item] of ['Atom', 'Atom', 'Cell'].entries()) {
		await puzzle.getByPlaceholder(`Item ${index + 1}`, { exact: true }).fill(item);
	}
	await addQuestion(page, 'Slider');
	const slider = question(page, 3);
	await questionText(slider).fill('How tall is the tower, in metres?');
	await slider.getByLabel('Minimum').fill('100');
	await slider.getByLabel('Maximum').fill('50');
	await slider.getByLabel('Correct value').fill('206');
	await addQuestion(page, 'Poll');
	const poll = question(page, 4);
	await questionText(poll).fill('Tea or coffee?');
	await poll.getByRole('button', { name: 'Remove option 4' }).click();
	await poll.getByRole('button', { name: 'Remove option 3' }).click();
	await poll.getByPlaceholder('Option 1', { exact: true }).fill('Tea');

	await page.getByRole('button', { name: 'Save' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'Not saved' });
	// 6 for the blank question, the empty item 4 and the repeated one, the range and the value,
	// the poll's empty option.
	await expect(summary).toContainText('11 things need fixing');
	await expect(summary).toContainText('Question 2, item 4: Item is empty');
	await expect(summary).toContainText('Question 2, items: Puzzle items must all be different');
	await expect(summary).toContainText(
		'Question 3, maximum: The maximum must be more than the minimum'
	);
	await expect(summary).toContainText(
		'Question 3, correct value: The correct value must be on the slider'
	);
	await expect(puzzle.getByText('Puzzle items must all be different')).toBeVisible();
	await expect(puzzle.getByPlaceholder('Item 2', { exact: true })).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	// A poll's options are options, in the messages as on the fields.
	await expect(summary).toContainText('Question 4, option 2: Option is empty');
	await expect(poll.getByPlaceholder('Option 2', { exact: true })).toHaveAccessibleDescription(
		'Option is empty'
	);

	// Each slider problem at its own field; a reversed range marks the minimum too.
	const minimum = slider.getByLabel('Minimum');
	const maximum = slider.getByLabel('Maximum');
	const correct = slider.getByLabel('Correct value');
	for (const field of [minimum, maximum, correct]) {
		await expect(field).toHaveAttribute('aria-invalid', 'true');
	}
	await expect(slider.getByLabel('Step', { exact: true })).not.toHaveAttribute('aria-invalid');
	await expect(maximum).toHaveAccessibleDescription('The maximum must be more than the minimum');
	await expect(minimum).toHaveAccessibleDescription('The maximum must be more than the minimum');
	await expect(correct).toHaveAccessibleDescription(/^The correct value must be on the slider/);
	await expect(slider.getByText('The maximum must be more than the minimum')).toHaveCount(1);
	await slider.evaluate((card) => card.scrollIntoView({ block: 'center' }));
	await slider.screenshot({
		path: `${shots}/editor-slider-each-field.png`,
		style: '.editor-top { position: static !important; }'
	});

	// The summary's links take the keyboard to those exact fields.
	await summary.getByRole('link', { name: /Question 3, maximum/ }).click();
	await expect(maximum).toBeFocused();
	await summary.getByRole('link', { name: /Question 3, correct value/ }).click();
	await expect(correct).toBeFocused();

	// A range the right way round clears both of its fields; the value is still beyond it.
	await maximum.fill('200');
	await expect(minimum).not.toHaveAttribute('aria-invalid');
	await expect(maximum).not.toHaveAttribute('aria-invalid');
	await expect(correct).toHaveAttribute('aria-invalid', 'true');
	await expect(summary).toContainText('10 things need fixing');
});

for (const motion of ['no-preference', 'reduce'] as const) {
	test(`a question moved from the keyboard ends up in view (motion: ${motion})`, async ({
		page
	}) => {
		// Read once when the editor starts, so set before it opens.
		await page.emulateMedia({ reducedMotion: motion });
		const response = await page.request.post('/api/quizzes', {
			headers: sameOrigin(),
			data: {
				title: 'Four questions',
				questions: ['One', 'Two', 'Three', 'Four'].map((text) => ({
					text,
					options: ['A', 'B', 'C', 'D'],
					correct: [0],
					timeLimit: 20
				}))
			}
		});
		const { id } = (await response.json()) as { id: string };
		await page.goto(`/quizzes/${id}`);
		await expect(page.getByRole('heading', { name: 'Edit quiz' })).toBeVisible();

		/** Where the focused control is drawn, against the room below the sticky bar. */
		const focusedPlace = () =>
			page.evaluate(() => {
				const box = document.activeElement!.getBoundingClientRect();
				const bar = document.querySelector('.editor-top')!.getBoundingClientRect();
				return { top: box.top, bottom: box.bottom, barBottom: bar.bottom, height: innerHeight };
			});
		const expectFocusedInView = async () => {
			// Once the reorder animation is over (160 ms), the field is where it stays.
			await page.waitForTimeout(400);
			const place = await focusedPlace();
			expect(place.top, JSON.stringify(place)).toBeGreaterThanOrEqual(place.barBottom);
			expect(place.bottom, JSON.stringify(place)).toBeLessThanOrEqual(place.height);
		};

		// Alt+↓ from inside question 1's text: it becomes question 2, below the window's edge.
		await questionText(question(page, 1)).focus();
		await page.keyboard.press('Alt+ArrowDown');
		expect(await questionOrder(page)).toEqual(['Two', 'One', 'Three', 'Four']);
		await expect(questionText(question(page, 2))).toBeFocused();
		await expectFocusedInView();
		if (motion === 'no-preference') {
			await page.screenshot({ path: `${shots}/editor-moved-in-view.png` });
		}

		// ↓ on the drag handle does the same.
		const handle = question(page, 2).getByRole('button', { name: 'Reorder question 2' });
		await handle.focus();
		await page.keyboard.press('ArrowDown');
		expect(await questionOrder(page)).toEqual(['Two', 'Three', 'One', 'Four']);
		await expect(
			question(page, 3).getByRole('button', { name: 'Reorder question 3' })
		).toBeFocused();
		await expectFocusedInView();

		// And back up: the page follows upwards too.
		await page.keyboard.press('ArrowUp');
		await page.keyboard.press('ArrowUp');
		expect(await questionOrder(page)).toEqual(['One', 'Two', 'Three', 'Four']);
		await expectFocusedInView();
	});
}

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

	// Typed and left at once, inside the app: the draft is kept all the same, as promised.
	await page.getByLabel('Title').fill('Guarded quiz, edited twice');
	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByRole('link', { name: 'Quiz library' }).click();
	await page.waitForURL(/\/quizzes$/);
	await page.goto(`/quizzes/${id}`);
	await page
		.getByRole('alert')
		.filter({ hasText: 'Unsaved changes found' })
		.getByRole('button', { name: 'Restore draft' })
		.click();
	await expect(page.getByLabel('Title')).toHaveValue('Guarded quiz, edited twice');
});

test('a reload with unsaved changes offers the draft back', async ({ page }) => {
	const id = await createQuizByApi(page, 'Draft quiz');
	await page.goto(`/quizzes/${id}`);
	await page.getByLabel('Title').fill('Draft quiz, half done');
	await addQuestion(page, 'Quiz');
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

test('a draft naming a picture no longer on the server is refused at that picture', async ({
	page
}) => {
	const id = await createQuizByApi(page, 'Old draft');
	await page.goto(`/quizzes/${id}`);
	// The upload answers with an id the server does not hold: as a draft kept in the browser
	// for months names a picture deleted as unused since.
	const gone = `${'ab'.repeat(32)}.png`;
	await page.route('**/api/images', (route) =>
		route.fulfill({ status: 201, json: { id: gone, url: `/images/${gone}` } })
	);
	await question(page, 1)
		.getByLabel(/Add image/)
		.setInputFiles({ name: 'stripes.png', mimeType: 'image/png', buffer: stripedPng() });
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(question(page, 1).getByRole('alert')).toHaveText(
		'This picture is no longer on the server: add it again'
	);
	await expect(page.getByRole('status').first()).not.toContainText('Saved');
	await page.screenshot({ path: `${shots}/editor-picture-gone.png` });

	// Removing it (or adding it again) lets the quiz save.
	await question(page, 1)
		.getByRole('button', { name: /Remove image/ })
		.click();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status').first()).toContainText('Saved');
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

test('a quiz typed in Arabic runs right to left in its fields, English in the same quiz left to right', async ({
	page
}) => {
	await page.goto('/quizzes/new');
	await page.getByLabel('Title').fill('اختبار العواصم!');
	await page.getByLabel('Description').fill('A capitals round');
	const direction = (name: string) =>
		page.getByLabel(name).evaluate((field) => getComputedStyle(field).direction);
	expect(await direction('Title')).toBe('rtl');
	expect(await direction('Description')).toBe('ltr');
});
