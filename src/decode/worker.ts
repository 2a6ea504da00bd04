/**
 * Decoder worker: one libav.js instance, one job at a time (the pool
 * serializes jobs; concurrent calls on one instance corrupt it).
 *
 * - `probe` opens an object with FFmpeg's demuxer through a block-reader
 *   device whose bytes come from the main thread, and returns the video
 *   stream's codec parameters and packet table (MP4: from the sample table,
 *   no media data read; otherwise by a demux-only packet scan).
 * - `decode` feeds packets to a decoder and returns the wanted frames as RGB24.
 *
 * The worker knows nothing of storage: bytes arrive as messages.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { CorruptMediaError, SeekframeError, UnsupportedMediaError } from "../errors.ts";
import { FLAG_DISCARD, FLAG_KEY, type PacketTable } from "../index/model.ts";
import type { ProbeResult } from "../index/build.ts";
import { type LibAV, loadLibAV, takeLibAVMessage } from "./libav.ts";
import { type Turn, turnRGB } from "./rotate.ts";
import type {
  DecodedFrame,
  DecodeJobMessage,
  DecodeResult,
  ErrorInfo,
  FromWorker,
  PacketIn,
  ProbeJobMessage,
  ReadReplyMessage,
  ToWorker,
  TsSpan,
} from "./protocol.ts";

const AVMEDIA_TYPE_VIDEO = 0;
const AVDISCARD_ALL = 48;
const AVERROR_EOF = -541478725;
const AVERROR_EAGAIN = -6;
const EIO = 5;
const AV_PIX_FMT_RGB24 = 2;
const SWS_BICUBIC = 4;
const AV_FRAME_FLAG_CORRUPT = 1;
const INDEX_FIELDS = 5;
/** How far back from a scanned packet's reported position its data may start (block headers). */
const MAX_HEADER_BYTES = 32;

let libav: Promise<LibAV> = loadLibAV();
const pendingReads = new Map<number, (reply: ReadReplyMessage) => void>();

function post(msg: FromWorker, transfer: ArrayBufferLike[] = []): void {
  // Typed arrays made here are never backed by SharedArrayBuffers.
  self.postMessage(msg, transfer as Transferable[]);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.op === "read-reply") {
    pendingReads.get(msg.id)?.(msg);
    return;
  }
  run(msg);
};

async function run(msg: DecodeJobMessage | ProbeJobMessage): Promise<void> {
  try {
    if (msg.op === "probe") {
      const probe = await probeObject(await libav, msg);
      const p = probe.packets;
      post({ op: "result", id: msg.id, probe }, [
        p.offset.buffer,
        p.size.buffer,
        p.pts.buffer,
        p.dts.buffer,
        p.flags.buffer,
      ]);
    } else {
      const decoded = await decode(await libav, msg);
      post({ op: "result", id: msg.id, decoded }, decoded.frames.map((f) => f.data.buffer));
    }
  } catch (err) {
    if (!(err instanceof SeekframeError)) {
      // Not an error about the media: the instance itself may be damaged
      // (a wasm trap). Start a fresh one rather than trust it again.
      decoders.length = 0;
      scalers.clear();
      libav = loadLibAV();
    }
    post({ op: "error", id: msg.id, error: errorInfo(err) });
  }
}

function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof SeekframeError) return { name: err.name, message: err.message, code: err.code };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: "Error", message: String(err) };
}

// ---------------------------------------------------------------- probe

