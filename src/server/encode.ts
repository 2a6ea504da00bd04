/**
 * Frame encoders: RGB24 pixels to the bytes a client asked for. PNG goes
 * through `fast-png` (a maintained encoder), not a hand-written one.
 *
 * @module
 */

import { encode as encodePng } from "fast-png";
import type { Frame } from "../store.ts";

/** Output formats the server offers. */
export type FrameFormat = "png" | "rgb";

/** Media type of each format. */
export const MEDIA_TYPES: Record<FrameFormat, string> = {
  png: "image/png",
  rgb: "application/octet-stream",
};

/** Encodes one frame. */
export function encodeFrame(frame: Frame, format: FrameFormat): Uint8Array {
  switch (format) {
    case "png":
      return encodePng({ width: frame.width, height: frame.height, data: frame.data, channels: 3, depth: 8 });
    case "rgb":
      return frame.data;
  }
}
