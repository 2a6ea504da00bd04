/**
 * Output formats: RGB24 frames to the bytes a client asked for. Each
 * {@link FrameFormat} says its name and aliases, media type, file
 * extensions, whether several frames fit in one body, and how to encode. The
 * CLI and the sidecar both look formats up here, so adding one is one entry
 * in {@link FORMATS}. PNG and JPEG go through maintained libraries
 * (`fast-png`, `jpeg-js`); NPY is a header and the raw bytes.
 *
 * @module
 */

import { encode as encodePng } from "npm:fast-png@8.0.0";
import jpeg from "npm:jpeg-js@0.4.4";
import { concatBytes } from "../bytes.ts";
import { InvalidArgumentError } from "../errors.ts";
import { encodeNpy } from "./npy.ts";

/** The pixels an encoder needs (a `Frame` has them). */
export interface Picture {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** RGB24, row-major. */
  data: Uint8Array;
}

/** One output format. */
export interface FrameFormat {
  /** Its name in `format=` and messages. */
  readonly name: string;
  /** Other names accepted for it (e.g. `jpg`). */
  readonly aliases: readonly string[];
  /** Media type of its bodies. */
  readonly mediaType: string;
  /** File extensions that mean it, with the dot, the first the usual one. */
  readonly extensions: readonly string[];
  /** The pixels it needs: RGB24 (default), or the decoded picture itself. */
  readonly pixels?: "rgb24" | "native";
  /** Encodes one frame. */
  encode(frame: Picture): Uint8Array;
  /** Encodes frames of one size as one body; absent when the format holds one picture. */
  encodeBatch?(frames: Picture[]): Uint8Array;
}

/** JPEG quality (1–100). */
const JPEG_QUALITY = 90;

/** Every format, in the order messages list them. */
export const FORMATS: readonly FrameFormat[] = [
  {
    name: "png",
    aliases: [],
    mediaType: "image/png",
    extensions: [".png"],
    encode: (f) => encodePng({ width: f.width, height: f.height, data: f.data, channels: 3, depth: 8 }),
  },
  {
    name: "jpeg",
    aliases: ["jpg"],
    mediaType: "image/jpeg",
    extensions: [".jpg", ".jpeg"],
    encode: (f) => jpeg.encode({ width: f.width, height: f.height, data: rgba(f.data) }, JPEG_QUALITY).data,
  },
  {
    name: "npy",
    aliases: [],
    mediaType: "application/x-npy",
    extensions: [".npy"],
    encode: (f) => encodeNpy([f.height, f.width, 3], [f.data]),
    encodeBatch: (frames) =>
      encodeNpy([frames.length, frames[0].height, frames[0].width, 3], frames.map((f) => f.data)),
  },
  {
    name: "rgb",
    aliases: [],
    mediaType: "application/octet-stream",
    extensions: [".rgb"],
    encode: (f) => f.data,
    encodeBatch: (frames) => concatBytes(frames.map((f) => f.data)),
  },
  {
    // The decoded picture as FFmpeg's rawvideo of its own pixel format (`X-Pixel-Format` names it).
    name: "yuv",
    aliases: ["native"],
    mediaType: "application/octet-stream",
    extensions: [".yuv"],
    pixels: "native",
    encode: (f) => f.data,
    encodeBatch: (frames) => concatBytes(frames.map((f) => f.data)),
  },
];

/**
 * The format named `name` (or one of its aliases). Throws
 * {@link InvalidArgumentError} listing the known names otherwise.
 *
 * @example
 * ```ts
 * import { formatNamed } from "./formats.ts";
 *
 * formatNamed("jpg").mediaType; // "image/jpeg"
 * ```
 */
export function formatNamed(name: string): FrameFormat {
  const found = FORMATS.find((f) => f.name === name || f.aliases.includes(name));
  if (!found) {
    throw new InvalidArgumentError(`format must be one of ${knownNames()}, got ${JSON.stringify(name)}`);
  }
  return found;
}

/**
 * The format a file name's extension means. Throws
 * {@link InvalidArgumentError} listing the known extensions otherwise.
 *
 * @example
 * ```ts
 * import { formatForFile } from "./formats.ts";
 *
 * formatForFile("frame-77.JPG").name; // "jpeg"
 * ```
 */
export function formatForFile(path: string): FrameFormat {
  const dot = path.lastIndexOf(".");
  const ext = dot > path.lastIndexOf("/") ? path.slice(dot).toLowerCase() : "";
  const found = FORMATS.find((f) => f.extensions.includes(ext));
  if (!found) {
    const known = FORMATS.flatMap((f) => f.extensions).join(", ");
    throw new InvalidArgumentError(
      `cannot tell the output format of ${JSON.stringify(path)} from its extension; known: ${known}`,
    );
  }
  return found;
}

function knownNames(): string {
  return FORMATS.flatMap((f) => [f.name, ...f.aliases]).join(", ");
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
