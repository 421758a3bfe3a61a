/** A response the browser saves as a file, with a name that survives every browser. */

/** A download's name as written (UTF-8) and as plain ASCII for clients that read only that. */
export interface DownloadName {
	name: string;
	ascii: string;
}

export function download(body: string | Uint8Array, name: DownloadName, type: string): Response {
	// `filename` is a quoted ASCII string; every browser in use reads `filename*` first.
	const ascii = name.ascii.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '');
	return new Response(body as BodyInit, {
		headers: {
			'content-type': type,
			'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.name)}`,
			'cache-control': 'no-store'
		}
	});
}

/**
 * A quiz's file name: its title, then what is always the same (" 2026-11-24 report", ".csv").
 * The ASCII form keeps what of the title ASCII can spell ("Café" → "Cafe"), or says "quiz"
 * when nothing is left ("Викторина"): a name of underscores told nobody which file it was.
 */
export function downloadName(title: string, suffix: string, extension: string): DownloadName {
	const spelled = asciiText(title);
	return {
		name: `${fileName(title + suffix)}${extension}`,
		ascii: `${fileName((/[a-z0-9]/i.test(spelled) ? spelled : 'quiz') + suffix)}${extension}`
	};
}

/** A file name from a title: "World Geography!" → "World Geography". */
function fileName(title: string): string {
	return (
		title
			.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 80) || 'quiz'
	);
}

/** Letters that lose no accent to become ASCII, and punctuation with a plain twin. */
const SPELLED: Record<string, string> = {
	ß: 'ss',
	æ: 'ae',
	Æ: 'AE',
	œ: 'oe',
	Œ: 'OE',
	ø: 'o',
	Ø: 'O',
	ł: 'l',
	Ł: 'L',
	đ: 'd',
	Đ: 'D',
	ð: 'd',
	Ð: 'D',
	þ: 'th',
	Þ: 'Th',
	ı: 'i',
	'‘': "'",
	'’': "'",
	'–': '-',
	'—': '-'
};

/** "Crème brûlée – Straße" → "Creme brulee - Strasse"; other scripts are left out. */
function asciiText(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.replace(/[^\x20-\x7e]/g, (char) => SPELLED[char] ?? ' ')
		.replace(/\s+/g, ' ')
		.trim();
}
