/**
 * Disposable packets: compressed video packets that no later picture depends
 * on, so a decoder on its way to a later frame may skip them.
 *
 * A packet is disposable only if feeding it changes no decoder state that a
 * later packet reads: no reference buffer, no saved probabilities, no
 * parameter set, no persistent SEI, nothing the next frame inherits. The rules
 * follow the specifications and, where they leave room, FFmpeg's decoders
 * (the ones seekframe runs). A wrong "disposable" makes a wrong frame, so
 * every doubt answers `false` (needed) or `undefined` (cannot tell).
 *
 * - H.264: every slice has `nal_ref_idc` 0 (and no IDR, parameter set,
 *   end of sequence, unknown NAL or state-changing SEI); field pictures are
 *   not judged, as FFmpeg pairs fields across packets.
 * - HEVC: every VCL NAL is a sub-layer non-reference picture in the highest
 *   temporal sub-layer of the stream (lower-layer `_N` pictures may be
 *   referenced by higher sub-layers); FFmpeg keeps most SEI across pictures,
 *   so only SEI it forgets or ignores is allowed.
 * - MPEG-4 part 2: every VOP is a B-VOP, in a progressive stream whose
 *   `low_delay` the decoder cannot revise and that is not a DivX "packed
 *   B-frames" stream.
 * - VP8: an inter frame that refreshes and copies no buffer, keeps its
 *   probabilities, and changes no segment or loop-filter data; the segment
 *   map it leaves must be the one it inherited, or the next frame must not
 *   read it (hence the optional next packet).
 * - VP9: only `show_existing_frame` frames. Every decoded VP9 frame leaves its
 *   motion vectors, segmentation map and visibility for the next frame
 *   (`use_last_frame_mvs`), whatever its `refresh_frame_flags`.
 * - AV1: every frame in the temporal unit has `refresh_frame_flags` 0; AV1
 *   keeps all inter-frame state in the reference slots.
 *
 * @module
 */

/**
 * Classifies one packet of the stream it was made for.
 *
 * `packet` is one demuxed packet (MP4 sample, Matroska block, PES payload).
 * `next` is the packet that follows it in the stream in decode order, when
 * known, whether or not that one is skipped too (verdicts made this way hold
 * for any set of skipped packets); only VP8 uses it, as the next frame may
 * read this frame's segment map.
 *
 * Returns `true` when the packet is disposable, `false` when a later packet
 * may need it, `undefined` when the bytes do not allow a verdict (malformed,
 * truncated, unknown syntax). Never throws.
 */
export type PacketClassifier = (packet: Uint8Array, next?: Uint8Array) => boolean | undefined;

/**
 * A classifier for the video stream of `codec` (a name as FFmpeg's
 * `avcodec_get_name` gives it: `"h264"`, `"hevc"`, `"mpeg4"`, `"vp8"`,
 * `"vp9"`, `"av1"`) with its codec extradata (avcC, hvcC, av1C, the MPEG-4
 * VOL headers, or Annex B parameter sets); `undefined` for other codecs.
 *
 * Extradata decides the framing of H.264/HEVC packets as FFmpeg does: avcC
 * (`extradata[0] === 1`) or hvcC means length-prefixed NAL units, anything
 * else Annex B start codes. Parameter sets (H.264 SPS/PPS, HEVC VPS/SPS, the
 * MPEG-4 VOL, the AV1 sequence header) are taken from extradata only, so a
 * verdict never depends on other packets; a stream whose in-band parameter
 * sets later differ from its extradata (a spliced MPEG-TS, say) needs a new
 * classifier from the new ones.
 *
 * @example
 * ```ts
 * const vp9 = packetClassifier("vp9")!;
 * vp9(new Uint8Array([0x88])); // true: show_existing_frame of slot 0 changes no state
 * vp9(new Uint8Array([0x82, 0x49, 0x83, 0x42, 0x00])); // false: a key frame
 * packetClassifier("mjpeg"); // undefined: not supported
 * ```
 */
export function packetClassifier(codec: string, extradata?: Uint8Array): PacketClassifier | undefined {
  let inner: (packet: Uint8Array, next?: Uint8Array) => boolean | undefined;
  try {
    switch (codec) {
      case "h264":
        inner = h264Classifier(extradata);
        break;
      case "hevc":
        inner = hevcClassifier(extradata);
        break;
      case "mpeg4":
        inner = mpeg4Classifier(extradata);
        break;
      case "vp8":
        inner = vp8Classify;
        break;
      case "vp9":
        inner = vp9Classify;
        break;
      case "av1":
        inner = av1Classifier(extradata);
        break;
      default:
        return undefined;
    }
  } catch {
    // Unreadable extradata: the codec is supported, the stream cannot be judged.
    inner = () => undefined;
  }
  return (packet, next) => {
    try {
      return inner(packet, next);
    } catch {
      return undefined;
    }
  };
}

// ---------------------------------------------------------------------------
// Bit reading

/** Thrown when a syntax element runs past the data; becomes `undefined`. */
class Truncated extends Error {}

/** MSB-first bit reader. */
class Bits {
  #data: Uint8Array;
  #pos: number;
  #end: number;

  constructor(data: Uint8Array, byteOffset = 0) {
    this.#data = data;
    this.#pos = byteOffset * 8;
    this.#end = data.length * 8;
  }

  /** Bits not read yet. */
  get left(): number {
    return this.#end - this.#pos;
  }

