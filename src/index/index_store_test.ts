import assert from "node:assert/strict";
import { IndexStoreError } from "../errors.ts";
import { type IndexStore, MemoryIndexStore, type ObjectVersion, sameVersion, type StoredIndex } from "./index_store.ts";
import type { ProbeResult } from "./model.ts";
import { ResilientIndexStore } from "./resilient.ts";

function probe(codec: string): ProbeResult {
  return {
    container: "mp4",
    indexSource: "sample-table",
    codec,
    codecpar: { codec_id: 27 },
    width: 64,
    height: 48,
    pixelFormat: "yuv420p",
    rotation: 0,
    timeBase: [1, 25],
    frameRate: [25, 1],
    packets: {
      offset: Float64Array.from([0]),
      size: Uint32Array.from([10]),
      pts: Float64Array.from([0]),
      dts: Float64Array.from([0]),
      flags: Uint8Array.from([1]),
    },
  };
}

const V1: ObjectVersion = { etag: "e1", size: 1000 };
const V2: ObjectVersion = { etag: "e2", size: 1000 };

Deno.test("MemoryIndexStore returns what was put, as the latest and by exact version", async () => {
  const store = new MemoryIndexStore();
  const p = probe("h264");
  assert.equal(await store.latest("loc:a"), undefined);
  assert.equal(await store.put("loc:a", V1, p), p);
  assert.deepEqual(await store.latest("loc:a"), { version: V1, probe: p });
  assert.equal(await store.get("loc:a", { etag: "e1", size: 1000 }), p);
  assert.equal(await store.latest("loc:b"), undefined);
});

Deno.test("MemoryIndexStore gives nothing for another etag or size of the object", async () => {
  const store = new MemoryIndexStore();
  await store.put("loc:a", V1, probe("h264"));
  assert.equal(await store.get("loc:a", V2), undefined);
  assert.equal(await store.get("loc:a", { etag: "e1", size: 999 }), undefined);
  assert.equal(await store.get("loc:b", V1), undefined);
});

Deno.test("MemoryIndexStore keeps one entry per location: a new version replaces the old", async () => {
  const store = new MemoryIndexStore();
  await store.put("loc:a", V1, probe("h264"));
  const p2 = probe("hevc");
  await store.put("loc:a", V2, p2);
  assert.equal(await store.get("loc:a", V1), undefined);
  assert.deepEqual(await store.latest("loc:a"), { version: V2, probe: p2 });
});

Deno.test("MemoryIndexStore stores a copy of the version, so later changes to the caller's object do not leak in", async () => {
  const store = new MemoryIndexStore();
  const version = { etag: "e1", size: 1000 };
  await store.put("loc:a", version, probe("h264"));
  version.etag = "changed";
  assert.deepEqual((await store.latest("loc:a"))?.version, { etag: "e1", size: 1000 });
});

Deno.test("MemoryIndexStore drops the least recently used location past its bound", async () => {
  const store = new MemoryIndexStore(2);
  await store.put("loc:a", V1, probe("a"));
  await store.put("loc:b", V1, probe("b"));
  await store.latest("loc:a"); // a is now more recent than b
  await store.put("loc:c", V1, probe("c"));
  assert.equal(await store.latest("loc:b"), undefined);
  assert.equal((await store.latest("loc:a"))?.probe.codec, "a");
  assert.equal((await store.latest("loc:c"))?.probe.codec, "c");
  await store.get("loc:a", V1); // get counts as a use too
  await store.put("loc:d", V1, probe("d"));
  assert.equal(await store.latest("loc:c"), undefined);
  assert.equal((await store.latest("loc:a"))?.probe.codec, "a");
});

Deno.test("MemoryIndexStore forgets everything when closed", async () => {
  const store = new MemoryIndexStore();
  await store.put("loc:a", V1, probe("h264"));
  store.close();
  assert.equal(await store.latest("loc:a"), undefined);
});

Deno.test("sameVersion compares both the etag and the size", () => {
  assert.equal(sameVersion(V1, { etag: "e1", size: 1000 }), true);
  assert.equal(sameVersion(V1, V2), false);
  assert.equal(sameVersion(V1, { etag: "e1", size: 1001 }), false);
});

/** An index store that fails (or hangs) on demand and counts its calls. */
class FlakyStore implements IndexStore {
  readonly inner = new MemoryIndexStore();
  calls = 0;
  mode: "ok" | "fail" | "hang" = "ok";
  closed = false;

  #run<T>(op: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.mode === "fail") return Promise.reject(new IndexStoreError("kv is unreachable"));
    if (this.mode === "hang") return new Promise(() => {});
    return op();
  }

  latest(location: string): Promise<StoredIndex | undefined> {
    return this.#run(() => this.inner.latest(location));
  }

  get(location: string, version: ObjectVersion): Promise<ProbeResult | undefined> {
    return this.#run(() => this.inner.get(location, version));
  }

  put(location: string, version: ObjectVersion, p: ProbeResult): Promise<ProbeResult> {
    return this.#run(() => this.inner.put(location, version, p));
  }

  close(): void {
    this.closed = true;
  }
}

