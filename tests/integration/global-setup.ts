/**
 * Integration tests run the real server, which serves the built SvelteKit app. Build it once
 * if this checkout has no build yet (`npm test` builds before running them anyway).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function setup(): void {
	if (!existsSync('build/handler.js')) {
		execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
	}
}
