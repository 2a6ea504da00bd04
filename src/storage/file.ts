/**
 * Local-folder byte source: the embedded default, so the sidecar works with no
 * bucket configured. Keys are paths relative to the folder and can never
 * reach outside it.
 *
 * @module
 */

import { basename, dirname, relative, resolve, sep } from "node:path";
import { CorruptMediaError, ObjectChangedError, ObjectNotFoundError, StorageError } from "../errors.ts";
import {
  type ByteSource,
  checkKey,
  type CommitResult,
  type IoStats,
  type ListedObject,
  newIoStats,
  type ObjectEdits,
  type ObjectList,
  type RequestCost,
  type SourceProvider,
} from "./source.ts";

/** Bytes written per step of a commit. */
const WRITE_CHUNK = 4 << 20;

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

  /** Opens the file at `key` (relative to the folder); a stat, which is not counted as a request. */
  async open(key: string, _cost?: RequestCost): Promise<ByteSource> {
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

  /**
   * Files under the folder whose keys start with `prefix`, in key order.
   * Dot files and symbolic links are left out; the cursor is the last key
   * of the page.
   */
  async list(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<ObjectList> {
    const limit = options.limit ?? 1000;
    const found: ListedObject[] = [];
    const walk = async (dir: string) => {
      for await (const entry of Deno.readDir(dir)) {
        if (entry.name.startsWith(".") || entry.isSymlink) continue;
        const path = resolve(dir, entry.name);
        const key = relative(this.#root, path).split(sep).join("/");
        // Descend only into folders that can hold keys with the prefix.
        if (entry.isDirectory && (prefix.startsWith(key + "/") || (key + "/").startsWith(prefix))) await walk(path);
        else if (entry.isFile && key.startsWith(prefix) && (options.cursor === undefined || key > options.cursor)) {
          const info = await Deno.stat(path).catch(() => undefined);
          if (info) found.push({ key, size: info.size, modified: info.mtime?.getTime() });
        }
      }
    };
    await walk(this.#root).catch((err) => {
      throw new StorageError(`cannot list the folder: ${(err as Error).name}`, undefined, { cause: err });
    });
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const objects = found.slice(0, limit);
    return found.length > limit ? { objects, cursor: objects[objects.length - 1].key } : { objects };
  }

  /**
   * Writes the new version to a temporary file beside the old one, then
   * renames it into place, if the file is still the version `source` read
   * (checked right before the rename; a writer that bypasses seekframe in the
   * moment between could still be overwritten).
   */
  async commit(
    source: ByteSource,
    edits: ObjectEdits,
    read: (offset: number, length: number) => Promise<Uint8Array>,
  ): Promise<CommitResult> {
    const path = this.#path(source.key);
    const tmp = resolve(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
    try {
      {
        using file = await Deno.open(tmp, { write: true, createNew: true });
        for (let at = 0; at < edits.size; at += WRITE_CHUNK) {
          const chunk = await newBytes(source.size, edits, at, Math.min(WRITE_CHUNK, edits.size - at), read);
          for (let done = 0; done < chunk.byteLength;) done += await file.write(chunk.subarray(done));
        }
        await file.sync();
      }
      const now = await statFile(path, source.key);
      if (versionTag(now) !== source.etag) throw new ObjectChangedError(source.key);
      await Deno.rename(tmp, path);
    } catch (err) {
      await Deno.remove(tmp).catch(() => {});
      if (err instanceof ObjectChangedError || err instanceof ObjectNotFoundError) throw err;
      throw new StorageError(`cannot write ${JSON.stringify(source.key)}: ${(err as Error).name}`, undefined, {
        cause: err,
      });
    }
    let info = await statFile(path, source.key);
    if (versionTag(info) === source.etag) {
      // Same size within the same millisecond: move the time on so the version is new.
      await Deno.utime(path, new Date(), new Date((info.mtime?.getTime() ?? 0) + 1));
      info = await statFile(path, source.key);
    }
    this.stats.requests++;
    return { etag: versionTag(info), size: info.size, bytesUploaded: edits.size, bytesCopied: 0, requests: 1 };
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Bytes `[at, at + length)` of the new version: the old version's (from
 * `read`, zeros past its end) with the patches laid over them.
 */
export async function newBytes(
  oldSize: number,
  edits: ObjectEdits,
  at: number,
  length: number,
  read: (offset: number, length: number) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const end = at + length;
  // Old bytes only where no patch covers them all.
  const covered = edits.patches.some((p) => p.lo <= at && p.lo + p.data.byteLength >= end);
  if (!covered && at < oldSize) out.set(await read(at, Math.min(end, oldSize) - at));
  for (const p of edits.patches) {
    const lo = Math.max(at, p.lo), hi = Math.min(end, p.lo + p.data.byteLength);
    if (hi > lo) out.set(p.data.subarray(lo - p.lo, hi - p.lo), lo - at);
  }
  return out;
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

  async confirm(cost?: RequestCost): Promise<void> {
    this.provider.stats.requests++;
    if (cost) cost.requests++;
    this.#check(await statFile(this.path, this.key));
    this.confirmedAt = Date.now();
  }

  /** Throws ObjectChangedError unless `info` is still this version. */
  #check(info: Deno.FileInfo): void {
    if (versionTag(info) !== this.etag) throw new ObjectChangedError(this.key);
  }
}
