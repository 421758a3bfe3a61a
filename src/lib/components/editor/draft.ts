/**
 * The quiz as the editor holds it while a host writes: the same fields as a Quiz, plus a stable
 * key per question (so a question keeps its DOM node, focus and animation while it moves) and
 * room for half-written values the schema would refuse (empty texts, no correct answer yet).
 */
import {
	MAX_OPTIONS,
	MIN_OPTIONS,
	type PointsLevel,
	type Quiz,
	type TIME_LIMITS
} from '$lib/protocol/quiz';

export type TimeLimit = (typeof TIME_LIMITS)[number];

export interface DraftQuestion {
	key: string;
	text: string;
	options: string[];
	correct: number[];
	timeLimit: TimeLimit;
	points: PointsLevel;
	image: string | null;
}

export interface DraftQuiz {
	title: string;
	description: string;
	questions: DraftQuestion[];
}

/** What the API takes: a quiz without its id (the URL or the server decides it). */
export type QuizBody = Omit<Quiz, 'id' | 'version'>;

export const DEFAULT_TIME_LIMIT: TimeLimit = 20;
/** Most quizzes use four answers, like the game screens' 2×2 grid. */
export const DEFAULT_OPTION_COUNT = 4;

let lastKey = 0;
/** Not crypto.randomUUID: it is missing outside secure contexts, e.g. http://192.168.x.x. */
function newKey(): string {
	lastKey += 1;
	return `q${lastKey}`;
}

export function blankQuestion(): DraftQuestion {
	return {
		key: newKey(),
		text: '',
		options: Array.from({ length: DEFAULT_OPTION_COUNT }, () => ''),
		correct: [],
		timeLimit: DEFAULT_TIME_LIMIT,
		points: 'standard',
		image: null
	};
}

export function blankQuiz(): DraftQuiz {
	return { title: '', description: '', questions: [blankQuestion()] };
}

export function draftFromQuiz(quiz: QuizBody): DraftQuiz {
	return {
		title: quiz.title,
		description: quiz.description ?? '',
		questions: quiz.questions.map((question) => ({
			key: newKey(),
			text: question.text,
			options: [...question.options],
			correct: [...question.correct].sort((a, b) => a - b),
			timeLimit: question.timeLimit as TimeLimit,
			points: question.points ?? 'standard',
			image: question.image ?? null
		}))
	};
}

/** The body the API and QuizSchema see; keys are the editor's own and stay behind. */
export function quizBody(draft: DraftQuiz): QuizBody {
	return {
		title: draft.title,
		description: draft.description,
		questions: draft.questions.map((question) => ({
			text: question.text,
			options: [...question.options],
			correct: [...question.correct],
			timeLimit: question.timeLimit,
			points: question.points,
			...(question.image ? { image: question.image } : {})
		}))
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
	image: 'image'
};

/** Where an issue is, in the host's words: "Question 3, answer 2". */
export function describePath(path: string): string {
	const [root, questionIndex, field, optionIndex] = path.split('.');
	if (root === 'title') return 'Title';
	if (root === 'description') return 'Description';
	if (root !== 'questions') return 'Quiz';
	if (questionIndex === undefined) return 'Questions';
	const question = `Question ${Number(questionIndex) + 1}`;
	if (field === undefined) return question;
	if (field === 'options' && optionIndex !== undefined) {
		return `${question}, answer ${Number(optionIndex) + 1}`;
	}
	return `${question}, ${FIELD_NAMES[field] ?? field}`;
}

/**
 * A draft read back from localStorage: fresh keys (the saved ones may clash with this page's),
 * and anything malformed replaced by blanks rather than trusted.
 */
export function reviveDraft(stored: DraftQuiz): DraftQuiz {
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	return {
		title: text(stored.title),
		description: text(stored.description),
		questions: stored.questions.map((question) => {
			const blank = blankQuestion();
			const options = Array.isArray(question.options) ? question.options.map(text) : [];
			return {
				...blank,
				text: text(question.text),
				options: options.length > 0 ? options : blank.options,
				correct: Array.isArray(question.correct)
					? question.correct.filter((i) => Number.isInteger(i) && i >= 0 && i < options.length)
					: [],
				timeLimit: question.timeLimit ?? blank.timeLimit,
				points: question.points ?? blank.points,
				image: typeof question.image === 'string' ? question.image : null
			};
		})
	};
}
