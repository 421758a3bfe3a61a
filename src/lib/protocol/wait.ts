/**
 * How long someone must wait, in words they read in a refusal ("try again in 9 minutes"):
 * never raw seconds past a minute. Rounded up, so the wait said is never shorter than the
 * real one. Shared by every refusal that names a wait (wrong PINs, sign-in back-off) and by
 * the pages that show one.
 */
export function waitInWords(ms: number): string {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	if (seconds < 60) return `in ${count(seconds, 'second')}`;
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return `in ${count(minutes, 'minute')}`;
	const hours = Math.ceil(minutes / 60);
	return `in ${count(hours, 'hour')}`;
}

function count(n: number, unit: string): string {
	return n === 1 ? `1 ${unit}` : `${n} ${unit}s`;
}
