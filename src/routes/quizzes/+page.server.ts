import { fail, redirect } from '@sveltejs/kit';
import { quizFor, signedIn, viewerOf } from '$lib/server/accounts/access';
import { newQuizId } from '$lib/server/storage/ids';
import { readForm } from '$lib/server/web/http';
import { importQuizFile, MAX_IMPORT_BYTES } from '$lib/server/quizzes/import';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const search = url.searchParams.get('q')?.trim() ?? '';
	const { storage, accounts } = locals.services;
	const account = signedIn(locals);
	const viewer = viewerOf(account);
	const confirmId = url.searchParams.get('delete');
	const confirming = confirmId ? await quizFor(storage, confirmId, viewer, 'owner') : null;
	const [quizzes, everyone] = await Promise.all([
		storage.listQuizzes({ search: search || undefined, viewer }),
		accounts.accounts()
	]);
	const names = new Map(everyone.map((other) => [other.id, other.name]));
	return {
		search,
		quizzes: quizzes.map((quiz) => ({
			...quiz,
			/** Whose it is, for quizzes shared with this host. */
			ownerName: quiz.ownerId === account.id ? null : (names.get(quiz.ownerId ?? '') ?? null)
		})),
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
		const outcome = await importQuizFile(file, locals.services.storage, signedIn(locals).id);
		if (!outcome.ok) return fail(400, { error: outcome.message, rowErrors: outcome.rowErrors });
		return { imported: outcome.imported };
	}
};

function copyTitle(title: string): string {
	const copy = `${title} (copy)`;
	return copy.length <= 120 ? copy : `${title.slice(0, 113)} (copy)`;
}
