import { describe, expect, it } from 'vitest';
import { MAX_NICKNAME } from '../protocol/messages.ts';
import { DEFAULT_GAME_OPTIONS } from '../protocol/messages.ts';
import { MAX_MARKS_IN_A_ROW, nicknameKey, nicknameMatcher, normalizeNickname } from './nickname.ts';
import { apply } from './rules.ts';
import { fromSnapshot, toSnapshot } from './snapshot.ts';
import { createGameState } from './state.ts';

/** The nickname a player ends up with, or the refusal's code. */
function nicknameFor(raw: string): string {
	const checked = normalizeNickname(raw);
	return checked.ok ? checked.nickname : checked.code;
}

describe('a nickname as typed on a phone', () => {
	it('is trimmed', () => {
		expect(nicknameFor('  Maya  ')).toBe('Maya');
		expect(nicknameFor('\tMaya\n')).toBe('Maya');
	});

	it('has inner runs of spaces collapsed to one', () => {
		expect(nicknameFor('Quiz   \t Wizard')).toBe('Quiz Wizard');
	});

	it('is refused when empty or only spaces', () => {
		expect(nicknameFor('')).toBe('nickname-empty');
		expect(nicknameFor('    ')).toBe('nickname-empty');
		expect(nicknameFor('\n\t ')).toBe('nickname-empty');
	});

	it('may be 20 characters long', () => {
		expect(MAX_NICKNAME).toBe(20);
		expect(nicknameFor('a'.repeat(20))).toBe('a'.repeat(20));
	});

	it('is refused at 21 characters', () => {
		expect(nicknameFor('a'.repeat(21))).toBe('nickname-too-long');
	});

	it('is measured after trimming', () => {
		expect(nicknameFor(`   ${'a'.repeat(20)}   `)).toBe('a'.repeat(20));
	});

	it('counts an emoji as one character, not two UTF-16 units', () => {
		expect(nicknameFor('🦊'.repeat(20))).toBe('🦊'.repeat(20));
		expect(nicknameFor('🦊'.repeat(21))).toBe('nickname-too-long');
	});

	it('counts an accented letter typed as letter + accent as one character', () => {
		const decomposed = 'e\u0301'.repeat(20);
		expect(nicknameFor(decomposed)).toBe('é'.repeat(20));
	});

	it('counts an emoji made of several code points as one character', () => {
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
		expect(nicknameFor(family.repeat(20))).toBe(family.repeat(20));
		expect(normalizeNickname(family.repeat(21)).ok).toBe(false);
	});

	it('explains a refusal in words a player understands', () => {
		const empty = normalizeNickname(' ');
		const long = normalizeNickname('x'.repeat(30));
		expect(empty.ok || empty.message).toBe('Pick a nickname');
		expect(long.ok || long.message).toContain('20');
	});
});

