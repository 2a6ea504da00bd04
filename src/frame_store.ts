/**
 * The frame store joins the stages: a {@link SourceProvider} opens objects,
 * the {@link BlockCache} serves their bytes, the container and the index say
 * which packets a frame needs, and the decoder sessions turn them into RGB24
 * pixels. It also owns the life of what it opened: the open videos (an LRU),
 * their object versions (revalidated after `revalidateMs`) and the index
 * store.
 *
 * @module
 */

import {
  CorruptMediaError,
  DecoderError,
  FrameOutOfRangeError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  SeekframeError,
  StorageError,
  StoreClosedError,
} from "./errors.ts";
import { containerNamed, detectContainer } from "./container/registry.ts";
import { DecoderPool } from "./decode/pool.ts";
import type { OutputSpec } from "./decode/protocol.ts";
import { type PacketFetch, type VerifyProgress, VideoDecoder } from "./decode/session.ts";
import { buildIndex } from "./index/build.ts";
import type { IndexStore } from "./index/index_store.ts";
import { KvIndexStore } from "./index/kv.ts";
import {
  configDamage,
  type PacketCheck,
  packetCheck,
  type PacketClassifier,
  packetClassifier,
} from "./codec/disposable.ts";
import { damageHorizon, markDamaged, untrusted } from "./index/damage.ts";
import {
  classifiedFlags,
  FLAG_CHECKED,
  FLAG_CLASSIFIED,
  FLAG_DAMAGED,
  FLAG_DISPOSABLE,
  FLAG_KEY,
  type FrameIndex,
  type ProbeResult,
  type VideoInfo,
} from "./index/model.ts";
import { type ByteRange, frameAtTime, packetRanges, planJobs, type RangePolicy } from "./index/plan.ts";
import { type IndexStoreStats, ResilientIndexStore } from "./index/resilient.ts";
import { checkOptions, type FrameStoreOptions, type IndexProgress, rangePolicy } from "./options.ts";
import { BlockCache, type CacheStats, type ReadStats } from "./storage/cache.ts";
import { DiskCache } from "./storage/disk.ts";
import { FileProvider } from "./storage/file.ts";
import { readahead } from "./storage/readahead.ts";
import { S3Provider } from "./storage/s3.ts";
import { RemoteFile } from "./storage/remote_file.ts";
import {
  type ByteSource,
  checkKey,
  type IoStats,
  type ObjectList,
  sourceId,
  type SourceProvider,
} from "./storage/source.ts";

export type { ReadStats };

/** One decoded frame. */
export interface Frame {
  /** Frame number (presentation order, from 0). */
  index: number;
  /** Presentation time in seconds. */
  time: number;
  /** Presentation timestamp in the stream's time base. */
  pts: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** ETag of the object version the frame was decoded from. */
  etag: string;
  /**
   * Layout of `data`: `"rgb24"` (packed RGB, row-major, `width * height * 3`
   * bytes), or with `pixelFormat: "native"` the decoder's own format as
   * FFmpeg names it (e.g. `"yuv420p"`, `"yuv420p10le"`), laid out as FFmpeg's
   * `rawvideo` of it: planes one after another, rows without padding.
   */
  pixelFormat: string;
  /** The pixels. */
  data: Uint8Array;
}

/** Per-call options. */
export interface FrameRequestOptions {
  /** Filled with this call's storage requests and bytes. */
  stats?: ReadStats;
  /** Scale frames to this width (height keeps the aspect ratio); at most the video's width. Default: as decoded. */
  width?: number;
  /** Abandons the call (e.g. the HTTP client went away): queued work is skipped and the call rejects. */
  signal?: AbortSignal;
  /**
   * `"rgb24"` (default): packed RGB, rotated as the container's display
   * matrix says and scaled to `width`. `"native"`: the decoded picture
   * itself, in the decoder's pixel format, as coded (not rotated, not
   * scaled); byte for byte what `ffmpeg -noautorotate -vf "select=eq(n\,N)"
   * -f rawvideo -pix_fmt <its format>` gives.
   */
  pixelFormat?: "rgb24" | "native";
}

/** Options of {@link FrameStore.info}. */
export interface InfoOptions {
  /** Filled with what opening (and indexing) the video cost. */
  stats?: ReadStats;
  /**
   * Confirm the version with storage when `revalidateMs` has passed. Default
   * true. `false` answers from the open version as it stands: for callers
   * that fetch frames next, since a frame request confirms the version itself
   * (for free when it reads bytes).
   */
  confirm?: boolean;
}

/** Options of {@link FrameStore.verify}. */
export interface VerifyOptions {
  /** Filled with this call's storage requests and bytes. */
  stats?: ReadStats;
  /** Abandons the verification between decode jobs (what was verified so far is kept). */
  signal?: AbortSignal;
}

/** What {@link FrameStore.verify} found; safe to serialize as JSON. */
export interface VerifyReport {
  /** The video's key. */
  key: string;
  /** The object version verified (its ETag). */
  etag: string;
  /** Frames in the video. */
  frameCount: number;
  /** Frames the store serves: those no damaged packet comes before. */
  servedFrames: number;
  /** The first frame refused (a typed error instead), if any. */
  firstRefused?: number;
  /** Why {@link VerifyReport.firstRefused} is refused. */
  reason?: string;
  /** Packets marked damaged (from their layout, their bytes, or by the decoder). */
  damagedPackets: number;
  /** Decode jobs the video has (one per keyframe its frames are decoded from). */
  jobs: number;
  /**
   * Jobs this call decoded; the others were verified before (the index keeps
   * it; with `verify: true`, before the first frame), by a verification it
   * waited for, or are refused anyway.
   */
  decodedJobs: number;
  /** Pictures this call decoded. */
  decodedPictures: number;
}

