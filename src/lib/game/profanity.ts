/**
 * Rude nicknames, caught with `obscenity`'s English word list and its recommended transformers
 * (leetspeak, look-alike letters, repeated letters: "fuuuck", "sh1t", "ｆｕｃｋ").
 *
 * Server only: the rules run in the room, never in a browser. Nothing under `src/lib/client`,
 * `src/lib/components` or a `.svelte` file may import this module (the word list and its
 * matcher would land in the phone's bundle).
 *
 * A filter is a heuristic: a false alarm on a real name hurts more than a rude name slipping
 * through (the host can remove a player with one click, and can turn the filter off), so
 * names that only contain a listed word are whitelisted below.
 */
import {
	DataSet,
	RegExpMatcher,
	englishDataset,
	englishRecommendedTransformers,
	pattern
} from 'obscenity';

/**
 * Hate names the English list (swear words) leaves out, whole words where a real name contains
 * them ("Nazia" is a name; "Nazi" is not).
 */
const HATE = [pattern`hitler`, pattern`|nazi|`, pattern`|nazis|`, pattern`|heil|`];

/**
 * Real first names and surnames the English word list would refuse. A standalone rude word
 * stays refused: "Dick" on its own, "Kike", "Semen" (also names, but in a classroom far more
 * often the insult).
 */
export const NAME_WHITELIST = [
	// Chinese surname Fu; Japanese Fukuda, Fukui, Fukushima…
	'fu',
	'fuku',
	'dickinson',
	'dickson',
	'dickerson',
	'cumming',
	'fagan',
	'fagin',
	'semenya',
	'semenov',
	'analia',
	'analise',
	'analisa',
	'annalise',
	'annalisa',
	'wankhede',
	'pissarro',
	'shittu',
	'dikshit',
	// Towns, the classic false alarms.
	'penistone'
];

let matcher: RegExpMatcher | null = null;

function rudeWords(): RegExpMatcher {
	matcher ??= new RegExpMatcher({
		...new DataSet<{ originalWord?: string }>()
			.addAll(englishDataset)
			.addPhrase((phrase) => {
				for (const name of NAME_WHITELIST) phrase.addWhitelistedTerm(name);
				return phrase;
			})
			.addPhrase((phrase) => {
				for (const hate of HATE) phrase.addPattern(hate);
				return phrase;
			})
			.build(),
		...englishRecommendedTransformers
	});
	return matcher;
}

/**
 * Single letters with dots, spaces or dashes between them ("f.u.c.k", "s h i t") read as one
 * word. Only single letters: joining whole words would find "penis" in "Pen Is".
 */
const SPELLED_OUT =
	/(?<![\p{L}\p{N}])(?:[\p{L}\p{N}$@!][\s._*+~-]+){2,}[\p{L}\p{N}$@!](?![\p{L}\p{N}])/gu;

/** The nickname contains a rude word (in any spelling the filter sees through). */
export function isRude(nickname: string): boolean {
	const spelledOut = nickname.replace(SPELLED_OUT, (letters) =>
		letters.replace(/[\s._*+~-]+/g, '')
	);
	return (
		rudeWords().hasMatch(nickname) || (spelledOut !== nickname && rudeWords().hasMatch(spelledOut))
	);
}
