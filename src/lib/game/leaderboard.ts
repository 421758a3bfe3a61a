import type { Player } from './state.ts';

/**
 * Best first: higher score, then less time spent on correct answers, then earlier join.
 * Deterministic, so two screens never disagree about who is third.
 */
export function compareStanding(a: Player, b: Player): number {
	return b.score - a.score || a.correctAnswerMs - b.correctAnswerMs || a.joinOrder - b.joinOrder;
}

/** Ranks every player (1-based, no shared ranks) and returns their ids best first. */
export function rankPlayers(players: Iterable<Player>): string[] {
	const ordered = [...players].sort(compareStanding);
	ordered.forEach((player, index) => {
		player.previousRank = player.rank;
		player.rank = index + 1;
	});
	return ordered.map((player) => player.id);
}
