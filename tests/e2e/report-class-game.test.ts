/**
 * A tester's class game: one question of every type with an info slide before the puzzle,
 * played to the podium by three phones (protocol clients, for speed) with the projector in
 * Chromium. What the tester checked: the slider's reveal and the report mark the same bin and
 * its count labels stay readable; the report numbers questions as the phones did; the report,
 * the reports list and the library fit narrow phones (wide tables scroll in their own box) and
 * large text. Screenshots land in test-results/screenshots/class-*.png.
 */
import type { Page } from '@playwright/test';
import type { AnswerInput, PhaseView } from '../../src/lib/protocol/index.ts';
import { TestClient } from '../integration/harness.ts';
import { expect, hostContext, sameOrigin, test } from './screens.ts';

const shots = 'test-results/screenshots';

const PUZZLE = ['Mercury', 'Venus', 'Earth', 'Mars'];
const CLASS_QUIZ = {
	title: 'Class game: every type',
	questions: [
		{
			type: 'quiz',
			text: 'Which gas do plants take in?',
			options: ['Carbon dioxide', 'Oxygen', 'Helium', 'Neon'],
			correct: [0],
			timeLimit: 20
		},
		{ type: 'true-false', text: 'Gold is a metal.', answer: true, timeLimit: 20 },
		{
			type: 'multi',
			text: 'Which are noble gases?',
			options: ['Neon', 'Iron', 'Argon', 'Salt'],
			correct: [0, 2],
			timeLimit: 20
		},
		{
			type: 'type-answer',
			text: 'Symbol or name of element 79?',
			accepted: ['Au', 'gold'],
			timeLimit: 20
		},
		{
			type: 'slider',
			text: 'How many bones in an adult body?',
			min: 0,
			max: 300,
			step: 1,
			answer: 206,
			tolerance: 10,
			timeLimit: 20
		},
		{ type: 'info', text: 'Half-time', body: 'Two more to go.' },
		{ type: 'puzzle', text: 'Order the planets from the Sun', items: PUZZLE, timeLimit: 30 },
		{
			type: 'poll',
			text: 'Which was the best question?',
			options: ['The slider', 'The puzzle'],
			timeLimit: 20
		}
	]
};
const PLAYERS = ['Ana', 'Ben', 'Cleo'];

type OpenView = Extract<PhaseView, { phase: 'open' }>;
/** By question index, what each player answers. 213 scores (206 ± 10); 195 does not. */
const ANSWERS: Record<number, ((view: OpenView) => AnswerInput)[]> = {
	0: [() => ({ choice: 0 }), () => ({ choice: 1 }), () => ({ choice: 0 })],
	1: [() => ({ choice: 0 }), () => ({ choice: 0 }), () => ({ choice: 1 })],
	2: [() => ({ choices: [0, 2] }), () => ({ choices: [0] }), () => ({ choices: [0, 2] })],
	3: [() => ({ text: 'gold' }), () => ({ text: 'Au' }), () => ({ text: 'silver' })],
	4: [() => ({ value: 213 }), () => ({ value: 195 }), () => ({ value: 260 })],
	6: [
		(view) => ({ order: PUZZLE.map((item) => view.question.items!.indexOf(item)) }),
		(view) => ({ order: [1, 0, 2, 3].map((i) => view.question.items!.indexOf(PUZZLE[i]!)) }),
		(view) => ({ order: PUZZLE.map((item) => view.question.items!.indexOf(item)) })
	],
	7: [() => ({ choice: 0 }), () => ({ choice: 1 }), () => ({ choice: 0 })]
};

/**
 * Count labels that a line of the plot (the tolerance band's dashed edges, the answer's line)
 * runs through while showing through them: a label is readable when no line crosses it, or it
 * is on top of the line with a solid background.
 */
