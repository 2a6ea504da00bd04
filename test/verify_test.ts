/**
 * Verification (`store.verify`, `verify: true`): a random access decodes only
 * its frame's path, so a picture native ffmpeg drops elsewhere in the file
 * (which shifts every later frame number) goes unseen; once a video is
 * verified, every frame such damage makes uncertain is refused, whatever
 * order frames are asked in, and each object version is verified once (the
 * index keeps what was found, in KV too).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { CorruptMediaError, newReadStats, openFrameStore, type ReadStats, StoreClosedError } from "../mod.ts";
import { FIXTURES, VIDEOS } from "./env.ts";
import { referenceFrames } from "./reference.ts";

/** Video packets of `path` as ffprobe lists them (decode order): byte position, size, key flag. */
async function probePackets(path: string): Promise<{ pos: number; size: number; key: boolean }[]> {
  const out = await new Deno.Command("ffprobe", {
    args: ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pos,size,flags", "-of", "json", path],
    stdout: "piped",
  }).output();
  const { packets } = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    packets: { pos: string; size: string; flags: string }[];
  };
  return packets.map((p) => ({ pos: Number(p.pos), size: Number(p.size), key: p.flags.startsWith("K") }));
}

/** A 120-frame H.264 with a keyframe every 6 frames (20 decode jobs), written to `dir`. */
async function manyGops(dir: string): Promise<string> {
  const key = "gop6.mp4";
  const out = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24:duration=5", "-c:v", "libx264"]
      .concat(["-preset", "veryfast", "-bf", "2", "-g", "6", "-pix_fmt", "yuv420p", "-threads", "1", join(dir, key)]),
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return key;
}

/**
 * `mpeg4.mp4` with the bytes of its 5th packet (decode order; a P-frame of the
 * first GOP, shown as frame 4) zeroed: ffmpeg fails on it and shows 45 frames,
 * so from there on its frame N is not this file's frame N by the index.
 */
async function damagedCopy(dir: string): Promise<{ key: string; path: string; damagedFrame: number }> {
  const src = join(FIXTURES, "mpeg4.mp4");
  const packets = await probePackets(src);
  const victim = packets[4];
  assert.ok(!victim.key && packets.slice(5).some((p) => p.key), "the zeroed packet is a P-frame before a later GOP");
  const bytes = await Deno.readFile(src);
  bytes.fill(0, victim.pos, victim.pos + victim.size);
  const key = "mpeg4_zeroed.mp4";
  await Deno.writeFile(join(dir, key), bytes);
  return { key, path: join(dir, key), damagedFrame: 4 };
}

