import assert from "node:assert/strict";
import { ObjectNotFoundError } from "../errors.ts";
import type { FrameStore } from "../frame_store.ts";
import { BlockCache } from "../storage/cache.ts";
import { RemoteFile } from "../storage/remote_file.ts";
import type { ByteSource, ObjectList, SourceProvider } from "../storage/source.ts";
import { createHandler, type FrameService } from "./app.ts";
import { parseRange } from "./object.ts";

const BYTES = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 255);

/** An in-memory object store with one object, `clip.mp4`, counting reads. */
class MemoryProvider implements SourceProvider {
  readonly description = "memory";
  readonly stats = { requests: 0, bytesFetched: 0, retries: 0 };
  etag = "v1";
  open(key: string): Promise<ByteSource> {
    if (key !== "clip.mp4") return Promise.reject(new ObjectNotFoundError(key));
    return Promise.resolve(this.openVersion(key, { etag: this.etag, size: BYTES.byteLength }));
  }
  openVersion(key: string, version: { etag: string; size: number }): ByteSource {
    const stats = this.stats;
    return {
      key,
      location: `mem:${key}`,
      etag: version.etag,
      size: version.size,
      head: new Uint8Array(),
      read(offset: number, length: number) {
        stats.requests++;
        stats.bytesFetched += length;
        return Promise.resolve(BYTES.slice(offset, offset + length));
      },
    };
  }
  location(key: string): string {
    return `mem:${key}`;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function service(): { handler: (req: Request) => Promise<Response>; provider: MemoryProvider } {
  const provider = new MemoryProvider();
  const cache = new BlockCache();
  const store: Pick<FrameStore, "openFile" | "list"> = {
    async openFile(key: string) {
      return new RemoteFile({ provider, cache, source: await provider.open(key) });
    },
    list(): Promise<ObjectList> {
      return Promise.resolve({ objects: [{ key: "clip.mp4", size: BYTES.byteLength }] });
    },
  };
  return { handler: createHandler(store as unknown as FrameService, { cors: "https://app.example" }), provider };
}

const url = (path: string) => `http://localhost${path}`;
const get = (handler: (req: Request) => Promise<Response>, path: string, headers: HeadersInit = {}, method = "GET") =>
  handler(new Request(url(path), { headers, method }));

Deno.test("parseRange reads single ranges, suffixes and open ends; refuses what cannot be served", () => {
  assert.deepEqual(parseRange("bytes=0-0", 10), { start: 0, end: 0 });
  assert.deepEqual(parseRange("bytes=5-", 10), { start: 5, end: 9 });
  assert.deepEqual(parseRange("bytes=5-100", 10), { start: 5, end: 9 }, "the end is clamped");
  assert.deepEqual(parseRange("bytes=-3", 10), { start: 7, end: 9 });
  assert.deepEqual(parseRange("bytes=-30", 10), { start: 0, end: 9 }, "a suffix larger than the object is all of it");
  assert.equal(parseRange("bytes=10-", 10), null);
  assert.equal(parseRange("bytes=-0", 10), null);
  assert.equal(parseRange(null, 10), undefined);
  assert.equal(parseRange("bytes=0-1,4-5", 10), undefined, "several ranges: the whole object");
  assert.equal(parseRange("items=0-1", 10), undefined);
  assert.equal(parseRange("bytes=5-2", 10), undefined, "an invalid range is ignored");
});

Deno.test("GET /v1/object serves the bytes, whole and by range, with the object's ETag", async () => {
  const { handler } = service();
  const whole = await get(handler, "/v1/object?key=clip.mp4");
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("accept-ranges"), "bytes");
  assert.equal(whole.headers.get("content-length"), String(BYTES.byteLength));
  assert.equal(whole.headers.get("content-type"), "video/mp4");
  assert.equal(whole.headers.get("etag"), '"v1"');
  assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), BYTES);

  const part = await get(handler, "/v1/object?key=clip.mp4", { range: "bytes=1000-266143" });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 1000-266143/${BYTES.byteLength}`);
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), BYTES.subarray(1000, 266144));

  const suffix = await get(handler, "/v1/object?key=clip.mp4", { range: "bytes=-10" });
  assert.equal(suffix.status, 206);
  assert.deepEqual(new Uint8Array(await suffix.arrayBuffer()), BYTES.subarray(BYTES.byteLength - 10));

  const past = await get(handler, "/v1/object?key=clip.mp4", { range: `bytes=${BYTES.byteLength}-` });
  assert.equal(past.status, 416);
  assert.equal(past.headers.get("content-range"), `bytes */${BYTES.byteLength}`);
  await past.body?.cancel();
});

Deno.test("HEAD, If-None-Match and If-Range behave as RFC 9110 says", async () => {
  const { handler } = service();
  const head = await get(handler, "/v1/object?key=clip.mp4", { range: "bytes=0-99" }, "HEAD");
  assert.equal(head.status, 206);
  assert.equal(head.headers.get("content-length"), "100");
  assert.equal(await head.text(), "");
  const same = await get(handler, "/v1/object?key=clip.mp4", { "if-none-match": '"v1"' });
  assert.equal(same.status, 304);
  await same.body?.cancel();
  const fresh = await get(handler, "/v1/object?key=clip.mp4", { range: "bytes=0-9", "if-range": '"v1"' });
  assert.equal(fresh.status, 206, "If-Range matches: the range");
  await fresh.body?.cancel();
  const stale = await get(handler, "/v1/object?key=clip.mp4", { range: "bytes=0-9", "if-range": '"v0"' });
  assert.equal(stale.status, 200, "If-Range names another version: the whole object");
  assert.equal((await stale.arrayBuffer()).byteLength, BYTES.byteLength);
});

Deno.test("a run of small ranges is served from the cache, not one read each", async () => {
  const { handler, provider } = service();
  for (let at = 0; at < 64 * 1024; at += 4096) {
    const res = await get(handler, "/v1/object?key=clip.mp4", { range: `bytes=${at}-${at + 4095}` });
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), BYTES.subarray(at, at + 4096));
  }
  assert.ok(provider.stats.requests <= 2, `${provider.stats.requests} reads for 16 small ranges`);
});

Deno.test("missing objects are 404; CORS answers preflights and names allowed origins only", async () => {
  const { handler } = service();
  const missing = await get(handler, "/v1/object?key=nope.mp4");
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).code, "not_found");
  const pre = await get(handler, "/v1/object?key=clip.mp4", {
    origin: "https://app.example",
    "access-control-request-method": "GET",
  }, "OPTIONS");
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), "https://app.example");
  assert.match(pre.headers.get("access-control-allow-headers") ?? "", /range/);
  const other = await get(handler, "/v1/list", { origin: "https://evil.example" });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  assert.deepEqual((await other.json()).objects, [{ key: "clip.mp4", size: BYTES.byteLength }]);
});
