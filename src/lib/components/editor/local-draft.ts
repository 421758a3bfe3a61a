/**
 * Unsaved work kept in this browser's localStorage, so a closed tab, a crash or a dead laptop
 * battery never loses a half-written quiz. One draft per quiz id ('new' for a quiz not saved
 * yet). Every call tolerates a missing or full localStorage (private mode, quota): the editor
 * keeps working, only without the safety net.
 */
import type { DraftQuiz } from './draft.ts';

export interface LocalDraft {
	/** When this browser last wrote the draft (epoch ms). */
	writtenAt: number;
	quiz: DraftQuiz;
	/**
	 * The stored version (`updatedAt`) the draft was edited from; null for a quiz never saved.
	 * Absent in drafts kept before it was recorded.
	 */
	basedOn?: number | null;
}

const PREFIX = 'quizroom-draft:';

export function draftKey(quizId: string | null): string {
	return PREFIX + (quizId ?? 'new');
}

export function readLocalDraft(key: string): LocalDraft | null {
	try {
		const text = localStorage.getItem(key);
		if (!text) return null;
		const draft = JSON.parse(text) as LocalDraft;
		if (typeof draft.writtenAt !== 'number' || !Array.isArray(draft.quiz?.questions)) return null;
		return draft;
	} catch {
		return null;
	}
}

export function writeLocalDraft(
	key: string,
	quiz: DraftQuiz,
	now = Date.now(),
	basedOn: number | null = null
): void {
	try {
		localStorage.setItem(
			key,
			JSON.stringify({ writtenAt: now, quiz, basedOn } satisfies LocalDraft)
		);
	} catch {
		// Quota or privacy mode: nothing to fall back to; the beforeunload warning still stands.
	}
}

export function clearLocalDraft(key: string): void {
	try {
		localStorage.removeItem(key);
	} catch {
		// Same as above.
	}
}
