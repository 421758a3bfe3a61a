import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GAME_OPTIONS, type GameOptions } from '../protocol/messages.ts';
import { isRude } from './profanity.ts';
import { apply } from './rules.ts';
import { createGameState } from './state.ts';

/** A lobby with these options on top of the defaults. */
function lobby(options: Partial<GameOptions> = {}) {
	return createGameState({
		quiz: { version: 1, id: 'q', title: 'Q', description: '', questions: [] },
		options: { ...DEFAULT_GAME_OPTIONS, ...options },
		maxPlayers: 100
	});
}

/** The nickname the game gave, or the refusal's code and message. */
function joinAs(state: ReturnType<typeof lobby>, nickname: string): string {
	const outcome = apply(
		state,
		{ type: 'join', playerId: `id-${state.nextJoinOrder}`, nickname },
		0
	);
	if (outcome.error) return `${outcome.error.code}: ${outcome.error.message}`;
	return [...state.players.values()].at(-1)!.nickname;
}

/** First names (and a few surnames) from many countries, as children type them. */
const COMMON_NAMES = `
	Olivia Emma Amelia Ava Sophia Isabella Mia Charlotte Harper Evelyn Abigail Emily Ella
	Scarlett Grace Chloe Victoria Riley Aria Lily Zoey Penelope Layla Natalie Camila Hannah
	Brooklyn Zoe Nora Leah Savannah Audrey Claire Eleanor Skylar Ellie Samantha Stella Violet
	Mila Allison Anna Hazel Aaliyah Ariana Lucy Caroline Sarah Naomi Alice Luna Bella Quinn
	Cassie Cassidy Cassandra Jasmine Sasha Vanessa Massimo Liam Noah William James Oliver
	Benjamin Elijah Lucas Mason Logan Alexander Ethan Jacob Michael Daniel Henry Jackson
	Sebastian Aiden Matthew Samuel David Joseph Carter Owen Wyatt John Jack Luke Dylan Grayson
	Levi Isaac Gabriel Julian Mateo Anthony Lincoln Joshua Christopher Andrew Theodore Caleb
	Ryan Asher Nathan Thomas Leo Isaiah Charles Hudson Hunter Connor Eli Ezra Aaron Adrian
	Richard Dickens Benedick Nigel Titus Dixon Hitchcock Hancock Cockburn Sexton Butts Cox
	Fatima Aisha Zainab Khadija Mariam Omar Hamza Bilal Tariq Youssef Noor Amira Hassan Assad
	Priya Ananya Aarav Vihaan Arjun Aditya Rohan Ishaan Saanvi Kavya Riya Neha Pooja Rahul
	Kunal Kuntal Dhruv Harsh Nikhil Wei Ming Hui Jing Xin Fang Jun Hao Ying Xiao Chen Zhang
	Wang Liu Yang Huang Zhao Wu Zhou Xu Sun Zhu Guo Lin Luo Gao Fu Nguyen Tran Pham Phuc Dung
	Thao Minh Yuki Haruto Sota Hinata Sakura Yui Aoi Hana Kenji Hiroshi Shiho Hitomi Fukuda
	Matsushita Kim Lee Park Choi Jung Kang Suk Sofia Lucia Martina Paula Daniela Valeria Alba
	Pablo Alvaro Diego Paco Pepe Nacho Lupe Concha Jean Pierre Jules Manon Camille Louise
	Anaïs Zoë Maximilian Lukas Jonas Leon Finn Elias Emil Klara Giulia Ginevra Alessandro
	Francesco Mattia Tommaso Bianca Chiara Oskar Zuzanna Jakub Kacper Szymon Wojciech Bartosz
	Ngozi Chinwe Chinedu Chidi Chika Obinna Oluwaseun Ayodele Kofi Kwame Akua Thabo Sipho
	Tendai Wanjiku Kamau Fatou Moussa Mamadou Aminata Saoirse Niamh Aoife Siobhan Oisin Cian
	Aroha Wiremu Keanu Leilani Olga Irina Natasha Tatiana Dmitri Sergei Nikita Bogdan Taras
	Ahmet Mehmet Mustafa Emre Elif Zeynep Ayşe Deniz Scunthorpe Penistone Essex Sussex
	Dickinson Dickson Cumming Cummings Fagan Semenya Analise Annalise Wankhede Dikshit
	Shittu Pissarro Assunta Shitake Cumberbatch
`
	.trim()
	.split(/\s+/);

