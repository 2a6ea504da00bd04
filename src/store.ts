/**
 * The frame store joins the stages: a {@link SourceProvider} opens objects,
 * the {@link BlockCache} serves their bytes, the index says which packets a
 * frame needs, and the {@link DecoderPool} turns them into RGB24 pixels.
 *
 * @module
 */

import {
  CorruptMediaError,
  FrameOutOfRangeError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  StoreClosedError,
} from "./errors.ts";
import { BlockCache, type BlockCacheOptions, type CacheStats, type ReadStats } from "./storage/cache.ts";
import { DiskCache } from "./storage/disk.ts";
import { FileProvider } from "./storage/file.ts";
import { type S3Options, S3Provider } from "./storage/s3.ts";
import type { ByteSource, IoStats, SourceProvider } from "./storage/source.ts";
import { buildIndex, pixelFormatName, type ProbeResult } from "./index/build.ts";
import { KvIndexStore } from "./index/kv.ts";
import { findMoov } from "./index/mp4.ts";
import type { FrameIndex, VideoInfo } from "./index/model.ts";
import {
  type ByteRange,
  type DecodeJob,
  frameAtTime,
  packetRanges,
  planJobs,
  type RangePolicy,
  reorderDepth,
} from "./index/plan.ts";
import { type DecodeResult, DecoderPool, type PacketIn, type TsSpan } from "./decode/pool.ts";

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
   * How packet spans become requests (see {@link RangePolicy}); `maxRanges`
   * counts per frame asked. Default `{ requestBytes: 8192, maxRanges: 1,
   * maxGapBytes: 1048576 }`: a random frame costs one request (other streams'
   * bytes between its packets included); a batch of frames skips gaps over
   * 8 KiB; megabytes of other data are never fetched.
   */
  ranges?: Partial<RangePolicy>;
  /** Indexed videos kept open (index + handle). Default 256. */
  maxOpenVideos?: number;
  /**
   * How long (ms) a video's object version is trusted without storage
   * vouching for it. Reads are pinned to the version, so a replaced object is
   * noticed whenever bytes are fetched; this bounds how long frames served
   * from the caches alone (memory, disk) can be of an old version. Past it, a
   * request that fetched nothing confirms the version before returning (S3:
   * one conditional HEAD, no bytes), as do `info`, `plan` and `frameAt`. A
   * version known from KV starts unconfirmed. Default 30,000; `0` confirms
   * every request; `Infinity` trusts versions (objects never replaced in place).
   */
  revalidateMs?: number;
  /**
   * Where frame indexes persist: a Deno KV file path, or a `http(s)://` KV
   * Connect URL (with `DENO_KV_ACCESS_TOKEN`) so several sidecars share them.
   * Default: Deno's own KV location when Deno KV is available (`--unstable-kv`),
   * else none. `false`: keep indexes in memory only.
   */
  kvPath?: string | false;
  /** Called while an index is built (a packet scan reads the whole object). */
  onIndexProgress?: (progress: IndexProgress) => void;
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
  /** RGB24 pixels, row-major: `width * height * 3` bytes. */
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
}

/** What fetching some frames involves; see {@link FrameStore.plan}. */
export interface FramePlan {
  /** One entry per decoder run (one per GOP involved). */
  runs: {
    /** Frame numbers this run yields. */
    frames: number[];
    /** Packets decoded (decode order, keyframe first). */
    packets: number;
    /** Bytes of those packets (MPEG-TS: their spans): the least any reader must fetch for these frames. */
    packetBytes: number;
    /** Byte ranges requested (packets closer than `gapBytes` merged). */
    ranges: ByteRange[];
  }[];
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
  /** Decoder jobs queued or running. */
  queueDepth: number;
}

/**
 * The size to scale decoded pictures to for a requested width of the frames
 * returned; it is before the turn, so a video turned by 90° scales to the
 * swapped size. [0, 0] keeps the decoded size.
 */
function outputSize(info: VideoInfo, width: number | undefined): [number, number] {
  if (width === undefined || width === info.width) return [0, 0];
  if (!Number.isInteger(width) || width < 1 || width > info.width) {
    throw new InvalidArgumentError(
      `width must be an integer from 1 to the video's width (${info.width}), got ${width}`,
    );
  }
  const height = Math.max(1, Math.round((width * info.height) / info.width));
  return info.rotation % 180 === 0 ? [width, height] : [height, width];
}

