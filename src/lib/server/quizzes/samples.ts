/** The sample quizzes shipped in samples/, loaded and seeded into an empty library. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { QuizSchema, type Quiz } from '../../protocol/quiz.ts';

export const SAMPLE_QUIZ_DIR = fileURLToPath(new URL('./samples/', import.meta.url));

/** The sample quizzes shipped with the repo, checked like any other quiz. */
export function loadSampleQuizzes(dir = SAMPLE_QUIZ_DIR): Quiz[] {
	return readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => parseQuizFile(join(dir, name)));
}

function parseQuizFile(path: string): Quiz {
	const result = v.safeParse(QuizSchema, JSON.parse(readFileSync(path, 'utf8')));
	if (!result.success) {
		const issue = result.issues[0];
		throw new Error(`Quiz file ${path} is invalid at ${v.getDotPath(issue)}: ${issue.message}`);
	}
	return result.output;
}
