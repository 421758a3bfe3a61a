/**
 * "Friendly generated nicknames": with the game option on, every player gets a two-word name
 * ("Brave Otter") instead of typing one, so nobody can type anything unkind on the big screen.
 *
 * Curated word lists rather than a name-generator library: in a classroom every word must be
 * safe for children, and a library's long lists (and its updates) would need reviewing word
 * by word. Only kind adjectives, only animals nobody uses as an insult. Every pair fits in 20
 * characters and passes the nickname rules and the profanity filter (unit tested).
 *
 * Pure: the name comes from the game's seed and the player's join order, so the rules stay
 * deterministic and the tests can name their players.
 */
import { seededRandom } from './questions.ts';

export const ADJECTIVES = [
	'Brave',
	'Bright',
	'Bouncy',
	'Breezy',
	'Bubbly',
	'Calm',
	'Cheerful',
	'Clever',
	'Cosmic',
	'Cozy',
	'Curious',
	'Daring',
	'Dazzling',
	'Dreamy',
	'Eager',
	'Fearless',
	'Fluffy',
	'Friendly',
	'Fuzzy',
	'Gentle',
	'Giggly',
	'Glowing',
	'Golden',
	'Happy',
	'Helpful',
	'Honest',
	'Jolly',
	'Joyful',
	'Kind',
	'Lively',
	'Lucky',
	'Magic',
	'Mellow',
	'Merry',
	'Mighty',
	'Nimble',
	'Noble',
	'Peppy',
	'Playful',
	'Plucky',
	'Polite',
	'Quick',
	'Quiet',
	'Radiant',
	'Rapid',
	'Shiny',
	'Silly',
	'Sleepy',
	'Smart',
	'Snappy',
	'Sparkly',
	'Speedy',
	'Sunny',
	'Super',
	'Swift',
	'Tidy',
	'Witty',
	'Zappy',
	'Zesty',
	'Zippy'
] as const;

export const ANIMALS = [
	'Alpaca',
	'Badger',
	'Bear',
	'Bee',
	'Bison',
	'Bunny',
	'Camel',
	'Cheetah',
	'Chipmunk',
	'Crab',
	'Crane',
	'Deer',
	'Dolphin',
	'Duck',
	'Eagle',
	'Falcon',
	'Ferret',
	'Finch',
	'Flamingo',
	'Fox',
	'Frog',
	'Gecko',
	'Giraffe',
	'Goose',
	'Hamster',
	'Hedgehog',
	'Heron',
	'Hippo',
	'Koala',
	'Lemur',
	'Lion',
	'Llama',
	'Lynx',
	'Meerkat',
	'Moose',
	'Narwhal',
	'Newt',
	'Octopus',
	'Orca',
	'Otter',
	'Owl',
	'Panda',
	'Parrot',
	'Penguin',
	'Pony',
	'Puffin',
	'Quokka',
	'Rabbit',
	'Raccoon',
	'Robin',
	'Seal',
	'Sloth',
	'Squirrel',
	'Swan',
	'Tiger',
	'Toucan',
	'Turtle',
	'Walrus',
	'Wombat',
	'Zebra'
] as const;

/** Random pairs tried before walking every pair in turn (a nearly full room). */
const RANDOM_TRIES = 20;

/**
 * The generated name of the player who joins `joinOrder`-th into the game seeded `seed`:
 * an adjective and an animal, not `taken` yet. Past 3,600 players the animals get numbers.
 */
export function friendlyName(
	seed: number,
	joinOrder: number,
	taken: (nickname: string) => boolean
): string {
	const random = seededRandom((seed ^ Math.imul(joinOrder + 1, 0x9e3779b1)) >>> 0);
	const pick = <T>(words: readonly T[]) => words[Math.floor(random() * words.length)]!;
	for (let attempt = 0; attempt < RANDOM_TRIES; attempt++) {
		const name = `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
		if (!taken(name)) return name;
	}
	const pairs = ADJECTIVES.length * ANIMALS.length;
	const start = Math.floor(random() * pairs);
	for (let i = 0; i < pairs; i++) {
		const pair = (start + i) % pairs;
		const name = `${ADJECTIVES[pair % ADJECTIVES.length]} ${ANIMALS[Math.floor(pair / ADJECTIVES.length)]}`;
		if (!taken(name)) return name;
	}
	for (let number = joinOrder + 1; ; number++) {
		const name = `${pick(ANIMALS)} ${number}`;
		if (!taken(name)) return name;
	}
}
