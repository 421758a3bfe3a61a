import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The built handler is mounted by src/server.ts; adapter-node's own server is not used.
		adapter: adapter({ out: 'build' })
	}
};

export default config;
