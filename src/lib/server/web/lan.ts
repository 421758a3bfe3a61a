import { networkInterfaces } from 'node:os';

/** The address phones on the same network can reach this machine at, if it has one. */
export function lanAddress(): string | null {
	const candidates: string[] = [];
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.family === 'IPv4' && !address.internal) candidates.push(address.address);
		}
	}
	// Prefer the usual home and office ranges over VPN and container bridges.
	const privateRange = /^(192\.168\.|10\.|172\.(1[6-9]|2\d|3[01])\.)/;
	return (
		candidates.find((a) => a.startsWith('192.168.')) ??
		candidates.find((a) => privateRange.test(a)) ??
		candidates[0] ??
		null
	);
}

/** Where players should go: PUBLIC_URL if set, else the LAN address, else this host. */
export function publicBaseUrl(host: string, port: number, configured?: string): string {
	if (configured) return configured.replace(/\/+$/, '');
	const wildcard = host === '0.0.0.0' || host === '::';
	const name = wildcard ? (lanAddress() ?? 'localhost') : host;
	return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}
