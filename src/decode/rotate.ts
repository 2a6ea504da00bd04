/**
 * Turning packed RGB24 pictures by right angles, the way ffmpeg's autorotate
 * shows videos whose container carries a display matrix (phone videos).
 *
 * @module
 */

/** Counter-clockwise turn in degrees, as `VideoInfo.rotation` gives it. */
export type Turn = 0 | 90 | 180 | 270;

/**
 * Returns `data` (RGB24, `width` × `height`, row-major) turned counter-clockwise
 * by `turn` degrees, with its new size. A turn of 0 returns the input.
 *
 * @example
 * ```ts
 * const { width, height, data } = turnRGB(new Uint8Array(2 * 1 * 3), 2, 1, 90);
 * // width === 1, height === 2
 * ```
 */
export function turnRGB(
  data: Uint8Array,
  width: number,
  height: number,
  turn: Turn,
): { width: number; height: number; data: Uint8Array<ArrayBuffer> } {
  if (turn === 0) return { width, height, data: data as Uint8Array<ArrayBuffer> };
  const outWidth = turn === 180 ? width : height;
  const outHeight = turn === 180 ? height : width;
  const out = new Uint8Array(data.length);
  // Where source pixel (x, y) lands: 90 → (y, width-1-x); 180 → (width-1-x,
  // height-1-y); 270 → (height-1-y, x). One loop per turn keeps the inner loop flat.
  let s = 0;
  for (let y = 0; y < height; y++) {
    if (turn === 90) {
      for (let x = 0, d = ((width - 1) * outWidth + y) * 3; x < width; x++, s += 3, d -= outWidth * 3) {
        out[d] = data[s], out[d + 1] = data[s + 1], out[d + 2] = data[s + 2];
      }
    } else if (turn === 180) {
      for (let x = 0, d = ((height - 1 - y) * outWidth + width - 1) * 3; x < width; x++, s += 3, d -= 3) {
        out[d] = data[s], out[d + 1] = data[s + 1], out[d + 2] = data[s + 2];
      }
    } else {
      for (let x = 0, d = (height - 1 - y) * 3; x < width; x++, s += 3, d += outWidth * 3) {
        out[d] = data[s], out[d + 1] = data[s + 1], out[d + 2] = data[s + 2];
      }
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}
