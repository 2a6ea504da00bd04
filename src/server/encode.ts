/**
 * Frame encoders: RGB24 pixels to the bytes a client asked for. PNG and JPEG
 * go through maintained libraries (`fast-png`, `jpeg-js`); NPY is a header
 * and the raw bytes.
 *
 * @module
 */

import { encode as encodePng } from "fast-png";
import jpeg from "jpeg-js";
import type { Frame } from "../store.ts";
import { encodeNpy } from "./npy.ts";

/** Output formats the server offers. */
export type FrameFormat = "png" | "jpeg" | "npy" | "rgb";

/** Media type of each format. */
export const MEDIA_TYPES: Record<FrameFormat, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  npy: "application/x-npy",
  rgb: "application/octet-stream",
};

/** JPEG quality (1–100). */
const JPEG_QUALITY = 90;

/**
 * Encodes one frame.
 *
 * @example
 * ```ts
 * await Deno.writeFile("f.png", encodeFrame(frame, "png"));
 * ```
 */
export function encodeFrame(frame: Frame, format: FrameFormat): Uint8Array {
  switch (format) {
    case "png":
      return encodePng({ width: frame.width, height: frame.height, data: frame.data, channels: 3, depth: 8 });
    case "jpeg":
      return jpeg.encode({ width: frame.width, height: frame.height, data: rgba(frame.data) }, JPEG_QUALITY).data;
    case "npy":
      return encodeNpy([frame.height, frame.width, 3], [frame.data]);
    case "rgb":
      return frame.data;
  }
}

/** Encodes frames of one size as one NPY array of shape (K, H, W, 3). */
export function encodeFramesNpy(frames: Frame[]): Uint8Array {
  const { width, height } = frames[0];
  return encodeNpy([frames.length, height, width, 3], frames.map((f) => f.data));
}

/** jpeg-js takes RGBA. */
function rgba(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.byteLength / 3) * 4);
  for (let i = 0, j = 0; i < rgb.byteLength; i += 3, j += 4) {
    out[j] = rgb[i];
    out[j + 1] = rgb[i + 1];
    out[j + 2] = rgb[i + 2];
    out[j + 3] = 255;
  }
  return out;
}
