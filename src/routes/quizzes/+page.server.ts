import { fail, redirect } from '@sveltejs/kit';
import { quizFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import { newQuizId } from '$lib/server/storage/ids';
import { readForm } from '$lib/server/web/http';
import { importQuizFile, MAX_IMPORT_BYTES } from '$lib/server/quizzes/import';
import { LIBRARY_PAGE_SIZE, libraryPage, readLibraryQuery } from '$lib/server/quizzes/library-page';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { storage, accounts } = locals.services;
	const account = signedIn(locals);
	const viewer = viewerOf(account);
	// A place that is not one (an old or hand-made link) starts at the top.
	const read = readLibraryQuery(url.searchParams);
	const query = read.ok
		? { ...read.query, limit: LIBRARY_PAGE_SIZE }
		: { limit: LIBRARY_PAGE_SIZE };
	const confirmId = url.searchParams.get('delete');
	const confirming = confirmId ? await quizFor(storage, confirmId, viewer, 'owner') : null;
	const everyone = await accounts.accounts();
	const names = new Map(everyone.map((other) => [other.id, other.name]));
	const page = await libraryPage(storage, viewer, query, names);
	return {
		search: query.search ?? '',
		/** A later page, reached without JavaScript: the page offers the way back to the top. */
		paged: query.after !== undefined,
		...page,
		pageSize: LIBRARY_PAGE_SIZE,
		/** The other accounts, to share with. */
		hosts: everyone
			.filter((other) => other.id !== account.id && !other.disabled)
			.map((other) => ({ id: other.id, name: other.name })),
		confirmDelete: confirming?.ok
			? { id: confirming.stored.quiz.id, title: confirming.stored.quiz.title }
			: null
	};
};

export const actions: Actions = {
	duplicate: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { error: read.message });
		const id = String(read.form.get('id') ?? '');
		const { storage } = locals.services;
		const account = signedIn(locals);
		// A quiz shared to use may be copied: the copy is the host's own, to change at will.
		const original = await quizFor(storage, id, viewerOf(account), 'use');
		if (!original.ok) return fail(404, { error: 'That quiz no longer exists' });
		const { quiz } = original.stored;
		const copy = { ...quiz, id: newQuizId(), title: copyTitle(quiz.title) };
		await storage.saveQuiz(copy, Date.now(), account.id);
		redirect(303, `/quizzes/${copy.id}`);
	},
	delete: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { error: read.message });
		const id = String(read.form.get('id') ?? '');
		const { storage } = locals.services;
		const owned = await quizFor(storage, id, viewerOf(signedIn(locals)), 'owner');
		if (!owned.ok) {
			const missing = owned.code === 'unknown-quiz';
			return fail(missing ? 404 : 403, {
				error: missing ? 'That quiz no longer exists' : 'Only its owner can delete this quiz'
			});
		}
		await storage.deleteQuiz(id);
		redirect(303, '/quizzes');
	},
	import: async ({ request, locals }) => {
		// A little over the file's own limit, for the form's other bytes.
		const read = await readForm(request, MAX_IMPORT_BYTES + 64 * 1024);
		if (!read.ok) {
			const tooBig = read.status === 413;
			return fail(read.status, {
				error: tooBig ? 'That file is too big to be a quiz (20 MB at most)' : read.message
			});
		}
		const file = read.form.get('file');
		if (!(file instanceof File) || (file.size === 0 && file.name === '')) {
			return fail(400, { error: 'Choose a file to import (.json, .xlsx or .csv)' });
		}
		if (file.size === 0) return fail(400, { error: `${file.name} is empty: nothing to import` });
		const { storage, imports, pictureQuotaBytes } = locals.services;
		const owner = signedIn(locals).id;
		const outcome = await importQuizFile(file, storage, owner, imports, pictureQuotaBytes);
		if (!outcome.ok) return fail(400, { error: outcome.message, rowErrors: outcome.rowErrors });
		return { imported: outcome.imported };
	}
};

function copyTitle(title: string): string {
	const copy = `${title} (copy)`;
	return copy.length <= 120 ? copy : `${title.slice(0, 113)} (copy)`;
}