/** One decoder run of a {@link FramePlan} (one per GOP involved). */
export interface PlannedRun {
  /** Frame numbers this run yields. */
  frames: number[];
  /** Packets decoded (decode order, keyframe first). */
  packets: number;
  /** Bytes of those packets (MPEG-TS: their spans): the least any reader must fetch for these frames. */
  packetBytes: number;
  /** Byte ranges requested (packets closer than `gapBytes` merged). */
  ranges: ByteRange[];
}

/** What fetching some frames involves; see {@link FrameStore.plan}. */
export interface FramePlan {
  /** One entry per decoder run. */
  runs: PlannedRun[];
}

/** Live counters of a store. */
export interface StoreStats {
  /** Requests and bytes sent to storage. */
  storage: IoStats;
  /** Cache hits, misses and size. */
  cache: CacheStats;
  /** Frames returned. */
  frames: number;
  /** Frames the decoders produced (wanted or decoded on the way to one). */
  decodedFrames: number;
  /** Packets on the way to a frame that were not decoded, since no later picture needed them. */
  skippedPackets: number;
  /** Decoder jobs queued or running. */
  queueDepth: number;
  /** Each decoder worker's wasm memory in bytes (0 for one not running). */
  workerHeapBytes: number[];
  /** Workers replaced because their wasm memory grew past `workerMaxHeapBytes`. */
  workersRecycled: number;
  /** The index store's failures (it degrades to in-memory indexes); undefined without one. */
  indexStore?: IndexStoreStats;
}

/** What a {@link FrameStore} is built from; {@link openFrameStore} assembles it from options. */
export interface FrameStoreParts {
  /** Opens keys into byte sources. */
  provider: SourceProvider;
  /** The block cache every read goes through. */
  cache: BlockCache;
  /** Where indexes persist, if anywhere. */
  indexStore?: IndexStore;
  /** Whether {@link FrameStore.close} closes `indexStore` (true when the frame store opened it). Default false. */
  ownsIndexStore?: boolean;
}

/** Keys remembered as stale (to reopen without the index store); the oldest are forgotten past this. */
const MAX_STALE = 10_000;

interface Video {
  source: ByteSource;
  /** What the index store keeps (its packet table is the index's). */
  probe: ProbeResult;
  index: FrameIndex;
  decoder: VideoDecoder;
  /** Judges packets as disposable or not, for indexes that do not say (MP4 sample tables). */
  classify?: PacketClassifier;
  /** Checks the framing of packets whose bytes were never looked at. */
  check: PacketCheck;
  /** A store of what was learned about its packets, waiting to be written. */
  persist?: ReturnType<typeof setTimeout>;
  /** Something was learned since the index was last written. */
  dirty?: boolean;
  /** A version check in flight (one per video at a time). */
  confirming?: Promise<void>;
  /** A verification in flight, its marks stored included (one per video at a time; see {@link FrameStore.verify}). */
  verifying?: Promise<VerifyProgress>;
  /** A verification went through every job: nothing is left to decode. */
  verified?: boolean;
}

/** How long learned packet flags wait before they are written to the index store (more may come). */
const PERSIST_DELAY_MS = 2000;

/** Resolves with `p`, or rejects with `signal`'s reason once it aborts. */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * Opens a frame store.
 *
 * @example Frames from a local folder
 * ```ts
 * import { openFrameStore } from "@seekframe/seekframe";
 *
 * await using store = await openFrameStore({ dir: "./videos" });
 * const frame = await store.getFrame("sample.mp4", 10);
 * console.log(frame.width, frame.height, frame.data.length);
 * ```
 */
export async function openFrameStore(options: FrameStoreOptions): Promise<FrameStore> {
  checkOptions(options);
  const { provider, cache } = await storageParts(options);
  const owned = options.indexStore === undefined;
  const indexStore = options.indexStore ?? await openKv(options.kvPath);
  return new FrameStore({ provider, cache, indexStore, ownsIndexStore: owned }, options);
}

/** Where {@link openRemoteFile} reads from: a bucket, a folder or a provider, and the cache settings. */
export type RemoteFileOptions = Pick<
  FrameStoreOptions,
  "s3" | "dir" | "source" | "cache" | "cacheDir" | "cacheDirBytes"
>;

/**
 * Opens one object as a seekable file (see {@link RemoteFile}) with a cache
 * of its own; closing the file releases it. A frame store's
 * {@link FrameStore.openFile} shares the store's cache instead.
 *
 * @example Seek and read an object in a bucket
 * ```ts
 * import { openRemoteFile } from "@seekframe/seekframe";
 *
 * await using file = await openRemoteFile({ dir: "./videos" }, "sample.mp4");
 * await file.seek(-16, Deno.SeekMode.End);
 * const tail = await file.read(16); // the last 16 bytes
 * ```
 */
export async function openRemoteFile(options: RemoteFileOptions, key: string): Promise<RemoteFile> {
  checkOptions(options);
  const { provider, cache } = await storageParts(options);
  try {
    const source = await provider.open(key);
    if (source.head.byteLength > 0) cache.put(source, 0, source.head);
    return new RemoteFile({
      provider,
      cache,
      source,
      onCommit: (old) => cache.invalidate(old),
      onClose: async () => {
        await cache.flush();
        await provider.close();
      },
    });
  } catch (err) {
    await provider.close();
    throw err;
  }
}

