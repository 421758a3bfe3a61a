/**
 * How many bytes of pictures each host may keep on the server: a school's disk is shared, and
 * one host's uploads (or a script's) must not fill it for everyone. A picture already stored
 * (by anyone: pictures are content-addressed) adds no bytes, so it always passes.
 */
import { imageId } from '../storage/shared.ts';
import type { ImageType, Storage } from '../storage/storage.ts';
import { IMAGE_KEEP_MS } from './image-sweep.ts';

/** Each host's pictures, unless PICTURE_QUOTA_MB says otherwise (0: no limit). */
export const PICTURE_QUOTA_MB = 500;

export interface NewPicture {
	bytes: Uint8Array;
	type: ImageType;
}

/** Why storing `pictures` for `ownerId` would go past `quotaBytes`, or null if it fits. */
export async function pictureQuotaRefusal(
	storage: Storage,
	ownerId: string,
	pictures: readonly NewPicture[],
	quotaBytes: number
): Promise<string | null> {
	if (quotaBytes <= 0) return null;
	let adding = 0;
	const counted = new Set<string>();
	for (const { bytes, type } of pictures) {
		const id = imageId(bytes, type);
		if (counted.has(id) || (await storage.hasImage(id))) continue;
		counted.add(id);
		adding += bytes.byteLength;
	}
	if (adding === 0) return null;
	const used = await storage.imageBytesOf(ownerId);
	if (used + adding <= quotaBytes) return null;
	const days = Math.round(IMAGE_KEEP_MS / (24 * 3600 * 1000));
	return (
		`Your pictures take ${mb(used)} of the ${mb(quotaBytes)} each host may keep on this server, ` +
		`and ${pictures.length === 1 ? 'this one' : 'these'} (${mb(adding)}) would go past it. ` +
		`Pictures no quiz uses any more are removed ${days} days after their last use; ` +
		'an admin can raise the limit (PICTURE_QUOTA_MB).'
	);
}

function mb(bytes: number): string {
	const megabytes = bytes / (1024 * 1024);
	return `${megabytes < 10 ? megabytes.toFixed(1) : Math.round(megabytes)} MB`;
}
