/**
 * A game's state as plain JSON, so a restarted server can pick the game up where it stopped:
 * written at every phase boundary, with the answers of the open question logged one by one in
 * between (see the room's persistence), and put back together here.
 */
import { nicknameKey } from './nickname.ts';
import type { Answer, GameState, Player, Round } from './state.ts';

export interface RoundSnapshot extends Omit<Round, 'answers'> {
	answers: [playerId: string, answer: Answer][];
}

export interface GameSnapshot extends Omit<
	GameState,
	'players' | 'nicknames' | 'round' | 'locked' | 'banned' | 'standingsVersion' | 'pausedAt'
> {
	/** In join order. */
	players: Player[];
	round: RoundSnapshot | null;
	/** Absent in snapshots written before lobby locks and bans existed. */
	locked?: boolean;
	banned?: string[];
	/** Absent in snapshots written before the players were stored apart. */
	standingsVersion?: number;
	/** Absent in snapshots written before the host could pause. */
	pausedAt?: number | null;
}

export function toSnapshot(state: GameState): GameSnapshot {
	const { players, nicknames: _nicknames, round, banned, ...rest } = state;
	return {
		...rest,
		banned: [...banned],
		players: [...players.values()],
		round: round ? { ...round, answers: [...round.answers] } : null
	};
}

/** A player who joined after the last snapshot: what the join itself recorded. */
export interface JoinedPlayer {
	id: string;
	nickname: string;
	joinOrder: number;
	firstQuestion: number;
	/** Absent for players stored before devices were kept. */
	device?: string | null;
}

export interface Restore {
	snapshot: GameSnapshot;
	/** Everyone still in the game (kicked players are gone), with their join details. */
	roster: JoinedPlayer[];
	/** Answers to the current question accepted after the snapshot was written. */
	laterAnswers: [playerId: string, answer: Answer][];
}

/**
 * The state as it was when the server stopped: the last snapshot, plus players who joined and
 * answers accepted since, minus players removed since. Everyone starts disconnected: their
 * sockets died with the old process, and they count again as they reconnect.
 */
export function fromSnapshot({ snapshot, roster, laterAnswers }: Restore): GameState {
	const known = new Map(snapshot.players.map((player) => [player.id, player]));
	const players = new Map<string, Player>();
	for (const joined of [...roster].sort((a, b) => a.joinOrder - b.joinOrder)) {
		const player = known.get(joined.id) ?? newcomer(joined);
		players.set(joined.id, { ...player, device: joined.device ?? null, connected: false });
	}
	const state: GameState = {
		...snapshot,
		locked: snapshot.locked ?? false,
		banned: new Set(snapshot.banned ?? []),
		standingsVersion: snapshot.standingsVersion ?? 0,
		pausedAt: snapshot.pausedAt ?? null,
		players,
		nicknames: new Set([...players.values()].map((player) => nicknameKey(player.nickname))),
		ranking: snapshot.ranking.filter((id) => players.has(id)),
		nextJoinOrder: Math.max(snapshot.nextJoinOrder, ...roster.map((p) => p.joinOrder + 1)),
		round: snapshot.round ? restoreRound(snapshot.round, players, laterAnswers) : null
	};
	for (const id of players.keys()) if (!state.ranking.includes(id)) state.ranking.push(id);
	return state;
}

function restoreRound(
	snapshot: RoundSnapshot,
	players: Map<string, Player>,
	laterAnswers: [string, Answer][]
): Round {
	const answers = new Map(snapshot.answers.filter(([id]) => players.has(id)));
	const distribution = [...snapshot.distribution];
	for (const [playerId, answer] of laterAnswers) {
		if (answers.has(playerId) || !players.has(playerId)) continue;
		answers.set(playerId, answer);
		const { given } = answer;
		if (given.kind === 'choice') distribution[given.index]!++;
		if (given.kind === 'choices') for (const index of given.indexes) distribution[index]!++;
	}
	// Nobody is connected yet: nobody is waited for until they are back.
	return { ...snapshot, answers, distribution, waitingFor: 0 };
}

function newcomer(joined: JoinedPlayer): Player {
	return {
		...joined,
		device: joined.device ?? null,
		connected: false,
		score: 0,
		streak: 0,
		correctAnswerMs: 0,
		rank: null,
		previousRank: null,
		rttMs: 0,
		lastResult: null
	};
}
