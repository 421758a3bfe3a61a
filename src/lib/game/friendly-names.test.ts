import { describe, expect, it } from 'vitest';
import { DEFAULT_GAME_OPTIONS, MAX_NICKNAME, type GameOptions } from '../protocol/messages.ts';
import { ADJECTIVES, ANIMALS, friendlyName } from './friendly-names.ts';
import { characterCount, nicknameKey, normalizeNickname } from './nickname.ts';
import { isRude } from './profanity.ts';
import { apply, type Effect } from './rules.ts';
import { fromSnapshot, toSnapshot } from './snapshot.ts';
import { createGameState, type GameState } from './state.ts';

function lobby(options: Partial<GameOptions> = {}, seed = 7, maxPlayers = 100): GameState {
	return createGameState({
		quiz: { version: 1, id: 'q', title: 'Q', description: '', questions: [] },
		options: { ...DEFAULT_GAME_OPTIONS, friendlyNames: true, ...options },
		maxPlayers,
		seed
	});
}

/** A player joins having typed `typed`; returns the name the game gave them. */
function joinAs(state: GameState, playerId: string, typed = ''): string {
	const outcome = apply(state, { type: 'join', playerId, nickname: typed }, 0);
	expect(outcome.error).toBeUndefined();
	return state.players.get(playerId)!.nickname;
}

const TWO_WORDS = /^[A-Z][a-z]+ [A-Z][a-z]+$/;

describe('the friendly name word lists', () => {
	it('have about 60 adjectives and 60 animals, none twice', () => {
		expect(ADJECTIVES.length).toBe(60);
		expect(ANIMALS.length).toBe(60);
		expect(new Set(ADJECTIVES).size).toBe(ADJECTIVES.length);
		expect(new Set(ANIMALS).size).toBe(ANIMALS.length);
	});

	it('make names that fit, pass the nickname rules and the profanity filter, every pair', () => {
		for (const adjective of ADJECTIVES) {
			for (const animal of ANIMALS) {
				const name = `${adjective} ${animal}`;
				expect(name).toMatch(TWO_WORDS);
				expect(characterCount(name)).toBeLessThanOrEqual(MAX_NICKNAME);
				expect(normalizeNickname(name)).toEqual({ ok: true, nickname: name });
				if (isRude(name)) expect.fail(`"${name}" trips the profanity filter`);
			}
		}
	});
});

describe('friendlyName', () => {
	it('is the same for the same game and join order', () => {
		const never = () => false;
		expect(friendlyName(42, 3, never)).toBe(friendlyName(42, 3, never));
		expect(friendlyName(42, 3, never)).toMatch(TWO_WORDS);
	});

	it('varies with the join order and from game to game', () => {
		const never = () => false;
		const inOneGame = new Set(
			Array.from({ length: 20 }, (_, order) => friendlyName(1, order, never))
		);
		const firstOfEachGame = new Set(
			Array.from({ length: 20 }, (_, seed) => friendlyName(seed, 0, never))
		);
		expect(inOneGame.size).toBeGreaterThan(15);
		expect(firstOfEachGame.size).toBeGreaterThan(15);
	});

	it('tries again while the name is taken', () => {
		const first = friendlyName(5, 0, () => false);
		const second = friendlyName(5, 0, (name) => name === first);
		expect(second).not.toBe(first);
		expect(second).toMatch(TWO_WORDS);
	});

	it('finds the last free pair in a nearly full room', () => {
		const last = `${ADJECTIVES[17]} ${ANIMALS[42]}`;
		expect(friendlyName(9, 3598, (name) => name !== last)).toBe(last);
	});

	it('numbers the animals once every pair is taken', () => {
		const pairs = new Set(ADJECTIVES.flatMap((a) => ANIMALS.map((b) => `${a} ${b}`)));
		const name = friendlyName(9, 3600, (taken) => pairs.has(taken));
		expect(name).toMatch(/^[A-Z][a-z]+ 3601$/);
		expect(characterCount(name)).toBeLessThanOrEqual(MAX_NICKNAME);
	});
});

describe('joining a game with friendly names', () => {
	it('is off by default', () => {
		expect(DEFAULT_GAME_OPTIONS.friendlyNames).toBe(false);
	});

	it('gives each player a two-word name, whatever they typed (or if they typed nothing)', () => {
		const state = lobby();
		const names = [
			joinAs(state, 'p1'),
			joinAs(state, 'p2', 'Maya'),
			joinAs(state, 'p3', 'Sh1thead'),
			joinAs(state, 'p4', '\u3164')
		];
		for (const name of names) expect(name).toMatch(TWO_WORDS);
		expect(names).not.toContain('Maya');
	});

	it('tells the host the generated name', () => {
		const state = lobby();
		const outcome = apply(state, { type: 'join', playerId: 'p1', nickname: '' }, 0);
		const joined = outcome.effects.find(
			(effect): effect is Extract<Effect, { kind: 'send' }> =>
				effect.kind === 'send' && effect.message.type === 'player-joined'
		);
		expect(joined?.message).toMatchObject({
			player: { id: 'p1', nickname: state.players.get('p1')!.nickname }
		});
	});

	it('never gives two players in a room the same name', () => {
		const state = lobby({}, 3, 1000);
		const names = Array.from({ length: 1000 }, (_, i) => joinAs(state, `p${i}`));
		expect(new Set(names.map(nicknameKey)).size).toBe(1000);
		for (const name of names) expect(name).toMatch(TWO_WORDS);
	});

	it('gives the same names in the same game seed and join order (the rules stay pure)', () => {
		const a = lobby({}, 11);
		const b = lobby({}, 11);
		const namesOf = (state: GameState) => ['x', 'y', 'z'].map((id) => joinAs(state, id));
		expect(namesOf(a)).toEqual(namesOf(b));
		expect(namesOf(lobby({}, 12))).not.toEqual(namesOf(lobby({}, 11)));
	});

	it('gives a new name to someone joining after a player was removed', () => {
		const state = lobby();
		const first = joinAs(state, 'p1');
		apply(state, { type: 'kick', playerId: 'p1' }, 0);
		expect(joinAs(state, 'p2')).toMatch(TWO_WORDS);
		expect(state.players.has('p1')).toBe(false);
		expect(first).toMatch(TWO_WORDS);
	});

	it('keeps names unique after a restart', () => {
		const state = lobby({}, 5);
		const before = ['a', 'b', 'c'].map((id) => joinAs(state, id));
		const restored = fromSnapshot({
			snapshot: JSON.parse(JSON.stringify(toSnapshot(state))),
			roster: [...state.players.values()],
			laterAnswers: []
		});
		const after = ['d', 'e', 'f'].map((id) => joinAs(restored, id));
		expect(new Set([...before, ...after]).size).toBe(6);
	});

	it('still refuses players when the game is full', () => {
		const state = lobby({}, 1, 1);
		joinAs(state, 'p1');
		const outcome = apply(state, { type: 'join', playerId: 'p2', nickname: '' }, 0);
		expect(outcome.error?.code).toBe('game-full');
	});
});
