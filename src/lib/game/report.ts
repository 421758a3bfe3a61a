/**
 * The figures of a played game, from its record: the final ranking, how each question went and
 * which were hardest. Pure, so the report page and the file exports show the same numbers.
 *
 * A player "could answer" a question when they had joined by then (firstQuestion); one who could
 * but did not counts as not correct, as on Kahoot's reports. Times are server-measured answer
 * times; averages are over the answers given. Info slides are never rounds, so they are not in
 * a report; polls are, but have no right answer: no % correct, not among the hardest, and not
 * in a player's figures in the ranking.
 */
import type { AnswerableQuestion, Question, QuestionOf } from '../protocol/quiz.ts';
import {
	acceptsText,
	correctOptions,
	countOptions,
	describeAnswer,
	normalizeTyped,
	optionTexts,
	sliderHistogram,
	type AnswerGiven
} from './questions.ts';
import { questionNumber } from './question-numbers.ts';
import type { AnswerRecord, GameRecord, PlayerRecord } from './record.ts';

export interface RankingEntry {
	playerId: string;
	nickname: string;
	/** Final rank, 1-based; null for a player who left before any question was revealed. */
	rank: number | null;
	score: number;
	/**
	 * These three count the questions with a right answer only, so they agree with each other:
	 * a poll vote is neither right nor wrong, and a quick vote would flatter the average time.
	 */
	correctCount: number;
	answeredCount: number;
	/** Average answer time over the answers given; null when none. */
	averageMs: number | null;
}

export interface QuestionReport {
	/** Index into the quiz's questions. */
	index: number;
	/** The number players saw ("Question 6 of 7"): slides are not counted. */
	number: number;
	type: AnswerableQuestion['type'];
	text: string;
	/** Texts of the options (quiz, true/false, select all, poll); empty for other types. */
	options: string[];
	/** The right options; empty for polls and types without options. */
	correct: number[];
	/** Per option: how many picked it (select all: ticked it); empty for types without options. */
	distribution: number[];
	/** False for polls: there is no right answer, so the page shows votes, not % correct. */
	scored: boolean;
	/** Players who could answer (had joined by then), whether they did or not. */
	players: number;
	answered: number;
	correctCount: number;
	/**
	 * 0–100, of the players who could answer (puzzle: every item in place; select all: exactly
	 * the right set); 0 when nobody could; null for polls.
	 */
	percentCorrect: number | null;
	/** Average answer time; null when nobody answered. */
	averageMs: number | null;
	/** Figures of the types without options; null for option types. */
	detail: QuestionDetail | null;
}

export const REPORT_TOP_TYPED_ANSWERS = 10;

export type QuestionDetail =
	| {
			type: 'type-answer';
			accepted: string[];
			/** How typed answers were compared with the accepted ones. */
			caseSensitive: boolean;
			ignoreAccents: boolean;
			/**
			 * The most common answers, most first (the same answer typed differently, as the
			 * question compares them, counts as one, shown as first typed), with whether it counted.
			 */
			topAnswers: { text: string; count: number; correct: boolean }[];
			/** Answers that are not among topAnswers. */
			otherAnswers: number;
	  }
	| {
			type: 'slider';
			min: number;
			max: number;
			step: number;
			answer: number;
			tolerance: number;
			unit: string;
			/** Mean of the guesses; null when nobody answered. */
			averageGuess: number | null;
			/** Mean distance of the guesses from the answer; null when nobody answered. */
			averageDistance: number | null;
			/** Guesses that hit the value exactly. */
			exact: number;
			/** The same bins as the reveal showed. */
			histogram: { from: number; to: number; count: number }[];
	  }
	| {
			type: 'puzzle';
			/** The items in the right order. */
			correctOrder: string[];
			/** Players who put every item in place. */
			allRight: number;
	  };