/** The provider and block cache the options name. */
async function storageParts(options: RemoteFileOptions): Promise<{ provider: SourceProvider; cache: BlockCache }> {
  if (options.dir !== undefined) await checkFolder(options.dir);
  const disk = options.cacheDir === undefined
    ? undefined
    : await DiskCache.open({ dir: options.cacheDir, maxBytes: options.cacheDirBytes });
  const provider = options.source ?? (options.s3 ? new S3Provider(options.s3) : new FileProvider(options.dir!));
  return { provider, cache: new BlockCache({ ...options.cache, disk }) };
}

/** Refuses a `dir` that is not an existing folder, at open rather than at the first frame. */
async function checkFolder(dir: string): Promise<void> {
  const info = await Deno.stat(dir).catch((err) => {
    const why = err instanceof Deno.errors.NotFound ? "no such folder" : (err as Error).name;
    throw new InvalidArgumentError(`options.dir ${JSON.stringify(dir)} cannot be read: ${why}`);
  });
  if (!info.isDirectory) throw new InvalidArgumentError(`options.dir ${JSON.stringify(dir)} is not a folder`);
}

/** Opens the Deno KV index store `kvPath` asks for; see {@link FrameStoreOptions.kvPath}. */
async function openKv(kvPath: string | false | undefined): Promise<IndexStore | undefined> {
  if (kvPath === false) return undefined;
  if (kvPath === undefined && typeof Deno.openKv !== "function") return undefined;
  return await KvIndexStore.open(kvPath);
}

/**
 * Exact frames by number from videos in storage. Create with
 * {@link openFrameStore}; close with {@link FrameStore.close} (or
 * `await using`).
 */
export class FrameStore implements AsyncDisposable {
  readonly #provider: SourceProvider;
  readonly #cache: BlockCache;
  readonly #pool: DecoderPool;
  readonly #ranges: RangePolicy;
  readonly #maxOpen: number;
  readonly #revalidateMs: number;
  readonly #videos = new Map<string, Promise<Video>>();
  /** Objects opened as files (not necessarily videos), least recently used first. */
  readonly #objects = new Map<string, Promise<ByteSource>>();
  /** Keys whose stored index proved stale: reopen them with a request. */
  readonly #stale = new Set<string>();
  readonly #indexes?: ResilientIndexStore;
  readonly #ownsIndexes: boolean;
  readonly #onIndexProgress?: (progress: IndexProgress) => void;
  /** Whether each video is verified ({@link FrameStore.verify}) before a frame of it is served. */
  readonly #verifyOnOpen: boolean;
  /** Aborted by {@link FrameStore.close}: verifications stop. */
  readonly #closing = new AbortController();
  /** The index store is closed (or being closed): nothing more is written to it. */
  #indexesClosed = false;
  #served = 0;
  #decoded = 0;
  #skipped = 0;
  /** Reads fetching a sequential reader's next bytes, which no request waits for. */
  readonly #prefetches = new Set<Promise<void>>();
  #closed = false;

