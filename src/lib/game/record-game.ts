/**
 * A game's record as it stands, taken from its state: saved at the podium or when the game is
 * abandoned. Apart from the record's types (record.ts), which the state itself holds.
 */
import { questionCount } from './question-numbers.ts';
import type { GameRecord } from './record.ts';
import type { GameState } from './state.ts';

/** The record of a game as it stands, for saving at the podium or when it is abandoned. */
export function recordGame(
	state: GameState,
	game: { id: string; pin: string; endedAt: number; hostId: string | null }
): GameRecord {
	return {
		id: game.id,
		pin: game.pin,
		hostId: game.hostId,
		quiz: state.quiz,
		options: state.options,
		startedAt: state.startedAt ?? game.endedAt,
		endedAt: game.endedAt,
		finished: state.phase === 'podium' || (state.phase === 'ended' && playedThrough(state)),
		players: [...state.players.values()].map((player) => ({
			id: player.id,
			nickname: player.nickname,
			joinOrder: player.joinOrder,
			score: player.score,
			rank: player.rank,
			firstQuestion: player.firstQuestion
		})),
		rounds: state.history
	};
}

/** Every question revealed; info slides take no answers and leave no round. */
function playedThrough(state: GameState): boolean {
	return state.history.length === questionCount(state.quiz.questions);
}
