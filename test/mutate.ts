/**
 * A seeded generator of damaged media for `test/hostile_media_test.ts`.
 *
 * A case is `{ kind, fixture, seed }`: which mutation, of which fixture (none
 * for the synthetic inputs: empty, text, PNG, WAV, random bytes…), and the
 * seed every random choice of the mutation comes from. Its name spells all
 * three (`mp4.entry_count@h264_bframes_faststart.mp4#1234567`), so a failing
 * case is rebuilt byte for byte from its name alone:
 *
 * ```sh
 * deno run -A test/mutate.ts 'mp4.entry_count@h264_bframes_faststart.mp4#1234567' /tmp/case.mp4
 * deno run -A test/mutate.ts --list 40 7        # the first 40 cases the test plans with seed 7
 * ```
 *
 * The mutations know the containers' structure (MP4 boxes and sample tables,
 * fragments, EBML elements and blocks, transport packets, PAT/PMT and PES
 * headers) so that damage lands where parsers look, not only in the media
 * payload. The structure is read from the pristine fixture; the mutation then
 * changes bytes without caring whether the result still parses.
 *
 * @module
 */

import { join } from "node:path";
import { FIXTURES, rng } from "./env.ts";

/** One planned input: the mutation, the file it damages, and the seed of its random choices. */
export interface CaseSpec {
  /** Mutation kind, e.g. `mp4.entry_count`, `ts.pts_rewrite`, `any.truncate`, `synth.png`. */
  kind: string;
  /** Fixture file name in `test/fixtures/out/`; `""` for synthetic inputs. */
  fixture: string;
  /** Seed (uint32) of every random choice the mutation makes. */
  seed: number;
}

/** A built case: the spec, its bytes, and what was done to them. */
export interface MutatedCase extends CaseSpec {
  /** `kind@fixture#seed`; {@link parseCaseName} reads it back. */
  name: string;
  /** The file extension it gets (with the dot); not always the fixture's. */
  ext: string;
  /** What was changed, with byte offsets, in a line. */
  description: string;
  /** The damaged file. */
  bytes: Uint8Array;
}

/** The container structure a mutation works on. */
type Layout = "mp4" | "fmp4" | "matroska" | "mpegts" | "none";

/** Fixtures the generator damages, with their layout and how often they are chosen within their family. */
export const FIXTURE_SET: Record<string, { family: Family; layout: Layout; weight: number }> = {
  "h264_bframes_faststart.mp4": { family: "mp4", layout: "mp4", weight: 4 },
  "hevc.mp4": { family: "mp4", layout: "mp4", weight: 3 },
  "mpeg4.mp4": { family: "mp4", layout: "mp4", weight: 3 },
  "h264_vfr.mp4": { family: "mp4", layout: "mp4", weight: 1 },
  "h264_editlist_cut.mp4": { family: "mp4", layout: "mp4", weight: 1 },
  "h264_odd_322x180.mp4": { family: "mp4", layout: "mp4", weight: 1 },
  "h264_rotate90.mp4": { family: "mp4", layout: "mp4", weight: 1 },
  "av1.mp4": { family: "mp4", layout: "mp4", weight: 1 },
  "h264_audio_moov_end.mp4": { family: "mp4_moov_end", layout: "mp4", weight: 1 },
  "h264_fragmented.mp4": { family: "fmp4", layout: "fmp4", weight: 1 },
  "h264.mkv": { family: "matroska", layout: "matroska", weight: 4 },
  "vp9.webm": { family: "matroska", layout: "matroska", weight: 4 },
  "vp8.webm": { family: "matroska", layout: "matroska", weight: 1 },
  "av1.webm": { family: "matroska", layout: "matroska", weight: 1 },
  "h264_audio.ts": { family: "mpegts", layout: "mpegts", weight: 4 },
  "hevc.ts": { family: "mpegts", layout: "mpegts", weight: 2 },
  "h264_bdav.m2ts": { family: "mpegts", layout: "mpegts", weight: 1 },
  "h264_offset.ts": { family: "mpegts", layout: "mpegts", weight: 1 },
};

/** Groups of inputs, each given a share of the cases. */
type Family = "mp4" | "mp4_moov_end" | "fmp4" | "matroska" | "mpegts" | "synthetic";

/** Share of the cases per family (they sum to 100). */
const FAMILY_WEIGHTS: Record<Family, number> = {
  mp4: 24,
  mp4_moov_end: 13,
  fmp4: 13,
  matroska: 20,
  mpegts: 20,
  synthetic: 10,
};

// ---------------------------------------------------------------------------
// Random choices

type Rand = () => number;

/** An integer in [lo, hi]. */
function int(r: Rand, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function pick<T>(r: Rand, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from nothing");
  return items[Math.floor(r() * items.length)];
}

function weighted<T>(r: Rand, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [item, w] of items) {
    if ((x -= w) < 0) return item;
  }
  return items[items.length - 1][0];
}

function shuffled<T>(r: Rand, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const hex = (n: number) => "0x" + n.toString(16);

/** Flips `count` random bits in [from, to); returns "byte@bit" notes. */
function flipBits(b: Uint8Array, r: Rand, from: number, to: number, count: number): string {
  to = Math.min(to, b.byteLength);
  if (to <= from) return "nothing to flip";
  const notes: string[] = [];
  for (let k = 0; k < count; k++) {
    const at = int(r, from, to - 1), bit = int(r, 0, 7);
    b[at] ^= 1 << bit;
    notes.push(`${at}.${bit}`);
  }
  return `bits flipped at ${notes.slice(0, 8).join(", ")}${notes.length > 8 ? ` and ${notes.length - 8} more` : ""}`;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** `b` without [from, to). */
function cut(b: Uint8Array, from: number, to: number): Uint8Array {
  return concat(b.subarray(0, from), b.subarray(to));
}

// ---------------------------------------------------------------------------
// MP4 boxes

interface Box {
  type: string;
  start: number;
  /** Header bytes (8, or 16 with a 64-bit size). */
  header: number;
  size: number;
  end: number;
  depth: number;
  parent?: Box;
}

const MP4_CONTAINERS = new Set([
  "moov",
  "trak",
  "mdia",
  "minf",
  "stbl",
  "dinf",
  "edts",
  "moof",
  "traf",
  "mvex",
  "udta",
  "mfra",
  "sinf",
  "schi",
]);
/** Sample entries and how many bytes of fixed fields precede their child boxes. */
const SAMPLE_ENTRIES: Record<string, number> = {
  avc1: 78,
  avc3: 78,
  hvc1: 78,
  hev1: 78,
  mp4v: 78,
  av01: 78,
  vp09: 78,
  mp4a: 28,
};

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

/** Every box of a pristine MP4, depth first, including stsd's entries and their children. */
function mp4Boxes(b: Uint8Array): Box[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Box[] = [];
  const walk = (from: number, to: number, depth: number, parent?: Box) => {
    let at = from;
    while (at + 8 <= to) {
      let size = dv.getUint32(at), header = 8;
      if (size === 1) {
        size = Number(dv.getBigUint64(at + 8));
        header = 16;
      } else if (size === 0) size = to - at;
      if (size < header || at + size > to) break;
      const box: Box = { type: fourcc(b, at + 4), start: at, header, size, end: at + size, depth, parent };
      out.push(box);
      const data = at + header;
      if (MP4_CONTAINERS.has(box.type)) walk(data, box.end, depth + 1, box);
      else if (box.type === "meta") walk(data + 4, box.end, depth + 1, box);
      else if (box.type === "stsd") walk(data + 8, box.end, depth + 1, box);
      else if (box.type in SAMPLE_ENTRIES) walk(data + SAMPLE_ENTRIES[box.type], box.end, depth + 1, box);
      at = box.end;
    }
  };
  walk(0, b.byteLength, 0);
  return out;
}

/** Where a sample table's entry count and entries are (full boxes). */
interface Table {
  box: Box;
  countAt: number;
  count: number;
  entriesAt: number;
  entrySize: number;
}

function mp4Table(b: Uint8Array, box: Box): Table | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const data = box.start + box.header;
  const version = b[data];
  const simple: Record<string, number> = { stts: 8, ctts: 8, stss: 4, stsc: 12, stco: 4, co64: 8, elst: 0 };
  if (box.type in simple) {
    const entrySize = box.type === "elst" ? (version === 1 ? 20 : 12) : simple[box.type];
    return { box, countAt: data + 4, count: dv.getUint32(data + 4), entriesAt: data + 8, entrySize };
  }
  if (box.type === "stsz") {
    const fixed = dv.getUint32(data + 4);
    return { box, countAt: data + 8, count: dv.getUint32(data + 8), entriesAt: data + 12, entrySize: fixed ? 0 : 4 };
  }
  if (box.type === "trun") {
    const flags = (b[data + 1] << 16) | (b[data + 2] << 8) | b[data + 3];
    let entriesAt = data + 8;
    if (flags & 0x1) entriesAt += 4;
    if (flags & 0x4) entriesAt += 4;
    const entrySize = [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length * 4;
    return { box, countAt: data + 4, count: dv.getUint32(data + 4), entriesAt, entrySize };
  }
  return undefined;
}

/** The video track's boxes (the trak whose hdlr says vide), or every box when there is no such trak. */
function videoTrak(b: Uint8Array, boxes: Box[]): Box[] {
  const hdlr = boxes.find((x) => x.type === "hdlr" && fourcc(b, x.start + x.header + 8) === "vide");
  let trak = hdlr?.parent;
  while (trak && trak.type !== "trak") trak = trak.parent;
  if (!trak) return boxes;
  return boxes.filter((x) => x.start >= trak!.start && x.end <= trak!.end);
}

function setU32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0);
}

