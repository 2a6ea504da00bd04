/**
 * The options of {@link openFrameStore}, with their defaults, and their
 * checks: every option is validated when the store opens, with an error that
 * names it and what it accepts.
 *
 * @module
 */

import { InvalidArgumentError } from "./errors.ts";
import type { IndexStore } from "./index/index_store.ts";
import type { RangePolicy } from "./index/plan.ts";
import type { BlockCacheOptions } from "./storage/cache.ts";
import type { S3Options } from "./storage/s3.ts";
import type { SourceProvider } from "./storage/source.ts";

export type { S3Options };

/** Where videos come from and how the store works. Give exactly one of `s3`, `dir`, `source`. */
export interface FrameStoreOptions {
  /** Read from an S3-compatible bucket. */
  s3?: S3Options;
  /** Read from a local folder. */
  dir?: string;
  /** Read through your own {@link SourceProvider}. */
  source?: SourceProvider;
  /** Block cache settings. */
  cache?: Omit<BlockCacheOptions, "disk">;
  /** A folder for the disk tier of the block cache (survives restarts). Default: no disk tier. */
  cacheDir?: string;
  /** Size budget of `cacheDir` in bytes. Default 1 GiB. */
  cacheDirBytes?: number;
  /** Decoder workers. Default: the number of CPU cores. */
  workers?: number;
  /**
   * A decoder worker idle this long (ms) is stopped (the next frame starts a
   * new one, without its decoder sessions). So a program that forgets
   * `close()` still exits. Default 10,000.
   */
  workerIdleMs?: number;
  /**
   * A decoder worker whose wasm memory has grown past this many bytes is
   * replaced after its job (wasm memory never shrinks, so one large video
   * would otherwise hold its memory for good). Default 268,435,456 (256 MiB).
   */
  workerMaxHeapBytes?: number;
  /**
   * How packet spans become requests: a named profile, or a
   * {@link RangePolicy} (fields left out take the `"requests-first"` values;
   * `maxRanges` counts per decoder job: one per GOP a call decodes from).
   * - `"requests-first"` (default) `{ requestBytes: 8192, maxRanges: 1,
   *   maxGapBytes: 1048576 }`: a random frame costs one request, and so does
   *   each GOP of a batch (other streams' bytes, and pictures the decoder
   *   skips, between its packets included); megabytes of other data are
   *   never fetched.
   * - `"bytes-first"` `{ requestBytes: 2048, maxRanges: Infinity,
   *   maxGapBytes: 1048576 }`: gaps over 2 KiB are left out, so pictures the
   *   decoder skips are not fetched either, at the cost of more requests.
   */
  ranges?: RangeProfile | Partial<RangePolicy>;
  /** Indexed videos kept open (index + handle). Default 256. */
  maxOpenVideos?: number;
  /**
   * How long (ms) a video's object version is trusted without storage
   * vouching for it. Reads are pinned to the version, so a replaced object is
   * noticed whenever bytes are fetched; this bounds how long frames served
   * from the caches alone (memory, disk) can be of an old version. Past it, a
   * request that fetched nothing confirms the version before returning (S3:
   * one conditional HEAD, no bytes), as do `info`, `plan` and `frameAt`. A
   * version known from the index store starts unconfirmed. Default 30,000;
   * `0` confirms every request; `Infinity` trusts versions (objects never
   * replaced in place).
   */
  revalidateMs?: number;
  /**
   * Where frame indexes persist: a Deno KV file path, or a `http(s)://` KV
   * Connect URL (with `DENO_KV_ACCESS_TOKEN`) so several sidecars share them.
   * Default: Deno's own KV location when Deno KV is available (`--unstable-kv`),
   * else none. `false`: keep indexes in memory only. Not with `indexStore`.
   */
  kvPath?: string | false;
  /** Your own {@link IndexStore} instead of Deno KV; the frame store does not close it. Not with `kvPath`. */
  indexStore?: IndexStore;
  /**
   * Verify each video before any of its frames is served
   * ({@link FrameStore.verify}): its whole video stream is decoded once per
   * object version (the index keeps what was found), so damage anywhere in
   * it refuses the frames it makes uncertain whatever order they are asked
   * in. For files that may be damaged, when the cost of one full decode per
   * version is acceptable. Default false: a frame is checked only along its
   * own decode path.
   */
  verify?: boolean;
  /** Called while an index is built (a packet scan reads the whole object). */
  onIndexProgress?: (progress: IndexProgress) => void;
}

/** A named {@link RangePolicy}; see {@link FrameStoreOptions.ranges}. */
export type RangeProfile = "requests-first" | "bytes-first";

/** The policy of each {@link RangeProfile}. */
export const RANGE_PROFILES: Readonly<Record<RangeProfile, RangePolicy>> = {
  "requests-first": { requestBytes: 8192, maxRanges: 1, maxGapBytes: 1 << 20 },
  "bytes-first": { requestBytes: 2048, maxRanges: Infinity, maxGapBytes: 1 << 20 },
};

/** The policy `ranges` names; see {@link FrameStoreOptions.ranges}. */
export function rangePolicy(ranges: FrameStoreOptions["ranges"]): RangePolicy {
  if (typeof ranges === "string") {
    if (!(ranges in RANGE_PROFILES)) {
      throw new InvalidArgumentError(
        `options.ranges must be ${Object.keys(RANGE_PROFILES).join(" or ")}, or a range policy; got ${ranges}`,
      );
    }
    return RANGE_PROFILES[ranges];
  }
  return { ...RANGE_PROFILES["requests-first"], ...ranges };
}

/** Progress of an index build. */
export interface IndexProgress {
  /** The key being indexed. */
  key: string;
  /** Furthest byte read so far. */
  bytesRead: number;
  /** Object size. */
  size: number;
}

/** Throws {@link InvalidArgumentError} naming the first option that is not acceptable. */
export function checkOptions(options: FrameStoreOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("openFrameStore needs an options object");
  }
  const given = [options.s3, options.dir, options.source].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new InvalidArgumentError("openFrameStore needs exactly one of options.s3, options.dir, options.source");
  }
  if (options.dir !== undefined && (typeof options.dir !== "string" || options.dir === "")) {
    throw new InvalidArgumentError("options.dir, when provided, must be a non-empty folder path");
  }
  const positive = (name: keyof FrameStoreOptions) => {
    const v = options[name];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) {
      throw new InvalidArgumentError(`options.${name}, when provided, must be a positive integer`);
    }
  };
  positive("workers");
  positive("workerIdleMs");
  positive("workerMaxHeapBytes");
  positive("maxOpenVideos");
  if (
    options.revalidateMs !== undefined &&
    (typeof options.revalidateMs !== "number" || Number.isNaN(options.revalidateMs) || options.revalidateMs < 0)
  ) {
    throw new InvalidArgumentError("options.revalidateMs, when provided, must be a number ≥ 0 (or Infinity)");
  }
  rangePolicy(options.ranges);
  if (options.verify !== undefined && typeof options.verify !== "boolean") {
    throw new InvalidArgumentError("options.verify, when provided, must be true or false");
  }
  if (options.kvPath !== undefined && options.indexStore !== undefined) {
    throw new InvalidArgumentError("options.kvPath and options.indexStore name two index stores; give one");
  }
  if (options.kvPath !== undefined && options.kvPath !== false && typeof options.kvPath !== "string") {
    throw new InvalidArgumentError("options.kvPath, when provided, must be a path, a KV Connect URL or false");
  }
}
