import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: [
			'src/**/*.test.ts',
			'scripts/**/*.test.ts',
			'tests/integration/**/*.test.ts',
			'tests/load/**/*.test.ts'
		],
		globalSetup: ['tests/integration/global-setup.ts'],
		// Integration tests spawn real servers; two cores are plenty busy with one file at a time each.
		fileParallelism: true,
		testTimeout: 30_000,
		hookTimeout: 120_000
	}
});
