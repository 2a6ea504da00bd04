/**
 * The object as a seekable file, against a real MinIO and a local folder:
 * read/seek/tell semantics, a property test against an in-memory model, the
 * requests a run of small reads costs, writes committed as new versions
 * (one PUT for small objects, multipart with server-side copies for large
 * ones), conditional commits that lose nothing, and `/v1/object` read by
 * Debian's ffmpeg.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "npm:@aws-sdk/client-s3@3.1175.0";
import {
  InvalidArgumentError,
  ObjectChangedError,
  openFrameStore,
  openRemoteFile,
  type RemoteFile,
  type RemoteFileOptions,
} from "../mod.ts";
import { BUCKET, FIXTURES, rawClient, rng, s3Options, uploadFixtures } from "./env.ts";
import { psnr, referenceFrames, selectFrame } from "./reference.ts";
import { startSidecar } from "./sidecar.ts";

const s3 = (): RemoteFileOptions => ({ s3: s3Options() });

/** Uploads `bytes` as `key` in the test bucket. */
async function put(key: string, bytes: Uint8Array): Promise<void> {
  await uploadFixtures(); // creates the bucket
  const client = rawClient();
  try {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
  } finally {
    client.destroy();
  }
}

/** The object's bytes as stored, read without seekframe. */
async function stored(key: string): Promise<Uint8Array> {
  const client = rawClient();
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await out.Body!.transformToByteArray();
  } finally {
    client.destroy();
  }
}

