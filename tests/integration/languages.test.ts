/**
 * The screen's language is chosen on the server, so the first paint is right: `<html lang dir>`
 * from the switcher's cookie, else Accept-Language; only that locale's words come with the page;
 * the switcher gets another locale's from /api/messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './harness.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

async function page(headers: Record<string, string>): Promise<string> {
	const response = await fetch(`${server.url}/`, { headers });
	expect(response.status).toBe(200);
	return response.text();
}

describe('the join page’s language', () => {
	it('follows Accept-Language, right to left for Arabic, in the HTML itself', async () => {
		const arabic = await page({ 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' });
		expect(arabic).toContain('<html lang="ar" dir="rtl">');
		expect(arabic).toContain('رمز اللعبة');
		// Only the page's locale travels with it.
		expect(arabic).not.toContain('Spiel-PIN');
		const german = await page({ 'accept-language': 'de-DE,de;q=0.9' });
		expect(german).toContain('<html lang="de" dir="ltr">');
		expect(german).toContain('Spiel-PIN');
	});

	it('is English for a language we do not speak, and the cookie wins over the browser', async () => {
		expect(await page({ 'accept-language': 'ja-JP' })).toContain('<html lang="en" dir="ltr">');
		expect(await page({ 'accept-language': 'de-DE', cookie: 'lang=pl' })).toContain(
			'<html lang="pl" dir="ltr">'
		);
	});
});

describe('/api/messages', () => {
	it('sends one locale’s messages, and 404 for a language we do not have', async () => {
		const response = await fetch(`${server.url}/api/messages/fr`);
		expect(response.status).toBe(200);
		const messages = (await response.json()) as Record<string, unknown>;
		expect(messages['play.youreIn']).toBe('Vous y êtes !');
		expect((await fetch(`${server.url}/api/messages/xx`)).status).toBe(404);
	});
});