/** Keys remembered as stale (to reopen without KV); the oldest are forgotten past this. */
const MAX_STALE = 10_000;

/** Opens the index store `kvPath` asks for; see {@link FrameStoreOptions.kvPath}. */
async function openIndexes(kvPath: string | false | undefined): Promise<KvIndexStore | undefined> {
  if (kvPath === false) return undefined;
  if (kvPath === undefined && typeof Deno.openKv !== "function") return undefined;
  return await KvIndexStore.open(kvPath);
}

/** Spare decoders per video for concurrent requests (one per worker on the default machine). */
const SPARE_DECODERS = 2;

/** Presentation timestamp → frame number, for the frames of a job. */
function wantedPts(index: FrameIndex, job: DecodeJob): Map<number, number> {
  return new Map(job.frames.map((n) => [index.packets.pts[index.frames[n]], n]));
}

/** Larger guessed moov ranges are left to the demuxer's reads. */
const MAX_MOOV_PREFETCH = 64 << 20;

interface Video {
  source: ByteSource;
  index: FrameIndex;
  /** Packets a decoder may need past a frame's own before it outputs it. */
  depth: number;
  /** Keyframe (decode order) of the previous job, to recognise sequential reading. */
  lastFirst?: number;
  /** Where the worker's decoder session for this video stands. */
  session?: { first: number; next: number; lastPts: number; ready: Set<number>; drained: boolean };
  /** A request is using the decoder session. */
  busy: boolean;
  /** A version check in flight (one per video at a time). */
  confirming?: Promise<void>;
}

/**
 * Opens a frame store.
 *
 * @example
 * ```ts
 * const store = await openFrameStore({ dir: "./videos" });
 * const frame = await store.getFrame("sample.mp4", 10);
 * console.log(frame.width, frame.height, frame.data.length);
 * await store.close();
 * ```
 */
export async function openFrameStore(options: FrameStoreOptions): Promise<FrameStore> {
  const given = [options?.s3, options?.dir, options?.source].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new InvalidArgumentError("openFrameStore needs exactly one of options.s3, options.dir, options.source");
  }
  if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 1)) {
    throw new InvalidArgumentError("options.workers, when provided, must be a positive integer");
  }
  const indexes = await openIndexes(options.kvPath);
  const disk = options.cacheDir === undefined
    ? undefined
    : await DiskCache.open({ dir: options.cacheDir, maxBytes: options.cacheDirBytes });
  const provider = options.source ??
    (options.s3 ? new S3Provider(options.s3) : new FileProvider(options.dir!));
  return new FrameStore(provider, options, new BlockCache({ ...options.cache, disk }), indexes);
}

/** Exact frames by number from videos in storage. Create with {@link openFrameStore}. */
export class FrameStore {
  readonly #provider: SourceProvider;
  readonly #cache: BlockCache;
  readonly #pool: DecoderPool;
  readonly #ranges: RangePolicy;
  readonly #maxOpen: number;
  readonly #revalidateMs: number;
  readonly #videos = new Map<string, Promise<Video>>();
  /** Keys whose stored index proved stale: reopen them with a request. */
  readonly #stale = new Set<string>();
  readonly #indexes: Promise<KvIndexStore | undefined>;
  readonly #onIndexProgress?: (progress: IndexProgress) => void;
  #served = 0;
  #spare = 0;
  #decoded = 0;
  #closed = false;

  /** Use {@link openFrameStore}. */
  constructor(
    provider: SourceProvider,
    options: FrameStoreOptions,
    cache: BlockCache,
    indexes: KvIndexStore | undefined,
  ) {
    this.#provider = provider;
    this.#cache = cache;
    this.#indexes = Promise.resolve(indexes);
    this.#onIndexProgress = options.onIndexProgress;
    this.#pool = new DecoderPool({ workers: options.workers });
    this.#ranges = { requestBytes: 8192, maxRanges: 1, maxGapBytes: 1 << 20, ...options.ranges };
    this.#maxOpen = options.maxOpenVideos ?? 256;
    this.#revalidateMs = options.revalidateMs ?? 30_000;
  }

