/**
 * The figures of a played game, from its record: the final ranking, how each question went and
 * which were hardest. Pure, so the report page and the file exports show the same numbers.
 *
 * A player "could answer" a question when they had joined by then (firstQuestion); one who could
 * but did not counts as not correct, as on Kahoot's reports. Times are server-measured answer
 * times; averages are over the answers given.
 */
import type { GameRecord, PlayerRecord } from './record.ts';

export interface RankingEntry {
	playerId: string;
	nickname: string;
	/** Final rank, 1-based; null for a player who left before any question was revealed. */
	rank: number | null;
	score: number;
	correctCount: number;
	answeredCount: number;
	/** Average answer time over the answers given; null when none. */
	averageMs: number | null;
}

export interface QuestionReport {
	/** Index into the quiz's questions. */
	index: number;
	text: string;
	options: string[];
	correct: number[];
	/** How many players picked each option, in option order. */
	distribution: number[];
	/** Players who could answer (had joined by then), whether they did or not. */
	players: number;
	answered: number;
	correctCount: number;
	/** 0–100, of the players who could answer; 0 when nobody could. */
	percentCorrect: number;
	/** Average answer time; null when nobody answered. */
	averageMs: number | null;
}

/** One player on one question: what they answered, or `choice: null` when they did not. */
export interface AnswerReport {
	questionIndex: number;
	playerId: string;
	nickname: string;
	choice: number | null;
	/** The chosen option's text; null when they did not answer. */
	answerText: string | null;
	correct: boolean;
	elapsedMs: number | null;
	points: number;
}

export interface GameReport {
	/** Best first; players never ranked last, in join order. */
	ranking: RankingEntry[];
	/** The questions that were played (revealed), in play order. */
	questions: QuestionReport[];
	/** Question indexes, hardest first: lowest percentCorrect, then slowest average time. */
	hardestFirst: number[];
	/** Every player on every question they could answer, by question then ranking. */
	answers: AnswerReport[];
}

export function buildReport(record: GameRecord): GameReport {
	const players = [...record.players].sort(compareFinalRank);
	const ranking = players.map((player) => rankingEntry(record, player));
	const questions = record.rounds.map((round) => {
		const question = record.quiz.questions[round.questionIndex];
		const options = question?.options ?? [];
		const distribution = options.map(() => 0);
		for (const answer of round.answers) {
			if (answer.choice >= 0 && answer.choice < distribution.length)
				distribution[answer.choice] = (distribution[answer.choice] ?? 0) + 1;
		}
		const answeredIds = new Set(round.answers.map((answer) => answer.playerId));
		const couldAnswer = record.players.filter(
			(player) => player.firstQuestion <= round.questionIndex || answeredIds.has(player.id)
		).length;
		const correctCount = round.answers.filter((answer) => answer.correct).length;
		return {
			index: round.questionIndex,
			text: question?.text ?? '',
			options,
			correct: question?.correct ?? [],
			distribution,
			players: couldAnswer,
			answered: round.answers.length,
			correctCount,
			percentCorrect: couldAnswer === 0 ? 0 : (100 * correctCount) / couldAnswer,
			averageMs: average(round.answers.map((answer) => answer.elapsedMs))
		} satisfies QuestionReport;
	});
	return {
		ranking,
		questions,
		hardestFirst: hardestFirst(questions),
		answers: answerReports(record, players)
	};
}

/** Lowest percentCorrect first; ties: slower average first (no answers at all = slowest). */
export function hardestFirst(questions: readonly QuestionReport[]): number[] {
	const slowness = (q: QuestionReport) => q.averageMs ?? Number.POSITIVE_INFINITY;
	return [...questions]
		.sort(
			(a, b) =>
				a.percentCorrect - b.percentCorrect ||
				compareDesc(slowness(a), slowness(b)) ||
				a.index - b.index
		)
		.map((q) => q.index);
}

export function average(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function rankingEntry(record: GameRecord, player: PlayerRecord): RankingEntry {
	const answers = record.rounds.flatMap((round) =>
		round.answers.filter((answer) => answer.playerId === player.id)
	);
	return {
		playerId: player.id,
		nickname: player.nickname,
		rank: player.rank,
		score: player.score,
		correctCount: answers.filter((answer) => answer.correct).length,
		answeredCount: answers.length,
		averageMs: average(answers.map((answer) => answer.elapsedMs))
	};
}

function answerReports(record: GameRecord, players: readonly PlayerRecord[]): AnswerReport[] {
	return record.rounds.flatMap((round) => {
		const options = record.quiz.questions[round.questionIndex]?.options ?? [];
		const byPlayer = new Map(round.answers.map((answer) => [answer.playerId, answer]));
		return players.flatMap((player): AnswerReport[] => {
			const answer = byPlayer.get(player.id);
			if (!answer) {
				if (player.firstQuestion > round.questionIndex) return [];
				return [
					{
						questionIndex: round.questionIndex,
						playerId: player.id,
						nickname: player.nickname,
						choice: null,
						answerText: null,
						correct: false,
						elapsedMs: null,
						points: 0
					}
				];
			}
			return [
				{
					questionIndex: round.questionIndex,
					playerId: player.id,
					nickname: player.nickname,
					choice: answer.choice,
					answerText: options[answer.choice] ?? null,
					correct: answer.correct,
					elapsedMs: answer.elapsedMs,
					points: answer.points
				}
			];
		});
	});
}

/** Ranked players by rank, then the never-ranked in join order. */
function compareFinalRank(a: PlayerRecord, b: PlayerRecord): number {
	if (a.rank !== null && b.rank !== null) return a.rank - b.rank || a.joinOrder - b.joinOrder;
	if (a.rank !== null) return -1;
	if (b.rank !== null) return 1;
	return a.joinOrder - b.joinOrder;
}

function compareDesc(a: number, b: number): number {
	if (a === b) return 0;
	return a > b ? -1 : 1;
}
