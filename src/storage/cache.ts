/**
 * Block cache between byte sources and everything that reads them.
 *
 * The object is cut into fixed, aligned blocks. A block holds one or more
 * extents (byte runs): when a caller knows the exact span it needs (a frame's
 * packets), only that span is fetched, so blocks can be partly filled. Runs of
 * adjacent missing blocks become one ranged read, and concurrent reads of the
 * same block share one request (single flight). Blocks are evicted least
 * recently used first, and memory never holds more than the byte budget. An
 * optional {@link DiskCache} below memory survives restarts.
 *
 * Keys start with the source's location and ETag, so a replaced object never
 * serves old bytes.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import type { DiskCache, Extent } from "./disk.ts";
import type { ByteSource } from "./source.ts";

/** Shape of the block cache. */
export interface BlockCacheOptions {
  /** Block size in bytes; a power of two ≥ 4096. Default 262144 (256 KiB). */
  blockSize?: number;
  /** Memory budget in bytes. Default 268435456 (256 MiB). */
  maxBytes?: number;
  /** A disk tier below memory (see {@link DiskCache}). Default: none. */
  disk?: DiskCache;
}

/** How a read turns misses into requests. */
export type ReadMode =
  /** Fetch whole blocks around the range (readahead). */
  | "blocks"
  /** Fetch exactly the missing bytes of the range (known packet spans). */
  | "exact";

/** Counters of a cache; all fields only grow except `bytes`. */
export interface CacheStats {
  /** Block lookups answered from memory. */
  hits: number;
  /** Block lookups answered from the disk tier. */
  diskHits: number;
  /** Block lookups that needed storage. */
  misses: number;
  /** Bytes returned from memory or disk. */
  bytesFromCache: number;
  /** Bytes currently held in memory. */
  bytes: number;
  /** Blocks evicted from memory to stay under budget. */
  evictions: number;
}

/** Per-call counters a caller can pass to {@link BlockCache.read}. */
export interface ReadStats {
  /** Requests this call sent to storage. */
  requests: number;
  /** Bytes this call fetched from storage. */
  bytesFetched: number;
  /** Bytes this call got from the cache. */
  bytesFromCache: number;
  /**
   * Set by frame requests: the least any reader must fetch for the frames
   * asked (their packets from the keyframe, as {@link FrameStore.plan} counts).
   */
  lowerBoundBytes?: number;
}

/** A fresh zeroed {@link ReadStats}. */
export function newReadStats(): ReadStats {
  return { requests: 0, bytesFetched: 0, bytesFromCache: 0 };
}

interface Block {
  /** Sorted, non-touching byte runs (absolute offsets). */
  extents: Extent[];
  /** Sum of the extents' lengths. */
  bytes: number;
}

/**
 * An LRU block cache with a memory budget and an optional disk tier.
 *
 * @example Cached reads of a local file
 * ```ts
 * import { BlockCache, FileProvider } from "@seekframe/seekframe";
 *
 * const cache = new BlockCache({ maxBytes: 64 << 20 });
 * const source = await new FileProvider("./videos").open("sample.mp4");
 * const bytes = await cache.read(source, 1000, 4096); // one read of the block around it
 * const again = await cache.read(source, 2000, 100); // from memory
 * ```
 */
export class BlockCache {
  /** Block size in bytes. */
  readonly blockSize: number;
  /** Memory budget in bytes. */
  readonly maxBytes: number;
  /** Live counters. */
  readonly stats: CacheStats = { hits: 0, diskHits: 0, misses: 0, bytesFromCache: 0, bytes: 0, evictions: 0 };
  readonly #disk?: DiskCache;
  // Map iteration order is insertion order: re-inserting on use makes it an LRU.
  readonly #blocks = new Map<string, Block>();
  // Block key → fetches under way and the part of the block each will fill.
  readonly #inflight = new Map<string, { lo: number; hi: number; task: Promise<unknown> }[]>();

  /** Creates an empty cache; throws {@link InvalidArgumentError} for a bad block size or budget. */
  constructor(options: BlockCacheOptions = {}) {
    this.blockSize = options.blockSize ?? 262144;
    this.maxBytes = options.maxBytes ?? 268435456;
    this.#disk = options.disk;
    if (
      !Number.isInteger(this.blockSize) || this.blockSize < 4096 ||
      (this.blockSize & (this.blockSize - 1)) !== 0
    ) {
      throw new InvalidArgumentError("cache.blockSize must be a power of two ≥ 4096");
    }
    if (!Number.isInteger(this.maxBytes) || this.maxBytes < 0) {
      throw new InvalidArgumentError("cache.maxBytes must be a non-negative integer");
    }
  }

