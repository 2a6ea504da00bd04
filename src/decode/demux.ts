/**
 * Worker side: demuxing. {@link probeObject} opens an object with FFmpeg's
 * demuxer through a block-reader device whose bytes come from the main thread,
 * picks the video stream and indexes it (the container's sample table, or a
 * demux-only scan of every packet); {@link demuxSpan} gets packets out of a
 * byte span for containers that do not store packets whole.
 *
 * @module
 */

import {
  CorruptMediaError,
  DecoderError,
  fromWire,
  type SeekframeError,
  UnsupportedMediaError,
  type WireError,
} from "../errors.ts";
import { newTable, type ScannedPacket } from "../container/container.ts";
import { CONTAINER_LABELS, detectContainer } from "../container/registry.ts";
import { type PacketCheck, packetCheck, type PacketClassifier, packetClassifier } from "../codec/disposable.ts";
import { markDemuxDamage } from "../index/damage.ts";
import {
  classifiedFlags,
  FLAG_CHECKED,
  FLAG_DAMAGED,
  FLAG_DISCARD,
  FLAG_KEY,
  type PacketTable,
  type ProbeResult,
} from "../index/model.ts";
import {
  AV_NOPTS_VALUE,
  AV_PKT_DATA_DISPLAYMATRIX,
  AV_PKT_FLAG_CORRUPT,
  AV_PKT_FLAG_DISCARD,
  AV_PKT_FLAG_KEY,
  AVDISCARD_ALL,
  AVERROR_EAGAIN,
  AVERROR_EOF,
  AVINDEX_DISCARD_FRAME,
  AVINDEX_KEYFRAME,
  AVMEDIA_TYPE_VIDEO,
  EIO,
  int64,
} from "./ffmpeg.ts";
import { type LibAV, takeLibAVMessage } from "./libav.ts";
import type { DecodeInput, ProbeJobMessage, ReadReplyMessage } from "./protocol.ts";
import { displayRotation, type Rotation } from "./rotate.ts";

/** Asks the main thread for bytes of the object being probed. */
export type BlockRead = (pos: number, length: number) => Promise<ReadReplyMessage>;

/** How far back from a scanned packet's reported position its data may start (block headers). */
const MAX_HEADER_BYTES = 32;
/** Bytes of the object's head kept for container detection and span layouts. */
const HEAD_BYTES = 64 << 10;
/** Fields per index entry in `seekframe_index_read`'s output. */
const INDEX_FIELDS = 5;
/** Index entry flags from an MP4 `sdtp` box: it tells whether later samples need this one, and none does. */
const INDEX_SDTP_KNOWN = 16, INDEX_SDTP_DISPOSABLE = 8;
/**
 * Codecs whose `sdtp` "no sample depends on this one" counts as disposable: one
 * picture per sample (x265's, through FFmpeg's muxer, checked end to end). Not
 * AV1: a sample holds several frames, and SVT-AV1's marks ones that carry hidden
 * reference frames. Elsewhere only "depended on" is taken (as needed).
 */
const SDTP_DISPOSABLE_CODECS = new Set(["h264", "hevc"]);

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