  /** Where the videos come from (no secrets), e.g. `s3://bucket/`. */
  get description(): string {
    return this.#provider.description;
  }

  /** Live counters. */
  get stats(): StoreStats {
    return {
      storage: this.#provider.stats,
      cache: this.#cache.stats,
      frames: this.#served,
      decodedFrames: this.#decoded,
      queueDepth: this.#pool.queueDepth,
    };
  }

  /** Facts about a video: frame count, size, fps, duration, codec, keyframes. */
  async info(key: string): Promise<VideoInfo> {
    return (await this.#current(key)).index.info;
  }

  /**
   * Frame `index` (presentation order, from 0) of the video at `key`, as RGB24.
   *
   * @example
   * ```ts
   * const { width, height, data } = await store.getFrame("clips/a.mp4", 1234);
   * ```
   */
  async getFrame(key: string, index: number, options?: FrameRequestOptions): Promise<Frame> {
    const [frame] = await this.getFrames(key, [index], options);
    return frame;
  }

  /**
   * Several frames of one video, in the order asked. Each GOP is decoded once
   * for all the frames asked from it.
   */
  async getFrames(key: string, indices: number[], options?: FrameRequestOptions): Promise<Frame[]> {
    if (!Array.isArray(indices)) throw new InvalidArgumentError("indices must be an array of frame numbers");
    for (const n of indices) {
      if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`frame index must be an integer, got ${n}`);
    }
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
   * const frame = await store.getFrameAt("clips/a.mp4", 12.5);
   * console.log(frame.index, frame.time);
   * ```
   */
  async getFrameAt(key: string, seconds: number, options?: FrameRequestOptions): Promise<Frame> {
    return await this.getFrame(key, await this.frameAt(key, seconds), options);
  }

  /** The number of the frame shown `seconds` after the video starts (see {@link getFrameAt}). */
  async frameAt(key: string, seconds: number): Promise<number> {
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
      throw new InvalidArgumentError(`seconds must be a finite number ≥ 0, got ${seconds}`);
    }
    const { index } = await this.#current(key);
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
    const { index } = await this.#current(key);
    const count = index.info.frameCount;
    for (const n of indices) {
      if (!Number.isSafeInteger(n) || n < 0 || n >= count) throw new FrameOutOfRangeError(n, count);
    }
    const { packets } = index;
    return {
      runs: planJobs(index, indices).map((job) => {
        // The union of the packets' bytes (MPEG-TS spans overlap by a transport packet).
        const exact = packetRanges(packets, job.first, job.last, {
          requestBytes: 0,
          maxRanges: Infinity,
          maxGapBytes: 0,
        });
        const packetBytes = exact.reduce((n, r) => n + r.length, 0);
        return {
          frames: job.frames,
          packets: job.last - job.first + 1,
          packetBytes,
          ranges: packetRanges(packets, job.first, job.last, this.#rangePolicy(job.frames.length)),
        };
      }),
    };
  }

  /** Stops the workers and releases storage clients. The store cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.close();
    await this.#provider.close();
    await this.#cache.flush();
    (await this.#indexes)?.close();
    this.#videos.clear();
    this.#cache.clear();
  }

  /** Drops the cached bytes held in memory (indexes stay); the next frames are read from disk or storage. */
  clearCache(): void {
    this.#cache.clear();
  }

  async #getFrames(video: Video, indices: number[], options?: FrameRequestOptions): Promise<Frame[]> {
    const { index } = video;
    const count = index.info.frameCount;
    for (const n of indices) if (n < 0 || n >= count) throw new FrameOutOfRangeError(n, count);
    const size = outputSize(index.info, options?.width);
    const byNumber = new Map<number, Frame>();
    const jobs = planJobs(index, indices);
    if (video.busy) {
      // Another request holds this video's decoder session: decode on a spare
      // decoder instead of waiting, so concurrent readers of one video use
      // every worker. (The session serves a reader that goes on sequentially.)
      for (const job of jobs) {
        options?.signal?.throwIfAborted();
        const wanted = wantedPts(index, job);
        const spare = `${video.source.id}#spare${this.#spare++ % SPARE_DECODERS}`;
        const result = await this.#decode(video, job.first, job.last, true, wanted, size, options, spare);
        for (const frame of this.#frames(video, result, wanted)) byNumber.set(frame.index, frame);
      }
    } else {
      video.busy = true;
      try {
        for (const job of jobs) {
          options?.signal?.throwIfAborted();
          for (const frame of await this.#runJob(video, job, size, options)) byNumber.set(frame.index, frame);
        }
      } finally {
        video.busy = false;
      }
    }
    this.#served += indices.length;
    return indices.map((n) => byNumber.get(n)!);
  }