describe('two nicknames that collide', () => {
	it('differ only in case', () => {
		expect(nicknameKey('Maya')).toBe(nicknameKey('maya'));
		expect(nicknameKey('MAYA')).toBe(nicknameKey('maya'));
	});

	it('differ only in how an accent was typed', () => {
		expect(nicknameKey('Ren\u00e9')).toBe(nicknameKey('Rene\u0301'));
		expect(nicknameKey('RENÉ')).toBe(nicknameKey('rené'));
	});

	it('do not include different names', () => {
		expect(nicknameKey('Maya')).not.toBe(nicknameKey('Maia'));
		expect(nicknameKey('Rene')).not.toBe(nicknameKey('Renée'));
	});

	it('differ only in accents', () => {
		expect(nicknameKey('Rene')).toBe(nicknameKey('René'));
		expect(nicknameKey('Zoë')).toBe(nicknameKey('zoe'));
		expect(nicknameKey('ZOE')).toBe(nicknameKey('Zoë'));
		expect(nicknameKey('Zoe\u0308')).toBe(nicknameKey('zoe'));
		expect(nicknameKey('Müller')).toBe(nicknameKey('MULLER'));
		expect(nicknameKey('Ångström')).toBe(nicknameKey('angstrom'));
		expect(nicknameKey('İpek')).toBe(nicknameKey('ipek'));
	});

	it('look the same in another script: a Cyrillic or Greek letter in a Latin name', () => {
		expect(nicknameKey('\u0410lice')).toBe(nicknameKey('Alice')); // Cyrillic А
		expect(nicknameKey('M\u0430y\u0430')).toBe(nicknameKey('Maya')); // Cyrillic а
		expect(nicknameKey('\u039a\u0399\u039c')).toBe(nicknameKey('kim')); // Greek ΚΙΜ
	});

	it('still tell Cyrillic names apart, whatever their case', () => {
		expect(nicknameKey('НИНА')).toBe(nicknameKey('Нина'));
		expect(nicknameKey('Нина')).not.toBe(nicknameKey('Анна'));
		expect(nicknameKey('Саша')).not.toBe(nicknameKey('Маша'));
	});

	it('differ only in width or a fancy font (compatibility forms)', () => {
		expect(nicknameKey('Ｍａｙａ')).toBe(nicknameKey('Maya'));
		expect(nicknameKey('𝐌𝐚𝐲𝐚')).toBe(nicknameKey('maya'));
		expect(nicknameKey('Ⓜaya')).toBe(nicknameKey('maya'));
	});

	it('differ in case the way only some languages have it', () => {
		expect(nicknameKey('Straße')).toBe(nicknameKey('STRASSE'));
		expect(nicknameKey('ΟΔΥΣΣΕΥΣ')).toBe(nicknameKey('οδυσσευς'));
	});

	it('differ only in invisible joiners or emoji variation selectors', () => {
		expect(nicknameKey('Ma\u200Dya')).toBe(nicknameKey('Maya'));
		expect(nicknameKey('❤\uFE0F')).toBe(nicknameKey('❤'));
	});

	it('keep vowel signs of scripts where they are letters: राम and रमा are two names', () => {
		expect(nicknameKey('राम')).not.toBe(nicknameKey('रमा'));
		expect(nicknameKey('กิม')).not.toBe(nicknameKey('กม'));
	});
});