/** One player on one question: what they answered, or `answer: null` when they did not. */
export interface AnswerReport {
	questionIndex: number;
	/** The question's number as players saw it (see QuestionReport.number). */
	questionNumber: number;
	playerId: string;
	nickname: string;
	answer: AnswerGiven | null;
	/** The answer as a person reads it ("Rome", "2, 5", "4.6 km", "A → B → C"); null: none. */
	answerText: string | null;
	/** False for polls, which have no right answer (see `scored` on the question). */
	correct: boolean;
	elapsedMs: number | null;
	points: number;
}

export interface GameReport {
	/** Best first; players never ranked last, in join order. */
	ranking: RankingEntry[];
	/** The questions that were played (revealed), in play order. */
	questions: QuestionReport[];
	/** Question indexes, hardest first: lowest percentCorrect, then slowest; no polls. */
	hardestFirst: number[];
	/** Every player on every question they could answer, by question then ranking. */
	answers: AnswerReport[];
}

export function buildReport(record: GameRecord): GameReport {
	const players = [...record.players].sort(compareFinalRank);
	const ranking = players.map((player) => rankingEntry(record, player));
	const questions = record.rounds.flatMap((round): QuestionReport[] => {
		const question = record.quiz.questions[round.questionIndex];
		// A record always names questions of its own quiz; an info slide is never a round.
		if (!question || question.type === 'info') return [];
		const number = questionNumber(record.quiz.questions, round.questionIndex) ?? 0;
		const answeredIds = new Set(round.answers.map((answer) => answer.playerId));
		const couldAnswer = record.players.filter(
			(player) => player.firstQuestion <= round.questionIndex || answeredIds.has(player.id)
		).length;
		const scored = hasRightAnswer(question);
		const correctCount = scored ? round.answers.filter((answer) => answer.correct).length : 0;
		const given = round.answers.map((answer) => answer.answer);
		return [
			{
				index: round.questionIndex,
				number,
				type: question.type,
				text: question.text,
				options: optionTexts(question),
				correct: correctOptions(question),
				distribution: countOptions(question, validOptionAnswers(question, given)),
				scored,
				players: couldAnswer,
				answered: round.answers.length,
				correctCount,
				percentCorrect: !scored ? null : couldAnswer === 0 ? 0 : (100 * correctCount) / couldAnswer,
				averageMs: average(round.answers.map((answer) => answer.elapsedMs)),
				detail: questionDetail(question, round.answers)
			}
		];
	});
	return {
		ranking,
		questions,
		hardestFirst: hardestFirst(questions),
		answers: answerReports(record, players)
	};
}

/**
 * Lowest percentCorrect first; ties: slower average first (no answers at all = slowest).
 * Polls (no percentCorrect) are left out: nothing about them is hard.
 */
