import assert from "node:assert/strict";
import { join } from "node:path";
import { StorageError } from "../errors.ts";
import { BlockCache, newReadStats } from "./cache.ts";
import { DiskCache } from "./disk.ts";
import { readahead } from "./readahead.ts";
import type { ByteSource } from "./source.ts";

const BS = 4096;

/** An in-memory object that records every read it serves. */
class MemorySource implements ByteSource {
  readonly reads: [offset: number, length: number][] = [];
  readonly head = new Uint8Array();
  /** Reads to fail before answering again. */
  failures = 0;
  /** When set, reads wait for it before answering. */
  gate?: Promise<void>;

  constructor(readonly location: string, readonly data: Uint8Array, readonly etag = "v1") {}

  get key(): string {
    return this.location;
  }

  get size(): number {
    return this.data.byteLength;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.reads.push([offset, length]);
    if (offset < 0 || length < 0 || offset + length > this.size) throw new RangeError("outside the object");
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures--;
      throw new StorageError("storage is down", 503);
    }
    return this.data.slice(offset, offset + length);
  }
}

/** Bytes whose value tells their offset apart (mod 251). */
function pattern(size: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i + seed) % 251);
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => open = resolve);
  return { promise, open };
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-cache-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function blockFiles(dir: string): Promise<{ name: string; size: number }[]> {
  const files: { name: string; size: number }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".blk")) {
      files.push({ name: entry.name, size: (await Deno.stat(join(dir, entry.name))).size });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

Deno.test("a read fetches the whole block around the range once, then serves the block from memory", async () => {
  const source = new MemorySource("mem:a", pattern(3 * BS + 100));
  const cache = new BlockCache({ blockSize: BS });
  assert.deepEqual(await cache.read(source, 100, 200), source.data.slice(100, 300));
  assert.deepEqual(source.reads, [[0, BS]]);
  assert.deepEqual(await cache.read(source, 300, 3000), source.data.slice(300, 3300));
  assert.deepEqual(source.reads, [[0, BS]]);
  assert.equal(cache.stats.hits, 1);
  assert.equal(cache.stats.misses, 1);
  assert.equal(cache.stats.bytes, BS);
  assert.equal(cache.stats.bytesFromCache, 3000);
});

Deno.test("adjacent missing blocks become one read, and a cached block splits the runs", async () => {
  const source = new MemorySource("mem:a", pattern(3 * BS + 100));
  const cache = new BlockCache({ blockSize: BS });
  await cache.read(source, BS + 10, 10); // block 1
  const all = await cache.read(source, 0, source.size);
  assert.deepEqual(all, source.data);
  // Block 0 alone, then blocks 2 and 3 (the short last one) together.
  assert.deepEqual(source.reads, [[BS, BS], [0, BS], [2 * BS, BS + 100]]);

  const fresh = new MemorySource("mem:b", pattern(3 * BS));
  await cache.read(fresh, 1000, 2 * BS);
  assert.deepEqual(fresh.reads, [[0, 3 * BS]]);
});

Deno.test("LRU eviction keeps memory under the budget and drops the least recently used block", async () => {
  const source = new MemorySource("mem:a", pattern(4 * BS));
  const cache = new BlockCache({ blockSize: BS, maxBytes: 2 * BS });
  await cache.read(source, 0, 1); // block 0
  await cache.read(source, BS, 1); // block 1
  await cache.read(source, 0, 1); // block 0 is now the most recently used
  assert.equal(cache.stats.bytes, 2 * BS);
  await cache.read(source, 2 * BS, 1); // block 2 evicts block 1
  assert.equal(cache.stats.bytes, 2 * BS);
  assert.equal(cache.stats.evictions, 1);
  assert.deepEqual(source.reads, [[0, BS], [BS, BS], [2 * BS, BS]]);

  await cache.read(source, 10, 1); // block 0 still held
  assert.equal(source.reads.length, 3);
  await cache.read(source, BS + 10, 1); // block 1 was evicted: fetched again, evicting block 2
  assert.deepEqual(source.reads.slice(3), [[BS, BS]]);
  assert.equal(cache.stats.evictions, 2);
  assert.ok(cache.stats.bytes <= cache.maxBytes);
  await cache.read(source, 2 * BS, 1);
  assert.deepEqual(source.reads.slice(4), [[2 * BS, BS]]);
});

Deno.test("one new block evicts as many old blocks as it takes to fit the budget", async () => {
  const source = new MemorySource("mem:a", pattern(4 * BS));
  const cache = new BlockCache({ blockSize: BS, maxBytes: 2 * BS });
  await cache.read(source, 0, 3000, "exact");
  await cache.read(source, BS, 3000, "exact");
  await cache.read(source, 2 * BS, 2000, "exact");
  assert.equal(cache.stats.bytes, 8000);
  await cache.read(source, 3 * BS, 1); // a whole block: 12,096 bytes until blocks 0 and 1 go
  assert.equal(cache.stats.bytes, 2000 + BS);
  assert.equal(cache.stats.evictions, 2);
  assert.equal(cache.cachedLength(source, 0, 10), 0);
  assert.equal(cache.cachedLength(source, BS, 10), 0);
  assert.equal(cache.cachedLength(source, 2 * BS, 1 << 20), 2000);
});

Deno.test("a read larger than the memory budget still returns its bytes and keeps memory under budget", async () => {
  const source = new MemorySource("mem:a", pattern(4 * BS));
  const cache = new BlockCache({ blockSize: BS, maxBytes: BS });
  assert.deepEqual(await cache.read(source, 0, 4 * BS), source.data);
  assert.ok(cache.stats.bytes <= BS, `holds ${cache.stats.bytes} bytes`);
  assert.deepEqual(source.reads, [[0, 4 * BS]]);
});

Deno.test("concurrent reads of the same blocks share one source read", async () => {
  const source = new MemorySource("mem:a", pattern(3 * BS));
  const cache = new BlockCache({ blockSize: BS });
  const g = gate();
  source.gate = g.promise;
  const a = cache.read(source, 0, 2 * BS);
  const b = cache.read(source, 10, 100);
  const c = cache.read(source, BS + 5, 50);
  g.open();
  assert.deepEqual(await a, source.data.slice(0, 2 * BS));
  assert.deepEqual(await b, source.data.slice(10, 110));
  assert.deepEqual(await c, source.data.slice(BS + 5, BS + 55));
  assert.deepEqual(source.reads, [[0, 2 * BS]]);
});

Deno.test("exact mode fetches only the missing bytes of the span, and reads them again from memory", async () => {
  const source = new MemorySource("mem:a", pattern(3 * BS));
  const cache = new BlockCache({ blockSize: BS });
  assert.deepEqual(await cache.read(source, 1000, 50, "exact"), source.data.slice(1000, 1050));
  assert.deepEqual(source.reads, [[1000, 50]]);
  assert.equal(cache.stats.bytes, 50);
  assert.deepEqual(await cache.read(source, 1010, 20, "exact"), source.data.slice(1010, 1030));
  assert.deepEqual(await cache.read(source, 1000, 50), source.data.slice(1000, 1050));
  assert.equal(source.reads.length, 1);

  // A cached suffix: only [990, 1000) is fetched. A cached prefix: only [1050, 1060).
  assert.deepEqual(await cache.read(source, 990, 20, "exact"), source.data.slice(990, 1010));
  assert.deepEqual(await cache.read(source, 1040, 20, "exact"), source.data.slice(1040, 1060));
  assert.deepEqual(source.reads, [[1000, 50], [990, 10], [1050, 10]]);
  // The touching extents merged into one run of 70 bytes.
  assert.equal(cache.stats.bytes, 70);
  assert.equal(cache.cachedLength(source, 990, 1000), 70);

  // An exact span over a block boundary is one read of just that span.
  assert.deepEqual(await cache.read(source, BS - 10, 30, "exact"), source.data.slice(BS - 10, BS + 20));
  assert.deepEqual(source.reads.at(-1), [BS - 10, 30]);
});

Deno.test("per-call stats count this call's requests, fetched bytes and cached bytes", async () => {
  const source = new MemorySource("mem:a", pattern(2 * BS));
  const cache = new BlockCache({ blockSize: BS });
  const first = newReadStats();
  await cache.read(source, 0, 100, "blocks", first);
  assert.deepEqual(first, { requests: 1, bytesFetched: BS, bytesFromCache: 0 });
  const second = newReadStats();
  await cache.read(source, 50, 4100, "blocks", second);
  assert.deepEqual(second, { requests: 1, bytesFetched: BS, bytesFromCache: BS - 50 });
});

Deno.test("reads clamp to the object size and refuse offsets before the start or past the end", async () => {
  const source = new MemorySource("mem:a", pattern(BS + 100));
  const cache = new BlockCache({ blockSize: BS });
  assert.deepEqual(await cache.read(source, source.size - 10, 100), source.data.slice(-10));
  assert.deepEqual(source.reads, [[BS, 100]]);
  assert.deepEqual(await cache.read(source, source.size, 5), new Uint8Array());
  assert.equal(source.reads.length, 1);
  assert.deepEqual(await cache.read(source, 2000, 1 << 20, "exact"), source.data.slice(2000));
  assert.deepEqual(source.reads.at(-1), [2000, BS - 2000]);
  await assert.rejects(cache.read(source, -1, 10), RangeError);
  await assert.rejects(cache.read(source, source.size + 1, 1), RangeError);
});

Deno.test("the constructor refuses block sizes that are not powers of two ≥ 4096 and negative budgets", () => {
  for (const blockSize of [0, 2048, 5000, 4096.5]) {
    assert.throws(() => new BlockCache({ blockSize }), /blockSize/);
  }
  assert.throws(() => new BlockCache({ maxBytes: -1 }), /maxBytes/);
  assert.equal(new BlockCache().blockSize, 262144);
});

Deno.test("put bytes are served without a read and cachedLength reports the contiguous run", async () => {
  const source = new MemorySource("mem:a", pattern(3 * BS));
  const cache = new BlockCache({ blockSize: BS });
  const put = new Uint8Array(5000).fill(0xaa); // differs from the source, to show where bytes come from
  cache.put(source, 100, put);
  assert.equal(cache.stats.bytes, 5000);
  assert.equal(cache.cachedLength(source, 100, 1 << 20), 5000);
  assert.equal(cache.cachedLength(source, 200, 1000), 1000);
  assert.equal(cache.cachedLength(source, 5000, 1 << 20), 100);
  assert.equal(cache.cachedLength(source, 50, 100), 0);
  assert.equal(cache.cachedLength(source, 5100, 10), 0);
  assert.deepEqual(await cache.read(source, 100, 5000, "exact"), put);
  assert.deepEqual(await cache.read(source, 4000, 500), new Uint8Array(500).fill(0xaa));
  assert.deepEqual(source.reads, []);

  // A gap ends the run.
  cache.put(source, 2 * BS + 200, new Uint8Array(100));
  assert.equal(cache.cachedLength(source, 2 * BS, 1000), 0);
  cache.put(source, 2 * BS, new Uint8Array(100));
  assert.equal(cache.cachedLength(source, 2 * BS, 1000), 100);
});

Deno.test("invalidate drops every version of a location and keeps other locations", async () => {
  const v1 = new MemorySource("mem:a", pattern(BS), "v1");
  const v2 = new MemorySource("mem:a", pattern(BS, 7), "v2");
  const other = new MemorySource("mem:ab", pattern(BS, 3));
  const cache = new BlockCache({ blockSize: BS });
  for (const s of [v1, v2, other]) await cache.read(s, 0, 10);
  assert.equal(cache.stats.bytes, 3 * BS);
  cache.invalidate({ location: "mem:a" });
  assert.equal(cache.stats.bytes, BS);
  for (const s of [v1, v2, other]) assert.deepEqual(await cache.read(s, 0, 10), s.data.slice(0, 10));
  assert.equal(v1.reads.length, 2);
  assert.equal(v2.reads.length, 2);
  assert.equal(other.reads.length, 1);
});

Deno.test("invalidate keeps a location that extends the invalidated one with an @, in memory and on disk", async () => {
  // Keys may contain "@": "clip.mp4" and "clip.mp4@2x.mp4" are different objects.
  await withTempDir(async (dir) => {
    const clip = new MemorySource("file:/videos/clip.mp4", pattern(BS));
    const other = new MemorySource("file:/videos/clip.mp4@2x.mp4", pattern(BS, 5));
    const cache = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
    await cache.read(clip, 0, 10);
    await cache.read(other, 0, 10);
    await cache.flush();
    cache.invalidate(clip);
    await cache.flush();
    assert.equal(cache.stats.bytes, BS, "only clip.mp4's block is dropped from memory");
    await cache.read(other, 0, 10);
    assert.equal(other.reads.length, 1);
    assert.equal((await blockFiles(dir)).length, 1, "only clip.mp4's block is dropped from disk");
  });
});

Deno.test("versions of one location are cached apart and never serve each other's bytes", async () => {
  const v1 = new MemorySource("mem:a", pattern(BS), "v1");
  const v2 = new MemorySource("mem:a", pattern(BS, 100), "v2");
  const cache = new BlockCache({ blockSize: BS });
  assert.deepEqual(await cache.read(v1, 0, 10), v1.data.slice(0, 10));
  assert.deepEqual(await cache.read(v2, 0, 10), v2.data.slice(0, 10));
  assert.equal(v2.reads.length, 1);
});

Deno.test("clear empties memory, so the next read fetches again", async () => {
  const source = new MemorySource("mem:a", pattern(2 * BS));
  const cache = new BlockCache({ blockSize: BS });
  await cache.read(source, 0, 2 * BS);
  assert.equal(cache.stats.bytes, 2 * BS);
  cache.clear();
  assert.equal(cache.stats.bytes, 0);
  assert.equal(cache.cachedLength(source, 0, 100), 0);
  await cache.read(source, 0, 10);
  assert.equal(source.reads.length, 2);
});

Deno.test("a failed source read rejects the caller, caches nothing, and a later read retries", async () => {
  const source = new MemorySource("mem:a", pattern(2 * BS));
  const cache = new BlockCache({ blockSize: BS });
  source.failures = 1;
  await assert.rejects(cache.read(source, 0, 10), StorageError);
  assert.equal(cache.stats.bytes, 0);
  assert.deepEqual(await cache.read(source, 0, 10), source.data.slice(0, 10));
  assert.equal(source.reads.length, 2);
});

Deno.test("a read waiting on another call's failed fetch fetches the block itself", async () => {
  const source = new MemorySource("mem:a", pattern(2 * BS));
  const cache = new BlockCache({ blockSize: BS });
  const g = gate();
  source.gate = g.promise;
  source.failures = 1;
  const first = cache.read(source, 0, 10);
  const second = cache.read(source, 20, 10);
  g.open();
  await assert.rejects(first, StorageError);
  assert.deepEqual(await second, source.data.slice(20, 30));
  assert.deepEqual(source.reads, [[0, BS], [0, BS]]);
});

Deno.test("the disk tier serves blocks to a new cache instance after a restart", async () => {
  await withTempDir(async (dir) => {
    const before = new MemorySource("mem:a", pattern(3 * BS));
    const cache = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
    await cache.read(before, 100, BS); // blocks 0 and 1
    await cache.flush();
    assert.equal((await blockFiles(dir)).length, 2);

    const after = new MemorySource("mem:a", pattern(3 * BS));
    const restarted = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
    assert.deepEqual(await restarted.read(after, 200, BS), after.data.slice(200, 200 + BS));
    assert.deepEqual(after.reads, []);
    assert.equal(restarted.stats.diskHits, 2);
    // What came from disk is in memory now.
    assert.deepEqual(await restarted.read(after, 0, 10), after.data.slice(0, 10));
    assert.equal(restarted.stats.hits, 1);
    assert.deepEqual(after.reads, []);
  });
});

Deno.test("the disk tier serves a block that memory evicted", async () => {
  await withTempDir(async (dir) => {
    const source = new MemorySource("mem:a", pattern(2 * BS));
    const cache = new BlockCache({ blockSize: BS, maxBytes: BS, disk: await DiskCache.open({ dir }) });
    await cache.read(source, 0, 10);
    await cache.read(source, BS, 10); // evicts block 0 from memory
    await cache.flush();
    assert.deepEqual(await cache.read(source, 5, 10), source.data.slice(5, 15));
    assert.equal(source.reads.length, 2);
    assert.equal(cache.stats.diskHits, 1);
  });
});

Deno.test("the disk tier ignores truncated, extended and garbage block files", async () => {
  const damages: [string, (bytes: Uint8Array) => Uint8Array][] = [
    ["truncated", (b) => b.slice(0, b.byteLength - 10)],
    ["extended", (b) => Uint8Array.from([...b, 1, 2, 3])],
    ["garbage", (b) => new Uint8Array(b.byteLength).fill(0x5a)],
    ["empty", () => new Uint8Array()],
  ];
  for (const [what, damage] of damages) {
    await withTempDir(async (dir) => {
      const first = new MemorySource("mem:a", pattern(BS));
      const cache = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
      await cache.read(first, 0, 10);
      await cache.flush();
      const [file] = await blockFiles(dir);
      const path = join(dir, file.name);
      await Deno.writeFile(path, damage(await Deno.readFile(path)));

      const again = new MemorySource("mem:a", pattern(BS));
      const restarted = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
      assert.deepEqual(await restarted.read(again, 0, 10), again.data.slice(0, 10), what);
      assert.equal(again.reads.length, 1, `${what}: fetched from the source`);
      assert.equal(restarted.stats.diskHits, 0, what);
      await restarted.flush();
    });
  }
});

Deno.test("the disk tier never serves a block file that holds another key", async () => {
  await withTempDir(async (dir) => {
    const a = new MemorySource("mem:a", pattern(BS, 1));
    const b = new MemorySource("mem:b", pattern(BS, 2));
    const cache = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
    await cache.read(a, 0, 10);
    await cache.read(b, 0, 10);
    await cache.flush();
    // Swap the two files, as a hash collision would pair a name with another key.
    const [x, y] = (await blockFiles(dir)).map((f) => join(dir, f.name));
    const xBytes = await Deno.readFile(x);
    await Deno.writeFile(x, await Deno.readFile(y));
    await Deno.writeFile(y, xBytes);

    const a2 = new MemorySource("mem:a", pattern(BS, 1));
    const b2 = new MemorySource("mem:b", pattern(BS, 2));
    const restarted = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
    assert.deepEqual(await restarted.read(a2, 0, 10), a2.data.slice(0, 10));
    assert.deepEqual(await restarted.read(b2, 0, 10), b2.data.slice(0, 10));
    assert.equal(a2.reads.length + b2.reads.length, 2);
    assert.equal(restarted.stats.diskHits, 0);
    await restarted.flush();
  });
});

Deno.test("opening the disk tier removes .tmp leftovers and counts only block files", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(join(dir, "0123abcd.blk.5f2e.tmp"), new Uint8Array(100));
    await Deno.writeTextFile(join(dir, "notes.txt"), "not a block");
    const disk = await DiskCache.open({ dir });
    assert.equal(disk.bytes, 0);
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names, ["notes.txt"]);
    assert.equal(await disk.get("anything"), undefined);

    const cache = new BlockCache({ blockSize: BS, disk });
    await cache.read(new MemorySource("mem:a", pattern(BS)), 0, 10);
    await cache.flush();
    const [file] = await blockFiles(dir);
    assert.equal(disk.bytes, file.size);
    assert.equal((await DiskCache.open({ dir })).bytes, file.size);
  });
});

