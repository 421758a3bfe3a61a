/**
 * One game with a question of every type, through the real UI: a projector and two phones play
 * the sample "A tour of question types". Each phone answers each type its own way (taps,
 * toggles, typing, the slider's buttons and keys, a puzzle by tap-to-swap on one phone and by a
 * touch drag on the other), the projector's reveal and the phones' verdicts are checked per
 * type, and the points the phones were shown add up to the podium. Screenshots of every screen
 * land in test-results/screenshots/types-*.png.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, hostContext, sameOrigin, test } from './screens.ts';
import { readFileSync } from 'node:fs';

type TourQuestion =
	| { type: 'info'; text: string; body: string }
	| { type: 'quiz'; text: string; options: string[]; correct: number[] }
	| { type: 'multi'; text: string; options: string[]; correct: number[] }
	| { type: 'true-false'; text: string; answer: boolean }
	| { type: 'type-answer'; text: string; accepted: string[] }
	| {
			type: 'slider';
			text: string;
			min: number;
			max: number;
			step: number;
			answer: number;
			tolerance: number;
			unit: string;
	  }
	| { type: 'puzzle'; text: string; items: string[] }
	| { type: 'poll'; text: string; options: string[] };

const tour = JSON.parse(
	readFileSync('src/lib/server/quizzes/samples/question-types-tour.json', 'utf8')
) as { title: string; questions: TourQuestion[] };

const SHAPES = ['red triangle', 'blue diamond', 'yellow circle', 'green square'];
const shots = 'test-results/screenshots';

function question<T extends TourQuestion['type']>(type: T): Extract<TourQuestion, { type: T }> {
	const found = tour.questions.find((q) => q.type === type);
	if (!found) throw new Error(`The tour has no ${type} question`);
	return found as Extract<TourQuestion, { type: T }>;
}

async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 640 },
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 2
	});
	return context.newPage();
}

async function join(page: Page, pin: string, nickname: string): Promise<void> {
	await page.goto(`/?pin=${pin}`);
	await page.getByLabel('Nickname').fill(nickname);
	await page.getByRole('button', { name: 'OK, go!' }).click();
	await expect(page.getByRole('heading', { name: "You're in!" })).toBeVisible();
}

/** The points a phone shows at the reveal (none for a poll). */
async function shownPoints(page: Page): Promise<number> {
	const points = page.locator('.outcome .points');
	if ((await points.count()) === 0) return 0;
	return Number((await points.innerText()).replace(/[^\d]/g, ''));
}

/** Puzzle rows on a phone, top to bottom. */
async function puzzleOrder(page: Page): Promise<string[]> {
	return page.locator('.puzzle .rows .text').allInnerTexts();
}

function puzzleItem(page: Page, text: string) {
	return page.getByRole('button', { name: new RegExp(`^${text}, place`) });
}

/** A finger drag through the DevTools protocol: touch events, as on a phone. */
async function touchDrag(
	page: Page,
	from: { x: number; y: number },
	to: { x: number; y: number },
	screenshotMidway?: string
): Promise<void> {
	const cdp = await page.context().newCDPSession(page);
	const touch = (type: string, x: number, y: number) =>
		cdp.send('Input.dispatchTouchEvent', {
			type: type as 'touchStart',
			touchPoints: type === 'touchEnd' ? [] : [{ x, y }]
		});
	await touch('touchStart', from.x, from.y);
	const steps = 12;
	for (let i = 1; i <= steps; i++) {
		await touch(
			'touchMove',
			from.x + ((to.x - from.x) * i) / steps,
			from.y + ((to.y - from.y) * i) / steps
		);
	}
	if (screenshotMidway) await page.screenshot({ path: screenshotMidway });
	await touch('touchEnd', to.x, to.y);
	await cdp.detach();
}

