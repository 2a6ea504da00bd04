/**
 * Exactness: frame N from seekframe is frame N from native ffmpeg, for every
 * fixture, over the local-folder source and over S3 (MinIO), at the first and
 * last frames, keyframes, frames just before keyframes, and random frames.
 * The RGB24 is the ffmpeg CLI's byte for byte, also scaled (see RGB_NOT_EXACT).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openFrameStore } from "../mod.ts";
import type { FrameStore } from "../mod.ts";
import { FIXTURES, RGB_NOT_EXACT, rng, s3Options, uploadFixtures, VIDEOS } from "./env.ts";
import { diffSummary, mse, psnr, referenceFrames, selectFrame } from "./reference.ts";

/** Frame numbers worth checking in a video with these keyframes. */
function interesting(frameCount: number, keyframes: number[], seed: number): number[] {
  const random = rng(seed);
  const picks = new Set<number>([0, frameCount - 1]);
  for (const k of keyframes) {
    picks.add(k);
    if (k > 0) picks.add(k - 1);
  }
  for (let i = 0; i < 4; i++) picks.add(Math.floor(random() * frameCount));
  return [...picks].sort((a, b) => a - b);
}

async function checkVideo(t: Deno.TestContext, store: FrameStore, key: string, file: string): Promise<void> {
  const ref = await referenceFrames(join(FIXTURES, file));
  const info = await store.info(key);
  assert.equal(info.frameCount, ref.frames.length, "frame count matches ffmpeg's");
  assert.equal(info.width, ref.width);
  assert.equal(info.height, ref.height);
  for (const n of interesting(info.frameCount, info.keyframes, file.length)) {
    await t.step(`frame ${n}`, async () => {
      const frame = await store.getFrame(key, n);
      assert.equal(frame.index, n);
      assert.equal(frame.width, ref.width);
      assert.equal(frame.height, ref.height);
      assert.equal(frame.data.byteLength, ref.width * ref.height * 3);
      const here = psnr(frame.data, ref.frames[n]);
      assert.ok(here >= 45, `PSNR against ffmpeg's frame ${n} is ${here.toFixed(2)} dB (< 45)`);
      const own = mse(frame.data, ref.frames[n]);
      for (const m of [n - 1, n + 1]) {
        if (m < 0 || m >= ref.frames.length) continue;
        const other = mse(frame.data, ref.frames[m]);
        assert.ok(other > own, `frame ${n} is closer to ffmpeg's frame ${m} (mse ${other}) than to ${n} (mse ${own})`);
      }
      if (!(file in RGB_NOT_EXACT)) {
        assert.ok(
          own === 0,
          `frame ${n} differs from ffmpeg's: ${diffSummary(frame.data, ref.frames[n], frame.width)}`,
        );
      }
    });
  }
}

/** ffmpeg filters turning a picture as coded the way seekframe turns it (counter-clockwise degrees). */
const TURN: Record<number, string> = { 0: "", 90: "transpose=cclock", 180: "hflip,vflip", 270: "transpose=clock" };

/**
 * Frames scaled with `width`: seekframe scales the picture as coded, then
 * turns it; ffmpeg's scale filter then the same turn (exact on RGB) gives the
 * reference. (ffmpeg's autorotate would turn the YUV picture first.)
 */
async function checkScaled(t: Deno.TestContext, store: FrameStore, file: string): Promise<void> {
  const info = await store.info(file);
  const random = rng(file.length * 17);
  const picks = [...new Set([info.keyframes.at(-1)!, Math.floor(random() * info.frameCount)])];
  for (const width of [Math.round(info.width / 2), Math.round(info.width * 0.3) | 1]) {
    for (const n of picks) {
      await t.step(`width ${width}, frame ${n}`, async () => {
        const frame = await store.getFrame(file, n, { width });
        assert.equal(frame.width, width);
        const [cw, ch] = info.rotation % 180 ? [frame.height, frame.width] : [frame.width, frame.height];
        const filters = [`scale=${cw}:${ch}`, TURN[info.rotation]].filter(Boolean).join(",");
        const ref = await selectFrame(join(FIXTURES, file), n, { then: filters, autorotate: false });
        assert.equal(frame.data.byteLength, ref.byteLength);
        const here = psnr(frame.data, ref);
        assert.ok(here >= 45, `PSNR against ffmpeg's ${filters} of frame ${n} is ${here.toFixed(2)} dB (< 45)`);
        if (!(file in RGB_NOT_EXACT)) {
          assert.ok(here === Infinity, `differs from ffmpeg's ${filters}: ${diffSummary(frame.data, ref, width)}`);
        }
      });
    }
  }
}

Deno.test("the reference dump agrees with ffmpeg's select=eq(n,N)", async () => {
  for (
    const file of [
      "h264_audio_moov_end.mp4",
      "h264_editlist_cut.mp4",
      "hevc.mp4",
      "h264_rotate90.mp4",
      "h264_odd_322x180.mp4",
      "h264_full_range.mp4",
      "vp9_full_range.webm",
      "h264_bt709.mp4",
      "vp9_odd_321x180.webm",
      "vp9_odd_321x181.webm",
    ]
  ) {
    const path = join(FIXTURES, file);
    const ref = await referenceFrames(path);
    for (const n of [0, 17, ref.frames.length - 1]) {
      assert.deepEqual(await selectFrame(path, n), ref.frames[n], `${file} frame ${n}`);
    }
  }
});

Deno.test("frames from a local folder equal ffmpeg's", async (t) => {
  const store = await openFrameStore({ dir: FIXTURES, workers: 2, kvPath: false });
  try {
    for (const [file, what] of Object.entries(VIDEOS)) {
      await t.step(`${file} (${what})`, (t) => checkVideo(t, store, file, file));
    }
  } finally {
    await store.close();
  }
});

Deno.test("frames scaled with width equal ffmpeg's scale filter", async (t) => {
  await using store = await openFrameStore({ dir: FIXTURES, workers: 2, kvPath: false });
  for (const [file, what] of Object.entries(VIDEOS)) {
    await t.step(`${file} (${what})`, (t) => checkScaled(t, store, file));
  }
});

Deno.test("frames from S3 (MinIO) equal ffmpeg's", async (t) => {
  await uploadFixtures();
  const store = await openFrameStore({ s3: s3Options({ prefix: "fixtures/" }), workers: 2, kvPath: false });
  try {
    for (const [file, what] of Object.entries(VIDEOS)) {
      await t.step(`${file} (${what})`, (t) => checkVideo(t, store, file, file));
    }
  } finally {
    await store.close();
  }
});

Deno.test("getFrames returns the frames asked, in the order asked", async () => {
  const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  try {
    const file = "h264_audio_moov_end.mp4";
    const ref = await referenceFrames(join(FIXTURES, file));
    const asked = [40, 3, 40, 71, 0, 31];
    const frames = await store.getFrames(file, asked);
    assert.deepEqual(frames.map((f) => f.index), asked);
    for (const f of frames) assert.ok(psnr(f.data, ref.frames[f.index]) >= 45, `frame ${f.index}`);
  } finally {
    await store.close();
  }
});
