import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';

/**
 * Where the focus goes once a form's answer is on the page. After a successful action SvelteKit
 * moves it to the top of the page, as after a page change: someone on a keyboard or a screen
 * reader would start the page over from there. Noted as the form is sent: the control in use
 * (the field Enter was pressed in, else the button pressed). Then, in this order: `to` (what
 * the answer brought, such as a new link's Copy button), a field the answer marked wrong, the
 * control in use if it is still there, or the control now in its place in the same form (Disable
 * became Enable).
 */
export function focusKeeper(
	form: HTMLFormElement,
	submitter: HTMLElement | null
): (to?: HTMLElement | null) => Promise<void> {
	const controls = () => [
		...form.querySelectorAll<HTMLElement>('input:not([type="hidden"]), select, button, a[href]')
	];
	const active = document.activeElement;
	const inUse = active instanceof HTMLElement && form.contains(active) ? active : submitter;
	const index = inUse ? controls().indexOf(inUse) : -1;
	return async (to) => {
		await tick();
		const wrong = form.querySelector<HTMLElement>('[aria-invalid="true"]');
		const next =
			to ??
			wrong ??
			(inUse?.isConnected ? inUse : null) ??
			(form.isConnected && index >= 0 ? controls()[index] : null);
		next?.focus();
	};
}

/** `use:enhance` for a form whose page changes under the hand that sent it: see focusKeeper. */
export const keepFocus: SubmitFunction = ({ formElement, submitter }) => {
	const restore = focusKeeper(formElement, submitter);
	return async ({ update }) => {
		await update();
		await restore();
	};
};
