/**
 * MPEG-TS and M2TS. A video packet is spread over 188-byte transport packets
 * (192 in M2TS, 204 with FEC bytes), interleaved with other streams', and the
 * demuxer hands it out only when the next one starts. So a packet's bytes are
 * a span: from its first transport packet through the one that starts the
 * next video packet. Spans are fetched as one range and demuxed in the worker
 * after the stream's header (PAT, PMT), which the index keeps.
 *
 * @module
 */

import { CorruptMediaError, UnsupportedMediaError } from "../errors.ts";
import { type Container, newTable } from "./container.ts";
import { FLAG_DAMAGED } from "../index/model.ts";

/** Transport packet sizes: plain, M2TS (a 4-byte timestamp first), with FEC bytes. */
const PACKET_SIZES = [188, 192, 204] as const;
const SYNC = 0x47;

/**
 * The transport packets of an MPEG-TS head: their size and where the first
 * whole one starts, from five sync bytes in a row at that stride; undefined
 * when there is no such run.
 *
 * @example
 * ```ts
 * import { transportPackets } from "./mpegts.ts";
 *
 * const head = new Uint8Array(188 * 6);
 * for (let i = 0; i < 6; i++) head[i * 188] = 0x47;
 * transportPackets(head); // { size: 188, first: 0 }
 * ```
 */
export function transportPackets(head: Uint8Array): { size: number; first: number } | undefined {
  for (const size of PACKET_SIZES) {
    // The sync byte leads a packet, except in M2TS, where a 4-byte timestamp comes first.
    const lead = size === 192 ? 4 : 0;
    for (let at = 0; at < size && at + 4 * size < head.byteLength; at++) {
      if ([0, 1, 2, 3, 4].every((k) => head[at + k * size] === SYNC)) {
        return { size, first: at >= lead ? at - lead : at - lead + size };
      }
    }
  }
  return undefined;
}

/** MPEG-TS and M2TS. */
export const MPEG_TS: Container = {
  name: "mpegts",
  label: "MPEG-TS/M2TS",
  detect: (head) => transportPackets(head) !== undefined,
  prefetch: () => undefined,
  indexSource: () => "packet-scan",
  storedWhole: false,
  tableFromScan(scanned, head, size, key) {
    const quoted = JSON.stringify(key);
    // Without a sync run in the head, a span reaching a little further is harmless.
    const ts = transportPackets(head) ?? { size: 204, first: 0 };
    const table = newTable(scanned.length);
    const dataSizes = new Uint32Array(scanned.length);
    scanned.forEach((p, i) => {
      const next = i + 1 < scanned.length ? scanned[i + 1].offset : size;
      if (p.offset < 0 || next < p.offset) {
        throw new CorruptMediaError(`the MPEG-TS packets of ${quoted} are not in file order`);
      }
      if (next === p.offset) {
        throw new UnsupportedMediaError(
          `several video packets of ${quoted} start in one transport packet; such streams are not supported`,
        );
      }
      table.offset[i] = p.offset;
      table.size[i] = Math.min(size, i + 1 < scanned.length ? next + ts.size : size) - p.offset;
      table.pts[i] = p.pts;
      table.dts[i] = p.dts;
      table.flags[i] = p.flags;
      dataSizes[i] = p.size;
    });
    // A file that ends inside a transport packet was cut: the last video packet may be cut with it
    // (FFmpeg drops the partial transport packet, and decoders conceal a short access unit differently).
    const found = transportPackets(head);
    if (found && scanned.length > 0 && (size - found.first) % found.size !== 0) {
      table.flags[scanned.length - 1] |= FLAG_DAMAGED;
    }
    // The PAT and PMT come before the first video packet: whole transport packets up to it.
    const end = Math.min(head.byteLength, scanned.length ? scanned[0].offset : Infinity);
    const spanHead = head.slice(ts.first, end - ((end - ts.first) % ts.size));
    if (spanHead.byteLength === 0) {
      throw new CorruptMediaError(`${quoted}: no MPEG-TS header (PAT, PMT) before the first video packet`);
    }
    return { packets: table, spans: { head: spanHead, dataSizes } };
  },
  decoderInput(index, feed, ranges, bytes) {
    const { packets, spans } = index;
    const key = JSON.stringify(index.info.key);
    if (!spans) throw new CorruptMediaError(`the MPEG-TS index of ${key} lacks its span layout`);
    // Each span reaches into the next packet's, so the spans of a run are one range.
    if (ranges.length !== 1) throw new CorruptMediaError(`${key}: MPEG-TS span is not contiguous`);
    const span = [];
    for (const i of feed) {
      span.push({
        offset: packets.offset[i],
        length: spans.dataSizes[i],
        pts: packets.pts[i],
        dts: packets.dts[i],
        flags: packets.flags[i],
      });
    }
    return { kind: "span", head: spans.head, offset: ranges[0].offset, data: bytes[0], packets: span };
  },
};