function resilient(inner: IndexStore, options: { timeoutMs?: number; retryMs?: number } = {}) {
  const logs: string[] = [];
  const store = new ResilientIndexStore(inner, { timeoutMs: 1000, retryMs: 20, ...options, log: (m) => logs.push(m) });
  return { store, logs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (polling), at most `ms`. */
async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await sleep(5);
  }
}

Deno.test("ResilientIndexStore passes answers through while the inner store works", async () => {
  const flaky = new FlakyStore();
  const { store, logs } = resilient(flaky);
  const p = probe("h264");
  const stored = probe("stored");
  await flaky.inner.put("loc:a", V1, stored);
  assert.equal(await store.put("loc:b", V1, p), p);
  assert.equal(await store.get("loc:a", V1), stored);
  assert.deepEqual(await store.latest("loc:b"), { version: V1, probe: p });
  assert.equal(flaky.calls, 3);
  assert.deepEqual(store.stats, { failures: 0, skipped: 0, down: false });
  assert.deepEqual(logs, []);
  await store.close();
  assert.equal(flaky.closed, true);
});

Deno.test("ResilientIndexStore turns a failure into no index, then skips the store at once, logging the outage once", async () => {
  const flaky = new FlakyStore();
  const { store, logs } = resilient(flaky, { retryMs: 60_000 });
  flaky.mode = "fail";
  const p = probe("h264");
  assert.equal(await store.latest("loc:a"), undefined);
  const asked = flaky.calls;
  assert.equal(await store.get("loc:a", V1), undefined);
  assert.equal(await store.put("loc:a", V1, p), p, "put returns the probe: the index stays in memory");
  assert.equal(flaky.calls - asked, 0, "while down, operations do not reach the store");
  assert.deepEqual({ ...store.stats }, { failures: 1, skipped: 2, down: true });
  assert.equal(logs.length, 1);
  assert.match(logs[0], /index store failed \(kv is unreachable\)/);
  await store.close();
});

Deno.test("ResilientIndexStore logs concurrent failures of one outage once", async () => {
  const flaky = new FlakyStore();
  const { store, logs } = resilient(flaky, { retryMs: 60_000 });
  flaky.mode = "fail";
  await Promise.all([store.latest("a"), store.latest("b"), store.get("c", V1)]);
  assert.equal(store.stats.failures, 3, "all three were under way when the store failed");
  assert.equal(logs.length, 1);
  await store.close();
});

Deno.test("ResilientIndexStore probes a failing store and uses it again once it answers, logging the recovery once", async () => {
  const flaky = new FlakyStore();
  const { store, logs } = resilient(flaky, { retryMs: 20 });
  flaky.mode = "fail";
  await store.latest("loc:a");
  await sleep(70);
  assert.ok(flaky.calls >= 3, `probed again while failing (${flaky.calls} calls)`);
  assert.equal(store.stats.down, true);
  flaky.mode = "ok";
  await until(() => !store.stats.down);
  const p = probe("h264");
  assert.equal(await store.put("loc:a", V1, p), p);
  assert.deepEqual(await store.latest("loc:a"), { version: V1, probe: p });
  assert.equal(logs.length, 2);
  assert.match(logs[1], /answers again/);
  // A second outage is logged again.
  flaky.mode = "fail";
  await store.latest("loc:a");
  assert.equal(logs.length, 3);
  assert.match(logs[2], /failed/);
  await store.close();
});

Deno.test("ResilientIndexStore counts a call that never settles as a failure after timeoutMs, and recovers when the probe answers", async () => {
  const flaky = new FlakyStore();
  const { store, logs } = resilient(flaky, { timeoutMs: 30 });
  flaky.mode = "hang";
  const p = probe("h264");
  const started = performance.now();
  assert.equal(await store.latest("loc:a"), undefined);
  assert.equal(await store.put("loc:a", V1, p), p, "skipped at once: the store is down");
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 25 && elapsed < 500, `took ${elapsed} ms`);
  assert.deepEqual({ ...store.stats }, { failures: 1, skipped: 1, down: true });
  assert.match(logs[0], /no answer in 30 ms/);
  await store.close();
});

Deno.test("ResilientIndexStore treats an inner store that throws synchronously as failing", async () => {
  const throwing: IndexStore = {
    latest: () => {
      throw new Error("sync boom");
    },
    get: () => Promise.resolve(undefined),
    put: (_l, _v, p) => Promise.resolve(p),
    close: () => {},
  };
  const { store, logs } = resilient(throwing, { retryMs: 60_000 });
  assert.equal(await store.latest("loc:a"), undefined);
  assert.equal(store.stats.failures, 1);
  assert.match(logs[0], /sync boom/);
  await store.close();
});
