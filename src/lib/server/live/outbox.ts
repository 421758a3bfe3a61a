/**
 * A room's outgoing frames, in order, held back behind writes that confirm later.
 *
 * In cluster mode an answer is stored twice: the node's SQLite at once, Redis a network round
 * trip later. Its acknowledgement must wait for Redis (a node that dies after acknowledging
 * would otherwise hand over a game without that answer), and so must every frame after it:
 * a reveal that overtook the acknowledgement would tell the phone its answer was missed.
 * With nothing held, a frame goes out at once, as in single-node mode. A held frame goes to
 * the sockets that were open when it was sent: one that replaced them got a fresh snapshot.
 */
interface Barrier {
	landed: boolean;
}

type Entry = Barrier | (() => void);

export class Outbox {
	private queue: Entry[] = [];
	private head = 0;

	/** Something is waiting on a write: new frames queue behind it. */
	get holding(): boolean {
		return this.head < this.queue.length;
	}

	/** Runs `write` now, or once every write it queued behind has landed. */
	send(write: () => void): void {
		if (this.holding) this.queue.push(write);
		else write();
	}

	/** One frame to one socket: the per-player path (results, acks) allocates nothing when free. */
	sendTo(socket: { send(text: string): void }, text: string): void {
		if (this.holding) this.queue.push(() => socket.send(text));
		else socket.send(text);
	}

	/** Frames sent from now on wait until `landing` settles (landed or failed alike). */
	waitFor(landing: Promise<unknown>): void {
		const barrier: Barrier = { landed: false };
		this.queue.push(barrier);
		const landed = () => {
			barrier.landed = true;
			this.drain();
		};
		landing.then(landed, landed);
	}

	private drain(): void {
		while (this.holding) {
			const entry = this.queue[this.head]!;
			if (typeof entry !== 'function' && !entry.landed) return;
			this.head++;
			if (typeof entry === 'function') {
				try {
					entry();
				} catch (error) {
					// One socket's failure must not strand the frames behind it.
					console.error('Could not send a held frame', error);
				}
			}
		}
		// A head index instead of shift(): a burst holds thousands of acknowledgements.
		this.queue = [];
		this.head = 0;
	}
}
