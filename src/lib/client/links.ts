/**
 * A link is one attempt to reach the room server, by WebSocket (here) or by the HTTP fallback
 * (stream-link.ts): it opens, carries text frames each way, and ends once. `GameConnection`
 * says hello over it and decides what comes after it.
 */

export interface LinkEvents {
	/** Ready for frames: say hello. */
	open(): void;
	message(text: string): void;
	/** Gone for good; `code` as a WebSocket close code (null: it never opened, or was lost). */
	close(code: number | null): void;
}

export interface Link {
	/** False when the link cannot take frames (not open yet, or going down). */
	send(text: string): boolean;
	/** Our side ends it: no `close` event follows. */
	close(): void;
	/**
	 * A frame sent now would wait behind others (the fallback's POST in flight): a clock probe
	 * waits for a free moment rather than read the queue as a long way up.
	 */
	readonly busy?: boolean;
}

/** A link over this WebSocket (a new one, or one a background probe already opened). */
export function socketLink(socket: WebSocket, events: LinkEvents): Link {
	let ended = false;
	socket.onopen = () => events.open();
	socket.onmessage = (event) => {
		if (!ended) events.message(String(event.data));
	};
	socket.onclose = (event) => {
		if (ended) return;
		ended = true;
		events.close(event.code);
	};
	return {
		send(text) {
			if (ended || socket.readyState !== WebSocket.OPEN) return false;
			socket.send(text);
			return true;
		},
		close() {
			ended = true;
			socket.close(1000, 'Page closed');
		}
	};
}
