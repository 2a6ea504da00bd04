/**
 * Worker side: decoder sessions. A session is one decoder fed packets in
 * decode order from a keyframe; it stays open between jobs so reading on in
 * the same GOP decodes each frame once. A few sessions are kept per worker
 * (interleaved videos don't thrash), each with the frames it decoded past its
 * last job's targets (the end of a file is read on without decoding its last
 * GOP again).
 *
 * The per-picture loop runs in C (`seekframe_session_run` in the project's
 * libav.js build): a job is a few calls per group of packets, not a dozen
 * per picture.
 *
 * @module
 */

import { CorruptMediaError, DecoderError, UnsupportedMediaError } from "../errors.ts";
import { demuxSpan } from "./demux.ts";
import { AV_FRAME_FLAG_CORRUPT, AV_PKT_FLAG_DISCARD, AV_PKT_FLAG_KEY } from "./ffmpeg.ts";
import type { LibAV } from "./libav.ts";
import type { DecodeDamage, DecodedFrame, DecodeJobMessage, DecodeResult, SessionState } from "./protocol.ts";
import { rotateRGB } from "./rotate.ts";

/** Packets fed per call: the frames of one call are held in wasm memory until copied out. */
const FEED_PACKETS = 8;
/** Frames a session keeps past its targets by default (each holds a decoded picture). */
const MAX_READY = 16;
/** The most a job may ask to keep (the C session's bound). */
const MAX_KEEP = 64;
/** Sessions kept open per worker. */
const MAX_SESSIONS = 4;
/**
 * Pictures' pixels the open sessions of a worker may have (two 720p ones): a
 * decoder holds its reference pictures, and the wasm memory they grow never
 * shrinks. The newest session stays open whatever its size.
 */
const MAX_SESSION_PIXELS = 2 * 1280 * 720;

/** Job layout (doubles): header, then 5 per packet, then the targets; the packets' bytes follow. */
const JOB_HEADER = 16;
const JOB_PACKET = 5;
/** Result layout (doubles): header, then 10 per frame output, then the kept frames' pts. */
const RES_HEADER = 16;
const RES_FRAME = 10;
const RES_KEPT = 64;
/** Output modes of a job. */
const OUT_RGB24 = 1;
const OUT_NATIVE = 2;
/** `AVERROR_EOF`: a drained session given packets. */
const AVERROR_EOF = -541478725;
/** A frame row's flag: it came out of the decoder after damage (`SF_ROW_TAINTED`). */
const ROW_TAINTED = 1 << 20;
/** What the damage bits of a run's result (`SF_DMG_*`) mean. */
const DAMAGE_REASONS: [number, string][] = [
  [1, "the decoder failed on a packet"],
  [2, "the decoder concealed errors in a picture"],
  [4, "the decoder marked a picture as corrupt"],
  [8, "a picture never came out of the decoder, so native ffmpeg numbers the frames after it differently"],
  [16, "the decoder reported an error"],
  [32, "pictures came out of the decoder out of presentation order"],
];

/** The words for a run's damage bits. */
function damageReason(bits: number): string {
  return DAMAGE_REASONS.filter(([bit]) => bits & bit).map(([, why]) => why).join("; ");
}

interface Session {
  /** The C session. */
  ptr: number;
  id: string;
  /** Decode-order number of the next packet the session expects; -1 when none is open. */
  next: number;
  /** Largest pts output since the session started. */
  lastPts: number;
  /** Pts of the frames kept past the last job's targets. */
  ready: number[];
  /** The session was drained: it can still hand out `ready` frames, but takes no more packets. */
  drained: boolean;
  /** Damage seen since the session started: every picture out after it is refused. */
  damage?: Omit<DecodeDamage, "refused">;
  /** Pixels of its pictures (width × height). */
  pixels: number;
}

/** One call's packets, as the C side reads them. */
interface Feed {
  data: Uint8Array;
  pts: number;
  dts: number;
  flags: number;
}

/** The decoder sessions of one libav.js instance. */
export class Decoders {
  readonly #av: LibAV;
  // Least recently used first.
  readonly #sessions: Session[] = [];
  readonly #formatNames = new Map<number, string>();

  /** @param av The instance the sessions live in. */
  constructor(av: LibAV) {
    this.#av = av;
  }

