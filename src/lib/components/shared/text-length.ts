/**
 * How long a text is, for the projector's type scale. The editor allows questions of 200
 * characters and six answers of 90: set at the size a short question gets, they would run off a
 * 16:9 screen, so longer texts step down to smaller sizes (a class, styled where it is used).
 */
export type TextLength = 'short' | 'medium' | 'long';

/** Question texts: up to about two lines at full size, three or four at the smaller ones. */
export function questionLength(text: string | null): TextLength {
	return lengthOf([...(text ?? '')].length, 80, 140);
}

/** Answer tiles, all at one size: that of the longest (six tiles are narrower than four). */
export function optionsLength(options: readonly string[]): TextLength {
	const longest = Math.max(0, ...options.map((text) => [...text].length));
	return options.length > 4 ? lengthOf(longest, 24, 50) : lengthOf(longest, 40, 70);
}

function lengthOf(chars: number, medium: number, long: number): TextLength {
	return chars > long ? 'long' : chars > medium ? 'medium' : 'short';
}
