/**
 * MP4/MOV (ISO base media). The packet table comes from the moov's sample
 * tables, read by FFmpeg's mov demuxer with no media data; a fragmented MP4
 * (moof boxes) is scanned instead. The moov is located from the object's
 * first bytes ({@link findMoov}) and fetched in one request.
 *
 * @module
 */

import type { ByteRange } from "../index/plan.ts";
import { type Container, slicedInput, wholeTable } from "./container.ts";

/** Where the moov is, or probably is. */
export interface MoovLocation extends ByteRange {
  /**
   * True when the head holds the moov's box header. False when the head only
   * shows where the box after the media data starts; the range then runs to the
   * end of the object, where encoders that write the moov last put it.
   */
  exact: boolean;
}

/** Larger guessed moov ranges are left to the demuxer's reads. */
const MAX_MOOV_PREFETCH = 64 << 20;
/** Top-level box types an MP4 may start with. */
const FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "free", "skip", "wide", "styp", "pnot", "uuid", "junk"]);

/**
 * The byte range of the top-level `moov` box, or undefined when the head does
 * not show where it is (not an MP4, or a malformed box). Only top-level box
 * headers are read.
 *
 * @param head The first bytes of the object.
 * @param size The object size.
 *
 * @example
 * ```ts
 * import { findMoov } from "./mp4.ts";
 *
 * const file = await Deno.readFile("./videos/sample.mp4");
 * const moov = findMoov(file.subarray(0, 65536), file.byteLength); // { offset, length, exact }
 * ```
 */
export function findMoov(head: Uint8Array, size: number): MoovLocation | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let at = 0;
  let first = true;
  while (at + 8 <= head.byteLength) {
    let boxSize = view.getUint32(at);
    const type = boxType(head, at);
    if (first && type !== "ftyp") return undefined;
    first = false;
    if (boxSize === 1) {
      if (at + 16 > head.byteLength) return undefined;
      boxSize = Number(view.getBigUint64(at + 8));
    } else if (boxSize === 0) {
      boxSize = size - at;
    }
    if (boxSize < 8 || at + boxSize > size) return undefined;
    if (type === "moov") return { offset: at, length: boxSize, exact: true };
    at += boxSize;
  }
  // The next box header lies past the head: the moov usually is that box, and the last one.
  return at < size && !first ? { offset: at, length: size - at, exact: false } : undefined;
}

function boxType(head: Uint8Array, at: number): string {
  return String.fromCharCode(head[at + 4], head[at + 5], head[at + 6], head[at + 7]);
}

/** MP4/MOV, including fragmented MP4. */
export const MP4: Container = {
  name: "mp4",
  label: "MP4/MOV",
  detect: (head) => head.byteLength >= 8 && FIRST_BOXES.has(boxType(head, 0)),
  prefetch(head, size) {
    const moov = findMoov(head, size);
    if (!moov || moov.length > MAX_MOOV_PREFETCH) return undefined;
    // The demuxer reads the next box header after the moov too.
    return { offset: moov.offset, length: Math.min(size, moov.offset + moov.length + 16) - moov.offset };
  },
  indexSource: (facts) => facts.fragmented ? "packet-scan" : "sample-table",
  storedWhole: true,
  tableFromScan: (scanned) => ({ packets: wholeTable(scanned) }),
  decoderInput: slicedInput,
};