  /** Runs a decode job (see {@link DecodeJobMessage}). */
  async run(msg: DecodeJobMessage): Promise<DecodeResult> {
    const s = await this.#session(msg);
    if (!s || (!msg.start && (s.next !== msg.from || (s.drained && msg.to >= msg.from)))) return { kind: "lost" };
    if (msg.start && s.next !== -1) {
      // A session reused for a new start: flush it, and the frames it kept.
      await this.#av.seekframe_session_reset(s.ptr);
      s.lastPts = -Infinity;
      s.ready = [];
      s.drained = false;
      s.damage = undefined;
    }
    s.next = -1; // until this job succeeds
    const data = msg.input.kind === "span"
      ? await demuxSpan(this.#av, msg.input)
      : msg.input.packets.map((p) => p.data);
    const packets: Feed[] = msg.input.packets.map((p, i) => ({
      data: data[i],
      pts: p.pts,
      dts: p.dts,
      // The index's own bits (disposable, damaged…) share values with FFmpeg's other packet flags.
      flags: p.flags & (AV_PKT_FLAG_KEY | AV_PKT_FLAG_DISCARD),
    }));
    const wanted = new Set(msg.targets);
    const keepAbove = msg.targets.length ? Math.max(...msg.targets) : -Infinity;
    const out: DecodedFrame[] = [];
    const refused: number[] = [];
    let decoded = 0;
    const damaged = (): DecodeResult => ({
      kind: "decoded",
      frames: out,
      decoded,
      session: { state: "closed" },
      damage: { ...s.damage!, refused },
    });
    // Feed a few packets at a time (frames kept from the last job come out of the first call).
    for (let at = 0; at === 0 || at < packets.length; at += FEED_PACKETS) {
      const r = await this.#call(s, packets.slice(at, at + FEED_PACKETS), false, wanted, keepAbove, msg, out, refused);
      decoded += r.received;
      if (r.failed) return damaged();
    }
    if (wanted.size > 0 || (msg.drain && !s.drained)) {
      if (s.drained) return { kind: "lost" };
      // The wanted frames are still in the reorder buffer (or every picture must come out, to be
      // checked): drain it. Frames past the targets stay ready, but a drained decoder takes no
      // packets until a start.
      const r = await this.#call(s, [], true, wanted, keepAbove, msg, out, refused);
      decoded += r.received;
      if (r.failed) return damaged();
    }
    if (s.damage) {
      // Nothing it decodes is trusted any more (the caller starts anew): free its decoder and frames now.
      await this.#drop(s);
      return damaged();
    }
    s.next = msg.to + 1;
    const session = stateOf(s);
    // A drained session with nothing kept is not used again: its decoder and pictures go now, so
    // the memory is there for the next one (wasm memory never shrinks, so its peak is what counts).
    if (session.state === "closed") await this.#drop(s);
    return { kind: "decoded", frames: out, decoded, session };
  }

  /** Forgets every session (the instance is being replaced). */
  clear(): void {
    this.#sessions.length = 0;
  }

  /** One `seekframe_session_run`: feeds `packets` (and drains with `fin`), collecting the wanted frames. */
  async #call(
    s: Session,
    packets: Feed[],
    fin: boolean,
    wanted: Set<number>,
    keepAbove: number,
    msg: DecodeJobMessage,
    out: DecodedFrame[],
    refused: number[],
  ): Promise<{ received: number; failed?: boolean }> {
    const av = this.#av;
    const targets = [...wanted];
    const job = encodeJob(packets, targets, {
      fin,
      keepAbove,
      keep: Math.min(MAX_KEEP, msg.keep ?? MAX_READY),
      mode: msg.output.pixels === "native" ? OUT_NATIVE : OUT_RGB24,
      width: msg.output.pixels === "native" ? 0 : msg.output.width,
      height: msg.output.pixels === "native" ? 0 : msg.output.height,
    });
    const buf = await av.seekframe_session_buffer(s.ptr, job.byteLength);
    if (!buf) throw new Error("out of memory for a decode job");
    await av.copyin_u8(buf, job);
    const res = await av.seekframe_session_run(s.ptr, buf);
    if (!res) throw new Error("the decoder refused a malformed job");
    const v = await av.copyout_f64(res, RES_HEADER + targets.length * RES_FRAME + RES_KEPT);
    const [error, count, received, maxPts, keptCount, drained] = v;
    s.lastPts = Number.isNaN(maxPts) ? s.lastPts : Math.max(s.lastPts, maxPts);
    s.ready = Array.from(v.subarray(v[11], v[11] + keptCount));
    s.drained = drained === 1;
    const [bits, firstPts, firstDts, minPts] = v.subarray(12, 16);
    if (bits) {
      const why = damageReason(bits) +
        (error < 0 && error !== AVERROR_EOF ? ` (${await av.ff_error(error)})` : "");
      if (!s.damage) s.damage = { reason: why, pts: firstPts, dts: firstDts, minPts };
      else if (!(s.damage.minPts <= minPts)) s.damage.minPts = minPts;
    }
    for (let j = 0; j < count; j++) {
      const o = RES_HEADER + j * RES_FRAME;
      const [pts, width, height, , flags, offset, size, , , sourceFormat] = v.subarray(o, o + RES_FRAME);
      if (flags & (ROW_TAINTED | AV_FRAME_FLAG_CORRUPT)) {
        // Decoded after damage: it may be concealed differently, or be another frame.
        refused.push(pts);
        wanted.delete(pts);
        continue;
      }
      // copyout_u8 returns a copy (its own buffer), so the frame can keep it as is.
      const pixels = await av.copyout_u8(res + offset, size) as Uint8Array<ArrayBuffer>;
      const pixelFormat = await this.#formatName(sourceFormat);
      if (msg.output.pixels === "native") {
        out.push({ pts, width, height, data: pixels, layout: pixelFormat, pixelFormat });
      } else {
        if (size !== width * height * 3) {
          throw new CorruptMediaError(`unexpected RGB frame size ${size} for ${width}x${height}`);
        }
        const rotated = rotateRGB(pixels, width, height, msg.output.rotation);
        out.push({ pts, ...rotated, layout: "rgb24", pixelFormat });
      }
      wanted.delete(pts);
    }
    if (error < 0 && error !== AVERROR_EOF) {
      // The decoder may be in a bad state: drop the session, and the frames it kept.
      const why = await av.ff_error(error);
      await this.#drop(s);
      if (s.damage) return { received, failed: true };
      // Not the media (what it does wrong is damage, above): memory, or the session's own input.
      throw new DecoderError(`decoding failed: ${why}`);
    }
    return { received };
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
    const par = await av.avcodec_parameters_alloc();
    let ptr: number;
    try {
      await av.ff_copyin_codecpar(par, msg.codecpar);
      ptr = await av.seekframe_session_open(par, msg.timeBase[0], msg.timeBase[1]);
    } finally {
      await av.avcodec_parameters_free_js(par);
    }
    if (ptr <= 0) {
      throw new UnsupportedMediaError(
        `cannot open a decoder for codec id ${msg.codecpar.codec_id}: ${await av.ff_error(ptr)}`,
      );
    }
    const pixels = Number(msg.codecpar.width ?? 0) * Number(msg.codecpar.height ?? 0);
    const s: Session = { ptr, id: msg.session, next: -1, lastPts: -Infinity, ready: [], drained: false, pixels };
    this.#sessions.push(s);
    const total = () => this.#sessions.reduce((sum, x) => sum + x.pixels, 0);
    while (this.#sessions.length > 1 && (this.#sessions.length > MAX_SESSIONS || total() > MAX_SESSION_PIXELS)) {
      await this.#drop(this.#sessions[0]);
    }
    return s;
  }

