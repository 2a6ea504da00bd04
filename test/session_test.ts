/**
 * Decoder sessions: sequential reads continue the open decoder instead of
 * decoding the GOP again, batches decode each GOP once, and the frames stay
 * exact whatever the order of requests.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openFrameStore } from "../mod.ts";
import { FIXTURES, rng } from "./env.ts";
import { psnr, referenceFrames } from "./reference.ts";

Deno.test("sequential frames continue the decoder session", async (t) => {
  // GOP 30 with 3 B-frames in MP4; GOP 24 with 2 in MPEG-TS (packets demuxed from spans).
  for (const file of ["h264_audio_moov_end.mp4", "h264_audio.ts"]) {
    await t.step(file, async () => {
      const ref = await referenceFrames(join(FIXTURES, file));
      const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
      try {
        for (let n = 0; n < 72; n++) {
          const frame = await store.getFrame(file, n);
          assert.ok(psnr(frame.data, ref.frames[n]) >= 45, `frame ${n}`);
        }
        // Each frame decoded about once: a few decoded twice where a session had
        // to restart, and the last GOP not again after the drain at the end.
        const decoded = store.stats.decodedFrames;
        assert.ok(decoded <= 72 + 8, `decoded ${decoded} frames for 72 sequential reads`);
      } finally {
        await store.close();
      }
    });
  }
});

Deno.test("a sequential reader's bytes are fetched ahead of it in a few requests", async () => {
  // 72 frames of GOP-30 H.264, one getFrame each: 17 requests without the prefetch.
  const file = "h264_audio_moov_end.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  await using store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  await store.info(file);
  store.clearCache(); // the open read the whole (small) file
  const before = store.stats.storage.requests;
  for (let n = 0; n < 72; n++) {
    const frame = await store.getFrame(file, n);
    assert.deepEqual(frame.data, ref.frames[n], `frame ${n}`);
  }
  // The store's requests: those fetching ahead are for no single call.
  const requests = store.stats.storage.requests - before;
  assert.ok(requests <= 8, `${requests} requests for 72 sequential frames`);
  assert.ok(requests >= 2, `${requests} requests: the reads were counted`);
});

Deno.test("getFrames decodes each GOP once for all the frames asked from it", async () => {
  const file = "hevc.mp4"; // GOP 24
  const ref = await referenceFrames(join(FIXTURES, file));
  const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  try {
    const random = rng(3);
    const asked = Array.from({ length: 32 }, () => 24 + Math.floor(random() * 24)); // frames of GOP 2
    const frames = await store.getFrames(file, asked);
    for (const [i, f] of frames.entries()) {
      assert.equal(f.index, asked[i]);
      assert.ok(psnr(f.data, ref.frames[f.index]) >= 45);
    }
    // One run from the keyframe to the last frame asked (and a few for reordering).
    assert.ok(store.stats.decodedFrames <= 24 + 8, `decoded ${store.stats.decodedFrames}`);
  } finally {
    await store.close();
  }
});

Deno.test("frames stay exact in any request order", async () => {
  const file = "h264_bframes_faststart.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  try {
    const order = [5, 6, 7, 3, 40, 41, 30, 71, 70, 0, 23, 24, 25, 22];
    for (const n of order) assert.ok(psnr((await store.getFrame(file, n)).data, ref.frames[n]) >= 45, `frame ${n}`);
    // Concurrent requests on one video share the session safely.
    const frames = await Promise.all(order.map((n) => store.getFrame(file, n)));
    for (const f of frames) assert.ok(psnr(f.data, ref.frames[f.index]) >= 45, `frame ${f.index}`);
  } finally {
    await store.close();
  }
});

Deno.test("a reader going forward finds the next GOP decoded ahead on the other worker", async () => {
  // GOPs of 30 frames (0, 30) and a last one of 12 (60): reading GOP 30 reads GOP 60 ahead, and
  // reading GOP 60 reads nothing ahead (none follows), so what it decodes is the reader's alone.
  const file = "h264_audio_moov_end.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  await using store = await openFrameStore({ dir: FIXTURES, workers: 2, kvPath: false });
  for (let n = 30; n < 60; n++) await store.getFrame(file, n);
  // The read-ahead started with the second sequential request; let it finish.
  await new Promise((r) => setTimeout(r, 500));
  const before = store.stats.decodedFrames;
  assert.ok(before >= 30 + 8, `the next GOP was decoded ahead (${before} decoded for 30 read)`);
  for (let n = 60; n < 70; n++) {
    const frame = await store.getFrame(file, n);
    assert.deepEqual(frame.data, ref.frames[n], `frame ${n}`);
  }
  const spent = store.stats.decodedFrames - before;
  assert.ok(spent <= 4, `frames 60–69 came from the read-ahead (${spent} decoded for them)`);
});

Deno.test("concurrent requests for frames of one GOP are decoded together", async () => {
  // GOPs of 30 frames. One request holds the main session (GOP 0); eight others ask for frames of
  // GOP 30 at once. Decoded apart, they would cost about the sum of their distances from the keyframe
  // (~150 pictures); together, about one run to the latest of them.
  const file = "h264_audio_moov_end.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  await using store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  await store.info(file);
  const asked = [31, 44, 52, 38, 57, 35, 49, 58];
  const [first, ...frames] = await Promise.all([store.getFrame(file, 5), ...asked.map((n) => store.getFrame(file, n))]);
  assert.deepEqual(first.data, ref.frames[5]);
  for (const f of frames) assert.deepEqual(f.data, ref.frames[f.index], `frame ${f.index}`);
  const decoded = store.stats.decodedFrames;
  // Two callers of one frame decoded together (in the run after frame 31's) each own their pixels.
  const [, , a, b] = await Promise.all([5, 31, 33, 33].map((n) => store.getFrame(file, n)));
  assert.deepEqual(a.data, b.data);
  assert.notEqual(a.data.buffer, b.data.buffer);
  assert.ok(decoded <= 6 + 8 + 30 + 8, `decoded ${decoded} pictures for frame 5 and 8 frames of GOP 30`);
});

Deno.test("a request that gives up while its GOP is decoded for others gets its abort, and they their frames", async () => {
  const file = "h264_audio_moov_end.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  await using store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  await store.info(file);
  const quitter = new AbortController();
  const calls = [
    store.getFrame(file, 5),
    store.getFrame(file, 40),
    store.getFrame(file, 50, { signal: quitter.signal }),
    store.getFrame(file, 55),
    store.getFrame(file, 45),
  ];
  // Frame 40 goes first, alone; the others wait for its run and then go together: the quitter
  // gives up once that second run is under way.
  calls[1].then(() => quitter.abort(new Error("gave up")));
  const results = await Promise.allSettled(calls);
  const gaveUp = results[2];
  assert.equal(gaveUp.status, "rejected");
  assert.match(String((gaveUp as PromiseRejectedResult).reason), /gave up/);
  for (const [i, r] of results.entries()) {
    if (i === 2) continue;
    assert.equal(r.status, "fulfilled", `call ${i}: ${(r as PromiseRejectedResult).reason}`);
    const f = (r as PromiseFulfilledResult<{ index: number; data: Uint8Array }>).value;
    assert.deepEqual(f.data, ref.frames[f.index], `frame ${f.index}`);
  }
});

Deno.test("a request that gives up while waiting for its GOP's run is rejected at once", async () => {
  const file = "h264_audio_moov_end.mp4", busy = ["mpeg4.mp4", "hevc.mp4"];
  await using store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  await store.info(file);
  const counts = await Promise.all(busy.map(async (key) => (await store.info(key)).frameCount));
  // The one worker decodes every frame of two other videos first (hundreds of ms): frame 5 (the
  // main session) and frame 40's run (GOP 30's shared session) queue behind them, and frame 50
  // waits for that run.
  const queue = Promise.all(busy.map((key, i) => store.getFrames(key, Array.from({ length: counts[i] }, (_, n) => n))));
  const main = store.getFrame(file, 5), run = store.getFrame(file, 40);
  const quitter = new AbortController();
  const waiting = store.getFrame(file, 50, { signal: quitter.signal });
  await new Promise((r) => setTimeout(r, 10));
  let ran = false;
  run.then(() => ran = true, () => {});
  quitter.abort(new Error("gave up"));
  await assert.rejects(waiting, /gave up/);
  assert.equal(ran, false, "the request was rejected only when the run it waited for ended");
  await Promise.all([queue, main, run]);
});