function getU32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);
}

const where = (box: Box) => `'${box.type}' at ${box.start}`;

// ---------------------------------------------------------------------------
// Matroska (EBML) elements

interface Element {
  id: number;
  start: number;
  idLen: number;
  sizeLen: number;
  /** Data size; -1 for "unknown". */
  size: number;
  dataStart: number;
  end: number;
  depth: number;
  parent?: Element;
}

const EBML_MASTERS = new Set([
  0x1a45dfa3, // EBML
  0x18538067, // Segment
  0x114d9b74, // SeekHead
  0x4dbb, // Seek
  0x1549a966, // Info
  0x1654ae6b, // Tracks
  0xae, // TrackEntry
  0xe0, // Video
  0xe1, // Audio
  0x55b0, // Colour
  0x1f43b675, // Cluster
  0xa0, // BlockGroup
  0x1c53bb6b, // Cues
  0xbb, // CuePoint
  0xb7, // CueTrackPositions
  0x1254c367, // Tags
  0x7373, // Tag
  0x63c0, // Targets
  0x67c8, // SimpleTag
  0x6d80, // ContentEncodings
]);
const EBML_NAMES: Record<number, string> = {
  0x1a45dfa3: "EBML",
  0x18538067: "Segment",
  0x114d9b74: "SeekHead",
  0x4dbb: "Seek",
  0x53ab: "SeekID",
  0x53ac: "SeekPosition",
  0x4286: "EBMLVersion",
  0x42f7: "EBMLReadVersion",
  0x4282: "DocType",
  0x73a4: "SegmentUUID",
  0x4d80: "MuxingApp",
  0x5741: "WritingApp",
  0x73c5: "TrackUID",
  0x9c: "FlagLacing",
  0x9a: "FlagInterlaced",
  0x22b59c: "Language",
  0xe2: "Channels",
  0xb5: "SamplingFrequency",
  0x6264: "BitDepth",
  0x56aa: "CodecDelay",
  0x56bb: "SeekPreRoll",
  0x1549a966: "Info",
  0x2ad7b1: "TimestampScale",
  0x4489: "Duration",
  0x1654ae6b: "Tracks",
  0xae: "TrackEntry",
  0xd7: "TrackNumber",
  0x83: "TrackType",
  0x86: "CodecID",
  0x63a2: "CodecPrivate",
  0x23e383: "DefaultDuration",
  0xe0: "Video",
  0xb0: "PixelWidth",
  0xba: "PixelHeight",
  0x1f43b675: "Cluster",
  0xe7: "Timestamp",
  0xa3: "SimpleBlock",
  0xa0: "BlockGroup",
  0xa1: "Block",
  0x1c53bb6b: "Cues",
  0xbb: "CuePoint",
  0xb3: "CueTime",
  0xb7: "CueTrackPositions",
  0xf1: "CueClusterPosition",
  0x1254c367: "Tags",
  0xec: "Void",
};
const elName = (e: Element) => `${EBML_NAMES[e.id] ?? hex(e.id)} at ${e.start}`;

/** Length of the vint starting with byte `first` (1–8), 0 if invalid. */
function vintLength(first: number): number {
  for (let len = 1; len <= 8; len++) if (first & (0x80 >> (len - 1))) return len;
  return 0;
}

function ebmlElements(b: Uint8Array): Element[] {
  const out: Element[] = [];
  const walk = (from: number, to: number, depth: number, parent?: Element) => {
    let at = from;
    while (at < to) {
      const idLen = vintLength(b[at]);
      if (idLen === 0 || idLen > 4 || at + idLen >= to) break;
      let id = 0;
      for (let k = 0; k < idLen; k++) id = id * 256 + b[at + k];
      const sizeAt = at + idLen;
      const sizeLen = vintLength(b[sizeAt]);
      if (sizeLen === 0 || sizeAt + sizeLen > to) break;
      let size = b[sizeAt] & (0xff >> sizeLen);
      let allOnes = size === (0xff >> sizeLen);
      for (let k = 1; k < sizeLen; k++) {
        size = size * 256 + b[sizeAt + k];
        allOnes &&= b[sizeAt + k] === 0xff;
      }
      const dataStart = sizeAt + sizeLen;
      const end = allOnes ? to : Math.min(dataStart + size, to);
      const el: Element = { id, start: at, idLen, sizeLen, size: allOnes ? -1 : size, dataStart, end, depth, parent };
      out.push(el);
      if (EBML_MASTERS.has(id)) walk(dataStart, end, depth + 1, el);
      at = end;
    }
  };
  walk(0, b.byteLength, 0);
  return out;
}

/** Writes `value` as a size vint of exactly `len` bytes (the caller checks it fits). */
function writeVint(b: Uint8Array, at: number, len: number, value: number): void {
  let v = value;
  for (let k = len - 1; k >= 1; k--) {
    b[at + k] = v % 256;
    v = Math.floor(v / 256);
  }
  b[at] = (0x80 >> (len - 1)) | v;
}

/** Largest size a vint of `len` bytes holds (all ones is "unknown"). */
const vintMax = (len: number) => 2 ** (7 * len) - 2;

/** Blocks (SimpleBlock, Block) with their track number and where their 16-bit timecode is. */
function ebmlBlocks(b: Uint8Array, els: Element[]): { el: Element; track: number; timecodeAt: number }[] {
  return els.filter((e) => e.id === 0xa3 || e.id === 0xa1).map((el) => {
    const len = vintLength(b[el.dataStart]);
    const track = b[el.dataStart] & (0xff >> len);
    return { el, track, timecodeAt: el.dataStart + len };
  });
}

/** The video track's number (TrackType 1), 1 when it cannot be told. */
function ebmlVideoTrack(b: Uint8Array, els: Element[]): number {
  for (const entry of els.filter((e) => e.id === 0xae)) {
    const kids = els.filter((e) => e.parent === entry);
    const type = kids.find((e) => e.id === 0x83), number = kids.find((e) => e.id === 0xd7);
    if (type && number && b[type.dataStart] === 1) return b[number.dataStart + number.size - 1];
  }
  return 1;
}

/** Replaces an element (header and data) by a Void element of the same length. */
function voidOut(b: Uint8Array, el: Element): void {
  const total = el.end - el.start;
  const sizeLen = total >= 9 ? 8 : total - 1;
  b[el.start] = 0xec;
  writeVint(b, el.start + 1, sizeLen, total - 1 - sizeLen);
}

// ---------------------------------------------------------------------------
// MPEG-TS packets

