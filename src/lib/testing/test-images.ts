/**
 * Tiny real images for the format tests. The PNG is built from its chunks, so a test can make
 * as many distinct ones as it needs; the others are the smallest valid files of their kind.
 */
import { crc32, deflateSync } from 'node:zlib';

/** A valid 1×1 RGBA PNG of the given colour. */
export function tinyPng(rgba: [number, number, number, number] = [255, 0, 0, 255]): Uint8Array {
	const header = new Uint8Array(13);
	const view = new DataView(header.buffer);
	view.setUint32(0, 1); // width
	view.setUint32(4, 1); // height
	header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter, no interlace
	const scanline = Uint8Array.from([0, ...rgba]); // filter byte, then one pixel
	return concat([
		Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(scanline)),
		chunk('IEND', new Uint8Array(0))
	]);
}

export const TINY_GIF = fromBase64('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==');
export const TINY_WEBP = fromBase64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
export const TINY_JPEG = fromBase64(
	'/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA='
);
export const TINY_SVG = new TextEncoder().encode(
	'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(1)</script></svg>'
);

function chunk(type: string, data: Uint8Array): Uint8Array {
	const typeAndData = concat([new TextEncoder().encode(type), data]);
	const out = new Uint8Array(typeAndData.length + 8);
	const view = new DataView(out.buffer);
	view.setUint32(0, data.length);
	out.set(typeAndData, 4);
	view.setUint32(4 + typeAndData.length, crc32(typeAndData));
	return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

function fromBase64(text: string): Uint8Array {
	return new Uint8Array(Buffer.from(text, 'base64'));
}
