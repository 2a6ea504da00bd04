/**
 * The strongest exactness check there is: decoders are bit-exact, so frame N
 * in the decoder's own pixel format must equal, byte for byte, native
 * ffmpeg's decoded frame N (`-noautorotate -f rawvideo -pix_fmt <same>`), for
 * every fixture, over the local folder and over S3.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type FrameStore, openFrameStore } from "../mod.ts";
import { FIXTURES, rng, s3Options, uploadFixtures, VIDEOS } from "./env.ts";
import { startSidecar } from "./sidecar.ts";

/** Every frame of `path` as ffmpeg decodes it, in `pixelFormat`, not rotated; `frameBytes` each. */
async function nativeReference(path: string, pixelFormat: string, frameBytes: number): Promise<Uint8Array[]> {
  const out = await new Deno.Command("ffmpeg", {
    args: [
      "-v",
      "error",
      "-noautorotate",
      "-i",
      path,
      "-map",
      "0:v:0",
      "-fps_mode",
      "passthrough",
      "-f",
      "rawvideo",
      "-pix_fmt",
      pixelFormat,
      "-",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`ffmpeg failed: ${new TextDecoder().decode(out.stderr)}`);
  assert.equal(out.stdout.byteLength % frameBytes, 0, "whole frames");
  return Array.from(
    { length: out.stdout.byteLength / frameBytes },
    (_, i) => out.stdout.subarray(i * frameBytes, (i + 1) * frameBytes),
  );
}

/** Frame numbers worth checking: the ends, keyframes and their neighbours, random ones. */
function interesting(frameCount: number, keyframes: number[], seed: number): number[] {
  const random = rng(seed);
  const picks = new Set<number>([0, 1, frameCount - 1]);
  for (const k of keyframes) for (const d of [-2, -1, 0, 1]) if (k + d >= 0 && k + d < frameCount) picks.add(k + d);
  for (let i = 0; i < 6; i++) picks.add(Math.floor(random() * frameCount));
  return [...picks].sort((a, b) => a - b);
}

async function checkVideo(t: Deno.TestContext, store: FrameStore, key: string, file: string): Promise<void> {
  const info = await store.info(key);
  const picks = interesting(info.frameCount, info.keyframes, file.length * 31);
  const first = await store.getFrame(key, picks[0], { pixelFormat: "native" });
  const ref = await nativeReference(join(FIXTURES, file), first.pixelFormat, first.data.byteLength);
  assert.equal(ref.length, info.frameCount, "frame count matches ffmpeg's");
  // In random order, so frames come from fresh sessions, continued ones and skipped pictures alike.
  const order = [...picks].sort((a, b) => ((a * 7919) % 97) - ((b * 7919) % 97));
  for (const n of order) {
    await t.step(`frame ${n}`, async () => {
      const frame = await store.getFrame(key, n, { pixelFormat: "native" });
      assert.equal(frame.pixelFormat, first.pixelFormat);
      assert.equal(frame.data.byteLength, ref[n].byteLength);
      assert.ok(frame.data.every((b, i) => b === ref[n][i]), `frame ${n} differs from ffmpeg's decoded frame ${n}`);
    });
  }
}

Deno.test("decoded pictures equal ffmpeg's byte for byte (local folder)", async (t) => {
  await using store = await openFrameStore({ dir: FIXTURES, workers: 2, kvPath: false });
  for (const [file, what] of Object.entries(VIDEOS)) {
    await t.step(`${file} (${what})`, (t) => checkVideo(t, store, file, file));
  }
});

Deno.test("decoded pictures equal ffmpeg's byte for byte (S3, bytes-first: skipped pictures not fetched)", async (t) => {
  await uploadFixtures();
  await using store = await openFrameStore({
    s3: s3Options({ prefix: "fixtures/" }),
    workers: 2,
    kvPath: false,
    ranges: "bytes-first",
  });
  for (const [file, what] of Object.entries(VIDEOS)) {
    await t.step(`${file} (${what})`, (t) => checkVideo(t, store, file, file));
  }
});

Deno.test("native frames are not scaled: width is refused with a clear error", async () => {
  await using store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  await assert.rejects(
    store.getFrame("hevc.mp4", 3, { pixelFormat: "native", width: 100 }),
    /width applies to RGB frames/,
  );
  await assert.rejects(
    store.getFrame("hevc.mp4", 3, { pixelFormat: "yuv" as "native" }),
    /pixelFormat must be "rgb24" or "native"/,
  );
});

Deno.test("format=yuv over HTTP gives the decoded picture and names its pixel format", async () => {
  const sidecar = await startSidecar({ SEEKFRAME_DIR: FIXTURES });
  try {
    for (const [file, n] of [["hevc.mp4", 30], ["h264_rotate90.mp4", 7]] as const) {
      const res = await fetch(`${sidecar.base}/v1/frame?key=${file}&index=${n}&format=yuv`);
      assert.equal(res.status, 200);
      const format = res.headers.get("x-pixel-format")!;
      assert.equal(format, "yuv420p");
      const body = new Uint8Array(await res.arrayBuffer());
      const ref = await nativeReference(join(FIXTURES, file), format, body.byteLength);
      assert.ok(body.every((b, i) => b === ref[n][i]), `${file} frame ${n}: not rotated, as decoded`);
    }
    const scaled = await fetch(`${sidecar.base}/v1/frame?key=hevc.mp4&index=1&format=yuv&width=100`);
    assert.equal(scaled.status, 400);
    assert.match((await scaled.json()).error, /width applies to RGB frames/);
  } finally {
    await sidecar.stop();
  }
});
