/**
 * The one GameService of this process. The entry creates it; SvelteKit's bundle (which has its
 * own copy of every module) finds the same instance here and hands it to routes via locals.
 */
import type { AccountService } from './accounts/account-service.ts';
import type { Passkeys } from './accounts/passkeys.ts';
import type { GameService } from './live/game-service.ts';
import type { Lobby } from './live/lobby.ts';
import type { QuizFileReader } from './quizzes/import.ts';
import type { Storage } from './storage/storage.ts';

export interface Services {
	/** This process's games (the room server seats sockets here). */
	games: GameService;
	/** The HTTP steps into games, wherever in the cluster they live. */
	lobby: Lobby;
	storage: Storage;
	/** Hosts' accounts and sessions. */
	accounts: AccountService;
	passkeys: Passkeys;
	/** Reads imported quiz files off the event loop, a few at a time (quizzes/import-gate.ts). */
	imports: QuizFileReader;
	/** Bytes of pictures each host may keep (quizzes/picture-quota.ts); 0: no limit. */
	pictureQuotaBytes: number;
	/** Base address phones use to join, e.g. http://192.168.1.20:3000 (shown in the lobby). */
	publicUrl: string;
}

const KEY = Symbol.for('quizroom.services');

type WithServices = typeof globalThis & { [KEY]?: Services };

export function installServices(services: Services): Services {
	const holder = globalThis as WithServices;
	if (holder[KEY] && holder[KEY] !== services) {
		throw new Error('Quizroom services are already installed in this process');
	}
	holder[KEY] = services;
	return services;
}

export function getServices(): Services {
	const services = (globalThis as WithServices)[KEY];
	if (!services) {
		throw new Error('Quizroom services are missing: start the app with src/server.ts (npm start)');
	}
	return services;
}

/** Tests start and stop servers in one process. */
export function uninstallServices(): void {
	delete (globalThis as WithServices)[KEY];
}
