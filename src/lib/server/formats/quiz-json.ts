/**
 * Quizroom's own quiz file: the quiz and its images in one JSON document, so a quiz moves
 * between servers whole.
 *
 *     { "format": "quizroom.quiz", "version": 1,
 *       "quiz": { "title", "description", "lang"?, "questions": [...] },
 *       "images": { "<sha256>.png": { "type": "image/png", "data": "<base64>" } } }
 *
 * The quiz carries no id: an import gets a new one (or the caller's). Nothing in a file is
 * trusted: the quiz passes QuizSchema, and every image must really be the declared type (by
 * its bytes) and hash to its id, so a stored image is always what its address says.
 */
import * as v from 'valibot';
import { QuizSchema, type Quiz } from '../../protocol/quiz.ts';
import { newQuizId } from '../storage/ids.ts';
import type { StoredImage } from '../storage/storage.ts';
import { detectImageType, imageId, isImageType, MAX_IMAGE_BYTES } from './image-type.ts';
import { IMPORT_LIMITS, limitMessage, type ImportLimits } from './import-limits.ts';

export const QUIZ_FILE_FORMAT = 'quizroom.quiz';
export const QUIZ_FILE_VERSION = 1;

export interface QuizFile {
	format: typeof QUIZ_FILE_FORMAT;
	version: typeof QUIZ_FILE_VERSION;
	quiz: Omit<Quiz, 'id' | 'version'>;
	images: Record<string, { type: string; data: string }>;
}

export type QuizJsonImport =
	/** `images`: the images the quiz uses, checked; store each with storage.saveImage. */
	{ ok: true; quiz: Quiz; images: StoredImage[] } | { ok: false; error: string };

export interface QuizJsonImportOptions {
	/** Keep this id (re-importing over an existing quiz); default a fresh newQuizId(). */
	id?: string;
	/** Default IMPORT_LIMITS: checked on the text before it is parsed (see checkJsonText). */
	limits?: ImportLimits;
}

/**
 * The quiz as a pretty-printed Quizroom file with its images embedded. `images` looks an image
 * up by id (storage.getImage); a question whose image is not found loses its image reference,
 * so the file never points at something it does not carry.
 */
export function exportQuizJson(quiz: Quiz, images: (id: string) => StoredImage | null): string {
	const embedded: QuizFile['images'] = {};
	const questions = quiz.questions.map((question) => {
		if (!question.image) return question;
		const image = images(question.image);
		if (!image) {
			const { image: _missing, ...rest } = question;
			return rest;
		}
		embedded[image.id] = { type: image.type, data: Buffer.from(image.bytes).toString('base64') };
		return question;
	});
	const file: QuizFile = {
		format: QUIZ_FILE_FORMAT,
		version: QUIZ_FILE_VERSION,
		quiz: {
			title: quiz.title,
			description: quiz.description,
			...(quiz.lang ? { lang: quiz.lang } : {}),
			questions
		},
		images: embedded
	};
	return JSON.stringify(file, null, '\t') + '\n';
}

const EnvelopeSchema = v.object({
	format: v.string(),
	version: v.number(),
	quiz: v.record(v.string(), v.unknown()),
	images: v.optional(v.record(v.string(), v.object({ type: v.string(), data: v.string() })), {})
});

/**
 * Base64 characters, padding at the end (the length is checked apart). A plain character-class
 * loop: a grouped repeat like (?:[…]{4})* overflows the regex stack on a megabyte image.
 */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads a Quizroom quiz file; any problem refuses the whole file with one plain message. */
export function importQuizJson(text: string, options: QuizJsonImportOptions = {}): QuizJsonImport {
	const limits = options.limits ?? IMPORT_LIMITS;
	const overLimit = checkJsonText(text, limits);
	if (overLimit) return refuse(overLimit);
	let json: unknown;
	try {
		json = JSON.parse(text.replace(/^\ufeff/, ''));
	} catch {
		return refuse('This file is not a Quizroom quiz file: it is not valid JSON');
	}
	const { format, version } = (typeof json === 'object' && json !== null ? json : {}) as {
		format?: unknown;
		version?: unknown;
	};
	if (format !== QUIZ_FILE_FORMAT)
		return refuse(
			format === undefined
				? `This file is not a Quizroom quiz file: it has no "format": "${QUIZ_FILE_FORMAT}"`
				: `This file is not a Quizroom quiz file: its format is ${shown(format)}, not "${QUIZ_FILE_FORMAT}"`
		);
	if (version !== QUIZ_FILE_VERSION)
		return refuse(
			typeof version === 'number' && version > QUIZ_FILE_VERSION
				? `This quiz file is version ${version}; this Quizroom reads version ${QUIZ_FILE_VERSION}. Update Quizroom to import it`
				: `This quiz file has an unknown version ${shown(version ?? null)} (expected ${QUIZ_FILE_VERSION})`
		);

	const envelope = v.safeParse(EnvelopeSchema, json);
	if (!envelope.success) {
		const issue = envelope.issues[0];
		const path = v.getDotPath(issue);
		return refuse(`This quiz file is damaged${path ? ` at ${path}` : ''}: ${issue.message}`);
	}

	if (Object.keys(envelope.output.images).length > limits.pictures)
		return refuse(limitMessage('pictures', limits));

	const { id: _fileId, version: _quizVersion, ...quizFields } = envelope.output.quiz;
	const quiz = v.safeParse(QuizSchema, { ...quizFields, id: options.id ?? newQuizId() });
	if (!quiz.success) {
		const issue = quiz.issues[0];
		const path = v.getDotPath(issue);
		return refuse(
			path
				? `The quiz in this file is invalid at ${path}${describePath(path, quizFields.questions)}: ${issue.message}`
				: `The quiz in this file is invalid: ${issue.message}`
		);
	}

	const checked = new Map<string, StoredImage>();
	for (const [id, image] of Object.entries(envelope.output.images)) {
		const result = checkImage(id, image);
		if (typeof result === 'string') return refuse(result);
		checked.set(id, result);
	}

	const images: StoredImage[] = [];
	for (const [index, question] of quiz.output.questions.entries()) {
		if (!question.image) continue;
		const image = checked.get(question.image);
		if (!image)
			return refuse(`Question ${index + 1} uses image ${question.image}, which is not in the file`);
		if (!images.includes(image)) images.push(image);
	}
	return { ok: true, quiz: quiz.output, images };
}

