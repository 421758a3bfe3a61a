import { json } from '@sveltejs/kit';
import { imageUrl } from '$lib/protocol/quiz';
import type { UploadedImageResponse } from '$lib/protocol/quiz-check';
import { detectImageType, MAX_IMAGE_BYTES } from '$lib/server/formats/image-type';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

const TOO_LARGE = `Images can be at most ${MAX_IMAGE_BYTES / (1024 * 1024)} MB`;

/**
 * Stores a question image sent as the raw request body. The declared content-type is ignored:
 * the bytes decide, and only PNG, JPEG, GIF and WebP pass (SVG can carry scripts).
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const declared = Number(request.headers.get('content-length'));
	if (declared > MAX_IMAGE_BYTES) return apiError('image-too-large', TOO_LARGE, 413);
	const bytes = await readCapped(request, MAX_IMAGE_BYTES);
	if (bytes === 'too-large') return apiError('image-too-large', TOO_LARGE, 413);
	if (bytes === 'cut-off') {
		// The adapter's BODY_SIZE_LIMIT (512 KB unless the entry raises it) stopped the upload.
		return apiError('image-too-large', 'This server does not accept uploads this large', 413);
	}
	if (bytes.byteLength === 0) return apiError('no-image', 'The request carried no image');
	const type = detectImageType(bytes);
	if (!type) {
		return apiError(
			'unsupported-image',
			'Only PNG, JPEG, GIF or WebP images (SVG is not accepted)',
			415
		);
	}
	const id = locals.services.storage.saveImage(bytes, type);
	const body: UploadedImageResponse = { id, url: imageUrl(id) };
	return json(body, { status: 201 });
};

/**
 * The body, unless it passes `max` bytes (a chunked upload has no length to check up front) or
 * the stream breaks off, as it does when the adapter's own body limit is reached.
 */
async function readCapped(
	request: Request,
	max: number
): Promise<Uint8Array | 'too-large' | 'cut-off'> {
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		let read: ReadableStreamReadResult<Uint8Array>;
		try {
			read = await reader.read();
		} catch {
			return 'cut-off';
		}
		if (read.done) break;
		total += read.value.byteLength;
		if (total > max) {
			await reader.cancel();
			return 'too-large';
		}
		chunks.push(read.value);
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}