  /**
   * Use {@link openFrameStore}, which checks the options and builds the parts.
   *
   * @param parts Source provider, block cache and index store.
   * @param options The rest of the store's options.
   */
  constructor(parts: FrameStoreParts, options: FrameStoreOptions = {}) {
    this.#provider = parts.provider;
    this.#cache = parts.cache;
    this.#indexes = parts.indexStore && new ResilientIndexStore(parts.indexStore);
    this.#ownsIndexes = parts.ownsIndexStore ?? false;
    this.#onIndexProgress = options.onIndexProgress;
    this.#pool = new DecoderPool({
      workers: options.workers,
      idleMs: options.workerIdleMs,
      maxHeapBytes: options.workerMaxHeapBytes,
    });
    this.#ranges = rangePolicy(options.ranges);
    this.#maxOpen = options.maxOpenVideos ?? 256;
    this.#revalidateMs = options.revalidateMs ?? 30_000;
    this.#verifyOnOpen = options.verify ?? false;
    // A worker takes ~100 ms to start: start one now, while the first request reads its index.
    this.#pool.warm().catch(() => {}); // a decoder that cannot load fails the first job, with the reason
  }

  /** Where the videos come from (no secrets), e.g. `s3://bucket/`. */
  get description(): string {
    return this.#provider.description;
  }

  /** Where this store keeps its indexes, for people: e.g. `Deno KV file ./index.kv`, or `memory (…)` without one. */
  get indexDescription(): string {
    return this.#indexes
      ? this.#indexes.description ?? "a custom index store"
      : "memory, this process only (no Deno KV: run Deno with --unstable-kv)";
  }

  /** Live counters. */
  get stats(): StoreStats {
    return {
      storage: this.#provider.stats,
      cache: this.#cache.stats,
      frames: this.#served,
      decodedFrames: this.#decoded,
      skippedPackets: this.#skipped,
      queueDepth: this.#pool.queueDepth,
      workerHeapBytes: this.#pool.heapBytes,
      workersRecycled: this.#pool.recycled,
      indexStore: this.#indexes?.stats,
    };
  }

  /**
   * Facts about a video: frame count, size, fps, duration, codec, keyframes.
   * A copy: it does not change when later requests learn more.
   *
   * @example
   * ```ts
   * import { openFrameStore } from "@seekframe/seekframe";
   *
   * await using store = await openFrameStore({ dir: "./videos" });
   * const { frameCount, width, height, fps } = await store.info("sample.mp4");
   * ```
   */
  async info(key: string, options?: InfoOptions): Promise<VideoInfo> {
    const { info } = (await this.#current(key, options?.stats, options?.confirm ?? true)).index;
    return { ...info, timeBase: [...info.timeBase], keyframes: [...info.keyframes] };
  }

  /**
   * Frame `index` (presentation order, from 0) of the video at `key`, as RGB24.
   *
   * @example
   * ```ts
   * import { openFrameStore } from "@seekframe/seekframe";
   *
   * await using store = await openFrameStore({ dir: "./videos" });
   * const { width, height, data } = await store.getFrame("sample.mp4", 77); // data: width × height × 3 bytes
   * ```
   */
  async getFrame(key: string, index: number, options?: FrameRequestOptions): Promise<Frame> {
    const [frame] = await this.getFrames(key, [index], options);
    return frame;
  }

  /**
   * Several frames of one video, in the order asked. Each GOP is decoded once
   * for all the frames asked from it.
   *
   * @example
   * ```ts
   * import { openFrameStore } from "@seekframe/seekframe";
   *
   * await using store = await openFrameStore({ dir: "./videos" });
   * const frames = await store.getFrames("sample.mp4", [0, 50, 100]);
   * ```
   */
  async getFrames(key: string, indices: number[], options?: FrameRequestOptions): Promise<Frame[]> {
    checkIndices(indices);
    try {
      return await this.#framesOfCurrentVersion(key, indices, options);
    } catch (err) {
      if (!(err instanceof ObjectChangedError)) throw err;
      // The object was replaced (a pinned read failed, or the version check):
      // what we knew is dropped; read the new version once.
      return await this.#framesOfCurrentVersion(key, indices, options);
    }
  }

  /**
   * The frame shown `seconds` after the video starts (the first frame starts
   * at 0): the last frame whose presentation time is not after it.
   *
   * @example
   * ```ts
   * import { openFrameStore } from "@seekframe/seekframe";
   *
   * await using store = await openFrameStore({ dir: "./videos" });
   * const frame = await store.getFrameAt("sample.mp4", 2.5);
   * console.log(frame.index, frame.time);
   * ```
   */
  async getFrameAt(key: string, seconds: number, options?: FrameRequestOptions): Promise<Frame> {
    return await this.getFrame(key, await this.frameAt(key, seconds, options), options);
  }

  /**
   * The number of the frame shown `seconds` after the video starts (see
   * {@link FrameStore.getFrameAt}). Options as for {@link FrameStore.info}.
   */
  async frameAt(key: string, seconds: number, options?: InfoOptions): Promise<number> {
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
      throw new InvalidArgumentError(`seconds must be a finite number ≥ 0, got ${seconds}`);
    }
    const { index } = await this.#current(key, options?.stats, options?.confirm ?? true);
    const n = frameAtTime(index, seconds);
    if (n === undefined) {
      const { duration, frameCount } = index.info;
      throw new FrameOutOfRangeError(
        `${seconds} s`,
        frameCount,
        `time ${seconds} s is out of range: video lasts ${duration} s (0 ≤ t < ${duration})`,
      );
    }
    return n;
  }

  /** What fetching `indices` of `key` would decode and fetch, without doing it. */
  async plan(key: string, indices: number[]): Promise<FramePlan> {
    checkIndices(indices);
    const { index } = await this.#current(key);
    checkRange(index, indices);
    const { packets } = index;
    return {
      runs: planJobs(index, indices).map((job) => ({
        frames: job.frames,
        packets: job.last - job.first + 1,
        packetBytes: packetBytes(index, job.first, job.last),
        ranges: packetRanges(packets, job.first, job.last, this.#ranges),
      })),
    };
  }

  /**
   * Decodes every picture of the video at `key` once, so that damage
   * anywhere in it is known before any frame is served. A random access
   * decodes only its frame's GOP, so damage elsewhere (a picture native
   * ffmpeg drops when it decodes the whole file, which shifts every later
   * frame number) goes unseen until a request decodes it. After a
   * verification, every frame that such damage makes uncertain is refused
   * with a typed error, whatever order frames are asked in. What it finds is
   * kept with the index (in KV too), so each object version is verified once;
   * a later call decodes nothing. With `verify: true` in
   * {@link FrameStoreOptions}, every video is verified before its first
   * frame is served.
   *
   * It costs decoding the whole video (on every worker; pictures in what a
   * keyframe's job and the next share twice) and reading all of its video
   * packets. `signal` stops it between jobs; the next call goes on from there.
   *
   * @example
   * ```ts
   * import { openFrameStore } from "@seekframe/seekframe";
   *
   * await using store = await openFrameStore({ dir: "./videos" });
   * const report = await store.verify("sample.mp4");
   * if (report.firstRefused !== undefined) console.log(`frames from ${report.firstRefused} on: ${report.reason}`);
   * ```
   */
  async verify(key: string, options?: VerifyOptions): Promise<VerifyReport> {
    const attempt = async () => {
      const opening = this.#open(key, options?.stats);
      try {
        const video = await opening;
        if (this.#due(video)) await this.#confirm(video, options?.stats);
        return await this.#verifyVideo(video, options);
      } catch (err) {
        if (err instanceof ObjectChangedError || err instanceof ObjectNotFoundError) await this.#forget(key, opening);
        throw err;
      }
    };
    try {
      return await attempt();
    } catch (err) {
      // The object was replaced: verify the new version once.
      if (!(err instanceof ObjectChangedError)) throw err;
      return await attempt();
    }
  }

  /**
   * Stops the workers and releases storage clients and the index store it
   * opened (one passed as `indexStore` stays open). The store cannot be used
   * afterwards.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Verifications stop after the job they are running.
    this.#closing.abort(new StoreClosedError());
    // What was learned about packets is written before the index store goes.
    const open = await Promise.all([...this.#videos.values()].map((v) => v.catch(() => undefined)));
    await Promise.all(open.map((v) => v?.verifying?.catch(() => {})));
    await Promise.all(open.filter((v) => v?.dirty).map((v) => this.#persist(v!)));
    await this.#pool.close();
    await Promise.all(this.#prefetches);
    await this.#provider.close();
    await this.#cache.flush();
    this.#indexesClosed = true;
    if (this.#ownsIndexes) await this.#indexes?.close();
    this.#videos.clear();
    this.#objects.clear();
    this.#cache.clear();
  }

  /** Closes the store (`await using store = await openFrameStore(…)`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Drops the cached bytes held in memory (indexes stay); the next frames are read from disk or storage. */
  clearCache(): void {
    this.#cache.clear();
  }

  /**
   * Opens the object at `key` as a seekable file that reads through this
   * store's cache (see {@link RemoteFile}). Committing writes to it replaces
   * the object: the old version's cached bytes and frame index are dropped,
   * so the next frame comes from the new bytes.
   *
   * @example
   * ```ts
   * import { openFrameStore } from "@seekframe/seekframe";
   *
   * await using store = await openFrameStore({ dir: "./videos" });
   * await using file = await store.openFile("sample.mp4");
   * const head = await file.read(8); // an MP4 box header
   * ```
   */
  async openFile(key: string, options?: Pick<FrameRequestOptions, "stats">): Promise<RemoteFile> {
    const source = await this.#object(key, options?.stats);
    return new RemoteFile({
      provider: this.#provider,
      cache: this.#cache,
      source,
      onCommit: (old) => {
        // The object is another version now: what was known of the old one goes.
        this.#objects.delete(key);
        this.#forget(key, this.#videos.get(key) ?? Promise.resolve(undefined));
        this.#cache.invalidate(old);
      },
    });
  }

  /**
   * A page of the objects whose keys start with `prefix`, in key order.
   * Throws {@link StorageError} when the source cannot list (a custom
   * provider without `list`).
   *
   * @example
   * ```ts
   * import { openFrameStore } from "@seekframe/seekframe";
   *
   * await using store = await openFrameStore({ dir: "./videos" });
   * const { objects, cursor } = await store.list("", { limit: 100 });
   * ```
   */
  async list(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<ObjectList> {
    if (this.#closed) throw new StoreClosedError();
    if (typeof prefix !== "string") throw new InvalidArgumentError("prefix must be a string");
    if (prefix !== "") checkKey(prefix);
    const limit = options.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new InvalidArgumentError(`limit must be an integer from 1 to 1000, got ${limit}`);
    }
    if (!this.#provider.list) throw new StorageError(`${this.#provider.description} cannot list its objects`);
    return await this.#provider.list(prefix, { cursor: options.cursor, limit });
  }

  async #getFrames(video: Video, indices: number[], options?: FrameRequestOptions): Promise<Frame[]> {
    const { index, source, decoder } = video;
    checkRange(index, indices);
    const output = outputSpec(index.info, options?.width, options?.pixelFormat);
    const stats = options?.stats;
    const fetch = this.#packetFetch(video, stats);
    if (stats) stats.lowerBoundBytes = (stats.lowerBoundBytes ?? 0) + lowerBound(index, indices);
    const decoded = await decoder.frames({ frames: indices, output, fetch, signal: options?.signal });
    const [num, den] = index.info.timeBase;
    this.#served += indices.length;
    return indices.map((n) => {
      const f = decoded.get(n)!;
      // Learned from the first decoded frame when the container did not say.
      index.info.pixelFormat ??= f.pixelFormat;
      return {
        index: n,
        time: (f.pts * num) / den,
        pts: f.pts,
        width: f.width,
        height: f.height,
        pixelFormat: f.layout,
        data: f.data,
        etag: source.etag,
      };
    });
  }

  /** Verifies a video (see {@link FrameStore.verify}); what it learns is stored with the index at once. */
  async #verifyVideo(video: Video, options?: VerifyOptions): Promise<VerifyReport> {
    const { index, source } = video;
    const done = await this.#verifyJobs(video, options?.stats, options?.signal);
    const horizon = damageHorizon(index.packets);
    let served = 0, firstRefused: number | undefined, reason: string | undefined;
    for (let n = 0; n < index.frames.length; n++) {
      const why = untrusted(index, n, horizon);
      if (why === undefined) served++;
      else if (firstRefused === undefined) [firstRefused, reason] = [n, why];
    }
    let damagedPackets = 0;
    for (const f of index.packets.flags) if (f & FLAG_DAMAGED) damagedPackets++;
    return {
      key: source.key,
      etag: source.etag,
      frameCount: index.frames.length,
      servedFrames: served,
      firstRefused,
      reason,
      damagedPackets,
      jobs: done.jobs,
      decodedJobs: done.decodedJobs,
      decodedPictures: done.pictures,
    };
  }

  /**
   * Decodes the video's jobs not verified yet, on every worker; one
   * verification per video at a time (a second caller waits for it, then
   * finds its jobs done). Stops between jobs when `signal` or the store's
   * close aborts; what was found is stored with the index either way.
   */
  async #verifyJobs(video: Video, stats?: ReadStats, signal?: AbortSignal): Promise<VerifyProgress> {
    while (video.verifying) await abortable(video.verifying.catch(() => {}), signal);
    const { index, decoder } = video;
    const run = (async () => {
      try {
        const done = await decoder.verify({
          output: outputSpec(index.info, undefined, "native"),
          fetch: this.#packetFetch(video, stats),
          parallel: this.#pool.size,
          signal: signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal,
        });
        video.verified = true;
        if (done.decodedJobs > 0 && this.#indexes) await this.#persist(video);
        return done;
      } finally {
        // Cleared once its marks are stored too, so a caller waiting for it never spins on a settled promise.
        video.verifying = undefined;
      }
    })();
    video.verifying = run;
    return await run;
  }

  /**
   * Where a video's decoder sessions get packets: the ranges the range policy
   * makes of them (leaving out, where packets are stored whole, the bytes of
   * those the decoder skips), read through the cache, checked and classified
   * as they first pass.
   */
  #packetFetch(video: Video, stats?: ReadStats): PacketFetch {
    const { index, source } = video;
    const container = containerNamed(index.info.container);
    const { packets } = index;
    const disposable = (i: number) =>
      (packets.flags[i] & (FLAG_CLASSIFIED | FLAG_DISPOSABLE)) ===
        (FLAG_CLASSIFIED | FLAG_DISPOSABLE);
    return async ({ from, to, skippable, background, prefetch }) => {
      const cost = background ? undefined : stats;
      // A session that only hands out frames it already decoded takes no packets.
      if (from > to) return { kind: "packets", packets: [] };
      // Packets known to be skipped need not be fetched: their bytes become gaps the range
      // policy may leave out (only where packets are stored whole; a span must stay whole).
      const leaveOut = container.storedWhole ? (i: number) => skippable(i) && disposable(i) : undefined;
      const ranges = packetRanges(packets, from, to, this.#ranges, leaveOut);
      for (const r of ranges) {
        if (r.offset + r.length > source.size) {
          throw new CorruptMediaError(
            `${JSON.stringify(source.key)} is truncated: frame data at byte ${
              r.offset + r.length
            } is past its end (${source.size} bytes)`,
          );
        }
      }
      if (prefetch && this.#closed) return { kind: "packets", packets: [] };
      const reading = Promise.all(ranges.map((r) => this.#cache.read(source, r.offset, r.length, "exact", cost)));
      if (prefetch) {
        // Nobody waits for it: close() does, before the storage and the cache go.
        const settled = reading.then(() => {}, () => {});
        this.#prefetches.add(settled);
        settled.finally(() => this.#prefetches.delete(settled));
      }
      const bytes = await reading;
      if (container.storedWhole) this.#learn(video, from, to, ranges, bytes);
      if (prefetch) return { kind: "packets", packets: [] };
      const feed: number[] = [];
      for (let i = from; i <= to; i++) if (!(skippable(i) && disposable(i))) feed.push(i);
      this.#skipped += to - from + 1 - feed.length;
      return container.decoderInput(index, feed, ranges, bytes);
    };
  }

  /**
   * Frames from the open video for `key`. When no storage read vouched for
   * its version during the request (all bytes were cached) and it has gone
   * `revalidateMs` unconfirmed, storage confirms it before the frames are
   * returned. A replaced or deleted object is forgotten and its error thrown.
   */
  async #framesOfCurrentVersion(key: string, indices: number[], options?: FrameRequestOptions): Promise<Frame[]> {
    const started = Date.now();
    const stats = options?.stats;
    const opening = this.#open(key, stats);
    try {
      const video = await opening;
      // Verified before a frame is served (each version once: the index keeps what was found).
      if (this.#verifyOnOpen && !video.verified) await this.#verifyJobs(video, stats, options?.signal);
      const frames = await this.#getFrames(video, indices, options).catch(async (err) => {
        // Out of range (or too wide) by a stale index would be a wrong answer: check the version first.
        const fromIndex = err instanceof FrameOutOfRangeError || err instanceof InvalidArgumentError;
        if (fromIndex && this.#due(video, started)) await this.#confirm(video, stats);
        throw err;
      });
      if (this.#due(video, started)) await this.#confirm(video, stats);
      return frames;
    } catch (err) {
      if (err instanceof ObjectChangedError || err instanceof ObjectNotFoundError) await this.#forget(key, opening);
      throw err;
    }
  }

  /** The open video for `key`, its version confirmed first when it is due (see {@link #due}). */
  async #current(key: string, stats?: ReadStats, confirm = true): Promise<Video> {
    const opening = this.#open(key, stats);
    try {
      const video = await opening;
      if (confirm && this.#due(video)) await this.#confirm(video, stats);
      return video;
    } catch (err) {
      if (!(err instanceof ObjectChangedError || err instanceof ObjectNotFoundError)) throw err;
      await this.#forget(key, opening);
      if (err instanceof ObjectNotFoundError) throw err;
      return await this.#open(key, stats);
    }
  }

  /**
   * Whether storage should confirm the video's version: nothing vouched for
   * it since `since` (a read or a check), and not for `revalidateMs`. Sources
   * without `confirm` are trusted.
   */
  #due(video: Video, since = Infinity): boolean {
    const { confirm, confirmedAt = 0 } = video.source;
    return confirm !== undefined && confirmedAt < since && Date.now() - confirmedAt >= this.#revalidateMs;
  }

  /** Asks storage whether the video's version is still current; one check in flight per video. */
  #confirm(video: Video, stats?: ReadStats): Promise<void> {
    video.confirming ??= video.source.confirm!(stats).finally(() => {
      video.confirming = undefined;
    });
    return video.confirming;
  }

  /** The open video for `key`; a new open's requests count in `stats` (not those of one already under way). */
  #open(key: string, stats?: ReadStats): Promise<Video> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    let video = this.#videos.get(key);
    if (video) {
      // Refresh LRU position.
      this.#videos.delete(key);
      this.#videos.set(key, video);
      return video;
    }
    const fresh = this.#stale.delete(key);
    video = this.#load(key, fresh, stats);
    this.#videos.set(key, video);
    video.catch(() => this.#videos.get(key) === video && this.#videos.delete(key));
    while (this.#videos.size > this.#maxOpen) this.#videos.delete(this.#videos.keys().next().value!);
    return video;
  }

  /**
   * The open version of the object at `key` for files: the open video's if
   * there is one, else one opened (and kept) for files. Confirmed first when
   * due, like a video's; a replaced object is opened again once.
   */
  async #object(key: string, stats?: ReadStats, retry = true): Promise<ByteSource> {
    if (this.#closed) throw new StoreClosedError();
    const video = await this.#videos.get(key)?.catch(() => undefined);
    let opening = this.#objects.get(key);
    if (!video && opening) {
      this.#objects.delete(key);
      this.#objects.set(key, opening);
    } else if (!video) {
      const opened = this.#provider.open(key, stats).then((source) => {
        if (source.head.byteLength > 0) this.#cache.put(source, 0, source.head);
        return source;
      });
      opening = opened;
      this.#objects.set(key, opened);
      opened.catch(() => this.#objects.get(key) === opened && this.#objects.delete(key));
      while (this.#objects.size > this.#maxOpen) this.#objects.delete(this.#objects.keys().next().value!);
    }
    const source = video?.source ?? await opening!;
    const { confirm, confirmedAt = 0 } = source;
    if (!confirm || Date.now() - confirmedAt < this.#revalidateMs) return source;
    try {
      await confirm.call(source, stats);
      return source;
    } catch (err) {
      if (!(err instanceof ObjectChangedError || err instanceof ObjectNotFoundError)) throw err;
      this.#objects.delete(key);
      await this.#forget(key, this.#videos.get(key) ?? Promise.resolve(undefined));
      this.#cache.invalidate(source);
      if (err instanceof ObjectNotFoundError || !retry) throw err;
      return await this.#object(key, stats, false);
    }
  }

  /**
   * Opens a video. A version indexed before (in the index store) is trusted
   * without a request; its reads are pinned to that ETag, so a replaced object
   * fails them with ObjectChangedError and is then reopened with `fresh`.
   */
  async #load(key: string, fresh: boolean, stats?: ReadStats): Promise<Video> {
    const location = this.#provider.location(key);
    const indexes = this.#indexes;
    if (indexes && !fresh) {
      const known = await indexes.latest(location);
      if (known) {
        try {
          return this.#video(this.#provider.openVersion(key, known.version), known.probe);
        } catch (err) {
          // A stored index this build refuses: the object may have been replaced since, so ask storage.
          if (!(err instanceof SeekframeError)) throw err;
        }
      }
    }
    const source = await this.#provider.open(key, stats);
    if (source.head.byteLength > 0) this.#cache.put(source, 0, source.head);
    const stored = await indexes?.get(location, source);
    if (stored) return this.#video(source, stored);
    const probe = await this.#probe(key, source, stats);
    // Indexed before it is stored: the index store never holds an index that is refused.
    const video = this.#video(source, probe);
    const kept = await indexes?.put(location, source, probe);
    return kept && kept !== probe ? this.#video(source, kept) : video;
  }

  #video(source: ByteSource, probe: ProbeResult): Video {
    const index = buildIndex(source, probe);
    // A codec configuration native ffmpeg refuses: it shows no frame at all.
    const config = configDamage(index.info.codec, index.codecpar.extradata);
    if (config && index.packets.size.length > 0) {
      index.configDamage = config;
      markDamaged(index, 0, config);
    }
    const video: Video = {
      source,
      probe,
      index,
      decoder: undefined as unknown as VideoDecoder,
      classify: packetClassifier(index.info.codec, index.codecpar.extradata),
      check: packetCheck(index.info.codec, index.codecpar.extradata),
    };
    // Damage a decoder finds is kept with the index, so later requests refuse what it makes uncertain.
    video.decoder = new VideoDecoder(this.#pool, index, sourceId(source), (n) => this.#decoded += n, () => {
      this.#schedulePersist(video);
    });
    return video;
  }

  /**
   * Judges the packets of `from..to` that were never looked at, from the
   * bytes just fetched, so this and later requests can skip the disposable
   * ones; what was learned is written to the index store shortly after.
   */
  #learn(video: Video, from: number, to: number, ranges: ByteRange[], bytes: Uint8Array[]): void {
    const { packets } = video.index;
    const slice = (i: number) => {
      const at = packets.offset[i], end = at + packets.size[i];
      const k = ranges.findIndex((r) => at >= r.offset && end <= r.offset + r.length);
      return k < 0 ? undefined : bytes[k].subarray(at - ranges[k].offset, end - ranges[k].offset);
    };
    let learned = 0;
    for (let i = from; i <= to; i++) {
      const flags = packets.flags[i];
      // An sdtp box may have classified the packet already: its framing is still checked once.
      const classified = !video.classify || (flags & FLAG_CLASSIFIED) !== 0;
      if (flags & FLAG_CHECKED && classified) continue;
      const data = slice(i);
      // VP8 needs the next packet; without it here, the packet waits for a later request.
      const next = i + 1 < packets.size.length ? slice(i + 1) : undefined;
      if (!data) continue;
      if (!(flags & FLAG_CHECKED)) {
        // Framing damage is known from the packet alone.
        const damage = video.check(data, (flags & FLAG_KEY) !== 0);
        if (damage !== undefined) markDamaged(video.index, i, damage);
        packets.flags[i] |= FLAG_CHECKED;
        learned++;
      }
      if (classified || !video.classify) continue;
      if (next === undefined && i + 1 < packets.size.length && video.index.info.codec === "vp8") continue;
      packets.flags[i] |= classifiedFlags(video.classify(data, next));
      learned++;
    }
    if (learned > 0) this.#schedulePersist(video);
  }

  /** Writes what was learned about a video's packets to the index store, shortly (more may come). */
  #schedulePersist(video: Video): void {
    if (!this.#indexes) return;
    video.dirty = true;
    if (this.#closed) return; // close() writes what is pending
    clearTimeout(video.persist);
    video.persist = setTimeout(() => this.#persist(video), PERSIST_DELAY_MS);
    Deno.unrefTimer(video.persist);
  }

  /** Writes a video's index (with what was learned since it was stored) to the index store. */
  async #persist(video: Video): Promise<void> {
    clearTimeout(video.persist);
    video.persist = undefined;
    if (this.#indexesClosed) return;
    video.dirty = false;
    const location = this.#provider.location(video.source.key);
    await this.#indexes?.put(location, video.source, video.probe);
  }

  /** Indexes an object with the demuxer, reading through the cache. */
  async #probe(key: string, source: ByteSource, stats?: ReadStats): Promise<ProbeResult> {
    const read = readahead(this.#cache, source, { stats });
    const head = await read(0, Math.min(source.size, 64 << 10));
    const range = detectContainer(head)?.prefetch(head, source.size);
    // One exact request for what the demuxer reads next (the MP4 moov) instead of its 32 KiB steps.
    if (range) await this.#cache.read(source, range.offset, range.length, "exact", stats);
    const progress = this.#onIndexProgress;
    let furthest = 0;
    const probe = () =>
      this.#pool.probe(key, source.size, async (pos, length) => {
        const bytes = await read(pos, length);
        if (progress && pos + bytes.byteLength > furthest) {
          furthest = pos + bytes.byteLength;
          progress({ key, bytesRead: furthest, size: source.size });
        }
        return bytes;
      });
    // A worker that died while indexing: once more on a fresh one.
    return await probe().catch((err) => {
      if (err instanceof DecoderError) return probe();
      throw err;
    });
  }

  /**
   * Drops what is known of `key` after its object changed or vanished: the
   * next open asks storage (not the index store), and the failed version's
   * cached bytes go. The open video is dropped only if it is still the failed
   * one, so a newer version another request opened meanwhile stays.
   */
  async #forget(key: string, failed: Promise<Video | undefined>): Promise<void> {
    if (this.#videos.get(key) === failed) this.#videos.delete(key);
    this.#stale.add(key);
    if (this.#stale.size > MAX_STALE) this.#stale.delete(this.#stale.values().next().value!);
    const source = await failed.then((v) => v?.source, () => undefined);
    if (source) this.#cache.invalidate(source);
  }
}

/** Frame numbers must be integers; the range is checked against the index. */
function checkIndices(indices: unknown): asserts indices is number[] {
  if (!Array.isArray(indices)) throw new InvalidArgumentError("indices must be an array of frame numbers");
  for (const n of indices) {
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`frame index must be an integer, got ${n}`);
  }
}

/** The bytes of packets `first..last`, counted once where they overlap (MPEG-TS spans share a transport packet). */
function packetBytes(index: FrameIndex, first: number, last: number): number {
  const exact = packetRanges(index.packets, first, last, { requestBytes: 0, maxRanges: Infinity, maxGapBytes: 0 });
  return exact.reduce((n, r) => n + r.length, 0);
}

/** The least any reader must fetch for `indices`: their packets from each keyframe, in decode order. */
function lowerBound(index: FrameIndex, indices: number[]): number {
  return planJobs(index, indices).reduce((n, job) => n + packetBytes(index, job.first, job.last), 0);
}

function checkRange(index: FrameIndex, indices: number[]): void {
  const count = index.info.frameCount;
  for (const n of indices) if (n < 0 || n >= count) throw new FrameOutOfRangeError(n, count);
}

/**
 * How decoded pictures come back for a requested width of the frames
 * returned. The scaled size is before the rotation, so a video rotated by 90°
 * scales to the swapped size. 0 × 0 keeps the decoded size.
 */
function outputSpec(
  info: VideoInfo,
  width: number | undefined,
  pixels: FrameRequestOptions["pixelFormat"] = "rgb24",
): OutputSpec {
  if (pixels === "native") {
    if (width !== undefined) {
      throw new InvalidArgumentError('width applies to RGB frames; pixelFormat "native" gives the picture as decoded');
    }
    return { pixels, width: 0, height: 0, rotation: 0 };
  }
  if (pixels !== "rgb24") {
    throw new InvalidArgumentError(`pixelFormat must be "rgb24" or "native", got ${JSON.stringify(pixels)}`);
  }
  const rotation = info.rotation;
  if (width === undefined || width === info.width) return { pixels, width: 0, height: 0, rotation };
  if (!Number.isInteger(width) || width < 1 || width > info.width) {
    throw new InvalidArgumentError(
      `width must be an integer from 1 to the video's width (${info.width}), got ${width}`,
    );
  }
  const height = scaledHeight(info, width);
  return rotation % 180 === 0
    ? { pixels, width, height, rotation }
    : { pixels, width: height, height: width, rotation };
}

/**
 * The height of frames scaled to `width` (aspect kept, at least 1).
 *
 * @example
 * ```ts
 * import { scaledHeight } from "./frame_store.ts";
 *
 * scaledHeight({ width: 320, height: 240 }, 160); // 120
 * ```
 */
export function scaledHeight(info: { width: number; height: number }, width: number): number {
  return Math.max(1, Math.round((width * info.height) / info.width));
}
