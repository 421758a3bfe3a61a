import { describe, expect, it } from 'vitest';
import { compareStanding, rankPlayers } from './leaderboard.ts';
import type { Player } from './state.ts';

let joined = 0;

/** A player in join order: each call joins after the previous one. */
function player(
	nickname: string,
	score: number,
	correctAnswerMs = 0,
	joinOrder = joined++
): Player {
	return {
		id: `id-${nickname}`,
		nickname,
		joinOrder,
		connected: true,
		score,
		streak: 0,
		correctAnswerMs,
		rank: null,
		previousRank: null,
		firstQuestion: 0,
		rttMs: 0,
		device: null,
		lastResult: null
	};
}

const nicknames = (ids: string[]) => ids.map((id) => id.replace('id-', ''));

describe('comparing two standings', () => {
	it('puts the higher score first', () => {
		const ana = player('Ana', 1800);
		const ben = player('Ben', 2400);
		expect(compareStanding(ben, ana)).toBeLessThan(0);
		expect(compareStanding(ana, ben)).toBeGreaterThan(0);
	});

	it('breaks a tie on score by less time spent on correct answers', () => {
		const slow = player('Slow', 1500, 9_000, 0);
		const quick = player('Quick', 1500, 4_000, 1);
		expect(compareStanding(quick, slow)).toBeLessThan(0);
	});

	it('breaks a tie on score and time by join order', () => {
		const first = player('First', 1500, 4_000, 0);
		const second = player('Second', 1500, 4_000, 1);
		expect(compareStanding(first, second)).toBeLessThan(0);
		expect(compareStanding(second, first)).toBeGreaterThan(0);
	});
});

describe('ranking every player', () => {
	it('gives ranks 1, 2, 3… best first and returns the ids in that order', () => {
		const players = [player('Ana', 500), player('Ben', 2000), player('Cy', 1200)];
		const ranking = rankPlayers(players);
		expect(nicknames(ranking)).toEqual(['Ben', 'Cy', 'Ana']);
		expect(players.map((p) => [p.nickname, p.rank])).toEqual([
			['Ana', 3],
			['Ben', 1],
			['Cy', 2]
		]);
	});

	it('never shares a rank: equal scores rank by time on correct answers, then join order', () => {
		const ana = player('Ana', 1000, 3_000, 0);
		const ben = player('Ben', 1000, 2_000, 1);
		const cy = player('Cy', 1000, 2_000, 2);
		const dee = player('Dee', 0, 0, 3);
		const ranking = rankPlayers([dee, cy, ana, ben]);
		expect(nicknames(ranking)).toEqual(['Ben', 'Cy', 'Ana', 'Dee']);
		expect([ben.rank, cy.rank, ana.rank, dee.rank]).toEqual([1, 2, 3, 4]);
	});

	it('is the same whatever order the players come in', () => {
		const make = () => [
			player('Ana', 900, 5_000, 0),
			player('Ben', 900, 5_000, 1),
			player('Cy', 900, 4_000, 2),
			player('Dee', 1700, 9_000, 3),
			player('Eve', 0, 0, 4)
		];
		const expected = ['Dee', 'Cy', 'Ana', 'Ben', 'Eve'];
		const players = make();
		expect(nicknames(rankPlayers(players))).toEqual(expected);
		expect(nicknames(rankPlayers([...make()].reverse()))).toEqual(expected);
		expect(
			nicknames(rankPlayers([players[3]!, players[1]!, players[4]!, players[0]!, players[2]!]))
		).toEqual(expected);
	});

	it('remembers the rank before, for the "↑2" on the scoreboard', () => {
		const ana = player('Ana', 1000);
		const ben = player('Ben', 500);
		rankPlayers([ana, ben]);
		expect([ana.previousRank, ben.previousRank]).toEqual([null, null]);
		ben.score = 2000;
		rankPlayers([ana, ben]);
		expect([ana.rank, ana.previousRank]).toEqual([2, 1]);
		expect([ben.rank, ben.previousRank]).toEqual([1, 2]);
	});

	it('ranks an empty game as nobody', () => {
		expect(rankPlayers([])).toEqual([]);
	});
});
