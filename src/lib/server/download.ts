/** A response the browser saves as a file, with a name that survives every browser. */
export function download(body: string | Uint8Array, name: string, type: string): Response {
	const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '');
	return new Response(body as BodyInit, {
		headers: {
			'content-type': type,
			'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
			'cache-control': 'no-store'
		}
	});
}

/** A file name from a title: "World Geography!" → "World Geography". */
export function fileName(title: string): string {
	return (
		title
			.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 80) || 'quiz'
	);
}
