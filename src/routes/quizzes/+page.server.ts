import { fail, redirect } from '@sveltejs/kit';
import { newQuizId } from '$lib/server/storage/ids';
import { readForm } from '$lib/server/web/http';
import { importQuizFile, MAX_IMPORT_BYTES } from '$lib/server/quizzes/import';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const search = url.searchParams.get('q')?.trim() ?? '';
	const { storage } = locals.services;
	const confirmId = url.searchParams.get('delete');
	const confirming = confirmId ? await storage.getQuiz(confirmId) : null;
	return {
		search,
		quizzes: await storage.listQuizzes(search || undefined),
		confirmDelete: confirming ? { id: confirming.quiz.id, title: confirming.quiz.title } : null
	};
};

export const actions: Actions = {
	duplicate: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { error: read.message });
		const id = String(read.form.get('id') ?? '');
		const { storage } = locals.services;
		const original = await storage.getQuiz(id);
		if (!original) return fail(404, { error: 'That quiz no longer exists' });
		const copy = { ...original.quiz, id: newQuizId(), title: copyTitle(original.quiz.title) };
		await storage.saveQuiz(copy, Date.now());
		redirect(303, `/quizzes/${copy.id}`);
	},
	delete: async ({ request, locals }) => {
		const read = await readForm(request);
		if (!read.ok) return fail(read.status, { error: read.message });
		const id = String(read.form.get('id') ?? '');
		if (!(await locals.services.storage.deleteQuiz(id))) {
			return fail(404, { error: 'That quiz no longer exists' });
		}
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
		const outcome = await importQuizFile(file, locals.services.storage);
		if (!outcome.ok) return fail(400, { error: outcome.message, rowErrors: outcome.rowErrors });
		return { imported: outcome.imported };
	}
};

function copyTitle(title: string): string {
	const copy = `${title} (copy)`;
	return copy.length <= 120 ? copy : `${title.slice(0, 113)} (copy)`;
}
