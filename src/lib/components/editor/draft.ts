/**
 * The quiz as the editor holds it while a host writes: the same fields as a Quiz, plus a stable
 * key per question (so a question keeps its DOM node, focus and animation while it moves) and
 * room for half-written values the schema would refuse (empty texts, no correct answer yet).
 *
 * A draft question carries the fields of every question type at once, and `type` says which
 * of them count. Switching the type back and forth therefore never loses what the host wrote,
 * and the quiz body (what is saved) holds only the fields of the chosen type.
 */
import {
	MAX_ACCEPTED_ANSWERS,
	MAX_OPTIONS,
	MAX_PUZZLE_ITEMS,
	MIN_OPTIONS,
	MIN_PUZZLE_ITEMS,
	POINTS_LEVELS,
	QUESTION_TYPES,
	TIME_LIMITS,
	TRUE_FALSE_OPTIONS,
	type PointsLevel,
	type Question,
	type QuestionType,
	type Quiz
} from '$lib/protocol/quiz';

export type TimeLimit = (typeof TIME_LIMITS)[number];

/** A slider's numbers; null while a field is empty. */
export interface DraftSlider {
	min: number | null;
	max: number | null;
	step: number | null;
	answer: number | null;
	tolerance: number | null;
	unit: string;
}

export interface DraftQuestion {
	key: string;
	type: QuestionType;
	/** The question; an info slide's title. */
	text: string;
	timeLimit: TimeLimit;
	points: PointsLevel;
	image: string | null;
	/** quiz, multi and poll. */
	options: string[];
	/** quiz and multi: indexes into `options`, ascending. */
	correct: number[];
	/** true-false: whether the statement is true; null until the host says. */
	answer: boolean | null;
	/** type-answer. */
	accepted: string[];
	caseSensitive: boolean;
	ignoreAccents: boolean;
	slider: DraftSlider;
	/** puzzle: in the correct order. */
	items: string[];
	/** info: the text under the title. */
	body: string;
}

export interface DraftQuiz {
	title: string;
	description: string;
	/** The quiz's language (BCP 47); '' or absent: none given (English). */
	lang?: string;
	questions: DraftQuestion[];
}

/** What the API takes: a quiz without its id (the URL or the server decides it). */
export type QuizBody = Omit<Quiz, 'id' | 'version'>;

export const DEFAULT_TIME_LIMIT: TimeLimit = 20;
/** Most quizzes use four answers, like the game screens' 2×2 grid. */
export const DEFAULT_OPTION_COUNT = 4;

/** Types whose players pick from the host's options. */
const OPTION_TYPES: ReadonlySet<QuestionType> = new Set(['quiz', 'multi', 'poll']);

/** Whether the type's players pick from a list of options the host writes. */
export function hasOptions(type: QuestionType): boolean {
	return OPTION_TYPES.has(type);
}

/** Whether the type has a time limit (all but info slides, which wait for the host). */
export function hasTimeLimit(type: QuestionType): boolean {
	return type !== 'info';
}

/** Whether the type has a points setting (polls and info slides never score). */
export function hasPoints(type: QuestionType): boolean {
	return type !== 'info' && type !== 'poll';
}

let lastKey = 0;
/** Not crypto.randomUUID: it is missing outside secure contexts, e.g. http://192.168.x.x. */
function newKey(): string {
	lastKey += 1;
	return `q${lastKey}`;
}

function blankSlider(): DraftSlider {
	return { min: 0, max: 100, step: 1, answer: null, tolerance: 0, unit: '' };
}

export function blankQuestion(type: QuestionType = 'quiz'): DraftQuestion {
	return {
		key: newKey(),
		type,
		text: '',
		timeLimit: DEFAULT_TIME_LIMIT,
		points: 'standard',
		image: null,
		options: Array.from({ length: DEFAULT_OPTION_COUNT }, () => ''),
		correct: [],
		answer: null,
		accepted: [''],
		caseSensitive: false,
		ignoreAccents: true,
		slider: blankSlider(),
		items: Array.from({ length: MIN_PUZZLE_ITEMS }, () => ''),
		body: ''
	};
}

/** A new quiz, in `lang` (the host's interface language) unless they say otherwise. */
export function blankQuiz(lang?: string): DraftQuiz {
	return { title: '', description: '', ...(lang ? { lang } : {}), questions: [blankQuestion()] };
}

