import { json } from '@sveltejs/kit';
import { imageUrl } from '$lib/protocol/quiz';
import {
	IMAGE_TOO_LARGE,
	MAX_IMAGE_BYTES,
	type UploadedImageResponse
} from '$lib/protocol/quiz-check';
import { signedIn } from '$lib/server/accounts/access';
import { detectImageType } from '$lib/server/formats/image-type';
import { pictureQuotaRefusal } from '$lib/server/quizzes/picture-quota';
import { apiError, bodyTooLarge, readCapped } from '$lib/server/web/http';
import type { RequestHandler } from './$types';

/**
 * Stores a question image sent as the raw request body. The declared content-type is ignored:
 * the bytes decide, and only PNG, JPEG, GIF and WebP pass (SVG can carry scripts).
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const bytes = await readCapped(request, MAX_IMAGE_BYTES);
	if (bytes === 'too-large')
		return bodyTooLarge(MAX_IMAGE_BYTES, 'image-too-large', IMAGE_TOO_LARGE);
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
	const { storage, pictureQuotaBytes } = locals.services;
	const owner = signedIn(locals).id;
	const refusal = await pictureQuotaRefusal(storage, owner, [{ bytes, type }], pictureQuotaBytes);
	if (refusal) return apiError('picture-quota', refusal, 413);
	const id = await storage.saveImage(bytes, type, owner);
	const body: UploadedImageResponse = { id, url: imageUrl(id) };
	return json(body, { status: 201 });
};
