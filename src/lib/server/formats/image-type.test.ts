import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IMAGE_ID_PATTERN } from '../../protocol/quiz.ts';
import { detectImageType, imageId, MAX_IMAGE_BYTES } from './image-type.ts';
import { TINY_GIF, TINY_JPEG, TINY_SVG, TINY_WEBP, tinyPng } from '../../testing/test-images.ts';

describe('detecting an image type by its first bytes', () => {
	it('recognises PNG, JPEG, GIF and WebP', () => {
		expect(detectImageType(tinyPng())).toBe('image/png');
		expect(detectImageType(TINY_JPEG)).toBe('image/jpeg');
		expect(detectImageType(TINY_GIF)).toBe('image/gif');
		expect(detectImageType(TINY_WEBP)).toBe('image/webp');
	});

	it('recognises both GIF versions', () => {
		const gif87 = TINY_GIF.slice();
		gif87.set([0x37], 4); // GIF89a → GIF87a
		expect(detectImageType(gif87)).toBe('image/gif');
	});

	it('refuses SVG, text, empty and truncated files', () => {
		expect(detectImageType(TINY_SVG)).toBeNull();
		expect(detectImageType(new TextEncoder().encode('hello'))).toBeNull();
		expect(detectImageType(new Uint8Array(0))).toBeNull();
		expect(detectImageType(tinyPng().slice(0, 7))).toBeNull();
		expect(detectImageType(TINY_GIF.slice(0, 5))).toBeNull();
	});

	it('refuses a RIFF file that is not WebP (a WAV sound)', () => {
		const wav = TINY_WEBP.slice();
		wav.set(new TextEncoder().encode('WAVE'), 8);
		expect(detectImageType(wav)).toBeNull();
		expect(detectImageType(TINY_WEBP.slice(0, 11))).toBeNull();
	});

	it('allows images up to 5 MiB', () => {
		expect(MAX_IMAGE_BYTES).toBe(5 * 1024 * 1024);
	});
});

describe('image ids', () => {
	it('are the sha256 of the bytes in hex plus the extension of the type', () => {
		const png = tinyPng();
		const sha = createHash('sha256').update(png).digest('hex');
		expect(imageId(png, 'image/png')).toBe(`${sha}.png`);
		expect(imageId(TINY_JPEG, 'image/jpeg')).toMatch(/\.jpg$/);
		expect(imageId(TINY_GIF, 'image/gif')).toMatch(/\.gif$/);
		expect(imageId(TINY_WEBP, 'image/webp')).toMatch(/\.webp$/);
	});

	it('match the quiz schema image id pattern', () => {
		for (const [bytes, type] of [
			[tinyPng(), 'image/png'],
			[TINY_JPEG, 'image/jpeg'],
			[TINY_GIF, 'image/gif'],
			[TINY_WEBP, 'image/webp']
		] as const) {
			expect(imageId(bytes, type)).toMatch(IMAGE_ID_PATTERN);
		}
	});

	it('differ for different bytes', () => {
		expect(imageId(tinyPng([0, 0, 0, 255]), 'image/png')).not.toBe(
			imageId(tinyPng([255, 255, 255, 255]), 'image/png')
		);
	});
});
