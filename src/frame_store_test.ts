import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { IndexStoreError } from "./errors.ts";
import { type FrameStore, openFrameStore } from "./frame_store.ts";
import { type IndexStore, MemoryIndexStore } from "./index/index_store.ts";

const VIDEOS = fileURLToPath(new URL("../videos/", import.meta.url));

/** An index store that fails while `down` is set, and counts what reached it. */
class FlakyIndexStore implements IndexStore {
  down = true;
  readonly inner = new MemoryIndexStore();
  calls = 0;
  #check(): void {
    this.calls++;
    if (this.down) throw new IndexStoreError("injected outage");
  }
  latest(location: string) {
    this.#check();
    return this.inner.latest(location);
  }
  get(location: string, version: { etag: string; size: number }) {
    this.#check();
    return this.inner.get(location, version);
  }
  put(location: string, version: { etag: string; size: number }, probe: Parameters<IndexStore["put"]>[2]) {
    this.#check();
    return this.inner.put(location, version, probe);
  }
  close() {}
}

async function frameOf(store: FrameStore, n: number): Promise<Uint8Array> {
  return (await store.getFrame("sample.mp4", n)).data;
}

Deno.test("an index store outage degrades to in-memory indexes, and the store is used again when it answers", async () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  const flaky = new FlakyIndexStore();
  try {
    await using reference = await openFrameStore({ dir: VIDEOS, kvPath: false, workers: 1 });
    const expected = await frameOf(reference, 42);
    {
      await using store = await openFrameStore({ dir: VIDEOS, indexStore: flaky, workers: 1 });
      assert.deepEqual(await frameOf(store, 42), expected, "served while the index store is down");
      assert.ok(store.stats.indexStore!.failures >= 1);
      assert.equal(store.stats.indexStore!.down, true);
      assert.equal(warnings.length, 1, "logged once");
      assert.match(warnings[0], /injected outage/);
    }
    assert.equal(await flaky.inner.latest(`file:${VIDEOS}sample.mp4`), undefined, "nothing was stored meanwhile");
    flaky.down = false;
    {
      await using store = await openFrameStore({ dir: VIDEOS, indexStore: flaky, workers: 1 });
      assert.deepEqual(await frameOf(store, 42), expected);
      assert.equal(store.stats.indexStore!.down, false);
      assert.ok(await flaky.inner.latest(`file:${VIDEOS}sample.mp4`), "the index was stored once it answered");
    }
  } finally {
    console.warn = warn;
  }
});

Deno.test("a store opening a stored index reads none of the object", async () => {
  const indexStore = new MemoryIndexStore();
  {
    await using store = await openFrameStore({ dir: VIDEOS, indexStore, workers: 1 });
    await store.info("sample.mp4");
  }
  await using store = await openFrameStore({ dir: VIDEOS, indexStore, workers: 1 });
  const info = await store.info("sample.mp4");
  assert.equal(info.frameCount, 150);
  assert.equal(store.stats.storage.bytesFetched, 0, "no read: the index came from the index store");
  assert.equal(store.stats.storage.requests, 1, "one stat confirms the version (revalidateMs)");
});

Deno.test("info returns a copy that later requests do not change", async () => {
  await using store = await openFrameStore({ dir: VIDEOS, kvPath: false, workers: 1 });
  const before = await store.info("sample.mp4");
  before.keyframes.push(-1);
  const after = await store.info("sample.mp4");
  assert.notEqual(after.keyframes.at(-1), -1);
});

Deno.test("options are checked when the store opens, naming the option", async () => {
  const refused = async (options: Parameters<typeof openFrameStore>[0], why: RegExp) =>
    await assert.rejects(openFrameStore(options), why);
  await refused({}, /exactly one of options.s3, options.dir, options.source/);
  await refused({ dir: VIDEOS, workers: 0 }, /options.workers/);
  await refused({ dir: VIDEOS, maxOpenVideos: 1.5 }, /options.maxOpenVideos/);
  await refused({ dir: VIDEOS, revalidateMs: -1 }, /options.revalidateMs/);
  await refused({ dir: VIDEOS, kvPath: "x.kv", indexStore: new MemoryIndexStore() }, /kvPath and options.indexStore/);
  await refused({ dir: "" }, /options.dir/);
});
