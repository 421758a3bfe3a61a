/**
 * The projector's sounds, made in the browser with the Web Audio API: no files, nothing to
 * fetch, nothing to license. Lobby music (a looping tune), a tick for each of the last five
 * seconds, time-up, the reveal and the podium fanfare.
 *
 * Browsers let a page make sound only after the user's first click or key press, so nothing
 * plays before the host's first one (`unlock`). Muting is remembered in localStorage.
 */

const MUTED_KEY = 'quizroom.muted';

export type Cue = 'tick' | 'last-tick' | 'time-up' | 'reveal' | 'podium';

interface Note {
	/** Hz. */
	frequency: number;
	/** Seconds from now. */
	at: number;
	duration: number;
	type?: OscillatorType;
	volume?: number;
	/** Hz at the end of the note: a slide. */
	slideTo?: number;
}

/** MIDI note number to Hz. */
const hz = (note: number) => 440 * 2 ** ((note - 69) / 12);

/** The lobby tune: four bars of chords (I–vi–IV–V in C), arpeggiated, with a bass line. */
const LOBBY_CHORDS = [
	[60, 64, 67, 72],
	[57, 60, 64, 69],
	[53, 57, 60, 65],
	[55, 59, 62, 67]
];
const LOBBY_STEP = 0.2; // seconds per eighth note (150 bpm)
const LOBBY_STEPS = LOBBY_CHORDS.length * 8;
const ARPEGGIO = [0, 1, 2, 3, 2, 1, 2, 3];

export class Sound {
	muted = $state(false);
	/** Audio may play: the host has clicked or pressed a key since the page loaded. */
	unlocked = $state(false);

	private context: AudioContext | null = null;
	private master: GainNode | null = null;
	private loopTimer: ReturnType<typeof setInterval> | null = null;
	private loopStep = 0;
	private loopNextAt = 0;

	constructor() {
		try {
			this.muted = localStorage.getItem(MUTED_KEY) === '1';
		} catch {
			// Storage blocked: sound on, not remembered.
		}
	}

	/** Call from a user gesture: creates (or resumes) the audio context. */
	unlock(): void {
		if (this.unlocked && this.context?.state === 'running') return;
		const AudioContextClass = globalThis.AudioContext;
		if (!AudioContextClass) return;
		try {
			this.context ??= new AudioContextClass();
			if (!this.master) {
				this.master = this.context.createGain();
				this.master.gain.value = this.muted ? 0 : 0.6;
				this.master.connect(this.context.destination);
			}
			void this.context.resume();
			this.unlocked = true;
		} catch {
			// No audio device: stay silent.
		}
	}

	toggleMuted(): void {
		this.setMuted(!this.muted);
	}

	setMuted(muted: boolean): void {
		this.muted = muted;
		try {
			localStorage.setItem(MUTED_KEY, muted ? '1' : '0');
		} catch {
			// Not remembered.
		}
		if (this.master && this.context) {
			this.master.gain.setTargetAtTime(muted ? 0 : 0.6, this.context.currentTime, 0.05);
		}
	}

