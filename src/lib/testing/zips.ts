/**
 * Workbooks made by hand for the import limits' tests: a plain zip writer whose parts may lie
 * about their size, and the zip bomb of issue 25 (600 KB that inflates to 600 MB), built in
 * milliseconds from one deflated megabyte repeated. Nothing binary is committed.
 */
import { constants, deflateRawSync } from 'node:zlib';

const MB = 1024 * 1024;

export interface ZipPart {
	name: string;
	/** The part's bytes, raw-deflated. */
	deflated: Buffer;
	/** The size the zip says the part unpacks to (true or not). */
	declaredSize: number;
}

/** A part whose size the zip tells truly. */
export function zipPart(name: string, text: string): ZipPart {
	return { name, deflated: deflateRawSync(text), declaredSize: Buffer.byteLength(text) };
}

/**
 * A workbook with one sheet whose XML is `sheetXml`, or the parts given. The parts are what an
 * .xlsx needs to be taken for one; no CRCs (the reader refuses a bomb before it would check).
 */
export function workbookZip(sheetXml: string, extra: ZipPart[] = []): Uint8Array<ArrayBuffer> {
	return zipOf([...workbookParts(), zipPart('xl/worksheets/sheet1.xml', sheetXml), ...extra]);
}

/**
 * An .xlsx whose sheet unpacks to `megabytes` MB of blank space between its tags (~1 KB of
 * deflate per MB). `declaredSize` is what its zip says the sheet unpacks to: by default 1 KB,
 * so that only counting what comes out catches it.
 */
export function workbookBomb(megabytes: number, declaredSize = 1024): Uint8Array<ArrayBuffer> {
	const flush = { finishFlush: constants.Z_SYNC_FLUSH, level: 9 };
	const head = deflateRawSync(`${XML}<worksheet xmlns="${MAIN}"><sheetData>`, flush);
	// Each piece ends on a byte boundary and refers only to itself, so the pieces chain up.
	const blank = deflateRawSync(Buffer.alloc(MB, ' '), flush);
	const tail = deflateRawSync('</sheetData></worksheet>');
	const sheet = Buffer.concat([head, ...Array<Buffer>(megabytes).fill(blank), tail]);
	return zipOf([
		...workbookParts(),
		{ name: 'xl/worksheets/sheet1.xml', deflated: sheet, declaredSize }
	]);
}

/** A zip of these parts (deflated), central directory and all. */
export function zipOf(parts: readonly ZipPart[]): Uint8Array<ArrayBuffer> {
	const local: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const { name, deflated, declaredSize } of parts) {
		const fileName = Buffer.from(name);
		const header = Buffer.alloc(30);
		header.writeUInt32LE(0x04034b50, 0);
		header.writeUInt16LE(20, 4);
		header.writeUInt16LE(8, 8); // deflate
		header.writeUInt16LE(0x21, 12); // 1980-01-01
		header.writeUInt32LE(deflated.byteLength, 18);
		header.writeUInt32LE(declaredSize, 22);
		header.writeUInt16LE(fileName.byteLength, 26);
		const entry = Buffer.alloc(46);
		entry.writeUInt32LE(0x02014b50, 0);
		entry.writeUInt16LE(20, 4);
		entry.writeUInt16LE(20, 6);
		entry.writeUInt16LE(8, 10);
		entry.writeUInt16LE(0x21, 14);
		entry.writeUInt32LE(deflated.byteLength, 20);
		entry.writeUInt32LE(declaredSize, 24);
		entry.writeUInt16LE(fileName.byteLength, 28);
		entry.writeUInt32LE(offset, 42);
		local.push(header, fileName, deflated);
		central.push(entry, fileName);
		offset += header.byteLength + fileName.byteLength + deflated.byteLength;
	}
	const directory = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(parts.length, 8);
	end.writeUInt16LE(parts.length, 10);
	end.writeUInt32LE(directory.byteLength, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...local, directory, end]));
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const PACKAGE = 'http://schemas.openxmlformats.org/package/2006';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const OFFICE = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

function workbookParts(): ZipPart[] {
	return [
		zipPart(
			'[Content_Types].xml',
			`${XML}<Types xmlns="${PACKAGE}/content-types">` +
				`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
				`<Default Extension="xml" ContentType="application/xml"/>` +
				`<Override PartName="/xl/workbook.xml" ContentType="${OFFICE}.sheet.main+xml"/>` +
				`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${OFFICE}.worksheet+xml"/></Types>`
		),
		zipPart(
			'_rels/.rels',
			`${XML}<Relationships xmlns="${PACKAGE}/relationships">` +
				`<Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`
		),
		zipPart(
			'xl/workbook.xml',
			`${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}">` +
				`<sheets><sheet name="Quiz" sheetId="1" r:id="rId1"/></sheets></workbook>`
		),
		zipPart(
			'xl/_rels/workbook.xml.rels',
			`${XML}<Relationships xmlns="${PACKAGE}/relationships">` +
				`<Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
		)
	];
}
