/**
 * Reference frames from native ffmpeg (Debian's), and image comparison.
 *
 * Frame N of a video is the N-th frame ffmpeg's decoder outputs, which is what
 * `-vf select=eq(n\,N)` picks; `referenceFrames` dumps them all at once with
 * `-fps_mode passthrough` (no frame dropped or duplicated), and a test checks
 * the two agree.
 *
 * @module
 */

/** All frames of the first video stream as RGB24. */
export interface Reference {
  width: number;
  height: number;
  frames: Uint8Array[];
}

const cache = new Map<string, Promise<Reference>>();

/** Decodes every frame of `path` with native ffmpeg (memoized per path). */
export function referenceFrames(path: string): Promise<Reference> {
  let ref = cache.get(path);
  if (!ref) {
    ref = decodeAll(path);
    cache.set(path, ref);
  }
  return ref;
}

async function decodeAll(path: string): Promise<Reference> {
  // PPM frames carry their own size, so the reference's dimensions are what
  // ffmpeg outputs (after autorotate), not what the container declares.
  const raw = await run("ffmpeg", [
    "-v",
    "error",
    "-i",
    path,
    "-map",
    "0:v:0",
    "-fps_mode",
    "passthrough",
    "-f",
    "image2pipe",
    "-c:v",
    "ppm",
    // 8 bits per channel also for deeper sources (ppm would take rgb48 for those).
    "-pix_fmt",
    "rgb24",
    "-",
  ]);
  let width = 0, height = 0;
  const frames: Uint8Array[] = [];
  for (let at = 0; at < raw.byteLength;) {
    // Header: "P6", width, height, maxval, each followed by one whitespace byte.
    const fields: string[] = [];
    while (fields.length < 4) {
      let end = at;
      while (raw[end] > 0x20) end++;
      fields.push(new TextDecoder().decode(raw.subarray(at, end)));
      at = end + 1;
    }
    if (fields[0] !== "P6" || fields[3] !== "255") throw new Error(`unexpected PPM header ${fields.join(" ")}`);
    [width, height] = [Number(fields[1]), Number(fields[2])];
    frames.push(raw.subarray(at, at + width * height * 3));
    at += width * height * 3;
  }
  return { width, height, frames };
}

/**
 * Frame `n` as ffmpeg's select filter gives it, written as raw RGB24. `then`
 * adds filters after the select; `autorotate: false` keeps the picture as coded.
 */
export async function selectFrame(
  path: string,
  n: number,
  { then = "", autorotate = true }: { then?: string; autorotate?: boolean } = {},
): Promise<Uint8Array> {
  return await run("ffmpeg", [
    "-v",
    "error",
    ...(autorotate ? [] : ["-noautorotate"]),
    "-i",
    path,
    "-map",
    "0:v:0",
    "-vf",
    `select=eq(n\\,${n})${then ? "," + then : ""}`,
    "-vframes",
    "1",
    "-f",
    "rawvideo",
    "-pix_fmt",
    "rgb24",
    "-",
  ]);
}

async function run(cmd: string, args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  return out.stdout;
}

/** Mean squared error between two equally sized images. */
export function mse(a: Uint8Array, b: Uint8Array): number {
  if (a.byteLength !== b.byteLength) throw new Error(`size mismatch ${a.byteLength} vs ${b.byteLength}`);
  let sum = 0;
  for (let i = 0; i < a.byteLength; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return sum / a.byteLength;
}

/** Where two equally sized RGB24 images differ: bytes, largest difference, first pixel (for messages). */
export function diffSummary(a: Uint8Array, b: Uint8Array, width: number): string {
  if (a.byteLength !== b.byteLength) return `size ${a.byteLength} vs ${b.byteLength}`;
  let count = 0, max = 0, first = -1;
  for (let i = 0; i < a.byteLength; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d === 0) continue;
    count++;
    max = Math.max(max, d);
    if (first < 0) first = i;
  }
  if (count === 0) return "identical";
  const pixel = Math.floor(first / 3);
  return `${count} bytes differ, by up to ${max}; first at x ${pixel % width}, y ${Math.floor(pixel / width)}`;
}

/** Peak signal-to-noise ratio in dB (Infinity for identical images). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  const e = mse(a, b);
  return e === 0 ? Infinity : 10 * Math.log10((255 * 255) / e);
}
