import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The built handler is mounted by src/server.ts; adapter-node's own server is not used.
		adapter: adapter({ out: 'build' }),
		// The pages' Content-Security-Policy. 'auto' puts a nonce on SvelteKit's own inline
		// script in each rendered page. Styles need 'unsafe-inline': Svelte writes style
		// attributes (style: directives, the countdown, tile colours) and app.html has one; a
		// nonce cannot cover attributes. img-src allows data: (the lobby's QR code) and blob:
		// (local previews; nothing loads one yet). hooks.server.ts adds this server's ws://
		// address to connect-src for older Safari and sets the other security headers.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