/** Recently received bytes, to locate scanned packets' data exactly. */
class RecentBytes {
  #chunks: { pos: number; data: Uint8Array }[] = [];
  #bytes = 0;
  constructor(readonly limit: number) {}
  add(pos: number, data: Uint8Array): void {
    this.#chunks.push({ pos, data });
    this.#bytes += data.byteLength;
    while (this.#bytes > this.limit && this.#chunks.length > 1) this.#bytes -= this.#chunks.shift()!.data.byteLength;
  }
  /** The bytes from 0 that the chunks cover without a hole, at most `max`. */
  prefix(max: number): Uint8Array {
    let end = 0;
    for (;;) {
      const c = this.#chunks.findLast((c) => c.pos <= end && end < c.pos + c.data.byteLength);
      if (!c || end >= max) break;
      end = Math.min(max, c.pos + c.data.byteLength);
    }
    return this.get(0, end) ?? new Uint8Array();
  }

  /** Bytes [pos, pos+len) if the chunks received cover them. */
  get(pos: number, len: number): Uint8Array | undefined {
    const out = new Uint8Array(len);
    let at = pos;
    while (at < pos + len) {
      const c = this.#chunks.findLast((c) => c.pos <= at && at < c.pos + c.data.byteLength);
      if (!c) return undefined;
      const n = Math.min(pos + len, c.pos + c.data.byteLength) - at;
      out.set(c.data.subarray(at - c.pos, at - c.pos + n), at - pos);
      at += n;
    }
    return out;
  }
}

async function probeObject(av: LibAV, msg: ProbeJobMessage): Promise<ProbeResult> {
  const name = `object-${msg.id}`;
  const recent = new RecentBytes(16 << 20);
  let readError: ErrorInfo | undefined;
  av.onblockread = (_file: string, pos: number, length: number) => {
    const reply = new Promise<ReadReplyMessage>((resolve) => pendingReads.set(msg.id, resolve));
    post({ op: "read", id: msg.id, pos, length });
    reply.then((r) => {
      pendingReads.delete(msg.id);
      if (r.error || !r.data) {
        readError = r.error;
        // Report an I/O error to FFmpeg instead of throwing inside the callback.
        return av.ff_block_reader_dev_send(name, pos, null, { errorCode: EIO });
      }
      recent.add(r.pos, r.data);
      return av.ff_block_reader_dev_send(name, r.pos, r.data);
    });
  };
  await av.mkblockreaderdev(name, msg.size);
  takeLibAVMessage();
  let fmt = 0;
  try {
    try {
      fmt = await av.avformat_open_input_js(name, 0, 0);
    } catch (err) {
      fmt = 0;
      if (readError) throw rebuildError(readError);
      throw new UnsupportedMediaError(
        `${JSON.stringify(msg.key)} is not a video container this build reads (MP4/MOV, MKV/WebM, MPEG-TS): ${
          (err as Error).message
        }`,
      );
    }
    if (!fmt) {
      if (readError) throw rebuildError(readError);
      const why = takeLibAVMessage();
      throw new UnsupportedMediaError(
        `${JSON.stringify(msg.key)} is not a video container this build reads (MP4/MOV, MKV/WebM, MPEG-TS)${
          why ? `: ${why}` : ""
        }`,
      );
    }
    const nb = await av.AVFormatContext_nb_streams(fmt);
    let video = -1, streamPtr = 0;
    for (let i = 0; i < nb; i++) {
      const st = await av.AVFormatContext_streams_a(fmt, i);
      const type = await av.AVCodecParameters_codec_type(await av.AVStream_codecpar(st));
      if (type === AVMEDIA_TYPE_VIDEO && video < 0) {
        video = i;
        streamPtr = st;
      } else {
        await av.AVStream_discard_s(st, AVDISCARD_ALL);
      }
    }
    if (video < 0) throw new UnsupportedMediaError(`${JSON.stringify(msg.key)} has no video stream`);
    let codecpar = await av.ff_copyout_codecpar(await av.AVStream_codecpar(streamPtr));
    if (!codecpar.width || !codecpar.height) {
      // Some streams (e.g. MPEG-4 part 2 in MP4) carry their size only in the
      // bitstream: let FFmpeg read the first packets to learn it.
      await av.avformat_find_stream_info(fmt, 0);
      codecpar = await av.ff_copyout_codecpar(await av.AVStream_codecpar(streamPtr));
    }
    const timeBase: [number, number] = [
      await av.AVStream_time_base_num(streamPtr),
      await av.AVStream_time_base_den(streamPtr),
    ];
    const fragmented = await av.seekframe_mov_is_fragmented(fmt);
    // The demuxer has read the head by now; keep it while the scan moves on.
    const head = recent.prefix(TS_HEAD_MAX);
    // The build demuxes MP4/MOV, Matroska/WebM and MPEG-TS only.
    const ts = fragmented >= 0 || isMatroska(head) ? undefined : transportPackets(head);
    const tsPacket = ts?.size ?? 0;
    const container = fragmented >= 0 ? "mp4" : tsPacket ? "mpegts" : "matroska";
    let packets: PacketTable;
    let dataSizes: Uint32Array | undefined;
    let indexSource: ProbeResult["indexSource"];
    if (fragmented === 0 && !msg.scan) {
      packets = await readSampleTable(av, fmt, video);
      indexSource = "sample-table";
    } else {
      ({ packets, dataSizes } = await scanPackets(av, fmt, video, recent, msg.key, msg.size, tsPacket));
      indexSource = "packet-scan";
    }
    if (readError) throw rebuildError(readError);
    const frameRate = await streamFrameRate(av, fmt, video);
    const probe: ProbeResult = { container, indexSource, codecpar, timeBase, packets, frameRate };
    if (ts) {
      // The PAT and PMT come before the first video packet: whole packets up to it.
      const end = Math.min(head.byteLength, packets.offset.length ? packets.offset[0] : Infinity);
      probe.tsHead = head.slice(ts.first, end - ((end - ts.first) % ts.size));
      probe.tsDataSizes = dataSizes;
    }
    return probe;
  } finally {
    if (fmt) await av.avformat_close_input_js(fmt);
    av.onblockread = undefined;
    await av.unlink(name).catch(() => {});
  }
}

/** The container's r_frame_rate (else avg_frame_rate) from the build's stream accessor. */
async function streamFrameRate(av: LibAV, fmt: number, stream: number): Promise<[number, number]> {
  const ptr = await av.malloc(12 * 8);
  try {
    if ((await av.seekframe_stream_info(fmt, stream, ptr)) < 12) return [0, 1];
    const v = await av.copyout_f64(ptr, 12);
    if (v[7] > 0 && v[8] > 0) return [v[7], v[8]];
    if (v[5] > 0 && v[6] > 0) return [v[5], v[6]];
    return [0, 1];
  } finally {
    await av.free(ptr);
  }
}

/** The MP4 sample table through the build's index accessors: no media data is read. */
async function readSampleTable(av: LibAV, fmt: number, stream: number): Promise<PacketTable> {
  const count = await av.seekframe_index_count(fmt, stream);
  if (count < 0) throw new CorruptMediaError(`cannot read the sample table (error ${count})`);
  const table = newTable(count);
  if (count === 0) return table;
  const ptr = await av.malloc(count * INDEX_FIELDS * 8);
  try {
    const n = await av.seekframe_index_read(fmt, stream, ptr, count);
    if (n !== count) throw new CorruptMediaError(`sample table read returned ${n} of ${count} entries`);
    const v = await av.copyout_f64(ptr, count * INDEX_FIELDS);
    for (let i = 0; i < count; i++) {
      const o = i * INDEX_FIELDS;
      table.offset[i] = v[o];
      table.dts[i] = v[o + 1];
      table.pts[i] = v[o + 2];
      table.size[i] = v[o + 3];
      // Index flags: 1 keyframe, 2 discard → packet flags: 1 key, 4 discard.
      table.flags[i] = (v[o + 4] & 1 ? FLAG_KEY : 0) | (v[o + 4] & 2 ? FLAG_DISCARD : 0);
    }
  } finally {
    await av.free(ptr);
  }
  return table;
}

/**
 * Demux-only scan: every video packet's timestamps, flags and exact data
 * offset. In MPEG-TS (`tsPacket` > 0) a packet's data is spread over transport
 * packets, and the demuxer only hands it out when the next one starts: its
 * offset is its first transport packet, and its size the span from there
 * through the transport packet that starts the next video packet (the end of
 * the object, `size`, for the last).
 */
async function scanPackets(
  av: LibAV,
  fmt: number,
  stream: number,
  recent: RecentBytes,
  key: string,
  size: number,
  tsPacket: number,
): Promise<{ packets: PacketTable; dataSizes?: Uint32Array }> {
  const rows: number[][] = [];
  const pkt = await av.av_packet_alloc();
  try {
    for (;;) {
      const [res, byStream] = await av.ff_read_frame_multi(fmt, pkt, { limit: 1 << 20, copyoutPacket: "ptr" });
      await eachPacket(av, byStream, async (index, p) => {
        if (index === stream) rows.push(await packetRow(av, p, tsPacket ? undefined : recent, key));
      });
      if (res === AVERROR_EOF) break;
      if (res < 0 && res !== AVERROR_EAGAIN) {
        throw new CorruptMediaError(`demuxing ${JSON.stringify(key)} failed: ${await av.ff_error(res)}`);
      }
    }
  } finally {
    await av.av_packet_free_js(pkt);
  }
  const dataSizes = tsPacket ? Uint32Array.from(rows, (row) => row[1]) : undefined;
  if (tsPacket) {
    rows.forEach((row, i) => {
      const next = i + 1 < rows.length ? rows[i + 1][0] : size;
      if (row[0] < 0 || next < row[0]) {
        throw new CorruptMediaError(`the MPEG-TS packets of ${JSON.stringify(key)} are not in file order`);
      }
      if (next === row[0]) {
        throw new UnsupportedMediaError(
          `several video packets of ${
            JSON.stringify(key)
          } start in one transport packet; such streams are not supported`,
        );
      }
      row[1] = Math.min(size, i + 1 < rows.length ? next + tsPacket : size) - row[0];
    });
  }
  const table = newTable(rows.length);
  rows.forEach(([offset, size, pts, dts, flags], i) => {
    table.offset[i] = offset;
    table.size[i] = size;
    table.pts[i] = pts;
    table.dts[i] = dts;
    table.flags[i] = flags;
  });
  return { packets: table, dataSizes };
}

/** A packet's table row; without `recent` (MPEG-TS) its offset is the demuxer's position, unverified. */
async function packetRow(av: LibAV, p: number, recent: RecentBytes | undefined, key: string): Promise<number[]> {
  const size = await av.AVPacket_size(p);
  const pos = int64(await av.AVPacket_pos(p), await av.AVPacket_poshi(p));
  const pts = int64(await av.AVPacket_pts(p), await av.AVPacket_ptshi(p));
  const dts = int64(await av.AVPacket_dts(p), await av.AVPacket_dtshi(p));
  const flags = await av.AVPacket_flags(p);
  const row = (offset: number) => {
    const noPts = pts === AV_NOPTS;
    return [
      offset,
      size,
      noPts ? NaN : pts,
      dts === AV_NOPTS ? (noPts ? NaN : pts) : dts,
      flags & (FLAG_KEY | FLAG_DISCARD),
    ];
  };
  if (!recent) return row(pos);
  const data = await av.copyout_u8(await av.AVPacket_data(p), size);
  // The demuxer reports where the packet's block starts; its data follows a small
  // header. Find it, and refuse files whose packets are not stored as-is
  // (laced or compressed blocks) rather than guess.
  let offset = -1;
  for (let d = 0; d <= MAX_HEADER_BYTES && pos >= 0; d++) {
    const raw = recent.get(pos + d, size);
    if (raw && equal(raw, data)) {
      offset = pos + d;
      break;
    }
  }
  if (offset < 0) {
    throw new UnsupportedMediaError(
      `packets of ${JSON.stringify(key)} are not stored contiguously (laced, compressed or encrypted blocks)`,
    );
  }
  return row(offset);
}

/** Most bytes of an MPEG-TS head (before the first video packet) kept for decoding. */
const TS_HEAD_MAX = 64 << 10;

/**
 * The transport packets of an MPEG-TS head: their size, 188, 192 (M2TS: a
 * timestamp before each) or 204 (with FEC bytes), and where the first whole
 * one starts, from five sync bytes in a row at that stride. Without such a
 * run: 204 from byte 0 (a span reaching a little further is harmless).
 */
function transportPackets(head: Uint8Array): { size: number; first: number } {
  for (const size of [188, 192, 204]) {
    // The sync byte leads a packet, except in M2TS, where a 4-byte timestamp comes first.
    const lead = size === 192 ? 4 : 0;
    for (let at = 0; at < size && at + 4 * size < head.byteLength; at++) {
      if ([0, 1, 2, 3, 4].every((k) => head[at + k * size] === 0x47)) {
        return { size, first: at >= lead ? at - lead : at - lead + size };
      }
    }
  }
  return { size: 204, first: 0 };
}

/** Whether `head` starts like a Matroska/WebM file (the EBML magic). */
function isMatroska(head: Uint8Array): boolean {
  return head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3;
}

/**
 * Demuxes the video packets of an MPEG-TS span: the head (PAT, PMT) and the
 * span form a small stream of their own, read from memory. Each packet must
 * come out whole (as many bytes as the scan saw), else the span did not hold
 * it and the frame would be damaged: that is an error, never a guess.
 */
async function demuxSpan(av: LibAV, span: TsSpan, packets: PacketIn[]): Promise<Uint8Array[]> {
  const name = `span-${spans++}.ts`;
  const file = new Uint8Array(span.head.byteLength + span.data.byteLength);
  file.set(span.head);
  file.set(span.data, span.head.byteLength);
  try {
    await av.writeFile(name, file);
  } catch (err) {
    throw new CorruptMediaError(`cannot stage an MPEG-TS span of ${file.byteLength} bytes: ${(err as Error).message}`);
  }
  const found = new Map<number, Uint8Array>();
  let fmt = 0, pkt = 0;
  try {
    takeLibAVMessage();
    fmt = await av.avformat_open_input_js(name, 0, 0);
    if (!fmt) throw new CorruptMediaError(`cannot demux an MPEG-TS span: ${takeLibAVMessage()}`);
    let video = -1;
    for (let i = 0, nb = await av.AVFormatContext_nb_streams(fmt); i < nb; i++) {
      const st = await av.AVFormatContext_streams_a(fmt, i);
      const type = await av.AVCodecParameters_codec_type(await av.AVStream_codecpar(st));
      if (video < 0 && type === AVMEDIA_TYPE_VIDEO) video = i;
      else await av.AVStream_discard_s(st, AVDISCARD_ALL);
    }
    pkt = await av.av_packet_alloc();
    for (;;) {
      const [res, byStream] = await av.ff_read_frame_multi(fmt, pkt, { limit: 1 << 20, copyoutPacket: "ptr" });
      await eachPacket(av, byStream, async (index, p) => {
        const pos = int64(await av.AVPacket_pos(p), await av.AVPacket_poshi(p));
        if (index !== video || pos < span.head.byteLength) return;
        found.set(
          pos - span.head.byteLength + span.offset,
          await av.copyout_u8(await av.AVPacket_data(p), await av.AVPacket_size(p)),
        );
      });
      if (res === AVERROR_EOF) break;
      if (res < 0 && res !== AVERROR_EAGAIN) {
        throw new CorruptMediaError(`demuxing an MPEG-TS span failed: ${await av.ff_error(res)}`);
      }
    }
  } finally {
    if (pkt) await av.av_packet_free_js(pkt);
    if (fmt) await av.avformat_close_input_js(fmt);
    await av.unlink(name).catch(() => {});
  }
  return packets.map(({ offset = -1, length }) => {
    const data = found.get(offset);
    if (!data) throw new CorruptMediaError(`no video packet starts at byte ${offset} of the MPEG-TS span`);
    if (data.byteLength !== length) {
      throw new CorruptMediaError(
        `the video packet at byte ${offset} came out of its MPEG-TS span with ${data.byteLength} bytes, ` +
          `not ${length}: the stream's packets do not end where the next one starts`,
      );
    }
    return data;
  });
}

/** Runs `f` on each packet `ff_read_frame_multi` returned, then frees them all (also when `f` throws). */
async function eachPacket(
  av: LibAV,
  byStream: Record<number, number[]>,
  f: (stream: number, packet: number) => Promise<void>,
): Promise<void> {
  const all = Object.entries(byStream).flatMap(([index, ptrs]) => ptrs.map((p) => [Number(index), p] as const));
  try {
    for (const [index, p] of all) await f(index, p);
  } finally {
    for (const [, p] of all) await av.av_packet_free_js(p);
  }
}

let spans = 0;

const AV_NOPTS = -9223372036854775808;

function int64(lo: number, hi: number): number {
  return hi * 4294967296 + (lo >>> 0);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function newTable(n: number): PacketTable {
  return {
    offset: new Float64Array(n),
    size: new Uint32Array(n),
    pts: new Float64Array(n),
    dts: new Float64Array(n),
    flags: new Uint8Array(n),
  };
}

function rebuildError(info: ErrorInfo): Error {
  const err = new Error(info.message);
  err.name = info.name;
  return Object.assign(err, { code: info.code });
}

// ---------------------------------------------------------------- decode

interface Decoder {
  ctx: number;
  pkt: number;
  frame: number;
  stream: string;
  /** Decode-order number of the next packet the session expects; -1 when no session is open. */
  next: number;
  /** Largest pts output in this session. */
  lastPts: number;
  /** Frames output past the last job's targets, by pts, kept for the next job. */
  ready: Map<number, number>;
  /** The session was drained: it can still hand out `ready` frames, but takes no more packets. */
  drained: boolean;
}

/** Packets fed to the decoder per call. */
const FEED_PACKETS = 8;
/** Frames a session keeps past its targets (each holds a decoded picture). */
const MAX_READY = 16;

/** Decoders kept open per stream; a few, so interleaved videos don't thrash. */
const decoders: Decoder[] = [];
const MAX_DECODERS = 4;
const scalers = new Map<string, number>();

async function decoderFor(av: LibAV, msg: DecodeJobMessage): Promise<Decoder | undefined> {
  const i = decoders.findIndex((d) => d.stream === msg.stream);
  if (i >= 0) {
    const [d] = decoders.splice(i, 1);
    decoders.push(d);
    return d;
  }
  if (!msg.reset) return undefined;
  let opened: number[];
  try {
    opened = await av.ff_init_decoder(msg.codecpar.codec_id, { codecpar: msg.codecpar, time_base: msg.timeBase });
  } catch (err) {
    throw new UnsupportedMediaError(
      `cannot open a decoder for codec id ${msg.codecpar.codec_id}: ${(err as Error).message}`,
    );
  }
  const [, ctx, pkt, frame] = opened;
  const d: Decoder = {
    ctx,
    pkt,
    frame,
    stream: msg.stream,
    next: -1,
    lastPts: -Infinity,
    ready: new Map(),
    drained: false,
  };
  decoders.push(d);
  if (decoders.length > MAX_DECODERS) {
    const old = decoders.shift()!;
    await dropReady(av, old);
    await av.ff_free_decoder(old.ctx, old.pkt, old.frame);
  }
  return d;
}

async function decode(av: LibAV, msg: DecodeJobMessage): Promise<DecodeResult> {
  const d = await decoderFor(av, msg);
  const lost = { frames: [], lost: true, open: false, drained: false, lastPts: -Infinity, ready: [], decoded: 0 };
  if (!d || (!msg.reset && (d.next !== msg.from || (d.drained && msg.packets.length > 0)))) return lost;
  if (msg.reset) {
    await dropReady(av, d);
    await av.avcodec_flush_buffers(d.ctx);
    d.lastPts = -Infinity;
    d.drained = false;
  }
  d.next = -1; // until this job succeeds
  const wanted = new Set(msg.targets);
  const keepAbove = Math.max(...msg.targets);
  const out: DecodedFrame[] = [];
  // Frames the last job decoded past its targets come first.
  const carried = [...d.ready.values()];
  d.ready.clear();
  const size: OutputSize = { width: msg.outWidth, height: msg.outHeight, turn: msg.turn };
  await collect(av, d, carried, wanted, out, keepAbove, size);
  const spanData = msg.span ? await demuxSpan(av, msg.span, msg.packets) : undefined;
  const packets = msg.packets.map((p, i) => {
    const pts = hiLo(p.pts), dts = hiLo(p.dts);
    return { data: spanData?.[i] ?? p.data, pts: pts[0], ptshi: pts[1], dts: dts[0], dtshi: dts[1], flags: p.flags };
  });
  // Feed a few packets at a time and convert what comes out at once, so a long
  // job never holds more than a handful of decoded pictures.
  let decoded = 0;
  for (let at = 0; at < packets.length; at += FEED_PACKETS) {
    const chunk = packets.slice(at, at + FEED_PACKETS);
    decoded += await collect(av, d, await feed(av, d, chunk, false), wanted, out, keepAbove, size);
  }
  if (wanted.size > 0) {
    if (d.drained) return lost;
    // The wanted frames are still in the reorder buffer: drain it. Frames past
    // the targets stay ready (the end of a file is read on without decoding its
    // last GOP again), but a drained decoder takes no packets until a reset.
    decoded += await collect(av, d, await feed(av, d, [], true), wanted, out, keepAbove, size);
    d.drained = true;
  }
  d.next = msg.from + msg.packets.length;
  const ready = [...d.ready.keys()];
  return {
    frames: out,
    lost: false,
    open: !d.drained || ready.length > 0,
    drained: d.drained,
    lastPts: d.lastPts,
    ready,
    decoded,
  };
}

async function dropReady(av: LibAV, d: Decoder): Promise<void> {
  for (const f of d.ready.values()) await av.av_frame_free_js(f);
  d.ready.clear();
}

async function feed(av: LibAV, d: Decoder, packets: Record<string, unknown>[], fin: boolean): Promise<number[]> {
  try {
    return await av.ff_decode_multi(d.ctx, d.pkt, d.frame, packets, { fin, copyoutFrame: "ptr" });
  } catch (err) {
    // The decoder may be in a bad state: drop it, and the frames it kept.
    decoders.splice(decoders.indexOf(d), 1);
    await dropReady(av, d).catch(() => {});
    await av.ff_free_decoder(d.ctx, d.pkt, d.frame).catch(() => {});
    throw new CorruptMediaError(`decoding failed: ${(err as Error).message}`);
  }
}

/**
 * Converts the wanted frames among `framePtrs` to RGB. Unwanted frames past
 * `keepAbove` are kept in the session for the next job (up to MAX_READY);
 * the rest are freed. Returns how many frames there were.
 */
async function collect(
  av: LibAV,
  d: Decoder,
  framePtrs: number[],
  wanted: Set<number>,
  out: DecodedFrame[],
  keepAbove: number,
  size: OutputSize,
): Promise<number> {
  const free: number[] = [];
  try {
    for (const f of framePtrs) {
      const pts = int64(await av.AVFrame_pts(f), await av.AVFrame_ptshi(f));
      d.lastPts = Math.max(d.lastPts, pts);
      if (!wanted.has(pts)) {
        if (pts > keepAbove && d.ready.size < MAX_READY && !d.ready.has(pts)) d.ready.set(pts, f);
        else free.push(f);
        continue;
      }
      free.push(f);
      if ((await av.AVFrame_flags(f)) & AV_FRAME_FLAG_CORRUPT) {
        throw new CorruptMediaError(`the decoder marked the frame at pts ${pts} as corrupt`);
      }
      out.push({ pts, ...(await toRGB(av, f, size)) });
      wanted.delete(pts);
    }
  } catch (err) {
    for (const f of framePtrs) if (!free.includes(f) && ![...d.ready.values()].includes(f)) free.push(f);
    throw err;
  } finally {
    for (const f of free) await av.av_frame_free_js(f);
  }
  return framePtrs.length;
}

/** Scaled size (0 × 0: as decoded), then a turn. */
interface OutputSize {
  width: number;
  height: number;
  turn: Turn;
}

/** Converts a decoded frame to packed RGB24, scaled and turned as `size` says. */
async function toRGB(av: LibAV, src: number, size: OutputSize): Promise<Omit<DecodedFrame, "pts">> {
  const srcWidth = await av.AVFrame_width(src);
  const srcHeight = await av.AVFrame_height(src);
  const format = await av.AVFrame_format(src);
  const [width, height] = size.width > 0 ? [size.width, size.height] : [srcWidth, srcHeight];
  const key = `${srcWidth}x${srcHeight}:${format}>${width}x${height}`;
  let sws = scalers.get(key);
  if (sws === undefined) {
    sws = await av.sws_getContext(srcWidth, srcHeight, format, width, height, AV_PIX_FMT_RGB24, SWS_BICUBIC, 0, 0, 0);
    if (!sws) throw new UnsupportedMediaError(`cannot convert pixel format ${format} to RGB`);
    scalers.set(key, sws);
  }
  const dst = await av.av_frame_alloc();
  try {
    await av.AVFrame_width_s(dst, width);
    await av.AVFrame_height_s(dst, height);
    await av.AVFrame_format_s(dst, AV_PIX_FMT_RGB24);
    const ret = await av.sws_scale_frame(sws, dst, src);
    if (ret < 0) throw new CorruptMediaError(`pixel conversion failed (${ret})`);
    const packed = await av.ff_copyout_frame_video_packed(dst);
    const data = packed.data as Uint8Array<ArrayBuffer>;
    if (data.byteLength !== width * height * 3) {
      throw new CorruptMediaError(`unexpected RGB frame size ${data.byteLength} for ${width}x${height}`);
    }
    return { ...turnRGB(data, width, height, size.turn), format };
  } finally {
    await av.av_frame_free_js(dst);
  }
}

function hiLo(n: number): [number, number] {
  const hi = Math.floor(n / 4294967296);
  return [n - hi * 4294967296, hi];
}
