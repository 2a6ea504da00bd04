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
 * Opens files under one folder as {@link ByteSource}s.
 *
 * @example
 * ```ts
 * const files = new FileProvider("./videos");
 * const src = await files.open("sample.mp4");
 * console.log(src.size);
 * ```
 */
export class FileProvider implements SourceProvider {
  readonly description: string;
  readonly stats: IoStats = newIoStats();
  readonly #root: string;

  /** @param dir Folder whose files are served. */
  constructor(dir: string) {
    this.#root = resolve(dir);
    this.description = `folder ${this.#root}`;
  }

  async open(key: string): Promise<ByteSource> {
    const path = this.#path(key);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) throw new ObjectNotFoundError(key, { cause: err });
      throw new StorageError(`cannot stat ${JSON.stringify(key)}: ${(err as Error).message}`, undefined, {
        cause: err,
      });
    }
    if (!info.isFile) throw new ObjectNotFoundError(key);
    if (info.size === 0) throw new CorruptMediaError(`object ${JSON.stringify(key)} is empty`);
    const etag = `${info.size.toString(16)}-${(info.mtime?.getTime() ?? 0).toString(16)}`;
    return new FileSource(this, key, path, info.size, etag);
  }

  openVersion(key: string, version: { etag: string; size: number }): ByteSource {
    const source = new FileSource(this, key, this.#path(key), version.size, version.etag);
    source.confirmedAt = 0; // known from an index, not from the file
    return source;
  }

  location(key: string): string {
    return `file:${this.#path(key)}`;
  }

  #path(key: string): string {
    checkKey(key);
    const path = resolve(this.#root, key);
    if (!path.startsWith(this.#root + sep)) throw new ObjectNotFoundError(key);
    return path;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class FileSource implements ByteSource {
  readonly id: string;
  readonly head = new Uint8Array();
  confirmedAt: number = Date.now();
  constructor(
    readonly provider: FileProvider,
    readonly key: string,
    readonly path: string,
    readonly size: number,
    readonly etag: string,
  ) {
    this.id = `${provider.location(key)}@${etag}`;
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
    this.#check(
      await Deno.stat(this.path).catch((err) => {
        if (err instanceof Deno.errors.NotFound) throw new ObjectNotFoundError(this.key, { cause: err });
        throw new StorageError(`cannot stat ${JSON.stringify(this.key)}: ${(err as Error).message}`, undefined, {
          cause: err,
        });
      }),
    );
    this.confirmedAt = Date.now();
  }

  /** Throws ObjectChangedError unless `info` is still this version's size and mtime. */
  #check(info: Deno.FileInfo): void {
    if (info.size !== this.size || (info.mtime?.getTime() ?? 0).toString(16) !== this.etag.split("-")[1]) {
      throw new ObjectChangedError(this.key);
    }
  }
}
