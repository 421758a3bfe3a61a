import { describe, expect, it } from 'vitest';
import { MAX_NICKNAME } from '../protocol/messages.ts';
import { nicknameKey, normalizeNickname } from './nickname.ts';

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
		expect(nicknameKey('Rene')).not.toBe(nicknameKey('René'));
	});
});
