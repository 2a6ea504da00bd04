/**
 * Display rotation: reading it from a container's display matrix (phone
 * videos), and rotating packed RGB24 pictures by right angles the way
 * ffmpeg's autorotate shows them.
 *
 * @module
 */

import { UnsupportedMediaError } from "../errors.ts";

/** Counter-clockwise rotation in degrees, as `VideoInfo.rotation` gives it. */
export type Rotation = 0 | 90 | 180 | 270;

/**
 * Counter-clockwise rotation from a display matrix (3×3 int32, 16.16 fixed
 * point, as FFmpeg's `av_display_rotation_get` reads it), normalized to 0,
 * 90, 180 or 270. A matrix that mirrors the picture or turns it by another
 * angle is refused: ffmpeg versions disagree on how to show it, and a frame
 * rotated differently from what the user sees elsewhere would be wrong.
 *
 * @example
 * ```ts
 * import { displayRotation } from "./rotate.ts";
 *
 * const one = 65536;
 * displayRotation(new Int32Array([0, -one, 0, one, 0, 0, 0, 0, 1 << 30])); // 90
 * ```
 */
export function displayRotation(m: Int32Array): Rotation {
  const scale0 = Math.hypot(m[0], m[3]), scale1 = Math.hypot(m[1], m[4]);
  if (scale0 === 0 || scale1 === 0) return 0;
  if (m[0] * m[4] - m[1] * m[3] < 0) {
    throw new UnsupportedMediaError(
      "the video's display matrix mirrors the picture; mirrored videos are not supported",
    );
  }
  const degrees = -Math.atan2(m[1] / scale1, m[0] / scale0) * 180 / Math.PI;
  const rotation = ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
  if (Math.abs(((degrees - rotation) % 360 + 540) % 360 - 180) > 1) {
    throw new UnsupportedMediaError(
      `the video's display matrix turns it by ${degrees.toFixed(1)}°; only right angles are supported`,
    );
  }
  return rotation as Rotation;
}

/**
 * Returns `data` (RGB24, `width` × `height`, row-major) rotated
 * counter-clockwise by `rotation` degrees, with its new size. A rotation of 0
 * returns the input.
 *
 * @example
 * ```ts
 * import { rotateRGB } from "./rotate.ts";
 *
 * const { width, height } = rotateRGB(new Uint8Array(2 * 1 * 3), 2, 1, 90);
 * console.log(width, height); // 1 2
 * ```
 */
export function rotateRGB(
  data: Uint8Array,
  width: number,
  height: number,
  rotation: Rotation,
): { width: number; height: number; data: Uint8Array<ArrayBuffer> } {
  if (rotation === 0) return { width, height, data: data as Uint8Array<ArrayBuffer> };
  const outWidth = rotation === 180 ? width : height;
  const outHeight = rotation === 180 ? height : width;
  const out = new Uint8Array(data.length);
  // Where source pixel (x, y) lands: 90 → (y, width-1-x); 180 → (width-1-x,
  // height-1-y); 270 → (height-1-y, x). One loop per rotation keeps the inner loop flat.
  let s = 0;
  const copy = (d: number) => {
    out[d] = data[s];
    out[d + 1] = data[s + 1];
    out[d + 2] = data[s + 2];
    s += 3;
  };
  for (let y = 0; y < height; y++) {
    if (rotation === 90) {
      for (let x = 0, d = ((width - 1) * outWidth + y) * 3; x < width; x++, d -= outWidth * 3) copy(d);
    } else if (rotation === 180) {
      for (let x = 0, d = ((height - 1 - y) * outWidth + width - 1) * 3; x < width; x++, d -= 3) copy(d);
    } else {
      for (let x = 0, d = (height - 1 - y) * 3; x < width; x++, d += outWidth * 3) copy(d);
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}
