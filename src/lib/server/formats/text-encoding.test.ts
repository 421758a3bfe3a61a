import { describe, expect, it } from 'vitest';
import { decodeText } from './text-encoding.ts';

const utf16 = (text: string, littleEndian: boolean) => {
	const bytes = new Uint8Array(2 + text.length * 2);
	const view = new DataView(bytes.buffer);
	view.setUint16(0, 0xfeff, littleEndian);
	for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
	return bytes;
};

describe('the text of an imported file', () => {
	it('reads UTF-8, with or without its byte-order mark', () => {
		const bytes = new TextEncoder().encode('Café,Thé 🍵');
		expect(decodeText(bytes)).toBe('Café,Thé 🍵');
		expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toBe('Café,Thé 🍵');
	});

	it('reads what Excel on Windows saves as CSV (Windows-1252)', () => {
		// "Café or thé? €5" in Windows-1252: é is 0xE9, € is 0x80, ’ is 0x92.
		const bytes = new Uint8Array([
			...new TextEncoder().encode('Caf'),
			0xe9,
			...new TextEncoder().encode(' or th'),
			0xe9,
			...new TextEncoder().encode('? '),
			0x80,
			0x35,
			0x92
		]);
		expect(decodeText(bytes)).toBe('Café or thé? €5’');
	});

	it('reads UTF-16 "Unicode Text", either byte order', () => {
		expect(decodeText(utf16('Question\tAnswer 1', true))).toBe('Question\tAnswer 1');
		expect(decodeText(utf16('Question,Thé', false))).toBe('Question,Thé');
	});
});
