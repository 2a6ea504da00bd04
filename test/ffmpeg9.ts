/**
 * A native ffmpeg CLI of seekframe's own FFmpeg version (9.0), built once
 * from the sources its wasm decoder is built from (`test/ffmpeg9.sh`) and
 * cached in `.tools/`. On damaged input two FFmpeg versions may decode the
 * same bits into different pictures without an error; the hostile media test
 * asks this one when Debian's ffmpeg shows another picture.
 *
 * @module
 */

import { join } from "node:path";

/** Names the build: a change to `test/ffmpeg9.sh`'s configuration bumps it. */
const BUILD = "ffmpeg-9.0-seekframe1";

/** Returns the FFmpeg 9.0 binary (`SEEKFRAME_FFMPEG9`, or built into `.tools/` the first time). */
export async function ensureFfmpeg9(root: string): Promise<string> {
  const explicit = Deno.env.get("SEEKFRAME_FFMPEG9");
  if (explicit) return explicit;
  const dir = join(root, ".tools", BUILD);
  const binary = join(dir, "ffmpeg");
  if (await Deno.stat(binary).then(() => true, () => false)) return binary;
  console.log("building a native FFmpeg 9.0 (seekframe's decoder version) from the libav.js npm package, once");
  const out = await new Deno.Command("bash", {
    args: [join(root, "test", "ffmpeg9.sh"), dir],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) {
    throw new Error("building FFmpeg 9.0 failed (needs gcc, make, cmake, pkg-config, npm; see test/ffmpeg9.sh)");
  }
  return binary;
}
