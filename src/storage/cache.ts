/**
 * Block cache between byte sources and everything that reads them.
 *
 * The object is cut into fixed, aligned blocks. A block may be partly filled:
 * when a caller knows the exact span it needs (a frame's packets), only that
 * span is fetched, so the edges of the span are partial blocks. Adjacent
 * missing blocks become one ranged read, and concurrent reads of the same
 * block share one request (single flight). Blocks are evicted least recently
 * used first, and the cache never holds more than its byte budget.
 *
 * Keys start with the source's `id`, which contains the ETag, so a replaced
 * object never serves old bytes.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import type { ByteSource } from "./source.ts";

/** Shape of the block cache. */
export interface BlockCacheOptions {
  /** Block size in bytes; a power of two. Default 262144 (256 KiB). */
  blockSize?: number;
  /** Memory budget in bytes. Default 268435456 (256 MiB). */
  maxBytes?: number;
}

/** How a read turns misses into requests. */
export type ReadMode =
  /** Fetch whole blocks around the range (readahead for demuxers). */
  | "blocks"
  /** Fetch exactly the missing bytes of the range (known packet spans). */
  | "exact";

/** Counters of a cache; all fields only grow except `bytes`. */
export interface CacheStats {
  /** Block lookups answered from memory. */
  hits: number;
  /** Block lookups that needed storage. */
  misses: number;
  /** Bytes returned from memory. */
  bytesFromCache: number;
  /** Bytes currently held. */
  bytes: number;
  /** Blocks evicted to stay under budget. */
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
}

interface Block {
  /** Bytes of [lo, hi) relative to the object start. */
  lo: number;
  hi: number;
  data: Uint8Array;
}

/**
 * An in-memory LRU block cache with a byte budget.
 *
 * @example
 * ```ts
 * const cache = new BlockCache({ maxBytes: 64 << 20 });
 * const bytes = await cache.read(source, 1_000_000, 4096);
 * ```
 */
export class BlockCache {
  /** Block size in bytes. */
  readonly blockSize: number;
  /** Memory budget in bytes. */
  readonly maxBytes: number;
  /** Live counters. */
  readonly stats: CacheStats = { hits: 0, misses: 0, bytesFromCache: 0, bytes: 0, evictions: 0 };
  // Map iteration order is insertion order: re-inserting on use makes it an LRU.
  readonly #blocks = new Map<string, Block>();
  readonly #inflight = new Map<string, Promise<unknown>>();

