/**
 * The text of an imported file, whatever saved it. Excel on Windows saves "CSV (Comma
 * delimited)" in Windows-1252 and "Unicode Text" in UTF-16; read as UTF-8, "Café" became
 * "Caf�" and a UTF-16 header was not found at all.
 */
export function decodeText(bytes: Uint8Array): string {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
	try {
		// The BOM, if any, is dropped: a UTF-8 file starts with its first character.
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return windows1252(bytes);
	}
}

/** Bytes 0x80–0x9F, where Windows-1252 has letters and signs and Latin-1 control codes. */
const HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Not UTF-8: every byte is one Windows-1252 character. (Node's own 'windows-1252' decoder is
 * Latin-1, which turns € and the curly quotes into control codes.)
 */
function windows1252(bytes: Uint8Array): string {
	return new TextDecoder('latin1')
		.decode(bytes)
		.replace(/[\u0080-\u009f]/g, (code) => HIGH[code.charCodeAt(0) - 0x80]!);
}