async function crossedCountLabels(host: Page): Promise<string[]> {
	return host.evaluate(() => {
		const lines: { name: string; x: number }[] = [];
		const band = document.querySelector('.band');
		if (band) {
			const box = band.getBoundingClientRect();
			lines.push(
				{ name: 'band left edge', x: box.left + 1 },
				{ name: 'band right edge', x: box.right - 1 }
			);
		}
		const answer = document.querySelector('.plot .answer');
		if (answer) lines.push({ name: 'answer line', x: answer.getBoundingClientRect().left + 2 });
		const crossed: string[] = [];
		for (const label of document.querySelectorAll<HTMLElement>('.bin .count')) {
			const box = label.getBoundingClientRect();
			const y = box.top + box.height / 2;
			const solid = /^rgb\(/.test(getComputedStyle(label).backgroundColor);
			for (const line of lines) {
				if (line.x < box.left || line.x > box.right) continue;
				const top = document.elementFromPoint(line.x, y);
				if (!(solid && top !== null && label.contains(top)))
					crossed.push(`${line.name} through the label "${label.textContent}"`);
			}
		}
		return crossed;
	});
}

test('a class game with a slide: the projector and the report agree, and the report fits phones', async ({
	browser,
	request
}, testInfo) => {
	test.setTimeout(180_000);
	const base = testInfo.project.use.baseURL!;
	const host = await (
		await hostContext(browser, { viewport: { width: 1280, height: 720 } })
	).newPage();
	const created = await host.request.post('/api/quizzes', {
		data: CLASS_QUIZ,
		headers: sameOrigin()
	});
	expect(created.status(), await created.text()).toBe(201);
	const { id: quizId } = (await created.json()) as { id: string };
	const game = await host.request.post('/api/games', {
		data: { quizId, options: { introSeconds: 0 } },
		headers: sameOrigin()
	});
	const { pin } = (await game.json()) as { pin: string };
	await host.goto(`/host/${pin}`);

	const players: TestClient[] = [];
	for (const nickname of PLAYERS) {
		// As a phone joins: signed in as nobody.
		const joined = await request.post(`/api/games/${pin}/players`, { data: { nickname } });
		const { token } = (await joined.json()) as { token: string };
		players.push(await TestClient.connectTo(`${base.replace(/^http/, 'ws')}/ws`, token));
	}
	await expect(host.getByText('3 players')).toBeVisible();
	await host.keyboard.press('Space');

	try {
		for (const [index, question] of CLASS_QUIZ.questions.entries()) {
			if (question.type === 'info') {
				await expect(host.locator('main > section.slide')).toBeVisible();
				await host.keyboard.press('Enter');
				continue;
			}
			const numbers = await Promise.all(
				players.map(async (player, p) => {
					const open = (await player.next(
						'phase',
						(m) => m.phase === 'open' && m.question.index === index
					)) as OpenView & { type: 'phase' };
					player.send({ type: 'answer', questionIndex: index, ...ANSWERS[index]![p]!(open) });
					await player.next('answer-ack', (m) => m.questionIndex === index);
					return `${open.question.number} of ${open.question.questionCount}`;
				})
			);
			if (question.type === 'puzzle') expect(numbers[0]).toBe('6 of 7');
			await expect(host.locator('main > section.reveal')).toBeVisible();
			if (question.type === 'slider') {
				await host.waitForTimeout(800); // the bars grow
				await host.screenshot({ path: `${shots}/class-slider-reveal.png` });
				// The bar marked green is the one the answer (206) falls in: 180–210, the 7th.
				const bins = host.locator('.plot .bin');
				await expect(bins).toHaveCount(10);
				await expect(host.locator('.plot .bin.hit')).toHaveCount(1);
				await expect(bins.nth(6)).toHaveClass(/\bhit\b/);
				expect(await crossedCountLabels(host)).toEqual([]);
			}
			await host.keyboard.press('Enter');
			await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
			await host.keyboard.press('Enter');
		}
		await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
	} finally {
		for (const player of players) await player.close();
	}

	// The report, on the host's 360-px phone.
	const phone = await (
		await hostContext(browser, { viewport: { width: 360, height: 640 }, isMobile: true })
	).newPage();
	await phone.goto('/reports');
	await phone.getByRole('link', { name: CLASS_QUIZ.title }).click();
	await expect(phone.getByRole('heading', { name: 'Ranking' })).toBeVisible();
	await phone.screenshot({ path: `${shots}/class-report-360.png`, fullPage: true });
	await expect(phone.getByText(/7 of 7\s+questions/)).toBeVisible();
	await expect(phone.getByRole('heading', { name: /^Q6 Order the planets/ })).toBeVisible();
	await expect(phone.getByRole('heading', { name: /^Q7 Which was the best/ })).toBeVisible();
	await expect(phone.getByText('Accepted: Au, gold')).toBeVisible();
	await expect(phone.locator('.histogram li.hit')).toHaveCount(1);
	await expect(phone.locator('.histogram li.hit')).toHaveAttribute('aria-label', /^180–210: /);
	await expect(phone.locator('.histogram li').nth(7)).toHaveAttribute(
		'aria-label',
		/^210–240: 1 guess$/
	);
	await expectNothingCutOff(phone, 'report at 360');
	// The whole ranking fits a 360-px phone; on a narrower one its box scrolls sideways.
	const ranking = phone.getByRole('region', { name: /Ranking/ });
	expect(await ranking.evaluate((box) => box.scrollWidth - box.clientWidth)).toBeLessThanOrEqual(0);
	// Scrolled to first: the account bar above the report may push it below the fold.
	await ranking.scrollIntoViewIfNeeded();
	await expect(ranking.getByRole('columnheader', { name: 'Average time' })).toBeInViewport();
	await phone
		.locator('section.card')
		.first()
		.screenshot({ path: `${shots}/class-report-ranking-360.png` });
	await phone.locator('.histogram').screenshot({ path: `${shots}/class-report-slider-360.png` });

	// The CSV numbers the puzzle as the phones did.
	const csv = await (await phone.request.get(`${phone.url()}/export/csv`)).text();
	expect(csv).toContain(',6,Order the planets from the Sun,');
	expect(csv).not.toContain(',8,Which was the best question?,');

	// The reports list and the library on a 320-px phone.
	await phone.setViewportSize({ width: 320, height: 640 });
	for (const path of ['/reports', '/quizzes']) {
		await phone.goto(path);
		await expect(phone.locator('table')).toBeVisible();
		await phone.screenshot({
			path: `${shots}/class${path.replace('/', '-')}-320.png`,
			fullPage: true
		});
		await expectNothingCutOff(phone, `${path} at 320`);
	}

	// The library at 1280 px with the browser's text at 150%: every row's buttons on the page.
	await host.goto('/quizzes');
	await host.addStyleTag({ content: 'html { font-size: 150%; }' });
	await host.screenshot({ path: `${shots}/class-quizzes-1280-150.png`, fullPage: true });
	await expectNothingCutOff(host, '/quizzes at 1280 with large text');
});

/**
 * The page does not scroll sideways, and every table is whole: either it fits, or the box it
 * is in scrolls sideways and that box fits the page.
 */
async function expectNothingCutOff(page: Page, screen: string): Promise<void> {
	const problems = await page.evaluate(() => {
		const found: string[] = [];
		const width = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth > width)
			found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
		for (const table of document.querySelectorAll('table')) {
			let box: Element | null = table.parentElement;
			while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
			const clip = box && box !== document.body ? box.getBoundingClientRect() : null;
			const scrolls = box !== null && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
			if (clip && clip.right > width + 1) found.push(`a table's box runs off the page`);
			for (const cell of table.querySelectorAll('th, td, td *')) {
				const r = cell.getBoundingClientRect();
				if (r.width === 0) continue;
				const name = `"${(cell.textContent ?? '').trim().slice(0, 20)}"`;
				if (r.right > width + 1 && !scrolls) found.push(`${name} runs off the page`);
				if (clip && !scrolls && r.right > clip.right + 1) found.push(`${name} is cut off`);
			}
		}
		return found;
	});
	expect(problems, screen).toEqual([]);
}
