/**
 * Which images Quizroom accepts, recognised by their first bytes rather than by a file name or a
 * declared type: PNG, JPEG, GIF and WebP. Everything else (SVG above all, which can carry
 * scripts) is refused. Stored images are content-addressed: `<sha256 hex>.<ext>`.
 */
import { createHash } from 'node:crypto';
import type { ImageType } from '../storage/storage.ts';

export type { ImageType };

export { MAX_IMAGE_BYTES } from '../../protocol/quiz-check.ts';

export const IMAGE_TYPES: readonly ImageType[] = [
	'image/png',
	'image/jpeg',
	'image/gif',
	'image/webp'
];

/** The extension in an image id, as IMAGE_ID_PATTERN expects it. */
export const IMAGE_EXTENSIONS: Readonly<Record<ImageType, 'png' | 'jpg' | 'gif' | 'webp'>> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/gif': 'gif',
	'image/webp': 'webp'
};

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87A = ascii('GIF87a');
const GIF89A = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');

/** The image type the bytes really are, or null when they are none Quizroom accepts. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
	if (startsWith(bytes, PNG)) return 'image/png';
	if (startsWith(bytes, JPEG)) return 'image/jpeg';
	if (startsWith(bytes, GIF87A) || startsWith(bytes, GIF89A)) return 'image/gif';
	if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
	return null;
}

/** The content address of an image: sha256 of its bytes in hex, then the type's extension. */
export function imageId(bytes: Uint8Array, type: ImageType): string {
	return `${createHash('sha256').update(bytes).digest('hex')}.${IMAGE_EXTENSIONS[type]}`;
}

export function isImageType(value: unknown): value is ImageType {
	return IMAGE_TYPES.includes(value as ImageType);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
	if (bytes.length < at + prefix.length) return false;
	return prefix.every((byte, i) => bytes[at + i] === byte);
}

function ascii(text: string): number[] {
	return [...text].map((char) => char.charCodeAt(0));
}
