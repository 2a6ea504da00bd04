/**
 * Damaged packets and the frames they make uncertain.
 *
 * Frame N is what native ffmpeg shows as its N-th picture when it decodes the
 * whole file. A packet that cannot be right may make ffmpeg drop its picture
 * (every later number shifts by one) or conceal it differently from our
 * decoder (every picture decoded from it differs). So once a packet is known
 * to be damaged ({@link FLAG_DAMAGED}), no frame at or after it in
 * presentation order, nor one after it in decode order, is served: a typed
 * error is better than a frame that may be another one.
 *
 * Packets are marked from their place and size when the index is built
 * ({@link markLayoutDamage}), from their bytes when those first pass
 * (`src/codec/disposable.ts` `packetCheck`), and by the decoder when it
 * fails, conceals or drops a picture.
 *
 * @module
 */

import { FLAG_DAMAGED, type FrameIndex, type PacketTable } from "./model.ts";

/**
 * Marks the packets whose place and size cannot be right: empty ones (the MP4
 * demuxer drops a zero-size sample), ones running past the object's end (the
 * last packet of a cut file), and, where packets are stored whole, ones
 * overlapping another video packet (a damaged sample table). `dataSizes` are
 * the packets' own sizes when `size` holds spans (MPEG-TS). Returns how many
 * were marked, and notes why in `notes`.
 */
export function markLayoutDamage(
  packets: PacketTable,
  o: { objectSize: number; storedWhole: boolean; dataSizes?: Uint32Array },
  notes?: Map<number, string>,
): number {
  const { offset, size, flags } = packets;
  const n = size.length;
  let marked = 0;
  const mark = (i: number, why: string) => {
    if (!(flags[i] & FLAG_DAMAGED)) marked++;
    flags[i] |= FLAG_DAMAGED;
    if (notes && !notes.has(i)) notes.set(i, why);
  };
  for (let i = 0; i < n; i++) {
    if ((o.dataSizes ?? size)[i] === 0) mark(i, "it is empty");
    else if (offset[i] + size[i] > o.objectSize) mark(i, "it runs past the end of the object");
  }
  marked += markTimingDamage(packets, notes);
  if (!o.storedWhole) return marked;
  const byOffset = Array.from({ length: n }, (_, i) => i).filter((i) => size[i] > 0);
  byOffset.sort((a, b) => offset[a] - offset[b] || a - b);
  let last = -1;
  for (const i of byOffset) {
    if (last >= 0 && offset[i] < offset[last] + size[last]) {
      mark(i, `its bytes overlap those of packet ${last}`);
      mark(last, `its bytes overlap those of packet ${i}`);
    }
    if (last < 0 || offset[i] + size[i] > offset[last] + size[last]) last = i;
  }
  return marked;
}

/**
 * Marks the packets demuxer damage at these file positions lies in: the
 * packet whose bytes start last at or before the position (the PES being read
 * when the demuxer found the damage, or just completed) and the one before it
 * (a PES length mismatch shows once the next PES starts). A position it
 * cannot place marks the first packet: nothing is served.
 */
export function markDemuxDamage(packets: PacketTable, positions: number[]): void {
  const { offset, flags } = packets;
  const n = offset.length;
  if (n === 0) return;
  for (const pos of positions) {
    let at = -1;
    for (let i = 0; i < n; i++) if (offset[i] <= pos && (at < 0 || offset[i] >= offset[at])) at = i;
    if (pos < 0 || at < 0) {
      flags[0] |= FLAG_DAMAGED;
      continue;
    }
    flags[at] |= FLAG_DAMAGED;
    let before = -1;
    for (let i = 0; i < n; i++) if (offset[i] < offset[at] && (before < 0 || offset[i] > offset[before])) before = i;
    if (before >= 0) flags[before] |= FLAG_DAMAGED;
  }
}

/**
 * How many pictures decoded after a picture may be shown before it, or before
 * it is decoded: more than any decoder's reorder buffer holds (H.264 and HEVC
 * keep at most 16 frames, 32 fields).
 */
export const MAX_REORDER = 32;

/**
 * Marks the packets whose timestamps cannot be right: more than
 * {@link MAX_REORDER} packets are decoded between its decoding and its
 * presentation (past the last packet, those that would follow at the largest
 * step between dts count), or it would be shown that long before it is
 * decoded, e.g. a
 * flipped high bit in a composition offset. The decoder outputs such a
 * picture where its bitstream says, so native ffmpeg numbers it, and those
 * around it, otherwise than its pts would. Returns how many were marked.
 */