describe('the profanity filter', () => {
	it('catches rude words however they are spelled', () => {
		for (const rude of [
			'fuck',
			'FUCK',
			'Fück',
			'ｆｕｃｋ', // fullwidth
			'𝐟𝐮𝐜𝐤', // mathematical bold
			'fuuuuck',
			'f.u.c.k',
			'f u c k',
			'F-U-C-K',
			'sh1t',
			'$hit',
			'B!tch',
			'a$$hole',
			'Dickhead',
			'Big Shithead'
		]) {
			expect(isRude(rude), rude).toBe(true);
		}
	});

	it('catches hate names too, and not the real names that contain them', () => {
		for (const hate of ['Hitler', 'H1tler', 'AdolfHitler', 'Nazi', 'Grammar Nazi', 'Heil']) {
			expect(isRude(hate), hate).toBe(true);
		}
		for (const name of ['Nazia', 'Nazia Hassan', 'Heilig', 'Heilmann', 'Nazir']) {
			expect(isRude(name), name).toBe(false);
		}
	});

	it('lets common first names and surnames from many countries through', () => {
		const refused = COMMON_NAMES.filter((name) => isRude(name));
		expect(refused).toEqual([]);
		expect(COMMON_NAMES.length).toBeGreaterThan(300);
	});

	it('lets full names through whose parts only contain a listed word', () => {
		for (const name of ['Emily Dickinson', 'Caster Semenya', 'Fu Wei', 'Anna Lise', 'Shi Tao']) {
			expect(isRude(name), name).toBe(false);
		}
	});

	it('refuses "Dick" on its own: in a classroom it is far more often the insult than the name', () => {
		expect(isRude('Dick')).toBe(true);
		expect(isRude('Dick Grayson')).toBe(true);
		expect(isRude('Richard Grayson')).toBe(false);
	});

	it('does not join whole words into one ("Pen Is" is two words)', () => {
		expect(isRude('Pen Is')).toBe(false);
		expect(isRude('A. J. Cole')).toBe(false);
		expect(isRude('J.R.R. Tolkien')).toBe(false);
	});
});

describe('joining with the profanity filter', () => {
	it('is on by default', () => {
		expect(DEFAULT_GAME_OPTIONS.profanityFilter).toBe(true);
	});

	it('refuses a rude nickname kindly, and the player can pick another', () => {
		const state = lobby();
		expect(joinAs(state, 'Sh1thead')).toBe('nickname-rude: Pick a friendlier nickname');
		expect(state.players.size).toBe(0);
		expect(joinAs(state, 'Maya')).toBe('Maya');
	});

	it('says "rude" before "taken", so a refused name is never hinted at', () => {
		const state = lobby({ profanityFilter: false });
		joinAs(state, 'Bitch');
		state.options = { ...state.options, profanityFilter: true };
		expect(joinAs(state, 'bitch')).toBe('nickname-rude: Pick a friendlier nickname');
	});

	it('lets rude nicknames through when the host turned it off', () => {
		const state = lobby({ profanityFilter: false });
		expect(joinAs(state, 'Sh1thead')).toBe('Sh1thead');
	});

	it('filters games restored from before the option existed', () => {
		const state = lobby();
		const { profanityFilter: _, ...old } = state.options;
		state.options = old as GameOptions;
		expect(joinAs(state, 'fuck')).toMatch(/^nickname-rude/);
	});
});

describe('the profanity filter in the browser', () => {
	it('is never imported by code that runs in a browser', () => {
		const root = fileURLToPath(new URL('../../..', import.meta.url));
		const src = join(root, 'src');
		const files = (dir: string): string[] =>
			readdirSync(dir).flatMap((name) => {
				const path = join(dir, name);
				return statSync(path).isDirectory() ? files(path) : [path];
			});
		const isBrowserEntry = (path: string) =>
			path.startsWith(join(src, 'lib/client')) ||
			path.startsWith(join(src, 'lib/components')) ||
			path.endsWith('.svelte') ||
			/\/\+(page|layout)\.ts$/.test(path);
		const entries = files(src).filter(
			(path) => isBrowserEntry(path) && !path.endsWith('.test.ts') && /\.(ts|svelte)$/.test(path)
		);
		expect(entries.length).toBeGreaterThan(10);

		// Everything those files import, followed through our own modules.
		const seen = new Set<string>();
		const reachedFrom = new Map<string, string>();
		const queue = [...entries];
		while (queue.length > 0) {
			const file = queue.pop()!;
			if (seen.has(file)) continue;
			seen.add(file);
			const text = readFileSync(file, 'utf8');
			for (const [, spec = ''] of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
				if (spec === 'obscenity') reachedFrom.set('obscenity', relative(root, file));
				const base = spec.startsWith('$lib/')
					? join(src, 'lib', spec.slice(5))
					: spec.startsWith('.')
						? resolve(dirname(file), spec)
						: null;
				if (base === null) continue;
				const target = [base, `${base}.ts`, join(base, 'index.ts')].find(
					(path) => /\.(ts|svelte)$/.test(path) && safeIsFile(path)
				);
				if (!target) continue;
				if (!reachedFrom.has(target)) reachedFrom.set(target, relative(root, file));
				queue.push(target);
			}
		}
		expect(seen.size).toBeGreaterThan(entries.length);
		expect(reachedFrom.get('obscenity')).toBeUndefined();
		expect(reachedFrom.get(join(src, 'lib/game/profanity.ts'))).toBeUndefined();
	});
});

function safeIsFile(path: string): boolean {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
}
