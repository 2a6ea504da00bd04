/**
 * The reads of a demuxer indexing an object. FFmpeg asks for 32 KiB at a
 * time; answering each with a request would cost dozens of round trips.
 * {@link readahead} serves cached bytes as they are (a short answer is fine
 * for FFmpeg) and fetches a miss from the asked position with a readahead that
 * doubles while reads stay sequential.
 *
 * @module
 */

import type { BlockCache, ReadStats } from "./cache.ts";
import type { ByteSource } from "./source.ts";

/** Readahead bounds of {@link readahead}. */
export interface ReadaheadOptions {
  /** First readahead, and after a seek, in bytes. Default 65536. */
  minBytes?: number;
  /** Largest readahead in bytes. Default 4194304. */
  maxBytes?: number;
  /** Filled with the requests and bytes of every read. */
  stats?: ReadStats;
}

/**
 * A read function over `source` through `cache` for sequential readers.
 *
 * @example
 * ```ts
 * import { BlockCache, FileProvider } from "@seekframe/seekframe";
 * import { readahead } from "./readahead.ts";
 *
 * const source = await new FileProvider("./videos").open("sample.mp4");
 * const read = readahead(new BlockCache(), source);
 * const bytes = await read(0, 32768); // fetches 64 KiB; the next 32 KiB are cached
 * ```
 */
export function readahead(
  cache: BlockCache,
  source: ByteSource,
  options: ReadaheadOptions = {},
): (pos: number, length: number) => Promise<Uint8Array> {
  const min = options.minBytes ?? 64 << 10, max = options.maxBytes ?? 4 << 20;
  let ahead = min;
  let lastEnd = -1;
  const stats = options.stats;
  return (pos, length) => {
    const cached = cache.cachedLength(source, pos, max);
    if (cached > 0) return cache.read(source, pos, cached, "exact", stats);
    ahead = pos === lastEnd ? Math.min(ahead * 2, max) : min;
    const want = Math.min(Math.max(length, ahead), source.size - pos);
    lastEnd = pos + want;
    return cache.read(source, pos, want, "exact", stats);
  };
}