interface TsPacket {
  /** Offset of the sync byte. */
  at: number;
  pid: number;
  pusi: boolean;
  /** Offset of the payload (after the adaptation field), `at + 188` when none. */
  payload: number;
}

interface TsLayout {
  /** Packet stride (188 or 192); sync bytes are `lead` bytes into each unit. */
  stride: number;
  lead: number;
  packets: TsPacket[];
  pmtPids: Set<number>;
  videoPid: number;
  audioPid?: number;
}

function tsLayout(b: Uint8Array): TsLayout {
  let stride = 0, first = -1;
  for (const s of [188, 192]) {
    for (let at = 0; at < s && first < 0; at++) {
      if ([0, 1, 2, 3].every((k) => b[at + k * s] === 0x47)) [stride, first] = [s, at];
    }
    if (first >= 0) break;
  }
  if (first < 0) throw new Error("not a transport stream");
  const packets: TsPacket[] = [];
  for (let at = first; at + 188 <= b.byteLength; at += stride) {
    if (b[at] !== 0x47) continue;
    const pid = ((b[at + 1] & 0x1f) << 8) | b[at + 2];
    const afc = (b[at + 3] >> 4) & 3;
    let payload = at + 4;
    if (afc & 2) payload += 1 + b[at + 4];
    if (!(afc & 1)) payload = at + 188;
    packets.push({ at, pid, pusi: (b[at + 1] & 0x40) !== 0, payload: Math.min(payload, at + 188) });
  }
  const pmtPids = new Set<number>();
  let videoPid = -1, audioPid: number | undefined;
  for (const p of packets.filter((p) => p.pid === 0 && p.pusi).slice(0, 1)) {
    const s = p.payload + 1 + b[p.payload]; // pointer field
    const length = ((b[s + 1] & 0x0f) << 8) | b[s + 2];
    for (let e = s + 8; e + 4 <= s + 3 + length - 4; e += 4) {
      const program = (b[e] << 8) | b[e + 1];
      if (program !== 0) pmtPids.add(((b[e + 2] & 0x1f) << 8) | b[e + 3]);
    }
  }
  for (const p of packets.filter((p) => pmtPids.has(p.pid) && p.pusi).slice(0, 1)) {
    const s = p.payload + 1 + b[p.payload];
    const length = ((b[s + 1] & 0x0f) << 8) | b[s + 2];
    const infoLength = ((b[s + 10] & 0x0f) << 8) | b[s + 11];
    for (let e = s + 12 + infoLength; e + 5 <= s + 3 + length - 4;) {
      const type = b[e], pid = ((b[e + 1] & 0x1f) << 8) | b[e + 2];
      if ([0x01, 0x02, 0x10, 0x1b, 0x24].includes(type) && videoPid < 0) videoPid = pid;
      else if (audioPid === undefined) audioPid = pid;
      e += 5 + (((b[e + 3] & 0x0f) << 8) | b[e + 4]);
    }
  }
  return { stride, lead: first % stride === 4 && stride === 192 ? 4 : 0, packets, pmtPids, videoPid, audioPid };
}

/** Offset of the 33-bit PTS (and DTS) fields of a PES starting at `pes`, if it has them. */
function pesTimes(b: Uint8Array, pes: number): { pts?: number; dts?: number } {
  if (b[pes] !== 0 || b[pes + 1] !== 0 || b[pes + 2] !== 1) return {};
  const flags = b[pes + 7] >> 6;
  return { pts: flags & 2 ? pes + 9 : undefined, dts: flags === 3 ? pes + 14 : undefined };
}

function readTimestamp(b: Uint8Array, at: number): number {
  return ((b[at] >> 1) & 7) * 2 ** 30 + ((b[at + 1] << 7) | (b[at + 2] >> 1)) * 2 ** 15 +
    ((b[at + 3] << 7) | (b[at + 4] >> 1));
}

/** Writes a 33-bit timestamp keeping the field's 4-bit prefix and the marker bits. */
function writeTimestamp(b: Uint8Array, at: number, value: number): void {
  value = ((value % 2 ** 33) + 2 ** 33) % 2 ** 33;
  const high = Math.floor(value / 2 ** 30), mid = Math.floor(value / 2 ** 15) % 2 ** 15, low = value % 2 ** 15;
  b[at] = (b[at] & 0xf0) | (high << 1) | 1;
  b[at + 1] = mid >> 7;
  b[at + 2] = ((mid & 0x7f) << 1) | 1;
  b[at + 3] = low >> 7;
  b[at + 4] = ((low & 0x7f) << 1) | 1;
}

// ---------------------------------------------------------------------------
// Mutations

interface Context {
  r: Rand;
  /** A copy of the fixture, free to change in place. */
  b: Uint8Array;
  fixture: string;
  layout: Layout;
}

/** A mutation returns the damaged bytes (often `ctx.b` itself), and says what it did. */
type Mutation = (ctx: Context) =>
  | { bytes: Uint8Array; what: string; ext?: string }
  | Promise<
    { bytes: Uint8Array; what: string; ext?: string }
  >;

/** Byte ranges holding media payload (mdat data, block data, video TS payload). */
function payloadRanges(ctx: Context): [number, number][] {
  const { b } = ctx;
  if (ctx.layout === "mp4" || ctx.layout === "fmp4") {
    return mp4Boxes(b).filter((x) => x.type === "mdat").map((x) => [x.start + x.header, x.end]);
  }
  if (ctx.layout === "matroska") {
    return ebmlBlocks(b, ebmlElements(b)).map(({ el, timecodeAt }) => [timecodeAt + 3, el.end]);
  }
  if (ctx.layout === "mpegts") {
    const ts = tsLayout(b);
    return ts.packets.filter((p) => p.pid === ts.videoPid && p.payload < p.at + 188).map((p) => {
      const times = p.pusi ? pesTimes(b, p.payload) : {};
      const start = times.pts !== undefined ? p.payload + 9 + b[p.payload + 8] : p.payload;
      return [Math.min(start, p.at + 188), p.at + 188];
    });
  }
  return [[0, b.byteLength]];
}

/** A random position in the payload ranges, weighted by their size. */
function payloadPosition(ctx: Context): { at: number; range: [number, number] } {
  const ranges = payloadRanges(ctx).filter(([a, z]) => z > a);
  if (ranges.length === 0) return { at: int(ctx.r, 0, ctx.b.byteLength - 1), range: [0, ctx.b.byteLength] };
  const range = weighted(ctx.r, ranges.map((x) => [x, x[1] - x[0]] as const));
  return { at: int(ctx.r, range[0], range[1] - 1), range };
}

/** Structure boundaries (box/element/packet starts), for cuts that land on them. */
function boundaries(ctx: Context): number[] {
  const { b } = ctx;
  if (ctx.layout === "mp4" || ctx.layout === "fmp4") return mp4Boxes(b).flatMap((x) => [x.start, x.start + x.header]);
  if (ctx.layout === "matroska") return ebmlElements(b).flatMap((e) => [e.start, e.dataStart]);
  if (ctx.layout === "mpegts") return tsLayout(b).packets.map((p) => p.at);
  return [0];
}

const EXTENSIONS = [".mp4", ".mkv", ".webm", ".ts", ".mov", ".m2ts"];

