import { randomInt } from 'node:crypto';

export const PIN_LENGTH = 6;

/** A 6-digit PIN from a cryptographic source; no leading zero, so it reads and types as shown. */
export function randomPin(): string {
	return String(randomInt(10 ** (PIN_LENGTH - 1), 10 ** PIN_LENGTH));
}

export function isPinShaped(text: string): boolean {
	return /^\d{6}$/.test(text);
}

/**
 * Picks a PIN no live room uses and claims it in the same synchronous step, so two games
 * created at once can never share one (there is no await between the check and the claim).
 */
export function claimPin<T>(rooms: Map<string, T>, create: (pin: string) => T, attempts = 50): T {
	for (let i = 0; i < attempts; i++) {
		const pin = randomPin();
		if (rooms.has(pin)) continue;
		const room = create(pin);
		rooms.set(pin, room);
		return room;
	}
	throw new Error('No free PIN found: too many live games');
}
