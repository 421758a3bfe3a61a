/**
 * A game's report as files for a spreadsheet: the final ranking, every answer and how each
 * question went. The figures come from buildReport, the same function the report page uses.
 *
 * Nicknames are typed by anyone with the PIN, so nothing a player wrote may become a formula:
 * the CSV escapes cells that start like one ("=…" → "'=…"), and the workbook stores every text
 * as a plain string.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { GameRecord } from '../../game/record.ts';
import {
	buildReport,
	formatSliderNumber,
	type AnswerReport,
	type GameReport,
	type QuestionReport
} from '../../game/report.ts';
import { QUESTION_TYPE_NAMES } from '../../protocol/quiz.ts';

/**
 * One table, one row per player per question they could answer, ranking first: sorted by final
 * rank, then question. Each row repeats the player's final rank, score, correct answers and
 * average time (both over the questions with a right answer: not polls), so filtering on "Question #" = 1 gives the ranking and sorting by question gives
 * every answer. Answers read as a person would ("Rome", "2, 5", "4.8 km", "B → A → C"). A
 * question a player did not answer reads "(no answer)"; a poll has no right answer, so its
 * "Correct" cell is blank. A player who could answer no question gets one row with the question
 * columns blank, so everyone is in the ranking.
 */
export const REPORT_CSV_HEADER = [
	'Rank',
	'Player',
	'Final score',
	'Correct answers',
	'Average time (s)',
	'Question #',
	'Question',
	'Answer',
	'Correct',
	'Time (s)',
	'Points'
];

const NO_ANSWER = '(no answer)';

export function reportCsv(record: GameRecord): string {
	const report = buildReport(record);
	const polls = unscoredQuestions(report);
	const answersByPlayer = groupBy(report.answers, (answer) => answer.playerId);
	const rows: (string | number)[][] = [];
	for (const player of report.ranking) {
		const standing = [
			player.rank ?? '',
			player.nickname,
			player.score,
			player.correctCount,
			seconds(player.averageMs)
		];
		const answers = answersByPlayer.get(player.playerId) ?? [];
		if (answers.length === 0) rows.push([...standing, '', '', '', '', '', '']);
		for (const answer of answers) {
			rows.push([
				...standing,
				answer.questionNumber,
				questionText(record, answer.questionIndex),
				answerText(answer),
				correctText(polls, answer),
				seconds(answer.elapsedMs),
				answer.points
			]);
		}
	}
	return (
		'\ufeff' +
		Papa.unparse(
			{ fields: REPORT_CSV_HEADER, data: rows },
			{ newline: '\r\n', escapeFormulae: true }
		) +
		'\r\n'
	);
}

