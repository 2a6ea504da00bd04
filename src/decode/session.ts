/**
 * Main-thread decoder sessions of one video: the state machine that decides
 * whether a request continues the video's open decoder session or starts a
 * new one at a keyframe, feeds a few packets past the targets so sequential
 * reading never drains the decoder, and sends concurrent requests to spare
 * decoders. The worker side of a session is `decoder.ts`; both read the same
 * {@link SessionState}.
 *
 * It knows the index and the pool, not storage: packets come from the
 * `fetch` callback of each request.
 *
 * @module
 */

import { CorruptMediaError, DecoderError } from "../errors.ts";
import type { FrameIndex } from "../index/model.ts";
import { type DecodeJob, planJobs, reorderDepth } from "../index/plan.ts";
import type { DecoderPool } from "./pool.ts";
import type { DecodedFrame, DecodeInput, DecodeResult, OutputSpec, SessionState } from "./protocol.ts";

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

/** What a job needs fetched: packets `from..to` (decode order) for `frames` frames. */
export interface FetchRequest {
  /** First packet. */
  from: number;
  /** Last packet. */
  to: number;
  /** Frames the job yields (the range policy counts requests per frame). */
  frames: number;
  /**
   * Whether packet `i` may be left out if no later picture needs it (a
   * disposable packet before the job's last target that is no target itself).
   */
  skippable(i: number): boolean;
}

/** The input for a job's packets: fetched, and the disposable ones it may skip left out. */
export type PacketFetch = (request: FetchRequest) => Promise<DecodeInput>;

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

/** Where the video's main session stands, as far as the main thread knows. */
interface Session {
  /** Keyframe (decode order) it started at. */
  first: number;
  /** Next packet it expects. */
  next: number;
  /** What the worker said of it after the last job. */
  state: Exclude<SessionState, { state: "closed" }>;
}

/** The decoder sessions of one open video. */
export class VideoDecoder {
  readonly #pool: DecoderPool;
  readonly #index: FrameIndex;
  readonly #id: string;
  /** Packets a decoder may need past a frame's own before it outputs it. */
  readonly #depth: number;
  /** Keyframe (decode order) of the previous job, to recognise sequential reading. */
  #lastFirst?: number;
  #session?: Session;
  /** A request is using the main session. */
  #busy = false;
  #spare = 0;
  readonly #onDecoded: (frames: number) => void;

  /**
   * @param pool Where jobs run.
   * @param index The video's index.
   * @param id Names this video's sessions in the pool (unique per object version).
   * @param onDecoded Told how many frames each job decoded (wanted or on the way to one).
   */
  constructor(pool: DecoderPool, index: FrameIndex, id: string, onDecoded: (frames: number) => void = () => {}) {
    this.#pool = pool;
    this.#index = index;
    this.#id = id;
    this.#depth = reorderDepth(index.packets);
    this.#onDecoded = onDecoded;
  }

