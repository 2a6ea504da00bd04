/**
 * Where an MP4's `moov` box is, from the object's first bytes, so that the
 * index can be fetched with one exact request before the demuxer asks for it
 * 32 KiB at a time. Only the top-level box headers are read; everything else
 * is left to FFmpeg.
 *
 * @module
 */

import type { ByteRange } from "./plan.ts";

/** Where the moov is, or probably is. */
export interface MoovLocation extends ByteRange {
  /**
   * True when the head holds the moov's box header. False when the head only
   * shows where the box after the media data starts; the range then runs to the
   * end of the object, where encoders that write the moov last put it.
   */
  exact: boolean;
}

/**
 * The byte range of the top-level `moov` box, or undefined when the head does
 * not show where it is (not an MP4, or a malformed box).
 *
 * @param head The first bytes of the object.
 * @param size The object size.
 */
export function findMoov(head: Uint8Array, size: number): MoovLocation | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let at = 0;
  let first = true;
  while (at + 8 <= head.byteLength) {
    let boxSize = view.getUint32(at);
    const type = String.fromCharCode(head[at + 4], head[at + 5], head[at + 6], head[at + 7]);
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
