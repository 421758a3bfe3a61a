/**
 * Keeps the screen on while a game runs, where the browser can (Screen Wake Lock API). A lock
 * is dropped by the browser whenever the page is hidden, so it is asked for again each time the
 * page becomes visible. Feature-detected: where it is missing or refused, nothing happens.
 *
 * Returns the function that lets the screen sleep again.
 */
export function keepScreenOn(): () => void {
	if (typeof document === 'undefined' || typeof navigator === 'undefined') return () => {};
	const wakeLock = (navigator as Navigator & { wakeLock?: WakeLock }).wakeLock;
	if (!wakeLock || typeof wakeLock.request !== 'function') return () => {};

	let sentinel: WakeLockSentinel | null = null;
	let active = true;

	const acquire = async () => {
		if (!active || document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) {
			return;
		}
		try {
			const next = await wakeLock.request('screen');
			if (active) sentinel = next;
			else void next.release().catch(() => {});
		} catch {
			// Refused (battery saver, no user gesture yet, permissions policy): the screen may sleep.
		}
	};
	const onVisibility = () => void acquire();

	document.addEventListener('visibilitychange', onVisibility);
	void acquire();

	return () => {
		active = false;
		document.removeEventListener('visibilitychange', onVisibility);
		void sentinel?.release().catch(() => {});
		sentinel = null;
	};
}
