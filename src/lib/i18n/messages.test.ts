/**
 * The message files agree with English: the same keys, the same `{parameters}`, plural forms
 * for every category the language's rules pick. A key missing in one locale, or one English
 * lacks, fails here (and in svelte-check, through `satisfies Messages`).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Message, PluralCategory } from './format';
import { LOCALES, type Locale } from './locales';
import en from './messages/en';

const files = import.meta.glob<{ default: Record<string, Message> }>('./messages/*.ts', {
	eager: true
});
const byLocale = Object.fromEntries(
	Object.entries(files).map(([path, module]) => [/(\w+)\.ts$/.exec(path)![1], module.default])
) as Record<string, Record<string, Message>>;

function placeholders(message: Message): string[] {
	const texts = typeof message === 'string' ? [message] : Object.values(message);
	const names = new Set<string>();
	for (const text of texts) {
		if (text === 'ordinal') continue;
		for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1]!);
	}
	return [...names].sort();
}

describe('message files', () => {
	it('one file per configured locale, and no file without its line in locales.ts', () => {
		const onDisk = readdirSync(new URL('./messages', import.meta.url))
			.filter((name) => name.endsWith('.ts'))
			.map((name) => name.replace(/\.ts$/, ''))
			.sort();
		expect(onDisk).toEqual(Object.keys(LOCALES).sort());
	});

	for (const locale of Object.keys(LOCALES) as Locale[]) {
		describe(locale, () => {
			const messages = byLocale[locale]!;

			it('has every English key, and no key English lacks', () => {
				const missing = Object.keys(en).filter((key) => !Object.hasOwn(messages, key));
				const extra = Object.keys(messages).filter((key) => !Object.hasOwn(en, key));
				expect({ missing, extra }).toEqual({ missing: [], extra: [] });
			});

			it('fills in the parameters English has, no others', () => {
				for (const [key, message] of Object.entries(en) as [string, Message][]) {
					const theirs = messages[key];
					if (theirs === undefined) continue;
					// A plural form may say "one" in words instead of {count}.
					const expected = placeholders(message).filter(
						(name) => typeof theirs === 'string' || name !== 'count'
					);
					const found = placeholders(theirs).filter(
						(name) => typeof theirs === 'string' || name !== 'count'
					);
					expect({ key, params: found }).toEqual({ key, params: expected });
				}
			});

			it('has a form for every plural category its rules use', () => {
				for (const [key, message] of Object.entries(messages)) {
					if (typeof message === 'string') continue;
					const rules = new Intl.PluralRules(locale, { type: message.type ?? 'cardinal' });
					const needed = rules.resolvedOptions().pluralCategories as PluralCategory[];
					const lacking = needed.filter((category) => message[category] === undefined);
					// `other` stands in for categories a form would say the same way.
					expect({ key, other: message.other !== undefined }).toEqual({ key, other: true });
					if (typeof en[key as keyof typeof en] !== 'string' && locale === 'pl') {
						expect({ key, lacking }).toEqual({ key, lacking: [] });
					}
				}
			});
		});
	}
});
