/**
 * NumPy `.npy` (format 1.0) for uint8 arrays, so `np.load(io.BytesIO(body))`
 * gives an array of shape (H, W, 3) or (K, H, W, 3). The format is a magic
 * string, a Python-literal header padded to 64 bytes, then the raw data.
 *
 * @module
 */

/**
 * Bytes of a `.npy` file holding `data` (uint8, C order) with `shape`.
 *
 * @example
 * ```ts
 * const npy = encodeNpy([frame.height, frame.width, 3], [frame.data]);
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
  let at = 10 + header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
