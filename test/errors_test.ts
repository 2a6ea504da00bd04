/**
 * Every kind of bad input gets its own typed error with a useful message, and
 * the store keeps working afterwards.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { PutObjectCommand } from "npm:@aws-sdk/client-s3@3.1175.0";
import {
  CorruptMediaError,
  FrameOutOfRangeError,
  InvalidArgumentError,
  ObjectNotFoundError,
  openFrameStore,
  SeekframeError,
  StorageError,
  StoreClosedError,
  UnsupportedMediaError,
} from "../mod.ts";
import { BUCKET, FIXTURES, rawClient, s3Options, uploadFixtures } from "./env.ts";
import { freePort } from "./server_process.ts";

const GOOD = "h264_bframes_faststart.mp4";

/** A copy of an MP4 with one video track whose track header's display matrix is replaced. */
function withMatrix(mp4: Uint8Array, a: number, b: number, c: number, d: number): Uint8Array {
  const copy = mp4.slice();
  const at = copy.findIndex((_, i) => copy[i] === 0x74 && String.fromCharCode(...copy.subarray(i, i + 4)) === "tkhd");
  assert.ok(at > 0, "tkhd box");
  // After the box header and version/flags: times, track id and duration (20
  // bytes in version 0, 32 in version 1), then 16 bytes, then the matrix.
  const matrix = at + 8 + (copy[at + 4] === 1 ? 32 : 20) + 16;
  const view = new DataView(copy.buffer);
  for (const [i, v] of [a, b, 0, c, d, 0].entries()) view.setInt32(matrix + i * 4, v);
  return copy;
}

Deno.test("errors over a local folder", async (t) => {
  const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  try {
    await t.step("a missing file is ObjectNotFoundError", async () => {
      await assert.rejects(store.getFrame("nope.mp4", 0), ObjectNotFoundError);
      await assert.rejects(store.info("nope.mp4"), ObjectNotFoundError);
    });
    await t.step("a folder is not an object", async () => {
      await assert.rejects(store.getFrame("sub", 0), ObjectNotFoundError);
    });
    await t.step("keys cannot leave the folder", async () => {
      await assert.rejects(store.getFrame("../make.sh", 0), InvalidArgumentError);
      await assert.rejects(store.getFrame("/etc/passwd", 0), InvalidArgumentError);
      await assert.rejects(store.getFrame("a/../../x.mp4", 0), InvalidArgumentError);
      await assert.rejects(store.getFrame("", 0), InvalidArgumentError);
    });
    await t.step("out-of-range frames name the valid range", async () => {
      const err = await store.getFrame(GOOD, 72).catch((e) => e);
      assert.ok(err instanceof FrameOutOfRangeError);
      assert.equal(err.message, "frame 72 is out of range: video has 72 frames (0–71)");
      assert.equal(err.frameCount, 72);
      await assert.rejects(store.getFrame(GOOD, -1), FrameOutOfRangeError);
    });
    await t.step("non-integer frame numbers are InvalidArgumentError", async () => {
      await assert.rejects(store.getFrame(GOOD, 1.5), InvalidArgumentError);
      await assert.rejects(store.getFrame(GOOD, NaN), InvalidArgumentError);
      await assert.rejects(store.getFrame(GOOD, "3" as unknown as number), InvalidArgumentError);
    });
    await t.step("random bytes are UnsupportedMediaError", async () => {
      const err = await store.getFrame("garbage.mp4", 0).catch((e) => e);
      assert.ok(err instanceof UnsupportedMediaError, String(err));
      assert.match(err.message, /garbage\.mp4/);
      assert.match(err.message, /Invalid data found/, "FFmpeg's reason is in the message");
    });
    await t.step("a codec this build lacks is named", async () => {
      const err = await store.info("mjpeg.mp4").catch((e) => e);
      assert.ok(err instanceof UnsupportedMediaError, String(err));
      assert.match(err.message, /codec/);
      assert.match(err.message, /supported: .*h264/);
    });
    await t.step("a file without video says so", async () => {
      const err = await store.info("audio_only.m4a").catch((e) => e);
      assert.ok(err instanceof UnsupportedMediaError, String(err));
      assert.match(err.message, /no video stream/);
    });
    await t.step("a truncated file fails for frames past its end, and serves the rest", async () => {
      const info = await store.info("truncated.mp4");
      assert.equal(info.frameCount, 72);
      const err = await store.getFrame("truncated.mp4", 60).catch((e) => e);
      assert.ok(err instanceof CorruptMediaError, String(err));
      assert.match(err.message, /truncated/);
      const first = await store.getFrame("truncated.mp4", 0);
      assert.equal(first.data.byteLength, 320 * 240 * 3);
    });
    await t.step("streams ffmpeg would number differently are refused", async () => {
      const midGop = await store.info("h264_midgop.ts").catch((e) => e);
      assert.ok(midGop instanceof UnsupportedMediaError, String(midGop));
      assert.match(midGop.message, /starts between keyframes/);
      const spliced = await store.getFrame("h264_spliced.ts", 0).catch((e) => e);
      assert.ok(spliced instanceof UnsupportedMediaError, String(spliced));
      assert.match(spliced.message, /timestamps .* jump back/);
    });
    await t.step("display matrices that mirror or turn by other than right angles are refused", async () => {
      const dir = await Deno.makeTempDir();
      const odd = await openFrameStore({ dir, workers: 1, kvPath: false });
      try {
        const one = 65536, diag = 46341; // 16.16 fixed point: 1 and cos 45°
        for (
          const [name, [a, b, c, d], why] of [
            ["mirrored.mp4", [-one, 0, 0, one], /mirror/],
            ["turned45.mp4", [diag, diag, -diag, diag], /45\.0°/],
          ] as const
        ) {
          await Deno.writeFile(
            join(dir, name),
            withMatrix(await Deno.readFile(join(FIXTURES, "h264_rotate90.mp4")), a, b, c, d),
          );
          const err = await odd.info(name).catch((e) => e);
          assert.ok(err instanceof UnsupportedMediaError, String(err));
          assert.match(err.message, why);
        }
      } finally {
        await odd.close();
        await Deno.remove(dir, { recursive: true });
      }
    });
    await t.step("after all that, good requests still work", async () => {
      const frame = await store.getFrame(GOOD, 5);
      assert.equal(frame.index, 5);
    });
  } finally {
    await store.close();
  }
  await assert.rejects(store.getFrame(GOOD, 0), StoreClosedError);
});

