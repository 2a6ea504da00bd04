/**
 * The container seam: everything seekframe knows about one container format
 * (MP4/MOV, Matroska/WebM, MPEG-TS) sits behind {@link Container}, and the
 * {@link CONTAINERS} registry lists them in the order they are tried. The
 * store and the decoder worker ask the registry; neither names a container.
 *
 * Adding a container is a module implementing {@link Container}, one line in
 * the registry, and its demuxer in the libav.js build (`vendor/libav/build.sh`).
 *
 * @module
 */

import { CorruptMediaError } from "../errors.ts";
import type { FrameIndex, PacketTable, SpanLayout } from "../index/model.ts";
import type { ByteRange } from "../index/plan.ts";
import type { DecodeInput, PacketIn } from "../decode/protocol.ts";

/** Container families, as {@link VideoInfo.container} names them. */
export type ContainerName = "mp4" | "matroska" | "mpegts";

/** How a packet table is built: from the container's sample table, or by scanning every packet. */
export type IndexSource = "sample-table" | "packet-scan";

/** What the demuxer says about an opened object that container rules need. */
export interface DemuxFacts {
  /** The MP4 demuxer saw movie fragments (its sample table is then incomplete). */
  fragmented: boolean;
}

/** A video packet as a demux-only scan saw it. */
export interface ScannedPacket {
  /** Byte offset of its data in the object (where the demuxer read it from). */
  offset: number;
  /** Its data size in bytes. */
  size: number;
  /** Presentation timestamp (NaN when absent). */
  pts: number;
  /** Decoding timestamp. */
  dts: number;
  /** FFmpeg packet flags (key, discard). */
  flags: number;
}

/** One container format. */
export interface Container {
  /** Its family name in {@link VideoInfo.container}. */
  readonly name: ContainerName;
  /** Human-readable name for messages, e.g. `"MP4/MOV"`. */
  readonly label: string;
  /** Whether the object's first bytes look like this container. */
  detect(head: Uint8Array): boolean;
  /**
   * A byte range worth fetching in one request before the demuxer opens the
   * object (the MP4 moov), from the object's first bytes; undefined for none.
   */
  prefetch(head: Uint8Array, size: number): ByteRange | undefined;
  /** How this object's packet table is built. */
  indexSource(facts: DemuxFacts): IndexSource;
  /**
   * True when each packet's data is stored whole at its offset (a scan then
   * checks every packet against the bytes read). False when packets are
   * spread over the object and must be demuxed from byte spans
   * ({@link SpanLayout}).
   */
  readonly storedWhole: boolean;
  /** The packet table (and span layout, if any) from a scan's packets, in decode order. */
  tableFromScan(
    scanned: ScannedPacket[],
    head: Uint8Array,
    size: number,
    key: string,
  ): { packets: PacketTable; spans?: SpanLayout };
  /**
   * The decoder's input for the packets `feed` (decode-order numbers,
   * ascending), given the fetched byte `ranges` (which hold them) and their
   * `bytes`.
   */
  decoderInput(index: FrameIndex, feed: readonly number[], ranges: ByteRange[], bytes: Uint8Array[]): DecodeInput;
}

/** A packet table with room for `n` packets. */
export function newTable(n: number): PacketTable {
  return {
    offset: new Float64Array(n),
    size: new Uint32Array(n),
    pts: new Float64Array(n),
    dts: new Float64Array(n),
    flags: new Uint8Array(n),
  };
}

/** The table of packets stored whole: the scan's rows as they are. */
export function wholeTable(scanned: ScannedPacket[]): PacketTable {
  const table = newTable(scanned.length);
  scanned.forEach((p, i) => {
    table.offset[i] = p.offset;
    table.size[i] = p.size;
    table.pts[i] = p.pts;
    table.dts[i] = p.dts;
    table.flags[i] = p.flags;
  });
  return table;
}

/**
 * Decoder input for packets stored whole: each is sliced out of the range
 * that holds it (copied, so its buffer can be transferred to the worker).
 */
export function slicedInput(
  index: FrameIndex,
  feed: readonly number[],
  ranges: ByteRange[],
  bytes: Uint8Array[],
): DecodeInput {
  const { packets } = index;
  const out: PacketIn[] = [];
  for (const i of feed) {
    const at = packets.offset[i];
    const k = ranges.findIndex((r) => at >= r.offset && at + packets.size[i] <= r.offset + r.length);
    if (k < 0 && packets.size[i] > 0) {
      throw new CorruptMediaError(`packet ${i} of ${JSON.stringify(index.info.key)} lies outside the bytes fetched`);
    }
    const data = k < 0
      ? new Uint8Array()
      : bytes[k].slice(at - ranges[k].offset, at - ranges[k].offset + packets.size[i]);
    out.push({ data, pts: packets.pts[i], dts: packets.dts[i], flags: packets.flags[i] });
  }
  return { kind: "packets", packets: out };
}
