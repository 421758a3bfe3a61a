/**
 * A record with something of every kind in it (accounts with a password, a passkey, sessions
 * and links; quizzes owned, played and shared; a picture with two owners; reports; the samples
 * flag), and the whole of a store's export, for the export and import tests and `npm run
 * migrate`'s.
 */
import { isAccountBatch, type Batch, type Kind } from '../server/storage/copy.ts';
import type { Storage } from '../server/storage/storage.ts';
import {
	makeGame,
	makeGameOfEveryType,
	makeQuiz,
	makeQuizOfEveryType,
	PNG
} from './quiz-fixtures.ts';

/** Every kind's rows, in the order exported, one list per kind (empty ones left out). */
export type Exported = { [K in Kind]?: Extract<Batch, { kind: K }>['rows'] };

/** Fills an empty store the way a school's server fills it, through the ordinary calls. */
export async function fillRecord(storage: Storage): Promise<void> {
	const accounts = storage.accounts;
	await accounts.createAccount({
		id: 'acc-ortiz',
		name: 'Ms Ortiz',
		role: 'admin',
		passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
		disabled: false,
		createdAt: 1_000,
		lastSignInAt: 9_000
	});
	await accounts.createAccount({
		id: 'acc-lee',
		name: 'Mr Lee',
		role: 'host',
		passwordHash: null,
		disabled: true,
		createdAt: 2_000,
		lastSignInAt: null
	});
	await accounts.createSession({
		id: 'f'.repeat(64),
		accountId: 'acc-ortiz',
		createdAt: 3_000,
		lastSeenAt: 4_000,
		expiresAt: 10_000_000_000_000,
		device: 'Firefox on Linux'
	});
	await accounts.saveToken({
		id: 'a'.repeat(64),
		kind: 'invite',
		accountId: 'acc-lee',
		createdAt: 3_000,
		expiresAt: 10_000_000_000_000,
		issuer: null
	});
	await accounts.saveToken({
		id: 'b'.repeat(64),
		kind: 'setup',
		accountId: null,
		createdAt: 3_500,
		expiresAt: 10_000_000_000_000,
		issuer: 'laptop'
	});
	await accounts.addPasskey({
		id: 'cred-1',
		accountId: 'acc-ortiz',
		publicKey: new Uint8Array([1, 2, 3, 250, 0]),
		counter: 7,
		transports: ['internal', 'hybrid'],
		createdAt: 5_000,
		lastUsedAt: 6_000
	});
	await accounts.noteFailure('name:ms ortiz', 7_000, 60_000);

	await storage.seedSamples([makeQuiz('world-geography', 'World geography')], 500);
	await storage.saveQuiz(makeQuiz('capitals', 'Capitals', 3), 1_000, 'acc-ortiz');
	await storage.saveQuiz(makeQuiz('capitals', 'European capitals', 2), 1_500);
	await storage.markQuizPlayed('capitals', 1_700);
	await storage.shareQuiz('capitals', 'acc-lee', 'use');
	await storage.shareQuiz('capitals', '*', 'use');
	await storage.shareQuiz('capitals', 'acc-lee', 'edit');
	await storage.saveQuiz(
		makeQuizOfEveryType('every-type', 'Ünïcödé ✓ every type'),
		2_000,
		'acc-lee'
	);
	await storage.saveImage(PNG, 'image/png', 'acc-ortiz');
	await storage.saveImage(PNG, 'image/png', 'acc-lee');
	await storage.saveImage(new Uint8Array([0xff, 0xd8, 0xff, 9]), 'image/jpeg');
	await storage.saveGame({ ...makeGame('g-capitals', 1_000_000), hostId: 'acc-ortiz' });
	await storage.saveGame(makeGameOfEveryType('g-every'));
}

/** The store's whole export: accounts first, as `npm run migrate` copies them. */
export async function exportAll(storage: Storage): Promise<Batch[]> {
	const batches: Batch[] = [];
	for await (const batch of storage.accounts.exportAccounts()) batches.push(batch);
	for await (const batch of storage.exportRecord()) batches.push(batch);
	return batches;
}

export function byKind(batches: Batch[]): Exported {
	const kinds: Record<string, unknown[]> = {};
	for (const batch of batches) (kinds[batch.kind] ??= []).push(...batch.rows);
	return kinds as Exported;
}

/** Writes batches into a store, each as it came. */
export async function importAll(storage: Storage, batches: Batch[]): Promise<void> {
	for (const batch of batches) {
		if (isAccountBatch(batch)) await storage.accounts.importAccounts(batch);
		else await storage.importRecord(batch);
	}
}