Deno.test("the disk tier stays under its byte budget, evicting the oldest blocks, also when reopened smaller", async () => {
  await withTempDir(async (dir) => {
    // One block file is 12 + key + 12 + 4096 bytes, about 4.1 KB: two fit in 10,000 bytes.
    const disk = await DiskCache.open({ dir, maxBytes: 10_000 });
    const cache = new BlockCache({ blockSize: BS, disk });
    const source = new MemorySource("mem:a", pattern(5 * BS));
    for (let b = 0; b < 5; b++) {
      await cache.read(source, b * BS, 1);
      await cache.flush();
    }
    const files = await blockFiles(dir);
    const total = files.reduce((n, f) => n + f.size, 0);
    assert.equal(files.length, 2);
    assert.equal(disk.bytes, total);
    assert.ok(total <= 10_000, `${total} bytes on disk`);

    // The two newest blocks (3 and 4) are the ones kept.
    const fresh = new MemorySource("mem:a", pattern(5 * BS));
    const restarted = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir, maxBytes: 10_000 }) });
    await restarted.read(fresh, 3 * BS, 2 * BS);
    assert.deepEqual(fresh.reads, []);
    await restarted.read(fresh, 0, 1);
    assert.deepEqual(fresh.reads, [[0, BS]]);
    await restarted.flush();

    const smaller = await DiskCache.open({ dir, maxBytes: 5000 });
    assert.equal((await blockFiles(dir)).length, 1);
    assert.ok(smaller.bytes <= 5000);
  });
});

