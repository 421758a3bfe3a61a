/**
 * The library one page at a time, for its page and `GET /api/quizzes`. Keyset paging (the
 * place after the last quiz shown, as `<updatedAt>.<id>`), not an offset: page 200 of a
 * 10,000-quiz library costs what page 1 costs, and a quiz saved meanwhile moves to the top
 * without showing one twice or hiding one below.
 */
import type { QuizListCursor, QuizListItem, Storage, Viewer } from '../storage/storage.ts';

/** Quizzes a page shows; the library asks for the next as the host scrolls down to it. */
export const LIBRARY_PAGE_SIZE = 50;
/** The most one API call may ask for. */
export const MAX_LIBRARY_LIMIT = 500;

export interface LibraryQuery {
	search?: string;
	after?: QuizListCursor;
	/** Absent: the whole list (the API before paging). */
	limit?: number;
}

export interface LibraryItem extends QuizListItem {
	/** Whose it is, for a quiz shared with the viewer; null for the viewer's own. */
	ownerName: string | null;
}

export interface LibraryPage {
	quizzes: LibraryItem[];
	/** The `after` of the next page, or null: this was the last. */
	next: string | null;
}

export function cursorText(item: QuizListCursor): string {
	return `${item.updatedAt}.${item.id}`;
}

/** Quiz ids are lowercase letters, digits and - (QuizSchema), so the first dot ends the time. */
const CURSOR = /^(\d{1,16})\.([a-z0-9-]{1,64})$/;

/** `q`, `after` and `limit` from a URL's query, or what is wrong with them. */
export function readLibraryQuery(
	params: URLSearchParams
): { ok: true; query: LibraryQuery } | { ok: false; message: string } {
	const query: LibraryQuery = { search: params.get('q')?.trim() || undefined };
	const after = params.get('after');
	if (after !== null) {
		const match = CURSOR.exec(after);
		if (!match) return { ok: false, message: 'after: not a place in the library (<time>.<id>)' };
		query.after = { updatedAt: Number(match[1]), id: match[2]! };
	}
	const limit = params.get('limit');
	if (limit !== null) {
		const n = Number(limit);
		if (!Number.isInteger(n) || n < 1 || n > MAX_LIBRARY_LIMIT) {
			return { ok: false, message: `limit: a whole number from 1 to ${MAX_LIBRARY_LIMIT}` };
		}
		query.limit = n;
	}
	return { ok: true, query };
}

/**
 * One page of what `viewer` sees (all of it without a limit), each quiz with its owner's name
 * when it is someone else's. One more than the page is asked for, to know if there is a next.
 */
export async function libraryPage(
	storage: Storage,
	viewer: Viewer,
	query: LibraryQuery,
	names: ReadonlyMap<string, string>
): Promise<LibraryPage> {
	const { limit } = query;
	const found = await storage.listQuizzes({
		search: query.search,
		viewer,
		after: query.after,
		limit: limit === undefined ? undefined : limit + 1
	});
	const more = limit !== undefined && found.length > limit;
	const shown = more ? found.slice(0, limit) : found;
	return {
		quizzes: shown.map((quiz) => ({
			...quiz,
			ownerName: quiz.ownerId === viewer.accountId ? null : (names.get(quiz.ownerId ?? '') ?? null)
		})),
		next: more ? cursorText(shown.at(-1)!) : null
	};
}