describe('a nickname nobody could see or read', () => {
	it('is refused when it is only invisible or blank-looking characters', () => {
		const blanks = [
			'\u200B', // zero-width space
			'\u200B\u200B\u200B',
			'\u2060', // word joiner
			'\u3164', // Hangul filler
			'\u115F\u1160', // Hangul choseong and jungseong fillers
			'\uFFA0', // halfwidth Hangul filler
			'\u2800', // braille blank
			'\u180E', // Mongolian vowel separator
			'\u{1D159}', // musical null notehead
			'\u00AD', // soft hyphen
			'\u200D', // a lone joiner
			'\u0301' // a lone accent
		];
		for (const blank of blanks) {
			expect(nicknameFor(blank), JSON.stringify(blank)).toBe('nickname-invisible');
			expect(nicknameFor(` ${blank} `), JSON.stringify(blank)).toBe('nickname-invisible');
		}
	});

	it('is refused when invisible characters hide inside or around a name', () => {
		for (const hidden of ['Ma\u200Bya', 'Maya\u2060', '\u3164Maya', 'Ma\u00ADya', 'Maya\u2800']) {
			expect(nicknameFor(hidden), JSON.stringify(hidden)).toBe('nickname-invisible');
		}
	});

	it('is refused with text direction overrides and other format characters', () => {
		expect(nicknameFor('\u202Eayam')).toBe('nickname-invisible');
		expect(nicknameFor('Maya\u2066x\u2069')).toBe('nickname-invisible');
		expect(nicknameFor('Ma\u{E0041}ya')).toBe('nickname-invisible');
	});

	it('is refused with control characters, line or paragraph separators', () => {
		for (const bad of ['Ma\u0000ya', 'Maya\u0007', 'Ma\u001Bya', 'Ma\u007Fya', 'Ma\u0085ya']) {
			expect(nicknameFor(bad), JSON.stringify(bad)).toBe('nickname-bad-characters');
		}
		expect(nicknameFor('Maya\u2028Ben')).toBe('nickname-bad-characters');
		expect(nicknameFor('Maya\u2029Ben')).toBe('nickname-bad-characters');
	});

	it('is refused with private-use or unassigned characters', () => {
		expect(nicknameFor('Maya\uE000')).toBe('nickname-bad-characters');
		expect(nicknameFor('\u{F0000}')).toBe('nickname-bad-characters');
		expect(nicknameFor('Ma\u0378ya')).toBe('nickname-bad-characters');
		expect(nicknameFor('Maya\uFFFF')).toBe('nickname-bad-characters');
		expect(nicknameFor('Maya\uD800')).toBe('nickname-bad-characters');
	});

	it('is refused when accents are stacked into "zalgo" text', () => {
		expect(nicknameFor('Z̴̡̛̖̙͎̈́̀ä̷l̶g̶o̶')).toBe('nickname-stacked-marks');
		const stacked = 'x' + '\u0301\u0302\u0303\u0304';
		expect(nicknameFor(stacked)).toBe('nickname-stacked-marks');
		expect(nicknameFor('x' + '\u0301'.repeat(MAX_MARKS_IN_A_ROW))).not.toBe(
			'nickname-stacked-marks'
		);
	});

	it('is refused when it poses as the staff, however it is written', () => {
		for (const staff of [
			'Host',
			'ADMIN',
			'Host 2',
			'the_host',
			'Quiz Master',
			'Ηost',
			'Quizroom',
			'Moderator'
		]) {
			expect(nicknameFor(staff), staff).toBe('nickname-reserved');
		}
		expect(normalizeNickname('Admin')).toMatchObject({
			message: 'That name is reserved for the host: pick another'
		});
		// Names that only contain a staff word are names like any other.
		for (const fine of ['Hostess', 'Admiral', 'Mo', 'Ghost', 'Modesty', 'Most', 'Boost']) {
			expect(normalizeNickname(fine).ok, fine).toBe(true);
		}
	});

	it('is refused with digits or signs for letters, or in the plural', () => {
		for (const staff of [
			'H0st',
			'Adm1n',
			'@dmin',
			'Ho$t',
			'H0st!',
			'Adm1n 2',
			'Hos7',
			'Quizr00m'
		]) {
			expect(nicknameFor(staff), staff).toBe('nickname-reserved');
		}
		for (const staff of ['Hosts', 'Admins', 'H0sts', 'Quizrooms', 'Moderators']) {
			expect(nicknameFor(staff), staff).toBe('nickname-reserved');
		}
		// A number beside a name is a number, not a letter.
		for (const fine of ['Ana 4', 'Mo 5', '1337', 'Max 01']) {
			expect(normalizeNickname(fine).ok, fine).toBe(true);
		}
	});

	it('may be a word of authority that is no one’s role in a game: real players are called that', () => {
		for (const fine of ['Teacher', 'Mod', 'Server', 'System', 'Staff', 'Boss']) {
			expect(normalizeNickname(fine).ok, fine).toBe(true);
		}
	});

	it('explains each refusal in words a player understands', () => {
		const invisible = normalizeNickname('\u3164');
		const control = normalizeNickname('a\u0000b');
		const zalgo = normalizeNickname('x\u0301\u0302\u0303\u0304');
		expect(invisible.ok || invisible.message).toBe(
			'Use a nickname people can see: no invisible or blank characters'
		);
		expect(control.ok || control.message).toBe(
			'Nicknames can only use letters, numbers, punctuation and emoji'
		);
		expect(zalgo.ok || zalgo.message).toBe('Too many accents stacked on one letter');
	});
});

