/**
 * Where the live game is, for both transports, from one `url`: a path on this host (`/ws`, or
 * `/n/<node>/ws` in a cluster) or an absolute `ws(s)://` or `http(s)://` address. The WebSocket
 * opens at that address; the HTTP fallback's endpoints sit under the same prefix.
 */
export interface LiveAddresses {
	/** `ws://…` or `wss://…` */
	socket: string;
	/** Prefix of the fallback's endpoints: a path on this host, or `http(s)://…` */
	http: string;
}

export function liveAddresses(
	url: string,
	page: { protocol: string; host: string }
): LiveAddresses {
	const trimmed = url.replace(/\/+$/, '');
	const absolute = /^(ws|http)(s?):\/\/(.+)$/i.exec(trimmed);
	if (!absolute) {
		const path = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
		const secure = page.protocol === 'https:';
		return { socket: `${secure ? 'wss' : 'ws'}://${page.host}${path}`, http: path };
	}
	const [, , s, rest] = absolute;
	const secure = s !== '';
	return { socket: `ws${secure ? 's' : ''}://${rest}`, http: `http${secure ? 's' : ''}://${rest}` };
}