  async #drop(s: Session): Promise<void> {
    const i = this.#sessions.indexOf(s);
    if (i >= 0) this.#sessions.splice(i, 1);
    await this.#av.seekframe_session_close(s.ptr).catch(() => {});
  }

  async #formatName(format: number): Promise<string> {
    let name = this.#formatNames.get(format);
    if (name === undefined) {
      name = (await this.#av.seekframe_pix_fmt_name(format)) || `pix_fmt ${format}`;
      this.#formatNames.set(format, name);
    }
    return name;
  }
}

/** Lays a job out as `seekframe_session_run` reads it (see vendor/libav/README.md). */
function encodeJob(
  packets: Feed[],
  targets: number[],
  o: { fin: boolean; keepAbove: number; keep: number; mode: number; width: number; height: number },
): Uint8Array {
  const n = packets.length, t = targets.length;
  const blobOffset = (JOB_HEADER + n * JOB_PACKET + t) * 8;
  const blobSize = packets.reduce((sum, p) => sum + p.data.byteLength, 0);
  const buffer = new ArrayBuffer(blobOffset + blobSize);
  const f = new Float64Array(buffer, 0, blobOffset / 8);
  const bytes = new Uint8Array(buffer);
  f.set([
    n,
    t,
    o.fin ? 1 : 0,
    o.keepAbove,
    o.keep,
    o.mode,
    o.width,
    o.height,
    0,
    blobOffset,
    blobSize,
    buffer.byteLength,
  ]);
  let at = 0;
  packets.forEach((p, i) => {
    f.set([at, p.data.byteLength, p.pts, p.dts, p.flags], JOB_HEADER + i * JOB_PACKET);
    bytes.set(p.data, blobOffset + at);
    at += p.data.byteLength;
  });
  f.set(targets, JOB_HEADER + n * JOB_PACKET);
  return bytes;
}

function stateOf(s: Session): SessionState {
  if (!s.drained) return { state: "open", lastPts: s.lastPts, ready: [...s.ready] };
  return s.ready.length > 0 ? { state: "drained", ready: [...s.ready] } : { state: "closed" };
}
