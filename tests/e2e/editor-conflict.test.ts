/**
 * Two editors of one quiz: the second save is refused (409 changed-elsewhere), and the editor
 * says so and keeps the host's changes, on screen and across a reload; the host saves them as a
 * copy, replaces the other version, or loads it and drops theirs. Screenshots land in
 * test-results/screenshots/editor-changed-elsewhere.png.
 */
import type { Page } from '@playwright/test';
import { HOST_STATE, expect, sameOrigin, test } from './screens.ts';

const shots = 'test-results/screenshots';
test.use({ viewport: { width: 1280, height: 800 }, storageState: HOST_STATE });

const QUESTIONS = [{ text: 'Two plus two?', options: ['3', '4'], correct: [1], timeLimit: 20 }];

async function createQuiz(page: Page, title: string): Promise<{ id: string; updatedAt: number }> {
	const response = await page.request.post('/api/quizzes', {
		headers: sameOrigin(),
		data: { title, description: '', questions: QUESTIONS }
	});
	expect(response.status()).toBe(201);
	return (await response.json()) as { id: string; updatedAt: number };
}

/** Someone else's save, from the version they opened. */
async function saveElsewhere(page: Page, id: string, title: string, openedAt: number) {
	const response = await page.request.put(`/api/quizzes/${id}`, {
		headers: sameOrigin(),
		data: { title, description: '', questions: QUESTIONS, expectedUpdatedAt: openedAt }
	});
	expect(response.status()).toBe(200);
	return (await response.json()) as { id: string; updatedAt: number };
}

async function storedTitle(page: Page, id: string): Promise<string> {
	const response = await page.request.get(`/api/quizzes/${id}`);
	return ((await response.json()) as { title: string }).title;
}

const refusal = (page: Page) =>
	page.getByRole('alert').filter({ hasText: 'Someone saved this quiz since you opened it' });

async function openAndEdit(page: Page, id: string, title: string): Promise<void> {
	await page.goto(`/quizzes/${id}`);
	await expect(page.locator('fieldset.live')).toBeEnabled();
	await page.getByLabel('Title').fill(title);
}

test('a save made after someone else’s is refused in words; the changes stay, across a reload, and are saved as a copy', async ({
	page
}) => {
	// Every question (leave the page? replace theirs?) is answered yes.
	page.on('dialog', (dialog) => void dialog.accept());
	const quiz = await createQuiz(page, 'Shared quiz');
	await openAndEdit(page, quiz.id, 'Shared quiz, my version');
	await saveElsewhere(page, quiz.id, 'Shared quiz, their version', quiz.updatedAt);

	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(refusal(page)).toBeVisible();
	await expect(refusal(page)).toContainText('Your changes are still here');
	await expect(page.getByRole('status').first()).toHaveText(
		'Not saved: someone else saved this quiz meanwhile'
	);
	await expect(page.getByLabel('Title')).toHaveValue('Shared quiz, my version');
	await page.screenshot({ path: `${shots}/editor-changed-elsewhere.png` });
	expect(await storedTitle(page, quiz.id)).toBe('Shared quiz, their version');

	// A reload shows theirs, and offers mine back; restored, it is still refused as stale.
	await page.reload();
	await expect(page.getByLabel('Title')).toHaveValue('Shared quiz, their version');
	await page
		.getByRole('alert')
		.filter({ hasText: 'Unsaved changes found' })
		.getByRole('button', { name: 'Restore draft' })
		.click();
	await expect(page.getByLabel('Title')).toHaveValue('Shared quiz, my version');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(refusal(page)).toBeVisible();

	// Saved as a copy: a quiz of its own, which the editor goes on with; theirs is untouched.
	await refusal(page).getByRole('button', { name: 'Save mine as a copy' }).click();
	await expect(page.getByRole('status').first()).toContainText('Saved');
	await expect(refusal(page)).toBeHidden();
	await expect(page.getByLabel('Title')).toHaveValue('Shared quiz, my version (copy)');
	const copyId = /\/quizzes\/([\w-]+)$/.exec(page.url())?.[1];
	expect(copyId).toBeTruthy();
	expect(copyId).not.toBe(quiz.id);
	expect(await storedTitle(page, copyId!)).toBe('Shared quiz, my version (copy)');
	expect(await storedTitle(page, quiz.id)).toBe('Shared quiz, their version');
	// Nothing left unsaved: no draft offered on either quiz.
	await page.reload();
	await expect(page.getByText('Unsaved changes found')).toBeHidden();
	await page.goto(`/quizzes/${quiz.id}`);
	await expect(page.getByText('Unsaved changes found')).toBeHidden();
});

test('after a refused save the host replaces the other version, or loads it and drops theirs', async ({
	page
}) => {
	page.on('dialog', (dialog) => void dialog.accept());
	const quiz = await createQuiz(page, 'Contested quiz');
	await openAndEdit(page, quiz.id, 'Contested quiz, mine');
	await saveElsewhere(page, quiz.id, 'Contested quiz, theirs', quiz.updatedAt);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await refusal(page).getByRole('button', { name: 'Replace theirs with mine' }).click();
	await expect(page.getByRole('status').first()).toContainText('Saved');
	expect(await storedTitle(page, quiz.id)).toBe('Contested quiz, mine');

	// Someone saves again (a script, without saying what it opened); this time the host takes theirs.
	await page.getByLabel('Title').fill('Contested quiz, mine again');
	await page.request.put(`/api/quizzes/${quiz.id}`, {
		headers: sameOrigin(),
		data: { title: 'Contested quiz, theirs again', description: '', questions: QUESTIONS }
	});
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await refusal(page).getByRole('button', { name: 'Load theirs, drop mine' }).click();
	await expect(page.getByLabel('Title')).toHaveValue('Contested quiz, theirs again');
	await expect(page.getByText('Unsaved changes found')).toBeHidden();
});
