/**
 * The longest texts the editor allows (a 200-character question, six answers of 90 characters,
 * a 500-character slide, 20-character nicknames; one question with a picture too) on the
 * projector, for every question type and phase, at 1920×1080, 1280×720 and a 4:3 1024×768:
 * nothing scrolls, nothing is cut off, no part of the screen spills out of its box or over
 * another; the report keeps the longest name in its podium card. Screenshots land in
 * test-results/screens/long-*.png.
 */
import type { Page } from '@playwright/test';
import { tinyPng } from '../../src/lib/testing/test-images.ts';
import { expect, hostContext, sameOrigin, test } from './screens.ts';

const SIZES = [
	{ width: 1920, height: 1080 },
	{ width: 1024, height: 768 },
	{ width: 1280, height: 720 }
];
const shots = 'test-results/screens';

/** Exactly `length` characters of plain prose (words of every length, so lines wrap as usual). */
function prose(start: string, length: number): string {
	const filler =
		' which the teacher wrote out in full, with every detail of the measurement and its history';
	let text = start;
	while (text.length < length) text += filler;
	return `${text.slice(0, length - 1).trimEnd()}?`.padEnd(length, '?');
}

const QUESTION = prose('Which of these long answers describes the phenomenon best', 200);
const answer = (n: number) => prose(`Answer ${n}: the one`, 90).replace(/\?+$/, '.');
const SIX = [1, 2, 3, 4, 5, 6].map(answer);

const QUIZ = {
	title: 'A quiz with the longest texts the editor allows, title and all, for the projector',
	questions: [
		{ type: 'quiz', text: QUESTION, options: SIX, correct: [2], timeLimit: 120 },
		// With a picture: it takes what room the texts leave.
		{ type: 'quiz', text: QUESTION, options: SIX.slice(0, 4), correct: [0], timeLimit: 120 },
		{ type: 'multi', text: QUESTION, options: SIX, correct: [0, 3], timeLimit: 120 },
		{ type: 'true-false', text: QUESTION, answer: true, timeLimit: 120 },
		{ type: 'type-answer', text: QUESTION, accepted: ['W'.repeat(20)], timeLimit: 120 },
		{
			type: 'slider',
			text: QUESTION,
			min: 0,
			max: 1000,
			step: 1,
			answer: 500,
			tolerance: 50,
			unit: 'kilometres',
			timeLimit: 120
		},
		{ type: 'puzzle', text: QUESTION, items: SIX.slice(0, 4), timeLimit: 120 },
		{ type: 'poll', text: QUESTION, options: SIX, timeLimit: 120 },
		// Words longer than any line: a web address, a name with no spaces.
		{
			type: 'quiz',
			text: `Which page is https://example.org/${'quizroom-'.repeat(15)}about?`,
			options: ['W'.repeat(90), 'Two', 'Three', 'Four'],
			correct: [1],
			timeLimit: 120
		},
		{ type: 'info', text: QUESTION, body: prose('This slide explains', 500) }
	]
};

/**
 * The phase's screen fits the window and its parts keep to their boxes: no document or stage
 * scroll, no element poking out of the part it belongs to, no two parts on top of each other.
 */