/** A stored question in the editor's shape: its own type's fields, blanks for the rest. */
export function draftQuestion(question: Question): DraftQuestion {
	const draft = blankQuestion(question.type);
	draft.text = question.text;
	draft.image = question.image ?? null;
	if (question.type !== 'info') draft.timeLimit = question.timeLimit as TimeLimit;
	if ('points' in question) draft.points = question.points ?? 'standard';
	switch (question.type) {
		case 'quiz':
		case 'multi':
			draft.options = [...question.options];
			draft.correct = [...question.correct].sort((a, b) => a - b);
			break;
		case 'poll':
			draft.options = [...question.options];
			break;
		case 'true-false':
			draft.answer = question.answer;
			break;
		case 'type-answer':
			draft.accepted = [...question.accepted];
			draft.caseSensitive = question.caseSensitive;
			draft.ignoreAccents = question.ignoreAccents;
			break;
		case 'slider':
			draft.slider = {
				min: question.min,
				max: question.max,
				step: question.step,
				answer: question.answer,
				tolerance: question.tolerance,
				unit: question.unit
			};
			break;
		case 'puzzle':
			draft.items = [...question.items];
			break;
		case 'info':
			draft.body = question.body;
			break;
	}
	return draft;
}

export function draftFromQuiz(quiz: QuizBody): DraftQuiz {
	return {
		title: quiz.title,
		description: quiz.description ?? '',
		...(quiz.lang ? { lang: quiz.lang } : {}),
		questions: quiz.questions.map(draftQuestion)
	};
}

/**
 * An empty field, passed on as null: the schema refuses it with a message for that field
 * ("Correct value must be a number"), exactly like a value the server would get as JSON.
 */
function unset<T>(value: T | null): T {
	return value as T;
}

/** The question as QuizSchema and the API see it: only its own type's fields. */
export function questionBody(question: DraftQuestion): Question {
	const image = question.image ? { image: question.image } : {};
	const { text, timeLimit, points } = question;
	switch (question.type) {
		case 'quiz':
		case 'multi':
			return {
				type: question.type,
				text,
				options: [...question.options],
				correct: [...question.correct],
				timeLimit,
				points,
				...image
			};
		case 'true-false':
			return {
				type: 'true-false',
				text,
				answer: unset(question.answer),
				timeLimit,
				points,
				...image
			};
		case 'type-answer':
			return {
				type: 'type-answer',
				text,
				accepted: [...question.accepted],
				caseSensitive: question.caseSensitive,
				ignoreAccents: question.ignoreAccents,
				timeLimit,
				points,
				...image
			};
		case 'slider': {
			const { min, max, step, answer, tolerance, unit } = question.slider;
			return {
				type: 'slider',
				text,
				min: unset(min),
				max: unset(max),
				step: unset(step),
				answer: unset(answer),
				// An empty tolerance means what 0 means: only the exact value scores.
				tolerance: tolerance ?? 0,
				unit,
				timeLimit,
				points,
				...image
			};
		}
		case 'puzzle':
			return { type: 'puzzle', text, items: [...question.items], timeLimit, points, ...image };
		case 'poll':
			return { type: 'poll', text, options: [...question.options], timeLimit, ...image };
		case 'info':
			return { type: 'info', text, body: question.body, ...image };
	}
}

/** The body the API and QuizSchema see; keys and other types' fields stay behind. */
export function quizBody(draft: DraftQuiz): QuizBody {
	return {
		title: draft.title,
		description: draft.description,
		...(draft.lang?.trim() ? { lang: draft.lang.trim() } : {}),
		questions: draft.questions.map(questionBody)
	};
}

/** One string per content state: equal strings mean nothing changed since the last save. */
export function contentFingerprint(draft: DraftQuiz): string {
	return JSON.stringify(quizBody(draft));
}

/** Moves an item in place; out-of-range targets are clamped, so callers can pass i ± 1. */
export function moveItem<T>(items: T[], from: number, to: number): boolean {
	const target = Math.max(0, Math.min(items.length - 1, to));
	if (from === target || from < 0 || from >= items.length) return false;
	const [item] = items.splice(from, 1);
	items.splice(target, 0, item!);
	return true;
}

const nonEmpty = (texts: string[]) => texts.map((text) => text.trim()).filter(Boolean);
const isBlank = (texts: string[]) => nonEmpty(texts).length === 0;
const padTo = (texts: string[], length: number) => [
	...texts,
	...Array.from({ length: Math.max(0, length - texts.length) }, () => '')
];

/**
 * Switches a question to another type. Text, image, time limit and points stay; so does
 * everything the other types hold, for switching back. Where the new type's own fields are
 * still blank, what the host wrote is carried over when it means the same thing there:
 * options ↔ puzzle items, the correct options → accepted typed answers, options that read
 * "True"/"False" → the true/false answer.
 */