const GENERIC: Record<string, Mutation> = {
  "any.truncate"(ctx) {
    const { r, b } = ctx;
    const how = weighted(r, [["uniform", 5], ["boundary", 3], ["tiny", 1], ["near-end", 1]] as const);
    let at: number;
    if (how === "uniform") at = int(r, 1, b.byteLength - 1);
    else if (how === "tiny") at = int(r, 1, 64);
    else if (how === "near-end") at = b.byteLength - int(r, 1, 4096);
    else at = Math.max(1, pick(r, boundaries(ctx)) + int(r, -2, 16));
    at = Math.min(Math.max(at, 1), b.byteLength - 1);
    return { bytes: b.slice(0, at), what: `truncated to ${at} of ${b.byteLength} bytes (${how})` };
  },
  "any.flip_payload"(ctx) {
    const count = weighted(ctx.r, [[1, 4], [2, 2], [8, 1], [64, 1]] as const);
    const notes: string[] = [];
    for (let k = 0; k < count; k++) {
      const { at } = payloadPosition(ctx);
      const bit = int(ctx.r, 0, 7);
      ctx.b[at] ^= 1 << bit;
      notes.push(`${at}.${bit}`);
    }
    const more = notes.length > 8 ? ` and ${notes.length - 8} more` : "";
    return { bytes: ctx.b, what: `${count} payload bit(s) flipped at ${notes.slice(0, 8).join(", ")}${more}` };
  },
  "any.flip_anywhere"(ctx) {
    const count = weighted(ctx.r, [[1, 3], [4, 2], [32, 1]] as const);
    return { bytes: ctx.b, what: flipBits(ctx.b, ctx.r, 0, ctx.b.byteLength, count) };
  },
  "any.zero_range"(ctx) {
    const { r, b } = ctx;
    const length = weighted(r, [[int(r, 1, 16), 2], [int(r, 16, 512), 3], [int(r, 512, 8192), 2]] as const);
    const inPayload = r() < 0.7;
    const start = inPayload ? payloadPosition(ctx).at : int(r, 0, b.byteLength - 1);
    const end = Math.min(b.byteLength, start + length);
    b.fill(0, start, end);
    return { bytes: b, what: `zeroed bytes ${start}–${end - 1}${inPayload ? " (payload)" : ""}` };
  },
  "any.drop_range"(ctx) {
    const { r, b } = ctx;
    const length = int(r, 1, r() < 0.5 ? 64 : 4096);
    const start = r() < 0.6 ? payloadPosition(ctx).at : int(r, 0, b.byteLength - 1);
    const end = Math.min(b.byteLength, start + length);
    return { bytes: cut(b, start, end), what: `removed bytes ${start}–${end - 1} (later data shifted)` };
  },
  "any.dup_range"(ctx) {
    const { r, b } = ctx;
    const start = int(r, 0, b.byteLength - 1);
    const end = Math.min(b.byteLength, start + int(r, 1, 4096));
    return {
      bytes: concat(b.subarray(0, end), b.subarray(start, end), b.subarray(end)),
      what: `bytes ${start}–${end - 1} repeated after themselves`,
    };
  },
  "any.append"(ctx) {
    const { r, b } = ctx;
    const how = pick(r, ["random", "itself", "zeros"] as const);
    const tail = how === "itself" ? b.slice() : how === "zeros" ? new Uint8Array(int(r, 1, 65536)) : randomBytes(
      r,
      int(r, 1, 65536),
    );
    return { bytes: concat(b, tail), what: `${tail.byteLength} bytes appended (${how})` };
  },
  "any.wrong_ext"(ctx) {
    const own = ctx.fixture.slice(ctx.fixture.lastIndexOf("."));
    const ext = pick(ctx.r, EXTENSIONS.filter((e) => e !== own && !(own === ".mkv" && e === ".webm")));
    return { bytes: ctx.b, what: `unchanged bytes named ${ext}`, ext };
  },
};

function randomBytes(r: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * 256);
  return out;
}

const MP4: Record<string, Mutation> = {
  "mp4.box_header_flip"(ctx) {
    const box = pick(ctx.r, mp4Boxes(ctx.b));
    const field = pick(ctx.r, ["size", "type"] as const);
    const from = box.start + (field === "size" ? 0 : 4);
    return { bytes: ctx.b, what: `${field} of box ${where(box)}: ${flipBits(ctx.b, ctx.r, from, from + 4, 1)}` };
  },
  "mp4.box_huge_size"(ctx) {
    const { r, b } = ctx;
    const box = pick(r, mp4Boxes(b).filter((x) => x.header === 8));
    const size = pick(r, [0xffffffff, 0x80000000, 0x7ffffff8, 1, Math.min(0xffffffff, box.size * 4096), 0x10000000]);
    setU32(b, box.start, size);
    return {
      bytes: b,
      what: `box ${where(box)} size ${box.size} → ${hex(size)}${size === 1 ? " (64-bit size read from the type)" : ""}`,
    };
  },
  "mp4.box_size_small"(ctx) {
    const { r, b } = ctx;
    const box = pick(r, mp4Boxes(b));
    const size = pick(r, [0, 0, 2, 7, 8, Math.max(0, box.size - int(r, 1, 16)), box.size + int(r, 1, 16)]);
    setU32(b, box.start, size);
    return { bytes: b, what: `box ${where(box)} size ${box.size} → ${size}${size === 0 ? " (to end of file)" : ""}` };
  },
  "mp4.entry_count"(ctx) {
    const { r, b } = ctx;
    const tables = mp4Boxes(b).map((x) => mp4Table(b, x)).filter((t) => t !== undefined);
    const t = pick(r, tables);
    const value = pick(r, [
      0,
      1,
      Math.max(0, t.count - 1),
      t.count + 1,
      t.count * 2,
      t.count + 1000,
      0x10000,
      0x1000000,
      0x3fffffff,
      0x7fffffff,
      0xffffffff,
    ]);
    setU32(b, t.countAt, value);
    return { bytes: b, what: `entry count of ${where(t.box)} ${t.count} → ${value}` };
  },
  "mp4.table_flip"(ctx) {
    const { r, b } = ctx;
    const tables = mp4Boxes(b).map((x) => mp4Table(b, x)).filter((t) => t !== undefined && t.count * t.entrySize > 0);
    const t = pick(r, tables)!;
    const what = flipBits(b, r, t.entriesAt, Math.min(t.box.end, t.entriesAt + t.count * t.entrySize), int(r, 1, 4));
    return { bytes: b, what: `entries of ${where(t.box)}: ${what}` };
  },
  "mp4.sample_size"(ctx) {
    const { r, b } = ctx;
    const stsz = pick(r, mp4Boxes(b).filter((x) => x.type === "stsz" || x.type === "trun"));
    const t = mp4Table(b, stsz)!;
    const value = pick(r, [0, 1, 0xffffffff, 0x7fffffff, b.byteLength, b.byteLength * 2, int(r, 1, 100000)]);
    if (stsz.type === "trun") {
      const flags = b[stsz.start + stsz.header + 3] | (b[stsz.start + stsz.header + 2] << 8);
      if (!(flags & 0x200) || t.count === 0) {
        setU32(b, t.countAt, value);
        return { bytes: b, what: `trun ${where(stsz)} without sample sizes: sample count → ${value}` };
      }
      const i = int(r, 0, t.count - 1);
      const at = t.entriesAt + i * t.entrySize + (flags & 0x100 ? 4 : 0);
      const old = getU32(b, at);
      setU32(b, at, value);
      return { bytes: b, what: `size of sample ${i} in ${where(stsz)} ${old} → ${value}` };
    }
    if (t.entrySize === 0 || t.count === 0) {
      setU32(b, t.countAt - 4, value);
      return { bytes: b, what: `fixed sample size of ${where(stsz)} → ${value}` };
    }
    const i = int(r, 0, t.count - 1);
    const old = getU32(b, t.entriesAt + 4 * i);
    setU32(b, t.entriesAt + 4 * i, value);
    return { bytes: b, what: `size of sample ${i} in ${where(stsz)} ${old} → ${value}` };
  },
  "mp4.chunk_offset"(ctx) {
    const { r, b } = ctx;
    const boxes = mp4Boxes(b).filter((x) => (x.type === "stco" || x.type === "co64") && mp4Table(b, x)!.count > 0);
    if (boxes.length === 0) return MP4["mp4.entry_count"](ctx);
    const box = pick(r, boxes);
    const t = mp4Table(b, box)!;
    const i = int(r, 0, t.count - 1);
    const at = t.entriesAt + i * t.entrySize + (box.type === "co64" ? 4 : 0);
    const old = getU32(b, at);
    const value = pick(r, [
      0,
      8,
      b.byteLength,
      b.byteLength + 1000,
      0xffffffff,
      old + int(r, 1, 2000),
      old - int(r, 1, 2000),
    ]);
    setU32(b, at, value);
    return { bytes: b, what: `offset of chunk ${i} in ${where(box)} ${old} → ${value >>> 0}` };
  },
  "mp4.codec_config_flip"(ctx) {
    const { r, b } = ctx;
    const boxes = videoTrak(b, mp4Boxes(b));
    const config = boxes.filter((x) => ["avcC", "hvcC", "av1C", "esds", "vpcC"].includes(x.type));
    const entry = boxes.find((x) => x.type in SAMPLE_ENTRIES && x.type !== "mp4a");
    const inConfig = config.length > 0 && r() < 0.7;
    const box = inConfig ? pick(r, config) : entry ?? pick(r, boxes);
    const from = box.start + box.header;
    return {
      bytes: b,
      what: `${inConfig ? "decoder config" : "sample entry"} ${where(box)}: ${
        flipBits(b, r, from, box.end, int(r, 1, 3))
      }`,
    };
  },
  "mp4.timing"(ctx) {
    const { r, b } = ctx;
    const boxes = videoTrak(b, mp4Boxes(b));
    const options: (() => string)[] = [];
    const mdhd = boxes.find((x) => x.type === "mdhd");
    if (mdhd) {
      const at = mdhd.start + mdhd.header + (b[mdhd.start + mdhd.header] === 1 ? 20 : 12);
      options.push(() => {
        const v = pick(r, [0, 1, 0xffffffff, int(r, 2, 1000)]);
        const old = getU32(b, at);
        setU32(b, at, v);
        return `timescale of ${where(mdhd)} ${old} → ${v}`;
      });
    }
    for (const name of ["stts", "ctts", "elst"]) {
      const box = boxes.find((x) => x.type === name);
      const t = box && mp4Table(b, box);
      if (!t || t.count === 0) continue;
      options.push(() => {
        const i = int(r, 0, t.count - 1);
        const at = t.entriesAt + i * t.entrySize + (name === "elst" ? (t.entrySize === 20 ? 12 : 4) : 4);
        const old = getU32(b, at);
        const v = pick(r, [0, 1, 0xffffffff, 0x80000000, old * 2, old + int(r, 1, 5000), old - int(r, 1, 5000)]);
        setU32(b, at, v);
        return `${name === "elst" ? "media time" : name === "ctts" ? "composition offset" : "delta"} of entry ${i} in ${
          where(box)
        } ${old} → ${v >>> 0}`;
      });
    }
    const tkhd = boxes.find((x) => x.type === "tkhd");
    if (tkhd) {
      options.push(() => {
        const matrix = tkhd.start + tkhd.header + 4 + (b[tkhd.start + tkhd.header] === 1 ? 32 : 20) + 16;
        const one = 0x10000, m = one >>> 0, n = (-one) >>> 0;
        const [a, bb, c, d] = pick(r, [[0, m, n, 0], [n, 0, 0, n], [0, n, m, 0], [m, 0, 0, n], [0, 0, 0, 0]]);
        for (const [k, v] of [a, bb, 0, c, d, 0].entries()) setU32(b, matrix + 4 * k, v);
        return `display matrix of ${where(tkhd)} → [${[a, bb, c, d].map((v) => (v | 0) / one).join(" ")}]`;
      });
    }
    return { bytes: b, what: pick(r, options)() };
  },
  "mp4.remove_box"(ctx) {
    const { r, b } = ctx;
    const names = [
      "stss",
      "ctts",
      "edts",
      "elst",
      "avcC",
      "hvcC",
      "av1C",
      "esds",
      "stco",
      "stsz",
      "stts",
      "stsc",
      "mvex",
      "trex",
      "mfra",
      "sgpd",
      "sbgp",
      "btrt",
      "udta",
      "mdhd",
      "hdlr",
      "tfdt",
      "trun",
      "tfhd",
      "moof",
    ];
    const boxes = mp4Boxes(b).filter((x) => names.includes(x.type));
    const box = pick(r, boxes);
    b.set([0x66, 0x72, 0x65, 0x65], box.start + 4);
    return { bytes: b, what: `box ${where(box)} renamed 'free'` };
  },
  "mp4.truncate_index"(ctx) {
    const { r, b } = ctx;
    const index = pick(r, mp4Boxes(b).filter((x) => x.type === "moov" || x.type === "moof"));
    const at = int(r, index.start + 1, index.end - 1);
    return { bytes: b.slice(0, at), what: `truncated to ${at} bytes, inside ${where(index)} (${index.size} bytes)` };
  },
  "mp4.swap_entries"(ctx) {
    const { r, b } = ctx;
    const tables = videoTrak(b, mp4Boxes(b)).map((x) => mp4Table(b, x)).filter((t) =>
      t !== undefined && t.entrySize > 0 && t.count >= 2 && t.box.type !== "elst"
    );
    if (tables.length === 0) return MP4["mp4.table_flip"](ctx);
    const t = pick(r, tables)!;
    const i = int(r, 0, t.count - 2), j = int(r, i + 1, Math.min(t.count - 1, i + 8));
    const a = b.slice(t.entriesAt + i * t.entrySize, t.entriesAt + (i + 1) * t.entrySize);
    b.copyWithin(t.entriesAt + i * t.entrySize, t.entriesAt + j * t.entrySize, t.entriesAt + (j + 1) * t.entrySize);
    b.set(a, t.entriesAt + j * t.entrySize);
    return { bytes: b, what: `entries ${i} and ${j} of ${where(t.box)} swapped` };
  },
};