async function assertTidy(page: Page, screen: string): Promise<void> {
	const problems = await page.evaluate(() => {
		const found: string[] = [];
		const stage = document.querySelector('main')!;
		const view = { width: window.innerWidth, height: window.innerHeight };
		if (document.documentElement.scrollHeight > view.height) found.push('the page scrolls');
		if (stage.scrollHeight > stage.clientHeight + 1) found.push('the stage is cut off');
		const section = stage.querySelector(':scope > section');
		if (!section) return ['no phase screen'];
		const name = (el: Element) =>
			`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
		const shown = (el: Element) => {
			const box = el.getBoundingClientRect();
			return box.width > 1 && box.height > 1 && !el.closest('.visually-hidden');
		};
		// Decoration (the podium's confetti) falls over everything on purpose.
		const parts = [...section.children].filter(
			(part) => shown(part) && part.getAttribute('aria-hidden') !== 'true'
		);
		const boxes = parts.map((part) => part.getBoundingClientRect());
		parts.forEach((part, i) => {
			const box = boxes[i]!;
			if (box.bottom > view.height + 1 || box.right > view.width + 1) {
				found.push(`${name(part)} is off the screen`);
			}
			for (const inner of part.querySelectorAll('*')) {
				// Moving things (a bump, a pulse) are not where they settle.
				if (!shown(inner) || inner.getAnimations({ subtree: false }).length > 0) continue;
				const r = inner.getBoundingClientRect();
				const out =
					r.top < box.top - 1 ||
					r.bottom > box.bottom + 1 ||
					r.left < box.left - 1 ||
					r.right > box.right + 1;
				if (out) found.push(`${name(inner)} spills out of ${name(part)}`);
			}
			for (let j = i + 1; j < parts.length; j++) {
				const other = boxes[j]!;
				const overlap =
					Math.min(box.bottom, other.bottom) - Math.max(box.top, other.top) > 1 &&
					Math.min(box.right, other.right) - Math.max(box.left, other.left) > 1;
				if (overlap) found.push(`${name(part)} overlaps ${name(parts[j]!)}`);
			}
		});
		return found;
	});
	expect(problems, screen).toEqual([]);
}

async function check(host: Page, screen: string): Promise<void> {
	for (const size of SIZES) {
		await host.setViewportSize(size);
		await host.evaluate(
			() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
		);
		await assertTidy(host, `${screen} at ${size.width}×${size.height}`);
		await host.screenshot({ path: `${shots}/long-${screen}-${size.width}x${size.height}.png` });
	}
}

test('the longest question, answers and names fit the projector in every phase, and the report', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const host = await (await hostContext(browser, { viewport: SIZES[2] })).newPage();
	const uploaded = await host.request.post('/api/images', {
		data: Buffer.from(tinyPng([70, 23, 143, 255])),
		headers: { ...sameOrigin(), 'content-type': 'image/png' }
	});
	const { id: image } = (await uploaded.json()) as { id: string };
	const questions = QUIZ.questions.map((question, index) =>
		index === 1 ? { ...question, image } : question
	);
	const created = await host.request.post('/api/quizzes', {
		data: { ...QUIZ, questions },
		headers: sameOrigin()
	});
	expect(created.status(), await created.text()).toBe(201);
	const { id: quizId } = (await created.json()) as { id: string };
	const game = await host.request.post('/api/games', {
		data: { quizId, options: { introSeconds: 10, questionOnPhones: true } },
		headers: sameOrigin()
	});
	const { pin } = (await game.json()) as { pin: string };
	await host.goto(`/host/${pin}`);

	const phone = await (
		await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true })
	).newPage();
	await phone.goto(`/?pin=${pin}`);
	await phone.getByLabel('Nickname').fill('W'.repeat(20));
	await phone.getByRole('button', { name: 'OK, go!' }).click();
	await expect(phone.getByRole('heading', { name: "You're in!" })).toBeVisible();
	await expect(host.getByText('1 player')).toBeVisible();
	await host.keyboard.press('Space');

	for (const [index, question] of QUIZ.questions.entries()) {
		const screen = `${index + 1}-${question.type}`;
		if (question.type === 'info') {
			await expect(host.locator('main > section.slide')).toBeVisible();
			await check(host, `${screen}-slide`);
			await host.keyboard.press('Enter');
			await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
			await host.waitForTimeout(2500); // the podium rises
			await check(host, 'podium');
			break;
		}
		await expect(host.getByText('Get ready…')).toBeVisible();
		await check(host, `${screen}-intro`);
		await host.keyboard.press('Enter');
		await expect(host.getByText(/0\s*\/\s*1 answered/)).toBeVisible();
		await check(host, `${screen}-open`);
		if (question.type === 'quiz' || question.type === 'poll') {
			// The phone shows the texts too (scrolling if it must): it answers the first one.
			await phone.screenshot({ path: `${shots}/long-${screen}-phone.png` });
			await phone.locator('.stage button').first().click();
		} else {
			await host.keyboard.press('Enter');
		}
		await expect(host.locator('main > section.reveal')).toBeVisible();
		await host.waitForTimeout(800); // the bars grow
		await check(host, `${screen}-reveal`);
		await host.keyboard.press('Enter');
		await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
		if (index === 0) await check(host, 'scoreboard');
		await host.keyboard.press('Enter');
	}

	// The report: the long name stays in its podium card, and no page is wider than its screen.
	await host.goto('/reports');
	await host.getByRole('link', { name: QUIZ.title }).first().click();
	await expect(host.getByRole('heading', { name: 'Ranking' })).toBeVisible();
	for (const size of [SIZES[2]!, { width: 360, height: 640 }]) {
		await host.setViewportSize(size);
		const layout = await host.evaluate(() => ({
			pageWidth: document.documentElement.scrollWidth,
			cards: [...document.querySelectorAll('.podium .place')].map((card) => ({
				card: card.getBoundingClientRect().right,
				name: card.querySelector('.name')!.getBoundingClientRect().right
			}))
		}));
		expect(layout.pageWidth, `report at ${size.width}`).toBeLessThanOrEqual(size.width);
		for (const { card, name } of layout.cards) expect(name).toBeLessThanOrEqual(card);
		await host.screenshot({ path: `${shots}/long-report-${size.width}.png`, fullPage: true });
	}
});