  /**
   * Reads `[offset, offset + length)` of `source` (clamped to its size)
   * through the cache. `mode` decides what a miss fetches (see {@link ReadMode}).
   */
  async read(
    source: ByteSource,
    offset: number,
    length: number,
    mode: ReadMode = "blocks",
    stats?: ReadStats,
  ): Promise<Uint8Array> {
    const end = Math.min(offset + length, source.size);
    if (offset < 0 || offset > end) throw new RangeError(`read at ${offset} outside object of ${source.size} bytes`);
    const out = new Uint8Array(end - offset);
    const bs = this.blockSize;
    const copy = (e: Extent, lo: number, hi: number) => out.set(e.data.subarray(lo - e.lo, hi - e.lo), lo - offset);
    let todo: number[] = [];
    for (let b = Math.floor(offset / bs); b * bs < end; b++) todo.push(b);
    while (todo.length > 0) {
      const missing: number[] = [], waited: number[] = [], waits: Promise<unknown>[] = [];
      for (const b of todo) {
        const lo = Math.max(offset, b * bs), hi = Math.min(end, (b + 1) * bs);
        const key = blockKey(source, b);
        const e = this.#find(key, lo, hi);
        if (e) {
          copy(e, lo, hi);
          this.#hit(hi - lo, stats);
          continue;
        }
        const flight = this.#inflight.get(key)?.find((f) => f.lo <= lo && f.hi >= hi);
        if (flight) {
          waited.push(b);
          waits.push(flight.task.catch(() => {}));
        } else {
          missing.push(b);
        }
      }
      // Register every missing block as in flight before the first await, so
      // concurrent reads of the same blocks wait for this one (single flight).
      const tasks = runs(missing).map((run) => {
        const task = this.#load(source, run, offset, end, mode, copy, stats);
        const flights = run.map((b) => {
          const key = blockKey(source, b);
          const flight = mode === "exact"
            ? { lo: Math.max(offset, b * bs), hi: Math.min(end, (b + 1) * bs), task }
            : { lo: b * bs, hi: Math.min(source.size, (b + 1) * bs), task };
          const list = this.#inflight.get(key) ?? [];
          list.push(flight);
          this.#inflight.set(key, list);
          return [key, flight] as const;
        });
        return task.finally(() => {
          for (const [key, flight] of flights) {
            const list = this.#inflight.get(key)?.filter((f) => f !== flight) ?? [];
            if (list.length > 0) this.#inflight.set(key, list);
            else this.#inflight.delete(key);
          }
        });
      });
      await Promise.all(tasks);
      // Blocks another call was fetching: look again (that fetch may have
      // failed, or the blocks been evicted; then this call fetches them).
      await Promise.all(waits);
      todo = waited;
    }
    return out;
  }

  /** Puts bytes already fetched (e.g. the head read at open) into the cache. */
  put(source: ByteSource, offset: number, data: Uint8Array): void {
    const bs = this.blockSize;
    const end = offset + data.byteLength;
    for (let b = Math.floor(offset / bs); b * bs < end; b++) {
      const lo = Math.max(offset, b * bs), hi = Math.min(end, (b + 1) * bs);
      const block = this.#insert(blockKey(source, b), { lo, data: data.slice(lo - offset, hi - offset) });
      if (block) this.#disk?.put(blockKey(source, b), block.extents);
    }
  }

  /** How many contiguous bytes from `offset` are in memory, at most `max`. */
  cachedLength(source: ByteSource, offset: number, max: number): number {
    const bs = this.blockSize;
    const end = Math.min(source.size, offset + max);
    let at = offset;
    while (at < end) {
      const e = this.#find(blockKey(source, Math.floor(at / bs)), at, at + 1);
      if (!e) break;
      at = Math.min(end, e.lo + e.data.byteLength);
    }
    return at - offset;
  }

  /** Drops every block of every version of the object at `source`'s location, in memory and on disk. */
  invalidate(source: Pick<ByteSource, "location">): void {
    const prefix = locationPrefix(source.location);
    for (const [key, block] of this.#blocks) {
      if (key.startsWith(prefix)) {
        this.#blocks.delete(key);
        this.stats.bytes -= block.bytes;
      }
    }
    this.#disk?.invalidate(prefix);
  }

  /** Drops everything held in memory. */
  clear(): void {
    this.#blocks.clear();
    this.stats.bytes = 0;
  }

  /** Finishes pending disk writes. */
  async flush(): Promise<void> {
    await this.#disk?.flush();
  }