	play(cue: Cue): void {
		if (this.muted) return;
		switch (cue) {
			case 'tick':
				this.notes([{ frequency: 880, at: 0, duration: 0.07, type: 'square', volume: 0.12 }]);
				return;
			case 'last-tick':
				this.notes([{ frequency: 1320, at: 0, duration: 0.09, type: 'square', volume: 0.15 }]);
				return;
			case 'time-up':
				this.notes([
					{ frequency: 392, at: 0, duration: 0.5, type: 'sawtooth', volume: 0.16, slideTo: 196 },
					{ frequency: 311, at: 0, duration: 0.5, type: 'sawtooth', volume: 0.12, slideTo: 156 }
				]);
				return;
			case 'reveal':
				this.notes(
					[72, 76, 79, 84].map((note, i) => ({
						frequency: hz(note),
						at: i * 0.08,
						duration: 0.35,
						type: 'triangle' as const,
						volume: 0.22
					}))
				);
				return;
			case 'podium': {
				// A drum roll, then a fanfare.
				const roll: Note[] = Array.from({ length: 14 }, (_, i) => ({
					frequency: 110 + (i % 2) * 8,
					at: i * 0.07,
					duration: 0.06,
					type: 'square' as const,
					volume: 0.05 + i * 0.006
				}));
				const fanfare: Note[] = [
					[67, 1.0, 0.15],
					[67, 1.17, 0.15],
					[67, 1.34, 0.15],
					[72, 1.52, 0.7],
					[76, 1.52, 0.7],
					[79, 1.52, 0.9]
				].map(([note, at, duration]) => ({
					frequency: hz(note!),
					at: at!,
					duration: duration!,
					type: 'triangle' as const,
					volume: 0.2
				}));
				this.notes([...roll, ...fanfare]);
				return;
			}
		}
	}

	/** The lobby tune, looping until `stopLoop`; silent while muted. */
	startLoop(): void {
		if (this.loopTimer !== null) return;
		this.loopStep = 0;
		this.loopNextAt = 0;
		// Schedule a little ahead, so a busy main thread does not make the tune stumble.
		this.loopTimer = setInterval(() => this.scheduleLoop(), 100);
		this.scheduleLoop();
	}

	stopLoop(): void {
		if (this.loopTimer !== null) clearInterval(this.loopTimer);
		this.loopTimer = null;
	}

	dispose(): void {
		this.stopLoop();
		void this.context?.close();
		this.context = null;
		this.master = null;
	}

	private scheduleLoop(): void {
		const context = this.context;
		if (!context || context.state !== 'running' || this.muted) {
			this.loopNextAt = 0;
			return;
		}
		const now = context.currentTime;
		if (this.loopNextAt < now) this.loopNextAt = now + 0.05;
		while (this.loopNextAt < now + 0.4) {
			const step = this.loopStep;
			const chord = LOBBY_CHORDS[Math.floor(step / 8) % LOBBY_CHORDS.length]!;
			const at = this.loopNextAt - now;
			const notes: Note[] = [
				{
					frequency: hz(chord[ARPEGGIO[step % 8]!]! + 12),
					at,
					duration: LOBBY_STEP * 0.9,
					type: 'triangle',
					volume: 0.07
				}
			];
			if (step % 4 === 0) {
				notes.push({
					frequency: hz(chord[0]! - 12),
					at,
					duration: LOBBY_STEP * 3.5,
					type: 'sine',
					volume: 0.16
				});
			}
			if (step % 2 === 1) {
				notes.push({ frequency: 6000, at, duration: 0.03, type: 'square', volume: 0.015 });
			}
			this.notes(notes);
			this.loopStep = (step + 1) % LOBBY_STEPS;
			this.loopNextAt += LOBBY_STEP;
		}
	}

	private notes(notes: Note[]): void {
		const context = this.context;
		const master = this.master;
		if (!context || !master || context.state !== 'running') return;
		const now = context.currentTime;
		for (const note of notes) {
			const start = now + note.at;
			const end = start + note.duration;
			const oscillator = context.createOscillator();
			oscillator.type = note.type ?? 'triangle';
			oscillator.frequency.setValueAtTime(note.frequency, start);
			if (note.slideTo) oscillator.frequency.exponentialRampToValueAtTime(note.slideTo, end);
			const envelope = context.createGain();
			// A quick attack and a decay to silence: no clicks.
			envelope.gain.setValueAtTime(0.0001, start);
			envelope.gain.exponentialRampToValueAtTime(note.volume ?? 0.2, start + 0.01);
			envelope.gain.exponentialRampToValueAtTime(0.0001, end);
			oscillator.connect(envelope).connect(master);
			oscillator.start(start);
			oscillator.stop(end + 0.02);
		}
	}
}
