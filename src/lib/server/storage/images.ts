/**
 * Uploaded images as files, one per content address: `<dir>/<sha256 hex>.<ext>`. Files, not
 * rows, so the database stays small and an image can be served straight from disk.
 */
import { randomBytes } from 'node:crypto';
import {
	closeSync,
	existsSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	utimesSync,
	writeSync
} from 'node:fs';
import { join } from 'node:path';
import { imageId, imageTypeOf } from './shared.ts';
import type { ImageType, StoredImage } from './storage.ts';

const TEMP_SUFFIX = '.tmp';

export class ImageDirectory {
	/** Pictures whose bytes matched their name when first read. */
	private readonly verified = new Set<string>();
	/** Pictures skipped as damaged or unreadable, said once each. */
	private readonly damaged = new Set<string>();

	private constructor(readonly dir: string) {}

	/** Creates the directory if missing and clears temp files a crash left half-written. */
	static open(dir: string): ImageDirectory {
		mkdirSync(dir, { recursive: true });
		for (const name of readdirSync(dir)) {
			if (name.endsWith(TEMP_SUFFIX)) rmSync(join(dir, name), { force: true });
		}
		return new ImageDirectory(dir);
	}

	save(bytes: Uint8Array, type: ImageType): string {
		const id = imageId(bytes, type);
		const path = join(this.dir, id);
		// Same address, same bytes: an existing file is already this image (used again now).
		if (existsSync(path)) {
			const now = new Date();
			utimesSync(path, now, now);
			return id;
		}
		// Written beside its final name and renamed into place, so a reader (or a crash) never
		// sees half an image; synced first, so the rename cannot outlive the bytes.
		const temp = join(this.dir, `${id}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
		const fd = openSync(temp, 'wx');
		try {
			writeAll(fd, bytes);
			fsyncSync(fd);
		} catch (error) {
			closeSync(fd);
			rmSync(temp, { force: true });
			throw error;
		}
		closeSync(fd);
		renameSync(temp, path);
		return id;
	}

	/** Every stored image's id. */
	ids(): string[] {
		return readdirSync(this.dir).filter((name) => imageTypeOf(name) !== null);
	}

	/** A picture's size in bytes, or null if there is none. */
	size(id: string): number | null {
		if (imageTypeOf(id) === null) return null;
		try {
			return statSync(join(this.dir, id)).size;
		} catch {
			return null;
		}
	}

	has(id: string): boolean {
		return imageTypeOf(id) !== null && existsSync(join(this.dir, id));
	}

	/**
	 * A file's modification time is when its image was last uploaded or found in use: the ones
	 * in use are stamped `now`, the others deleted once older than `keepMs`. Synchronous, so no
	 * upload of the same image can slip in between the look and the delete. Returns the ids
	 * deleted.
	 */
	sweep(inUse: ReadonlySet<string>, now: number, keepMs: number): string[] {
		const stamp = new Date(now);
		const deleted: string[] = [];
		for (const name of readdirSync(this.dir)) {
			// Only the images' own names: temp files and anything else are left alone.
			if (imageTypeOf(name) === null) continue;
			const path = join(this.dir, name);
			try {
				if (inUse.has(name)) utimesSync(path, stamp, stamp);
				else if (statSync(path).mtimeMs < now - keepMs) {
					rmSync(path);
					deleted.push(name);
				}
			} catch (error) {
				// Gone meanwhile: nothing to do.
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			}
		}
		return deleted;
	}

	/**
	 * A picture's bytes, or null if there is none. A file that cannot be read, or whose bytes
	 * no longer hash to its name (a disk's damage), is skipped as if absent and named in the
	 * log once: the quiz shows without it, and the other pictures are served as ever. Each file
	 * is hashed on its first read only (2 ms a MB): its name says it never changes.
	 */
	get(id: string): StoredImage | null {
		// The pattern check also keeps ids like `../quizroom.db` out of the file system.
		const type = imageTypeOf(id);
		if (!type) return null;
		const path = join(this.dir, id);
		let file: Buffer;
		try {
			file = readFileSync(path);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			return this.skip(id, `${path} cannot be read (${(error as Error).message})`);
		}
		if (!this.verified.has(id)) {
			if (imageId(file, type) !== id) {
				return this.skip(id, `${path} is damaged: its bytes no longer match its name`);
			}
			this.verified.add(id);
			this.damaged.delete(id);
		}
		return { id, type, bytes: ownBytes(file) };
	}

	private skip(id: string, problem: string): null {
		if (!this.damaged.has(id)) console.warn(`Picture skipped: ${problem}`);
		this.damaged.add(id);
		return null;
	}
}

/**
 * A plain Uint8Array with its own ArrayBuffer. Small reads come from Node's shared buffer
 * pool, and a view of it would hand the caller (via `.buffer`) other data: those are copied.
 */
function ownBytes(file: Buffer): Uint8Array {
	const whole = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength;
	return whole ? new Uint8Array(file.buffer) : new Uint8Array(file);
}

function writeAll(fd: number, bytes: Uint8Array): void {
	for (let offset = 0; offset < bytes.byteLength;) {
		offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
	}
}