/** Indexes the object a probe job names, reading its bytes through `read`. */
export async function probeObject(av: LibAV, msg: ProbeJobMessage, read: BlockRead): Promise<ProbeResult> {
  const name = `object-${msg.id}`;
  const key = JSON.stringify(msg.key);
  const recent = new RecentBytes(16 << 20);
  let readError: WireError | undefined;
  let closed = false;
  av.onblockread = (_file: string, pos: number, length: number) => {
    read(pos, length).then((r) => {
      // A reply after the probe ended has no device to go to (see closeBlockReader).
      if (closed) return;
      if (r.error || !r.data) {
        readError = r.error;
        // Report an I/O error to FFmpeg instead of throwing inside the callback.
        return av.ff_block_reader_dev_send(name, pos, null, { errorCode: EIO });
      }
      recent.add(r.pos, r.data);
      return av.ff_block_reader_dev_send(name, r.pos, r.data);
    });
  };
  /** The read error, if one caused the demuxer's failure: it explains it better. */
  const failure = (err: SeekframeError) => readError ? fromWire(readError) : err;
  await av.mkblockreaderdev(name, msg.size);
  takeLibAVMessage();
  let fmt = 0;
  // What the demuxer finds damaged while it opens and scans (MPEG-TS transport damage), by file position.
  await av.seekframe_demux_watch(0);
  let watching = true;
  try {
    try {
      fmt = await av.avformat_open_input_js(name, 0, 0);
    } catch (err) {
      fmt = 0;
      throw failure(notAContainer(key, (err as Error).message));
    }
    if (!fmt) throw failure(notAContainer(key, takeLibAVMessage()));
    const { index, stream } = await pickVideoStream(av, fmt);
    if (index < 0) throw new UnsupportedMediaError(`${key} has no video stream`);
    let codecpar = await av.ff_copyout_codecpar(await av.AVStream_codecpar(stream));
    if (!codecpar.width || !codecpar.height) {
      // Some streams (e.g. MPEG-4 part 2 in MP4) carry their size only in the
      // bitstream: let FFmpeg read the first packets to learn it.
      await av.avformat_find_stream_info(fmt, 0);
      codecpar = await av.ff_copyout_codecpar(await av.AVStream_codecpar(stream));
    }
    const codec = await codecName(av, codecpar.codec_id, key);
    const timeBase: [number, number] = [
      await av.AVStream_time_base_num(stream),
      await av.AVStream_time_base_den(stream),
    ];
    // The demuxer has read the head by now; keep it while the scan moves on.
    const head = recent.prefix(HEAD_BYTES);
    const container = detectContainer(head);
    if (!container) throw new UnsupportedMediaError(notAContainer(key, "").message);
    const fragmented = (await av.seekframe_mov_is_fragmented(fmt)) === 1;
    const indexSource = msg.scan ? "packet-scan" : container.indexSource({ fragmented });
    let packets: PacketTable;
    let spans: ProbeResult["spans"];
    if (indexSource === "sample-table") {
      packets = await readSampleTable(av, fmt, index, SDTP_DISPOSABLE_CODECS.has(codec));
    } else {
      const extradata = codecpar.extradata as Uint8Array | undefined;
      const classify = packetClassifier(codec, extradata);
      const check = packetCheck(codec, extradata);
      const scanned = await scanPackets(
        av,
        fmt,
        index,
        container.storedWhole ? recent : undefined,
        key,
        classify,
        check,
      );
      ({ packets, spans } = container.tableFromScan(scanned, head, msg.size, msg.key));
      watching = false;
      markDemuxDamage(packets, await demuxDamage(av));
    }
    if (readError) throw fromWire(readError);
    return {
      container: container.name,
      indexSource,
      codec,
      codecpar,
      width: Number(codecpar.width ?? 0),
      height: Number(codecpar.height ?? 0),
      pixelFormat: await pixelFormatName(av, Number(codecpar.format ?? -1)),
      rotation: rotationOf(codecpar),
      timeBase,
      frameRate: await streamFrameRate(av, fmt, index),
      packets,
      spans,
    };
  } finally {
    if (watching) await demuxDamage(av);
    if (fmt) await av.avformat_close_input_js(fmt);
    av.onblockread = undefined;
    closed = true;
    await closeBlockReader(av, name);
  }
}

/**
 * Removes a block-reader device. libav.js's `unlink` removes only the file:
 * the device's last buffer (what the main thread sent last, up to 4 MiB) stays
 * in `blockReadBuffers` for good, once per probe.
 */
async function closeBlockReader(av: LibAV, name: string): Promise<void> {
  await av.unlink(name).catch(() => {});
  if (av.blockReadBuffers) delete av.blockReadBuffers[name];
}

function notAContainer(key: string, why: string): UnsupportedMediaError {
  return new UnsupportedMediaError(
    `${key} is not a video container this build reads (${CONTAINER_LABELS})${why ? `: ${why}` : ""}`,
  );
}

/** The first video stream; every other stream is discarded so the demuxer skips its packets. */
async function pickVideoStream(av: LibAV, fmt: number): Promise<{ index: number; stream: number }> {
  let index = -1;
  let stream = 0;
  for (let i = 0, nb = await av.AVFormatContext_nb_streams(fmt); i < nb; i++) {
    const st = await av.AVFormatContext_streams_a(fmt, i);
    const type = await av.AVCodecParameters_codec_type(await av.AVStream_codecpar(st));
    if (type === AVMEDIA_TYPE_VIDEO && index < 0) {
      index = i;
      stream = st;
    } else {
      await av.AVStream_discard_s(st, AVDISCARD_ALL);
    }
  }
  return { index, stream };
}

/** FFmpeg's name of the codec, if this build decodes it; otherwise the error names the ones it does. */
async function codecName(av: LibAV, codecId: number, key: string): Promise<string> {
  const name = await av.avcodec_get_name(codecId);
  if (await av.avcodec_find_decoder(codecId)) return name;
  throw new UnsupportedMediaError(
    `unsupported video codec ${name} (FFmpeg codec id ${codecId}) in ${key}; ` +
      `supported: ${(await videoDecoders(av)).join(", ")}`,
  );
}

