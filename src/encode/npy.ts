/**
 * NumPy `.npy` (format 1.0) for uint8 arrays, so `np.load(io.BytesIO(body))`
 * gives an array of shape (H, W, 3) or (K, H, W, 3). The format is a magic
 * string, a Python-literal header padded to 64 bytes, then the raw data.
 *
 * @module
 */

import { copyParts } from "../bytes.ts";

/**
 * Bytes of a `.npy` file holding the `parts`, one after another (uint8, C
 * order), as an array of `shape`.
 *
 * @example
 * ```ts
 * import { encodeNpy } from "./npy.ts";
 *
 * const npy = encodeNpy([2, 2, 3], [new Uint8Array(12)]); // a 2×2 RGB picture
 * ```
 */
export function encodeNpy(shape: number[], parts: Uint8Array[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  if (total !== count) throw new RangeError(`shape ${shape.join("×")} needs ${count} bytes, got ${total}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${dims}), }`;
  // magic (6) + version (2) + length (2) + header + "\n" is a multiple of 64.
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const out = new Uint8Array(10 + header.length + total);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  copyParts(out, parts, 10 + header.length);
  return out;
}