export function changeType(question: DraftQuestion, type: QuestionType): void {
	const from = question.type;
	if (from === type) return;
	question.type = type;
	const marked = question.correct.map((i) => question.options[i] ?? '');

	if (hasOptions(type) && from === 'puzzle' && isBlank(question.options)) {
		const texts = nonEmpty(question.items).slice(0, MAX_OPTIONS);
		if (texts.length > 0) {
			question.options = padTo(texts, MIN_OPTIONS);
			question.correct = [];
		}
	}
	if (type === 'puzzle' && hasOptions(from) && isBlank(question.items)) {
		const texts = nonEmpty(question.options).slice(0, MAX_PUZZLE_ITEMS);
		if (texts.length > 0) question.items = padTo(texts, MIN_PUZZLE_ITEMS);
	}
	if (type === 'type-answer' && (from === 'quiz' || from === 'multi')) {
		const texts = nonEmpty(marked).slice(0, MAX_ACCEPTED_ANSWERS);
		if (texts.length > 0 && isBlank(question.accepted)) question.accepted = texts;
	}
	if (type === 'true-false' && question.answer === null && (from === 'quiz' || from === 'multi')) {
		const said = nonEmpty(marked).map((text) => text.toLowerCase());
		const [yes, no] = TRUE_FALSE_OPTIONS.map((text) => text.toLowerCase());
		if (said.length === 1 && said[0] === yes) question.answer = true;
		if (said.length === 1 && said[0] === no) question.answer = false;
	}
}

export function canAddOption(question: DraftQuestion): boolean {
	return question.options.length < MAX_OPTIONS;
}

export function canRemoveOption(question: DraftQuestion): boolean {
	return question.options.length > MIN_OPTIONS;
}

export function addOption(question: DraftQuestion): void {
	if (canAddOption(question)) question.options.push('');
}

/** Removing an answer renumbers the ones after it, so the correct marks move with their text. */
export function removeOption(question: DraftQuestion, index: number): void {
	if (!canRemoveOption(question)) return;
	question.options.splice(index, 1);
	question.correct = question.correct
		.filter((i) => i !== index)
		.map((i) => (i > index ? i - 1 : i));
}

export function setCorrect(question: DraftQuestion, index: number, correct: boolean): void {
	const others = question.correct.filter((i) => i !== index);
	question.correct = (correct ? [...others, index] : others).sort((a, b) => a - b);
}

export function canAddAccepted(question: DraftQuestion): boolean {
	return question.accepted.length < MAX_ACCEPTED_ANSWERS;
}

export function canRemoveAccepted(question: DraftQuestion): boolean {
	return question.accepted.length > 1;
}

export function addAccepted(question: DraftQuestion): void {
	if (canAddAccepted(question)) question.accepted.push('');
}

export function removeAccepted(question: DraftQuestion, index: number): void {
	if (canRemoveAccepted(question)) question.accepted.splice(index, 1);
}

export function canAddItem(question: DraftQuestion): boolean {
	return question.items.length < MAX_PUZZLE_ITEMS;
}

export function canRemoveItem(question: DraftQuestion): boolean {
	return question.items.length > MIN_PUZZLE_ITEMS;
}

export function addItem(question: DraftQuestion): void {
	if (canAddItem(question)) question.items.push('');
}

export function removeItem(question: DraftQuestion, index: number): void {
	if (canRemoveItem(question)) question.items.splice(index, 1);
}

/** A number as a host reads it: no binary-fraction noise (0.30000000000000004 → 0.3). */
export function formatNumber(value: number): string {
	return String(Number(value.toPrecision(12)));
}

/** The slider in one line, e.g. "0 … 100 km, step 1; 37 ± 5 scores". Null until it is complete. */
export function sliderPreview(slider: DraftSlider): string | null {
	const { min, max, step, answer, tolerance } = slider;
	if (min === null || max === null || step === null) return null;
	const unit = slider.unit.trim() ? ` ${slider.unit.trim()}` : '';
	const range = `${formatNumber(min)} … ${formatNumber(max)}${unit}, step ${formatNumber(step)}`;
	if (answer === null) return range;
	const within = tolerance ? ` ± ${formatNumber(tolerance)}` : '';
	return `${range}; ${tolerance ? '' : 'only '}${formatNumber(answer)}${within} scores`;
}

/**
 * Whether the slider's range runs the wrong way (or is empty). The schema reports that at the
 * maximum; the minimum is as much at fault, so the editor marks it too.
 */
export function isRangeReversed(slider: DraftSlider): boolean {
	return slider.min !== null && slider.max !== null && !(slider.min < slider.max);
}

/** Puzzle items the same as another (as the schema compares them), by index. */
export function repeatedItems(items: string[]): number[] {
	const keys = items.map((item) => item.trim().toLocaleLowerCase('en'));
	return keys.flatMap((key, index) =>
		key !== '' && keys.indexOf(key) !== keys.lastIndexOf(key) ? [index] : []
	);
}

/** DOM id of the control a schema path points at, e.g. `questions.2.options.1`. */
export function fieldId(path: string): string {
	return `field-${path ? path.replaceAll('.', '-') : 'quiz'}`;
}