/** Names of the video codecs this build decodes, from FFmpeg's codec descriptors. */
async function videoDecoders(av: LibAV): Promise<string[]> {
  const names: string[] = [];
  for (let d = await av.avcodec_descriptor_next(0); d; d = await av.avcodec_descriptor_next(d)) {
    // AVCodecDescriptor starts with `enum AVCodecID id; enum AVMediaType type;`.
    const [id, type] = await av.copyout_s32(d, 2);
    if (type === AVMEDIA_TYPE_VIDEO && await av.avcodec_find_decoder(id)) names.push(await av.avcodec_get_name(id));
  }
  return names;
}

/** FFmpeg's name of a pixel format, or null for none (`AV_PIX_FMT_NONE`). */
export async function pixelFormatName(av: LibAV, format: number): Promise<string | null> {
  if (format < 0) return null;
  const desc = await av.av_pix_fmt_desc_get(format);
  if (!desc) return null;
  // AVPixFmtDescriptor starts with `const char *name` (wasm32: a 4-byte pointer).
  const [ptr] = await av.copyout_s32(desc, 1);
  const bytes = await av.copyout_u8(ptr, 32);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}

/** The display rotation from the stream's side data (0 without a display matrix). */
function rotationOf(codecpar: Record<string, unknown>): Rotation {
  const side = (codecpar.coded_side_data as { type: number; data: Uint8Array }[] | null | undefined)
    ?.find((d) => d.type === AV_PKT_DATA_DISPLAYMATRIX);
  if (!side || side.data.byteLength < 36) return 0;
  return displayRotation(new Int32Array(side.data.slice(0, 36).buffer));
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

/** The sample table through the build's index accessors: no media data is read. */
async function readSampleTable(av: LibAV, fmt: number, stream: number, sdtpDisposable: boolean): Promise<PacketTable> {
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
      const sdtp = v[o + 4] & (INDEX_SDTP_KNOWN | INDEX_SDTP_DISPOSABLE);
      table.flags[i] = (v[o + 4] & AVINDEX_KEYFRAME ? FLAG_KEY : 0) |
        (v[o + 4] & AVINDEX_DISCARD_FRAME ? FLAG_DISCARD : 0) |
        // Known from the moov: such packets need not pass through to be judged.
        (sdtp === INDEX_SDTP_KNOWN ? classifiedFlags(false) : 0) |
        (sdtp === (INDEX_SDTP_KNOWN | INDEX_SDTP_DISPOSABLE) && sdtpDisposable ? classifiedFlags(true) : 0);
    }
  } finally {
    await av.free(ptr);
  }
  return table;
}

/**
 * The file positions where the watched demuxer found damage (and stops
 * watching); `[-1]` stands for more than it keeps.
 */
async function demuxDamage(av: LibAV): Promise<number[]> {
  const max = 1024;
  const out = await av.malloc(max * 8);
  try {
    const n = await av.seekframe_demux_damage(out, max);
    return n < 0 ? [-1] : n === 0 ? [] : Array.from(await av.copyout_f64(out, n));
  } finally {
    await av.free(out);
  }
}

/**
 * Demux-only scan: every video packet's timestamps, flags and offset. With
 * `recent` (containers that store packets whole), each offset is verified
 * against the bytes read; without, it is the demuxer's position.
 */
async function scanPackets(
  av: LibAV,
  fmt: number,
  stream: number,
  recent: RecentBytes | undefined,
  key: string,
  classify: PacketClassifier | undefined,
  check: PacketCheck,
): Promise<ScannedPacket[]> {
  const rows: ScannedPacket[] = [];
  // A packet is judged once the next one is known (VP8's verdict needs it); its framing is checked too.
  let previous: Uint8Array | undefined;
  const judge = (next?: Uint8Array) => {
    if (!previous) return;
    const row = rows[rows.length - 1];
    const damaged = check(previous, (row.flags & FLAG_KEY) !== 0) !== undefined;
    row.flags |= FLAG_CHECKED | (damaged ? FLAG_DAMAGED : 0) |
      (classify ? classifiedFlags(classify(previous, next)) : 0);
  };
  await readPackets(av, fmt, `demuxing ${key}`, async (index, p) => {
    if (index !== stream) return;
    const { row, data } = await scannedPacket(av, p, recent, key);
    judge(data);
    rows.push(row);
    previous = data;
  });
  judge();
  return rows;
}

