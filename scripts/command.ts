/** What the small npm-run commands (admin, backup, restore) share: how they end, and counts in words. */

/** Runs `main` and exits with its code; a failure prints its message alone (no stack) and exits 1. */
export function runCommand(main: () => Promise<number>): void {
	main().then(
		(code) => process.exit(code),
		(error: unknown) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		}
	);
}

/** "1 quiz", "3 quizzes". */
export function count(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}
