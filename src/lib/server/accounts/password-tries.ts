/**
 * A password checked as one counted try: at sign-in, and for "your current password" on the
 * account page. The rules keep guessing slow without letting one person lock others out:
 *
 * - From a browser the account signed in from before (its known-device cookie,
 *   known-devices.ts) the try counts for that browser and account alone (`DEVICE_BACK_OFF`):
 *   nobody else's wrong guesses hold its owner up.
 * - From any other browser it counts per name at the address (`NAME_AT_ADDRESS_BACK_OFF`) and
 *   per name everywhere, with a short cap (`NAME_BACK_OFF`). A name nobody has counts the same
 *   way and is checked against a decoy hash, so no answer says whether it exists.
 * - An address that failed very often across names has its tries from unknown browsers held
 *   back a little (`ADDRESS_SLOWDOWN`): slowed, never refused, since a school is one address.
 * - The try is counted before the password is checked, in one step of the store with the
 *   check of the wait (`takeTry`): forty tries at once are five tries and thirty-five waits,
 *   not forty checks. A right password clears the name's counts.
 * - The check waits for a turn at hashing (`takeHashTurn`): past a short line it is refused at
 *   once ("busy"), and one address holds at most a few places in it.
 *
 * A disabled account's right password is a wrong one here: the answer says nothing more.
 */
import type { Result } from '../../protocol/http.ts';
import { waitInWords } from '../../protocol/wait.ts';
import {
	ADDRESS_SLOWDOWN,
	DEVICE_BACK_OFF,
	NAME_AT_ADDRESS_BACK_OFF,
	NAME_BACK_OFF,
	backOffMs,
	slowdownMs,
	type BackOffPolicy
} from '../limits/back-off.ts';
import { ConnectionCounter } from '../limits/limits.ts';
import {
	accountNameKey,
	type Account,
	type AccountStore,
	type TryRule
} from '../storage/accounts.ts';
import { knownDevice } from './known-devices.ts';
import {
	hashPassword,
	takeHashTurn,
	verifyNobody,
	verifyPassword,
	type ScryptParams
} from './passwords.ts';

/** Checks from one address (from browsers not known for the name) at once, at most. */
const TRIES_AT_ONCE_PER_ADDRESS = 4;

/** Where a try comes from. */
export interface TryFrom {
	address: string;
	/** The known-devices cookie as the browser sent it. */
	knownDevices?: string;
}

export type TryRefusal = 'wrong' | 'wait' | 'busy';

export class PasswordTries {
	private readonly inProgress = new ConnectionCounter(TRIES_AT_ONCE_PER_ADDRESS);

	constructor(
		private readonly store: AccountStore,
		private readonly now: () => number,
		private readonly params: ScryptParams,
		private readonly sleep: (ms: number) => Promise<void> = (ms) =>
			new Promise((resolve) => setTimeout(resolve, ms))
	) {}

	/**
	 * Is `password` the account's? `account` is who `name` names (null: nobody). Right: the
	 * account (its hash made again if its parameters are old). Else `wrong` (the caller words
	 * it), `wait` or `busy`, with `retryAfterS`.
	 */
	async check(
		name: string,
		account: Account | null,
		password: string,
		from: TryFrom
	): Promise<Result<{ account: Account }, TryRefusal>> {
		const nameKey = `name:${accountNameKey(name)}`;
		const device = account ? knownDevice(account, from.knownDevices) : null;
		const deviceKey = device && `device:${account!.id}:${device}`;
		const atAddress = `at:${from.address}:${nameKey}`;
		const rules = deviceKey
			? [rule(deviceKey, DEVICE_BACK_OFF, this.now)]
			: [
					rule(atAddress, NAME_AT_ADDRESS_BACK_OFF, this.now),
					rule(nameKey, NAME_BACK_OFF, this.now)
				];
		const addressKey = `address:${from.address}`;
		if (!deviceKey && !this.inProgress.tryOpen(from.address)) return busy();
		try {
			if (!deviceKey) {
				const hold = slowdownMs(
					await this.store.failures(addressKey),
					this.now(),
					ADDRESS_SLOWDOWN
				);
				if (hold > 0) await this.sleep(hold);
			}
			const turn = takeHashTurn();
			if (!turn) return busy();
			try {
				const now = this.now();
				const wait = await this.store.takeTry(rules, now);
				if (wait > 0) return waitRefusal(wait, deviceKey !== null);
				let right: Account | null = null;
				if (account?.passwordHash) {
					const check = await verifyPassword(password, account.passwordHash, this.params, turn);
					if (check.ok && !account.disabled) right = account;
					if (right && check.rehash) {
						const passwordHash = await hashPassword(password, this.params, turn);
						right = (await this.store.updateAccount(right.id, { passwordHash })) ?? right;
					}
				} else {
					await verifyNobody(password, this.params, turn);
				}
				if (!right) {
					if (!deviceKey)
						await this.store.noteFailure(addressKey, now, ADDRESS_SLOWDOWN.forgetAfterMs);
					return { ok: false, code: 'wrong', message: 'Wrong password' };
				}
				// The owner is in: the name's counts start over, here and everywhere.
				const cleared = [atAddress, nameKey, ...(deviceKey ? [deviceKey] : [])];
				await Promise.all(cleared.map((key) => this.store.clearFailures(key)));
				return { ok: true, account: right };
			} finally {
				turn.done();
			}
		} finally {
			if (!deviceKey) this.inProgress.close(from.address);
		}
	}
}

function rule(key: string, policy: BackOffPolicy, now: () => number): TryRule {
	return {
		key,
		forgetAfterMs: policy.forgetAfterMs,
		waitMs: (failures) => backOffMs(failures, now(), policy)
	};
}

function waitRefusal(waitMs: number, onThisBrowser: boolean) {
	const retryAfterS = Math.ceil(waitMs / 1000);
	const what = onThisBrowser ? 'on this browser' : 'for this name';
	return {
		ok: false,
		code: 'wait',
		message: `Too many wrong passwords ${what}: try again ${waitInWords(retryAfterS * 1000)}`,
		retryAfterS
	} as const;
}

function busy() {
	return {
		ok: false,
		code: 'busy',
		message: 'Too many sign-ins right now: try again in a few seconds',
		retryAfterS: 5
	} as const;
}
