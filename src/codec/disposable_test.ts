/**
 * Hermetic tests of the disposable-packet classifier: every packet is built
 * here, bit by bit (NAL units with emulation prevention, avcC/hvcC/av1C, VP8
 * boolean-coded headers, VP9 superframes, AV1 OBUs, MPEG-4 VOL/VOP headers).
 *
 * @module
 */

import assert from "node:assert/strict";
import { configDamage, packetCheck, type PacketClassifier, packetClassifier } from "./disposable.ts";

// ---------------------------------------------------------------------------
// Writers

/** MSB-first bit writer. */
class BitWriter {
  #bits: number[] = [];

  u(n: number, v: number): this {
    for (let i = n - 1; i >= 0; i--) this.#bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }

  flag(v: boolean | number): this {
    return this.u(1, v ? 1 : 0);
  }

  ue(v: number): this {
    let len = 0;
    while (2 ** (len + 1) <= v + 1) len++;
    return this.u(len, 0).u(len + 1, v + 1);
  }

  se(v: number): this {
    return this.ue(v > 0 ? 2 * v - 1 : -2 * v);
  }

  /** rbsp_trailing_bits(). */
  trailing(): this {
    this.#bits.push(1);
    while (this.#bits.length % 8) this.#bits.push(0);
    return this;
  }

  bytes(...tail: number[]): Uint8Array {
    const bits = [...this.#bits];
    while (bits.length % 8) bits.push(0);
    const out: number[] = [];
    for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => a * 2 + b, 0));
    return Uint8Array.from([...out, ...tail]);
  }
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** Inserts emulation-prevention bytes (00 00 0x -> 00 00 03 0x for x <= 3). */
function escape(rbsp: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

function annexB(...nals: Uint8Array[]): Uint8Array {
  return concat(...nals.flatMap((n, i) => [i % 2 ? [0, 0, 1] : [0, 0, 0, 1], n]));
}

function lengthPrefixed(size: number, ...nals: Uint8Array[]): Uint8Array {
  return concat(
    ...nals.flatMap((n) => [Array.from({ length: size }, (_, k) => (n.length >> (8 * (size - 1 - k))) & 255), n]),
  );
}

function u16(n: number): number[] {
  return [n >> 8, n & 255];
}

/** Seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function classifier(codec: string, extradata?: Uint8Array): PacketClassifier {
  const c = packetClassifier(codec, extradata);
  assert.ok(c, `classifier for ${codec}`);
  return c;
}

// ---------------------------------------------------------------------------
// H.264

function h264Nal(ref: number, type: number, rbsp: Uint8Array): Uint8Array {
  return concat([(ref << 5) | type], escape(rbsp));
}

interface SpsOptions {
  id?: number;
  profile?: number;
  chroma?: number;
  separateColourPlane?: boolean;
  scaling?: boolean;
  log2MaxFrameNum?: number;
  pocType?: number;
  frameMbsOnly?: boolean;
}

function h264Sps(o: SpsOptions = {}): Uint8Array {
  const w = new BitWriter();
  const profile = o.profile ?? 100;
  w.u(8, profile).u(8, 0).u(8, 30).ue(o.id ?? 0);
  if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
    const chroma = o.chroma ?? 1;
    w.ue(chroma);
    if (chroma === 3) w.flag(o.separateColourPlane ?? false);
    w.ue(0).ue(0).u(1, 0).flag(o.scaling ?? false);
    if (o.scaling) {
      for (let i = 0; i < (chroma === 3 ? 12 : 8); i++) {
        const present = i === 0 || i === 6;
        w.flag(present);
        if (i === 0) { for (let j = 0; j < 16; j++) w.se(1); // 16 explicit values
         }
        if (i === 6) w.se(-8); // next scale 0: the default list, one value only
      }
    }
  }
  w.ue((o.log2MaxFrameNum ?? 8) - 4);
  const poc = o.pocType ?? 0;
  w.ue(poc);
  if (poc === 0) w.ue(2);
  if (poc === 1) w.u(1, 0).se(1).se(-1).ue(2).se(3).se(-3);
  w.ue(4).u(1, 0).ue(19).ue(14).flag(o.frameMbsOnly ?? true);
  if (!(o.frameMbsOnly ?? true)) w.u(1, 1); // mb_adaptive_frame_field_flag
  w.u(1, 1).u(1, 0).u(1, 0).trailing(); // direct_8x8_inference, no cropping, no VUI
  return h264Nal(3, 7, w.bytes());
}

function h264Pps(id = 0, spsId = 0): Uint8Array {
  return h264Nal(3, 8, new BitWriter().ue(id).ue(spsId).u(8, 0x5a).trailing().bytes());
}

interface SliceOptions {
  ref?: number;
  type?: number;
  firstMb?: number;
  sliceType?: number;
  ppsId?: number;
  log2MaxFrameNum?: number;
  frameNum?: number;
  colourPlane?: boolean;
  field?: "top" | "bottom";
  interlacedSps?: boolean;
}

function h264Slice(o: SliceOptions = {}): Uint8Array {
  const w = new BitWriter().ue(o.firstMb ?? 0).ue(o.sliceType ?? 6).ue(o.ppsId ?? 0);
  if (o.colourPlane) w.u(2, 1);
  w.u(o.log2MaxFrameNum ?? 8, o.frameNum ?? 5);
  if (o.interlacedSps || o.field) {
    w.flag(o.field !== undefined);
    if (o.field) w.flag(o.field === "bottom");
  }
  w.u(7, 0x55).u(16, 0xbeef).trailing();
  return h264Nal(o.ref ?? 0, o.type ?? 1, w.bytes(0xaa, 0x00, 0x00, 0x01, 0x42)); // with bytes to escape
}

function h264Sei(...messages: [number, number[] | Uint8Array][]): Uint8Array {
  const body: number[] = [];
  for (const [type, payload] of messages) {
    for (let t = type; t >= 0; t -= 255) body.push(Math.min(t, 255));
    if (type % 255 === 0 && type > 0) body.pop(); // 255 codes as FF 00
    for (let n = payload.length; n >= 0; n -= 255) body.push(Math.min(n, 255));
    if (payload.length % 255 === 0 && payload.length > 0) body.pop();
    body.push(...payload);
  }
  body.push(0x80);
  return h264Nal(0, 6, Uint8Array.from(body));
}

function avcC(lengthSize: number, sps: Uint8Array[], pps: Uint8Array[]): Uint8Array {
  return concat(
    [1, 100, 0, 30, 0xfc | (lengthSize - 1), 0xe0 | sps.length],
    ...sps.flatMap((s) => [u16(s.length), s]),
    [pps.length],
    ...pps.flatMap((p) => [u16(p.length), p]),
  );
}

const AUD = h264Nal(0, 9, Uint8Array.from([0xf0]));
const X264_UUID = [0xdc, 0x45, 0xe9, 0xbd, 0xe6, 0xd9, 0x48, 0xb7, 0x96, 0x2c, 0xd8, 0x20, 0xd9, 0x23, 0xee, 0xef];
const text = (s: string) => [...new TextEncoder().encode(s)];

Deno.test("h264: slices with nal_ref_idc 0 are disposable, any reference slice is needed", () => {
  const c = classifier("h264", avcC(4, [h264Sps()], [h264Pps()]));
  assert.equal(c(lengthPrefixed(4, h264Slice())), true);
  assert.equal(c(lengthPrefixed(4, h264Slice(), h264Slice({ firstMb: 40 }))), true, "two non-reference slices");
  assert.equal(c(lengthPrefixed(4, h264Slice({ ref: 2, sliceType: 5 }))), false, "reference P slice");
  assert.equal(c(lengthPrefixed(4, h264Slice(), h264Slice({ ref: 1, firstMb: 40 }))), false, "mixed");
  assert.equal(c(lengthPrefixed(4, h264Slice({ ref: 3, type: 5, sliceType: 7 }))), false, "IDR");
  assert.equal(c(lengthPrefixed(4, h264Slice({ ref: 0, type: 5, sliceType: 7 }))), false, "IDR with ref_idc 0");
  assert.equal(c(lengthPrefixed(4, AUD, h264Slice())), true, "access unit delimiter");
  assert.equal(c(lengthPrefixed(4, h264Slice(), h264Nal(0, 12, Uint8Array.from([0xff, 0x80])))), true, "filler");
});

Deno.test("h264: packets without slices, or with parameter sets or stream ends, are needed", () => {
  const c = classifier("h264", avcC(4, [h264Sps()], [h264Pps()]));
  assert.equal(c(lengthPrefixed(4, AUD)), false);
  assert.equal(c(lengthPrefixed(4, h264Sei([1, [0x12, 0x34]]))), false, "SEI only");
  assert.equal(c(lengthPrefixed(4, h264Sps(), h264Pps())), false, "parameter sets only");
  assert.equal(c(lengthPrefixed(4, h264Pps(), h264Slice())), false, "PPS with a non-reference slice");
  assert.equal(c(lengthPrefixed(4, h264Slice(), h264Nal(0, 10, new Uint8Array()))), false, "end of sequence");
  assert.equal(c(lengthPrefixed(4, h264Slice(), h264Nal(0, 11, new Uint8Array()))), false, "end of stream");
  assert.equal(c(lengthPrefixed(4, h264Slice(), h264Nal(3, 15, Uint8Array.from([1])))), false, "subset SPS");
  assert.equal(c(new Uint8Array()), false, "empty packet");
});

Deno.test("h264: SEI that FFmpeg forgets at the next packet is allowed, persistent SEI is not", () => {
  const c = classifier("h264", avcC(4, [h264Sps()], [h264Pps()]));
  const withSei = (...m: [number, number[] | Uint8Array][]) => c(lengthPrefixed(4, h264Sei(...m), h264Slice()));
  assert.equal(withSei([1, [0x12, 0x34]]), true, "picture timing");
  assert.equal(withSei([0, [0x80]], [1, [0x12]], [4, [0xb5, 0, 0x31]]), true, "buffering period, timing, T.35");
  assert.equal(withSei([5, [...X264_UUID.map((b) => b ^ 1), ...text("lavc")]]), true, "other user data");
  assert.equal(withSei([6, [0x84]]), false, "recovery point");
  assert.equal(withSei([147, [0x10]]), false, "alternative transfer characteristics");
  assert.equal(withSei([200, [1, 2, 3]]), false, "unknown type");
  assert.equal(withSei([300, [1]]), false, "type coded with 0xFF extension bytes");
  assert.equal(withSei([5, [...X264_UUID, ...text("x264 - core 164 r3095")]]), false, "x264 build");
  // Zeros in the payload are escaped: the x264 string is found only after unescaping.
  const zeroUuid = new Array(16).fill(0);
  assert.equal(withSei([5, [...zeroUuid, ...text("x264 - core 1")]]), false, "x264 after zero UUID");
  assert.equal(withSei([5, [...zeroUuid, ...text("not x264")]]), true, "zero UUID, other text");
  const long = new Array(300).fill(0);
  assert.equal(withSei([5, long], [1, [1]]), true, "size coded with 0xFF bytes, zero payload");
  // A message longer than the NAL: malformed.
  const broken = h264Nal(0, 6, Uint8Array.from([1, 10, 1, 2, 0x80]));
  assert.equal(c(lengthPrefixed(4, broken, h264Slice())), undefined);
  assert.equal(c(lengthPrefixed(4, broken, h264Slice({ ref: 2 }))), false, "needed wins over unsure");
});

Deno.test("h264: framing (Annex B, length sizes, zero-length and truncated NAL units)", () => {
  const ps = [h264Sps(), h264Pps()];
  const b = classifier("h264", annexB(...ps));
  assert.equal(b(annexB(AUD, h264Slice())), true, "3- and 4-byte start codes");
  assert.equal(b(concat([0, 0], annexB(h264Slice()), [0, 0])), true, "leading and trailing zeros");
  assert.equal(b(concat([7], annexB(h264Slice()))), undefined, "junk before the first start code");
  assert.equal(b(h264Slice()), undefined, "no start code");
  assert.equal(classifier("h264")(annexB(h264Slice())), undefined, "no extradata: SPS unknown");
  assert.equal(classifier("h264")(annexB(h264Slice({ ref: 2 }))), false, "no extradata, reference slice");

  for (const size of [1, 2, 4]) {
    const c = classifier("h264", avcC(size, [h264Sps()], [h264Pps()]));
    assert.equal(c(lengthPrefixed(size, AUD, h264Slice())), true, `length size ${size}`);
  }
  const c = classifier("h264", avcC(4, [h264Sps()], [h264Pps()]));
  const p = lengthPrefixed(4, h264Slice());
  assert.equal(c(concat([0, 0, 0, 0], p)), true, "zero-length NAL unit");
  assert.equal(c(concat(p, [0, 0])), true, "zero padding after the last NAL unit");
  assert.equal(c(concat(p, [0, 1])), undefined, "partial length at the end");
  assert.equal(c(p.subarray(0, p.length - 1)), undefined, "length overruns the packet");
  assert.equal(c(p.subarray(0, 3)), false, "three zero bytes: padding, no slice");
  assert.equal(c(lengthPrefixed(4, h264Nal(0, 1, new Uint8Array()))), undefined, "slice without header bytes");
  // forbidden_zero_bit
  assert.equal(c(lengthPrefixed(4, concat([0x81], h264Slice().subarray(1)))), undefined);
});

Deno.test("h264: emulation prevention in the slice header", () => {
  // first_mb_in_slice = 2^23 - 1 codes as 23 zero bits and a one: the RBSP starts 00 00 01, escaped as 00 00 03 01.
  const slice = h264Slice({ firstMb: 2 ** 23 - 1 });
  assert.deepEqual([...slice.subarray(1, 4)], [0, 0, 3]);
  const c = classifier("h264", avcC(4, [h264Sps()], [h264Pps()]));
  assert.equal(c(lengthPrefixed(4, slice)), true);
});

Deno.test("h264: field pictures are not judged; MBAFF frame pictures are", () => {
  const interlaced = h264Sps({ frameMbsOnly: false, log2MaxFrameNum: 6 });
  const c = classifier("h264", avcC(4, [interlaced], [h264Pps()]));
  const slice = (o: SliceOptions) => lengthPrefixed(4, h264Slice({ log2MaxFrameNum: 6, interlacedSps: true, ...o }));
  assert.equal(c(slice({})), true, "frame picture");
  assert.equal(c(slice({ field: "top" })), undefined);
  assert.equal(c(slice({ field: "bottom" })), undefined);
  assert.equal(c(slice({ field: "top", ref: 2 })), false, "reference field");
});

Deno.test("h264: SPS variants (scaling lists, POC type 1, 4:4:4 colour planes, several parameter sets)", () => {
  // Each SPS declares an interlaced stream, so the classifier must find frame_num's width and field_pic_flag.
  for (
    const sps of [
      { scaling: true, log2MaxFrameNum: 5 },
      { pocType: 1, log2MaxFrameNum: 12 },
      { pocType: 2, log2MaxFrameNum: 4 },
      { profile: 77, log2MaxFrameNum: 9 },
    ]
  ) {
    const c = classifier("h264", avcC(4, [h264Sps({ ...sps, frameMbsOnly: false })], [h264Pps()]));
    const slice = (field?: "top") =>
      lengthPrefixed(4, h264Slice({ log2MaxFrameNum: sps.log2MaxFrameNum, interlacedSps: true, field }));
    assert.equal(c(slice()), true, JSON.stringify(sps));
    assert.equal(c(slice("top")), undefined, JSON.stringify(sps));
  }
  const planes = h264Sps({ profile: 244, chroma: 3, separateColourPlane: true, frameMbsOnly: false });
  const c = classifier("h264", avcC(4, [planes], [h264Pps()]));
  assert.equal(c(lengthPrefixed(4, h264Slice({ colourPlane: true, interlacedSps: true }))), true);
  assert.equal(c(lengthPrefixed(4, h264Slice({ colourPlane: true, field: "bottom" }))), undefined);

  // PPS 3 -> SPS 1 (progressive), PPS 0 -> SPS 0 (interlaced).
  const two = classifier(
    "h264",
    avcC(4, [h264Sps({ frameMbsOnly: false }), h264Sps({ id: 1 })], [h264Pps(), h264Pps(3, 1)]),
  );
  assert.equal(two(lengthPrefixed(4, h264Slice({ ppsId: 3 }))), true);
  assert.equal(two(lengthPrefixed(4, h264Slice({ ppsId: 0, field: "top" }))), undefined);
  assert.equal(two(lengthPrefixed(4, h264Slice({ ppsId: 7 }))), undefined, "unknown PPS");
});

Deno.test("h264: other NAL unit types", () => {
  const c = classifier("h264", avcC(4, [h264Sps()], [h264Pps()]));
  const body = Uint8Array.from([0x88, 0x80]);
  for (const type of [2, 3, 4, 14, 19, 20, 21, 16, 24, 31, 0]) {
    assert.equal(c(lengthPrefixed(4, h264Slice(), h264Nal(0, type, body))), undefined, `type ${type}, ref 0`);
    if (type !== 0) assert.equal(c(lengthPrefixed(4, h264Slice(), h264Nal(2, type, body))), false, `type ${type}`);
  }
});

// ---------------------------------------------------------------------------
// HEVC

function hevcNal(type: number, tid: number, payload: number[] | Uint8Array = [0xaf, 0x80], layer = 0): Uint8Array {
  return concat([(type << 1) | (layer >> 5), ((layer & 31) << 3) | (tid + 1)], escape(Uint8Array.from(payload)));
}

/** VPS/SPS whose first payload bytes carry the sub-layer count. */
function hevcVps(maxSubLayersMinus1: number): Uint8Array {
  return hevcNal(32, 0, [0x0c, (maxSubLayersMinus1 << 1) | 1, 0xff, 0xff, 0x01, 0x60, 0x80]);
}

function hevcSps(maxSubLayersMinus1: number, layer = 0): Uint8Array {
  return hevcNal(33, 0, [(maxSubLayersMinus1 << 1) | 1, 0x01, 0x60, 0x00, 0x00, 0x03, 0x80], layer);
}

function hvcC(lengthSize: number, temporalLayers: number, ...nals: Uint8Array[]): Uint8Array {
  const header = [1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5d, 0xf0, 0, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0];
  header.push((temporalLayers << 3) | 4 | (lengthSize - 1));
  const types = [...new Set(nals.map((n) => (n[0] >> 1) & 63))];
  header.push(types.length);
  const arrays = types.flatMap((t) => {
    const of = nals.filter((n) => ((n[0] >> 1) & 63) === t);
    return [[0x80 | t, ...u16(of.length)], ...of.flatMap((n) => [u16(n.length), n])];
  });
  return concat(header, ...arrays);
}

function hevcSei(prefix: boolean, ...messages: [number, number[]][]): Uint8Array {
  const body: number[] = [];
  for (const [type, payload] of messages) body.push(type, payload.length, ...payload);
  body.push(0x80);
  return hevcNal(prefix ? 39 : 40, 0, body);
}

const TRAIL_N = 0, TRAIL_R = 1, TSA_N = 2, STSA_N = 4, RADL_N = 6, RASL_N = 8, CRA = 21, IDR = 19;

Deno.test("hevc: sub-layer non-reference pictures of the top sub-layer are disposable", () => {
  const c = classifier("hevc", hvcC(4, 1, hevcVps(0), hevcSps(0)));
  for (const type of [TRAIL_N, TSA_N, STSA_N, RADL_N, RASL_N, 10, 12, 14]) {
    assert.equal(c(lengthPrefixed(4, hevcNal(type, 0))), true, `type ${type}`);
  }
  for (const type of [TRAIL_R, 3, 5, 7, 9, 11, 13, 15, 16, 17, 18, IDR, 20, CRA, 22, 23, 24, 31]) {
    assert.equal(c(lengthPrefixed(4, hevcNal(type, 0))), false, `type ${type}`);
  }
  assert.equal(c(lengthPrefixed(4, hevcNal(TRAIL_N, 0), hevcNal(TRAIL_N, 0))), true, "two slices");
  assert.equal(c(lengthPrefixed(4, hevcNal(TRAIL_N, 0), hevcNal(TRAIL_R, 0))), false, "mixed");
  assert.equal(c(lengthPrefixed(4, hevcNal(35, 0, [0x50]), hevcNal(TRAIL_N, 0))), true, "with AUD");
  assert.equal(c(lengthPrefixed(4, hevcNal(TRAIL_N, 0), hevcNal(38, 0, [0xff, 0x80]))), true, "with filler");
});

Deno.test("hevc: with temporal sub-layers only the top one is disposable", () => {
  const c = classifier("hevc", hvcC(4, 3, hevcVps(2), hevcSps(2)));
  assert.equal(c(lengthPrefixed(4, hevcNal(TSA_N, 2))), true);
  assert.equal(c(lengthPrefixed(4, hevcNal(TRAIL_N, 2))), true);
  assert.equal(c(lengthPrefixed(4, hevcNal(TSA_N, 1))), false, "referenced by sub-layer 2");
  assert.equal(c(lengthPrefixed(4, hevcNal(TRAIL_N, 0))), false, "referenced by higher sub-layers");
  assert.equal(c(lengthPrefixed(4, hevcNal(TRAIL_R, 2))), false);
});

Deno.test("hevc: the sub-layer count comes from the most conservative source", () => {
  const tsa1 = lengthPrefixed(4, hevcNal(TSA_N, 1));
  const trail0 = lengthPrefixed(4, hevcNal(TRAIL_N, 0));
  // hvcC numTemporalLayers 0 (unknown): the SPS decides.
  assert.equal(classifier("hevc", hvcC(4, 0, hevcSps(1)))(tsa1), true);
  // hvcC says 1 layer, the SPS 2: two layers.
  assert.equal(classifier("hevc", hvcC(4, 1, hevcSps(1)))(trail0), false);
  assert.equal(classifier("hevc", hvcC(4, 1, hevcSps(1)))(tsa1), true);
  // VPS says 3 sub-layers.
  assert.equal(classifier("hevc", hvcC(4, 2, hevcVps(2), hevcSps(1)))(tsa1), false);
  // An SPS of another layer does not count.
  assert.equal(classifier("hevc", hvcC(4, 0, hevcSps(0), hevcSps(3, 1)))(trail0), true);
  // hvcC alone.
  assert.equal(classifier("hevc", hvcC(4, 2))(tsa1), true);
  // Nothing known: false, except for TemporalId 6, the highest there can be.
  assert.equal(classifier("hevc", hvcC(4, 0))(trail0), false);
  assert.equal(classifier("hevc")(annexB(hevcNal(TRAIL_N, 0))), false);
  assert.equal(classifier("hevc")(annexB(hevcNal(TRAIL_N, 6))), true);
  // Annex B extradata (MPEG-TS).
  const ts = classifier("hevc", annexB(hevcVps(1), hevcSps(1), hevcNal(34, 0, [0xc1, 0x72])));
  assert.equal(ts(annexB(hevcNal(TSA_N, 1))), true);
  assert.equal(ts(annexB(hevcNal(TRAIL_N, 0))), false);
  // Length size from hvcC; FFmpeg also takes configurationVersion 0 (old files) for hvcC.
  assert.equal(classifier("hevc", hvcC(2, 1))(lengthPrefixed(2, hevcNal(TRAIL_N, 0))), true);
  const version0 = hvcC(4, 1);
  version0[0] = 0;
  assert.equal(classifier("hevc", version0)(lengthPrefixed(4, hevcNal(TRAIL_N, 0))), true);
  assert.equal(classifier("hevc", hvcC(4, 1).subarray(0, 20))(lengthPrefixed(4, hevcNal(TRAIL_N, 0))), undefined);
});

Deno.test("hevc: SEI the decoder keeps makes the packet needed", () => {
  const c = classifier("hevc", hvcC(4, 1));
  const withSei = (sei: Uint8Array) => c(lengthPrefixed(4, sei, hevcNal(TRAIL_N, 0)));
  assert.equal(withSei(hevcSei(true, [1, [0x10]])), true, "picture timing");
  assert.equal(withSei(hevcSei(true, [0, [0x80]], [5, new Array(20).fill(7)])), true, "buffering period, user data");
  const a53 = [0xb5, 0x00, 0x31, ...text("GA94"), 0x03, 0xc1, 0xff];
  assert.equal(withSei(hevcSei(true, [4, a53])), true, "A/53 captions");
  assert.equal(withSei(hevcSei(true, [4, [0xb5, 0x00, 0x3c, 0x00, 0x01, 0x04]])), false, "HDR10+ (kept)");
  for (const type of [6, 19, 45, 47, 129, 136, 137, 144, 147, 148, 177, 250]) {
    assert.equal(withSei(hevcSei(true, [type, [0x10, 0x20]])), false, `prefix type ${type}`);
  }
  assert.equal(withSei(hevcSei(false, [132, [0, ...new Array(16).fill(9)]])), true, "decoded picture hash");
  assert.equal(withSei(hevcSei(false, [3, [0xff]])), true, "suffix filler");
  assert.equal(withSei(hevcSei(false, [1, [0x10]])), false, "unknown suffix SEI");
  assert.equal(withSei(hevcNal(39, 0, [1, 9, 0x80])), undefined, "malformed SEI");
});

Deno.test("hevc: other NAL units", () => {
  const c = classifier("hevc", hvcC(4, 1));
  const with_ = (nal: Uint8Array) => c(lengthPrefixed(4, nal, hevcNal(TRAIL_N, 0)));
  for (const type of [32, 33, 34, 36, 37, 62, 63]) assert.equal(with_(hevcNal(type, 0, [1, 0x80])), false, `${type}`);
  for (const type of [41, 47, 48, 61]) assert.equal(with_(hevcNal(type, 0, [1, 0x80])), undefined, `${type}`);
  assert.equal(c(lengthPrefixed(4, hevcNal(TRAIL_N, 0, [0xaf], 1))), undefined, "nuh_layer_id 1");
  assert.equal(c(lengthPrefixed(4, Uint8Array.from([0, 0, 0xaf]))), undefined, "nuh_temporal_id_plus1 0");
  assert.equal(c(lengthPrefixed(4, Uint8Array.from([0x80, 1, 0xaf]))), undefined, "forbidden bit");
  assert.equal(c(lengthPrefixed(4, Uint8Array.from([2]))), undefined, "one-byte NAL unit");
  assert.equal(c(lengthPrefixed(4, hevcNal(35, 0, [0x50]))), false, "no picture");
  assert.equal(c(concat([0, 0, 0, 9], hevcNal(TRAIL_N, 0))), undefined, "length overruns");
});

// ---------------------------------------------------------------------------
// MPEG-4 part 2

interface VolOptions {
  voType?: number;
  verid?: number;
  extendedPar?: boolean;
  vcp?: boolean;
  lowDelay?: boolean;
  vbv?: boolean;
  shape?: number;
  resolution?: number;
  fixedRate?: boolean;
  interlaced?: boolean;
}

function mpeg4Vol(o: VolOptions = {}): Uint8Array {
  const w = new BitWriter().u(1, 0).u(8, o.voType ?? 17);
  w.flag(o.verid !== undefined);
  if (o.verid !== undefined) w.u(4, o.verid).u(3, 1);
  w.u(4, o.extendedPar ? 15 : 1);
  if (o.extendedPar) w.u(8, 12).u(8, 11);
  w.flag(o.vcp ?? true);
  if (o.vcp ?? true) {
    w.u(2, 1).flag(o.lowDelay ?? false).flag(o.vbv ?? false);
    if (o.vbv) { for (const n of [15, 1, 15, 1, 15, 1, 3, 11, 1, 15, 1]) w.u(n, n === 1 ? 1 : 5); }
  }
  const shape = o.shape ?? 0;
  w.u(2, shape);
  if (shape === 3 && (o.verid ?? 1) !== 1) w.u(4, 0);
  const resolution = o.resolution ?? 25;
  w.u(1, 1).u(16, resolution).u(1, 1).flag(o.fixedRate ?? false);
  if (o.fixedRate) w.u(Math.max(1, Math.ceil(Math.log2(resolution))), 1);
  if (shape !== 2) {
    if (shape === 0) w.u(1, 1).u(13, 320).u(1, 1).u(13, 240).u(1, 1);
    w.flag(o.interlaced ?? false);
  }
  w.u(1, 1).u(1, 0).u(1, 0); // obmc_disable, sprite, not_8_bit
  return concat([0, 0, 1, 0x20], w.bytes(0x7f));
}

const VOS = [0, 0, 1, 0xb0, 0xf5, 0, 0, 1, 0xb5, 0x09, 0, 0, 1, 0x00];
const userData = (s: string) => [0, 0, 1, 0xb2, ...text(s)];
/** A VOP of coding type I (0), P (1), B (2) or S (3). */
const vop = (type: number, body = [0x1c, 0x47, 0x22]) => [0, 0, 1, 0xb6, (type << 6) | 0x2a, ...body];

Deno.test("mpeg4: packets of B-VOPs only are disposable", () => {
  const c = classifier("mpeg4", concat(VOS, mpeg4Vol(), userData("Lavc59.37.100")));
  assert.equal(c(Uint8Array.from(vop(2))), true);
  assert.equal(c(Uint8Array.from(vop(2, []))), true, "just the coding type (a not-coded B-VOP needs no more)");
  assert.equal(c(Uint8Array.from([...vop(2), ...vop(2)])), true, "two B-VOPs");
  assert.equal(c(Uint8Array.from([0, 0, ...vop(2)])), true, "leading zero stuffing");
  assert.equal(c(Uint8Array.from(vop(0))), false, "I-VOP");
  assert.equal(c(Uint8Array.from(vop(1))), false, "P-VOP (also a not-coded one: it moves the time base)");
  assert.equal(c(Uint8Array.from(vop(3))), false, "S-VOP");
  assert.equal(c(Uint8Array.from([...vop(1), ...vop(2)])), false, "packed P + B");
  assert.equal(c(Uint8Array.from([0, 0, 1, 0xb3, 0, 0, 0x40, ...vop(2)])), false, "GOV header");
  assert.equal(c(Uint8Array.from([...userData("DivX503b1393p"), ...vop(2)])), false, "user data");
  assert.equal(c(concat(mpeg4Vol(), vop(2))), false, "VOL header");
  assert.equal(c(Uint8Array.from([1, ...vop(2)])), undefined, "junk before the start code");
  assert.equal(c(Uint8Array.from([0x12, 0x34])), undefined, "no start code");
  assert.equal(c(Uint8Array.from([0, 0, 1, 0xb6])), undefined, "truncated after the VOP start code");
  assert.equal(c(Uint8Array.from([...vop(2), 0, 0, 1])), undefined, "start code prefix at the end");
  assert.equal(c(new Uint8Array()), undefined);
});

Deno.test("mpeg4: streams where B-VOP headers change decoder state are not judged", () => {
  const b = Uint8Array.from(vop(2));
  const verdict = (extradata?: Uint8Array) => classifier("mpeg4", extradata)(b);
  assert.equal(verdict(), undefined, "no extradata");
  assert.equal(verdict(Uint8Array.from(VOS)), undefined, "no VOL");
  assert.equal(verdict(mpeg4Vol({ interlaced: true })), undefined, "interlaced");
  assert.equal(verdict(mpeg4Vol({ vcp: false, voType: 17 })), undefined, "guessed low_delay (ASP)");
  assert.equal(verdict(mpeg4Vol({ vcp: false, voType: 1 })), undefined, "guessed low_delay (simple)");
  assert.equal(verdict(mpeg4Vol({ vcp: false, voType: 0 })), undefined, "guessed low_delay (type 0)");
  assert.equal(verdict(mpeg4Vol({ vcp: false, voType: 3 })), true, "main profile, low_delay 0");
  assert.equal(verdict(mpeg4Vol({ lowDelay: true })), true, "declared low_delay is not revised");
  assert.equal(verdict(mpeg4Vol({ shape: 1 })), undefined, "binary shape");
  assert.equal(verdict(mpeg4Vol({ voType: 15 })), undefined, "studio profile");
  assert.equal(verdict(concat(mpeg4Vol(), userData("DivX503b1393p"))), undefined, "DivX packed B-frames");
  assert.equal(verdict(concat(mpeg4Vol(), userData("DivX999b000p"), userData("XviD0069"))), undefined, "Xvid");
  assert.equal(verdict(concat(mpeg4Vol(), userData("DivX503b1393"), userData("XviD0069"))), true, "unpacked");
  // Fields before the interlaced flag must be skipped exactly.
  const tricky = { verid: 2, extendedPar: true, vbv: true, fixedRate: true, resolution: 30000 };
  assert.equal(verdict(mpeg4Vol(tricky)), true);
  assert.equal(verdict(mpeg4Vol({ ...tricky, interlaced: true })), undefined);
  assert.equal(verdict(mpeg4Vol({ resolution: 1, fixedRate: true, interlaced: true })), undefined);
});

// ---------------------------------------------------------------------------
// VP8

/** Boolean encoder (RFC 6386 section 7) as exact interval arithmetic on a BigInt. */
class BoolEncoder {
  #low = 0n;
  #range = 255;
  #shifts = 0;

  bool(prob: number, bit: number | boolean): this {
    const split = 1 + (((this.#range - 1) * prob) >> 8);
    if (bit) {
      this.#low += BigInt(split);
      this.#range -= split;
    } else this.#range = split;
    while (this.#range < 128) {
      this.#range *= 2;
      this.#low *= 2n;
      this.#shifts++;
    }
    return this;
  }

  literal(n: number, v: number): this {
    for (let i = n - 1; i >= 0; i--) this.bool(128, (v >> i) & 1);
    return this;
  }

  /** Flag, then magnitude and sign when the value is not null. */
  optional(n: number, v: number | null): this {
    this.bool(128, v !== null);
    if (v !== null) this.literal(n, Math.abs(v)).bool(128, v < 0);
    return this;
  }

  /** The code value: the interval's low end, which every decision accepts. */
  bytes(): Uint8Array {
    const bits = 8 + this.#shifts;
    const pad = (8 - (bits % 8)) % 8;
    let v = this.#low << BigInt(pad);
    const out: number[] = [];
    for (let i = 0; i < (bits + pad) / 8; i++) {
      out.unshift(Number(v & 255n));
      v >>= 8n;
    }
    return Uint8Array.from(out);
  }
}

interface Vp8Options {
  key?: boolean;
  version?: number;
  segmentation?: { updateMap: boolean; updateData: boolean };
  /** undefined: adjustments off; null: on without update; array: the 8 deltas (null = not sent). */
  deltas?: (number | null)[] | null;
  refreshGolden?: boolean;
  refreshAlt?: boolean;
  copyGolden?: number;
  copyAlt?: number;
  refreshEntropy?: boolean;
  refreshLast?: boolean;
  /** Extra boolean decisions after the fields read (token probability updates etc.). */
  tail?: number;
}

function vp8Frame(o: Vp8Options = {}, random = rng(1)): Uint8Array {
  const e = new BoolEncoder();
  if (o.key) e.literal(2, 0);
  e.bool(128, o.segmentation !== undefined);
  if (o.segmentation) {
    e.bool(128, o.segmentation.updateMap).bool(128, o.segmentation.updateData);
    if (o.segmentation.updateData) {
      e.literal(1, 1);
      for (const q of [null, -3, 12, null]) e.optional(7, q);
      for (const lf of [5, null, null, -63]) e.optional(6, lf);
    }
    if (o.segmentation.updateMap) {
      for (const p of [128, null, 3]) {
        e.bool(128, p !== null);
        if (p !== null) e.literal(8, p);
      }
    }
  }
  e.literal(1, 0).literal(6, 20).literal(3, 2);
  e.bool(128, o.deltas !== undefined);
  if (o.deltas !== undefined) {
    e.bool(128, o.deltas !== null);
    if (o.deltas) { for (const d of o.deltas) e.optional(6, d); }
  }
  e.literal(2, 0).literal(7, 40);
  for (const d of [null, 2, null, -1, null]) e.optional(4, d);
  if (!o.key) {
    e.bool(128, o.refreshGolden ?? false).bool(128, o.refreshAlt ?? false);
    if (!o.refreshGolden) e.literal(2, o.copyGolden ?? 0);
    if (!o.refreshAlt) e.literal(2, o.copyAlt ?? 0);
    e.literal(2, 1);
  }
  e.bool(128, o.refreshEntropy ?? false);
  if (!o.key) e.bool(128, o.refreshLast ?? false);
  for (let i = 0; i < (o.tail ?? 40); i++) e.bool(Math.floor(random() * 255) + 1, random() < 0.5);
  const partition = e.bytes();
  const tag = (o.key ? 0 : 1) | ((o.version ?? 0) << 1) | 0x10 | (partition.length << 5);
  const head = [tag & 255, (tag >> 8) & 255, (tag >> 16) & 255];
  if (o.key) head.push(0x9d, 0x01, 0x2a, 0x00, 0x01, 0x90, 0x00);
  return concat(head, partition, [0x3c, 0x5a, 0x00, 0x11]);
}

/** Reference rule (what FFmpeg's decoder carries from one frame to the next). */
function vp8Expected(f: Vp8Options, g?: Vp8Options): boolean {
  if (f.key || f.refreshGolden || f.refreshAlt || f.copyGolden || f.copyAlt || f.refreshEntropy || f.refreshLast) {
    return false;
  }
  const overwritesData = g?.segmentation?.updateData ?? false;
  if (f.segmentation?.updateData && !overwritesData) return false;
  const sets = (o?: Vp8Options) => (o?.deltas ?? []).filter((d) => d !== null).length;
  if (sets(f) > 0 && sets(g) !== 8) return false;
  if (f.segmentation && !f.segmentation.updateMap) return true;
  if (!g) return false;
  return !(g.segmentation && !g.segmentation.updateMap);
}

const NO_REFRESH: Vp8Options = {};

Deno.test("vp8: inter frames that refresh nothing and keep no probabilities are disposable", () => {
  const c = classifier("vp8");
  const next = vp8Frame(NO_REFRESH);
  assert.equal(c(vp8Frame(NO_REFRESH), next), true);
  assert.equal(c(vp8Frame({ version: 3 }), next), true, "version 3");
  assert.equal(c(vp8Frame({ key: true }), next), false, "key frame");
  for (
    const o of [
      { refreshLast: true },
      { refreshGolden: true },
      { refreshAlt: true },
      { copyGolden: 1 },
      { copyGolden: 2 },
      { copyAlt: 1 },
      { copyAlt: 2 },
      { copyAlt: 3 },
      { refreshEntropy: true },
    ]
  ) {
    assert.equal(c(vp8Frame(o), next), false, JSON.stringify(o));
  }
});

Deno.test("vp8: the segment map a frame leaves matters only to a next frame that reads it", () => {
  const c = classifier("vp8");
  const off = vp8Frame(NO_REFRESH);
  const inherit = vp8Frame({ segmentation: { updateMap: false, updateData: false } });
  const update = vp8Frame({ segmentation: { updateMap: true, updateData: false } });
  assert.equal(c(off), false, "segmentation off, next frame unknown");
  assert.equal(c(off, off), true);
  assert.equal(c(off, update), true, "the next frame writes its own map");
  assert.equal(c(off, inherit), false, "the next frame copies this frame's (zero) map");
  assert.equal(c(off, vp8Frame({ key: true, segmentation: { updateMap: false, updateData: false } })), false);
  assert.equal(c(off, Uint8Array.from([1, 2])), false, "next frame unreadable");
  assert.equal(c(inherit), true, "keeps the map it inherited");
  assert.equal(c(update, off), true);
  assert.equal(c(update, inherit), false);
});

Deno.test("vp8: segment data and loop filter deltas persist unless the next frame overwrites them all", () => {
  const c = classifier("vp8");
  const deltas = [2, null, -2, -2, 4, -12, 2, 4];
  const all = [2, 0, -2, -2, 4, -12, 2, 4];
  const off = vp8Frame(NO_REFRESH);
  assert.equal(c(vp8Frame({ deltas: null }), off), true, "adjustments on, no update");
  assert.equal(c(vp8Frame({ deltas: new Array(8).fill(null) }), off), true, "update flag, no delta sent");
  assert.equal(c(vp8Frame({ deltas }), off), false);
  assert.equal(c(vp8Frame({ deltas }), vp8Frame({ deltas })), false, "next frame sends 7 of 8");
  assert.equal(c(vp8Frame({ deltas: all }), vp8Frame({ deltas: all })), true, "error-resilient style");
  const data = { updateMap: false, updateData: true };
  assert.equal(c(vp8Frame({ segmentation: data }), off), false);
  assert.equal(c(vp8Frame({ segmentation: data }), vp8Frame({ segmentation: data })), true);
});

Deno.test("vp8: random headers agree with the reference rule", () => {
  const random = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const options = (): Vp8Options => ({
    key: random() < 0.05,
    version: pick([0, 1, 2, 3]),
    segmentation: pick([undefined, { updateMap: random() < 0.5, updateData: random() < 0.3 }]),
    deltas: pick([undefined, null, Array.from({ length: 8 }, () => random() < 0.8 ? pick([0, 5, -7, 63]) : null)]),
    refreshGolden: random() < 0.1,
    refreshAlt: random() < 0.1,
    copyGolden: random() < 0.1 ? pick([1, 2, 3]) : 0,
    copyAlt: random() < 0.1 ? pick([1, 2, 3]) : 0,
    refreshEntropy: random() < 0.3,
    refreshLast: random() < 0.3,
    tail: Math.floor(random() * 200),
  });
  const c = classifier("vp8");
  let disposable = 0;
  for (let i = 0; i < 2000; i++) {
    const f = options(), g = random() < 0.9 ? options() : undefined;
    const expected = vp8Expected(f, g);
    disposable += expected ? 1 : 0;
    assert.equal(c(vp8Frame(f, random), g && vp8Frame(g, random)), expected, JSON.stringify({ i, f, g }));
  }
  assert.ok(disposable > 20, `only ${disposable} disposable cases`);
});

Deno.test("vp8: malformed frames", () => {
  const c = classifier("vp8");
  const p = vp8Frame(NO_REFRESH);
  assert.equal(c(p.subarray(0, 2)), undefined, "no frame tag");
  assert.equal(c(p.subarray(0, 8)), undefined, "first partition truncated");
  assert.equal(c(vp8Frame({ version: 5 })), undefined, "unknown version");
  const key = vp8Frame({ key: true });
  key[3] = 0x9c;
  assert.equal(c(key), undefined, "bad start code");
  assert.equal(c(new Uint8Array()), undefined);
});

// ---------------------------------------------------------------------------
// VP9

/** A VP9 frame that starts with show_existing_frame = 1. */
function vp9ShowExisting(profile: number, slot: number): Uint8Array {
  const w = new BitWriter().u(2, 2).u(1, profile & 1).u(1, profile >> 1);
  if (profile === 3) w.u(1, 0);
  return w.u(1, 1).u(3, slot).bytes();
}

/** The start of a decoded VP9 frame (key or inter), profile 0. */
function vp9Frame(key: boolean, bytes = 20): Uint8Array {
  const w = new BitWriter().u(2, 2).u(2, 0).u(1, 0).u(1, key ? 0 : 1).u(1, 1).u(1, 0);
  if (key) w.u(24, 0x498342);
  else w.u(2, 0).u(8, 0); // reset_frame_context, refresh_frame_flags = 0
  const head = w.bytes();
  return concat(head, new Array(Math.max(0, bytes - head.length)).fill(0x5b));
}

function superframe(frames: Uint8Array[], bytes = 1): Uint8Array {
  const marker = 0xc0 | ((bytes - 1) << 3) | (frames.length - 1);
  const sizes = frames.flatMap((f) => Array.from({ length: bytes }, (_, k) => (f.length >> (8 * k)) & 255));
  return concat(...frames, [marker], sizes, [marker]);
}

Deno.test("vp9: only show_existing_frame changes no state", () => {
  const c = classifier("vp9");
  for (const profile of [0, 1, 2, 3]) {
    for (const slot of [0, 5, 7]) assert.equal(c(vp9ShowExisting(profile, slot)), true, `profile ${profile}`);
  }
  assert.equal(c(vp9Frame(true)), false, "key frame");
  assert.equal(c(vp9Frame(false)), false, "inter frame, refresh_frame_flags 0: its motion vectors reach the next");
  assert.equal(c(superframe([vp9Frame(false, 300), vp9ShowExisting(0, 1)])), false, "hidden frame + shown");
  assert.equal(c(superframe([vp9ShowExisting(0, 1), vp9ShowExisting(2, 3)])), true);
  assert.equal(c(superframe([vp9Frame(false, 300), vp9Frame(false, 40)], 2)), false, "2-byte sizes");
  assert.equal(c(superframe([vp9ShowExisting(0, 2), vp9ShowExisting(1, 4)], 4)), true, "4-byte sizes");
});

Deno.test("vp9: malformed frames and superframe indexes", () => {
  const c = classifier("vp9");
  assert.equal(c(new Uint8Array()), undefined);
  assert.equal(c(Uint8Array.from([0x48])), undefined, "frame marker 1");
  assert.equal(c(Uint8Array.from([0xb8, 0x80])), undefined, "profile 3 with reserved bit set");
  const sf = superframe([vp9ShowExisting(0, 1), vp9ShowExisting(0, 2)]);
  const tooBig = sf.slice();
  tooBig[tooBig.length - 3] = 9; // first frame claims 9 bytes
  assert.equal(c(tooBig), undefined);
  const zero = sf.slice();
  zero[zero.length - 2] = 0;
  assert.equal(c(zero), undefined, "zero-size frame");
  // A marker-like last byte without a matching index start is frame data.
  assert.equal(c(concat(vp9Frame(false), [0xc1])), false);
  assert.equal(c(concat(vp9ShowExisting(0, 1), [0, 0xc0])), true, "trailing bytes after the header");
});

// ---------------------------------------------------------------------------
// AV1

interface SeqOptions {
  reduced?: boolean;
  timing?: { equal: boolean; model?: { delay: number; removal: number; presentation: number } };
  initialDisplayDelay?: boolean;
  ops?: { idc: number; model?: boolean; level?: number }[];
  frameIds?: { delta: number; additional: number };
  orderHintBits?: number; // 0: off
  screen?: "select" | 0 | 1;
  integerMv?: "select" | 0 | 1;
}

function av1Sequence(o: SeqOptions = {}): Uint8Array {
  const w = new BitWriter().u(3, 0).u(1, 0).flag(o.reduced ?? false);
  if (o.reduced) w.u(5, 8);
  else {
    w.flag(o.timing !== undefined);
    if (o.timing) {
      w.u(32, 1001).u(32, 24000).flag(o.timing.equal);
      if (o.timing.equal) w.u(4, 0).u(5, 0b10011); // uvlc() = 18: 4 zeros, then 1 and 4 bits
      w.flag(o.timing.model !== undefined);
      if (o.timing.model) {
        w.u(5, o.timing.model.delay - 1).u(32, 90000).u(5, o.timing.model.removal - 1).u(
          5,
          o.timing.model.presentation - 1,
        );
      }
    }
    w.flag(o.initialDisplayDelay ?? false);
    const ops = o.ops ?? [{ idc: 0 }];
    w.u(5, ops.length - 1);
    for (const op of ops) {
      w.u(12, op.idc).u(5, op.level ?? 8);
      if ((op.level ?? 8) > 7) w.u(1, 0);
      if (o.timing?.model) {
        w.flag(op.model ?? false);
        if (op.model) w.u(o.timing.model.delay, 3).u(o.timing.model.delay, 2).u(1, 0);
      }
      if (o.initialDisplayDelay) w.u(1, 1).u(4, 9);
    }
  }
  w.u(4, 7).u(4, 6).u(8, 191).u(7, 107);
  if (!o.reduced) {
    w.flag(o.frameIds !== undefined);
    if (o.frameIds) w.u(4, o.frameIds.delta - 2).u(3, o.frameIds.additional - 1);
  }
  w.u(3, 0b011);
  if (!o.reduced) {
    const hint = o.orderHintBits ?? 7;
    w.u(4, 0b1011).flag(hint > 0);
    if (hint) w.u(2, 0b11);
    const screen = o.screen ?? "select";
    w.flag(screen === "select");
    if (screen !== "select") w.u(1, screen);
    if (screen !== 0) {
      const mv = o.integerMv ?? "select";
      w.flag(mv === "select");
      if (mv !== "select") w.u(1, mv);
    }
    if (hint) w.u(3, hint - 1);
  }
  w.u(3, 0b010).u(8, 0b00001100).trailing(); // superres, cdef, restoration; color config; film grain
  return w.bytes();
}

interface FrameOptions {
  showExisting?: boolean;
  type?: number; // 0 KEY, 1 INTER, 2 INTRA_ONLY, 3 SWITCH
  show?: boolean;
  errorResilient?: boolean;
  refresh?: number;
  tid?: number;
  sid?: number;
}

/** An uncompressed header written from `seq`'s point of view (and `ops` for buffer_removal_time). */
function av1FrameHeader(seq: SeqOptions, o: FrameOptions): Uint8Array {
  const w = new BitWriter().flag(o.showExisting ?? false);
  if (o.showExisting) return w.u(3, 2).bytes();
  const type = o.type ?? 1, show = o.show ?? true;
  w.u(2, type).flag(show);
  const model = seq.timing?.model;
  if (show && model && !seq.timing?.equal) w.u(model.presentation, 77);
  if (!show) w.u(1, 1); // showable_frame
  const er = o.errorResilient ?? false;
  if (!(type === 3 || (type === 0 && show))) w.flag(er);
  w.u(1, 0); // disable_cdf_update
  const screen = seq.screen ?? "select";
  const tools = screen === "select" ? 1 : screen;
  if (screen === "select") w.u(1, tools);
  if (tools && (seq.integerMv ?? "select") === "select") w.u(1, 0);
  if (seq.frameIds) w.u(seq.frameIds.delta + seq.frameIds.additional, 5);
  if (type !== 3) w.u(1, 0); // frame_size_override_flag
  w.u(seq.orderHintBits ?? 7, 3);
  if (!(type === 0 || type === 2 || er)) w.u(3, 7);
  if (model) {
    w.u(1, 1); // buffer_removal_time_present_flag
    for (const op of seq.ops ?? [{ idc: 0 }]) {
      if (!op.model) continue;
      const inT = (op.idc >> (o.tid ?? 0)) & 1, inS = (op.idc >> ((o.sid ?? 0) + 8)) & 1;
      if (op.idc === 0 || (inT && inS)) w.u(model.removal, 1);
    }
  }
  if (!(type === 3 || (type === 0 && show))) w.u(8, o.refresh ?? 0);
  w.u(16, 0xa5a5);
  return w.bytes();
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    out.push(n ? byte | 0x80 : byte);
  } while (n);
  return out;
}

function obu(type: number, payload: Uint8Array | number[], o: { size?: boolean; tid?: number; sid?: number } = {}) {
  const ext = o.tid !== undefined || o.sid !== undefined;
  const size = o.size ?? true;
  const header = [(type << 3) | (ext ? 4 : 0) | (size ? 2 : 0)];
  if (ext) header.push(((o.tid ?? 0) << 5) | ((o.sid ?? 0) << 3));
  return concat(header, size ? leb128(payload.length) : [], payload);
}

const TD = obu(2, []);
const av1C = (seq: Uint8Array) => concat([0x81, 0x08, 0x0c, 0x00], obu(1, seq));
const tileGroup = obu(4, new Array(30).fill(0x33));

Deno.test("av1: temporal units whose frames refresh no reference slot are disposable", () => {
  const seq: SeqOptions = {};
  const c = classifier("av1", av1C(av1Sequence(seq)));
  const frame = (o: FrameOptions) => obu(6, concat(av1FrameHeader(seq, o), new Array(20).fill(0x11)));
  assert.equal(c(concat(TD, frame({}))), true);
  assert.equal(c(frame({})), true, "without temporal delimiter");
  assert.equal(c(frame({ refresh: 1 })), false);
  assert.equal(c(frame({ refresh: 0x80 })), false);
  assert.equal(c(frame({ type: 0 })), false, "key frame");
  assert.equal(c(frame({ type: 0, show: false, refresh: 0 })), false, "hidden key frame");
  assert.equal(c(frame({ type: 3 })), false, "switch frame");
  assert.equal(c(frame({ type: 2 })), true, "intra-only frame, no refresh");
  assert.equal(c(frame({ type: 2, refresh: 4 })), false);
  assert.equal(c(frame({ show: false })), true, "hidden inter frame, no refresh");
  assert.equal(c(frame({ errorResilient: true })), true, "error resilient");
  assert.equal(
    c(obu(3, av1FrameHeader(seq, { showExisting: true }))),
    false,
    "show_existing_frame (maybe a key frame)",
  );
  const header = obu(3, av1FrameHeader(seq, {}));
  assert.equal(c(concat(TD, header, tileGroup, tileGroup)), true, "frame header + tile groups");
  assert.equal(c(concat(TD, header, obu(7, av1FrameHeader(seq, { refresh: 9 })), tileGroup)), true, "redundant copy");
  assert.equal(c(concat(frame({ show: false, refresh: 0x10 }), frame({}))), false, "hidden ARF + shown frame");
  assert.equal(c(concat(frame({ show: false }), frame({}))), true, "two frames without refresh");
  assert.equal(c(concat(TD, obu(1, av1Sequence(seq)), frame({}))), false, "sequence header");
  assert.equal(c(concat(obu(5, [1, 2, 3]), obu(15, [0, 0]), frame({}))), true, "metadata, padding");
  assert.equal(c(concat(TD)), false, "no frame");
});

Deno.test("av1: frame headers under every sequence header option", () => {
  const variants: SeqOptions[] = [
    { orderHintBits: 0 },
    { orderHintBits: 8, screen: 0 },
    { screen: 1, integerMv: 0 },
    { screen: 1, integerMv: "select" },
    { frameIds: { delta: 14, additional: 7 } },
    { timing: { equal: true } },
    { timing: { equal: false } },
    { timing: { equal: false, model: { delay: 20, removal: 10, presentation: 7 } }, ops: [{ idc: 0, model: true }] },
    {
      timing: { equal: true, model: { delay: 5, removal: 24, presentation: 32 } },
      initialDisplayDelay: true,
      ops: [{ idc: 0x103, model: true, level: 12 }, { idc: 0x101, model: false }, { idc: 0x102, model: true }],
    },
  ];
  for (const seq of variants) {
    const c = classifier("av1", av1C(av1Sequence(seq)));
    for (const [tid, sid] of [[0, 0], [1, 0], [0, 1]]) {
      const frame = (o: FrameOptions) =>
        obu(6, concat(av1FrameHeader(seq, { ...o, tid, sid }), [1, 2, 3]), { tid, sid });
      const what = JSON.stringify({ seq, tid, sid });
      assert.equal(c(frame({})), true, what);
      assert.equal(c(frame({ refresh: 0x40 })), false, what);
      assert.equal(c(frame({ refresh: 0x01, show: false })), false, what);
      assert.equal(c(frame({ type: 2, errorResilient: true })), true, what);
    }
  }
  const still = classifier("av1", av1C(av1Sequence({ reduced: true })));
  assert.equal(still(obu(6, [0x10, 0, 0])), false, "reduced still picture header: key frames only");
});

Deno.test("av1: OBU framing", () => {
  const seq: SeqOptions = {};
  const c = classifier("av1", av1C(av1Sequence(seq)));
  const header = av1FrameHeader(seq, {});
  assert.equal(c(concat(TD, obu(6, header, { size: false }))), true, "last OBU without size field");
  assert.equal(c(concat(TD, obu(6, concat(header, new Array(300).fill(0))))), true, "two-byte leb128 size");
  assert.equal(classifier("av1", obu(1, av1Sequence(seq)))(obu(6, header)), true, "sequence header OBU as extradata");
  assert.equal(classifier("av1")(obu(6, header)), undefined, "no sequence header");
  assert.equal(classifier("av1")(obu(6, av1FrameHeader(seq, { refresh: 2 }))), undefined, "no sequence header");
  assert.equal(classifier("av1")(concat(TD, obu(1, av1Sequence(seq)))), false, "in-band sequence header");
  const p = obu(6, header);
  assert.equal(c(p.subarray(0, p.length - 1)), undefined, "size overruns the packet");
  assert.equal(c(concat([0x80 | (6 << 3) | 2, 1, 0])), undefined, "forbidden bit");
  assert.equal(c(Uint8Array.from([(6 << 3) | 2, 0x80, 0x80])), undefined, "leb128 runs out");
  assert.equal(c(concat(obu(8, [1, 2]), p)), undefined, "tile list");
  assert.equal(c(concat(obu(9, [1, 2]), p)), undefined, "reserved OBU type");
  assert.equal(c(obu(6, [])), undefined, "empty frame OBU");
  assert.equal(c(new Uint8Array()), false);
});

// ---------------------------------------------------------------------------
// All codecs

Deno.test("unsupported codecs, and garbage never throws", () => {
  assert.equal(packetClassifier("mjpeg"), undefined);
  assert.equal(packetClassifier("H264"), undefined, "names are FFmpeg's, lower case");
  const random = rng(7);
  const extradatas: Record<string, (Uint8Array | undefined)[]> = {
    h264: [undefined, avcC(4, [h264Sps()], [h264Pps()]), Uint8Array.from([1, 2, 3, 4, 5, 0xe1, 0, 9])],
    hevc: [undefined, hvcC(4, 1, hevcSps(0)), concat(hvcC(4, 1, hevcSps(0)).subarray(0, 30))],
    mpeg4: [undefined, mpeg4Vol(), Uint8Array.from([0, 0, 1, 0x20, 0xff])],
    vp8: [undefined],
    vp9: [undefined],
    av1: [undefined, av1C(av1Sequence()), Uint8Array.from([0x81, 0, 0, 0, 0x0a, 0x05, 0])],
  };
  for (const [codec, list] of Object.entries(extradatas)) {
    for (const extradata of list) {
      const c = classifier(codec, extradata);
      for (let i = 0; i < 3000; i++) {
        const p = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
        // Bias towards plausible headers now and then.
        if (p.length > 4 && random() < 0.3) p.set([0, 0, 0, 1].slice(0, 4), 0);
        const verdict = c(p, p.subarray(1));
        assert.ok(verdict === true || verdict === false || verdict === undefined);
      }
    }
  }
});

Deno.test("truncated disposable packets are never worse than undefined", () => {
  const cases: [PacketClassifier, Uint8Array][] = [
    [classifier("h264", avcC(4, [h264Sps()], [h264Pps()])), lengthPrefixed(4, h264Sei([1, [1, 2]]), h264Slice())],
    [classifier("hevc", hvcC(4, 1)), lengthPrefixed(4, hevcSei(true, [1, [1]]), hevcNal(TRAIL_N, 0))],
    [classifier("av1", av1C(av1Sequence())), concat(TD, obu(6, av1FrameHeader({}, {})))],
  ];
  for (const [c, p] of cases) {
    assert.equal(c(p), true);
    for (let n = 0; n < p.length - 1; n++) {
      const verdict = c(p.subarray(0, n));
      // Cut inside the last NAL/OBU's payload the header may still be whole; a cut framing is not.
      assert.notEqual(verdict, true, `cut at ${n} of ${p.length}`);
    }
  }
});

// ---------------------------------------------------------------------------
// Damage

Deno.test("damage: H.264 and HEVC framing as FFmpeg's NAL splitter reads it", () => {
  const h = packetCheck("h264", avcC(4, [h264Sps()], [h264Pps()]));
  const p = lengthPrefixed(4, AUD, h264Slice());
  assert.equal(h(p), undefined);
  assert.equal(h(concat(p, [0, 0, 7])), undefined, "fewer than 4 bytes left over are ignored");
  assert.equal(h(concat(p, [0, 0, 0, 1])), "a NAL unit length with nothing after it");
  assert.equal(h(concat([0, 0, 0, 0], p)), "a NAL unit of length 0", "zero-length NAL unit (FFmpeg fails the packet)");
  assert.equal(h(new Uint8Array(40)), "a NAL unit of length 0", "a zeroed packet");
  assert.match(h(p.subarray(0, p.length - 1))!, /runs past the packet/);
  assert.equal(h(lengthPrefixed(4, AUD, h264Sei([5, X264_UUID]))), "no slice in the packet");
  assert.equal(h(lengthPrefixed(4, concat([0x81], h264Slice().subarray(1)))), "a NAL unit with its forbidden bit set");
  assert.equal(h(new Uint8Array()), "an empty packet");
  const two = packetCheck("h264", avcC(2, [h264Sps()], [h264Pps()]));
  assert.equal(two(lengthPrefixed(2, h264Slice())), undefined, "2-byte lengths");
  const b = packetCheck("h264", annexB(h264Sps(), h264Pps()));
  assert.equal(b(annexB(AUD, h264Slice())), undefined, "Annex B");
  assert.equal(b(annexB(AUD)), "no slice in the packet");
  assert.equal(b(new Uint8Array(30)), "no start code");

  const e = packetCheck("hevc", hvcC(4, 1, hevcVps(0), hevcSps(0)));
  assert.equal(e(lengthPrefixed(4, hevcNal(TRAIL_R, 0))), undefined);
  assert.equal(e(lengthPrefixed(4, hevcNal(CRA, 0))), undefined);
  assert.equal(e(lengthPrefixed(4, hevcSei(true, [5, [1, 2]]))), "no slice in the packet");
  assert.equal(e(new Uint8Array(12)), "a NAL unit of length 0");
});

Deno.test("damage: MPEG-4, VP8, VP9 and AV1 framing", () => {
  const m = packetCheck("mpeg4", mpeg4Vol());
  assert.equal(m(Uint8Array.from(vop(1))), undefined);
  assert.equal(m(Uint8Array.from(VOS)), "no VOP in the packet");
  assert.equal(m(new Uint8Array(20)), "no VOP in the packet");

  const v8 = packetCheck("vp8");
  assert.equal(v8(vp8Frame({ key: true })), undefined);
  assert.equal(v8(vp8Frame({})), undefined);
  assert.equal(v8(new Uint8Array(20)), "a key frame without its start code");
  assert.equal(v8(vp8Frame({}).subarray(0, 4)), "its first partition runs past the packet");
  assert.equal(v8(Uint8Array.from([1, 0])), "a truncated frame tag");

  const v9 = packetCheck("vp9");
  assert.equal(v9(vp9Frame(true)), undefined);
  assert.equal(v9(superframe([vp9Frame(false, 200), vp9ShowExisting(0, 1)])), undefined);
  assert.equal(v9(new Uint8Array(20)), "a frame without its frame marker");
  const bad = superframe([vp9Frame(false, 30), vp9ShowExisting(0, 1)]);
  bad[bad.length - 3] = 200; // a size past the frames
  assert.equal(v9(bad), "a malformed superframe index");

  const seq: SeqOptions = {};
  const a = packetCheck("av1", av1C(av1Sequence(seq)));
  const frame = obu(6, concat(av1FrameHeader(seq, {}), new Array(20).fill(0x11)));
  assert.equal(a(concat(TD, frame)), undefined);
  assert.equal(a(concat(TD, obu(3, av1FrameHeader(seq, { showExisting: true })))), undefined, "frame header only");
  assert.equal(a(concat(TD, tileGroup)), "no frame in it");
  assert.equal(a(concat(TD, frame).subarray(0, 10)), "its OBUs do not tile the packet");
  assert.equal(a(new Uint8Array(8)), "no frame in it", "a zeroed packet is reserved OBUs");

  assert.equal(packetCheck("mjpeg")(Uint8Array.from([1])), undefined, "other codecs: only emptiness");
  assert.equal(packetCheck("mjpeg")(new Uint8Array()), "an empty packet");
  assert.equal(packetCheck("h264", Uint8Array.from([1, 2]))(new Uint8Array(9)), "no start code", "short extradata");
});

Deno.test("damage: garbage never throws", () => {
  const r = rng(7);
  for (const codec of ["h264", "hevc", "mpeg4", "vp8", "vp9", "av1"]) {
    const check = packetCheck(codec, Uint8Array.from({ length: 40 }, () => Math.floor(r() * 256)));
    for (let k = 0; k < 300; k++) {
      const got = check(Uint8Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
      assert.ok(got === undefined || typeof got === "string");
    }
  }
});

Deno.test("damage: an H.264 configuration FFmpeg 5.1 refuses", () => {
  const ok = avcC(4, [h264Sps()], [h264Pps()]);
  assert.equal(configDamage("h264", ok), undefined);
  assert.equal(configDamage("h264", annexB(h264Sps(), h264Pps())), undefined);
  assert.equal(configDamage("h264", ok.subarray(0, ok.length - 2)), "the avcC's parameter sets overrun it");
  assert.equal(configDamage("hevc", ok.subarray(0, 9)), undefined, "only H.264 is judged");
  // VUI with aspect_ratio_idc 33 (reserved): FFmpeg 5.1 says "illegal aspect ratio" and drops the SPS.
  const vui = (idc: number) =>
    h264Nal(
      3,
      7,
      new BitWriter().u(8, 66).u(16, 30).ue(0).ue(0).ue(0).ue(0).ue(1).u(1, 0).ue(19).ue(14).u(1, 1).u(1, 1)
        .u(1, 0).u(1, 1).u(1, 1).u(8, idc).u(16, 1).u(16, 1).trailing().bytes(),
    );
  assert.equal(configDamage("h264", avcC(4, [vui(255)], [h264Pps()])), undefined, "extended SAR");
  assert.equal(configDamage("h264", avcC(4, [vui(1)], [h264Pps()])), undefined);
  assert.equal(
    configDamage("h264", avcC(4, [vui(33)], [h264Pps()])),
    "the codec configuration holds an SPS with the reserved aspect_ratio_idc 33",
  );
  const check = packetCheck("h264", annexB(h264Sps(), h264Pps()));
  assert.equal(check(annexB(vui(33), h264Slice())), "an SPS with the reserved aspect_ratio_idc 33", "in-band SPS");
});

Deno.test("damage: a packet marked as a keyframe must be one in its bitstream", () => {
  const v8 = packetCheck("vp8");
  assert.equal(v8(vp8Frame({ key: true }), true), undefined);
  assert.match(v8(vp8Frame({}), true)!, /inter frame/);
  assert.equal(v8(vp8Frame({}), false), undefined, "not marked: not judged");

  const v9 = packetCheck("vp9");
  assert.equal(v9(vp9Frame(true), true), undefined);
  assert.match(v9(vp9Frame(false), true)!, /no frame in it is a key frame/);
  assert.equal(v9(superframe([vp9Frame(false, 30), vp9Frame(true, 30)]), true), undefined, "a key frame in it");
  assert.equal(v9(vp9Frame(false), false), undefined);

  const m = packetCheck("mpeg4", mpeg4Vol());
  assert.equal(m(Uint8Array.from(vop(0)), true), undefined, "I-VOP");
  assert.match(m(Uint8Array.from(vop(1)), true)!, /no I-VOP/);
  assert.equal(m(Uint8Array.from(vop(1)), false), undefined);

  const h = packetCheck("h264", avcC(4, [h264Sps()], [h264Pps()]));
  assert.equal(h(lengthPrefixed(4, h264Slice({ type: 5, ref: 3, sliceType: 7 })), true), undefined, "IDR");
  assert.equal(h(lengthPrefixed(4, h264Slice({ ref: 3, sliceType: 7 })), true), undefined, "an I slice (open GOP)");
  assert.equal(
    h(lengthPrefixed(4, h264Sei([6, [0x84]]), h264Slice({ ref: 3, sliceType: 5 })), true),
    undefined,
    "recovery point",
  );
  assert.match(h(lengthPrefixed(4, h264Slice({ ref: 3, sliceType: 5 })), true)!, /no IDR, recovery point or I slice/);
  assert.equal(h(lengthPrefixed(4, h264Slice({ ref: 3, sliceType: 5 })), false), undefined);

  const e = packetCheck("hevc", hvcC(4, 1, hevcVps(0), hevcSps(0)));
  assert.equal(e(lengthPrefixed(4, hevcNal(CRA, 0)), true), undefined);
  assert.equal(
    e(lengthPrefixed(4, hevcSei(true, [6, [0x84]]), hevcNal(TRAIL_R, 0)), true),
    undefined,
    "recovery point",
  );
  assert.match(e(lengthPrefixed(4, hevcNal(TRAIL_R, 0)), true)!, /no IRAP picture or recovery point/);

  assert.equal(packetCheck("av1")(new Uint8Array([0x12, 0]), true), "no frame in it", "AV1: framing only");
});
