/**
 * Main-thread decoder sessions of one video: the state machine that decides
 * whether a request continues the video's open decoder session or starts a
 * new one at a keyframe, feeds a few packets past the targets so sequential
 * reading never drains the decoder, and decodes concurrent requests for one
 * GOP together (or on spare decoders while a worker idles). The worker side
 * of a session is `decoder.ts`; both read the same {@link SessionState}.
 *
 * It knows the index and the pool, not storage: packets come from the
 * `fetch` callback of each request.
 *
 * @module
 */

import { CorruptMediaError, DecoderError } from "../errors.ts";
import { damageHorizon, findPacket, markDamaged, untrusted } from "../index/damage.ts";
import { FLAG_KEY, FLAG_VERIFIED, type FrameIndex } from "../index/model.ts";
import { type DecodeJob, planJobs, reorderDepth } from "../index/plan.ts";
import type { DecoderPool } from "./pool.ts";
import type { DecodeDamage, DecodedFrame, DecodeInput, DecodeResult, OutputSpec, SessionState } from "./protocol.ts";

/**
 * A job whose worker died (or whose wasm instance trapped) runs once more
 * from its keyframe, on a fresh worker; a second failure is thrown.
 */
function retryOnCrash<T>(err: unknown, again: () => Promise<T>): Promise<T> {
  if (!(err instanceof DecoderError)) throw err;
  return again();
}

/** Spare decoders per video for concurrent requests (one per worker on the default machine). */
const SPARE_DECODERS = 2;
/** GOPs per video whose shared session is remembered (each may hold a decoder open in a worker). */
const MAX_SHARED = 8;

/** What a job needs fetched: packets `from..to` (decode order) for `frames` frames. */
export interface FetchRequest {
  /** First packet. */
  from: number;
  /** Last packet. */
  to: number;
  /**
   * Whether packet `i` may be left out if no later picture needs it (a
   * disposable packet before the job's last target that is no target itself).
   */
  skippable(i: number): boolean;
  /** Fetched for a read-ahead, not for the request itself (its costs are not the request's). */
  background?: boolean;
  /**
   * Only bring the packets' bytes into the cache, for a reader that will ask
   * for them next (nothing is decoded; the input returned holds no packets).
   */
  prefetch?: boolean;
}

/** The input for a job's packets: fetched, and the disposable ones it may skip left out. */
export type PacketFetch = (request: FetchRequest) => Promise<DecodeInput>;

/** A verification of every frame of the video ({@link VideoDecoder.verify}). */
export interface VerifyRequest {
  /** Any output spec of the video (nothing is converted: no frame is wanted). */
  output: OutputSpec;
  /** Where packets come from. */
  fetch: PacketFetch;
  /** Decode jobs run at once. */
  parallel: number;
  /** Abandons the verification between jobs. */
  signal?: AbortSignal;
}

/** What a verification did. */
export interface VerifyProgress {
  /** Decode jobs of the video (one per keyframe a frame is decoded from). */
  jobs: number;
  /** Jobs decoded now (the others were verified before, or known damage refuses their frames). */
  decodedJobs: number;
  /** Pictures decoded now. */
  pictures: number;
}

/** One request's frames. */
export interface FrameRequest {
  /** Frame numbers (presentation order), validated by the caller. */
  frames: number[];
  /** Size and rotation of the frames returned. */
  output: OutputSpec;
  /** Where packets come from. */
  fetch: PacketFetch;
  /** Abandons the request between jobs (and in the pool's queue). */
  signal?: AbortSignal;
}

/** Where a session stands, as far as the main thread knows. */
interface Session {
  /** Keyframe (decode order) it started at. */
  first: number;
  /** Next packet it expects. */
  next: number;
  /** What the worker said of it after the last job. */
  state: Exclude<SessionState, { state: "closed" }>;
}

/** A decoder session of the video that a sequential reader may use, and where it stands. */
interface Lane {
  /** Its id in the pool. */
  id: string;
  session?: Session;
}

