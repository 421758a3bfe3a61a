/**
 * "Firefox on Windows": enough of a User-Agent for a host to tell their sessions apart on
 * the account page. Not a fingerprint, and never used to decide anything.
 */
const BROWSERS: [RegExp, string][] = [
	[/Edg\//, 'Edge'],
	[/OPR\/|Opera/, 'Opera'],
	[/Firefox\//, 'Firefox'],
	[/Chrom(e|ium)\//, 'Chrome'],
	[/Safari\//, 'Safari']
];

const SYSTEMS: [RegExp, string][] = [
	[/Android/, 'Android'],
	[/iPhone|iPad|iPod/, 'iOS'],
	[/Windows/, 'Windows'],
	[/Mac OS X|Macintosh/, 'macOS'],
	[/CrOS/, 'ChromeOS'],
	[/Linux/, 'Linux']
];

const UNKNOWN = 'Unknown browser';

/**
 * The label is made only of the names above: nothing of the header itself is ever shown, so
 * a made-up User-Agent ("<b>Principal’s laptop</b>") cannot put its words on the account page.
 */
export function deviceLabel(userAgent: string | null): string {
	if (!userAgent) return UNKNOWN;
	const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? UNKNOWN;
	const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
	return system ? `${browser} on ${system}` : browser;
}

/** Every label `deviceLabel` can make. */
const LABELS: ReadonlySet<string> = new Set(
	[...BROWSERS.map(([, name]) => name), UNKNOWN].flatMap((browser) => [
		browser,
		...SYSTEMS.map(([, system]) => `${browser} on ${system}`)
	])
);

/**
 * A stored session's label as the account page shows it: sessions signed in before labels
 * were made only of known names may hold raw User-Agent text, which is not shown.
 */
export function shownDeviceLabel(stored: string): string {
	return LABELS.has(stored) ? stored : UNKNOWN;
}
