/**
 * A workbook (.xlsx is a zip of XML parts) checked before exceljs reads it: exceljs unpacks every
 * part into memory first, so a 600 KB file that inflates to 600 MB took the server's memory with
 * it. Here each part the zip's central directory lists (the parts exceljs's own zip reader
 * finds) is inflated as a stream and its bytes counted as they come; nothing is kept. The zip's
 * own size fields refuse early when they already say too much, and are never trusted to accept:
 * the count of what really came out is. The XML parts are scanned on the way for rows, cells
 * and the length of each text.
 *
 * Throws ImportLimitExceeded past a limit, any other error when the zip cannot be read.
 */
import yauzl from 'yauzl';
import { IMPORT_LIMITS, ImportLimitExceeded, type ImportLimits } from './import-limits.ts';

export async function checkWorkbookZip(
	bytes: Uint8Array,
	limits: ImportLimits = IMPORT_LIMITS
): Promise<void> {
	if (bytes.byteLength > limits.fileBytes) throw new ImportLimitExceeded('fileBytes', limits);
	const zip = await yauzl.fromBufferPromise(
		Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
		// Sizes are counted here, so a part that lies about its size meets the limit, not an error.
		{ validateEntrySizes: false }
	);
	try {
		if (zip.entryCount > limits.zipEntries) throw new ImportLimitExceeded('zipEntries', limits);
		const sheet = new SheetCounter(limits);
		let declared = 0;
		let unpacked = 0;
		for await (const entry of zip.eachEntry()) {
			if (entry.fileName.endsWith('/')) continue;
			declared += entry.uncompressedSize;
			if (declared > limits.unpackedBytes) throw new ImportLimitExceeded('unpackedBytes', limits);
			const xml = entry.fileName.toLowerCase().endsWith('.xml');
			const part = await zip.openReadStreamPromise(entry);
			// Leaving the loop (a limit crossed) destroys the stream: no more is inflated.
			for await (const chunk of part as AsyncIterable<Buffer>) {
				unpacked += chunk.byteLength;
				if (unpacked > limits.unpackedBytes) throw new ImportLimitExceeded('unpackedBytes', limits);
				if (xml) sheet.feed(chunk);
			}
		}
	} finally {
		zip.close();
	}
}

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f;
const NAME_C = 0x63; // c: a cell
const NAME_T = 0x74; // t: a text (shared strings, inline strings)
const NAME_V = 0x76; // v: a cell's value
const NAME_ROW = (0x72 << 16) | (0x6f << 8) | 0x77;

/** Where the counter is: in text between tags, in a tag's name, or in the rest of a tag. */
const TEXT = 0;
const NAME = 1;
const TAG = 2;

/**
 * Counts `<row>` and `<c>` elements and measures the text in each `<t>` and `<v>` of XML as it
 * streams past, chunk edges included. Not an XML parser: a cheap count that cannot be fooled
 * into counting less than exceljs will read (a prefixed or odd name is one exceljs skips too).
 */
export class SheetCounter {
	private state: typeof TEXT | typeof NAME | typeof TAG = TEXT;
	private name = 0;
	private nameLength = 0;
	private previous = 0;
	/** Inside a `<t>` or `<v>`: its characters count towards textLength. */
	private inText = false;
	private textLength = 0;
	rows = 0;
	cells = 0;

	constructor(private readonly limits: ImportLimits) {}

	feed(chunk: Uint8Array): void {
		let i = 0;
		while (i < chunk.length) {
			if (this.state === TEXT) {
				// Text runs to the next tag: found natively, counted only when it is a value's.
				const lt = chunk.indexOf(LT, i);
				const end = lt < 0 ? chunk.length : lt;
				if (this.inText) this.countText(chunk, i, end);
				if (lt < 0) return;
				this.state = NAME;
				this.name = 0;
				this.nameLength = 0;
				this.inText = false;
				this.previous = LT;
				i = lt + 1;
				continue;
			}
			if (this.state === TAG) {
				// The rest of a tag (attributes) matters only for how it ends: > or />.
				const gt = chunk.indexOf(GT, i);
				if (gt < 0) {
					this.previous = chunk[chunk.length - 1]!;
					return;
				}
				const before = gt > i ? chunk[gt - 1]! : this.previous;
				if (before === SLASH) this.inText = false; // <v/>
				this.state = TEXT;
				this.previous = GT;
				i = gt + 1;
				continue;
			}
			const byte = chunk[i]!;
			if (byte === GT || byte === SLASH || byte <= 0x20) {
				if (this.nameLength === 0 && byte === SLASH) {
					// A closing tag: </t>, </row>…
					this.state = TAG;
				} else {
					this.opened();
					this.state = byte === GT ? TEXT : TAG;
				}
			} else {
				if (this.nameLength < 4) this.name = (this.name << 8) | byte;
				this.nameLength += 1;
			}
			this.previous = byte;
			i += 1;
		}
	}

	/** Characters of a value's text in chunk[start, end): UTF-8 continuation bytes are not one. */
	private countText(chunk: Uint8Array, start: number, end: number): void {
		const { limits } = this;
		for (let i = start; i < end; i++) {
			if ((chunk[i]! & 0xc0) !== 0x80 && ++this.textLength > limits.textLength)
				throw new ImportLimitExceeded('textLength', limits);
		}
	}

	private opened(): void {
		const { limits } = this;
		if (this.nameLength === 3 && this.name === NAME_ROW) {
			if (++this.rows > limits.rows) throw new ImportLimitExceeded('rows', limits);
		} else if (this.nameLength === 1) {
			if (this.name === NAME_C) {
				if (++this.cells > limits.cells) throw new ImportLimitExceeded('cells', limits);
			} else if (this.name === NAME_T || this.name === NAME_V) {
				this.inText = true;
				this.textLength = 0;
			}
		}
	}
}
