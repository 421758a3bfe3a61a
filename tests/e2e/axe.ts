/**
 * axe-core on a page, injected from node_modules (nothing from the internet). Contexts that run
 * it bypass the Content-Security-Policy (`bypassCSP: true`) only so the injected script may
 * run; csp.test.ts checks the policy itself.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from './screens.ts';

const axeSource = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

export interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: string[];
}

/**
 * Every violation axe finds on the page as it is now, and the contrast it could not decide
 * (impact `review`, to look at). Not the page's own background, a gradient between two dark
 * purples that white and --on-dark-soft text clear at 9:1 or more.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
	return page.evaluate(async () => {
		type Result = {
			id: string;
			impact: string | null;
			help: string;
			nodes: { target: string[]; failureSummary?: string }[];
		};
		const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
			.axe;
		const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
			violations: Result[];
			incomplete: Result[];
		};
		const unsure = result.incomplete
			.filter((v) => v.id === 'color-contrast')
			.map((v) => ({
				...v,
				nodes: v.nodes.filter((n) => !/background gradient/.test(n.failureSummary ?? ''))
			}))
			.filter((v) => v.nodes.length > 0)
			.map((v) => ({ ...v, id: 'color-contrast (needs review)', impact: 'review' }));
		return [...result.violations, ...unsure].map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
		}));
	});
}

/** Fails on any serious or critical violation, naming the screen. */
export async function runAxe(page: Page, screen: string): Promise<void> {
	const serious = (await axeViolations(page)).filter(
		(v) => v.impact === 'serious' || v.impact === 'critical'
	);
	expect(serious, `axe on ${screen}`).toEqual([]);
}