/** A workbook with three sheets: Ranking, Answers (by question, then rank) and Questions. */
export async function reportXlsx(record: GameRecord): Promise<Buffer> {
	const report = buildReport(record);
	const polls = unscoredQuestions(report);
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Quizroom';
	workbook.created = new Date(record.endedAt);

	const ranking = table(workbook, 'Ranking', [
		['Rank', 8],
		['Player', 24],
		['Score', 10],
		['Correct answers', 16],
		['Answered', 10],
		['Average time (s)', 16]
	]);
	for (const player of report.ranking) {
		ranking.addRow([
			player.rank,
			player.nickname,
			player.score,
			player.correctCount,
			player.answeredCount,
			secondsNumber(player.averageMs)
		]);
	}
	ranking.getColumn(6).numFmt = '0.0';

	const answers = table(workbook, 'Answers', [
		['Question #', 11],
		['Question', 48],
		['Player', 24],
		['Answer', 32],
		['Correct', 9],
		['Time (s)', 9],
		['Points', 9]
	]);
	for (const answer of report.answers) {
		answers.addRow([
			answer.questionNumber,
			questionText(record, answer.questionIndex),
			answer.nickname,
			answerText(answer),
			correctText(polls, answer),
			secondsNumber(answer.elapsedMs),
			answer.points
		]);
	}
	answers.getColumn(6).numFmt = '0.0';

	addQuestionsSheet(workbook, report);
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * One row per question played: its type, the right answer, % correct (blank for polls), and how
 * the answers went — picks per option where there are options (select all: ticks), otherwise a
 * short summary (typed answers, slider guesses, puzzle orders).
 */
function addQuestionsSheet(workbook: ExcelJS.Workbook, report: GameReport): void {
	const optionCount = Math.max(0, ...report.questions.map((q) => q.options.length));
	const sheet = table(workbook, 'Questions', [
		['Question #', 11],
		['Type', 20],
		['Question', 48],
		['Correct answer(s)', 28],
		['% correct', 10],
		['Answered', 10],
		['No answer', 10],
		['Average time (s)', 16],
		['Summary', 48],
		...Array.from({ length: optionCount }, (_, i): [string, number][] => [
			[`Answer ${i + 1}`, 24],
			[`Answer ${i + 1} picks`, 14]
		]).flat()
	]);
	for (const question of report.questions) {
		sheet.addRow([
			question.number,
			QUESTION_TYPE_NAMES[question.type],
			question.text,
			correctAnswerText(question) || null,
			question.percentCorrect === null ? null : question.percentCorrect / 100,
			question.answered,
			question.players - question.answered,
			secondsNumber(question.averageMs),
			questionSummary(question) || null,
			...question.options.flatMap((option, i) => [option, question.distribution[i] ?? 0])
		]);
	}
	sheet.getColumn(5).numFmt = '0%';
	sheet.getColumn(8).numFmt = '0.0';
	sheet.getColumn(4).alignment = { wrapText: true, vertical: 'top' };
}

/** The right answer(s), one per line; '' for a poll. */
export function correctAnswerText(question: QuestionReport): string {
	const detail = question.detail;
	switch (detail?.type) {
		case 'type-answer':
			return detail.accepted.join('\n');
		case 'slider': {
			const answer = formatSliderNumber(detail.answer, detail);
			return detail.tolerance > 0
				? `${answer} (± ${formatSliderNumber(detail.tolerance, detail)} scores)`
				: answer;
		}
		case 'puzzle':
			return detail.correctOrder.join(' → ');
		default:
			return question.correct.map((i) => question.options[i] ?? '').join('\n');
	}
}

/** What the option columns cannot show, in a sentence; '' for quiz and true/false. */
export function questionSummary(question: QuestionReport): string {
	const detail = question.detail;
	switch (detail?.type) {
		case 'type-answer': {
			if (detail.topAnswers.length === 0) return 'Nobody typed an answer';
			const top = detail.topAnswers
				.map((typed) => `${typed.text} (${typed.count}${typed.correct ? ', accepted' : ''})`)
				.join(', ');
			const others =
				detail.otherAnswers > 0
					? `, and ${detail.otherAnswers} other answer${detail.otherAnswers === 1 ? '' : 's'}`
					: '';
			return `Most typed: ${top}${others}`;
		}
		case 'slider':
			if (detail.averageGuess === null || detail.averageDistance === null) return 'No guesses';
			return (
				`Average guess ${formatSliderNumber(detail.averageGuess, detail)}, ` +
				`${formatSliderNumber(detail.averageDistance, detail)} from the answer on average; ` +
				`${detail.exact} exactly right`
			);
		case 'puzzle':
			return `${detail.allRight} of ${question.players} put every item in place`;
		default:
			if (question.type === 'multi') return 'Select all: picks count every tick';
			if (question.type === 'poll') return 'Poll: votes per answer, no right answer';
			return '';
	}
}

/** A worksheet with a bold, frozen, filterable header row. */
function table(
	workbook: ExcelJS.Workbook,
	name: string,
	columns: [header: string, width: number][]
): ExcelJS.Worksheet {
	const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = columns.map(([header, width]) => ({ header, width }));
	sheet.getRow(1).font = { bold: true };
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
	return sheet;
}

function questionText(record: GameRecord, index: number): string {
	return record.quiz.questions[index]?.text ?? '';
}

function answerText(answer: AnswerReport): string {
	if (answer.answer === null) return NO_ANSWER;
	return answer.answerText ?? '';
}

/** "yes" / "no"; blank for a poll, which has no right answer. */
function correctText(polls: ReadonlySet<number>, answer: AnswerReport): string {
	if (polls.has(answer.questionIndex)) return '';
	return answer.correct ? 'yes' : 'no';
}

/** Indexes of the questions without a right answer. */
function unscoredQuestions(report: GameReport): Set<number> {
	return new Set(report.questions.filter((q) => !q.scored).map((q) => q.index));
}

/** "3.4"; '' for no time. */
function seconds(ms: number | null): string {
	return ms === null ? '' : (Math.round(ms / 100) / 10).toFixed(1);
}

/** 3.4 (a number, so a spreadsheet can sum it); null for no time. Rounded like `seconds`. */
function secondsNumber(ms: number | null): number | null {
	return ms === null ? null : Math.round(ms / 100) / 10;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const group = groups.get(key(item));
		if (group) group.push(item);
		else groups.set(key(item), [item]);
	}
	return groups;
}