  /**
   * Decodes one job. When the video's decoder session already stands in the
   * same GOP before the wanted frames, it continues from there; otherwise a
   * new session starts at the job's keyframe. Either way the packets run a few
   * past the last target (the stream's reordering depth), so the decoder can
   * output the targets without being drained and can continue next time.
   */
  async #runJob(
    video: Video,
    job: DecodeJob,
    size: [number, number],
    options?: FrameRequestOptions,
  ): Promise<Frame[]> {
    const { index, source } = video;
    const { packets } = index;
    const wanted = wantedPts(index, job);
    // Reading on in the GOP of the previous request looks sequential: feed a few
    // packets past the target so the session stays open. A lone random frame
    // gets exactly its packets (the decoder is drained instead).
    const sequential = video.lastFirst === job.first;
    video.lastFirst = job.first;
    let feedEnd = sequential ? Math.min(packets.size.length - 1, job.last + video.depth) : job.last;
    while (feedEnd > job.last && packets.offset[feedEnd] + packets.size[feedEnd] > source.size) feedEnd--;
    const s = video.session;
    // Continue only if every target is still to come out, or waiting in the session.
    const canContinue = s !== undefined && s.first === job.first &&
      [...wanted.keys()].every((pts) => (!s.drained && pts > s.lastPts) || s.ready.has(pts));
    // A session may already be past feedEnd (its targets then wait in it, or in its reorder buffer);
    // a drained one takes no more packets.
    if (canContinue) feedEnd = s.drained ? s.next - 1 : Math.max(feedEnd, s.next - 1);
    const run = (from: number, reset: boolean) => this.#decode(video, from, feedEnd, reset, wanted, size, options);
    let result = await run(canContinue ? s.next : job.first, !canContinue);
    if (result.lost) result = await run(job.first, true);
    video.session = result.open
      ? {
        first: job.first,
        next: feedEnd + 1,
        lastPts: result.lastPts,
        ready: new Set(result.ready),
        drained: result.drained,
      }
      : undefined;
    return this.#frames(video, result, wanted);
  }

  /** The frames of a decode result, numbered; throws if a wanted one is missing. */
  #frames(video: Video, result: DecodeResult, wanted: Map<number, number>): Frame[] {
    const { index, source } = video;
    this.#decoded += result.decoded;
    const [num, den] = index.info.timeBase;
    const out: Frame[] = [];
    if (index.info.pixelFormat === null && result.frames.length > 0) {
      index.info.pixelFormat = pixelFormatName(result.frames[0].format);
    }
    for (const f of result.frames) {
      const n = wanted.get(f.pts);
      if (n === undefined) continue;
      const time = (f.pts * num) / den;
      out.push({ index: n, time, pts: f.pts, width: f.width, height: f.height, data: f.data, etag: source.etag });
      wanted.delete(f.pts);
    }
    if (wanted.size > 0) {
      const [pts, n] = wanted.entries().next().value!;
      throw new CorruptMediaError(
        `the decoder did not produce frame ${n} (pts ${pts}) of ${
          JSON.stringify(source.key)
        }; the stream may be damaged`,
      );
    }
    return out;
  }

  /** The range policy for a job yielding `frames` frames: `maxRanges` is per frame asked. */
  #rangePolicy(frames: number): RangePolicy {
    return { ...this.#ranges, maxRanges: this.#ranges.maxRanges * Math.max(1, frames) };
  }

  /** Fetches packets `from..to` and runs them through the video's decoder session. */
  async #decode(
    video: Video,
    from: number,
    to: number,
    reset: boolean,
    wanted: Map<number, number>,
    size: [number, number],
    options?: FrameRequestOptions,
    stream: string = video.source.id,
  ): Promise<DecodeResult> {
    const stats = options?.stats;
    const { index, source } = video;
    const { packets } = index;
    const ranges = packetRanges(packets, from, to, this.#rangePolicy(wanted.size));
    for (const r of ranges) {
      if (r.offset + r.length > source.size) {
        throw new CorruptMediaError(
          `${JSON.stringify(source.key)} is truncated: frame data at byte ${
            r.offset + r.length
          } is past its end (${source.size} bytes)`,
        );
      }
    }
    const bytes = await Promise.all(ranges.map((r) => this.#cache.read(source, r.offset, r.length, "exact", stats)));
    const input: PacketIn[] = [];
    const transfer: ArrayBuffer[] = [];
    let span: TsSpan | undefined;
    if (index.info.container === "mpegts" && ranges.length > 0) {
      // MPEG-TS: the worker demuxes the packets out of their span. Each span
      // reaches into the next packet's, so the spans of a run are one range.
      if (ranges.length > 1) {
        throw new CorruptMediaError(`${JSON.stringify(source.key)}: MPEG-TS span is not contiguous`);
      }
      span = { head: index.tsHead!, offset: ranges[0].offset, data: bytes[0] };
      for (let i = from; i <= to; i++) {
        input.push({
          data: new Uint8Array(),
          pts: packets.pts[i],
          dts: packets.dts[i],
          flags: packets.flags[i],
          offset: packets.offset[i],
          length: index.tsDataSizes![i],
        });
      }
    } else {
      for (let i = from; i <= to; i++) {
        const at = packets.offset[i];
        const k = ranges.findIndex((x) => at >= x.offset && at + packets.size[i] <= x.offset + x.length);
        const data = k < 0
          ? new Uint8Array()
          : bytes[k].slice(at - ranges[k].offset, at - ranges[k].offset + packets.size[i]);
        transfer.push(data.buffer);
        input.push({ data, pts: packets.pts[i], dts: packets.dts[i], flags: packets.flags[i] });
      }
    }
    return await this.#pool.decode(
      {
        stream,
        codecpar: index.codecpar,
        timeBase: index.info.timeBase,
        reset,
        from,
        packets: input,
        span,
        targets: [...wanted.keys()],
        outWidth: size[0],
        outHeight: size[1],
        turn: index.info.rotation,
      },
      transfer,
      options?.signal,
    );
  }

  /**
   * Frames from the open video for `key`. When no storage read vouched for
   * its version during the request (all bytes were cached) and it has gone
   * `revalidateMs` unconfirmed, storage confirms it before the frames are
   * returned. A replaced or deleted object is forgotten and its error thrown.
   */
  async #framesOfCurrentVersion(key: string, indices: number[], options?: FrameRequestOptions): Promise<Frame[]> {
    const started = Date.now();
    const opening = this.#open(key);
    try {
      const video = await opening;
      const frames = await this.#getFrames(video, indices, options).catch(async (err) => {
        // Out of range (or too wide) by a stale index would be a wrong answer: check the version first.
        const fromIndex = err instanceof FrameOutOfRangeError || err instanceof InvalidArgumentError;
        if (fromIndex && this.#due(video, started)) await this.#confirm(video);
        throw err;
      });
      if (this.#due(video, started)) await this.#confirm(video);
      return frames;
    } catch (err) {
      if (err instanceof ObjectChangedError || err instanceof ObjectNotFoundError) await this.#forget(key, opening);
      throw err;
    }
  }

  /** The open video for `key`, its version confirmed first when it is due (see {@link #due}). */
  async #current(key: string): Promise<Video> {
    const opening = this.#open(key);
    try {
      const video = await opening;
      if (this.#due(video)) await this.#confirm(video);
      return video;
    } catch (err) {
      if (!(err instanceof ObjectChangedError || err instanceof ObjectNotFoundError)) throw err;
      await this.#forget(key, opening);
      if (err instanceof ObjectNotFoundError) throw err;
      return await this.#open(key);
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
  #confirm(video: Video): Promise<void> {
    video.confirming ??= video.source.confirm!().finally(() => {
      video.confirming = undefined;
    });
    return video.confirming;
  }

  #open(key: string): Promise<Video> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    let video = this.#videos.get(key);
    if (video) {
      // Refresh LRU position.
      this.#videos.delete(key);
      this.#videos.set(key, video);
      return video;
    }
    const fresh = this.#stale.delete(key);
    video = this.#load(key, fresh);
    this.#videos.set(key, video);
    video.catch(() => this.#videos.get(key) === video && this.#videos.delete(key));
    while (this.#videos.size > this.#maxOpen) this.#videos.delete(this.#videos.keys().next().value!);
    return video;
  }

  /**
   * Opens a video. A version indexed before (in KV) is trusted without a
   * request; its reads are pinned to that ETag, so a replaced object fails
   * them with ObjectChangedError and is then reopened with `fresh`.
   */
  async #load(key: string, fresh: boolean): Promise<Video> {
    const location = this.#provider.location(key);
    const indexes = await this.#indexes;
    if (indexes && !fresh) {
      const known = await indexes.latest(location);
      if (known) {
        try {
          return this.#video(this.#provider.openVersion(key, known.version), known.probe);
        } catch {
          // A stored index this build refuses: the object may have been replaced since, so ask storage.
        }
      }
    }
    const source = await this.#provider.open(key);
    if (source.head.byteLength > 0) this.#cache.put(source, 0, source.head);
    const stored = await indexes?.get(location, source);
    if (stored) return this.#video(source, stored);
    const probe = await this.#probe(key, source);
    // Indexed before it is stored: KV never holds an index that is refused.
    const video = this.#video(source, probe);
    const kept = await indexes?.put(location, source, probe);
    return kept && kept !== probe ? this.#video(source, kept) : video;
  }

  #video(source: ByteSource, probe: ProbeResult): Video {
    const index = buildIndex(source, probe);
    return { source, index, depth: reorderDepth(index.packets), busy: false };
  }

  /** Indexes an object with the demuxer, reading through the cache. */
  async #probe(key: string, source: ByteSource): Promise<ProbeResult> {
    const moov = findMoov(source.head, source.size);
    if (moov && moov.length <= MAX_MOOV_PREFETCH) {
      // One exact request for the MP4 index (and the next box header, which the
      // demuxer reads after it) instead of the demuxer's 32 KiB steps.
      const end = Math.min(source.size, moov.offset + moov.length + 16);
      await this.#cache.read(source, moov.offset, end - moov.offset, "exact");
    }
    const read = probeReader(this.#cache, source);
    const progress = this.#onIndexProgress;
    let furthest = 0;
    return await this.#pool.probe(key, source.size, async (pos, length) => {
      const bytes = await read(pos, length);
      if (progress && pos + bytes.byteLength > furthest) {
        furthest = pos + bytes.byteLength;
        progress({ key, bytesRead: furthest, size: source.size });
      }
      return bytes;
    });
  }

  /**
   * Drops what is known of `key` after its object changed or vanished: the
   * next open asks storage (not KV), and the failed version's cached bytes go.
   * The open video is dropped only if it is still the failed one, so a newer
   * version another request opened meanwhile stays.
   */
  async #forget(key: string, failed: Promise<Video>): Promise<void> {
    if (this.#videos.get(key) === failed) this.#videos.delete(key);
    this.#stale.add(key);
    if (this.#stale.size > MAX_STALE) this.#stale.delete(this.#stale.values().next().value!);
    const source = await failed.then((v) => v.source, () => undefined);
    if (source) this.#cache.invalidate(source);
  }
}

/**
 * The demuxer's reads while indexing. It asks for 32 KiB at a time; answering
 * each with a request would cost dozens of round trips. Cached bytes are
 * served as they are (a short answer is fine for FFmpeg); a miss fetches from
 * the asked position with a readahead that doubles while reads stay
 * sequential (64 KiB up to 4 MiB).
 */
function probeReader(cache: BlockCache, source: ByteSource): (pos: number, length: number) => Promise<Uint8Array> {
  let readahead = 64 << 10;
  let lastEnd = -1;
  return (pos, length) => {
    const cached = cache.cachedLength(source, pos, 4 << 20);
    if (cached > 0) return cache.read(source, pos, cached, "exact");
    readahead = pos === lastEnd ? Math.min(readahead * 2, 4 << 20) : 64 << 10;
    const want = Math.min(Math.max(length, readahead), source.size - pos);
    lastEnd = pos + want;
    return cache.read(source, pos, want, "exact");
  };
}
