/**
 * Worker side: decoder sessions. A session is one decoder fed packets in
 * decode order from a keyframe; it stays open between jobs so reading on in
 * the same GOP decodes each frame once. A few sessions are kept per worker
 * (interleaved videos don't thrash), each with the frames it decoded past its
 * last job's targets (the end of a file is read on without decoding its last
 * GOP again).
 *
 * @module
 */

import { CorruptMediaError, UnsupportedMediaError } from "../errors.ts";
import type { Converter } from "./convert.ts";
import { demuxSpan, pixelFormatName } from "./demux.ts";
import { AV_FRAME_FLAG_CORRUPT, hiLo, int64 } from "./ffmpeg.ts";
import type { LibAV } from "./libav.ts";
import type { DecodedFrame, DecodeJobMessage, DecodeResult, OutputSpec, SessionState } from "./protocol.ts";

/** Packets fed to the decoder per call. */
const FEED_PACKETS = 8;
/** Frames a session keeps past its targets (each holds a decoded picture). */
const MAX_READY = 16;
/** Sessions kept open per worker. */
const MAX_SESSIONS = 4;

interface Session {
  ctx: number;
  pkt: number;
  frame: number;
  id: string;
  /** Decode-order number of the next packet the session expects; -1 when none is open. */
  next: number;
  /** Largest pts output in this session. */
  lastPts: number;
  /** Frames output past the last job's targets, by pts, kept for the next job. */
  ready: Map<number, number>;
  /** The session was drained: it can still hand out `ready` frames, but takes no more packets. */
  drained: boolean;
}

/** What one job collects while frames come out of the decoder. */
interface Collecting {
  wanted: Set<number>;
  out: DecodedFrame[];
  keepAbove: number;
  output: OutputSpec;
}

/** The decoder sessions of one libav.js instance. */
export class Decoders {
  readonly #av: LibAV;
  readonly #convert: Converter;
  // Least recently used first.
  readonly #sessions: Session[] = [];
  readonly #formatNames = new Map<number, string>();

  constructor(av: LibAV, convert: Converter) {
    this.#av = av;
    this.#convert = convert;
  }

  /** Runs a decode job (see {@link DecodeJobMessage}). */
  async run(msg: DecodeJobMessage): Promise<DecodeResult> {
    const av = this.#av;
    const s = await this.#session(msg);
    const count = msg.input.packets.length;
    if (!s || (!msg.start && (s.next !== msg.from || (s.drained && msg.to >= msg.from)))) return { kind: "lost" };
    if (msg.start) {
      await this.#dropReady(s);
      await av.avcodec_flush_buffers(s.ctx);
      s.lastPts = -Infinity;
      s.drained = false;
    }
    s.next = -1; // until this job succeeds
    const job: Collecting = {
      wanted: new Set(msg.targets),
      out: [],
      keepAbove: Math.max(...msg.targets),
      output: msg.output,
    };
    // Frames the last job decoded past its targets come first.
    const carried = [...s.ready.values()];
    s.ready.clear();
    await this.#collect(s, carried, job);
    const data = msg.input.kind === "span" ? await demuxSpan(av, msg.input) : msg.input.packets.map((p) => p.data);
    const packets = msg.input.packets.map((p, i) => {
      const pts = hiLo(p.pts), dts = hiLo(p.dts);
      return { data: data[i], pts: pts[0], ptshi: pts[1], dts: dts[0], dtshi: dts[1], flags: p.flags };
    });
    // Feed a few packets at a time and convert what comes out at once, so a long
    // job never holds more than a handful of decoded pictures.
    let decoded = 0;
    for (let at = 0; at < packets.length; at += FEED_PACKETS) {
      decoded += await this.#collect(s, await this.#feed(s, packets.slice(at, at + FEED_PACKETS), false), job);
    }
    if (job.wanted.size > 0) {
      if (s.drained) return { kind: "lost" };
      // The wanted frames are still in the reorder buffer: drain it. Frames past
      // the targets stay ready, but a drained decoder takes no packets until a start.
      decoded += await this.#collect(s, await this.#feed(s, [], true), job);
      s.drained = true;
    }
    s.next = msg.to + 1;
    return { kind: "decoded", frames: job.out, decoded, session: stateOf(s) };
  }