Deno.test("verify finds nothing in undamaged videos, decodes each job once, and KV keeps that", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-verify-" });
  const kvPath = join(dir, "index.kv");
  try {
    {
      await using store = await openFrameStore({ dir: FIXTURES, kvPath, workers: 2 });
      for (const key of Object.keys(VIDEOS)) {
        const report = await store.verify(key);
        const info = await store.info(key);
        assert.equal(report.frameCount, info.frameCount, key);
        assert.equal(report.servedFrames, info.frameCount, `${key}: ${report.reason}`);
        assert.equal(report.damagedPackets, 0, key);
        assert.equal(report.firstRefused, undefined, key);
        assert.ok(report.jobs >= info.keyframes.length - 1 && report.jobs > 0, key);
        assert.equal(report.decodedJobs, report.jobs, key);
        // Every picture came out (some jobs decode a few of the next GOP's too).
        assert.ok(report.decodedPictures >= info.frameCount, `${key}: ${report.decodedPictures} pictures`);
        // Done once per version.
        const again = await store.verify(key);
        assert.equal(again.decodedJobs, 0, key);
        assert.equal(again.servedFrames, info.frameCount, key);
      }
    }
    // A new store finds the verification in KV.
    await using store = await openFrameStore({ dir: FIXTURES, kvPath, workers: 1 });
    for (const key of ["h264_bframes_faststart.mp4", "h264.mkv", "hevc.ts", "vp9.webm"]) {
      const report = await store.verify(key);
      assert.equal(report.decodedJobs, 0, key);
      assert.equal(report.servedFrames, report.frameCount, key);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a picture ffmpeg drops off a frame's path: served unverified, refused once verified", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-verify-" });
  try {
    const { key, path, damagedFrame } = await damagedCopy(dir);
    const ref = await referenceFrames(path);
    const pristine = await referenceFrames(join(FIXTURES, "mpeg4.mp4"));
    // ffmpeg drops pictures from the damaged one on: its later frame numbers are shifted.
    assert.ok(ref.frames.length < pristine.frames.length, `ffmpeg shows ${ref.frames.length} frames`);
    const last = pristine.frames.length - 1;

    {
      // Unverified, the last frame's path (its own GOP) is intact, so it is served: the
      // undamaged file's frame, which native ffmpeg numbers otherwise (the documented limit).
      await using store = await openFrameStore({ dir, kvPath: false, workers: 1 });
      const frame = await store.getFrame(key, last);
      assert.deepEqual(frame.data, pristine.frames[last]);
      assert.ok(ref.frames.length <= last, "ffmpeg has no frame with that number");
    }

    const kvPath = join(dir, "index.kv");
    {
      await using store = await openFrameStore({ dir, kvPath, workers: 2, verify: true });
      // Refused, asked first: the verification ran when the video opened.
      await assert.rejects(store.getFrame(key, last), (err: unknown) => {
        assert.ok(err instanceof CorruptMediaError);
        assert.match(err.message, new RegExp(`frame ${last} .* is not served: the packet of frame ${damagedFrame}`));
        return true;
      });
      // The frames before the damage are ffmpeg's, byte for byte.
      for (let n = 0; n < damagedFrame; n++) {
        assert.deepEqual((await store.getFrame(key, n)).data, ref.frames[n], `${n}`);
      }
      await assert.rejects(store.getFrame(key, damagedFrame), CorruptMediaError);
      const report = await store.verify(key);
      assert.equal(report.firstRefused, damagedFrame);
      assert.equal(report.servedFrames, damagedFrame);
      assert.match(report.reason!, /damaged \(the decoder failed on a packet/);
      assert.ok(report.damagedPackets >= 1);
      assert.equal(report.decodedJobs, 0, "verified when it opened");
    }
    // Another store (no verify option) over the same KV refuses it too, without decoding anything.
    await using store = await openFrameStore({ dir, kvPath, workers: 1 });
    await assert.rejects(store.getFrame(key, last), CorruptMediaError);
    assert.equal(store.stats.decodedFrames, 0);
    const report = await store.verify(key);
    assert.equal(report.decodedJobs, 0);
    assert.equal(report.firstRefused, damagedFrame);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verify on a cut file reports the frames it still serves", async () => {
  await using store = await openFrameStore({ dir: FIXTURES, kvPath: false, workers: 1 });
  const report = await store.verify("truncated.mp4");
  assert.ok(report.firstRefused !== undefined && report.firstRefused > 0);
  assert.equal(report.servedFrames, report.firstRefused);
  assert.match(report.reason!, /runs past the end of the object/);
  const ref = await referenceFrames(join(FIXTURES, "truncated.mp4"));
  for (const n of [0, report.firstRefused - 1]) {
    assert.deepEqual((await store.getFrame("truncated.mp4", n)).data, ref.frames[n]);
  }
  await assert.rejects(store.getFrame("truncated.mp4", report.firstRefused), CorruptMediaError);
});

Deno.test("verify of what is not a video is the open's typed error", async () => {
  await using store = await openFrameStore({ dir: FIXTURES, kvPath: false, workers: 1 });
  await assert.rejects(
    store.verify("garbage.mp4"),
    (err: unknown) => (err as { code?: string }).code === "unsupported",
  );
  await assert.rejects(store.verify("no-such.mp4"), (err: unknown) => (err as { code?: string }).code === "not_found");
});

Deno.test("verifications beside frame requests: one at a time per video, stopped and resumed, reads counted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-verify-" });
  try {
    const key = await manyGops(dir);
    const ref = await referenceFrames(join(dir, key));
    {
      await using store = await openFrameStore({ dir, kvPath: false, workers: 2 });
      await store.info(key);
      // Stopped once the first job's bytes are read (the stats see each storage read as it is made).
      const stop = new AbortController();
      const stats = new Proxy(newReadStats(), {
        set(target, field: keyof ReadStats, value) {
          target[field] = value;
          if (field === "requests") stop.abort();
          return true;
        },
      });
      await assert.rejects(store.verify(key, { signal: stop.signal, stats }), (err: unknown) => {
        return (err as Error).name === "AbortError";
      });
      // The next one goes on where it stopped.
      const resumed = await store.verify(key);
      assert.equal(resumed.jobs, 20);
      assert.ok(resumed.decodedJobs > 0 && resumed.decodedJobs < 20, `${resumed.decodedJobs} jobs decoded`);
      assert.equal(resumed.servedFrames, 120);
    }
    {
      // Two verifications and frames at once: the jobs are decoded once, the frames are ffmpeg's.
      await using store = await openFrameStore({ dir, kvPath: false, workers: 2 });
      const stats = newReadStats();
      const [a, b, frames] = await Promise.all([
        store.verify(key, { stats }),
        store.verify(key),
        store.getFrames(key, [5, 47, 100, 119]),
      ]);
      assert.equal(a.decodedJobs + b.decodedJobs, 20);
      assert.equal(a.servedFrames, 120);
      assert.equal(b.servedFrames, 120);
      for (const [k, n] of [5, 47, 100, 119].entries()) assert.deepEqual(frames[k].data, ref.frames[n], `${n}`);
      assert.ok(stats.bytesFetched + stats.bytesFromCache > 0, "the verification's reads are counted");
    }
    {
      // With KV, verify: true, and callers side by side: each job once, the marks stored.
      const kvPath = join(dir, "index.kv");
      {
        await using store = await openFrameStore({ dir, kvPath, workers: 2, verify: true });
        const [a, b, frame] = await Promise.all([store.verify(key), store.verify(key), store.getFrame(key, 77)]);
        assert.equal(a.servedFrames, 120);
        assert.equal(b.servedFrames, 120);
        assert.ok(a.decodedJobs + b.decodedJobs <= 20, "no job decoded twice");
        assert.deepEqual(frame.data, ref.frames[77]);
      }
      await using store = await openFrameStore({ dir, kvPath, workers: 1 });
      assert.equal((await store.verify(key)).decodedJobs, 0, "KV has every job");
    }
    {
      // Closed while verifying before a first frame: the verification stops between jobs, the request ends typed.
      const store = await openFrameStore({ dir, kvPath: false, workers: 1, verify: true });
      await store.info(key);
      let closing: Promise<void> | undefined;
      const stats = new Proxy(newReadStats(), {
        set(target, field: keyof ReadStats, value) {
          target[field] = value;
          if (field === "requests") closing ??= store.close(); // once the first job's bytes are read
          return true;
        },
      });
      await assert.rejects(store.getFrame(key, 119, { stats }), StoreClosedError);
      await closing;
      assert.ok(store.stats.decodedFrames < 120, `${store.stats.decodedFrames} pictures decoded after close`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
