/**
 * Matroska and WebM. Cues index keyframes only, so the packet table comes
 * from a demux-only scan of the whole object (once per object version; the
 * index is then kept in KV).
 *
 * @module
 */

import { type Container, slicedInput, wholeTable } from "./container.ts";

/** Matroska/WebM. */
export const MATROSKA: Container = {
  name: "matroska",
  label: "Matroska/WebM",
  // The EBML magic.
  detect: (head) => head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3,
  prefetch: () => undefined,
  indexSource: () => "packet-scan",
  storedWhole: true,
  tableFromScan: (scanned) => ({ packets: wholeTable(scanned) }),
  decoderInput: slicedInput,
};