  /** Unsigned `n`-bit value, 0 <= n <= 32. */
  u(n: number): number {
    if (n > this.left) throw new Truncated();
    let v = 0;
    for (let i = 0; i < n; i++) {
      const p = this.#pos++;
      v = v * 2 + ((this.#data[p >> 3] >> (7 - (p & 7))) & 1);
    }
    return v;
  }

  flag(): boolean {
    return this.u(1) === 1;
  }

  /** Exp-Golomb ue(v), up to 32 bits of value. */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) {
      if (++zeros > 31) throw new Truncated();
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** Exp-Golomb se(v). */
  se(): number {
    const k = this.ue();
    return k & 1 ? (k + 1) / 2 : -k / 2;
  }

  /** AV1 uvlc(). */
  uvlc(): number {
    let zeros = 0;
    while (this.u(1) === 0) zeros++;
    if (zeros >= 32) return 2 ** 32 - 1;
    return this.u(zeros) + 2 ** zeros - 1;
  }
}

/**
 * The RBSP of `nal` from byte `start` (emulation-prevention bytes removed),
 * at most `max` output bytes: headers need only their first bytes.
 */
function rbsp(nal: Uint8Array, start: number, max = Infinity): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (let i = start; i < nal.length && out.length < max; i++) {
    const b = nal[i];
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out.push(b);
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------
// NAL unit framing (H.264, HEVC)

/** Length-prefixed NAL units; undefined when a length overruns the packet. */
function splitLengthPrefixed(p: Uint8Array, size: number): Uint8Array[] | undefined {
  const nals: Uint8Array[] = [];
  let i = 0;
  while (i < p.length) {
    if (p.length - i < size) return p.subarray(i).every((b) => b === 0) ? nals : undefined;
    let n = 0;
    for (let k = 0; k < size; k++) n = n * 256 + p[i + k];
    i += size;
    if (n > p.length - i) return undefined;
    nals.push(p.subarray(i, i + n));
    i += n;
  }
  return nals;
}

/** Annex B NAL units; undefined without a start code or with junk before the first. */
function splitAnnexB(p: Uint8Array): Uint8Array[] | undefined {
  const starts: number[] = []; // first byte after each 00 00 01
  for (let i = 2; i < p.length; i++) {
    if (p[i] === 1 && p[i - 1] === 0 && p[i - 2] === 0) starts.push(i + 1);
  }
  if (starts.length === 0) return undefined;
  for (let i = 0; i < starts[0] - 3; i++) if (p[i] !== 0) return undefined;
  const nals: Uint8Array[] = [];
  for (let k = 0; k < starts.length; k++) {
    let end = k + 1 < starts.length ? starts[k + 1] - 3 : p.length;
    // Zeros before a start code belong to it (4-byte start codes, trailing_zero_8bits).
    while (end > starts[k] && p[end - 1] === 0) end--;
    nals.push(p.subarray(starts[k], end));
  }
  return nals;
}

/** NAL units of a packet in the framing the extradata announced (0 = Annex B). */
function splitNals(p: Uint8Array, lengthSize: number): Uint8Array[] | undefined {
  return lengthSize ? splitLengthPrefixed(p, lengthSize) : splitAnnexB(p);
}

/** SEI messages `{ type, payload }` of an SEI RBSP from byte `start`; undefined if malformed. */
function seiMessages(data: Uint8Array, start: number): { type: number; payload: Uint8Array }[] | undefined {
  const out: { type: number; payload: Uint8Array }[] = [];
  let i = start;
  // more_rbsp_data(): stop at the trailing 0x80 (and any zero bytes after it).
  const isTrailer = (at: number) => data[at] === 0x80 && data.subarray(at + 1).every((b) => b === 0);
  while (i < data.length && !isTrailer(i)) {
    let type = 0;
    while (i < data.length && data[i] === 0xff) type += data[i++];
    if (i >= data.length) return undefined;
    type += data[i++];
    let size = 0;
    while (i < data.length && data[i] === 0xff) size += data[i++];
    if (i >= data.length) return undefined;
    size += data[i++];
    if (size > data.length - i) return undefined;
    out.push({ type, payload: data.subarray(i, i + size) });
    i += size;
  }
  return out;
}

/** Whether bytes `at..` of `data` spell `text` (ASCII). */
function startsWithText(data: Uint8Array, at: number, text: string): boolean {
  if (data.length - at < text.length) return false;
  for (let i = 0; i < text.length; i++) if (data[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

// ---------------------------------------------------------------------------
// H.264

interface H264Sps {
  separateColourPlane: boolean;
  log2MaxFrameNum: number;
  frameMbsOnly: boolean;
}

interface H264Params {
  lengthSize: number;
  sps: Map<number, H264Sps>;
  /** pps_id -> sps_id */
  pps: Map<number, number>;
}

const H264_HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/**
 * Reads an SPS's fields between `sps_id` and `log2_max_frame_num` (present
 * in the high profiles: chroma format, bit depths, scaling lists); returns
 * whether the colour planes are coded separately.
 */
function readH264ChromaFormat(b: Bits, profile: number): boolean {
  if (!H264_HIGH_PROFILES.has(profile)) return false;
  const chroma = b.ue();
  const separateColourPlane = chroma === 3 && b.flag();
  b.ue(); // bit_depth_luma_minus8
  b.ue(); // bit_depth_chroma_minus8
  b.u(1); // qpprime_y_zero_transform_bypass_flag
  if (b.flag()) { // seq_scaling_matrix_present_flag
    for (let i = 0; i < (chroma === 3 ? 12 : 8); i++) {
      if (!b.flag()) continue;
      let last = 8, next = 8;
      for (let j = 0; j < (i < 6 ? 16 : 64); j++) {
        if (next !== 0) next = (last + b.se() + 256) % 256;
        last = next === 0 ? last : next;
      }
    }
  }
  return separateColourPlane;
}

/** Reads an SPS's picture order count fields; false when they are out of range. */
function readH264PicOrderCount(b: Bits): boolean {
  const pocType = b.ue();
  if (pocType === 0) b.ue();
  else if (pocType === 1) {
    b.u(1);
    b.se();
    b.se();
    const n = b.ue();
    if (n > 255) return false;
    for (let i = 0; i < n; i++) b.se();
  } else if (pocType !== 2) return false;
  return true;
}

function parseH264Sps(nal: Uint8Array, params: H264Params): void {
  const b = new Bits(rbsp(nal, 1, 4096));
  const profile = b.u(8);
  b.u(16); // constraint flags, level_idc
  const id = b.ue();
  if (id > 31) return;
  const separateColourPlane = readH264ChromaFormat(b, profile);
  const log2MaxFrameNum = b.ue() + 4;
  if (log2MaxFrameNum > 16) return;
  if (!readH264PicOrderCount(b)) return;
  b.ue(); // max_num_ref_frames
  b.u(1); // gaps_in_frame_num_value_allowed_flag
  b.ue(); // pic_width_in_mbs_minus1
  b.ue(); // pic_height_in_map_units_minus1
  params.sps.set(id, { separateColourPlane, log2MaxFrameNum, frameMbsOnly: b.flag() });
}

/**
 * What makes Debian's FFmpeg 5.1 refuse an H.264 SPS that later FFmpeg
 * accepts (its decoder then decodes nothing after it): an `sps_id` over 31,
 * or a reserved `aspect_ratio_idc` ("illegal aspect ratio"; later versions
 * only warn). Undefined when it reads well or is too short to tell.
 */
function h264SpsDamage(nal: Uint8Array): string | undefined {
  const b = new Bits(rbsp(nal, 1, 4096));
  try {
    const profile = b.u(8);
    b.u(16);
    if (b.ue() > 31) return "an SPS with sps_id out of range";
    readH264ChromaFormat(b, profile);
    b.ue(); // log2_max_frame_num_minus4
    if (!readH264PicOrderCount(b)) return undefined;
    b.ue(); // max_num_ref_frames
    b.u(1);
    b.ue(); // pic_width_in_mbs_minus1
    b.ue(); // pic_height_in_map_units_minus1
    if (!b.flag()) b.u(1); // frame_mbs_only_flag, mb_adaptive_frame_field_flag
    b.u(1); // direct_8x8_inference_flag
    if (b.flag()) {
      for (let i = 0; i < 4; i++) b.ue(); // frame cropping
    }
    if (!b.flag()) return undefined; // vui_parameters_present_flag
    if (!b.flag()) return undefined; // aspect_ratio_info_present_flag
    const idc = b.u(8);
    if (idc > 16 && idc !== 255) return `an SPS with the reserved aspect_ratio_idc ${idc}`;
  } catch (e) {
    if (!(e instanceof Truncated)) throw e;
  }
  return undefined;
}

function parseH264Pps(nal: Uint8Array, params: H264Params): void {
  const b = new Bits(rbsp(nal, 1, 16));
  const id = b.ue();
  const spsId = b.ue();
  if (id <= 255 && spsId <= 31) params.pps.set(id, spsId);
}

/** NAL length size of H.264 extradata: from an avcC, or 0 (Annex B packets). */
function avccLengthSize(extradata?: Uint8Array): number {
  return extradata && extradata.length >= 7 && extradata[0] === 1 ? (extradata[4] & 3) + 1 : 0;
}

/**
 * The parameter sets of H.264 extradata: an avcC's SPS and PPS lists (16-bit
 * lengths; throws {@link Truncated} when one overruns it), or Annex B NAL units.
 */
function h264ConfigNals(extradata?: Uint8Array): Uint8Array[] {
  if (!extradata || extradata.length === 0) return [];
  if (avccLengthSize(extradata) === 0) return splitAnnexB(extradata) ?? [];
  const nals: Uint8Array[] = [];
  let i = 5;
  const list = (count: number) => {
    for (let k = 0; k < count; k++) {
      if (i + 2 > extradata.length) throw new Truncated();
      const len = (extradata[i] << 8) | extradata[i + 1];
      if (i + 2 + len > extradata.length) throw new Truncated();
      nals.push(extradata.subarray(i + 2, i + 2 + len));
      i += 2 + len;
    }
  };
  list(extradata[i++] & 0x1f);
  if (i < extradata.length) list(extradata[i++]);
  return nals;
}

function h264Params(extradata?: Uint8Array): H264Params {
  const params: H264Params = { lengthSize: avccLengthSize(extradata), sps: new Map(), pps: new Map() };
  for (const nal of h264ConfigNals(extradata)) {
    if (nal.length < 2) continue;
    try {
      if ((nal[0] & 31) === 7) parseH264Sps(nal, params);
      else if ((nal[0] & 31) === 8) parseH264Pps(nal, params);
    } catch (e) {
      if (!(e instanceof Truncated)) throw e;
    }
  }
  return params;
}

/** SEI payload types FFmpeg's H.264 decoder forgets at the next packet (or ignores). */
const H264_SEI_TRANSIENT = new Set([
  0, // buffering period
  1, // picture timing
  2, // pan-scan rectangle (ignored)
  3, // filler payload
  4, // registered user data (T.35: captions, AFD, HDR metadata, film grain)
  5, // unregistered user data (but see x264's version string below)
  19, // film grain characteristics
  45, // frame packing arrangement
  47, // display orientation
  56, // green metadata (debug output only)
  137, // mastering display colour volume
  144, // content light level
  148, // ambient viewing environment
]);
// Not transient: recovery point (6) drives FFmpeg's recovery logic;
// alternative transfer characteristics (147) persists; unknown types are assumed to persist.

/** true: the SEI NAL changes no state a later packet sees; false: it may; undefined: malformed. */
function h264SeiTransient(nal: Uint8Array): boolean | undefined {
  const messages = seiMessages(rbsp(nal, 1), 0);
  if (!messages) return undefined;
  for (const { type, payload } of messages) {
    if (!H264_SEI_TRANSIENT.has(type)) return false;
    // FFmpeg keeps the x264 build from "x264 - core N" for its bug workarounds.
    if (type === 5 && startsWithText(payload, 16, "x264")) return false;
  }
  return true;
}

/** Whether a non-reference slice is a field picture; undefined when its parameter sets are unknown. */
function h264SliceIsField(nal: Uint8Array, params: H264Params): boolean | undefined {
  const b = new Bits(rbsp(nal, 1, 32));
  b.ue(); // first_mb_in_slice
  if (b.ue() > 9) return undefined; // slice_type
  const spsId = params.pps.get(b.ue());
  const sps = spsId === undefined ? undefined : params.sps.get(spsId);
  if (!sps) return undefined;
  if (sps.frameMbsOnly) return false;
  if (sps.separateColourPlane) b.u(2);
  b.u(sps.log2MaxFrameNum); // frame_num
  return b.flag(); // field_pic_flag
}

function h264Classifier(extradata?: Uint8Array): PacketClassifier {
  const params = h264Params(extradata);
  return (packet) => {
    const nals = splitNals(packet, params.lengthSize);
    if (!nals) return undefined;
    let slices = 0;
    let unsure = false;
    for (const nal of nals) {
      if (nal.length === 0) continue;
      const ref = (nal[0] >> 5) & 3;
      const type = nal[0] & 31;
      if (nal[0] & 0x80) { // forbidden_zero_bit
        unsure = true;
        continue;
      }
      switch (type) {
        case 1: // non-IDR slice
          if (ref) return false;
          slices++;
          // A lone field may be half of a pair FFmpeg assembles across packets.
          if (h264SliceIsField(nal, params) !== false) unsure = true;
          break;
        case 5: // IDR
        case 7: // SPS
        case 8: // PPS
        case 10: // end of sequence
        case 11: // end of stream
        case 13: // SPS extension
        case 15: // subset SPS
          return false;
        case 6: {
          const transient = h264SeiTransient(nal);
          if (transient === false) return false;
          if (transient === undefined) unsure = true;
          break;
        }
        case 9: // access unit delimiter
        case 12: // filler
          break;
        default: // data partitions, SVC/MVC, auxiliary, reserved, unspecified
          if (ref) return false;
          unsure = true;
      }
    }
    if (unsure) return undefined;
    return slices > 0;
  };
}

// ---------------------------------------------------------------------------
// HEVC

interface HevcParams {
  lengthSize: number;
  /** Highest TemporalId the stream may use; undefined when unknown. */
  maxTid: number | undefined;
}

function hevcParams(extradata?: Uint8Array): HevcParams {
  let lengthSize = 0;
  let maxTid: number | undefined;
  let nals: Uint8Array[] = [];
  const raise = (tid: number) => {
    if (tid <= 6) maxTid = Math.max(maxTid ?? 0, tid);
  };
  // FFmpeg's test: anything not starting like a start code is hvcC (configurationVersion is 1, or 0 in old files).
  if (extradata && extradata.length > 3 && (extradata[0] || extradata[1] || extradata[2] > 1)) {
    if (extradata.length < 23) throw new Truncated();
    // hvcC: byte 21 = constantFrameRate(2) numTemporalLayers(3) temporalIdNested(1) lengthSizeMinusOne(2).
    lengthSize = (extradata[21] & 3) + 1;
    const layers = (extradata[21] >> 3) & 7;
    if (layers > 0) raise(layers - 1); // 0 = unknown
    let i = 23;
    for (let a = 0; a < extradata[22]; a++) {
      if (i + 3 > extradata.length) throw new Truncated();
      const n = (extradata[i + 1] << 8) | extradata[i + 2];
      i += 3;
      for (let k = 0; k < n; k++) {
        if (i + 2 > extradata.length) throw new Truncated();
        const len = (extradata[i] << 8) | extradata[i + 1];
        if (i + 2 + len > extradata.length) throw new Truncated();
        nals.push(extradata.subarray(i + 2, i + 2 + len));
        i += 2 + len;
      }
    }
  } else if (extradata && extradata.length) {
    nals = splitAnnexB(extradata) ?? [];
  }
  // The most conservative of all sources: the more sub-layers, the fewer disposable pictures.
  for (const nal of nals) {
    if (nal.length < 4 || (nal[0] & 0x80)) continue;
    const type = (nal[0] >> 1) & 63;
    const layer = ((nal[0] & 1) << 5) | (nal[1] >> 3);
    if (layer !== 0) continue;
    const head = rbsp(nal, 0, 4);
    if (head.length < 4) continue;
    if (type === 32) raise((head[3] >> 1) & 7); // vps_max_sub_layers_minus1
    else if (type === 33) raise((head[2] >> 1) & 7); // sps_max_sub_layers_minus1
  }
  return { lengthSize, maxTid };
}

/** Sub-layer non-reference VCL types: TRAIL_N, TSA_N, STSA_N, RADL_N, RASL_N, RSV_VCL_N10/12/14. */
const HEVC_SUBLAYER_NONREF = new Set([0, 2, 4, 6, 8, 10, 12, 14]);

/**
 * Prefix SEI FFmpeg's HEVC decoder ignores or that the next picture
 * necessarily replaces. FFmpeg keeps HEVC SEI across pictures, so e.g.
 * mastering display, film grain, display orientation, time code and recovery
 * point of a skipped picture would otherwise reach later ones.
 */
const HEVC_PREFIX_SEI_TRANSIENT = new Set([
  0, // buffering period (ignored)
  1, // picture timing: present in every access unit when it matters
  2, // pan-scan rectangle (ignored)
  3, // filler payload
  5, // unregistered user data: attached to the picture of this access unit
]);
/** Suffix SEI FFmpeg ignores or applies to this picture only. */
const HEVC_SUFFIX_SEI_TRANSIENT = new Set([3, 5, 132]); // filler, user data, decoded picture hash

/** ATSC A/53 captions (T.35 country 0xB5, provider 0x0031, "GA94", type 3): consumed by this picture. */
function isA53Captions(payload: Uint8Array): boolean {
  return payload.length >= 8 && payload[0] === 0xb5 && payload[1] === 0 && payload[2] === 0x31 &&
    startsWithText(payload, 3, "GA94") && payload[7] === 3;
}

function hevcSeiTransient(nal: Uint8Array, prefix: boolean): boolean | undefined {
  const messages = seiMessages(rbsp(nal, 2), 0);
  if (!messages) return undefined;
  for (const { type, payload } of messages) {
    const allowed = prefix ? HEVC_PREFIX_SEI_TRANSIENT : HEVC_SUFFIX_SEI_TRANSIENT;
    if (!allowed.has(type) && !(prefix && type === 4 && isA53Captions(payload))) return false;
  }
  return true;
}

function hevcClassifier(extradata?: Uint8Array): PacketClassifier {
  const { lengthSize, maxTid } = hevcParams(extradata);
  return (packet) => {
    const nals = splitNals(packet, lengthSize);
    if (!nals) return undefined;
    let pictures = 0;
    let unsure = false;
    for (const nal of nals) {
      if (nal.length === 0) continue;
      if (nal.length < 2 || (nal[0] & 0x80)) {
        unsure = true;
        continue;
      }
      const type = (nal[0] >> 1) & 63;
      const layer = ((nal[0] & 1) << 5) | (nal[1] >> 3);
      const tidPlus1 = nal[1] & 7;
      if (type <= 31) {
        if (!HEVC_SUBLAYER_NONREF.has(type)) return false;
        if (tidPlus1 === 0) {
          unsure = true;
          continue;
        }
        // TemporalId 6 is the highest there can be, known sub-layer count or not.
        const top = tidPlus1 - 1 === 6 || tidPlus1 - 1 === maxTid;
        if (!top) return false;
        if (layer !== 0) unsure = true; // multi-layer streams: not judged
        pictures++;
        continue;
      }
      switch (type) {
        case 35: // access unit delimiter
        case 38: // filler
          break;
        case 39: // prefix SEI
        case 40: { // suffix SEI
          const transient = hevcSeiTransient(nal, type === 39);
          if (transient === false) return false;
          if (transient === undefined) unsure = true;
          break;
        }
        case 32: // VPS
        case 33: // SPS
        case 34: // PPS
        case 36: // end of sequence
        case 37: // end of bitstream
        case 62: // Dolby Vision RPU (FFmpeg keeps RPU state)
        case 63: // Dolby Vision enhancement layer
          return false;
        default: // reserved, unspecified
          unsure = true;
      }
    }
    if (unsure) return undefined;
    return pictures > 0;
  };
}

// ---------------------------------------------------------------------------
// MPEG-4 part 2

/** Indices of the code bytes that follow each 00 00 01 (a prefix at the very end gives `p.length`). */
function startCodes(p: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 2; i < p.length; i++) {
    if (p[i] === 1 && p[i - 1] === 0 && p[i - 2] === 0) out.push(i + 1);
  }
  return out;
}

interface Mpeg4Vol {
  voType: number;
  volControlParameters: boolean;
  lowDelay: boolean;
  rectangular: boolean;
  interlaced: boolean;
}

function parseMpeg4Vol(p: Uint8Array, at: number): Mpeg4Vol {
  const b = new Bits(p, at);
  b.u(1); // random_accessible_vol
  const voType = b.u(8);
  let verid = 1;
  if (b.flag()) { // is_object_layer_identifier
    verid = b.u(4);
    b.u(3);
  }
  if (b.u(4) === 15) b.u(16); // aspect_ratio_info, extended PAR
  const volControlParameters = b.flag();
  let lowDelay = false;
  if (volControlParameters) {
    b.u(2); // chroma_format
    lowDelay = b.flag();
    if (b.flag()) { // vbv_parameters: bit rate, buffer size, occupancy, with markers
      for (const n of [15, 1, 15, 1, 15, 1, 3, 11, 1, 15, 1]) b.u(n);
    }
  }
  const shape = b.u(2);
  if (shape === 3 && verid !== 1) b.u(4);
  b.u(1); // marker
  const resolution = b.u(16);
  b.u(1); // marker
  if (b.flag()) { // fixed_vop_rate
    let bits = 1;
    while (2 ** bits < resolution) bits++;
    b.u(bits);
  }
  let interlaced = false;
  if (shape !== 2) {
    if (shape === 0) b.u(1 + 13 + 1 + 13 + 1); // markers, width, height
    interlaced = b.flag();
  }
  return { voType, volControlParameters, lowDelay, rectangular: shape === 0, interlaced };
}

/**
 * Whether the stream can have a B-VOP skipped. FFmpeg's MPEG-4 decoder lets
 * B-VOP headers change state in three cases: it clears a `low_delay` it
 * guessed (no vol_control_parameters, simple profiles) at the first B-VOP;
 * it fixes the field time base of interlaced B-VOPs from the first one; and
 * in DivX packed streams each packet's decode depends on the previous one.
 */
function mpeg4Skippable(extradata?: Uint8Array): boolean {
  if (!extradata) return false;
  let vol: Mpeg4Vol | undefined;
  const codes = startCodes(extradata);
  for (let k = 0; k < codes.length; k++) {
    const at = codes[k];
    if (at >= extradata.length) break;
    const code = extradata[at];
    if (code >= 0x20 && code <= 0x2f && !vol) vol = parseMpeg4Vol(extradata, at + 1);
    if (code === 0xb2 && startsWithText(extradata, at + 1, "DivX")) {
      const end = k + 1 < codes.length ? codes[k + 1] - 3 : extradata.length;
      if (extradata.subarray(at + 1, end).includes(0x70)) return false; // 'p': packed B-frames
    }
  }
  if (!vol || !vol.rectangular || vol.interlaced) return false;
  if (vol.voType === 14 || vol.voType === 15) return false; // studio profiles
  if (!vol.volControlParameters && (vol.voType === 0 || vol.voType === 1 || vol.voType === 17)) return false;
  return true;
}

function mpeg4Classifier(extradata?: Uint8Array): PacketClassifier {
  const skippable = mpeg4Skippable(extradata);
  return (packet) => {
    const codes = startCodes(packet);
    if (codes.length === 0) return undefined;
    for (let i = 0; i < codes[0] - 3; i++) if (packet[i] !== 0) return undefined;
    for (const at of codes) {
      // VOS, VO, VOL, GOV, user data, ...: they set decoder state.
      if (at >= packet.length || packet[at] !== 0xb6) return at >= packet.length ? undefined : false;
      if (at + 1 >= packet.length) return undefined;
      if (packet[at + 1] >> 6 !== 2) return false; // vop_coding_type: I, P or S(prite)
    }
    return skippable ? true : undefined;
  };
}

// ---------------------------------------------------------------------------
// VP8

/** RFC 6386 boolean decoder (section 7); reads zeros past the end, as decoders do. */
class BoolDecoder {
  #data: Uint8Array;
  #pos: number;
  #end: number;
  #value: number;
  #range = 255;
  #bitCount = 0;

  constructor(data: Uint8Array, start: number, end: number) {
    this.#data = data;
    this.#end = end;
    this.#pos = start;
    this.#value = (this.#byte() << 8) | this.#byte();
  }

  #byte(): number {
    return this.#pos < this.#end ? this.#data[this.#pos++] : 0;
  }

  bool(prob: number): number {
    const split = 1 + (((this.#range - 1) * prob) >> 8);
    const bigSplit = split << 8;
    let bit: number;
    if (this.#value >= bigSplit) {
      bit = 1;
      this.#range -= split;
      this.#value -= bigSplit;
    } else {
      bit = 0;
      this.#range = split;
    }
    while (this.#range < 128) {
      this.#value <<= 1;
      this.#range <<= 1;
      if (++this.#bitCount === 8) {
        this.#bitCount = 0;
        this.#value |= this.#byte();
      }
    }
    return bit;
  }

  /** L(n): n equiprobable bits, most significant first. */
  literal(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bool(128);
    return v;
  }

  /** An optional signed value: flag, then magnitude and sign when set. Returns whether it was present. */
  optionalSigned(bits: number): boolean {
    if (!this.bool(128)) return false;
    this.literal(bits + 1);
    return true;
  }
}

/** What a VP8 frame header does to the state later frames read. */
interface Vp8Header {
  key: boolean;
  segmentation: boolean;
  /** update_mb_segmentation_map */
  updateMap: boolean;
  /** update_segment_feature_data: overwrites every segment's quantizer and filter level. */
  updateData: boolean;
  /** Loop filter deltas (of 8) this frame sets. */
  deltaUpdates: number;
  /** Refreshes or copies into a reference buffer (key frames refresh all). */
  refreshes: boolean;
  /** refresh_entropy_probs: its probabilities persist. */
  keepsProbabilities: boolean;
}

/** The VP8 frame header up to refresh_last (RFC 6386 section 9); undefined when truncated or unknown. */
function vp8Header(p: Uint8Array): Vp8Header | undefined {
  if (p.length < 3) return undefined;
  const tag = p[0] | (p[1] << 8) | (p[2] << 16);
  const key = (tag & 1) === 0;
  if (((tag >> 1) & 7) > 3) return undefined; // version
  const size = tag >>> 5;
  const start = key ? 10 : 3;
  if (start + size > p.length) return undefined;
  if (key && !(p[3] === 0x9d && p[4] === 0x01 && p[5] === 0x2a)) return undefined;
  const d = new BoolDecoder(p, start, start + size);
  if (key) d.literal(2); // color_space, clamping_type
  const segmentation = d.bool(128) === 1;
  let updateMap = false, updateData = false;
  if (segmentation) {
    updateMap = d.bool(128) === 1;
    updateData = d.bool(128) === 1;
    if (updateData) {
      d.literal(1); // segment_feature_mode
      for (let i = 0; i < 4; i++) d.optionalSigned(7); // quantizer
      for (let i = 0; i < 4; i++) d.optionalSigned(6); // loop filter level
    }
    if (updateMap) { for (let i = 0; i < 3; i++) if (d.bool(128)) d.literal(8); // segment id probabilities
     }
  }
  d.literal(1 + 6 + 3); // filter_type, loop_filter_level, sharpness_level
  let deltaUpdates = 0;
  if (d.bool(128) && d.bool(128)) { // loop_filter_adj_enable, mode_ref_lf_delta_update
    for (let i = 0; i < 8; i++) if (d.optionalSigned(6)) deltaUpdates++;
  }
  d.literal(2); // log2_nbr_of_dct_partitions
  d.literal(7); // y_ac_qi
  for (let i = 0; i < 5; i++) d.optionalSigned(4); // quantizer deltas
  let refreshes = key;
  if (!key) {
    const golden = d.bool(128), alt = d.bool(128);
    const copyGolden = golden ? 0 : d.literal(2), copyAlt = alt ? 0 : d.literal(2);
    d.literal(2); // sign_bias_golden, sign_bias_alternate
    refreshes = golden === 1 || alt === 1 || copyGolden !== 0 || copyAlt !== 0;
  }
  const keepsProbabilities = d.bool(128) === 1;
  if (!key && d.bool(128)) refreshes = true; // refresh_last
  return { key, segmentation, updateMap, updateData, deltaUpdates, refreshes, keepsProbabilities };
}

function vp8Classify(packet: Uint8Array, next?: Uint8Array): boolean | undefined {
  const f = vp8Header(packet);
  if (!f) return undefined;
  if (f.key || f.refreshes || f.keepsProbabilities) return false;
  const g = next ? vp8Header(next) : undefined;
  // Segment data and loop filter deltas persist until overwritten: harmless if the next frame overwrites them all.
  if (f.segmentation && f.updateData && !(g?.segmentation && g.updateData)) return false;
  if (f.deltaUpdates > 0 && g?.deltaUpdates !== 8) return false;
  // FFmpeg gives each frame its own segment map: a copy of the previous one when
  // segmentation is on without an update, zeros when it is off, a new one on an
  // update. The next frame sees this frame's map only if it reads the previous one.
  if (f.segmentation && !f.updateMap) return true;
  return g !== undefined && !(g.segmentation && !g.updateMap);
}

// ---------------------------------------------------------------------------
// VP9

/** Frames of a VP9 packet: the superframe index's frames, or the packet itself; undefined if malformed. */
function vp9Frames(p: Uint8Array): Uint8Array[] | undefined {
  if (p.length === 0) return undefined;
  const marker = p[p.length - 1];
  if ((marker & 0xe0) !== 0xc0) return [p];
  const bytes = ((marker >> 3) & 3) + 1;
  const count = (marker & 7) + 1;
  const indexSize = 2 + bytes * count;
  if (p.length < indexSize || p[p.length - indexSize] !== marker) return [p];
  const frames: Uint8Array[] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    let size = 0;
    for (let j = bytes - 1; j >= 0; j--) size = size * 256 + p[p.length - indexSize + 1 + k * bytes + j];
    if (size === 0 || at + size > p.length - indexSize) return undefined;
    frames.push(p.subarray(at, at + size));
    at += size;
  }
  return frames;
}

function vp9Classify(packet: Uint8Array): boolean | undefined {
  const frames = vp9Frames(packet);
  if (!frames) return undefined;
  let unsure = false;
  for (const frame of frames) {
    const b = new Bits(frame);
    if (b.left < 8 || b.u(2) !== 2) { // frame_marker
      unsure = true;
      continue;
    }
    const profile = b.u(1) | (b.u(1) << 1);
    if (profile === 3 && b.u(1) !== 0) { // reserved_zero
      unsure = true;
      continue;
    }
    // Anything but show_existing_frame leaves motion vectors, segment map and
    // visibility that FFmpeg's next frame reads, whatever it refreshes.
    if (!b.flag()) return false;
  }
  return unsure ? undefined : true;
}

// ---------------------------------------------------------------------------
// AV1

interface Av1Sequence {
  reducedStillPictureHeader: boolean;
  decoderModelInfoPresent: boolean;
  equalPictureInterval: boolean;
  bufferRemovalTimeLength: number;
  framePresentationTimeLength: number;
  operatingPoints: { idc: number; decoderModelPresent: boolean }[];
  frameIdLength: number; // 0: frame_id_numbers_present_flag off
  forceScreenContentTools: number; // 2 = SELECT
  forceIntegerMv: number; // 2 = SELECT
  orderHintBits: number;
}

interface Obu {
  type: number;
  temporalId: number;
  spatialId: number;
  payload: Uint8Array;
}

/** Low-overhead OBUs of a temporal unit; undefined if malformed. */
function av1Obus(p: Uint8Array): Obu[] | undefined {
  const obus: Obu[] = [];
  let i = 0;
  while (i < p.length) {
    const h = p[i++];
    if (h & 0x80) return undefined; // obu_forbidden_bit
    const type = (h >> 3) & 15;
    let temporalId = 0, spatialId = 0;
    if (h & 4) {
      if (i >= p.length) return undefined;
      temporalId = p[i] >> 5;
      spatialId = (p[i] >> 3) & 3;
      i++;
    }
    let size = p.length - i;
    if (h & 2) { // obu_has_size_field: leb128
      size = 0;
      for (let k = 0;; k++) {
        if (k === 8 || i >= p.length) return undefined;
        const byte = p[i++];
        size += (byte & 0x7f) * 2 ** (7 * k);
        if (!(byte & 0x80)) break;
      }
      if (size > p.length - i) return undefined;
    }
    obus.push({ type, temporalId, spatialId, payload: p.subarray(i, i + size) });
    i += size;
  }
  return obus;
}

function parseAv1Sequence(payload: Uint8Array): Av1Sequence {
  const b = new Bits(payload);
  b.u(3); // seq_profile
  b.u(1); // still_picture
  const reducedStillPictureHeader = b.flag();
  let decoderModelInfoPresent = false;
  let equalPictureInterval = false;
  let bufferDelayLength = 0, bufferRemovalTimeLength = 0, framePresentationTimeLength = 0;
  const operatingPoints: Av1Sequence["operatingPoints"] = [];
  if (reducedStillPictureHeader) {
    b.u(5); // seq_level_idx[0]
    operatingPoints.push({ idc: 0, decoderModelPresent: false });
  } else {
    if (b.flag()) { // timing_info_present_flag
      b.u(32); // num_units_in_display_tick
      b.u(32); // time_scale
      equalPictureInterval = b.flag();
      if (equalPictureInterval) b.uvlc();
      decoderModelInfoPresent = b.flag();
      if (decoderModelInfoPresent) {
        bufferDelayLength = b.u(5) + 1;
        b.u(32); // num_units_in_decoding_tick
        bufferRemovalTimeLength = b.u(5) + 1;
        framePresentationTimeLength = b.u(5) + 1;
      }
    }
    const initialDisplayDelayPresent = b.flag();
    const count = b.u(5) + 1;
    for (let i = 0; i < count; i++) {
      const idc = b.u(12);
      if (b.u(5) > 7) b.u(1); // seq_level_idx, seq_tier
      let decoderModelPresent = false;
      if (decoderModelInfoPresent) {
        decoderModelPresent = b.flag();
        if (decoderModelPresent) {
          b.u(bufferDelayLength); // decoder_buffer_delay
          b.u(bufferDelayLength); // encoder_buffer_delay
          b.u(1); // low_delay_mode_flag
        }
      }
      if (initialDisplayDelayPresent && b.flag()) b.u(4);
      operatingPoints.push({ idc, decoderModelPresent });
    }
  }
  const widthBits = b.u(4) + 1;
  const heightBits = b.u(4) + 1;
  b.u(widthBits);
  b.u(heightBits);
  let frameIdLength = 0;
  if (!reducedStillPictureHeader && b.flag()) { // frame_id_numbers_present_flag
    const delta = b.u(4) + 2;
    frameIdLength = b.u(3) + 1 + delta;
  }
  b.u(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  let forceScreenContentTools = 2, forceIntegerMv = 2, orderHintBits = 0;
  if (!reducedStillPictureHeader) {
    b.u(4); // interintra, masked compound, warped motion, dual filter
    const orderHint = b.flag();
    if (orderHint) b.u(2); // jnt_comp, ref_frame_mvs
    forceScreenContentTools = b.flag() ? 2 : b.u(1);
    if (forceScreenContentTools > 0) forceIntegerMv = b.flag() ? 2 : b.u(1);
    if (orderHint) orderHintBits = b.u(3) + 1;
  }
  return {
    reducedStillPictureHeader,
    decoderModelInfoPresent,
    equalPictureInterval,
    bufferRemovalTimeLength,
    framePresentationTimeLength,
    operatingPoints,
    frameIdLength,
    forceScreenContentTools,
    forceIntegerMv,
    orderHintBits,
  };
}

/** refresh_frame_flags of a frame header, or undefined for frames that change the reference slots otherwise. */
function av1RefreshFlags(obu: Obu, seq: Av1Sequence): number | undefined {
  if (seq.reducedStillPictureHeader) return undefined; // key frames only
  const b = new Bits(obu.payload);
  // show_existing_frame may show a key frame, which refreshes every slot.
  if (b.flag()) return undefined;
  const frameType = b.u(2);
  if (frameType === 0 || frameType === 3) return undefined; // KEY_FRAME, SWITCH_FRAME
  const showFrame = b.flag();
  if (showFrame && seq.decoderModelInfoPresent && !seq.equalPictureInterval) {
    b.u(seq.framePresentationTimeLength); // temporal_point_info
  }
  if (!showFrame) b.u(1); // showable_frame
  const errorResilient = b.flag();
  b.u(1); // disable_cdf_update
  const screenContent = seq.forceScreenContentTools === 2 ? b.u(1) : seq.forceScreenContentTools;
  if (screenContent && seq.forceIntegerMv === 2) b.u(1); // force_integer_mv
  if (seq.frameIdLength) b.u(seq.frameIdLength); // current_frame_id
  b.u(1); // frame_size_override_flag
  b.u(seq.orderHintBits); // order_hint
  if (frameType !== 2 && !errorResilient) b.u(3); // primary_ref_frame (not for INTRA_ONLY_FRAME)
  if (seq.decoderModelInfoPresent && b.flag()) { // buffer_removal_time_present_flag
    for (const op of seq.operatingPoints) {
      if (!op.decoderModelPresent) continue;
      const inTemporal = (op.idc >> obu.temporalId) & 1;
      const inSpatial = (op.idc >> (obu.spatialId + 8)) & 1;
      if (op.idc === 0 || (inTemporal && inSpatial)) b.u(seq.bufferRemovalTimeLength);
    }
  }
  return b.u(8);
}

const OBU_SEQUENCE_HEADER = 1;
const OBU_TEMPORAL_DELIMITER = 2;
const OBU_FRAME_HEADER = 3;
const OBU_TILE_GROUP = 4;
const OBU_METADATA = 5;
const OBU_FRAME = 6;
const OBU_REDUNDANT_FRAME_HEADER = 7;
const OBU_PADDING = 15;

function av1Classifier(extradata?: Uint8Array): PacketClassifier {
  let seq: Av1Sequence | undefined;
  if (extradata && extradata.length) {
    // av1C (marker and version 1: 0x81) holds the sequence header among its configOBUs.
    const obus = av1Obus(extradata[0] === 0x81 ? extradata.subarray(4) : extradata);
    const header = obus?.find((o) => o.type === OBU_SEQUENCE_HEADER);
    if (header) seq = parseAv1Sequence(header.payload);
  }
  return (packet) => {
    const obus = av1Obus(packet);
    if (!obus) return undefined;
    let frames = 0;
    let unsure = false;
    for (const obu of obus) {
      switch (obu.type) {
        case OBU_SEQUENCE_HEADER:
          return false;
        case OBU_FRAME_HEADER:
        case OBU_FRAME: {
          if (!seq) {
            unsure = true;
            break;
          }
          // A repeated frame header is a copy: it gives the same answer.
          if (av1RefreshFlags(obu, seq) !== 0) return false;
          frames++;
          break;
        }
        case OBU_TEMPORAL_DELIMITER:
        case OBU_TILE_GROUP:
        case OBU_METADATA:
        case OBU_REDUNDANT_FRAME_HEADER:
        case OBU_PADDING:
          break;
        default: // tile list, reserved
          unsure = true;
      }
    }
    if (unsure) return undefined;
    return frames > 0;
  };
}

// ---------------------------------------------------------------------------
// Damage

/**
 * Tells whether a packet cannot be right structurally; returns why, or
 * `undefined` when nothing is wrong with its framing. `key`: the container
 * marks it as a keyframe (then its bitstream must be one). Never throws.
 */
export type PacketCheck = (packet: Uint8Array, key?: boolean) => string | undefined;

/**
 * A structural check of the packets of `codec` (names and extradata as for
 * {@link packetClassifier}). It flags what makes FFmpeg's decoder fail a
 * packet as a whole (so it shows no picture for it, and every later frame
 * number shifts): an empty packet; H.264/HEVC length prefixes that are zero
 * or run past the packet (FFmpeg's NAL splitter refuses the packet; fewer
 * than 4 bytes left over are ignored, as FFmpeg does), a set forbidden bit,
 * or no slice at all; an MPEG-4 packet without a VOP; a VP8 frame tag whose
 * first partition overruns the packet or a key frame without its start
 * code; a VP9 frame without its frame marker or a malformed superframe
 * index; AV1 OBUs that do not tile the packet or hold no frame. A packet the
 * container marks as a keyframe must be one (see `keyDamage`). Damage that
 * keeps the framing (flipped bits in slice data) needs the decoder.
 *
 * @example
 * ```ts
 * const check = packetCheck("h264", new Uint8Array([1, 0x64, 0, 0x1f, 0xff]))!;
 * check(new Uint8Array([0, 0, 0, 2, 0x65, 0x88])); // undefined: one IDR slice
 * check(new Uint8Array([0, 0, 0, 9, 0x65, 0x88])); // "NAL unit length 9 runs past the packet"
 * ```
 */
export function packetCheck(codec: string, extradata?: Uint8Array): PacketCheck {
  let inner: PacketCheck = () => undefined;
  try {
    switch (codec) {
      case "h264": {
        const lengthSize = avccLengthSize(extradata);
        inner = (p) =>
          nalDamage(
            p,
            lengthSize,
            (nal) => nal.length > 0 && (nal[0] & 31) >= 1 && (nal[0] & 31) <= 5,
            (nal) => nal.length > 0 && (nal[0] & 31) === 7 ? h264SpsDamage(nal) : undefined,
          );
        break;
      }
      case "hevc": {
        const { lengthSize } = hevcParams(extradata);
        inner = (p) =>
          nalDamage(p, lengthSize, (nal) => {
            const type = nal.length > 1 ? (nal[0] >> 1) & 63 : -1;
            return (type >= 0 && type <= 9) || (type >= 16 && type <= 21);
          });
        break;
      }
      case "mpeg4":
        inner = (p) => startCodes(p).some((at) => p[at] === 0xb6) ? undefined : "no VOP in the packet";
        break;
      case "vp8":
        inner = vp8Damage;
        break;
      case "vp9":
        inner = vp9Damage;
        break;
      case "av1":
        inner = (p) => {
          const obus = av1Obus(p);
          if (!obus) return "its OBUs do not tile the packet";
          return obus.some((o) => o.type === OBU_FRAME || o.type === OBU_FRAME_HEADER) ? undefined : "no frame in it";
        };
        break;
    }
  } catch {
    // Unreadable extradata: only emptiness is judged.
  }
  const notKey = keyDamage(codec, extradata);
  return (packet, key) => {
    if (packet.length === 0) return "an empty packet";
    try {
      return inner(packet) ?? (key ? notKey(packet) : undefined);
    } catch {
      return undefined;
    }
  };
}

/**
 * Why a packet the container marks as a keyframe is not one in its bitstream,
 * or undefined (also when it cannot tell): VP8 without the key frame bit, VP9
 * with no key frame in it, H.264 with neither an IDR, a recovery point SEI nor
 * an I or SI slice, HEVC with neither an IRAP picture nor a recovery point
 * SEI, MPEG-4 part 2 with no I-VOP. (A flipped key bit or frame type: FFmpeg
 * then decodes the packet as another kind of frame, or refuses it.)
 */
function keyDamage(codec: string, extradata?: Uint8Array): (packet: Uint8Array) => string | undefined {
  const no = (what: string) => `marked as a keyframe, but ${what}`;
  switch (codec) {
    case "vp8":
      return (p) => p.length >= 3 && (p[0] & 1) === 1 ? no("its frame tag says inter frame") : undefined;
    case "vp9":
      return (p) => {
        const frames = vp9Frames(p);
        if (!frames) return undefined;
        for (const frame of frames) {
          const b = new Bits(frame);
          if (b.left < 8 || b.u(2) !== 2) return undefined;
          const profile = b.u(1) | (b.u(1) << 1);
          if (profile === 3 && b.u(1) !== 0) return undefined;
          if (b.flag()) continue; // show_existing_frame
          if (b.u(1) === 0) return undefined; // frame_type KEY_FRAME
        }
        return no("no frame in it is a key frame");
      };
    case "mpeg4":
      return (p) => {
        const vops = startCodes(p).filter((at) => p[at] === 0xb6);
        if (vops.length === 0 || vops.some((at) => at + 1 >= p.length || p[at + 1] >> 6 === 0)) return undefined;
        return no("it holds no I-VOP");
      };
    case "h264": {
      const lengthSize = avccLengthSize(extradata);
      return (p) => {
        const nals = splitNals(p, lengthSize);
        if (!nals) return undefined;
        for (const nal of nals) {
          const type = nal.length > 0 ? nal[0] & 31 : -1;
          if (type === 5) return undefined;
          if (type === 6) {
            const messages = seiMessages(rbsp(nal, 1), 0);
            if (!messages || messages.some((m) => m.type === 6)) return undefined;
          }
          if (type === 2) return undefined; // data partitioning: not judged
          if (type === 1) {
            const b = new Bits(rbsp(nal, 1, 16));
            b.ue(); // first_mb_in_slice
            const sliceType = b.ue() % 5;
            if (sliceType === 2 || sliceType === 4) return undefined; // I, SI
          }
        }
        return no("it holds no IDR, recovery point or I slice");
      };
    }
    case "hevc": {
      let lengthSize: number;
      try {
        lengthSize = hevcParams(extradata).lengthSize;
      } catch {
        return () => undefined;
      }
      return (p) => {
        const nals = splitNals(p, lengthSize);
        if (!nals) return undefined;
        for (const nal of nals) {
          const type = nal.length > 1 ? (nal[0] >> 1) & 63 : -1;
          if (type >= 16 && type <= 23) return undefined; // IRAP
          if (type === 39) {
            const messages = seiMessages(rbsp(nal, 2), 0);
            if (!messages || messages.some((m) => m.type === 6)) return undefined;
          }
        }
        return no("it holds no IRAP picture or recovery point");
      };
    }
  }
  return () => undefined;
}

/**
 * What is wrong with a stream's codec configuration that makes native ffmpeg
 * decode nothing, or undefined: for H.264 an avcC whose parameter set lists
 * overrun it, or an SPS (from avcC or Annex B extradata) that FFmpeg 5.1
 * refuses (see `h264SpsDamage`). Other codecs are not judged here (their
 * decoders report a bad configuration when they open).
 *
 * @example
 * ```ts
 * configDamage("h264", new Uint8Array([1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 9])); // "the avcC's parameter sets overrun it"
 * ```
 */
export function configDamage(codec: string, extradata?: Uint8Array): string | undefined {
  if (codec !== "h264") return undefined;
  let nals: Uint8Array[];
  try {
    nals = h264ConfigNals(extradata);
  } catch (e) {
    if (e instanceof Truncated) return "the avcC's parameter sets overrun it";
    return undefined; // unreadable: the decoder judges it
  }
  for (const nal of nals) {
    const problem = nal.length > 0 && (nal[0] & 31) === 7 ? h264SpsDamage(nal) : undefined;
    if (problem) return `the codec configuration holds ${problem}`;
  }
  return undefined;
}

/** H.264/HEVC framing as FFmpeg's NAL splitter reads it (`ff_h2645_packet_split`). */
function nalDamage(
  p: Uint8Array,
  lengthSize: number,
  isSlice: (nal: Uint8Array) => boolean,
  nalProblem: (nal: Uint8Array) => string | undefined = () => undefined,
): string | undefined {
  let nals: Uint8Array[];
  if (lengthSize) {
    nals = [];
    let i = 0;
    while (p.length - i >= 4) {
      if (p.length - i <= lengthSize) return "a NAL unit length with nothing after it";
      let n = 0;
      for (let k = 0; k < lengthSize; k++) n = n * 256 + p[i + k];
      i += lengthSize;
      if (n === 0) return "a NAL unit of length 0";
      if (n > p.length - i) return `NAL unit length ${n} runs past the packet`;
      nals.push(p.subarray(i, i + n));
      i += n;
    }
  } else {
    const split = splitAnnexB(p);
    if (!split) return "no start code";
    nals = split;
  }
  if (nals.some((nal) => nal.length > 0 && nal[0] & 0x80)) return "a NAL unit with its forbidden bit set";
  for (const nal of nals) {
    const problem = nalProblem(nal);
    if (problem) return problem;
  }
  return nals.some(isSlice) ? undefined : "no slice in the packet";
}

function vp8Damage(p: Uint8Array): string | undefined {
  if (p.length < 3) return "a truncated frame tag";
  const tag = p[0] | (p[1] << 8) | (p[2] << 16);
  const key = (tag & 1) === 0;
  const start = key ? 10 : 3;
  if (key && !(p.length >= 6 && p[3] === 0x9d && p[4] === 0x01 && p[5] === 0x2a)) {
    return "a key frame without its start code";
  }
  if (start + (tag >>> 5) > p.length) return "its first partition runs past the packet";
  return undefined;
}

function vp9Damage(p: Uint8Array): string | undefined {
  const frames = vp9Frames(p);
  if (!frames) return "a malformed superframe index";
  return frames.some((f) => f.length === 0 || f[0] >> 6 !== 2) ? "a frame without its frame marker" : undefined;
}