/**
 * The ids to try for an issue, most precise first: `questions.2.correct.0` falls back to the
 * correct-marks group, then to the question itself.
 */
export function fieldIdCandidates(path: string): string[] {
	const parts = path ? path.split('.') : [];
	const ids: string[] = [];
	for (let length = parts.length; length > 0; length--) {
		ids.push(fieldId(parts.slice(0, length).join('.')));
	}
	ids.push(fieldId('title'));
	return ids;
}

const FIELD_NAMES: Record<string, string> = {
	text: 'text',
	options: 'answers',
	correct: 'correct answers',
	timeLimit: 'time limit',
	points: 'points',
	image: 'image',
	accepted: 'accepted answers',
	caseSensitive: 'match case',
	ignoreAccents: 'accents',
	min: 'minimum',
	max: 'maximum',
	step: 'step',
	tolerance: 'tolerance',
	unit: 'unit',
	items: 'items',
	body: 'text',
	type: 'type'
};

/** Names of one entry of a list field: "answer 2", "item 1". */
const ENTRY_NAMES: Record<string, string> = {
	options: 'answer',
	accepted: 'accepted answer',
	items: 'item'
};

/**
 * Where an issue is, in the host's words: "Question 3, answer 2". With the questions' types
 * the words fit the type: a slider's "correct value", an info slide's "title".
 */
export function describePath(path: string, types: readonly QuestionType[] = []): string {
	const [root, questionIndex, field, entry] = path.split('.');
	if (root === 'title') return 'Title';
	if (root === 'description') return 'Description';
	if (root === 'lang') return 'Language';
	if (root !== 'questions') return 'Quiz';
	if (questionIndex === undefined) return 'Questions';
	const question = `Question ${Number(questionIndex) + 1}`;
	if (field === undefined) return question;
	const type = types[Number(questionIndex)];
	if (entry !== undefined && field in ENTRY_NAMES) {
		const name = field === 'options' && type === 'poll' ? 'option' : ENTRY_NAMES[field];
		return `${question}, ${name} ${Number(entry) + 1}`;
	}
	let name = FIELD_NAMES[field] ?? field;
	if (field === 'text' && type === 'info') name = 'title';
	if (field === 'options' && type === 'poll') name = 'options';
	if (field === 'answer') name = type === 'slider' ? 'correct value' : 'true or false';
	return `${question}, ${name}`;
}

const asText = (value: unknown) => (typeof value === 'string' ? value : '');
const asTexts = (value: unknown, fallback: string[]) => {
	const texts = Array.isArray(value) ? value.map(asText) : [];
	return texts.length > 0 ? texts : fallback;
};
const asNumber = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) ? value : null;
const asBoolean = (value: unknown, fallback: boolean) =>
	typeof value === 'boolean' ? value : fallback;
const oneOf = <T>(list: readonly T[], value: unknown, fallback: T): T =>
	list.includes(value as T) ? (value as T) : fallback;

/**
 * A draft read back from localStorage: fresh keys (the saved ones may clash with this page's),
 * and anything malformed replaced by blanks rather than trusted. Drafts written before there
 * were question types come back as quiz questions.
 */
export function reviveDraft(stored: DraftQuiz): DraftQuiz {
	return {
		title: asText(stored.title),
		description: asText(stored.description),
		...(typeof stored.lang === 'string' && stored.lang ? { lang: stored.lang } : {}),
		questions: stored.questions.map((question) => {
			const blank = blankQuestion(oneOf(QUESTION_TYPES, question?.type, 'quiz'));
			if (!question || typeof question !== 'object') return blank;
			const options = asTexts(question.options, blank.options);
			const slider: Partial<DraftSlider> =
				question.slider && typeof question.slider === 'object' ? question.slider : blank.slider;
			return {
				...blank,
				text: asText(question.text),
				timeLimit: oneOf(TIME_LIMITS, question.timeLimit, blank.timeLimit),
				points: oneOf(POINTS_LEVELS, question.points, blank.points),
				image: typeof question.image === 'string' ? question.image : null,
				options,
				correct: Array.isArray(question.correct)
					? question.correct.filter((i) => Number.isInteger(i) && i >= 0 && i < options.length)
					: [],
				answer: typeof question.answer === 'boolean' ? question.answer : null,
				accepted: asTexts(question.accepted, blank.accepted),
				caseSensitive: asBoolean(question.caseSensitive, blank.caseSensitive),
				ignoreAccents: asBoolean(question.ignoreAccents, blank.ignoreAccents),
				slider: {
					min: asNumber(slider.min),
					max: asNumber(slider.max),
					step: asNumber(slider.step),
					answer: asNumber(slider.answer),
					tolerance: asNumber(slider.tolerance),
					unit: asText(slider.unit)
				},
				items: asTexts(question.items, blank.items),
				body: asText(question.body)
			};
		})
	};
}