export function hardestFirst(questions: readonly QuestionReport[]): number[] {
	const slowness = (q: QuestionReport) => q.averageMs ?? Number.POSITIVE_INFINITY;
	return questions
		.filter((q): q is QuestionReport & { percentCorrect: number } => q.percentCorrect !== null)
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

/**
 * A slider figure as a person reads it: one decimal more than the slider's step has (averages
 * fall between steps), no trailing zeros, with the unit: "6.33 km", "42".
 */
export function formatSliderNumber(value: number, slider: { step: number; unit: string }): string {
	let stepDecimals = 0;
	while (stepDecimals < 5 && !isWhole(slider.step * 10 ** stepDecimals)) stepDecimals++;
	const text = value.toLocaleString('en', {
		maximumFractionDigits: stepDecimals + 1,
		useGrouping: false
	});
	return slider.unit ? `${text} ${slider.unit}` : text;
}

function isWhole(value: number): boolean {
	return Math.abs(value - Math.round(value)) < 1e-9 * Math.max(1, Math.abs(value));
}

/** Option picks that point at an option of the question (a record is trusted, not blindly). */
function validOptionAnswers(question: Question, given: AnswerGiven[]): AnswerGiven[] {
	const count = optionTexts(question).length;
	const inRange = (i: number) => Number.isInteger(i) && i >= 0 && i < count;
	return given.flatMap((answer): AnswerGiven[] => {
		if (answer.kind === 'choice') return inRange(answer.index) ? [answer] : [];
		if (answer.kind === 'choices')
			return [{ kind: 'choices', indexes: answer.indexes.filter(inRange) }];
		return [];
	});
}

function questionDetail(
	question: AnswerableQuestion,
	answers: readonly AnswerRecord[]
): QuestionDetail | null {
	const given = answers.map((answer) => answer.answer);
	switch (question.type) {
		case 'type-answer':
			return typedAnswers(question, given);
		case 'slider': {
			// Guesses the rules took are on the slider (give or take a rounding error at its
			// ends); anything else would not fit a bin.
			const epsilon = question.step * 1e-6;
			const onSlider = given.filter(
				(answer): answer is Extract<AnswerGiven, { kind: 'number' }> =>
					answer.kind === 'number' &&
					answer.value >= question.min - epsilon &&
					answer.value <= question.max + epsilon
			);
			const guesses = onSlider.map((answer) => answer.value);
			const distances = guesses.map((guess) => Math.abs(guess - question.answer));
			return {
				type: 'slider',
				min: question.min,
				max: question.max,
				step: question.step,
				answer: question.answer,
				tolerance: question.tolerance,
				unit: question.unit,
				averageGuess: average(guesses),
				averageDistance: average(distances),
				exact: distances.filter((distance) => distance <= question.step * 1e-6).length,
				histogram: sliderHistogram(question, onSlider)
			};
		}
		case 'puzzle':
			return {
				type: 'puzzle',
				correctOrder: question.items,
				allRight: answers.filter((answer) => answer.correct).length
			};
		default:
			return null;
	}
}

/** Typed answers grouped the way the question compares them, most common first. */
function typedAnswers(
	question: QuestionOf<'type-answer'>,
	given: readonly AnswerGiven[]
): QuestionDetail {
	const groups = new Map<string, { text: string; count: number }>();
	let total = 0;
	for (const answer of given) {
		if (answer.kind !== 'text') continue;
		total++;
		const key = normalizeTyped(answer.text, question);
		const group = groups.get(key) ?? { text: answer.text, count: 0 };
		group.count++;
		groups.set(key, group);
	}
	const topAnswers = [...groups.values()]
		.sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
		.slice(0, REPORT_TOP_TYPED_ANSWERS)
		.map((group) => ({ ...group, correct: acceptsText(question, group.text) }));
	const shown = topAnswers.reduce((sum, group) => sum + group.count, 0);
	return {
		type: 'type-answer',
		accepted: question.accepted,
		caseSensitive: question.caseSensitive,
		ignoreAccents: question.ignoreAccents,
		topAnswers,
		otherAnswers: total - shown
	};
}

/** Polls have no right answer; info slides are never rounds. */
function hasRightAnswer(question: Question): boolean {
	return question.type !== 'poll' && question.type !== 'info';
}

function rankingEntry(record: GameRecord, player: PlayerRecord): RankingEntry {
	const answers = record.rounds.flatMap((round) => {
		const question = record.quiz.questions[round.questionIndex];
		if (!question || !hasRightAnswer(question)) return [];
		return round.answers.filter((answer) => answer.playerId === player.id);
	});
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
		const question = record.quiz.questions[round.questionIndex];
		if (!question || question.type === 'info') return [];
		const number = questionNumber(record.quiz.questions, round.questionIndex) ?? 0;
		const byPlayer = new Map(round.answers.map((answer) => [answer.playerId, answer]));
		return players.flatMap((player): AnswerReport[] => {
			const answer = byPlayer.get(player.id);
			if (!answer) {
				if (player.firstQuestion > round.questionIndex) return [];
				return [
					{
						questionIndex: round.questionIndex,
						questionNumber: number,
						playerId: player.id,
						nickname: player.nickname,
						answer: null,
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
					questionNumber: number,
					playerId: player.id,
					nickname: player.nickname,
					answer: answer.answer,
					answerText: describeAnswer(question, answer.answer),
					correct: hasRightAnswer(question) && answer.correct,
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
