/**
 * Local-folder byte source: the embedded default, so the sidecar works with no
 * bucket configured. Keys are paths relative to the folder and can never
 * reach outside it.
 *
 * @module
 */

import { resolve, sep } from "node:path";
import { CorruptMediaError, ObjectChangedError, ObjectNotFoundError, StorageError } from "../errors.ts";
import { type ByteSource, checkKey, type IoStats, newIoStats, type SourceProvider } from "./source.ts";

/**
 * Opens files under one folder as {@link ByteSource}s. A file's version is its
 * size and modification time.
 *
 * @example Read the first bytes of a file
 * ```ts
 * import { FileProvider } from "@seekframe/seekframe";
 *
 * const files = new FileProvider("./videos");
 * const src = await files.open("sample.mp4");
 * console.log(src.size, await src.read(0, 8));
 * ```
 */
export class FileProvider implements SourceProvider {
  /** `folder <absolute path>`. */
  readonly description: string;
  /** File reads and stats made, and bytes read. */
  readonly stats: IoStats = newIoStats();
  readonly #root: string;

  /**
   * Serves the files under `dir`.
   *
   * @param dir Folder whose files are served.
   */
  constructor(dir: string) {
    this.#root = resolve(dir);
    this.description = `folder ${this.#root}`;
  }

  /** Opens the file at `key` (relative to the folder). */
  async open(key: string): Promise<ByteSource> {
    const path = this.#path(key);
    const info = await statFile(path, key);
    if (!info.isFile) throw new ObjectNotFoundError(key);
    if (info.size === 0) throw new CorruptMediaError(`object ${JSON.stringify(key)} is empty`);
    return new FileSource(this, key, path, info.size, versionTag(info));
  }

  /** A source for a version known from an index; its reads check the file is still that version. */
  openVersion(key: string, version: { etag: string; size: number }): ByteSource {
    const source = new FileSource(this, key, this.#path(key), version.size, version.etag);
    source.confirmedAt = 0; // known from an index, not from the file
    return source;
  }

  /** `file:<absolute path>`. */
  location(key: string): string {
    return `file:${this.#path(key)}`;
  }

  #path(key: string): string {
    checkKey(key);
    const path = resolve(this.#root, key);
    if (!path.startsWith(this.#root + sep)) throw new ObjectNotFoundError(key);
    return path;
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** `Deno.stat` with its errors as seekframe errors. */
async function statFile(path: string, key: string): Promise<Deno.FileInfo> {
  try {
    return await Deno.stat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw new ObjectNotFoundError(key, { cause: err });
    // Deno's message names the absolute path: keep it out of what clients see.
    const why = err instanceof Error ? err.message.replace(/:\s*\w+\s+'[^']*'$/, "") : String(err);
    throw new StorageError(`cannot stat ${JSON.stringify(key)}: ${why}`, undefined, { cause: err });
  }
}

/** A file version: size and modification time, in hex. */
function versionTag(info: Deno.FileInfo): string {
  return `${info.size.toString(16)}-${(info.mtime?.getTime() ?? 0).toString(16)}`;
}

class FileSource implements ByteSource {
  readonly location: string;
  readonly head = new Uint8Array();
  confirmedAt: number = Date.now();
  constructor(
    readonly provider: FileProvider,
    readonly key: string,
    readonly path: string,
    readonly size: number,
    readonly etag: string,
  ) {
    this.location = provider.location(key);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`read [${offset}, ${offset + length}) outside file of ${this.size} bytes`);
    }
    const stats = this.provider.stats;
    stats.requests++;
    // One handle per read keeps concurrent reads independent (no shared cursor).
    using file = await Deno.open(this.path, { read: true }).catch((err) => {
      throw err instanceof Deno.errors.NotFound ? new ObjectNotFoundError(this.key, { cause: err }) : err;
    });
    this.#check(await file.stat());
    await file.seek(offset, Deno.SeekMode.Start);
    const out = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = await file.read(out.subarray(got));
      if (n === null) throw new ObjectChangedError(this.key);
      got += n;
    }
    stats.bytesFetched += length;
    this.confirmedAt = Date.now();
    return out;
  }

  async confirm(): Promise<void> {
    this.provider.stats.requests++;
    this.#check(await statFile(this.path, this.key));
    this.confirmedAt = Date.now();
  }

  /** Throws ObjectChangedError unless `info` is still this version. */
  #check(info: Deno.FileInfo): void {
    if (versionTag(info) !== this.etag) throw new ObjectChangedError(this.key);
  }
}