/** A concurrent request's job waiting for its GOP's shared session. */
interface SharedJob {
  job: DecodeJob;
  request: FrameRequest;
  out: Map<number, DecodedFrame>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The shared session of one GOP (and output spec): concurrent requests for
 * frames of the GOP queue here and are decoded together, once, up to the
 * latest frame any of them wants, instead of each from the keyframe.
 */
interface SharedLane extends Lane {
  /** Jobs waiting for the next run. */
  waiting: SharedJob[];
  /** A run is under way (its jobs were taken from `waiting`). */
  running: boolean;
}

/**
 * Decoded pictures a read-ahead may hold in its worker (as decoded, not RGB).
 * The worker's wasm memory keeps its size after, so this bounds it too.
 */
const AHEAD_BYTES = 32 << 20;
/** At most this many pictures read ahead (the C session keeps up to 64). */
const AHEAD_FRAMES = 48;
/** Pictures a session keeps past its targets by default (the worker's default). */
const READY_FRAMES = 16;
/**
 * A sequential reader's bytes are fetched ahead of its decoder, in requests
 * that start at this many packets and double while it reads on, so that it
 * does not wait for one storage request per frame.
 */
const PREFETCH_PACKETS = 16;
/** At most this many packets, and bytes of them, in one of those requests (gaps they bridge come on top). */
const PREFETCH_MAX_PACKETS = 64;
const PREFETCH_MAX_BYTES = 4 << 20;

/** The decoder sessions of one open video. */
export class VideoDecoder {
  readonly #pool: DecoderPool;
  readonly #index: FrameIndex;
  readonly #id: string;
  /** Packets a decoder may need past a frame's own before it outputs it. */
  readonly #depth: number;
  /** Keyframe (decode order) of the previous job, to recognise sequential reading. */
  #lastFirst?: number;
  /** The last frame the previous main job asked for. */
  #lastFrame?: number;
  /**
   * Two sessions for a sequential reader: the one it reads from, and the one
   * decoding ahead into the next GOP on another worker meanwhile.
   */
  readonly #lanes: [Lane, Lane];
  #current = 0;
  /** The read-ahead under way or done: the keyframe (decode order) it started at. */
  #ahead?: { first: number; lane: number; done: Promise<void> };
  /** The sequential reader's bytes fetched ahead: up to packet `to`, the last request of `packets`. */
  #prefetched = { to: -1, packets: 0 };
  /** A request is using the main sessions. */
  #busy = false;
  #spare = 0;
  /** Requests of this video in flight. */
  #inflight = 0;
  /** Shared sessions by GOP and output, least recently used first. */
  readonly #shared = new Map<string, SharedLane>();
  readonly #onDecoded: (frames: number) => void;
  readonly #onMarks: () => void;

  /**
   * @param pool Where jobs run.
   * @param index The video's index.
   * @param id Names this video's sessions in the pool (unique per object version).
   * @param onDecoded Told how many frames each job decoded (wanted or on the way to one).
   * @param onMarks Told when packets got new marks to keep with the index: damage a decoder
   *   found, or a verification.
   */
  constructor(
    pool: DecoderPool,
    index: FrameIndex,
    id: string,
    onDecoded: (frames: number) => void = () => {},
    onMarks: () => void = () => {},
  ) {
    this.#pool = pool;
    this.#index = index;
    this.#id = id;
    this.#depth = reorderDepth(index.packets);
    this.#onDecoded = onDecoded;
    this.#onMarks = onMarks;
    this.#lanes = [{ id }, { id: `${id}#ahead` }];
  }

