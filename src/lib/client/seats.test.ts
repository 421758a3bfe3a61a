import { describe, expect, it } from 'vitest';
import { SEAT_MAX_AGE_MS, SEATS_KEY, findSeat, forgetSeat, loadSeats, saveSeat } from './seats.ts';

function memoryStore(initial: Record<string, string> = {}) {
	const items = new Map(Object.entries(initial));
	return {
		items,
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value)
	};
}

const maya = { pin: '123456', playerId: 'p-maya', token: 't-maya', nickname: 'Maya' };
const theo = { pin: '654321', playerId: 'p-theo', token: 't-theo', nickname: 'Theo' };

describe('saved seats', () => {
	it('keeps seats by player, the most recently used first', () => {
		const store = memoryStore();
		saveSeat(maya, 1000, store);
		saveSeat(theo, 2000, store);
		expect(loadSeats(3000, store).map((s) => s.nickname)).toEqual(['Theo', 'Maya']);
		saveSeat(maya, 4000, store);
		expect(loadSeats(5000, store).map((s) => s.nickname)).toEqual(['Maya', 'Theo']);
		expect(loadSeats(5000, store)).toHaveLength(2);
		expect(findSeat('p-theo', 5000, store)?.token).toBe('t-theo');
		expect(findSeat('p-nobody', 5000, store)).toBeNull();
	});

	it('forgets a seat, and old seats on their own', () => {
		const store = memoryStore();
		saveSeat(maya, 1000, store);
		saveSeat(theo, 2000, store);
		forgetSeat('p-maya', 3000, store);
		expect(loadSeats(3000, store).map((s) => s.nickname)).toEqual(['Theo']);
		expect(loadSeats(2000 + SEAT_MAX_AGE_MS, store)).toEqual([]);
	});

	it('survives junk, a missing store and a store that throws', () => {
		expect(loadSeats(0, memoryStore({ [SEATS_KEY]: '{not json' }))).toEqual([]);
		expect(loadSeats(0, memoryStore({ [SEATS_KEY]: '{"a":1}' }))).toEqual([]);
		const mixed = memoryStore({
			[SEATS_KEY]: JSON.stringify([{ pin: 1 }, { ...maya, savedAt: 5 }])
		});
		expect(loadSeats(10, mixed).map((s) => s.nickname)).toEqual(['Maya']);

		expect(loadSeats(0, null)).toEqual([]);
		expect(() => saveSeat(maya, 0, null)).not.toThrow();
		const full = {
			getItem: () => null,
			setItem: () => {
				throw new Error('QuotaExceededError');
			}
		};
		expect(() => saveSeat(maya, 0, full)).not.toThrow();
		const forbidden = {
			getItem: () => {
				throw new Error('SecurityError');
			},
			setItem: () => {}
		};
		expect(loadSeats(0, forbidden)).toEqual([]);
	});
});