const FMP4: Record<string, Mutation> = {
  "fmp4.trun_count"(ctx) {
    const { r, b } = ctx;
    const t = mp4Table(b, pick(r, mp4Boxes(b).filter((x) => x.type === "trun")))!;
    const value = pick(r, [0, 1, t.count - 1, t.count + 1, t.count * 100, 0x7fffffff, 0xffffffff, 0x10000]);
    setU32(b, t.countAt, value);
    return { bytes: b, what: `sample count of ${where(t.box)} ${t.count} → ${value >>> 0}` };
  },
  "fmp4.trun_flip"(ctx) {
    const { r, b } = ctx;
    const box = pick(r, mp4Boxes(b).filter((x) => x.type === "trun"));
    return { bytes: b, what: `${where(box)}: ${flipBits(b, r, box.start + box.header, box.end, int(r, 1, 4))}` };
  },
  "fmp4.tfdt"(ctx) {
    const { r, b } = ctx;
    const tfdts = mp4Boxes(b).filter((x) => x.type === "tfdt");
    const k = int(r, 0, tfdts.length - 1), box = tfdts[k];
    const data = box.start + box.header, v1 = b[data] === 1;
    const at = data + 4 + (v1 ? 4 : 0);
    const old = getU32(b, at);
    const prev = k > 0 ? getU32(b, tfdts[k - 1].start + tfdts[k - 1].header + 4 + (v1 ? 4 : 0)) : 0;
    const value = pick(r, [0, prev, Math.max(0, old - int(r, 1, 2000)), old + int(r, 1, 100000), 0xffffffff]);
    setU32(b, at, value);
    const high = v1 && r() < 0.2;
    if (high) b[at - 1] = 0xff; // a 64-bit time past 2^39
    return {
      bytes: b,
      what: `base decode time of fragment ${k} (${where(box)}) ${old} → ${value >>> 0}${high ? " + 255·2^32" : ""}`,
    };
  },
  "fmp4.tfhd_flip"(ctx) {
    const { r, b } = ctx;
    const box = pick(r, mp4Boxes(b).filter((x) => x.type === "tfhd" || x.type === "mfhd" || x.type === "trex"));
    return { bytes: b, what: `${where(box)}: ${flipBits(b, r, box.start + box.header, box.end, int(r, 1, 2))}` };
  },
  "fmp4.fragments"(ctx) {
    const { r, b } = ctx;
    const top = mp4Boxes(b).filter((x) => x.depth === 0);
    const frags: [number, number][] = [];
    top.forEach((x, i) => {
      if (x.type === "moof" && top[i + 1]?.type === "mdat") frags.push([x.start, top[i + 1].end]);
    });
    const op = pick(r, ["drop", "swap", "dup"] as const);
    const k = int(r, 0, frags.length - 1);
    const [a, z] = frags[k];
    if (op === "drop") return { bytes: cut(b, a, z), what: `fragment ${k} (moof+mdat ${a}–${z - 1}) removed` };
    if (op === "dup") {
      return { bytes: concat(b.subarray(0, z), b.subarray(a, z), b.subarray(z)), what: `fragment ${k} repeated` };
    }
    const j = k + 1 < frags.length ? k + 1 : k - 1;
    const [lo, hi] = j > k ? [frags[k], frags[j]] : [frags[j], frags[k]];
    return {
      bytes: concat(b.subarray(0, lo[0]), b.subarray(hi[0], hi[1]), b.subarray(lo[0], lo[1]), b.subarray(hi[1])),
      what: `fragments ${Math.min(j, k)} and ${Math.max(j, k)} swapped`,
    };
  },
};