  /** Loads one run of missing blocks: from disk where it has them, else from storage. */
  async #load(
    source: ByteSource,
    run: number[],
    offset: number,
    end: number,
    mode: ReadMode,
    copy: (e: Extent, lo: number, hi: number) => void,
    stats?: ReadStats,
  ): Promise<void> {
    const bs = this.blockSize;
    const need = (b: number): [number, number] => [Math.max(offset, b * bs), Math.min(end, (b + 1) * bs)];
    let remaining = run;
    if (this.#disk) {
      const found = await Promise.all(run.map((b) => this.#disk!.get(blockKey(source, b))));
      remaining = [];
      run.forEach((b, i) => {
        const [lo, hi] = need(b);
        const extents = found[i];
        const e = extents?.find((x) => x.lo <= lo && x.lo + x.data.byteLength >= hi);
        for (const x of extents ?? []) this.#insert(blockKey(source, b), x);
        if (e) {
          copy(e, lo, hi);
          this.stats.diskHits++;
          this.stats.bytesFromCache += hi - lo;
          if (stats) stats.bytesFromCache += hi - lo;
        } else {
          remaining.push(b);
        }
      });
    }
    await Promise.all(
      runs(remaining).map(async (sub) => {
        const first = sub[0], last = sub[sub.length - 1];
        const [firstLo, firstHi] = need(first), [lastLo, lastHi] = need(last);
        let from = mode === "exact" ? firstLo : first * bs;
        let to = mode === "exact" ? lastHi : Math.min(source.size, (last + 1) * bs);
        // Skip a cached prefix of the first block and, for exact reads, a cached
        // suffix of the last one: copy those now, fetch only what is between.
        const prefix = this.#find(blockKey(source, first), from, from + 1);
        if (prefix) {
          from = Math.min(prefix.lo + prefix.data.byteLength, firstHi);
          if (from > firstLo) copy(prefix, firstLo, from);
        }
        const suffix = mode === "exact" ? this.#find(blockKey(source, last), lastHi - 1, lastHi) : undefined;
        if (suffix && suffix.lo > from) {
          to = Math.max(suffix.lo, lastLo);
          copy(suffix, to, lastHi);
        }
        if (to <= from) return;
        this.stats.misses += sub.length;
        const data = await source.read(from, to - from);
        if (stats) {
          stats.requests++;
          stats.bytesFetched += data.byteLength;
        }
        this.put(source, from, data);
        const lo = Math.max(offset, from), hi = Math.min(end, to);
        if (hi > lo) copy({ lo: from, data }, lo, hi);
      }),
    );
  }

  #hit(bytes: number, stats?: ReadStats): void {
    this.stats.hits++;
    this.stats.bytesFromCache += bytes;
    if (stats) stats.bytesFromCache += bytes;
  }

  /** The extent of block `key` covering `[lo, hi)`, refreshing the block's LRU position. */
  #find(key: string, lo: number, hi: number): Extent | undefined {
    const block = this.#blocks.get(key);
    const e = block?.extents.find((x) => x.lo <= lo && x.lo + x.data.byteLength >= hi);
    if (e) {
      this.#blocks.delete(key);
      this.#blocks.set(key, block!);
    }
    return e;
  }

  /** Adds an extent to a block, merging it with extents it overlaps or touches. */
  #insert(key: string, add: Extent): Block | undefined {
    const old = this.#blocks.get(key);
    let lo = add.lo, hi = add.lo + add.data.byteLength;
    const keep: Extent[] = [], merge: Extent[] = [];
    for (const e of old?.extents ?? []) {
      const elo = e.lo, ehi = e.lo + e.data.byteLength;
      if (ehi < lo || elo > hi) {
        keep.push(e);
      } else {
        merge.push(e);
        lo = Math.min(lo, elo);
        hi = Math.max(hi, ehi);
      }
    }
    let extent = add;
    if (merge.length > 0) {
      const data = new Uint8Array(hi - lo);
      for (const e of merge) data.set(e.data, e.lo - lo);
      data.set(add.data, add.lo - lo);
      extent = { lo, data };
    }
    const extents = [...keep, extent].sort((a, b) => a.lo - b.lo);
    const block = { extents, bytes: extents.reduce((n, e) => n + e.data.byteLength, 0) };
    if (old) {
      this.#blocks.delete(key);
      this.stats.bytes -= old.bytes;
    }
    if (block.bytes > this.maxBytes) return undefined;
    this.#blocks.set(key, block);
    this.stats.bytes += block.bytes;
    for (const [k, b] of this.#blocks) {
      if (this.stats.bytes <= this.maxBytes) break;
      this.#blocks.delete(k);
      this.stats.bytes -= b.bytes;
      this.stats.evictions++;
    }
    return block;
  }
}

/**
 * The start of every block key of a location. Its length leads, so one
 * location is never a prefix of another's keys (keys may contain `@` and `#`).
 */
function locationPrefix(location: string): string {
  return `${location.length}:${location}@`;
}

function blockKey(source: ByteSource, block: number): string {
  return `${locationPrefix(source.location)}${source.etag}#${block}`;
}

/** Splits sorted block numbers into runs of consecutive numbers. */
function runs(blocks: number[]): number[][] {
  const result: number[][] = [];
  for (const b of blocks) {
    const last = result[result.length - 1];
    if (last && last[last.length - 1] === b - 1) last.push(b);
    else result.push([b]);
  }
  return result;
}
