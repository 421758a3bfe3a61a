/** Dates and times as a host reads them in a list: "today 14:05", "3 Nov 2026". */
export function formatWhen(at: number | null, now = Date.now()): string {
	if (at === null) return 'never';
	const date = new Date(at);
	const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
	const sameDay = new Date(now).toDateString() === date.toDateString();
	if (sameDay) return `today ${time}`;
	const yesterday = new Date(now - 86_400_000).toDateString() === date.toDateString();
	if (yesterday) return `yesterday ${time}`;
	return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Milliseconds as seconds with one decimal: "4.2 s". */
export function formatSeconds(ms: number | null): string {
	return ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`;
}