function pattern(n: number, seed: number): Uint8Array {
  const random = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

Deno.test("read, seek and tell have file-object semantics", async (t) => {
  const bytes = pattern(100_000, 1);
  await put("file/semantics.bin", bytes);
  await using file = await openRemoteFile(s3(), "file/semantics.bin");
  await t.step("read(n) moves the offset; n = -1 reads the rest; EOF is an empty read", async () => {
    assert.deepEqual(await file.read(10), bytes.subarray(0, 10));
    assert.equal(file.tell(), 10);
    assert.deepEqual(await file.read(-1), bytes.subarray(10));
    assert.equal(file.tell(), bytes.byteLength);
    assert.equal((await file.read(5)).byteLength, 0, "at the end: nothing");
    assert.equal((await file.read()).byteLength, 0);
  });
  await t.step("seek from the start, the offset and the end", async () => {
    assert.equal(await file.seek(50), 50);
    assert.equal(await file.seek(-20, Deno.SeekMode.Current), 30);
    assert.deepEqual(await file.read(4), bytes.subarray(30, 34));
    assert.equal(await file.seek(-6, Deno.SeekMode.End), bytes.byteLength - 6);
    assert.deepEqual(await file.read(100), bytes.subarray(bytes.byteLength - 6), "fewer at the end");
    assert.equal(await file.seek(10, 2), bytes.byteLength + 10, "past the end is allowed");
    assert.equal((await file.read(10)).byteLength, 0);
  });
  await t.step("negative offsets and bad arguments are refused", async () => {
    await assert.rejects(file.seek(-1), InvalidArgumentError);
    await assert.rejects(file.seek(-bytes.byteLength - 1, 2), InvalidArgumentError);
    await assert.rejects(file.seek(0, 3 as 0), InvalidArgumentError);
    await assert.rejects(file.read(-2), InvalidArgumentError);
    await assert.rejects(file.read(1.5), InvalidArgumentError);
  });
  await t.step("stat gives size and ETag; readable streams from the offset", async () => {
    const info = file.stat();
    assert.equal(info.size, bytes.byteLength);
    assert.match(info.etag, /^[0-9a-f]{32}$/);
    await file.seek(99_000);
    const streamed = new Uint8Array(await new Response(file.readable).arrayBuffer());
    assert.deepEqual(streamed, bytes.subarray(99_000));
    assert.equal(file.tell(), bytes.byteLength);
  });
});

/** The same operations on a plain array, for the property test. */
class Model {
  offset = 0;
  constructor(public bytes: Uint8Array) {}
  read(n: number): Uint8Array {
    const end = n === -1 ? this.bytes.byteLength : Math.min(this.bytes.byteLength, this.offset + n);
    const out = this.bytes.slice(Math.min(this.offset, end), end);
    this.offset = Math.max(this.offset, end);
    return out;
  }
  seek(delta: number, whence: 0 | 1 | 2): number {
    const to = (whence === 0 ? 0 : whence === 1 ? this.offset : this.bytes.byteLength) + delta;
    if (to < 0) throw new InvalidArgumentError("negative");
    return this.offset = to;
  }
  write(b: Uint8Array): number {
    const end = this.offset + b.byteLength;
    if (end > this.bytes.byteLength) {
      const grown = new Uint8Array(end);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(b, this.offset);
    this.offset = end;
    return b.byteLength;
  }
}

Deno.test("random operation sequences agree with an in-memory model (S3 and a folder)", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-file-" });
  try {
    for (const where of ["s3", "folder"] as const) {
      await t.step(where, async () => {
        for (let seed = 1; seed <= 6; seed++) {
          const start = pattern(40_000 + seed * 1000, seed);
          const key = `file/model-${seed}.bin`;
          if (where === "s3") await put(key, start);
          else {
            await Deno.mkdir(join(dir, "file"), { recursive: true });
            await Deno.writeFile(join(dir, key), start);
          }
          const options = where === "s3" ? s3() : { dir };
          const model = new Model(start.slice());
          const random = rng(seed * 97);
          let file: RemoteFile = await openRemoteFile(options, key);
          try {
            for (let step = 0; step < 120; step++) {
              const op = Math.floor(random() * 10);
              const what = `seed ${seed} step ${step}`;
              if (op < 4) {
                const n = random() < 0.1 ? -1 : Math.floor(random() * 9000);
                assert.deepEqual(await file.read(n), model.read(n), `${what}: read(${n})`);
              } else if (op < 7) {
                const whence = Math.floor(random() * 3) as 0 | 1 | 2;
                const delta = Math.floor((random() - 0.3) * 60_000);
                let expected: number | Error;
                try {
                  expected = model.seek(delta, whence);
                } catch (e) {
                  expected = e as Error;
                }
                if (expected instanceof Error) await assert.rejects(file.seek(delta, whence), InvalidArgumentError);
                else assert.equal(await file.seek(delta, whence), expected, `${what}: seek(${delta}, ${whence})`);
              } else if (op < 9) {
                const b = pattern(1 + Math.floor(random() * 5000), step);
                assert.equal(await file.write(b), model.write(b), `${what}: write`);
              } else {
                // Commit, and sometimes reopen: the new version holds exactly the model's bytes.
                await file.flush();
                if (random() < 0.5) {
                  const at = file.tell();
                  await file.close();
                  file = await openRemoteFile(options, key);
                  await file.seek(at);
                }
              }
              assert.equal(file.tell(), model.offset, `${what}: tell`);
              assert.equal(file.stat().size, model.bytes.byteLength, `${what}: size`);
            }
            await file.close();
            const after = where === "s3" ? await stored(key) : await Deno.readFile(join(dir, key));
            assert.deepEqual(after, model.bytes, `seed ${seed}: what storage holds`);
          } finally {
            await file.close().catch(() => {});
          }
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("1,000 sequential 4 KiB reads cost a handful of GETs", async () => {
  const bytes = pattern(4_096_000, 3);
  await put("file/sequential.bin", bytes);
  await using store = await openFrameStore({ s3: s3Options(), kvPath: false, workers: 1 });
  const before = store.stats.storage.requests;
  await using file = await store.openFile("file/sequential.bin");
  for (let i = 0; i < 1000; i++) {
    const chunk = await file.read(4096);
    if (i % 250 === 0) assert.deepEqual(chunk, bytes.subarray(i * 4096, (i + 1) * 4096));
  }
  const gets = store.stats.storage.requests - before;
  console.log(`1,000 sequential 4 KiB reads: ${gets} GETs (open included)`);
  assert.ok(gets <= 10, `${gets} GETs`);
});

Deno.test("writes commit as new versions that keep every other byte", async (t) => {
  const small = pattern(200_000, 4);
  const large = pattern(16 * 1024 * 1024 + 12_345, 5);
  for (const [name, bytes] of [["small", small], ["large", large]] as const) {
    for (const [where, at, length] of [["middle", 0.5, 4096], ["end", 1, 0], ["past the end", 1, 100_000]] as const) {
      await t.step(`${name} object, write ${where}`, async () => {
        const key = `file/write-${name}-${where.replaceAll(" ", "-")}.bin`;
        await put(key, bytes);
        const expected = new Model(bytes.slice());
        const offset = where === "past the end" ? bytes.byteLength + length : Math.floor(bytes.byteLength * at) - 4096;
        const data = pattern(4096, offset);
        await using file = await openRemoteFile(s3(), key);
        await file.seek(offset);
        expected.seek(offset, 0);
        await file.write(data);
        expected.write(data);
        const result = (await file.flush())!;
        assert.deepEqual(await stored(key), expected.bytes, "storage holds the old bytes with the write");
        assert.equal(file.stat().etag, result.etag);
        const changed = where === "past the end" ? length + 4096 : 4096;
        if (name === "small") {
          assert.equal(result.requests, 1, "one PUT");
          assert.equal(result.bytesCopied, 0);
        } else {
          // Only the part around the change is sent (5 MiB parts); the rest is copied by the server.
          assert.ok(result.bytesUploaded <= 5 * 1024 * 1024 + changed, `uploaded ${result.bytesUploaded}`);
          assert.ok(result.bytesCopied >= expected.bytes.byteLength - 5 * 1024 * 1024 - changed, "copied");
          console.log(
            `${name} ${where}: ${result.requests} requests, ${result.bytesUploaded} bytes sent, ` +
              `${result.bytesCopied} copied`,
          );
        }
      });
    }
  }
});

Deno.test("a commit after someone else changed the object fails and keeps the staged writes", async () => {
  const key = "file/conflict.bin";
  const bytes = pattern(50_000, 6);
  await put(key, bytes);
  await using file = await openRemoteFile(s3(), key);
  await file.seek(100);
  await file.write(new Uint8Array([1, 2, 3]));
  const theirs = pattern(50_000, 7);
  await put(key, theirs);
  await assert.rejects(file.flush(), ObjectChangedError);
  assert.deepEqual(await stored(key), theirs, "their version stays");
  assert.ok(file.stat().dirty, "our writes are still staged");
  await file.seek(100);
  assert.deepEqual(await file.read(3), new Uint8Array([1, 2, 3]), "and readable");
  await assert.rejects(file.close(), ObjectChangedError, "closing does not drop them either");
  await file.abort();
  assert.deepEqual(await stored(key), theirs, "aborting drops ours and writes nothing");
});

Deno.test("a local file is rewritten in place, conditionally", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-file-" });
  try {
    const path = join(dir, "a.bin");
    await Deno.writeFile(path, pattern(10_000, 8));
    const file = await openRemoteFile({ dir }, "a.bin");
    await file.seek(12_000);
    await file.write(new Uint8Array([9]));
    await file.close();
    const after = await Deno.readFile(path);
    assert.equal(after.byteLength, 12_001);
    assert.deepEqual(after.subarray(10_000, 12_000), new Uint8Array(2000), "the gap is zeros");
    assert.equal([...Deno.readDirSync(dir)].length, 1, "no temporary file left");
    const stale = await openRemoteFile({ dir }, "a.bin");
    await stale.write(new Uint8Array([7]));
    await Deno.writeFile(path, pattern(5, 9));
    await assert.rejects(stale.flush(), ObjectChangedError);
    assert.deepEqual(await Deno.readFile(path), pattern(5, 9));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("after a write the store's next frame comes from the new bytes", async () => {
  await uploadFixtures();
  const key = "file/replaced.mp4";
  const a = await Deno.readFile(join(FIXTURES, "h264_bframes_faststart.mp4"));
  const b = await Deno.readFile(join(FIXTURES, "hevc.mp4"));
  await put(key, a);
  await using store = await openFrameStore({ s3: s3Options(), kvPath: false, workers: 1, revalidateMs: Infinity });
  const before = await store.getFrame(key, 10);
  const refA = await referenceFrames(join(FIXTURES, "h264_bframes_faststart.mp4"));
  assert.ok(psnr(before.data, refA.frames[10]) >= 45);
  {
    await using file = await store.openFile(key);
    await file.write(b);
    if (b.byteLength < a.byteLength) {
      // Keep the write a whole new file: the tail of the old one would follow it otherwise.
      await file.write(new Uint8Array(0));
    }
  }
  const refB = await referenceFrames(join(FIXTURES, "hevc.mp4"));
  const info = await store.info(key);
  assert.equal(info.codec, "hevc", "re-indexed: the new bytes are an HEVC file");
  const after = await store.getFrame(key, 10);
  assert.ok(psnr(after.data, refB.frames[10]) >= 45, "frame 10 of the new version");
});

Deno.test("ffmpeg reads frame N through /v1/object as from the local file", async (t) => {
  await uploadFixtures();
  const o = s3Options();
  const sidecar = await startSidecar({
    S3_BUCKET: o.bucket,
    S3_ENDPOINT: o.endpoint!,
    S3_PREFIX: "fixtures/",
    AWS_ACCESS_KEY_ID: o.credentials!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: o.credentials!.secretAccessKey,
    AWS_REGION: "us-east-1",
  });
  try {
    for (const [file, n] of [["h264_audio_moov_end.mp4", 47], ["vp9.webm", 30], ["h264_audio.ts", 40]] as const) {
      await t.step(`${file} frame ${n}`, async () => {
        const url = `${sidecar.base}/v1/object?key=${file}`;
        const remote = await selectFrame(url, n);
        const local = await selectFrame(join(FIXTURES, file), n);
        assert.equal(remote.byteLength, local.byteLength);
        assert.deepEqual(remote, local, "byte for byte the frame ffmpeg decodes from the local file");
      });
    }
    await t.step("range edge cases over HTTP", async () => {
      const url = `${sidecar.base}/v1/object?key=mpeg4.mp4`;
      const size = (await Deno.stat(join(FIXTURES, "mpeg4.mp4"))).size;
      const local = await Deno.readFile(join(FIXTURES, "mpeg4.mp4"));
      const get = (headers: HeadersInit, method = "GET") => fetch(url, { headers, method });
      const first = await get({ range: "bytes=0-0" });
      assert.equal(first.status, 206);
      assert.deepEqual(new Uint8Array(await first.arrayBuffer()), local.subarray(0, 1));
      const etag = first.headers.get("etag")!;
      const tail = await get({ range: "bytes=-100" });
      assert.equal(tail.headers.get("content-range"), `bytes ${size - 100}-${size - 1}/${size}`);
      assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), local.subarray(size - 100));
      const past = await get({ range: `bytes=${size}-` });
      assert.equal(past.status, 416);
      await past.body?.cancel();
      const head = await get({}, "HEAD");
      assert.equal(head.headers.get("content-length"), String(size));
      assert.equal(head.headers.get("accept-ranges"), "bytes");
      const notModified = await get({ "if-none-match": etag });
      assert.equal(notModified.status, 304);
      await notModified.body?.cancel();
      const wrongVersion = await get({ range: "bytes=0-9", "if-range": '"other"' });
      assert.equal(wrongVersion.status, 200);
      assert.equal((await wrongVersion.arrayBuffer()).byteLength, size);
      const escape = await get({}, "GET").then(() => fetch(`${sidecar.base}/v1/object?key=../x`));
      assert.equal(escape.status, 400);
      await escape.body?.cancel();
    });
  } finally {
    await sidecar.stop();
  }
});