  /**
   * Decodes the frames asked (one job per GOP, each decoded once for all the
   * frames asked from it). Returns them by frame number.
   */
  async frames(request: FrameRequest): Promise<Map<number, DecodedFrame>> {
    const out = new Map<number, DecodedFrame>();
    const jobs = planJobs(this.#index, request.frames);
    if (this.#busy) {
      // Another request holds the main session: decode on a spare decoder instead
      // of waiting, so concurrent readers of one video use every worker. (The main
      // session serves a reader that goes on sequentially.)
      for (const job of jobs) {
        request.signal?.throwIfAborted();
        const session = `${this.#id}#spare${this.#spare++ % SPARE_DECODERS}`;
        const wanted = this.#wanted(job);
        const run = () => this.#run(session, job.first, job.last, true, wanted, request);
        const result = await run().catch((err) => retryOnCrash(err, run));
        this.#take(result, wanted, out);
      }
      return out;
    }
    this.#busy = true;
    try {
      for (const job of jobs) {
        request.signal?.throwIfAborted();
        await this.#runMain(job, request, out);
      }
    } finally {
      this.#busy = false;
    }
    return out;
  }

  /**
   * Decodes one job on the main session. When it already stands in the same
   * GOP before the wanted frames, it continues from there; otherwise a new
   * session starts at the job's keyframe. Either way the packets run a few
   * past the last target (the stream's reordering depth), so the decoder can
   * output the targets without being drained and can continue next time.
   */
  async #runMain(job: DecodeJob, request: FrameRequest, out: Map<number, DecodedFrame>): Promise<void> {
    const { packets, info } = this.#index;
    const wanted = this.#wanted(job);
    // Reading on in the GOP of the previous request looks sequential: feed a few
    // packets past the target so the session stays open. A lone random frame
    // gets exactly its packets (the decoder is drained instead).
    const sequential = this.#lastFirst === job.first;
    this.#lastFirst = job.first;
    let feedEnd = sequential ? Math.min(packets.size.length - 1, job.last + this.#depth) : job.last;
    while (feedEnd > job.last && packets.offset[feedEnd] + packets.size[feedEnd] > info.size) feedEnd--;
    const s = this.#session;
    const canContinue = s !== undefined && s.first === job.first &&
      [...wanted.keys()].every((pts) =>
        (s.state.state === "open" && pts > s.state.lastPts) || s.state.ready.includes(pts)
      );
    // A session may already be past feedEnd (its targets then wait in it, or in its
    // reorder buffer); a drained one takes no more packets.
    if (canContinue) feedEnd = s.state.state === "drained" ? s.next - 1 : Math.max(feedEnd, s.next - 1);
    const restart = () => this.#run(this.#id, job.first, feedEnd, true, wanted, request);
    let result = await this.#run(this.#id, canContinue ? s.next : job.first, feedEnd, !canContinue, wanted, request)
      .catch((err) => retryOnCrash(err, restart));
    if (result.kind === "lost") result = await restart().catch((err) => retryOnCrash(err, restart));
    this.#session = result.kind === "decoded" && result.session.state !== "closed"
      ? { first: job.first, next: feedEnd + 1, state: result.session }
      : undefined;
    this.#take(result, wanted, out);
  }

  /** Presentation timestamp → frame number, for the frames of a job. */
  #wanted(job: DecodeJob): Map<number, number> {
    const { packets, frames } = this.#index;
    return new Map(job.frames.map((n) => [packets.pts[frames[n]], n]));
  }

  /** Fetches packets `from..to` and runs them through a session. */
  async #run(
    session: string,
    from: number,
    to: number,
    start: boolean,
    wanted: Map<number, number>,
    request: FrameRequest,
  ): Promise<DecodeResult> {
    // The targets and everything before them that a later picture needs are fed; a packet
    // nothing depends on is skipped unless it is a target (or past the last one, where a
    // sequential reader's next frames are).
    const targets = new Set([...wanted.values()].map((n) => this.#index.frames[n]));
    const lastTarget = Math.max(...targets);
    const skippable = (i: number) => i < lastTarget && !targets.has(i);
    const input = await request.fetch({ from, to, frames: wanted.size, skippable });
    const transfer = input.kind === "packets" ? input.packets.map((p) => p.data.buffer) : [input.data.buffer];
    const { codecpar, info } = this.#index;
    return await this.#pool.decode(
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
      },
      transfer as ArrayBuffer[],
      request.signal,
    );
  }

  /** Puts a result's wanted frames into `out`; throws if one is missing. */
  #take(result: DecodeResult, wanted: Map<number, number>, out: Map<number, DecodedFrame>): void {
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
      throw new CorruptMediaError(
        `the decoder did not produce frame ${n} (pts ${pts}) of ${
          JSON.stringify(this.#index.info.key)
        }; the stream may be damaged`,
      );
    }
  }
}
