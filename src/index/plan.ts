/**
 * Decode planning: which packets must be decoded, and which bytes fetched, to
 * produce a set of frames. Pure functions over a {@link FrameIndex}.
 *
 * A frame is decoded from the last keyframe at or before it in decode order
 * whose presentation time is not after the frame's. The second condition skips
 * keyframes of open GOPs whose leading pictures (e.g. HEVC RASL frames) are the
 * target: those need the previous GOP.
 *
 * @module
 */

import { FLAG_KEY, type FrameIndex, type PacketTable } from "./model.ts";

/** One decoder run: packets `first..last` (decode order), yielding the `frames` listed. */
export interface DecodeJob {
  /** First packet (a keyframe, or packet 0), decode order. */
  first: number;
  /** Last packet to feed, decode order. */
  last: number;
  /** Frame numbers (presentation order) this run produces, ascending. */
  frames: number[];
}

/** A byte range of the object. */
export interface ByteRange {
  /** Start offset. */
  offset: number;
  /** Length in bytes. */
  length: number;
}

/** Groups frame numbers into decoder runs, one per starting keyframe. */
export function planJobs(index: FrameIndex, frameNumbers: Iterable<number>): DecodeJob[] {
  const byStart = new Map<number, DecodeJob>();
  for (const n of new Set(frameNumbers)) {
    const target = index.frames[n];
    const first = startPacket(index.packets, target);
    const job = byStart.get(first) ?? { first, last: target, frames: [] };
    job.last = Math.max(job.last, target);
    job.frames.push(n);
    byStart.set(first, job);
  }
  const jobs = [...byStart.values()].sort((a, b) => a.first - b.first);
  for (const job of jobs) job.frames.sort((a, b) => a - b);
  return jobs;
}

/** The packet decoding must start at to produce the packet `target`. */
export function startPacket(packets: PacketTable, target: number): number {
  const pts = packets.pts[target];
  for (let k = target; k >= 0; k--) {
    if ((packets.flags[k] & FLAG_KEY) && packets.pts[k] <= pts) return k;
  }
  // No usable keyframe before it: decode from the start, as a player would.
  return 0;
}

/**
 * Byte ranges holding packets `first..last`, with ranges closer than
 * `gapBytes` merged (one request instead of two, at the cost of the gap).
 */
export function packetRanges(packets: PacketTable, first: number, last: number, gapBytes: number): ByteRange[] {
  const spans: [number, number][] = [];
  for (let i = first; i <= last; i++) {
    if (packets.size[i] > 0) spans.push([packets.offset[i], packets.offset[i] + packets.size[i]]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const out: ByteRange[] = [];
  let cur: [number, number] | undefined;
  for (const span of spans) {
    if (cur && span[0] <= cur[1] + gapBytes) {
      cur[1] = Math.max(cur[1], span[1]);
    } else {
      if (cur) out.push({ offset: cur[0], length: cur[1] - cur[0] });
      cur = [span[0], span[1]];
    }
  }
  if (cur) out.push({ offset: cur[0], length: cur[1] - cur[0] });
  return out;
}
