/**
 * The disk tier of the block cache: one file per block in a folder, bounded
 * in size, surviving restarts. Files are written to a temporary name and
 * renamed, so a crash never leaves a half-written block under a real name;
 * each file repeats its full cache key, so a hash collision can never serve
 * another object's bytes.
 *
 * @module
 */

import { join } from "node:path";
import { copyParts, sha256Hex } from "../bytes.ts";
import { InvalidArgumentError } from "../errors.ts";

/** A run of bytes at absolute offset `lo`. */
export interface Extent {
  /** Offset of `data[0]` in the object. */
  lo: number;
  /** The bytes. */
  data: Uint8Array;
}

/** Disk tier settings. */
export interface DiskCacheOptions {
  /** Folder for block files (created if missing). */
  dir: string;
  /** Size budget in bytes. Default 1 GiB. */
  maxBytes?: number;
}

const MAGIC = 0x53464232; // "SFB2": with a SHA-256 (SFB1 files, without, are dropped)
/** Bytes of the SHA-256 in each file. */
const DIGEST = 32;
const SUFFIX = ".blk";

/**
 * Block files in a folder, least recently used evicted first.
 *
 * @example A block cache with a disk tier (what `openFrameStore({ cacheDir })` builds)
 * ```ts
 * import { BlockCache, DiskCache } from "@seekframe/seekframe";
 *
 * const disk = await DiskCache.open({ dir: "./.cache/blocks", maxBytes: 4 << 30 });
 * const cache = new BlockCache({ maxBytes: 64 << 20, disk });
 * ```
 */
export class DiskCache {
  /** Folder of the block files. */
  readonly dir: string;
  /** Size budget in bytes. */
  readonly maxBytes: number;
  /** Bytes of the block files on disk. */
  bytes = 0;
  // File name → size, in LRU order (Map insertion order).
  readonly #files = new Map<string, number>();
  readonly #writes = new Set<Promise<void>>();

