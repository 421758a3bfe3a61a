import { MAX_NICKNAME, MAX_NICKNAME_UNITS } from '../protocol/messages.ts';

export type NicknameRefusal =
	| 'nickname-empty'
	| 'nickname-too-long'
	| 'nickname-invisible'
	| 'nickname-bad-characters'
	| 'nickname-stacked-marks'
	| 'nickname-reserved';

export type NicknameCheck =
	{ ok: true; nickname: string } | { ok: false; code: NicknameRefusal; message: string };

/**
 * Most combining marks in a row on one letter. Pointed Hebrew (shin + dagesh + dot + vowel)
 * and Thai (consonant + vowel + tone) need up to three; "zalgo" text stacks dozens.
 */
export const MAX_MARKS_IN_A_ROW = 3;

/** Spaces a keyboard or a paste may bring in: trimmed, and collapsed to one inside. */
const SPACES = /[\t\n\v\f\r\p{Zs}]+/gu;

/**
 * Never shown, or never meant for a name: controls, line and paragraph separators,
 * private-use, unassigned and lone surrogate code points.
 */
const UNSHOWABLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;

/**
 * Draw nothing: format characters (zero-width spaces, bidi overrides, soft hyphens, tags…),
 * default-ignorables (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, U+180E…) and
 * letters and symbols that look like a blank (braille blank U+2800, U+1D159 null notehead).
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]/u;

/** Joiners shape emoji (👨‍👩‍👧) and Indic and Persian writing: fine between two characters. */
const JOINERS = new Set(['\u200C', '\u200D']);
/** Emoji vs text presentation (❤️) and other standard variants of the character before. */
const VARIATION_SELECTOR = /^\p{Variation_Selector}$/u;
/** A black flag followed by tag characters is a subdivision flag: 🏴󠁧󠁢󠁳󠁣󠁴󠁿. */
const BLACK_FLAG = '\u{1F3F4}';
const TAG = /^[\u{E0020}-\u{E007F}]$/u;

const MARK = /^\p{M}$/u;

const REFUSALS = {
	'nickname-empty': 'Pick a nickname',
	'nickname-too-long': `Nicknames are at most ${MAX_NICKNAME} characters`,
	'nickname-invisible': 'Use a nickname people can see: no invisible or blank characters',
	'nickname-bad-characters': 'Nicknames can only use letters, numbers, punctuation and emoji',
	'nickname-stacked-marks': 'Too many accents stacked on one letter',
	'nickname-reserved': 'That name is reserved for the host: pick another'
} as const satisfies Record<NicknameRefusal, string>;

function refuse(code: NicknameRefusal): NicknameCheck {
	return { ok: false, code, message: REFUSALS[code] };
}

/**
 * Trims and collapses inner whitespace; refuses names with characters nobody can see or that
 * break the screen; counts characters as people see them, not UTF-16 units.
 */
export function normalizeNickname(raw: string): NicknameCheck {
	// Too long for any name the rule allows: refused before the work of reading it.
	if (raw.length > MAX_NICKNAME_UNITS) return refuse('nickname-too-long');
	const nickname = raw.normalize('NFC').replace(SPACES, ' ').trim();
	if (nickname.length === 0) return refuse('nickname-empty');
	const problem = characterProblem(nickname);
	if (problem) return refuse(problem);
	if (characterCount(nickname) > MAX_NICKNAME) return refuse('nickname-too-long');
	if (isStaffName(nickname)) return refuse('nickname-reserved');
	return { ok: true, nickname };
}

/**
 * Names a player could use to pose as the people running this game: its host, Quizroom's
 * admins, Quizroom itself. Not every word of authority: "Teacher", "Mod", "Server" or "System"
 * are real players' nicknames (and what a screen shows of the host is never a nickname), and
 * refusing them would turn away more players than impostors.
 */
const STAFF_NAMES: ReadonlySet<string> = new Set([
	'host',
	'thehost',
	'quizhost',
	'gamehost',
	'cohost',
	'admin',
	'theadmin',
	'administrator',
	'moderator',
	'quizroom',
	'quizmaster'
]);

/** Digits and signs written for letters: "H0st", "Adm1n", "@dmin", "Ho$t". */
const LEET: Readonly<Record<string, string>> = {
	'0': 'o',
	'1': 'i',
	'3': 'e',
	'4': 'a',
	'5': 's',
	'7': 't',
	'@': 'a',
	$: 's',
	'!': 'i',
	'|': 'i',
	'+': 't'
};

/**
 * Read by its letters as nicknames are compared ("ADMIN", "the_host", "Ηost" with a Greek Η),
 * with a number after it left off ("Host 2"), digits and signs inside it read as letters
 * ("H0st", "Adm1n"), and one of them several times over ("Hosts", "Admins").
 */
