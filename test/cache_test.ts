/**
 * The block cache and the S3 source against a real MinIO: eviction under the
 * budget, single flight, coalescing, the disk tier across restarts, ETag
 * changes, and retries (through a fault-injecting proxy).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "npm:@aws-sdk/client-s3@3.1175.0";
import {
  type FrameStore,
  ObjectChangedError,
  ObjectNotFoundError,
  openFrameStore,
  S3Provider,
  StorageError,
  UnsupportedMediaError,
} from "../mod.ts";
import { BlockCache, newReadStats } from "../src/storage/cache.ts";
import { sourceId } from "../src/storage/source.ts";
import { DiskCache } from "../src/storage/disk.ts";
import { BUCKET, FIXTURES, rawClient, s3Options, uploadFixtures } from "./env.ts";
import { startProxy } from "./proxy.ts";
import { psnr, referenceFrames } from "./reference.ts";

const FILE = "mpeg4.mp4"; // 238 KB
const KiB = 1024;

async function fixture(): Promise<{ s3: S3Provider; bytes: Uint8Array }> {
  await uploadFixtures();
  return {
    s3: new S3Provider(s3Options({ prefix: "fixtures/", headBytes: 4 * KiB })),
    bytes: await Deno.readFile(join(FIXTURES, FILE)),
  };
}

Deno.test("LRU eviction keeps memory under the budget", async () => {
  const { s3, bytes } = await fixture();
  const src = await s3.open(FILE);
  const cache = new BlockCache({ blockSize: 16 * KiB, maxBytes: 64 * KiB });
  for (let off = 0; off + 20 * KiB < src.size; off += 20 * KiB) {
    const got = await cache.read(src, off, 20 * KiB);
    assert.deepEqual(got, bytes.subarray(off, off + 20 * KiB));
    assert.ok(cache.stats.bytes <= 64 * KiB, `holds ${cache.stats.bytes} bytes`);
  }
  assert.ok(cache.stats.evictions > 0);
  const before = s3.stats.requests;
  await cache.read(src, src.size - 30 * KiB, 4 * KiB); // recent: still cached
  assert.equal(s3.stats.requests, before);
  await cache.read(src, 0, 4 * KiB); // oldest: evicted
  assert.equal(s3.stats.requests, before + 1);
  await s3.close();
});

Deno.test("concurrent reads of the same blocks share one request", async () => {
  const { s3, bytes } = await fixture();
  const src = await s3.open(FILE);
  const cache = new BlockCache({ blockSize: 16 * KiB });
  const before = s3.stats.requests;
  const reads = await Promise.all(Array.from({ length: 8 }, () => cache.read(src, 100 * KiB, 40 * KiB)));
  for (const r of reads) assert.deepEqual(r, bytes.subarray(100 * KiB, 140 * KiB));
  assert.equal(s3.stats.requests - before, 1);
  await s3.close();
});

Deno.test("adjacent missing blocks are fetched in one request, exact spans exactly", async () => {
  const { s3, bytes } = await fixture();
  const src = await s3.open(FILE);
  const cache = new BlockCache({ blockSize: 16 * KiB });
  let stats = newReadStats();
  await cache.read(src, 64 * KiB, 64 * KiB, "blocks", stats);
  assert.equal(stats.requests, 1, "four blocks, one GET");
  assert.equal(stats.bytesFetched, 64 * KiB);
  stats = newReadStats();
  // Blocks 3 and 8 missing around cached 4–7: two GETs.
  await cache.read(src, 48 * KiB, 96 * KiB, "blocks", stats);
  assert.equal(stats.requests, 2);
  assert.equal(stats.bytesFetched, 32 * KiB);
  assert.equal(stats.bytesFromCache, 64 * KiB);
  stats = newReadStats();
  const exact = await cache.read(src, 170_001, 12_345, "exact", stats);
  assert.deepEqual(exact, bytes.subarray(170_001, 170_001 + 12_345));
  assert.equal(stats.bytesFetched, 12_345, "exact mode fetches only the span");
  stats = newReadStats();
  await cache.read(src, 170_001, 12_345, "exact", stats);
  assert.equal(stats.requests, 0, "and then serves it from memory");
  await s3.close();
});

Deno.test("the disk tier survives a restart and ignores damaged files", async () => {
  const { s3, bytes } = await fixture();
  const dir = await Deno.makeTempDir({ prefix: "seekframe-disk-" });
  try {
    const src = await s3.open(FILE);
    const first = new BlockCache({ blockSize: 16 * KiB, disk: await DiskCache.open({ dir }) });
    await first.read(src, 30 * KiB, 50 * KiB);
    await first.flush();
    // A crash mid-write leaves a .tmp file; a damaged block file must not be served.
    await Deno.writeTextFile(join(dir, "x.blk.123.tmp"), "partial");
    const files = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".blk"));
    assert.ok(files.length >= 3);
    await Deno.writeFile(join(dir, files[0].name), new Uint8Array([1, 2, 3]));

    const disk = await DiskCache.open({ dir });
    assert.ok(![...Deno.readDirSync(dir)].some((e) => e.name.endsWith(".tmp")), "unfinished writes removed");
    const second = new BlockCache({ blockSize: 16 * KiB, disk });
    const stats = newReadStats();
    const got = await second.read(src, 30 * KiB, 50 * KiB, "blocks", stats);
    assert.deepEqual(got, bytes.subarray(30 * KiB, 80 * KiB));
    assert.ok(second.stats.diskHits >= 2, `disk hits ${second.stats.diskHits}`);
    assert.equal(stats.requests, 1, "only the damaged block is fetched again");
    await second.flush();
  } finally {
    await Deno.remove(dir, { recursive: true });
    await s3.close();
  }
});

Deno.test("the disk tier stays under its budget", async () => {
  const { s3 } = await fixture();
  const dir = await Deno.makeTempDir({ prefix: "seekframe-disk-" });
  try {
    const src = await s3.open(FILE);
    const disk = await DiskCache.open({ dir, maxBytes: 50 * KiB });
    const cache = new BlockCache({ blockSize: 16 * KiB, disk });
    await cache.read(src, 0, src.size);
    await cache.flush();
    const onDisk = [...Deno.readDirSync(dir)].reduce((n, e) => n + Deno.statSync(join(dir, e.name)).size, 0);
    assert.ok(onDisk <= 50 * KiB, `${onDisk} bytes on disk`);
    assert.equal(disk.bytes, onDisk);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await s3.close();
  }
});

Deno.test("a replaced object never serves old bytes", async (t) => {
  await uploadFixtures();
  const client = rawClient();
  const key = "changing/video.mp4";
  const put = async (file: string) =>
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: await Deno.readFile(join(FIXTURES, file)) }),
    );
  const s3 = new S3Provider(s3Options({ headBytes: 4 * KiB }));
  try {
    await put("h264_bframes_faststart.mp4");
    const old = await s3.open(key);
    await t.step("reads pinned to the old ETag fail with ObjectChangedError (412)", async () => {
      await put("hevc.mp4");
      const err = await old.read(50_000, 100).catch((e) => e);
      assert.ok(err instanceof ObjectChangedError, String(err));
    });
    await t.step("the new version has a new identity", async () => {
      const now = await s3.open(key);
      assert.notEqual(now.etag, old.etag);
      assert.notEqual(sourceId(now), sourceId(old));
    });
    await t.step("a store reopens the new version cleanly", async () => {
      await put("h264_bframes_faststart.mp4");
      const store = await openFrameStore({ s3: s3Options(), workers: 1, kvPath: false });
      try {
        const a = await referenceFrames(join(FIXTURES, "h264_bframes_faststart.mp4"));
        assert.ok(psnr((await store.getFrame(key, 30)).data, a.frames[30]) >= 45);
        await put("hevc.mp4");
        const b = await referenceFrames(join(FIXTURES, "hevc.mp4"));
        const frame = await store.getFrame(key, 50);
        assert.ok(psnr(frame.data, b.frames[50]) >= 45, "frame of the new version");
        assert.equal((await store.info(key)).codec, "hevc");
      } finally {
        await store.close();
      }
    });
    await t.step("frames served from the cache alone are revalidated after revalidateMs", async () => {
      await put("h264_bframes_faststart.mp4");
      const options = { s3: s3Options(), workers: 1, kvPath: false } as const;
      const checking = await openFrameStore({ ...options, revalidateMs: 0 });
      const trusting = await openFrameStore({ ...options, revalidateMs: Infinity });
      const usual = await openFrameStore(options);
      try {
        const a = await referenceFrames(join(FIXTURES, "h264_bframes_faststart.mp4"));
        const b = await referenceFrames(join(FIXTURES, "hevc.mp4"));
        for (const store of [checking, trusting, usual]) await store.getFrame(key, 30);
        const requests = (store: FrameStore) => store.stats.storage.requests;
        const before = requests(checking), bytes = checking.stats.storage.bytesFetched;
        const usualBefore = requests(usual);
        await checking.getFrame(key, 30);
        await usual.getFrame(key, 30);
        assert.equal(requests(checking) - before, 1, "revalidateMs 0: one HEAD before a cached frame");
        assert.equal(checking.stats.storage.bytesFetched, bytes, "the HEAD reads no bytes");
        assert.equal(requests(usual), usualBefore, "default (30 s): a cached frame costs no request");
        await put("hevc.mp4");
        assert.ok(psnr((await checking.getFrame(key, 30)).data, b.frames[30]) >= 45, "the new version's frame");
        assert.equal((await checking.info(key)).codec, "hevc");
        const trusted = requests(trusting);
        assert.ok(psnr((await trusting.getFrame(key, 30)).data, a.frames[30]) >= 45, "Infinity: the cached version");
        assert.equal(requests(trusting), trusted, "Infinity: no request");
        await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
        await assert.rejects(checking.getFrame(key, 30), ObjectNotFoundError);
      } finally {
        for (const store of [checking, trusting, usual]) await store.close();
      }
    });
    await t.step("a frame past the end of a stale index is checked against storage first", async () => {
      await put("h264_vfr.mp4"); // 47 frames
      const store = await openFrameStore({ s3: s3Options(), workers: 1, kvPath: false, revalidateMs: 0 });
      try {
        assert.equal((await store.info(key)).frameCount, 47);
        await put("h264_bframes_faststart.mp4"); // 72 frames
        const ref = await referenceFrames(join(FIXTURES, "h264_bframes_faststart.mp4"));
        assert.ok(psnr((await store.getFrame(key, 60)).data, ref.frames[60]) >= 45, "frame 60 of the new version");
      } finally {
        await store.close();
      }
    });
    await t.step("KV never keeps an index that is refused, so a fixed object is read anew", async () => {
      const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-refused-" });
      const options = { s3: s3Options(), workers: 1, kvPath: join(dir, "index.kv") } as const;
      try {
        await put("h264_spliced.ts");
        const first = await openFrameStore(options);
        await assert.rejects(first.info(key), UnsupportedMediaError);
        await first.close();
        await put("h264_audio.ts");
        const second = await openFrameStore(options);
        try {
          assert.equal((await second.info(key)).frameCount, 72);
        } finally {
          await second.close();
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
    await t.step("a version known from KV is confirmed before frames from the disk cache", async () => {
      await put("h264_bframes_faststart.mp4");
      const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-disk-" });
      const options = {
        s3: s3Options(),
        workers: 1,
        kvPath: join(dir, "index.kv"),
        cacheDir: join(dir, "blocks"),
      } as const;
      try {
        const first = await openFrameStore(options);
        await first.getFrame(key, 30);
        await first.close();
        await put("hevc.mp4"); // replaced while no process runs
        const second = await openFrameStore(options);
        try {
          const b = await referenceFrames(join(FIXTURES, "hevc.mp4"));
          assert.ok(psnr((await second.getFrame(key, 30)).data, b.frames[30]) >= 45, "the new version's frame");
        } finally {
          await second.close();
        }
        await put("h264_bframes_faststart.mp4");
        const third = await openFrameStore(options);
        try {
          // Back to the first version (same content, same ETag): KV's version fails its check,
          // and the disk cache may serve the first version's blocks again.
          const a = await referenceFrames(join(FIXTURES, "h264_bframes_faststart.mp4"));
          assert.ok(psnr((await third.getFrame(key, 30)).data, a.frames[30]) >= 45);
          assert.equal((await third.info(key)).codec, "h264");
        } finally {
          await third.close();
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  } finally {
    client.destroy();
    await s3.close();
  }
});

Deno.test("a replaced local file is noticed after revalidateMs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-files-" });
  const store = await openFrameStore({ dir, workers: 1, kvPath: false, revalidateMs: 0 });
  try {
    const path = join(dir, "clip.mp4");
    await Deno.copyFile(join(FIXTURES, "h264_bframes_faststart.mp4"), path);
    const a = await referenceFrames(join(FIXTURES, "h264_bframes_faststart.mp4"));
    assert.ok(psnr((await store.getFrame("clip.mp4", 12)).data, a.frames[12]) >= 45);
    await Deno.copyFile(join(FIXTURES, "hevc.mp4"), path);
    const b = await referenceFrames(join(FIXTURES, "hevc.mp4"));
    assert.ok(psnr((await store.getFrame("clip.mp4", 12)).data, b.frames[12]) >= 45, "the new file's frame");
    await Deno.remove(path);
    await assert.rejects(store.getFrame("clip.mp4", 12), ObjectNotFoundError);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("failed requests are retried with backoff, then reported", async (t) => {
  await uploadFixtures();
  const endpoint = s3Options().endpoint!;
  const proxy = await startProxy(endpoint);
  try {
    await t.step("two 503s, then success", async () => {
      let failures = 0;
      proxy.behaviour = { fault: ({ range }) => range && failures++ < 2 ? 503 : undefined };
      const s3 = new S3Provider(s3Options({ endpoint: proxy.endpoint, prefix: "fixtures/", maxAttempts: 4 }));
      const src = await s3.open(FILE);
      assert.equal(src.size, Deno.statSync(join(FIXTURES, FILE)).size);
      assert.equal(s3.stats.retries, 2);
      await s3.close();
    });
    await t.step("connection resets are retried too", async () => {
      let failures = 0;
      proxy.behaviour = { fault: ({ range }) => range && failures++ < 1 ? "reset" : undefined };
      const s3 = new S3Provider(s3Options({ endpoint: proxy.endpoint, prefix: "fixtures/", maxAttempts: 3 }));
      const src = await s3.open(FILE);
      assert.equal(src.size, Deno.statSync(join(FIXTURES, FILE)).size);
      await s3.close();
    });
    await t.step("retries exhausted: StorageError with the status", async () => {
      proxy.behaviour = { fault: ({ range }) => range ? 503 : undefined };
      const s3 = new S3Provider(s3Options({ endpoint: proxy.endpoint, prefix: "fixtures/", maxAttempts: 3 }));
      const before = proxy.requests;
      const err = await s3.open(FILE).catch((e) => e);
      assert.ok(err instanceof StorageError, String(err));
      assert.equal(err.status, 503);
      assert.equal(proxy.requests - before, 3, "exactly maxAttempts requests");
      await s3.close();
    });
  } finally {
    await proxy.close();
  }
});
