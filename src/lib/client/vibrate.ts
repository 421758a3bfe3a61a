/**
 * A short buzz on phones that can (Android browsers; iOS Safari has no Vibration API). Browsers
 * refuse it before the page's first tap and when the user turned it off: that is fine.
 */
export function vibrate(pattern: number | number[]): void {
	try {
		navigator.vibrate?.(pattern);
	} catch {
		// Not allowed here: feedback on screen is enough.
	}
}