function checkImage(id: string, image: { type: string; data: string }): StoredImage | string {
	const name = `Image ${shown(id)}`;
	if (!isImageType(image.type))
		return `${name} has type ${shown(image.type)}; only PNG, JPEG, GIF and WebP images are accepted`;
	// Measured before decoding: the decoded bytes are never made for a picture too big.
	if (image.data.length > MAX_PICTURE_CHARS)
		return `${name} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
	if (image.data.length % 4 !== 0 || !BASE64.test(image.data))
		return `${name} is damaged: its data is not base64`;
	const bytes = new Uint8Array(Buffer.from(image.data, 'base64'));
	if (bytes.length > MAX_IMAGE_BYTES)
		return `${name} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
	const actual = detectImageType(bytes);
	if (actual === null) return `${name} is not a PNG, JPEG, GIF or WebP image`;
	if (actual !== image.type) return `${name} is declared as ${image.type} but is ${actual}`;
	if (imageId(bytes, actual) !== id)
		return `${name} does not match its content (the file was changed or damaged)`;
	return { id, type: actual, bytes };
}

/** The base64 length of the largest picture. */
const MAX_PICTURE_CHARS = Math.ceil(MAX_IMAGE_BYTES / 3) * 4;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * The text checked before JSON.parse makes objects of it: how deep it nests, how many values it
 * holds (every {, [ and , counts one), and each string's length: a picture's data (the string
 * after a "data" key) up to the largest picture, any other text up to `textLength`. Returns
 * the refusal, or null. Strings and nesting are skipped over, never built.
 */
export function checkJsonText(text: string, limits: ImportLimits = IMPORT_LIMITS): string | null {
	let depth = 0;
	let values = 0;
	/** The last string, when short enough to be a key we look for. */
	let lastString: string | null = null;
	/** The key whose value comes next. */
	let key: string | null = null;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === QUOTE) {
			const start = i + 1;
			let end = start;
			while (end < text.length) {
				const c = text.charCodeAt(end);
				if (c === QUOTE) break;
				end += c === BACKSLASH ? 2 : 1;
			}
			const length = end - start;
			if (key === 'data' ? length > MAX_PICTURE_CHARS : length > limits.textLength)
				return key === 'data'
					? `A picture in this file is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`
					: limitMessage('textLength', limits);
			lastString = length <= 8 ? text.slice(start, end) : null;
			key = null;
			i = end;
		} else if (code === COLON) {
			key = lastString;
		} else if (code === 0x7b || code === 0x5b) {
			// { [
			if (++depth > limits.jsonDepth) return limitMessage('jsonDepth', limits);
			if (++values > limits.jsonValues) return limitMessage('jsonValues', limits);
			key = null;
		} else if (code === 0x7d || code === 0x5d) {
			// } ]
			depth -= 1;
			key = null;
		} else if (code === COMMA) {
			if (++values > limits.jsonValues) return limitMessage('jsonValues', limits);
			key = null;
		}
	}
	return null;
}

const LIST_ITEM_NAMES: Record<string, string> = {
	options: 'answer',
	accepted: 'accepted answer',
	items: 'item'
};

/**
 * "questions.2.options.1" → " (question 3, answer 2)", for hosts who count from 1; likewise
 * accepted answers of a type answer and items of a puzzle. A poll's options are options.
 */
function describePath(path: string, questions: unknown): string {
	const question = /^questions\.(\d+)(?:\.(options|accepted|items)\.(\d+))?/.exec(path);
	if (!question) return '';
	const index = Number(question[1]);
	const isPoll = Array.isArray(questions) && questions[index]?.type === 'poll';
	const name = isPoll && question[2] === 'options' ? 'option' : LIST_ITEM_NAMES[question[2]!];
	const item = question[2] === undefined ? '' : `, ${name} ${Number(question[3]) + 1}`;
	return ` (question ${index + 1}${item})`;
}

/** A value from the file, quoted and kept short, for a message. */
function shown(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

function refuse(error: string): QuizJsonImport {
	return { ok: false, error };
}
