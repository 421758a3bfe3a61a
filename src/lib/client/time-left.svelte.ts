/**
 * Time left until a server deadline, redrawn every frame from this device's estimate of server
 * time, so every countdown in the room (projector ring, phone bar) shows the same number.
 * Create it while a component initialises: it runs for as long as that component lives.
 */
export class TimeLeft {
	ms = $state(0);
	readonly seconds = $derived(Math.ceil(this.ms / 1000));

	constructor(closesAt: () => number, serverNow: () => number) {
		$effect(() => {
			let frame = 0;
			const update = () => {
				this.ms = Math.max(0, closesAt() - serverNow());
				if (this.ms > 0) frame = requestAnimationFrame(update);
			};
			update();
			return () => cancelAnimationFrame(frame);
		});
	}

	/** Share of `totalMs` still left, 0 to 1. */
	fractionOf(totalMs: number): number {
		return totalMs > 0 ? Math.min(1, this.ms / totalMs) : 0;
	}
}
