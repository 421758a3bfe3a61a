import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { QuizSchema, summarizeQuiz, type Quiz, type QuizSummary } from '../../protocol/quiz.ts';

export const SAMPLE_QUIZ_DIR = fileURLToPath(new URL('./samples/', import.meta.url));

/** The quizzes a host can pick. For now the samples shipped with the repo, checked on load. */
export class QuizCatalog {
	private readonly quizzes = new Map<string, Quiz>();

	constructor(quizzes: Quiz[]) {
		for (const quiz of quizzes) this.quizzes.set(quiz.id, quiz);
	}

	static fromDirectory(dir = SAMPLE_QUIZ_DIR): QuizCatalog {
		const files = readdirSync(dir)
			.filter((name) => name.endsWith('.json'))
			.sort();
		return new QuizCatalog(files.map((name) => parseQuizFile(join(dir, name))));
	}

	list(): QuizSummary[] {
		return [...this.quizzes.values()].map(summarizeQuiz);
	}

	get(id: string): Quiz | undefined {
		return this.quizzes.get(id);
	}
}

function parseQuizFile(path: string): Quiz {
	const result = v.safeParse(QuizSchema, JSON.parse(readFileSync(path, 'utf8')));
	if (!result.success) {
		const issue = result.issues[0];
		throw new Error(`Quiz file ${path} is invalid at ${v.getDotPath(issue)}: ${issue.message}`);
	}
	return result.output;
}