Deno.test("invalidate also drops the location's blocks on disk", async () => {
  await withTempDir(async (dir) => {
    const a = new MemorySource("mem:a", pattern(BS));
    const b = new MemorySource("mem:b", pattern(BS));
    const cache = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
    await cache.read(a, 0, 10);
    await cache.read(b, 0, 10);
    await cache.flush();
    cache.invalidate(a);
    await cache.flush();
    assert.equal((await blockFiles(dir)).length, 1);
    const restarted = new BlockCache({ blockSize: BS, disk: await DiskCache.open({ dir }) });
    const a2 = new MemorySource("mem:a", pattern(BS));
    const b2 = new MemorySource("mem:b", pattern(BS));
    await restarted.read(a2, 0, 10);
    await restarted.read(b2, 0, 10);
    assert.equal(a2.reads.length, 1);
    assert.equal(b2.reads.length, 0);
    await restarted.flush();
  });
});

Deno.test("readahead doubles while reads are sequential, up to its maximum", async () => {
  const source = new MemorySource("mem:a", pattern(200_000));
  const read = readahead(new BlockCache({ blockSize: BS }), source, { minBytes: 8192, maxBytes: 32768 });
  assert.deepEqual(await read(0, 1000), source.data.slice(0, 8192));
  assert.deepEqual(await read(8192, 1000), source.data.slice(8192, 24576));
  assert.deepEqual(await read(24576, 1000), source.data.slice(24576, 57344));
  assert.deepEqual(await read(57344, 1000), source.data.slice(57344, 90112));
  assert.deepEqual(source.reads, [[0, 8192], [8192, 16384], [24576, 32768], [57344, 32768]]);
});

