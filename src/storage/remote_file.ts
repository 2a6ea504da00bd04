/**
 * An object as a seekable file: `read`, `seek`, `tell` and `write` with the
 * semantics of a file object, over the block cache and pinned to the object
 * version seen at open. Writes are staged in memory and committed by
 * {@link RemoteFile.flush} (or `close`) as a new version of the object,
 * conditional on that version (see {@link SourceProvider.commit}).
 *
 * @module
 */

import { InvalidArgumentError, StorageError, StoreClosedError } from "../errors.ts";
import type { BlockCache } from "./cache.ts";
import type { ByteSource, CommitResult, ObjectEdits, SourceProvider } from "./source.ts";

/** Sequential reads fetch ahead, doubling from this… */
const MIN_READAHEAD = 64 << 10;
/** …up to this. */
const MAX_READAHEAD = 4 << 20;
/** Chunk size of {@link RemoteFile.readable}. */
const STREAM_CHUNK = 256 << 10;

/** Size and version of a {@link RemoteFile}. */
export interface RemoteFileInfo {
  /** Size in bytes, staged writes included. */
  size: number;
  /** ETag of the version reads come from (the one committed last, or the one seen at open). */
  etag: string;
  /** Whether there are staged writes not yet committed. */
  dirty: boolean;
}

/** What a {@link RemoteFile} is built on (the frame store or `openRemoteFile` provides it). */
export interface RemoteFileParts {
  /** The provider the object comes from (and is written back through). */
  provider: SourceProvider;
  /** The block cache reads go through. */
  cache: BlockCache;
  /** The version opened. */
  source: ByteSource;
  /** Called after a commit replaced `old` (drop what depended on it). */
  onCommit?: (old: ByteSource, result: CommitResult) => void;
  /** Called by `close()` once the file is closed. */
  onClose?: () => Promise<void> | void;
}

/**
 * A remote object opened as a file. Not safe for concurrent calls: each
 * call moves the offset (as on a file object), so await one before the next.
 *
 * @example Read, seek and write through the cache
 * ```ts
 * import { openRemoteFile } from "@seekframe/seekframe";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/notes.txt`, "hello, world");
 * await using file = await openRemoteFile({ dir }, "notes.txt");
 * await file.seek(7);
 * console.log(new TextDecoder().decode(await file.read(5))); // "world"
 * await file.seek(0);
 * await file.write(new TextEncoder().encode("HELLO")); // staged
 * await file.flush(); // a new version: "HELLO, world"
 * ```
 */
export class RemoteFile implements AsyncDisposable {
  readonly #provider: SourceProvider;
  readonly #cache: BlockCache;
  readonly #onCommit?: RemoteFileParts["onCommit"];
  readonly #onClose?: RemoteFileParts["onClose"];
  #source: ByteSource;
  #offset = 0;
  /** Staged writes: sorted, non-overlapping runs. */
  #patches: { lo: number; data: Uint8Array }[] = [];
  #size: number;
  #readahead = MIN_READAHEAD;
  #lastEnd = -1;
  #closed = false;

  /**
   * Use `openRemoteFile` or `FrameStore.openFile`.
   *
   * @param parts Provider, cache and the version opened.
   */
  constructor(parts: RemoteFileParts) {
    this.#provider = parts.provider;
    this.#cache = parts.cache;
    this.#source = parts.source;
    this.#onCommit = parts.onCommit;
    this.#onClose = parts.onClose;
    this.#size = parts.source.size;
  }

  /** The object key. */
  get key(): string {
    return this.#source.key;
  }

  /**
   * Reads up to `n` bytes from the offset (all that is left for `n = -1`)
   * and moves the offset past them. At the end of the file it returns an
   * empty array.
   */
  async read(n = -1): Promise<Uint8Array> {
    this.#check();
    if (!Number.isSafeInteger(n) || n < -1) {
      throw new InvalidArgumentError(`read(n): n must be an integer ≥ -1, got ${n}`);
    }
    const start = this.#offset;
    const end = n === -1 ? this.#size : Math.min(this.#size, start + n);
    if (end <= start) return new Uint8Array();
    const out = await this.#bytes(start, end - start);
    this.#offset = end;
    return out;
  }

  /**
   * Moves the offset to `delta` from the start (`whence` 0,
   * `Deno.SeekMode.Start`), the current offset (1) or the end (2); returns
   * the new offset. A negative result is an {@link InvalidArgumentError};
   * past the end is allowed (a read there returns nothing, a write extends
   * the file).
   */
  // deno-lint-ignore require-await
  async seek(delta: number, whence: Deno.SeekMode | 0 | 1 | 2 = 0): Promise<number> {
    this.#check();
    if (!Number.isSafeInteger(delta)) throw new InvalidArgumentError(`seek: delta must be an integer, got ${delta}`);
    const base = whence === 0 ? 0 : whence === 1 ? this.#offset : whence === 2 ? this.#size : NaN;
    if (Number.isNaN(base)) {
      throw new InvalidArgumentError(`seek: whence must be 0 (start), 1 (current) or 2 (end), got ${whence}`);
    }
    const to = base + delta;
    if (to < 0) throw new InvalidArgumentError(`seek to ${to}: the offset cannot be negative`);
    this.#offset = to;
    return to;
  }