const MATROSKA: Record<string, Mutation> = {
  "mkv.header_flip"(ctx) {
    const { r, b } = ctx;
    const el = pick(r, ebmlElements(b));
    return { bytes: b, what: `header of ${elName(el)}: ${flipBits(b, r, el.start, el.dataStart, 1)}` };
  },
  "mkv.huge_size"(ctx) {
    const { r, b } = ctx;
    const el = pick(r, ebmlElements(b).filter((e) => e.sizeLen >= 2 || r() < 0.3));
    const how = pick(r, ["max", "unknown", "half", "times"] as const);
    const max = vintMax(el.sizeLen);
    const value = how === "max"
      ? max
      : how === "unknown"
      ? max + 1
      : how === "half"
      ? Math.floor(max / 2)
      : Math.min(max, Math.max(1, el.size) * 1000);
    writeVint(b, el.start + el.idLen, el.sizeLen, value);
    return { bytes: b, what: `size of ${elName(el)} ${el.size} → ${how === "unknown" ? "unknown" : value}` };
  },
  "mkv.size_off"(ctx) {
    const { r, b } = ctx;
    const el = pick(r, ebmlElements(b).filter((e) => e.size >= 0));
    const max = vintMax(el.sizeLen);
    const value = Math.min(max, Math.max(0, pick(r, [0, el.size - int(r, 1, 16), el.size + int(r, 1, 16)])));
    writeVint(b, el.start + el.idLen, el.sizeLen, value);
    return { bytes: b, what: `size of ${elName(el)} ${el.size} → ${value}` };
  },
  "mkv.block_header"(ctx) {
    const { r, b } = ctx;
    const { el, timecodeAt } = pick(r, ebmlBlocks(b, ebmlElements(b)));
    return {
      bytes: b,
      what: `block header of ${elName(el)}: ${flipBits(b, r, el.dataStart, timecodeAt + 3, int(r, 1, 2))}`,
    };
  },
  "mkv.block_timecode"(ctx) {
    const { r, b } = ctx;
    const track = ebmlVideoTrack(b, ebmlElements(b));
    const blocks = ebmlBlocks(b, ebmlElements(b)).filter((x) => x.track === track);
    const { el, timecodeAt } = pick(r, blocks);
    const old = (b[timecodeAt] << 24 >> 16) | b[timecodeAt + 1];
    const value = pick(r, [0, -32768, 32767, old + int(r, -200, -1), old + int(r, 1, 200), old + 42, old - 42]);
    const v = Math.max(-32768, Math.min(32767, value));
    b[timecodeAt] = (v >> 8) & 0xff;
    b[timecodeAt + 1] = v & 0xff;
    return { bytes: b, what: `relative timestamp of video ${elName(el)} ${old} → ${v}` };
  },
  "mkv.cluster_timestamp"(ctx) {
    const { r, b } = ctx;
    const els = ebmlElements(b);
    const stamps = els.filter((e) => e.id === 0xe7);
    const el = pick(r, stamps);
    let old = 0;
    for (let k = 0; k < el.size; k++) old = old * 256 + b[el.dataStart + k];
    const value = pick(r, [0, Math.max(0, old - int(r, 1, 1000)), old + int(r, 1, 1000), 2 ** (8 * el.size) - 1]);
    let v = value;
    for (let k = el.size - 1; k >= 0; k--) {
      b[el.dataStart + k] = v % 256;
      v = Math.floor(v / 256);
    }
    return { bytes: b, what: `cluster ${elName(el)} ${old} → ${value}` };
  },
  "mkv.track_flip"(ctx) {
    const { r, b } = ctx;
    const els = ebmlElements(b);
    const inTracks = els.filter((e) => {
      for (let p = e.parent; p; p = p.parent) if (p.id === 0x1654ae6b) return !EBML_MASTERS.has(e.id);
      return false;
    });
    const el = pick(r, inTracks);
    return { bytes: b, what: `${elName(el)} in Tracks: ${flipBits(b, r, el.dataStart, el.end, int(r, 1, 2))}` };
  },
  "mkv.index_flip"(ctx) {
    const { r, b } = ctx;
    const els = ebmlElements(b);
    const idx = els.filter((e) => (e.id === 0x53ac || e.id === 0xf1 || e.id === 0xb3 || e.id === 0x2ad7b1));
    const el = pick(r, idx.length ? idx : els);
    return { bytes: b, what: `${elName(el)}: ${flipBits(b, r, el.dataStart, el.end, int(r, 1, 3))}` };
  },
  "mkv.void_element"(ctx) {
    const { r, b } = ctx;
    const els = ebmlElements(b);
    const track = ebmlVideoTrack(b, els);
    const blocks = ebmlBlocks(b, els).filter((x) => x.track === track).map((x) => x.el);
    const others = els.filter((e) => [0x63a2, 0x1c53bb6b, 0x114d9b74, 0x2ad7b1, 0x23e383, 0xe0, 0xe7].includes(e.id));
    const el = r() < 0.6 || others.length === 0 ? pick(r, blocks) : pick(r, others);
    const k = blocks.indexOf(el);
    voidOut(b, el);
    return { bytes: b, what: `${elName(el)}${k >= 0 ? ` (video block ${k})` : ""} replaced by a Void element` };
  },
  "mkv.zero_block"(ctx) {
    const { r, b } = ctx;
    const els = ebmlElements(b);
    const track = ebmlVideoTrack(b, els);
    const blocks = ebmlBlocks(b, els).filter((x) => x.track === track);
    const k = int(r, 0, blocks.length - 1);
    const { el, timecodeAt } = blocks[k];
    b.fill(0, timecodeAt + 3, el.end);
    return { bytes: b, what: `payload of video block ${k} (${elName(el)}, ${el.end - timecodeAt - 3} bytes) zeroed` };
  },
};