  /** Forgets every session (the instance is being replaced). */
  clear(): void {
    this.#sessions.length = 0;
  }

  async #session(msg: DecodeJobMessage): Promise<Session | undefined> {
    const av = this.#av;
    const i = this.#sessions.findIndex((s) => s.id === msg.session);
    if (i >= 0) {
      const [s] = this.#sessions.splice(i, 1);
      this.#sessions.push(s);
      return s;
    }
    if (!msg.start) return undefined;
    let opened: number[];
    try {
      opened = await av.ff_init_decoder(msg.codecpar.codec_id, { codecpar: msg.codecpar, time_base: msg.timeBase });
    } catch (err) {
      throw new UnsupportedMediaError(
        `cannot open a decoder for codec id ${msg.codecpar.codec_id}: ${(err as Error).message}`,
      );
    }
    const [, ctx, pkt, frame] = opened;
    const s: Session = {
      ctx,
      pkt,
      frame,
      id: msg.session,
      next: -1,
      lastPts: -Infinity,
      ready: new Map(),
      drained: false,
    };
    this.#sessions.push(s);
    if (this.#sessions.length > MAX_SESSIONS) {
      const old = this.#sessions.shift()!;
      await this.#dropReady(old);
      await av.ff_free_decoder(old.ctx, old.pkt, old.frame);
    }
    return s;
  }

  async #dropReady(s: Session): Promise<void> {
    for (const f of s.ready.values()) await this.#av.av_frame_free_js(f);
    s.ready.clear();
  }

  async #feed(s: Session, packets: Record<string, unknown>[], fin: boolean): Promise<number[]> {
    const av = this.#av;
    try {
      return await av.ff_decode_multi(s.ctx, s.pkt, s.frame, packets, { fin, copyoutFrame: "ptr" });
    } catch (err) {
      // The decoder may be in a bad state: drop it, and the frames it kept.
      this.#sessions.splice(this.#sessions.indexOf(s), 1);
      await this.#dropReady(s).catch(() => {});
      await av.ff_free_decoder(s.ctx, s.pkt, s.frame).catch(() => {});
      throw new CorruptMediaError(`decoding failed: ${(err as Error).message}`);
    }
  }

  /**
   * Converts the wanted frames among `framePtrs`. Unwanted frames past the
   * job's `keepAbove` are kept in the session for the next job (up to
   * MAX_READY); the rest are freed. Returns how many frames there were.
   */
  async #collect(s: Session, framePtrs: number[], job: Collecting): Promise<number> {
    const av = this.#av;
    const free: number[] = [];
    try {
      for (const f of framePtrs) {
        const pts = int64(await av.AVFrame_pts(f), await av.AVFrame_ptshi(f));
        s.lastPts = Math.max(s.lastPts, pts);
        if (!job.wanted.has(pts)) {
          if (pts > job.keepAbove && s.ready.size < MAX_READY && !s.ready.has(pts)) s.ready.set(pts, f);
          else free.push(f);
          continue;
        }
        free.push(f);
        if ((await av.AVFrame_flags(f)) & AV_FRAME_FLAG_CORRUPT) {
          throw new CorruptMediaError(`the decoder marked the frame at pts ${pts} as corrupt`);
        }
        const { format, ...picture } = await this.#convert.toRGB(f, job.output);
        job.out.push({ pts, ...picture, pixelFormat: await this.#formatName(format) });
        job.wanted.delete(pts);
      }
    } catch (err) {
      const kept = new Set(s.ready.values());
      for (const f of framePtrs) if (!free.includes(f) && !kept.has(f)) free.push(f);
      throw err;
    } finally {
      for (const f of free) await av.av_frame_free_js(f);
    }
    return framePtrs.length;
  }

  async #formatName(format: number): Promise<string> {
    let name = this.#formatNames.get(format);
    if (name === undefined) {
      name = (await pixelFormatName(this.#av, format)) ?? `pix_fmt ${format}`;
      this.#formatNames.set(format, name);
    }
    return name;
  }
}

function stateOf(s: Session): SessionState {
  const ready = [...s.ready.keys()];
  if (!s.drained) return { state: "open", lastPts: s.lastPts, ready };
  return ready.length > 0 ? { state: "drained", ready } : { state: "closed" };
}