function isStaffName(nickname: string): boolean {
	const key = nicknameKey(nickname);
	const lettersOnly = key.replace(/[^\p{L}]/gu, '');
	// Signs and digits at the ends are decoration or a number ("Host!", "Admin 2", "H0st 1");
	// inside the name they stand for letters.
	const core = key.replace(/^[^\p{L}\d@$|]+|[^\p{L}]+$/gu, '');
	const asLetters = (text: string) =>
		[...text]
			.map((c) => LEET[c] ?? c)
			.join('')
			.replace(/[^\p{L}]/gu, '');
	// The whole key too: a digit at the end may be a letter ("Hos7").
	return [lettersOnly, asLetters(core), asLetters(key)].some(
		(name) => STAFF_NAMES.has(name) || (name.endsWith('s') && STAFF_NAMES.has(name.slice(0, -1)))
	);
}

/**
 * What in this text nobody could see or read as a name, if anything (a nickname's rules, used
 * for account names too): unshowable or invisible characters (joiners only inside emoji and
 * words), accents stacked past `MAX_MARKS_IN_A_ROW`. Text already NFC and trimmed.
 */
export function characterProblem(nickname: string): NicknameRefusal | null {
	const points = [...nickname];
	const isJoinable = (point: string | undefined) =>
		point !== undefined && point !== ' ' && !JOINERS.has(point);
	let visible = false;
	let marks = 0;
	let inFlag = false;
	for (const [i, point] of points.entries()) {
		if (UNSHOWABLE.test(point)) return 'nickname-bad-characters';
		marks = MARK.test(point) ? marks + 1 : 0;
		if (marks > MAX_MARKS_IN_A_ROW) return 'nickname-stacked-marks';
		if (!TAG.test(point)) inFlag = point === BLACK_FLAG;
		if (INVISIBLE.test(point)) {
			const allowed =
				(JOINERS.has(point) && isJoinable(points[i - 1]) && isJoinable(points[i + 1])) ||
				(VARIATION_SELECTOR.test(point) && isJoinable(points[i - 1])) ||
				(inFlag && TAG.test(point));
			if (!allowed) return 'nickname-invisible';
		} else if (!MARK.test(point) && point !== ' ') {
			visible = true;
		}
	}
	return visible ? null : 'nickname-invisible';
}

/**
 * Letters whose combining marks are accents people leave out ("Zoë", "Zoe"). In other scripts
 * (Devanagari, Thai, Bengali…) marks are vowels: राम and रमा are different names.
 */
const ACCENTED =
	/([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hebrew}])\p{M}+/gu;

/**
 * Cyrillic and Greek letters that look like Latin ones in either case (the lowercase form is
 * mapped: Н is H, so н is h too, or "НИНА" and "Нина" would stop colliding).
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
	а: 'a',
	в: 'b',
	е: 'e',
	к: 'k',
	м: 'm',
	н: 'h',
	о: 'o',
	р: 'p',
	с: 'c',
	т: 't',
	у: 'y',
	х: 'x',
	і: 'i',
	ј: 'j',
	ѕ: 's',
	ԁ: 'd',
	ԛ: 'q',
	ԝ: 'w',
	ӏ: 'l',
	α: 'a',
	β: 'b',
	ε: 'e',
	ζ: 'z',
	η: 'h',
	ι: 'i',
	κ: 'k',
	μ: 'm',
	ν: 'n',
	ο: 'o',
	ρ: 'p',
	τ: 't',
	υ: 'y',
	χ: 'x'
};
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu');

/**
 * Two nicknames that collide under this key would confuse the room: "Maya" and "maya", "Zoë"
 * and "ZOE", fullwidth "Ｍａｙａ" and "Maya", "Аlice" with a Cyrillic А and "Alice".
 * Compatibility forms folded (NFKD), case folded ("ß" is "ss"), accents and invisible joiners
 * or variation selectors dropped, lookalike letters of other scripts read as Latin.
 */
export function nicknameKey(nickname: string): string {
	return nickname
		.normalize('NFKD')
		.toLocaleUpperCase('en')
		.toLocaleLowerCase('en')
		.normalize('NFKD')
		.replace(/\p{Default_Ignorable_Code_Point}/gu, '')
		.replace(ACCENTED, '$1')
		.replace(LOOKALIKE, (letter) => LOOKALIKES[letter]!);
}

/**
 * The host looking for a name in a full lobby: "zoe" finds "Zoë" and "ZOE 2", the way the
 * nickname check would call them the same. Spaces around the query do not count. The query is
 * read once, then held against each name.
 */
export function nicknameMatcher(query: string): (nickname: string) => boolean {
	const key = nicknameKey(query.trim());
	return (nickname) => nicknameKey(nickname).includes(key);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Characters as people see them: a flag or a family emoji is one. */
export function characterCount(text: string): number {
	return [...graphemes.segment(text)].length;
}
