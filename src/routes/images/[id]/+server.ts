import { error } from '@sveltejs/kit';
import { IMAGE_ID_PATTERN } from '$lib/protocol/quiz';
import type { RequestHandler } from './$types';

/**
 * A stored question image. Ids are content addresses, so a URL's bytes never change: cache
 * forever. nosniff keeps browsers from reading the bytes as anything but the stored type.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const image = IMAGE_ID_PATTERN.test(params.id)
		? await locals.services.storage.getImage(params.id)
		: null;
	if (!image) error(404, 'No such image');
	return new Response(image.bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': image.type,
			'content-length': String(image.bytes.byteLength),
			'cache-control': 'public, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff'
		}
	});
};