async function center(page: Page, selector: string, index: number) {
	const box = await page.locator(selector).nth(index).boundingBox();
	if (!box) throw new Error(`${selector} #${index} is not on screen`);
	return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

test('a host and two phones play one question of every type', async ({ browser }) => {
	test.setTimeout(240_000);
	const host = await (
		await hostContext(browser, { viewport: { width: 1280, height: 720 } })
	).newPage();

	await host.goto('/host');
	await host.getByRole('radio', { name: tour.title }).check();
	await host.getByLabel('Get-ready time before each question').selectOption('2');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /\/host\/(\d{6})$/.exec(host.url())![1]!;

	const ada = await phone(browser);
	const ben = await phone(browser);
	await join(ada, pin, 'Ada');
	await join(ben, pin, 'Ben');
	await expect(host.getByText('2 players')).toBeVisible();

	const totals = { Ada: 0, Ben: 0 };
	const players = [
		{ name: 'Ada' as const, page: ada },
		{ name: 'Ben' as const, page: ben }
	];

	/** Waits for the projector's open question, with nobody answered yet. */
	async function opened(text: string, type: string): Promise<void> {
		await expect(host.getByRole('heading', { name: text })).toBeVisible();
		await expect(host.locator('.answered')).toHaveText(/0\s*\/\s*2 answered/, {
			timeout: 15_000
		});
		await host.screenshot({ path: `${shots}/types-${type}-host-open.png` });
	}

	/** Checks each phone's verdict at the reveal, adds its points, and checks its score. */
	async function verdicts(
		type: string,
		expected: { Ada: string; Ben: string },
		check: (name: 'Ada' | 'Ben', points: number) => void
	): Promise<void> {
		await expect(host.locator('section.reveal')).toBeVisible();
		await host.screenshot({ path: `${shots}/types-${type}-host-reveal.png` });
		for (const { name, page } of players) {
			await expect(page.getByRole('heading', { name: expected[name], exact: true })).toBeVisible();
			const points = await shownPoints(page);
			check(name, points);
			totals[name] += points;
			await expect(page.getByLabel('Score')).toHaveText(totals[name].toLocaleString('en'));
			await page.screenshot({ path: `${shots}/types-${type}-phone-${name.toLowerCase()}.png` });
		}
	}

	const right = (points: number) => expect(points).toBeGreaterThan(0);
	const none = (points: number) => expect(points).toBe(0);

	/** Reveal → scoreboard → the next question (or the podium). */
	async function moveOn(last = false): Promise<void> {
		await host.getByRole('button', { name: 'Scoreboard ›' }).click();
		await expect(host.getByRole('heading', { name: 'Scoreboard' })).toBeVisible();
		await host.getByRole('button', { name: last ? 'Podium ›' : 'Next question ›' }).click();
	}

	await host.getByRole('button', { name: 'Start' }).click();

	// --- Info slide: on the projector until the host moves on; phones look up.
	const info = question('info');
	await expect(host.getByRole('heading', { name: info.text })).toBeVisible();
	await expect(host.locator('.top .progress')).toHaveText('Slide');
	await expect(host.getByText(info.body)).toBeVisible();
	for (const { page } of players) {
		await expect(page.getByText('Look at the screen')).toBeVisible();
	}
	await host.screenshot({ path: `${shots}/types-info-host.png` });
	await ada.screenshot({ path: `${shots}/types-info-phone.png` });
	await host.getByRole('button', { name: 'Next ›' }).click();

	// --- Quiz: Ada right, Ben wrong.
	const quiz = question('quiz');
	const quizRight = quiz.correct[0]!;
	await opened(quiz.text, 'quiz');
	await ada.getByRole('button', { name: SHAPES[quizRight], exact: true }).click();
	await expect(ada.getByText('Answer locked in')).toBeVisible();
	await ben.screenshot({ path: `${shots}/types-quiz-phone-input.png` });
	await ben.getByRole('button', { name: SHAPES[(quizRight + 1) % 4], exact: true }).click();
	await expect(host.locator('.tile:not(.faded)')).toHaveText(new RegExp(quiz.options[quizRight]!));
	await verdicts('quiz', { Ada: 'Correct!', Ben: 'Incorrect' }, (name, points) =>
		name === 'Ada' ? right(points) : none(points)
	);
	await moveOn();

	// --- True or false: the phones show the words; Ben right this time.
	const trueFalse = question('true-false');
	await opened(trueFalse.text, 'true-false');
	await expect(ben.getByRole('button', { name: /: True$/ })).toBeVisible();
	await ben.screenshot({ path: `${shots}/types-true-false-phone-input.png` });
	await ben.getByRole('button', { name: trueFalse.answer ? /: True$/ : /: False$/ }).click();
	await ada.getByRole('button', { name: trueFalse.answer ? /: False$/ : /: True$/ }).click();
	await expect(host.locator('.tile:not(.faded)')).toHaveText(
		new RegExp(trueFalse.answer ? 'True' : 'False')
	);
	await verdicts('true-false', { Ada: 'Incorrect', Ben: 'Correct!' }, (name, points) =>
		name === 'Ben' ? right(points) : none(points)
	);
	await moveOn();

	// --- Select all that apply: Ada ticks exactly the right set, Ben one right and one wrong.
	const multi = question('multi');
	await opened(multi.text, 'multi');
	await expect(host.locator('.hint')).toHaveText('Select all that apply');
	const wrongPick = [0, 1, 2, 3].find((i) => !multi.correct.includes(i))!;
	for (const [p, picks] of [multi.correct, [multi.correct[0]!, wrongPick]].entries()) {
		const page = players[p]!.page;
		await expect(page.getByRole('button', { name: 'Pick one or more' })).toBeDisabled();
		for (const pick of picks) {
			await page.getByRole('button', { name: SHAPES[pick], exact: true }).click();
			await expect(page.getByRole('button', { name: SHAPES[pick], exact: true })).toHaveAttribute(
				'aria-pressed',
				'true'
			);
		}
		if (p === 1) await page.screenshot({ path: `${shots}/types-multi-phone-input.png` });
		await page.getByRole('button', { name: `Submit ${picks.length} answers` }).click();
		if (p === 0) {
			// The last answer closes the question at once: only the first phone waits.
			await expect(page.getByText('Answer locked in')).toBeVisible();
			await page.screenshot({ path: `${shots}/types-multi-phone-locked.png` });
		}
	}
	await expect(host.locator('.tile:not(.faded)')).toHaveCount(multi.correct.length);
	await expect(host.locator('.tile .mark')).toHaveCount(multi.correct.length);
	await verdicts('multi', { Ada: 'Correct!', Ben: 'Incorrect' }, (name, points) =>
		name === 'Ada' ? right(points) : none(points)
	);
	await moveOn();

	// --- Type answer: Ada types it in odd case with spaces, reloads and still sees it locked in.
	const typed = question('type-answer');
	await opened(typed.text, 'type-answer');
	await expect(host.getByText('Type your answer on your phone')).toBeVisible();
	// The phone's heading, for screen readers, says what to do with this type.
	await expect(
		ada.getByRole('heading', { name: /^Question \d+: type your answer$/ })
	).toBeAttached();
	const input = ada.getByLabel('Type your answer');
	await expect(input).toHaveAttribute('maxlength', '20');
	await expect(input).toHaveAttribute('enterkeyhint', 'send');
	await expect(input).toHaveAttribute('autocapitalize', 'off');
	await expect(input).toHaveAttribute('autocomplete', 'off');
	await expect(ada.getByRole('button', { name: 'Submit' })).toBeDisabled();
	const adaTyped = ` ${typed.accepted[0]!.toUpperCase().slice(0, 2)}${typed.accepted[0]!.slice(2)} `;
	await input.fill(adaTyped);
	await ada.screenshot({ path: `${shots}/types-type-answer-phone-input.png` });
	await input.press('Enter');
	await expect(ada.getByText('Answer locked in')).toBeVisible();
	await expect(ada.getByText(`“${adaTyped.trim()}”`)).toBeVisible();
	await ada.reload();
	await expect(ada.getByText('Answer locked in')).toBeVisible();
	await expect(ada.getByText(`“${adaTyped.trim()}”`)).toBeVisible();
	await ada.screenshot({ path: `${shots}/types-type-answer-phone-locked.png` });
	await ben.getByLabel('Type your answer').fill('Jupiter');
	await ben.getByRole('button', { name: 'Submit' }).click();
	await expect(host.locator('.accepted .main')).toHaveText(typed.accepted[0]!);
	const typedRows = host.locator('.top-answers li');
	await expect(typedRows).toHaveCount(2);
	await expect(typedRows.filter({ hasText: 'Jupiter' }).locator('.mark')).toHaveText('✗');
	await expect(typedRows.filter({ hasText: adaTyped.trim() }).locator('.mark')).toHaveText('✓');
	await verdicts('type-answer', { Ada: 'Correct!', Ben: 'Incorrect' }, (name, points) =>
		name === 'Ada' ? right(points) : none(points)
	);
	await expect(ben.getByText(`The answer was ${typed.accepted[0]}`)).toBeVisible();
	await moveOn();

	// --- Slider: Ada nudges with + to within the tolerance, Ben uses the arrow keys, too far.
	const slider = question('slider');
	await expect(host.getByText('Get ready…')).toBeVisible();
	await expect(host.locator('.badge')).toHaveText('Slider');
	await host.screenshot({ path: `${shots}/types-slider-host-intro.png` });
	await ben.screenshot({ path: `${shots}/types-slider-phone-intro.png` });
	await opened(slider.text, 'slider');
	const middle = Math.round((slider.min + slider.max) / 2 / slider.step) * slider.step;
	const adaGuess = slider.answer + Math.ceil(slider.tolerance / 2 / slider.step) * slider.step;
	const benGuess = slider.answer - slider.tolerance * 3;
	await expect(ada.locator('.slider .number')).toHaveText(String(middle));
	for (let value = middle; value < adaGuess; value += slider.step) {
		await ada.getByRole('button', { name: /^More:/ }).tap();
	}
	await expect(ada.locator('.slider .number')).toHaveText(String(adaGuess));
	await ada.screenshot({ path: `${shots}/types-slider-phone-input.png` });
	await ada.getByRole('button', { name: `Submit ${adaGuess} ${slider.unit}` }).click();
	await expect(ada.locator('.locked .sent')).toHaveText(`${adaGuess} ${slider.unit}`);
	await ada.screenshot({ path: `${shots}/types-slider-phone-locked.png` });
	const range = ben.getByRole('slider', { name: 'Your answer' });
	await range.focus();
	for (let value = middle; value > benGuess; value -= slider.step) await range.press('ArrowLeft');
	await expect(ben.locator('.slider .number')).toHaveText(String(benGuess));
	await ben.setViewportSize({ width: 640, height: 360 });
	await ben.screenshot({ path: `${shots}/types-slider-phone-landscape.png` });
	await ben.setViewportSize({ width: 360, height: 640 });
	await ben.getByRole('button', { name: `Submit ${benGuess} ${slider.unit}` }).click();
	await expect(host.locator('.flag')).toHaveText(`${slider.answer} ${slider.unit}`);
	await expect(host.locator('.bin .count')).toHaveText(['1', '1']);
	await verdicts('slider', { Ada: 'Close!', Ben: 'Incorrect' }, (name, points) =>
		name === 'Ada' ? right(points) : none(points)
	);
	await moveOn();

	// --- Puzzle: Ada swaps by tapping pairs into the right order; Ben drags each item into
	// place with a finger, then moves one with ↓ and sends a wrong order.
	const puzzle = question('puzzle');
	await opened(puzzle.text, 'puzzle');
	await expect(host.locator('.hint')).toHaveText('Put these in order');
	const shown = await puzzleOrder(ada);
	expect([...shown].sort()).toEqual([...puzzle.items].sort());
	await expect(host.locator('.items .text')).toHaveText(shown);
	for (let slot = 0; slot < puzzle.items.length; slot++) {
		const now = await puzzleOrder(ada);
		if (now[slot] === puzzle.items[slot]) continue;
		await puzzleItem(ada, now[slot]!).tap();
		await expect(puzzleItem(ada, now[slot]!)).toHaveAttribute('aria-pressed', 'true');
		if (slot === 0) await ada.screenshot({ path: `${shots}/types-puzzle-phone-tap.png` });
		await puzzleItem(ada, puzzle.items[slot]!).tap();
		const swapped = [...now];
		const other = now.indexOf(puzzle.items[slot]!);
		[swapped[slot], swapped[other]] = [swapped[other]!, swapped[slot]!];
		await expect.poll(() => puzzleOrder(ada)).toEqual(swapped);
	}
	expect(await puzzleOrder(ada)).toEqual(puzzle.items);
	await ada.getByRole('button', { name: 'Submit order' }).click();
	await expect(ada.getByText('Answer locked in')).toBeVisible();
	await expect(ada.getByRole('list', { name: 'Your order' }).getByRole('listitem')).toHaveText(
		puzzle.items.map((item, i) => new RegExp(`${i + 1}\\s*${item}`))
	);
	await ada.screenshot({ path: `${shots}/types-puzzle-phone-locked.png` });

	await ben.screenshot({ path: `${shots}/types-puzzle-phone-input.png` });
	let firstDrag = true;
	for (let slot = 0; slot < puzzle.items.length; slot++) {
		const now = await puzzleOrder(ben);
		const from = now.indexOf(puzzle.items[slot]!);
		if (from === slot) continue;
		const start = await center(ben, '.puzzle .rows .item', from);
		const target = await center(ben, '.puzzle .rows .item', slot);
		await touchDrag(
			ben,
			start,
			{ x: start.x, y: target.y - 4 },
			firstDrag ? `${shots}/types-puzzle-phone-drag.png` : undefined
		);
		firstDrag = false;
		const moved = [...now];
		moved.splice(slot, 0, ...moved.splice(from, 1));
		await expect.poll(() => puzzleOrder(ben)).toEqual(moved);
	}
	expect(await puzzleOrder(ben)).toEqual(puzzle.items);
	await ben.getByRole('button', { name: `Move ${puzzle.items[0]} down` }).click();
	// The moved row keeps the focus, so keyboard users can go on moving it.
	await expect(ben.getByRole('button', { name: `Move ${puzzle.items[0]} down` })).toBeFocused();
	const benOrder = [puzzle.items[1]!, puzzle.items[0]!, ...puzzle.items.slice(2)];
	await expect.poll(() => puzzleOrder(ben)).toEqual(benOrder);
	await ben.setViewportSize({ width: 640, height: 360 });
	await ben.screenshot({ path: `${shots}/types-puzzle-phone-landscape.png` });
	await ben.setViewportSize({ width: 360, height: 640 });
	await ben.getByRole('button', { name: 'Submit order' }).click();
	await expect(host.locator('.summary')).toContainText('1 of 2 answers got it all in order');
	await expect(host.locator('.items .text')).toHaveText(puzzle.items);
	await verdicts('puzzle', { Ada: 'Correct!', Ben: 'Incorrect' }, (name, points) =>
		name === 'Ada' ? right(points) : none(points)
	);
	await moveOn();

	// --- Poll: votes counted, nothing right or wrong, no points.
	const poll = question('poll');
	await opened(poll.text, 'poll');
	await expect(host.locator('.hint')).toHaveText('Poll: no right answer');
	await ada.getByRole('button', { name: SHAPES[0], exact: true }).click();
	await ben.screenshot({ path: `${shots}/types-poll-phone-input.png` });
	await ben.getByRole('button', { name: SHAPES[1], exact: true }).click();
	await expect(host.locator('.tile .mark')).toHaveCount(0);
	await expect(host.locator('.tile.faded')).toHaveCount(0);
	await expect(host.locator('.column .value')).toHaveText(['1', '1', '0', '0']);
	await verdicts('poll', { Ada: 'Thanks for voting', Ben: 'Thanks for voting' }, (_, points) =>
		none(points)
	);
	await moveOn(true);

	// --- Podium: the projector's totals are the sums of what each phone was shown.
	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
	const ranking = (['Ada', 'Ben'] as const).slice().sort((a, b) => totals[b] - totals[a]);
	expect(totals[ranking[0]!]).toBeGreaterThan(totals[ranking[1]!]);
	for (const [place, name] of ranking.entries()) {
		await expect(host.locator(`.place-${place + 1} .name`)).toHaveText(name);
		await expect(host.locator(`.place-${place + 1} .score`)).toHaveText(
			`${totals[name].toLocaleString('en')} points`
		);
	}
	for (const { name, page } of players) {
		const place = ranking.indexOf(name) + 1;
		await expect(page.getByText(place === 1 ? '1st' : '2nd', { exact: true })).toBeVisible();
		await expect(page.getByLabel('Score')).toHaveText(totals[name].toLocaleString('en'));
	}
	await host.waitForTimeout(2200);
	await host.screenshot({ path: `${shots}/types-podium-host.png` });
});

/** Every visible, enabled button on the page is at least 48 × 48 CSS pixels. */
async function expectTouchTargets(page: Page, where: string): Promise<void> {
	const small = await page.locator('button:visible:not(:disabled)').evaluateAll((buttons) =>
		buttons
			.map((button) => ({ button, box: button.getBoundingClientRect() }))
			.filter(({ box }) => box.width < 47.5 || box.height < 47.5)
			.map(
				({ button, box }) =>
					`${button.getAttribute('aria-label') ?? button.textContent?.trim()} ${Math.round(box.width)}×${Math.round(box.height)}`
			)
	);
	expect(small, `buttons under 48 px ${where}`).toEqual([]);
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow, `sideways scrolling ${where}`).toBeLessThanOrEqual(0);
}

