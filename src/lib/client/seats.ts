/**
 * Player seats kept in this browser's localStorage, beside the httpOnly seat cookie: a phone
 * whose cookie is gone (cleared, expired, blocked) still rejoins as the same player, and the
 * join page can offer "Continue as Maya". Seats are removed when the server says they are over.
 *
 * Storage can be missing or throw (private modes, quotas, disabled): every call is safe and
 * then simply remembers nothing.
 */

export interface SavedSeat {
	pin: string;
	playerId: string;
	token: string;
	nickname: string;
	/** Epoch milliseconds of the last save. */
	savedAt: number;
}

export const SEATS_KEY = 'quizroom-seats';
/** As long as the seat cookie. */
export const SEAT_MAX_AGE_MS = 12 * 60 * 60 * 1000;
const MAX_SEATS = 10;

type SeatStore = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStore(): SeatStore | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}

function isSeat(value: unknown): value is SavedSeat {
	if (typeof value !== 'object' || value === null) return false;
	const seat = value as Record<string, unknown>;
	return (
		typeof seat.pin === 'string' &&
		typeof seat.playerId === 'string' &&
		typeof seat.token === 'string' &&
		typeof seat.nickname === 'string' &&
		typeof seat.savedAt === 'number'
	);
}

/** Every seat still young enough, the most recently used first. */
export function loadSeats(now = Date.now(), store = defaultStore()): SavedSeat[] {
	if (!store) return [];
	try {
		const parsed: unknown = JSON.parse(store.getItem(SEATS_KEY) ?? '[]');
		if (!Array.isArray(parsed)) return [];
		return parsed
			.filter(isSeat)
			.filter((seat) => now - seat.savedAt < SEAT_MAX_AGE_MS)
			.sort((a, b) => b.savedAt - a.savedAt);
	} catch {
		return [];
	}
}

function write(seats: SavedSeat[], store: SeatStore): void {
	try {
		store.setItem(SEATS_KEY, JSON.stringify(seats.slice(0, MAX_SEATS)));
	} catch {
		// Full or forbidden: the cookie still holds the seat.
	}
}

export function findSeat(
	playerId: string,
	now = Date.now(),
	store = defaultStore()
): SavedSeat | null {
	return loadSeats(now, store).find((seat) => seat.playerId === playerId) ?? null;
}

export function saveSeat(
	seat: Omit<SavedSeat, 'savedAt'>,
	now = Date.now(),
	store = defaultStore()
): void {
	if (!store) return;
	const others = loadSeats(now, store).filter((s) => s.playerId !== seat.playerId);
	write([{ ...seat, savedAt: now }, ...others], store);
}

export function forgetSeat(playerId: string, now = Date.now(), store = defaultStore()): void {
	if (!store) return;
	const seats = loadSeats(now, store);
	const kept = seats.filter((s) => s.playerId !== playerId);
	if (kept.length !== seats.length) write(kept, store);
}