const MPEG_TS: Record<string, Mutation> = {
  "ts.psi_flip"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const which = pick(r, ["PAT", "PMT"] as const);
    const psi = ts.packets.filter((p) => which === "PAT" ? p.pid === 0 : ts.pmtPids.has(p.pid));
    const scope = pick(r, ["first", "all", "one"] as const);
    const chosen = scope === "all" ? psi : scope === "first" ? psi.slice(0, 1) : [pick(r, psi)];
    // The same bits in every copy chosen, so a later copy does not simply replace a damaged one.
    const room = chosen[0].at + 188 - chosen[0].payload;
    const flips = Array.from({ length: int(r, 1, 3) }, () => [int(r, 0, room - 1), int(r, 0, 7)] as const);
    for (const p of chosen) {
      for (const [at, bit] of flips) if (p.payload + at < p.at + 188) b[p.payload + at] ^= 1 << bit;
    }
    return {
      bytes: b,
      what: `${which} in ${scope} (${chosen.length}) packet(s) from ${chosen[0].at}: payload bits ${
        flips.map(([at, bit]) => `${at}.${bit}`).join(", ")
      } flipped`,
    };
  },
  "ts.section_length"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const which = pick(r, ["PAT", "PMT"] as const);
    const psi = ts.packets.filter((p) => (which === "PAT" ? p.pid === 0 : ts.pmtPids.has(p.pid)) && p.pusi);
    const value = pick(r, [0, 1, 5, 0x3fd, 0xfff, int(r, 2, 1021)]);
    for (const p of psi) {
      const s = p.payload + 1 + b[p.payload];
      b[s + 1] = (b[s + 1] & 0xf0) | (value >> 8);
      b[s + 2] = value & 0xff;
    }
    return { bytes: b, what: `section_length of every ${which} (${psi.length}) → ${value}` };
  },
  "ts.header_flip"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const count = int(r, 1, 8);
    const notes: string[] = [];
    for (let k = 0; k < count; k++) {
      const p = r() < 0.8 ? pick(r, ts.packets.filter((p) => p.pid === ts.videoPid)) : pick(r, ts.packets);
      notes.push(flipBits(b, r, p.at, p.at + 4, 1).replace("bits flipped at ", ""));
    }
    return { bytes: b, what: `transport header bits flipped at ${notes.join(", ")}` };
  },
  "ts.pes_header_flip"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const starts = ts.packets.filter((p) => p.pid === ts.videoPid && p.pusi);
    const k = int(r, 0, starts.length - 1), p = starts[k];
    const length = Math.min(19, p.at + 188 - p.payload);
    return {
      bytes: b,
      what: `PES header of video PES ${k} at ${p.payload}: ${
        flipBits(b, r, p.payload, p.payload + length, int(r, 1, 3))
      }`,
    };
  },
  "ts.pts_rewrite"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const starts = ts.packets.filter((p) => p.pid === ts.videoPid && p.pusi && pesTimes(b, p.payload).pts);
    const k = int(r, 0, starts.length - 1), p = starts[k];
    const { pts, dts } = pesTimes(b, p.payload);
    const old = readTimestamp(b, pts!);
    const frame = 3750; // 1/24 s at 90 kHz
    const other = readTimestamp(b, pesTimes(b, pick(r, starts).payload).pts!);
    const value = pick(r, [
      0,
      other,
      old + frame * int(r, -5, 5),
      old + int(r, 1, 100),
      2 ** 33 - 1,
      int(r, 0, 2 ** 33 - 1),
    ]);
    writeTimestamp(b, pts!, value);
    let also = "";
    if (dts !== undefined && r() < 0.5) {
      const oldDts = readTimestamp(b, dts);
      writeTimestamp(b, dts, value - (old - oldDts));
      also = " (DTS moved with it)";
    }
    return { bytes: b, what: `PTS of video PES ${k} at ${p.payload} ${old} → ${value}${also}` };
  },
  "ts.drop_packets"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const video = r() < 0.7;
    const list = video ? ts.packets.filter((p) => p.pid === ts.videoPid) : ts.packets;
    const k = int(r, 0, list.length - 1), n = pick(r, [1, 1, 2, 5, 20]);
    const drop = new Set(list.slice(k, k + n).map((p) => p.at - ts.lead));
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const start of [...drop].sort((x, y) => x - y)) {
      parts.push(b.subarray(at, start));
      at = start + ts.stride;
    }
    parts.push(b.subarray(at));
    return {
      bytes: concat(...parts),
      what: `${drop.size} ${video ? "video " : ""}transport packet(s) from ${list[k].at} removed`,
    };
  },
  "ts.dup_packets"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const p = pick(r, ts.packets.filter((p) => p.pid === ts.videoPid));
    const n = int(r, 1, 4), start = p.at - ts.lead;
    const block = b.slice(start, Math.min(b.byteLength, start + n * ts.stride));
    return {
      bytes: concat(b.subarray(0, start), block, b.subarray(start)),
      what: `${n} packet(s) from ${p.at} repeated`,
    };
  },
  "ts.continuity"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const video = ts.packets.filter((p) => p.pid === ts.videoPid);
    const k = int(r, 0, video.length - 1), n = int(r, 1, 10);
    for (const p of video.slice(k, k + n)) b[p.at + 3] = (b[p.at + 3] & 0xf0) | ((b[p.at + 3] + int(r, 1, 15)) & 0x0f);
    return { bytes: b, what: `continuity counters of ${n} video packet(s) from ${video[k].at} changed` };
  },
  "ts.adaptation"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const p = pick(r, ts.packets.filter((p) => p.pid === ts.videoPid));
    const length = pick(r, [0, 1, 7, 182, 183, 184, 255, int(r, 2, 180)]);
    const control = pick(r, [2, 3]);
    b[p.at + 3] = (b[p.at + 3] & 0xcf) | (control << 4);
    b[p.at + 4] = length;
    return { bytes: b, what: `video packet at ${p.at}: adaptation control ${control}, field length ${length}` };
  },
  "ts.sync_garbage"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const p = pick(r, ts.packets.slice(4));
    const garbage = randomBytes(r, int(r, 1, 400));
    return {
      bytes: concat(b.subarray(0, p.at), garbage, b.subarray(p.at)),
      what: `${garbage.byteLength} random bytes inserted before the packet at ${p.at}`,
    };
  },
  "ts.zero_packets"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const k = int(r, 0, ts.packets.length - 1), n = pick(r, [1, 2, 10]);
    const from = ts.packets[k].at - ts.lead;
    b.fill(0, from, Math.min(b.byteLength, from + n * ts.stride));
    return { bytes: b, what: `${n} transport packet(s) from ${ts.packets[k].at} zeroed (sync bytes too)` };
  },
  "ts.pid_change"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const video = ts.packets.filter((p) => p.pid === ts.videoPid);
    const k = int(r, 0, video.length - 1), n = pick(r, [1, 3, 10]);
    const pid = r() < 0.5 && ts.audioPid !== undefined ? ts.audioPid : pick(r, [0x1fff, 0x0100 + int(r, 0, 0xff), 0]);
    for (const p of video.slice(k, k + n)) {
      b[p.at + 1] = (b[p.at + 1] & 0xe0) | (pid >> 8);
      b[p.at + 2] = pid & 0xff;
    }
    return { bytes: b, what: `${n} video packet(s) from ${video[k].at} moved to PID ${hex(pid)}` };
  },
  "ts.pusi_flip"(ctx) {
    const { r, b } = ctx;
    const ts = tsLayout(b);
    const video = ts.packets.filter((p) => p.pid === ts.videoPid);
    const p = r() < 0.5 ? pick(r, video.filter((p) => p.pusi)) : pick(r, video);
    b[p.at + 1] ^= 0x40;
    return { bytes: b, what: `payload-unit-start of the video packet at ${p.at} turned ${p.pusi ? "off" : "on"}` };
  },
};

// Synthetic inputs: no fixture.

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const x of bytes) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A valid RGB PNG of random pixels. */
async function png(r: Rand, width: number, height: number): Promise<Uint8Array> {
  const raw = new Uint8Array((width * 3 + 1) * height);
  for (let i = 0; i < raw.length; i++) raw[i] = i % (width * 3 + 1) === 0 ? 0 : Math.floor(r() * 256);
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", await deflate(raw)),
    chunk("IEND", new Uint8Array()),
  );
}

function wav(r: Rand, seconds: number): Uint8Array {
  const rate = 8000, n = Math.floor(rate * seconds);
  const out = new Uint8Array(44 + n * 2);
  const dv = new DataView(out.buffer);
  const text = (at: number, s: string) => out.set(new TextEncoder().encode(s), at);
  text(0, "RIFF");
  dv.setUint32(4, 36 + n * 2, true);
  text(8, "WAVEfmt ");
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true);
  dv.setUint16(22, 1, true);
  dv.setUint32(24, rate, true);
  dv.setUint32(28, rate * 2, true);
  dv.setUint16(32, 2, true);
  dv.setUint16(34, 16, true);
  text(36, "data");
  dv.setUint32(40, n * 2, true);
  const f = 200 + r() * 800;
  for (let i = 0; i < n; i++) dv.setInt16(44 + 2 * i, Math.round(8000 * Math.sin((2 * Math.PI * f * i) / rate)), true);
  return out;
}