test('with the question on the phones, every input fits a small phone both ways round', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const host = await (
		await hostContext(browser, { viewport: { width: 1280, height: 720 } })
	).newPage();
	const long = 'A rather long answer that has to wrap onto two lines';
	const response = await host.request.post('/api/quizzes', {
		headers: sameOrigin(),
		data: {
			title: 'Every input, texts on phones',
			questions: [
				{
					type: 'multi',
					text: 'Which of these six rather long answers are right? Pick every one that is.',
					options: ['One', long, 'Three', 'Four', 'Five', 'Six'],
					correct: [0, 2],
					timeLimit: 60
				},
				{
					type: 'type-answer',
					text: 'What is the capital of Sweden, as the locals spell it?',
					accepted: ['Stockholm'],
					timeLimit: 60
				},
				{
					type: 'slider',
					text: 'What was the warmest temperature measured in Stockholm in July 2022?',
					min: -10,
					max: 40,
					step: 0.5,
					answer: 34,
					tolerance: 2,
					unit: '°C',
					timeLimit: 60
				},
				{
					type: 'puzzle',
					text: 'Put these steps of making tea in the order you would do them.',
					items: ['Boil the water in the kettle', long, 'Pour the water on the leaves', 'Wait'],
					timeLimit: 60
				},
				{
					type: 'poll',
					text: 'Tea or coffee?',
					options: ['Tea', 'Coffee', 'Neither', 'Both'],
					timeLimit: 60
				}
			]
		}
	});
	expect(response.status()).toBe(201);
	const { id } = (await response.json()) as { id: string };

	await host.goto(`/host?quiz=${id}`);
	await host.getByLabel('Show question and answers on phones').check();
	await host.getByLabel('Get-ready time before each question').selectOption('0');
	await host.getByRole('button', { name: 'Create game' }).click();
	await host.waitForURL(/\/host\/\d{6}$/);
	const pin = /\/host\/(\d{6})$/.exec(host.url())![1]!;
	const page = await phone(browser);
	await join(page, pin, 'Cleo');
	await host.getByRole('button', { name: 'Start' }).click();

	for (const type of ['multi', 'type-answer', 'slider', 'puzzle', 'poll']) {
		await expect(host.locator('.answered')).toHaveText(/0\s*\/\s*1 answered/, {
			timeout: 15_000
		});
		await expect(page.locator('.answering .question')).toBeVisible();
		await expectTouchTargets(page, `(${type}, portrait)`);
		await page.screenshot({ path: `${shots}/types-texts-${type}-phone.png` });
		await page.setViewportSize({ width: 640, height: 360 });
		await expectTouchTargets(page, `(${type}, landscape)`);
		await page.screenshot({ path: `${shots}/types-texts-${type}-phone-landscape.png` });
		await page.setViewportSize({ width: 360, height: 640 });
		if (type === 'multi') await host.screenshot({ path: `${shots}/types-six-host-open.png` });

		// Nobody answers: the reveal shows its empty state, the phone says time's up.
		await host.getByRole('button', { name: 'Skip question ›' }).click();
		await expect(host.locator('section.reveal')).toBeVisible();
		await expect(page.getByRole('heading', { name: "Time's up" })).toBeVisible();
		await host.screenshot({ path: `${shots}/types-texts-${type}-host-reveal-empty.png` });
		await host.getByRole('button', { name: 'Scoreboard ›' }).click();
		await host
			.getByRole('button', { name: type === 'poll' ? 'Podium ›' : 'Next question ›' })
			.click();
	}
	await expect(host.getByRole('heading', { name: 'Podium' })).toBeVisible();
});