  private constructor(dir: string, maxBytes: number) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /** Opens (and creates) the folder, forgets unfinished writes, and indexes what is there. */
  static async open(options: DiskCacheOptions): Promise<DiskCache> {
    const maxBytes = options.maxBytes ?? 1 << 30;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new InvalidArgumentError("disk cache maxBytes must be a non-negative integer");
    }
    const cache = new DiskCache(options.dir, maxBytes);
    await Deno.mkdir(options.dir, { recursive: true });
    const found: { name: string; size: number; mtime: number }[] = [];
    for await (const entry of Deno.readDir(options.dir)) {
      if (!entry.isFile) continue;
      const path = join(options.dir, entry.name);
      if (entry.name.endsWith(".tmp")) {
        await Deno.remove(path).catch(() => {});
        continue;
      }
      if (!entry.name.endsWith(SUFFIX)) continue;
      const info = await Deno.stat(path);
      found.push({ name: entry.name, size: info.size, mtime: info.mtime?.getTime() ?? 0 });
    }
    found.sort((a, b) => a.mtime - b.mtime);
    for (const f of found) {
      cache.#files.set(f.name, f.size);
      cache.bytes += f.size;
    }
    await cache.#evict();
    return cache;
  }

  /** The extents stored for `key`, or undefined. */
  async get(key: string): Promise<Extent[] | undefined> {
    const name = await fileName(key);
    if (!this.#files.has(name)) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(join(this.dir, name));
    } catch {
      this.#forget(name);
      return undefined;
    }
    const extents = await decode(bytes, key);
    if (!extents) {
      // Truncated, damaged (the checksum tells) or a hash collision: drop it, fetch the bytes again.
      this.#forget(name);
      await Deno.remove(join(this.dir, name)).catch(() => {});
      return undefined;
    }
    const size = this.#files.get(name);
    if (size !== undefined) {
      this.#files.delete(name);
      this.#files.set(name, size);
    }
    return extents;
  }

  /** Stores the extents of `key` in the background; {@link flush} waits for it. */
  put(key: string, extents: Extent[]): void {
    const write = this.#write(key, extents).catch(() => {
      // A full or read-only disk only costs cache hits.
    });
    this.#writes.add(write);
    write.finally(() => this.#writes.delete(write));
  }

  /** Removes every block whose key starts with `prefix`. */
  invalidate(prefix: string): void {
    const write = this.#dropPrefix(prefix).catch(() => {});
    this.#writes.add(write);
    write.finally(() => this.#writes.delete(write));
  }

  /** Waits for pending writes. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes]);
  }

  async #write(key: string, extents: Extent[]): Promise<void> {
    const name = await fileName(key);
    const data = await encode(key, extents);
    const path = join(this.dir, name);
    const tmp = `${path}.${crypto.randomUUID()}.tmp`;
    await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
    this.#forget(name);
    this.#files.set(name, data.byteLength);
    this.bytes += data.byteLength;
    await this.#evict();
  }

  async #dropPrefix(prefix: string): Promise<void> {
    // Names are hashes, so read each file's key; invalidation is rare (an object changed).
    for (const name of [...this.#files.keys()]) {
      const bytes = await Deno.readFile(join(this.dir, name)).catch(() => undefined);
      const key = bytes && readKey(bytes);
      if (key === undefined || key.startsWith(prefix)) {
        this.#forget(name);
        await Deno.remove(join(this.dir, name)).catch(() => {});
      }
    }
  }

  #forget(name: string): void {
    const size = this.#files.get(name);
    if (size === undefined) return;
    this.#files.delete(name);
    this.bytes -= size;
  }

  async #evict(): Promise<void> {
    for (const name of [...this.#files.keys()]) {
      if (this.bytes <= this.maxBytes) break;
      this.#forget(name);
      await Deno.remove(join(this.dir, name)).catch(() => {});
    }
  }
}

async function fileName(key: string): Promise<string> {
  return (await sha256Hex(key)) + SUFFIX;
}

/**
 * Layout: magic u32, key length u32, key, extent count u32, (lo f64,
 * length u32)*, the SHA-256 of everything before it, data*. A file that is
 * truncated, damaged or another key's is never served.
 */
async function encode(key: string, extents: Extent[]): Promise<Uint8Array> {
  const k = new TextEncoder().encode(key);
  const headerSize = 12 + k.byteLength + extents.length * 12;
  const total = headerSize + DIGEST + extents.reduce((n, e) => n + e.data.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, k.byteLength);
  out.set(k, 8);
  let at = 8 + k.byteLength;
  view.setUint32(at, extents.length);
  at += 4;
  for (const e of extents) {
    view.setFloat64(at, e.lo);
    view.setUint32(at + 8, e.data.byteLength);
    at += 12;
  }
  const dataAt = at + DIGEST;
  copyParts(out, extents.map((e) => e.data), dataAt);
  out.set(await digest(out, headerSize, dataAt), headerSize);
  return out;
}

/** SHA-256 of the header and the data (the digest's own bytes left out). */
async function digest(bytes: Uint8Array, headerSize: number, dataAt: number): Promise<Uint8Array> {
  const covered = new Uint8Array(headerSize + bytes.byteLength - dataAt);
  covered.set(bytes.subarray(0, headerSize));
  covered.set(bytes.subarray(dataAt), headerSize);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", covered));
}

function readKey(bytes: Uint8Array): string | undefined {
  if (bytes.byteLength < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== MAGIC) return undefined;
  const len = view.getUint32(4);
  if (8 + len > bytes.byteLength) return undefined;
  return new TextDecoder().decode(bytes.subarray(8, 8 + len));
}

/** The extents in a block file, or undefined when it is damaged, truncated or belongs to another key. */
async function decode(bytes: Uint8Array, key: string): Promise<Extent[] | undefined> {
  if (readKey(bytes) !== key) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8 + view.getUint32(4);
  if (at + 4 > bytes.byteLength) return undefined;
  const count = view.getUint32(at);
  at += 4;
  const heads: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    if (at + 12 > bytes.byteLength) return undefined;
    heads.push([view.getFloat64(at), view.getUint32(at + 8)]);
    at += 12;
  }
  const headerSize = at;
  const dataAt = at + DIGEST;
  if (dataAt + heads.reduce((n, [, len]) => n + len, 0) !== bytes.byteLength) return undefined;
  const stored = bytes.subarray(headerSize, dataAt);
  const actual = await digest(bytes, headerSize, dataAt);
  if (!actual.every((b, i) => b === stored[i])) return undefined;
  const extents: Extent[] = [];
  at = dataAt;
  for (const [lo, len] of heads) {
    extents.push({ lo, data: bytes.slice(at, at + len) });
    at += len;
  }
  return extents;
}