const SYNTHETIC: Record<string, Mutation> = {
  "synth.empty"(ctx) {
    return { bytes: new Uint8Array(), what: "zero-length file", ext: pick(ctx.r, EXTENSIONS) };
  },
  "synth.text"(ctx) {
    const { r } = ctx;
    const texts = [
      "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
      '{"error":"AccessDenied","message":"Access Denied"}\n',
      "frame,time\n" + Array.from({ length: int(r, 1, 500) }, (_, i) => `${i},${(i / 24).toFixed(3)}`).join("\n"),
      "ftyp is not at the start of this text file; moov mdat EBML \x1aE\xdf\xa3 G@\x00\x10\n".repeat(int(r, 1, 50)),
    ];
    return { bytes: new TextEncoder().encode(pick(r, texts)), what: "a text file", ext: pick(r, EXTENSIONS) };
  },
  async "synth.png"(ctx) {
    const { r } = ctx;
    const w = int(r, 1, 320), h = int(r, 1, 240);
    return { bytes: await png(r, w, h), what: `a ${w}×${h} PNG image`, ext: pick(r, [".mp4", ".mkv", ".ts", ".png"]) };
  },
  "synth.wav"(ctx) {
    const s = 0.1 + ctx.r() * 2;
    return {
      bytes: wav(ctx.r, s),
      what: `a ${s.toFixed(2)} s WAV file (audio only)`,
      ext: pick(ctx.r, [".mp4", ".wav", ".mkv"]),
    };
  },
  "synth.random"(ctx) {
    const { r } = ctx;
    const n = pick(r, [1, int(r, 2, 16), int(r, 17, 4096), int(r, 4096, 262144)]);
    return { bytes: randomBytes(r, n), what: `${n} random bytes`, ext: pick(r, EXTENSIONS) };
  },
  "synth.magic_only"(ctx) {
    const { r } = ctx;
    const heads: [string, Uint8Array, string][] = [
      ["an ftyp box alone", new Uint8Array([0, 0, 0, 20, ...te("ftypisom"), 0, 0, 2, 0, ...te("isom")]), ".mp4"],
      [
        "an ftyp box and an empty moov",
        new Uint8Array([0, 0, 0, 16, ...te("ftypisom"), 0, 0, 2, 0, 0, 0, 0, 8, ...te("moov")]),
        ".mp4",
      ],
      ["an EBML header alone", new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x84, 0x42, 0x82, 0x81, 0x77]), ".webm"],
      [
        "an EBML header and an empty Segment",
        new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80, 0x18, 0x53, 0x80, 0x67, 0x80]),
        ".mkv",
      ],
      ["null transport packets only", tsNulls(int(r, 5, 200)), ".ts"],
      [
        "a mdat box of random bytes",
        concat(new Uint8Array([0, 0, 0x10, 8, ...te("mdat")]), randomBytes(r, 0x1000)),
        ".mp4",
      ],
    ];
    const [what, bytes, ext] = pick(r, heads);
    return { bytes, what, ext };
  },
};

function te(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function tsNulls(n: number): Uint8Array {
  const out = new Uint8Array(188 * n).fill(0xff);
  for (let i = 0; i < n; i++) out.set([0x47, 0x1f, 0xff, 0x10 | (i & 15)], i * 188);
  return out;
}

/** Mutation kinds by layout (generic ones apply to every fixture). */
const KINDS_BY_LAYOUT: Record<Layout, Record<string, Mutation>> = {
  mp4: { ...GENERIC, ...MP4 },
  fmp4: { ...GENERIC, ...MP4, ...FMP4 },
  matroska: { ...GENERIC, ...MATROSKA },
  mpegts: { ...GENERIC, ...MPEG_TS },
  none: SYNTHETIC,
};

/** How often each kind is chosen relative to the others of its layout (default 1). */
const KIND_WEIGHTS: Record<string, number> = {
  "any.truncate": 3,
  "any.flip_payload": 3,
  "any.zero_range": 2,
  "any.wrong_ext": 0.5,
  "any.append": 0.5,
  "any.dup_range": 0.5,
  "fmp4.trun_count": 2,
  "fmp4.fragments": 2,
  "fmp4.tfdt": 2,
};

/** Every kind, for the summary. */
export const ALL_KINDS: string[] = [
  ...new Set(Object.values(KINDS_BY_LAYOUT).flatMap((k) => Object.keys(k))),
].sort();

function layoutOf(fixture: string): Layout {
  if (fixture === "") return "none";
  const entry = FIXTURE_SET[fixture];
  if (!entry) throw new Error(`unknown fixture ${fixture}`);
  return entry.layout;
}

/** `kind@fixture#seed`. */
export function caseName(spec: CaseSpec): string {
  return `${spec.kind}@${spec.fixture}#${spec.seed}`;
}

/** Reads back {@link caseName}. */
export function parseCaseName(name: string): CaseSpec {
  const m = /^([a-z0-9_.]+)@([^#]*)#(\d+)$/.exec(name);
  if (!m) throw new Error(`not a case name: ${name} (expected kind@fixture#seed)`);
  return { kind: m[1], fixture: m[2], seed: Number(m[3]) };
}

/**
 * The cases of a run: `count` mutations spread over the families by their
 * shares, fixtures by weight within a family, and kinds dealt from a shuffled
 * deck per family so each family sees all its kinds evenly. The same
 * (count, runSeed) always plans the same cases; each case's own seed makes it
 * reproducible alone.
 */
export function planCases(count: number, runSeed: number): CaseSpec[] {
  const r = rng(runSeed);
  const families = Object.entries(FAMILY_WEIGHTS) as [Family, number][];
  const decks = new Map<Family, string[]>();
  const out: CaseSpec[] = [];
  for (let i = 0; i < count; i++) {
    const family = weighted(r, families);
    const fixtures = Object.entries(FIXTURE_SET).filter(([, f]) => f.family === family);
    const fixture = family === "synthetic" ? "" : weighted(r, fixtures.map(([name, f]) => [name, f.weight] as const));
    const layout = layoutOf(fixture);
    let deck = decks.get(family);
    if (!deck || deck.length === 0) {
      // A deck holds each kind as often as its weight says (×2, rounded), shuffled.
      const kinds = Object.keys(KINDS_BY_LAYOUT[layout]);
      deck = shuffled(r, kinds.flatMap((k) => Array(Math.max(1, Math.round(2 * (KIND_WEIGHTS[k] ?? 1)))).fill(k)));
      decks.set(family, deck);
    }
    const kind = deck.pop()!;
    out.push({ kind, fixture, seed: Math.floor(r() * 2 ** 32) >>> 0 });
  }
  return out;
}

const fixtureCache = new Map<string, Uint8Array>();

async function fixtureBytes(name: string, dir: string): Promise<Uint8Array> {
  let bytes = fixtureCache.get(name);
  if (!bytes) {
    bytes = await Deno.readFile(join(dir, name));
    fixtureCache.set(name, bytes);
  }
  return bytes;
}

/** Builds the damaged file a spec describes (deterministic: the same spec gives the same bytes). */
export async function buildCase(spec: CaseSpec, fixturesDir: string = FIXTURES): Promise<MutatedCase> {
  const layout = layoutOf(spec.fixture);
  const mutation = KINDS_BY_LAYOUT[layout][spec.kind];
  if (!mutation) throw new Error(`kind ${spec.kind} does not apply to ${spec.fixture || "synthetic inputs"}`);
  const original = spec.fixture ? await fixtureBytes(spec.fixture, fixturesDir) : new Uint8Array();
  const ctx: Context = { r: rng(spec.seed), b: original.slice(), fixture: spec.fixture, layout };
  const { bytes, what, ext } = await mutation(ctx);
  const ownExt = spec.fixture ? spec.fixture.slice(spec.fixture.lastIndexOf(".")) : ".bin";
  return {
    ...spec,
    name: caseName(spec),
    ext: ext ?? ownExt,
    description: spec.fixture ? `${spec.fixture}: ${what}` : what,
    bytes,
  };
}

if (import.meta.main) {
  const [first, second, third] = Deno.args;
  if (first === "--list") {
    for (const spec of planCases(Number(second ?? 20), Number(third ?? 1))) {
      const c = await buildCase(spec);
      console.log(`${c.name}\t${c.ext}\t${c.bytes.byteLength}\t${c.description}`);
    }
  } else if (first) {
    const c = await buildCase(parseCaseName(first));
    const out = second ?? `${c.kind}-${c.seed}${c.ext}`;
    await Deno.writeFile(out, c.bytes);
    console.log(`${out}: ${c.description} (${c.bytes.byteLength} bytes)`);
  } else {
    console.log("usage: deno run -A test/mutate.ts <kind@fixture#seed> [out] | --list [count] [runSeed]");
  }
}