Deno.test("errors over S3", async (t) => {
  await uploadFixtures();
  const store = await openFrameStore({ s3: s3Options({ prefix: "fixtures/" }), workers: 1, kvPath: false });
  try {
    await t.step("a missing object is ObjectNotFoundError", async () => {
      const err = await store.getFrame("nope.mp4", 0).catch((e) => e);
      assert.ok(err instanceof ObjectNotFoundError, String(err));
      assert.equal(err.key, "nope.mp4");
    });
    await t.step("an empty object is CorruptMediaError", async () => {
      const client = rawClient();
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "fixtures/empty.mp4", Body: new Uint8Array() }));
      client.destroy();
      await assert.rejects(store.getFrame("empty.mp4", 0), CorruptMediaError);
    });
    await t.step("bad input gives typed errors", async () => {
      await assert.rejects(store.getFrame("garbage.mp4", 0), UnsupportedMediaError);
      await assert.rejects(store.getFrame(GOOD, 1000), FrameOutOfRangeError);
      await assert.rejects(store.getFrame("../other-bucket/x.mp4", 0), InvalidArgumentError);
    });
    await t.step("good requests still work", async () => {
      assert.equal((await store.getFrame(GOOD, 71)).index, 71);
    });
  } finally {
    await store.close();
  }

  await t.step("wrong credentials are a StorageError with status 403", async () => {
    const denied = await openFrameStore({
      s3: s3Options({
        prefix: "fixtures/",
        credentials: { accessKeyId: "seekframe", secretAccessKey: "wrong-secret" },
      }),
      workers: 1,
      kvPath: false,
    });
    try {
      const err = await denied.getFrame(GOOD, 0).catch((e) => e);
      assert.ok(err instanceof StorageError, String(err));
      assert.equal(err.status, 403);
      assert.ok(!err.message.includes("wrong-secret"), "the secret is not in the message");
    } finally {
      await denied.close();
    }
  });

  await t.step("a missing bucket is a StorageError", async () => {
    const missing = await openFrameStore({
      s3: s3Options({ bucket: "no-such-bucket-seekframe" }),
      workers: 1,
      kvPath: false,
    });
    try {
      const err = await missing.getFrame(GOOD, 0).catch((e) => e);
      assert.ok(err instanceof StorageError, String(err));
      assert.match(err.message, /bucket/);
    } finally {
      await missing.close();
    }
  });

  await t.step("an unreachable endpoint is a StorageError", async () => {
    const port = freePort(); // nothing listens there
    const down = await openFrameStore({
      s3: s3Options({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 }),
      workers: 1,
      kvPath: false,
    });
    try {
      const err = await down.getFrame(GOOD, 0).catch((e) => e);
      assert.ok(err instanceof StorageError, String(err));
      assert.match(err.message, /unreachable/);
    } finally {
      await down.close();
    }
  });
});

Deno.test("options are checked when the store opens", async () => {
  await assert.rejects(openFrameStore({}), InvalidArgumentError);
  await assert.rejects(openFrameStore({ dir: FIXTURES, s3: s3Options() }), InvalidArgumentError);
  await assert.rejects(openFrameStore({ dir: FIXTURES, workers: 0, kvPath: false }), InvalidArgumentError);
  await assert.rejects(openFrameStore({ s3: { bucket: "" } }), InvalidArgumentError);
  await assert.rejects(openFrameStore({ dir: FIXTURES, cache: { blockSize: 1000 } }), InvalidArgumentError);
  await assert.rejects(
    openFrameStore({ dir: FIXTURES, kvPath: false, verify: "yes" as unknown as boolean }),
    /options.verify, when provided, must be true or false/,
  );
});

Deno.test("every error class is a SeekframeError with a stable code", () => {
  const e = new FrameOutOfRangeError(5, 3);
  assert.ok(e instanceof SeekframeError);
  assert.equal(e.code, "out_of_range");
  assert.equal(e.name, "FrameOutOfRangeError");
});