export function markTimingDamage(packets: PacketTable, notes?: Map<number, string>): number {
  const { pts, dts, flags } = packets;
  const sorted = Float64Array.from(dts.filter((d) => !Number.isNaN(d))).sort();
  /** How many packets have a dts at or below t. */
  const upTo = (t: number) => {
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Past the last dts, packets that would follow are counted at the largest step between dts.
  let step = 0;
  for (let k = 1; k < sorted.length; k++) step = Math.max(step, sorted[k] - sorted[k - 1]);
  const last = sorted.length ? sorted[sorted.length - 1] : NaN;
  let marked = 0;
  for (let i = 0; i < pts.length; i++) {
    if (Number.isNaN(pts[i]) || Number.isNaN(dts[i])) continue;
    let between = upTo(pts[i]) - upTo(dts[i]);
    if (pts[i] > last && step > 0) between += Math.floor((pts[i] - last) / step);
    if (Math.abs(between) <= MAX_REORDER) continue;
    if (!(flags[i] & FLAG_DAMAGED)) marked++;
    flags[i] |= FLAG_DAMAGED;
    if (notes && !notes.has(i)) {
      notes.set(i, `its pts lies ${Math.abs(between)} packets ${between > 0 ? "after" : "before"} its dts`);
    }
  }
  return marked;
}

/** Where damage starts: the lowest pts and the first packet (decode order) marked; undefined if none. */
export interface DamageHorizon {
  /** The lowest pts of a damaged packet (-Infinity when one has none). */
  pts: number;
  /** The first damaged packet, decode order. */
  packet: number;
  /** The damaged packet of lowest pts. */
  ptsPacket: number;
}

/**
 * Horizons computed, per table: every request asks, marks are rare. Marks
 * made once a table is in use go through {@link markDamaged}, which forgets
 * its horizon; the others are made while the table is built.
 */
const horizons = new WeakMap<PacketTable, DamageHorizon | null>();

/** The horizon of the packets marked damaged, or undefined. */
export function damageHorizon(packets: PacketTable): DamageHorizon | undefined {
  const known = horizons.get(packets);
  if (known !== undefined) return known ?? undefined;
  const { flags, pts } = packets;
  let h: DamageHorizon | undefined;
  for (let i = 0; i < flags.length; i++) {
    if (!(flags[i] & FLAG_DAMAGED)) continue;
    const p = Number.isNaN(pts[i]) ? -Infinity : pts[i];
    if (!h) h = { pts: p, packet: i, ptsPacket: i };
    else if (p < h.pts) [h.pts, h.ptsPacket] = [p, i];
  }
  horizons.set(packets, h ?? null);
  return h;
}

/**
 * Why frame `n` cannot be trusted given the damage horizon `h`, or undefined
 * when it can: a damaged packet comes before it in presentation order (its
 * number may differ from ffmpeg's) or in decode order (its pixels may).
 */
export function untrusted(index: FrameIndex, n: number, h: DamageHorizon | undefined): string | undefined {
  if (!h) return undefined;
  if (index.configDamage) return index.configDamage;
  const packet = index.frames[n];
  const pts = index.packets.pts[packet];
  const culprit = pts >= h.pts ? h.ptsPacket : packet >= h.packet ? h.packet : -1;
  if (culprit < 0) return undefined;
  const shown = frameOfPacket(index, culprit);
  const where = culprit === packet
    ? "its own packet"
    : shown === undefined
    ? `packet ${culprit} (decode order)`
    : `the packet of frame ${shown}`;
  const why = index.damage?.get(culprit);
  return `${where} is damaged${why ? ` (${why})` : ""}`;
}

/** The frame number a packet shows as, if any (discarded packets show none). */
function frameOfPacket(index: FrameIndex, packet: number): number | undefined {
  const pts = index.packets.pts[packet];
  const { frames } = index;
  let lo = 0, hi = frames.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = index.packets.pts[frames[mid]];
    if (p === pts) return frames[mid] === packet ? mid : undefined;
    if (p < pts) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Marks a packet damaged (with why), returning whether it was news. */
export function markDamaged(index: FrameIndex, packet: number, why: string): boolean {
  const { flags } = index.packets;
  index.damage ??= new Map();
  if (!index.damage.has(packet)) index.damage.set(packet, why);
  if (flags[packet] & FLAG_DAMAGED) return false;
  flags[packet] |= FLAG_DAMAGED;
  horizons.delete(index.packets);
  return true;
}

/**
 * The packet in `from..to` (decode order) with this pts (or, when it has
 * none, this dts); `-1` when none is.
 */
export function findPacket(packets: PacketTable, from: number, to: number, pts: number, dts: number): number {
  for (let i = Math.max(0, from); i <= to && i < packets.pts.length; i++) {
    if (!Number.isNaN(pts) ? packets.pts[i] === pts : !Number.isNaN(dts) && packets.dts[i] === dts) return i;
  }
  return -1;
}