  constructor(options: BlockCacheOptions = {}) {
    this.blockSize = options.blockSize ?? 262144;
    this.maxBytes = options.maxBytes ?? 268435456;
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
   * Reads `[offset, offset + length)` of `source` through the cache.
   * `mode` decides what a miss fetches (see {@link ReadMode}).
   */
  async read(
    source: ByteSource,
    offset: number,
    length: number,
    mode: ReadMode = "blocks",
    stats?: ReadStats,
  ): Promise<Uint8Array> {
    const end = Math.min(offset + length, source.size);
    if (offset < 0 || offset > end) {
      throw new RangeError(`read at ${offset} outside object of ${source.size} bytes`);
    }
    const out = new Uint8Array(end - offset);
    const bs = this.blockSize;
    let pending: number[] = [];
    for (let b = Math.floor(offset / bs); b * bs < end; b++) pending.push(b);
    while (pending.length > 0) {
      const missing: number[] = [];
      const waited: number[] = [];
      const waits: Promise<unknown>[] = [];
      for (const b of pending) {
        const lo = Math.max(offset, b * bs);
        const hi = Math.min(end, (b + 1) * bs);
        const key = blockKey(source, b);
        const block = this.#blocks.get(key);
        if (block && block.lo <= lo && block.hi >= hi) {
          this.#touch(key, block);
          out.set(block.data.subarray(lo - block.lo, hi - block.lo), lo - offset);
          this.stats.hits++;
          this.stats.bytesFromCache += hi - lo;
          if (stats) stats.bytesFromCache += hi - lo;
          continue;
        }
        const flight = this.#inflight.get(key);
        if (flight) {
          waited.push(b);
          waits.push(flight.catch(() => {}));
        } else {
          missing.push(b);
        }
      }
      // Coalesce runs of adjacent missing blocks into one request each.
      await Promise.all(
        runs(missing).map(async (run) => {
          const first = run[0], last = run[run.length - 1];
          const from = mode === "exact" ? Math.max(offset, first * bs) : this.#missingFrom(source, first);
          const to = mode === "exact" ? Math.min(end, (last + 1) * bs) : Math.min(source.size, (last + 1) * bs);
          const lo0 = Math.max(offset, first * bs);
          if (from > lo0) {
            // A cached prefix of the first block: copy it, fetch only the rest.
            const head = this.#blocks.get(blockKey(source, first))!;
            out.set(head.data.subarray(lo0 - head.lo, from - head.lo), lo0 - offset);
          }
          this.stats.misses += run.length;
          const fetch = this.#fetch(source, from, to, stats);
          for (const b of run) this.#inflight.set(blockKey(source, b), fetch);
          try {
            const data = await fetch;
            const lo = Math.max(offset, from), hi = Math.min(end, to);
            out.set(data.subarray(lo - from, hi - from), lo - offset);
          } finally {
            for (const b of run) this.#inflight.delete(blockKey(source, b));
          }
        }),
      );
      // Another call was fetching these blocks: wait, then look again (they may
      // have failed or been evicted, in which case this call fetches them).
      await Promise.all(waits);
      pending = waited;
    }
    return out;
  }

  /** Puts bytes already fetched (e.g. the head read at open) into the cache. */
  put(source: ByteSource, offset: number, data: Uint8Array): void {
    const bs = this.blockSize;
    const end = offset + data.byteLength;
    for (let b = Math.floor(offset / bs); b * bs < end; b++) {
      const lo = Math.max(offset, b * bs), hi = Math.min(end, (b + 1) * bs);
      this.#insert(blockKey(source, b), lo, hi, data.subarray(lo - offset, hi - offset));
    }
  }

  /** True when `[offset, offset + length)` is fully cached. */
  has(source: ByteSource, offset: number, length: number): boolean {
    return this.#isCached(source, offset, Math.min(source.size, offset + length));
  }

  /** How many contiguous bytes from `offset` are cached, at most `max`. */
  cachedLength(source: ByteSource, offset: number, max: number): number {
    const bs = this.blockSize;
    const end = Math.min(source.size, offset + max);
    let at = offset;
    while (at < end) {
      const block = this.#blocks.get(blockKey(source, Math.floor(at / bs)));
      if (!block || block.lo > at || block.hi <= at) break;
      at = Math.min(end, block.hi);
    }
    return at - offset;
  }

  /** Drops every block of every version of the object at `source.key`'s location. */
  invalidate(source: ByteSource): void {
    const prefix = source.id.slice(0, source.id.lastIndexOf("@") + 1);
    for (const [key, block] of this.#blocks) {
      if (key.startsWith(prefix)) {
        this.#blocks.delete(key);
        this.stats.bytes -= block.data.byteLength;
      }
    }
  }

  /** Drops everything. */
  clear(): void {
    this.#blocks.clear();
    this.stats.bytes = 0;
  }

  #isCached(source: ByteSource, offset: number, end: number): boolean {
    const bs = this.blockSize;
    for (let b = Math.floor(offset / bs); b * bs < end; b++) {
      const block = this.#blocks.get(blockKey(source, b));
      if (!block || block.lo > Math.max(offset, b * bs) || block.hi < Math.min(end, (b + 1) * bs)) return false;
    }
    return true;
  }

  async #fetch(source: ByteSource, from: number, to: number, stats?: ReadStats): Promise<Uint8Array> {
    const data = await source.read(from, to - from);
    if (stats) {
      stats.requests++;
      stats.bytesFetched += data.byteLength;
    }
    this.put(source, from, data);
    return data;
  }

  /** Start of the missing part of block `b`: after a cached prefix, if it has one. */
  #missingFrom(source: ByteSource, b: number): number {
    const block = this.#blocks.get(blockKey(source, b));
    return block && block.lo === b * this.blockSize ? block.hi : b * this.blockSize;
  }

  #touch(key: string, block: Block): void {
    this.#blocks.delete(key);
    this.#blocks.set(key, block);
  }

  #insert(key: string, lo: number, hi: number, bytes: Uint8Array): void {
    const old = this.#blocks.get(key);
    let block: Block;
    if (old && old.lo <= hi && old.hi >= lo) {
      // Overlapping or touching: keep the union.
      const ulo = Math.min(lo, old.lo), uhi = Math.max(hi, old.hi);
      const data = new Uint8Array(uhi - ulo);
      data.set(old.data, old.lo - ulo);
      data.set(bytes, lo - ulo);
      block = { lo: ulo, hi: uhi, data };
    } else {
      // Copy so a large fetched buffer is not kept alive by a small block.
      block = { lo, hi, data: bytes.slice() };
    }
    if (old) {
      this.#blocks.delete(key);
      this.stats.bytes -= old.data.byteLength;
    }
    if (block.data.byteLength > this.maxBytes) return;
    this.#blocks.set(key, block);
    this.stats.bytes += block.data.byteLength;
    for (const [k, b] of this.#blocks) {
      if (this.stats.bytes <= this.maxBytes) break;
      this.#blocks.delete(k);
      this.stats.bytes -= b.data.byteLength;
      this.stats.evictions++;
    }
  }
}

function blockKey(source: ByteSource, block: number): string {
  return `${source.id}#${block}`;
}

/** Splits sorted block numbers into runs of consecutive numbers. */
function runs(blocks: number[]): number[][] {
  const out: number[][] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && last[last.length - 1] === b - 1) last.push(b);
    else out.push([b]);
  }
  return out;
}