/** Reads every packet of the open input, handing each to `f` before it is freed. */
async function readPackets(
  av: LibAV,
  fmt: number,
  what: string,
  f: (stream: number, packet: number) => Promise<void>,
): Promise<void> {
  const pkt = await av.av_packet_alloc();
  try {
    for (;;) {
      const [res, byStream] = await av.ff_read_frame_multi(fmt, pkt, { limit: 1 << 20, copyoutPacket: "ptr" });
      const all = Object.entries(byStream).flatMap(([i, ptrs]) => ptrs.map((p) => [Number(i), p] as const));
      try {
        for (const [i, p] of all) await f(i, p);
      } finally {
        for (const [, p] of all) await av.av_packet_free_js(p);
      }
      if (res === AVERROR_EOF) break;
      if (res < 0 && res !== AVERROR_EAGAIN) throw new CorruptMediaError(`${what} failed: ${await av.ff_error(res)}`);
    }
  } finally {
    await av.av_packet_free_js(pkt);
  }
}

/** A scanned packet; without `recent` its offset is the demuxer's position, unverified. */
async function scannedPacket(
  av: LibAV,
  p: number,
  recent: RecentBytes | undefined,
  key: string,
): Promise<{ row: ScannedPacket; data: Uint8Array }> {
  const size = await av.AVPacket_size(p);
  const pos = int64(await av.AVPacket_pos(p), await av.AVPacket_poshi(p));
  const rawPts = int64(await av.AVPacket_pts(p), await av.AVPacket_ptshi(p));
  const rawDts = int64(await av.AVPacket_dts(p), await av.AVPacket_dtshi(p));
  const avFlags = await av.AVPacket_flags(p);
  const pts = rawPts === AV_NOPTS_VALUE ? NaN : rawPts;
  const row = (offset: number): ScannedPacket => ({
    offset,
    size,
    pts,
    dts: rawDts === AV_NOPTS_VALUE ? pts : rawDts,
    // A packet the demuxer itself calls corrupt is damaged: ffmpeg assembles or decodes it otherwise.
    flags: (avFlags & AV_PKT_FLAG_KEY ? FLAG_KEY : 0) | (avFlags & AV_PKT_FLAG_DISCARD ? FLAG_DISCARD : 0) |
      (avFlags & AV_PKT_FLAG_CORRUPT ? FLAG_DAMAGED : 0),
  });
  const data = await av.copyout_u8(await av.AVPacket_data(p), size);
  if (!recent) return { row: row(pos), data };
  // The demuxer reports where the packet's block starts; its data follows a small
  // header. Find it, and refuse files whose packets are not stored as-is
  // (laced or compressed blocks) rather than guess.
  for (let d = 0; d <= MAX_HEADER_BYTES && pos >= 0; d++) {
    const raw = recent.get(pos + d, size);
    if (raw && equal(raw, data)) return { row: row(pos + d), data };
  }
  throw new UnsupportedMediaError(
    `packets of ${key} are not stored contiguously (laced, compressed or encrypted blocks)`,
  );
}

let spans = 0;

/**
 * Demuxes the video packets of a span: the head (PAT, PMT) and the span form
 * a small stream of their own, read from memory. Each packet must come out
 * whole (as many bytes as the scan saw), else the span did not hold it and
 * the frame would be damaged: that is an error, never a guess.
 */
export async function demuxSpan(av: LibAV, input: Extract<DecodeInput, { kind: "span" }>): Promise<Uint8Array[]> {
  const name = `span-${spans++}`;
  const file = new Uint8Array(input.head.byteLength + input.data.byteLength);
  file.set(input.head);
  file.set(input.data, input.head.byteLength);
  try {
    await av.writeFile(name, file);
  } catch (err) {
    throw new DecoderError(`cannot stage a span of ${file.byteLength} bytes: ${(err as Error).message}`);
  }
  const found = new Map<number, Uint8Array>();
  let fmt = 0;
  try {
    takeLibAVMessage();
    fmt = await av.avformat_open_input_js(name, 0, 0);
    if (!fmt) throw new CorruptMediaError(`cannot demux a span: ${takeLibAVMessage()}`);
    const { index: video } = await pickVideoStream(av, fmt);
    await readPackets(av, fmt, "demuxing a span", async (index, p) => {
      const pos = int64(await av.AVPacket_pos(p), await av.AVPacket_poshi(p));
      if (index !== video || pos < input.head.byteLength) return;
      found.set(
        pos - input.head.byteLength + input.offset,
        await av.copyout_u8(await av.AVPacket_data(p), await av.AVPacket_size(p)),
      );
    });
  } finally {
    if (fmt) await av.avformat_close_input_js(fmt);
    await av.unlink(name).catch(() => {});
  }
  return input.packets.map(({ offset, length }) => {
    const data = found.get(offset);
    if (!data) throw new CorruptMediaError(`no video packet starts at byte ${offset} of the span`);
    if (data.byteLength !== length) {
      throw new CorruptMediaError(
        `the video packet at byte ${offset} came out of its span with ${data.byteLength} bytes, ` +
          `not ${length}: the stream's packets do not end where the next one starts`,
      );
    }
    return data;
  });
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