  /**
   * Decodes the frames asked (one job per GOP, each decoded once for all the
   * frames asked from it). Returns them by frame number. The GOPs of a batch
   * are decoded side by side on the workers; a reader going forward has the
   * next GOP decoded ahead on another worker.
   */
  async frames(request: FrameRequest): Promise<Map<number, DecodedFrame>> {
    const out = new Map<number, DecodedFrame>();
    // Frames known damage makes uncertain are refused before anything is fetched.
    this.#refuseUntrusted(request.frames);
    const jobs = planJobs(this.#index, request.frames);
    this.#inflight++;
    try {
      if (this.#busy) {
        // Another request holds the main sessions: decode on the GOPs' shared sessions instead
        // of waiting, so concurrent readers of one video use every worker, and requests for one
        // GOP are decoded together.
        await Promise.all(jobs.map((job) => this.#runShared(job, request, out)));
        return out;
      }
      this.#busy = true;
      try {
        // All but the last GOP on shared sessions at once (one per worker can run); the last
        // on the main session, where a reader going on will continue.
        const last = jobs[jobs.length - 1];
        await Promise.all([
          ...jobs.slice(0, -1).map((job) => this.#runShared(job, request, out)),
          last && this.#runMain(last, request, out),
        ]);
      } finally {
        this.#busy = false;
      }
      return out;
    } finally {
      this.#inflight--;
    }
  }

  /**
   * Decodes every decode job of the video not verified yet: the packets a
   * random access to its frames would decode, from the keyframe through a
   * drain, so every picture comes out and is checked. Damage found is marked
   * in the index (and refuses what it makes uncertain), and the job's
   * keyframe is marked {@link FLAG_VERIFIED}, so it is not decoded again.
   * Jobs whose frames known damage already refuses are left out. Up to `parallel` jobs run at
   * once, on sessions of their own.
   */
  async verify(o: VerifyRequest): Promise<VerifyProgress> {
    const { packets, frames } = this.#index;
    const jobs = planJobs(this.#index, frames.keys());
    const progress: VerifyProgress = { jobs: jobs.length, decodedJobs: 0, pictures: 0 };
    const request: FrameRequest = { frames: [], output: o.output, fetch: o.fetch, signal: o.signal };
    let next = 0, failed = false;
    const lane = async (slot: number) => {
      const session = `${this.#id}#verify${slot}`;
      while (next < jobs.length && !failed) {
        const job = jobs[next++];
        if (packets.flags[job.first] & FLAG_VERIFIED) continue;
        let last = Math.max(job.last, this.#reorderTail(job));
        // Packets past the object's end (a cut file) are damaged already; what comes before is decoded.
        while (last > job.first && packets.offset[last] + packets.size[last] > this.#index.info.size) last--;
        const horizon = damageHorizon(packets);
        if (job.frames.every((n) => untrusted(this.#index, n, horizon) !== undefined)) continue;
        request.signal?.throwIfAborted();
        const run = () => this.#run(session, job.first, last, true, new Map(), request, { keep: 0, drain: true });
        let result: DecodeResult | undefined;
        try {
          result = await run().catch((err) => retryOnCrash(err, run));
          if (result.kind === "lost") result = await run();
        } catch (err) {
          // The media's fault (bytes that cannot be what the index says): that is what verifying finds.
          // Anything else (memory, a decoder that cannot open) is no verdict on this version.
          if (!(err instanceof CorruptMediaError)) throw err;
          markDamaged(this.#index, job.first, `decoding from this keyframe failed: ${err.message}`);
        }
        if (result?.kind === "lost") throw new DecoderError(`the decoder lost its session verifying ${this.#id}`);
        progress.decodedJobs++;
        progress.pictures += result?.decoded ?? 0;
        this.#onDecoded(result?.decoded ?? 0);
        // What it found is marked; the job need not be decoded again.
        packets.flags[job.first] |= FLAG_VERIFIED;
        this.#onMarks();
      }
    };
    // Every lane ends before the verification does (the others stop after their job when one fails).
    const lanes = await Promise.allSettled(
      Array.from({ length: Math.max(1, o.parallel) }, (_, slot) =>
        lane(slot).catch((err) => {
          failed = true;
          throw err;
        })),
    );
    const rejected = lanes.find((l) => l.status === "rejected");
    if (rejected) throw rejected.reason;
    return progress;
  }

  /**
   * Decodes a concurrent request's job on its GOP's shared session. While a
   * run of that session is under way, jobs for the GOP wait and then go
   * together in one run (each frame of it decoded once); a job that would
   * wait while a worker idles runs alone on a spare session instead.
   */
  #runShared(job: DecodeJob, request: FrameRequest, out: Map<number, DecodedFrame>): Promise<void> {
    request.signal?.throwIfAborted();
    const key = `${job.first}:${outputKey(request.output)}`;
    let lane = this.#shared.get(key);
    // Few requests and a worker idle: decoding the GOP twice at once is sooner than waiting.
    const light = this.#inflight <= this.#pool.size && this.#pool.queueDepth < this.#pool.size;
    if (lane?.running && light) return this.#runSpare(job, request, out);
    if (!lane) {
      lane = { id: `${this.#id}#gop${job.first}:${outputKey(request.output)}`, waiting: [], running: false };
      // Remembered least recently used first: the oldest idle one is forgotten past the bound.
      for (const [k, l] of this.#shared) {
        if (this.#shared.size < MAX_SHARED) break;
        if (!l.running && l.waiting.length === 0) this.#shared.delete(k);
      }
    }
    this.#shared.delete(key);
    this.#shared.set(key, lane);
    const done = new Promise<void>((resolve, reject) => {
      const waiter: SharedJob = { job, request, out, resolve, reject };
      const signal = request.signal;
      if (signal) {
        // Giving up while waiting takes effect at once (once its run has begun, when the run ends).
        const quit = () => {
          const i = lane.waiting.indexOf(waiter);
          if (i < 0) return;
          lane.waiting.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", quit, { once: true });
        waiter.resolve = () => {
          signal.removeEventListener("abort", quit);
          resolve();
        };
        waiter.reject = (err) => {
          signal.removeEventListener("abort", quit);
          reject(err);
        };
      }
      lane.waiting.push(waiter);
    });
    if (!lane.running) this.#pumpShared(lane);
    return done;
  }

  /** Runs a shared session's waiting jobs, all together each round, until none waits. */
  async #pumpShared(lane: SharedLane): Promise<void> {
    lane.running = true;
    try {
      while (lane.waiting.length > 0) {
        const batch: SharedJob[] = [];
        for (const w of lane.waiting.splice(0)) {
          if (w.request.signal?.aborted) w.reject(w.request.signal.reason);
          else batch.push(w);
        }
        if (batch.length === 0) continue;
        try {
          await this.#runBatch(lane, batch);
        } catch (err) {
          if (batch.length === 1) {
            batch[0].reject(err);
            continue;
          }
          // One frame's failure (damage it alone meets, say) must not fail the others: each goes alone.
          for (const w of batch) {
            if (w.request.signal?.aborted) w.reject(w.request.signal.reason);
            else await this.#runBatch(lane, [w]).catch(w.reject);
          }
        }
      }
    } finally {
      lane.running = false;
    }
  }

  /** One run of a shared session for the frames of `batch`, which then each get theirs. */
  async #runBatch(lane: SharedLane, batch: SharedJob[]): Promise<void> {
    const frames = [...new Set(batch.flatMap((w) => w.job.frames))];
    const [job] = planJobs(this.#index, frames);
    const got = new Map<number, DecodedFrame>();
    const signals = batch.map((w) => w.request.signal);
    const { signal, release } = allAborted(signals);
    const request: FrameRequest = { ...batch[0].request, frames, signal };
    // With other requests of the video about, a later one may want a later frame of this GOP:
    // the session is fed a few packets past the targets, so it stays open for it.
    const stayOpen = this.#inflight > batch.length;
    try {
      await this.#runOn(lane, job, request, got, stayOpen);
    } finally {
      release();
    }
    const given = new Set<number>();
    for (const w of batch) {
      // A request that gave up meanwhile gets its abort, as it would have alone.
      if (w.request.signal?.aborted) w.reject(w.request.signal.reason);
      else {
        for (const n of w.job.frames) {
          // Each caller owns its pixels: another asking for the same frame gets a copy.
          const f = got.get(n)!;
          w.out.set(n, given.has(n) ? { ...f, data: f.data.slice() } : f);
          given.add(n);
        }
        w.resolve();
      }
    }
  }

  /** Decodes one job on a fresh spare session. */
  async #runSpare(job: DecodeJob, request: FrameRequest, out: Map<number, DecodedFrame>): Promise<void> {
    request.signal?.throwIfAborted();
    const session = `${this.#id}#spare${this.#spare++ % SPARE_DECODERS}`;
    const wanted = this.#wanted(job);
    const last = Math.max(job.last, this.#reorderTail(job));
    const run = () => this.#run(session, job.first, last, true, wanted, request);
    const result = await run().catch((err) => retryOnCrash(err, run));
    this.#take(result, wanted, out);
  }

  /**
   * Decodes one job on the main sessions: the reader's, or the one that read
   * ahead into this GOP.
   */
  async #runMain(job: DecodeJob, request: FrameRequest, out: Map<number, DecodedFrame>): Promise<void> {
    request.signal?.throwIfAborted();
    // Reading on in the GOP of the previous request, past its frames, looks
    // sequential: feed a few packets past the target so the session stays open,
    // and read the next GOP ahead. A lone random frame (or the same one again)
    // gets exactly its packets (the decoder is drained instead).
    const sequential = this.#lastFirst === job.first && Math.min(...job.frames) > (this.#lastFrame ?? Infinity);
    this.#lastFirst = job.first;
    this.#lastFrame = Math.max(...job.frames);
    if (this.#ahead?.first === job.first) {
      // The reader reached the GOP read ahead: go on from that session.
      await this.#ahead.done;
      this.#current = this.#ahead.lane;
    }
    this.#ahead = this.#ahead?.first === job.first ? undefined : this.#ahead;
    this.#prefetch(job, request, sequential);
    await this.#runOn(this.#lanes[this.#current], job, request, out, sequential);
    // Only onto a worker that would idle: under load, what other requests wait for comes first.
    if (sequential && this.#pool.queueDepth < this.#pool.size) this.#readAhead(job.first, request);
  }

  /**
   * Fetches a sequential reader's next packets into the cache while this job
   * decodes, once fewer than half a request's worth are left ahead of it
   * (each request twice the last one, up to the bounds).
   */
  #prefetch(job: DecodeJob, request: FrameRequest, sequential: boolean): void {
    if (!sequential) {
      this.#prefetched = { to: -1, packets: 0 };
      return;
    }
    const { packets, info } = this.#index;
    // After the packets the job itself fetches (see #runOn).
    const target = Math.max(...job.frames.map((n) => this.#index.frames[n]));
    const last = Math.min(packets.size.length - 1, Math.max(target + this.#depth, this.#reorderTail(job)));
    const p = this.#prefetched;
    if (p.to - last > p.packets / 2) return;
    const from = Math.max(last, p.to) + 1;
    const count = p.packets === 0 ? PREFETCH_PACKETS : Math.min(2 * p.packets, PREFETCH_MAX_PACKETS);
    let to = from - 1, bytes = 0;
    while (
      to + 1 < packets.size.length && to + 1 - from < count && bytes + packets.size[to + 1] <= PREFETCH_MAX_BYTES
    ) {
      if (packets.offset[to + 1] + packets.size[to + 1] > info.size) break;
      bytes += packets.size[++to];
    }
    if (to < from) return;
    this.#prefetched = { to, packets: count };
    // For the reader's next requests, not this one (its costs are no one's). A prefetch that
    // failed is not reported: the decoder's own fetch asks for those bytes again.
    request.fetch({ from, to, skippable: () => false, prefetch: true, background: true }).catch(() => {});
  }

  /**
   * Decodes one job on a lane's session. When it already stands in the same
   * GOP before the wanted frames, it continues from there; otherwise a new
   * session starts at the job's keyframe. With `stayOpen` the packets run a
   * few past the last target (the stream's reordering depth), so the decoder
   * can output the targets without being drained and can continue next time.
   */
  async #runOn(
    lane: Lane,
    job: DecodeJob,
    request: FrameRequest,
    out: Map<number, DecodedFrame>,
    stayOpen: boolean,
  ): Promise<void> {
    const { packets, info } = this.#index;
    const wanted = this.#wanted(job);
    let feedEnd = stayOpen ? Math.min(packets.size.length - 1, job.last + this.#depth) : job.last;
    feedEnd = Math.max(feedEnd, this.#reorderTail(job));
    while (feedEnd > job.last && packets.offset[feedEnd] + packets.size[feedEnd] > info.size) feedEnd--;
    const s = lane.session;
    const canContinue = s !== undefined && s.first === job.first &&
      [...wanted.keys()].every((pts) =>
        (s.state.state === "open" && pts > s.state.lastPts) || s.state.ready.includes(pts)
      );
    // A session may already be past feedEnd (its targets then wait in it, or in its
    // reorder buffer); a drained one takes no more packets.
    if (canContinue) feedEnd = s.state.state === "drained" ? s.next - 1 : Math.max(feedEnd, s.next - 1);
    const restart = () => this.#run(lane.id, job.first, feedEnd, true, wanted, request);
    // Pictures a read-ahead left in the session stay kept until the reader gets to them.
    const keep = canContinue && s.state.ready.length > READY_FRAMES ? s.state.ready.length : undefined;
    let result = await this.#run(
      lane.id,
      canContinue ? s.next : job.first,
      feedEnd,
      !canContinue,
      wanted,
      request,
      { keep },
    )
      .catch((err) => retryOnCrash(err, restart));
    if (result.kind === "lost") result = await restart().catch((err) => retryOnCrash(err, restart));
    // A session that saw damage taints all it decodes: the next request starts anew.
    lane.session = result.kind === "decoded" && result.session.state !== "closed" && !result.damage
      ? { first: job.first, next: feedEnd + 1, state: result.session }
      : undefined;
    this.#take(result, wanted, out);
  }

  /**
   * While a reader goes forward through the GOP starting at packet `first`,
   * the other main session decodes the start of the next GOP on another
   * worker (one that would idle), keeping the pictures (as decoded) until the
   * reader gets there.
   */
  #readAhead(first: number, request: FrameRequest): void {
    const { packets, info } = this.#index;
    let next = first + 1;
    while (next < packets.size.length && !(packets.flags[next] & FLAG_KEY)) next++;
    if (next >= packets.size.length || this.#ahead?.first === next) return;
    const pictureBytes = Math.max(1, info.width * info.height * 1.5);
    const count = Math.max(1, Math.min(AHEAD_FRAMES, Math.floor(AHEAD_BYTES / pictureBytes)));
    let to = next;
    while (to + 1 < packets.size.length && to - next + 1 < count && !(packets.flags[to + 1] & FLAG_KEY)) to++;
    while (to > next && packets.offset[to] + packets.size[to] > info.size) to--;
    const lane = 1 - this.#current;
    const ahead = this.#lanes[lane];
    const done = (async () => {
      ahead.session = undefined;
      // Nothing is wanted yet: every picture is kept in the session, up to `count`.
      const result = await this.#run(ahead.id, next, to, true, new Map(), { ...request, signal: undefined }, {
        keep: count,
        background: true,
      });
      if (result.kind !== "decoded" || result.session.state === "closed" || result.damage) return;
      this.#onDecoded(result.decoded);
      ahead.session = { first: next, next: to + 1, state: result.session };
    })().catch(() => {
      // A read-ahead that failed costs nothing: the reader starts the GOP itself.
      ahead.session = undefined;
    });
    this.#ahead = { first: next, lane, done };
  }

  /**
   * The last packet a target's number depends on: pictures decoded after a
   * target but shown before it count in its number, so they are decoded too
   * (and must come out before it), or damage there would go unseen.
   */
  #reorderTail(job: DecodeJob): number {
    const { packets, frames } = this.#index;
    let end = -1;
    for (const n of job.frames) {
      const t = frames[n];
      for (let j = t + 1; j <= t + this.#depth && j < packets.pts.length && !(packets.flags[j] & FLAG_KEY); j++) {
        if (packets.pts[j] < packets.pts[t]) end = Math.max(end, j);
      }
    }
    return end;
  }

  /** Presentation timestamp → frame number, for the frames of a job. */
  #wanted(job: DecodeJob): Map<number, number> {
    const { packets, frames } = this.#index;
    return new Map(job.frames.map((n) => [packets.pts[frames[n]], n]));
  }

  /**
   * Fetches packets `from..to` and runs them through a session (keeping up to
   * `keep` unwanted pictures; with `drain`, every picture comes out;
   * `background`: a read-ahead, whose costs are not the request's).
   */
  async #run(
    session: string,
    from: number,
    to: number,
    start: boolean,
    wanted: Map<number, number>,
    request: FrameRequest,
    o: { keep?: number; drain?: boolean; background?: boolean } = {},
  ): Promise<DecodeResult> {
    // The targets and everything before them that a later picture needs are fed; a packet
    // nothing depends on is skipped unless it is a target (or past the last one, where a
    // sequential reader's next frames are).
    const targets = new Set([...wanted.values()].map((n) => this.#index.frames[n]));
    const lastTarget = targets.size ? Math.max(...targets) : -1;
    const skippable = (i: number) => i < lastTarget && !targets.has(i);
    const input = await request.fetch({
      from,
      to,
      skippable,
      background: o.background ?? false,
    });
    // The fetch may have found damaged packets in the bytes it read.
    this.#refuseUntrusted([...wanted.values()]);
    const transfer = input.kind === "packets" ? input.packets.map((p) => p.data.buffer) : [input.data.buffer];
    const { codecpar, info } = this.#index;
    const result = await this.#pool.decode(
      {
        session,
        codecpar,
        timeBase: info.timeBase,
        start,
        from,
        to,
        input,
        targets: [...wanted.keys()],
        output: request.output,
        keep: o.keep,
        drain: o.drain,
      },
      transfer as ArrayBuffer[],
      request.signal,
    );
    if (result.kind === "decoded" && result.damage) this.#absorbDamage(result.damage, from, to);
    return result;
  }

  /**
   * Marks the packets a decoder found damaged in the index: the one it was
   * first seen in and the one of lowest pts (what it makes uncertain reaches
   * back that far). Damage it cannot place (a codec configuration the
   * decoder refused) is the session's first packet's.
   */
  #absorbDamage(damage: DecodeDamage, from: number, to: number): void {
    const { packets } = this.#index;
    const find = (pts: number, dts: number) => {
      if (Number.isNaN(pts) && Number.isNaN(dts)) return -1;
      const i = findPacket(packets, from, to, pts, dts);
      return i >= 0 ? i : findPacket(packets, 0, packets.pts.length - 1, pts, dts);
    };
    let first = find(damage.pts, damage.dts);
    if (first < 0) first = from;
    let news = markDamaged(this.#index, first, damage.reason);
    const lowest = Number.isNaN(damage.minPts) ? -1 : find(damage.minPts, NaN);
    if (lowest >= 0) news = markDamaged(this.#index, lowest, damage.reason) || news;
    if (news) this.#onMarks();
  }

  /** Throws for the first of `frames` that known damage makes uncertain. */
  #refuseUntrusted(frames: Iterable<number>): void {
    const horizon = damageHorizon(this.#index.packets);
    if (!horizon) return;
    for (const n of frames) {
      const why = untrusted(this.#index, n, horizon);
      if (why === undefined) continue;
      throw new CorruptMediaError(
        `frame ${n} of ${JSON.stringify(this.#index.info.key)} is not served: ${why}. ` +
          "Native ffmpeg may drop or conceal that picture, so the number or the pixels of this frame cannot be vouched for",
      );
    }
  }

  /** Puts a result's wanted frames into `out`; throws if one is missing. */
  #take(result: DecodeResult, wanted: Map<number, number>, out: Map<number, DecodedFrame>): void {
    // Damage found while decoding refuses what it makes uncertain, returned or not.
    this.#refuseUntrusted(wanted.values());
    if (result.kind === "decoded") {
      this.#onDecoded(result.decoded);
      for (const f of result.frames) {
        const n = wanted.get(f.pts);
        if (n === undefined) continue;
        out.set(n, f);
        wanted.delete(f.pts);
      }
    }
    if (wanted.size > 0) {
      const [pts, n] = wanted.entries().next().value!;
      const damage = result.kind === "decoded" ? result.damage : undefined;
      if (damage) {
        throw new CorruptMediaError(
          `frame ${n} of ${JSON.stringify(this.#index.info.key)} is not served: it was decoded after damage ` +
            `(${damage.reason}), so its pixels or its number may differ from native ffmpeg's`,
        );
      }
      throw new CorruptMediaError(
        `the decoder did not produce frame ${n} (pts ${pts}) of ${
          JSON.stringify(this.#index.info.key)
        }; the stream may be damaged`,
      );
    }
  }
}

/** Names an output spec (frames for different specs are never decoded together). */
function outputKey(o: OutputSpec): string {
  return `${o.pixels}:${o.width}x${o.height}:${o.rotation}`;
}

/**
 * A signal that aborts once every one of `signals` has (none: never), so a shared run stops only if
 * nobody waits; `release` removes its listeners (callers' signals may outlive the run).
 */
function allAborted(signals: (AbortSignal | undefined)[]): { signal?: AbortSignal; release: () => void } {
  if (signals.length === 1) return { signal: signals[0], release: () => {} };
  if (signals.some((s) => s === undefined)) return { release: () => {} };
  const controller = new AbortController();
  const check = () => {
    if (signals.every((s) => s!.aborted)) controller.abort(signals[signals.length - 1]!.reason);
  };
  for (const s of signals) s!.addEventListener("abort", check, { once: true });
  check();
  return { signal: controller.signal, release: () => signals.forEach((s) => s!.removeEventListener("abort", check)) };
}
