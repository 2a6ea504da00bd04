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

/** How packet spans become requests. */
export interface RangePolicy {
  /** What a request costs, in bytes: gaps up to this size are always fetched rather than skipped. */
  requestBytes: number;
  /** At most this many requests: larger gaps are bridged too, smallest first, until it holds. */
  maxRanges: number;
  /** Gaps larger than this are never fetched, whatever `maxRanges` says. */
  maxGapBytes: number;
}

/**
 * Byte ranges holding packets `first..last` (but those `skip` names, whose
 * bytes become gaps like other streams'). Exact spans are merged where they
 * touch; gaps (other streams' data, container headers, skipped packets) up
 * to `requestBytes` are bridged; then the smallest remaining gaps are bridged
 * until at most `maxRanges` ranges remain, except gaps over `maxGapBytes`.
 */
export function packetRanges(
  packets: PacketTable,
  first: number,
  last: number,
  policy: RangePolicy,
  skip?: (i: number) => boolean,
): ByteRange[] {
  const spans: [number, number][] = [];
  for (let i = first; i <= last; i++) {
    if (packets.size[i] > 0 && !skip?.(i)) spans.push([packets.offset[i], packets.offset[i] + packets.size[i]]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const exact: [number, number][] = [];
  for (const span of spans) {
    const cur = exact[exact.length - 1];
    if (cur && span[0] <= cur[1]) cur[1] = Math.max(cur[1], span[1]);
    else exact.push([span[0], span[1]]);
  }
  // Gap i lies between exact[i] and exact[i + 1].
  const gaps = exact.slice(1).map((r, i) => ({ i, size: r[0] - exact[i][1] })).sort((a, b) => a.size - b.size);
  const bridge = new Set<number>();
  let ranges = exact.length;
  for (const g of gaps) {
    if (g.size > policy.maxGapBytes || (g.size > policy.requestBytes && ranges <= policy.maxRanges)) break;
    bridge.add(g.i);
    ranges--;
  }
  const out: ByteRange[] = [];
  for (let i = 0; i < exact.length; i++) {
    const prev = out[out.length - 1];
    if (prev && bridge.has(i - 1)) prev.length = exact[i][1] - prev.offset;
    else out.push({ offset: exact[i][0], length: exact[i][1] - exact[i][0] });
  }
  return out;
}

/**
 * How many packets past a frame's own (in decode order) a decoder may need
 * before it outputs that frame: the largest reordering in the stream. Feeding
 * that many more packets lets a decoder session continue instead of draining.
 */
export function reorderDepth(packets: PacketTable): number {
  // Walking backwards, keep the suffix minima: indices whose pts is below every
  // later pts. The furthest later packet with a smaller pts is always one of
  // them, and their pts fall as the walk goes left, so a binary search finds it.
  const pts = packets.pts;
  const minima: number[] = [];
  let depth = 0;
  for (let i = pts.length - 1; i >= 0; i--) {
    let lo = 0, hi = minima.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pts[minima[mid]] < pts[i]) hi = mid;
      else lo = mid + 1;
    }
    if (lo < minima.length) depth = Math.max(depth, minima[lo] - i);
    if (minima.length === 0 || pts[i] < pts[minima[minima.length - 1]]) minima.push(i);
  }
  return depth;
}

/**
 * The frame shown at `seconds` after the first frame starts: the last frame
 * whose presentation time is not after it. Undefined past the last frame's end.
 */
export function frameAtTime(index: FrameIndex, seconds: number): number | undefined {
  const { frames, packets, info } = index;
  if (frames.length === 0 || seconds >= info.duration) return undefined;
  const [num, den] = info.timeBase;
  // A microsecond of slack absorbs float rounding of times given in seconds.
  const target = packets.pts[frames[0]] + (seconds + 1e-6) * den / num;
  let lo = 0, hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (packets.pts[frames[mid]] <= target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