describe('a nickname in any language or with emoji', () => {
	it('keeps emoji made with joiners, variation selectors, skin tones and flags', () => {
		for (const emoji of [
			'\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', // family
			'\u2764\uFE0F', // red heart
			'\u2764\uFE0F\u200D\u{1F525}', // heart on fire
			'\u{1F3F3}\uFE0F\u200D\u{1F308}', // rainbow flag
			'1\uFE0F\u20E3', // keycap
			'\u{1F44D}\u{1F3FD}', // thumbs up, medium skin tone
			'\u{1F1F3}\u{1F1F4}', // flag of Norway
			'\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}' // flag of Scotland
		]) {
			expect(nicknameFor(`Ana ${emoji}`), JSON.stringify(emoji)).toBe(`Ana ${emoji}`);
		}
	});

	it('keeps the marks and joiners other scripts need', () => {
		for (const name of [
			'Nguyễn Thị Ánh',
			'स्त्री', // Hindi: two viramas in one cluster
			'กั้ง', // Thai: vowel and tone mark on one consonant
			'שּׁ', // Hebrew: dagesh, shin dot
			'می\u200Cخواهم', // Persian: zero-width non-joiner
			'क्\u200Dष', // Devanagari: zero-width joiner
			'Zoë',
			'Łukasz',
			'山田 太郎'
		]) {
			expect(nicknameFor(name), JSON.stringify(name)).toBe(name.normalize('NFC'));
		}
	});

	it('turns no-break and ideographic spaces into plain ones', () => {
		expect(nicknameFor('Quiz\u00A0Wizard')).toBe('Quiz Wizard');
		expect(nicknameFor('山田\u3000太郎')).toBe('山田 太郎');
	});
});

describe('nicknames in a restored game', () => {
	it('collide under the same key as before the restart', () => {
		const state = createGameState({
			quiz: { version: 1, id: 'q', title: 'Q', description: '', questions: [] },
			options: DEFAULT_GAME_OPTIONS,
			maxPlayers: 10
		});
		expect(
			apply(state, { type: 'join', playerId: 'p1', nickname: 'Zoë' }, 0).error
		).toBeUndefined();
		const restored = fromSnapshot({
			snapshot: JSON.parse(JSON.stringify(toSnapshot(state))),
			roster: [...state.players.values()],
			laterAnswers: []
		});
		expect(restored.nicknames).toEqual(new Set([nicknameKey('Zoë')]));
		const join = apply(restored, { type: 'join', playerId: 'p2', nickname: 'ZOE' }, 1);
		expect(join.error?.code).toBe('nickname-taken');
	});
});

describe('a long name in few characters', () => {
	it('takes 20 characters however many units each is, and refuses a 21st', () => {
		const flags = '🇯🇵🇧🇷🇮🇳🇺🇸🇩🇪🇫🇷🇮🇹🇪🇸'.repeat(2).concat('🇯🇵🇧🇷🇮🇳🇺🇸');
		expect(normalizeNickname(flags)).toEqual({ ok: true, nickname: flags });
		const families = '👨‍👩‍👧‍👦'.repeat(20);
		expect(families.length).toBe(220);
		expect(normalizeNickname(families)).toEqual({ ok: true, nickname: families });
		expect(normalizeNickname(families + '👨‍👩‍👧‍👦')).toMatchObject({ code: 'nickname-too-long' });
	});

	it('refuses a pasted wall of text before reading it', () => {
		expect(normalizeNickname('a'.repeat(100_000))).toMatchObject({ code: 'nickname-too-long' });
	});
});

describe('the host finding a name in a full lobby', () => {
	it('finds part of a name whatever its case, accents or width', () => {
		expect(nicknameMatcher('zoe')('Zoë the Great')).toBe(true);
		expect(nicknameMatcher(' Zoë ')('ZOE 2')).toBe(true);
		expect(nicknameMatcher('aya')('Ｍａｙａ')).toBe(true);
		expect(nicknameMatcher('STRASSE')('Straße')).toBe(true);
	});

	it('does not find a name that only looks alike in another script', () => {
		expect(nicknameMatcher('राम')('रमा')).toBe(false);
		expect(nicknameMatcher('Mia')('Maya')).toBe(false);
	});

	it('finds every name for an empty query', () => {
		expect(nicknameMatcher('  ')('Maya')).toBe(true);
	});
});
