/**
 * What a signed-in host may reach, object by object: a quiz by its access (own, shared to
 * edit, shared to use), a report by who hosted the game. What is neither theirs nor shared is
 * answered as if it did not exist (404), so ids do not leak; what they may see but not change
 * is refused (403). Admins see and change everything.
 */
import type { Result } from '../../protocol/http.ts';
import type { Account, AccountSession } from '../storage/accounts.ts';
import type { GameRecord } from '../../game/record.ts';
import type { QuizAccess, Storage, StoredQuiz, Viewer } from '../storage/storage.ts';

export function viewerOf(account: Pick<Account, 'id' | 'role'>): Viewer {
	return { accountId: account.id, everything: account.role === 'admin' };
}

interface SignedInLocals {
	account: Account | null;
	session: AccountSession | null;
}

/**
 * The signed-in account of a route behind a `host` or `admin` door (the hook let no one else
 * in); a route that asks without one is a bug, refused rather than run as nobody.
 */
export function signedIn(locals: SignedInLocals): Account {
	if (!locals.account) throw new Error('A host route ran without a signed-in account');
	return locals.account;
}

/** Who is asking, as the live side checks a host seat against it (live/seats.ts `Identity`). */
export function identityOf(
	locals: SignedInLocals
): { accountId: string; admin: boolean; sessionId: string } | null {
	const { account, session } = locals;
	if (!account || !session) return null;
	return { accountId: account.id, admin: account.role === 'admin', sessionId: session.id };
}

const RANK: Record<QuizAccess, number> = { use: 1, edit: 2, owner: 3 };

/** Why a host who sees the quiz may not do what they asked, unless the route says better. */
const REFUSED: Record<QuizAccess, string> = {
	use: 'You may not use this quiz',
	edit: 'You may not edit this quiz: it is shared with you to use. Duplicate it to make your own copy',
	owner: 'Only the quiz’s owner may do this'
};

export type QuizRefusal = 'unknown-quiz' | 'forbidden';

/**
 * The quiz, if the viewer may do at least `need` with it. `refusal`: what a host who sees the
 * quiz but may not do this is told (403), e.g. "Only the quiz’s owner may delete it".
 */
export async function quizFor(
	storage: Storage,
	id: string,
	viewer: Viewer,
	need: QuizAccess,
	refusal = REFUSED[need]
): Promise<Result<{ stored: StoredQuiz; access: QuizAccess }, QuizRefusal>> {
	const access = await storage.quizAccess(id, viewer);
	const stored = access && (await storage.getQuiz(id));
	if (!access || !stored) {
		return { ok: false, code: 'unknown-quiz', message: `No quiz with id "${id}"` };
	}
	// An admin may do anything with any quiz; the list still says whose it is.
	if (!viewer.everything && RANK[access] < RANK[need]) {
		return { ok: false, code: 'forbidden', message: refusal };
	}
	return { ok: true, stored, access };
}

/** A played game's report, if the viewer hosted it (or is an admin). */
export async function reportFor(
	storage: Storage,
	id: string,
	viewer: Viewer
): Promise<GameRecord | null> {
	const record = await storage.getGame(id);
	if (!record) return null;
	return viewer.everything || record.hostId === viewer.accountId ? record : null;
}