  /** The offset. */
  tell(): number {
    return this.#offset;
  }

  /**
   * Replaces `b.length` bytes at the offset with `b` and moves the offset
   * past them; writing past the end extends the file (a gap reads as
   * zeros). Staged until {@link flush}. Returns `b.length`.
   */
  // deno-lint-ignore require-await
  async write(b: Uint8Array): Promise<number> {
    this.#check();
    if (!(b instanceof Uint8Array)) throw new InvalidArgumentError("write(b): b must be a Uint8Array");
    if (b.byteLength === 0) return 0;
    const lo = this.#offset, hi = lo + b.byteLength;
    // Overlapping or touching staged runs merge into one.
    const keep: { lo: number; data: Uint8Array }[] = [];
    const merged: { lo: number; data: Uint8Array }[] = [];
    let mlo = lo, mhi = hi;
    for (const p of this.#patches) {
      const plo = p.lo, phi = p.lo + p.data.byteLength;
      if (phi < lo || plo > hi) keep.push(p);
      else {
        merged.push(p);
        mlo = Math.min(mlo, plo);
        mhi = Math.max(mhi, phi);
      }
    }
    const data = new Uint8Array(mhi - mlo);
    for (const p of merged) data.set(p.data, p.lo - mlo);
    data.set(b, lo - mlo);
    this.#patches = [...keep, { lo: mlo, data }].sort((a, c) => a.lo - c.lo);
    this.#size = Math.max(this.#size, hi);
    this.#offset = hi;
    return b.byteLength;
  }

  /**
   * Commits the staged writes as a new version of the object (a no-op
   * without any), conditional on the version read. If the object changed
   * meanwhile, throws `ObjectChangedError` and keeps the staged writes,
   * so nothing is lost (read them back, or reopen and write them again).
   */
  async flush(): Promise<CommitResult | undefined> {
    this.#check();
    if (this.#patches.length === 0 && this.#size === this.#source.size) return undefined;
    const commit = this.#provider.commit;
    if (!commit) throw new StorageError(`${this.#provider.description} is read-only: cannot write`);
    const edits: ObjectEdits = { size: this.#size, patches: this.#patches };
    const old = this.#source;
    const result = await commit.call(
      this.#provider,
      old,
      edits,
      (offset, length) => this.#cache.read(old, offset, length, "exact"),
    );
    this.#source = this.#provider.openVersion(old.key, { etag: result.etag, size: result.size });
    this.#patches = [];
    this.#size = result.size;
    this.#onCommit?.(old, result);
    return result;
  }

  /** Size and version. */
  stat(): RemoteFileInfo {
    return { size: this.#size, etag: this.#source.etag, dirty: this.#patches.length > 0 };
  }

  /** The bytes from the offset to the end, as a stream; reading it moves the offset. */
  get readable(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await this.read(STREAM_CHUNK);
        if (chunk.byteLength === 0) controller.close();
        else controller.enqueue(chunk);
      },
    }, { highWaterMark: 0 });
  }

  /**
   * Commits staged writes (see {@link flush}) and closes the file. If the
   * commit fails, the file stays open with its writes staged, and the error
   * is thrown.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    await this.#onClose?.();
  }

  /** Closes the file without committing: staged writes are dropped. */
  async abort(): Promise<void> {
    if (this.#closed) return;
    this.#patches = [];
    this.#size = this.#source.size;
    this.#closed = true;
    await this.#onClose?.();
  }

  /** `await using file = …` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #check(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  /** Bytes `[at, at + length)` of the file as staged: the version's, zeros past its end, the patches over them. */
  async #bytes(at: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const end = at + length;
    const size = this.#source.size;
    if (at < size) {
      const want = Math.min(end, size) - at;
      // Sequential reading fetches ahead (doubling); the cache keeps what is not asked yet.
      this.#readahead = at === this.#lastEnd ? Math.min(this.#readahead * 2, MAX_READAHEAD) : MIN_READAHEAD;
      this.#lastEnd = at + want;
      const ahead = Math.min(size - at, Math.max(want, this.#readahead));
      const cached = this.#cache.cachedLength(this.#source, at, want);
      const bytes = cached >= want
        ? await this.#cache.read(this.#source, at, want, "exact")
        : (await this.#cache.read(this.#source, at, ahead, "exact")).subarray(0, want);
      out.set(bytes);
    }
    for (const p of this.#patches) {
      const lo = Math.max(at, p.lo), hi = Math.min(end, p.lo + p.data.byteLength);
      if (hi > lo) out.set(p.data.subarray(lo - p.lo, hi - p.lo), lo - at);
    }
    return out;
  }
}