Deno.test("readahead starts again from its minimum after a seek", async () => {
  const source = new MemorySource("mem:a", pattern(200_000));
  const read = readahead(new BlockCache({ blockSize: BS }), source, { minBytes: 8192, maxBytes: 32768 });
  await read(0, 1000);
  await read(8192, 1000);
  await read(150_000, 1000); // a seek
  await read(158_192, 1000); // sequential again
  await read(100_000, 20_000); // a seek asking for more than the readahead
  assert.deepEqual(source.reads, [[0, 8192], [8192, 16384], [150_000, 8192], [158_192, 16384], [100_000, 20_000]]);
});

Deno.test("readahead serves cached bytes as they are, without a read, and stops at the object's end", async () => {
  const source = new MemorySource("mem:a", pattern(100_000));
  const cache = new BlockCache({ blockSize: BS });
  const read = readahead(cache, source, { minBytes: 8192, maxBytes: 32768 });
  await read(0, 1000);
  await read(8192, 1000); // cached now: [0, 24576)
  const cached = await read(100, 50);
  assert.deepEqual(cached, source.data.slice(100, 24576));
  assert.equal(source.reads.length, 2);
  // Bytes put in the cache by someone else count too (at most maxBytes of them).
  cache.put(source, 40_000, source.data.slice(40_000, 90_000));
  assert.deepEqual(await read(40_000, 10), source.data.slice(40_000, 72_768));
  assert.equal(source.reads.length, 2);
  assert.deepEqual(await read(99_500, 1000), source.data.slice(99_500));
  assert.deepEqual(source.reads.at(-1), [99_500, 500]);
});
