import { MAX_NICKNAME } from '../protocol/messages.ts';

export type NicknameCheck =
	| { ok: true; nickname: string }
	| { ok: false; code: 'nickname-empty' | 'nickname-too-long'; message: string };

/** Trims and collapses inner whitespace; counts characters as people see them, not UTF-16 units. */
export function normalizeNickname(raw: string): NicknameCheck {
	const nickname = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
	if (nickname.length === 0) {
		return { ok: false, code: 'nickname-empty', message: 'Pick a nickname' };
	}
	if (characterCount(nickname) > MAX_NICKNAME) {
		return {
			ok: false,
			code: 'nickname-too-long',
			message: `Nicknames are at most ${MAX_NICKNAME} characters`
		};
	}
	return { ok: true, nickname };
}

/** Two nicknames that collide under this key would confuse the room: "Maya" and "maya". */
export function nicknameKey(nickname: string): string {
	return nickname.normalize('NFC').toLocaleLowerCase('en');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Characters as people see them: a flag or a family emoji is one. */
export function characterCount(text: string): number {
	return [...graphemes.segment(text)].length;
}
