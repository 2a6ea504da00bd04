import assert from "node:assert/strict";
import { decode as decodePng } from "npm:fast-png@8.0.0";
import jpeg from "npm:jpeg-js@0.4.4";
import {
  CorruptMediaError,
  FrameOutOfRangeError,
  IndexStoreError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  type SeekframeError,
  StorageError,
  StoreClosedError,
  UnsupportedMediaError,
} from "../errors.ts";
import type { Frame, FrameRequestOptions, StoreStats, VerifyOptions, VerifyReport } from "../frame_store.ts";
import type { VideoInfo } from "../index/model.ts";
import { createHandler, type FrameService, type ServerOptions } from "./app.ts";

const INFO: VideoInfo = {
  key: "clip.mp4",
  size: 123_456,
  etag: "etag-1",
  container: "mp4",
  indexSource: "sample-table",
  codec: "h264",
  width: 4,
  height: 2,
  frameCount: 10,
  fps: 2,
  nominalFps: 2,
  pixelFormat: "yuv420p",
  rotation: 0,
  duration: 5,
  startTime: 0,
  timeBase: [1, 2],
  keyframes: [0, 5],
};

/** The fake's pixels of frame `index`: smooth, so JPEG keeps them close; distinct per frame. */
function pixels(index: number, width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = 30 + index * 10 + x * 20 + y * 25 + c * 15;
    }
  }
  return data;
}

/** Rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (at most a second) until `ready` holds. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i++) await sleep(1);
  assert.ok(ready(), "timed out waiting");
}

/** A frame store that makes up 4×2 frames, and can be made slow or to fail. */
class FakeStore implements FrameService {
  readonly calls: { key: string; indices: number[]; options?: FrameRequestOptions }[] = [];
  readonly frameAtCalls: [string, number][] = [];
  readonly infoCalls: string[] = [];
  readonly verifyCalls: { key: string; options?: VerifyOptions }[] = [];
  /** Thrown by getFrames. */
  failWith?: unknown;
  /** Thrown by info. */
  infoFailWith?: unknown;
  /** getFrames waits for it (or for its signal, like the real store). */
  hold?: Promise<void>;
  /** info takes this long (indexing a large video). */
  infoDelayMs = 0;
  /** The etag of the frames returned; default the info's (the object did not change). */
  frameEtag?: string;
  readonly stats: StoreStats = {
    storage: { requests: 17, bytesFetched: 99_000, retries: 1 },
    cache: { hits: 5, diskHits: 2, misses: 4, bytesFromCache: 1000, bytes: 4096, evictions: 0 },
    frames: 12,
    decodedFrames: 30,
    skippedPackets: 0,
    queueDepth: 3,
    workerHeapBytes: [0, 0],
    workersRecycled: 0,
  };

  openFile(): Promise<never> {
    return Promise.reject(new Error("not used by these tests (see object_test.ts)"));
  }

  list(): Promise<never> {
    return Promise.reject(new Error("not used by these tests (see object_test.ts)"));
  }

  async info(key: string): Promise<VideoInfo> {
    this.infoCalls.push(key);
    if (this.infoDelayMs) await sleep(this.infoDelayMs);
    if (this.infoFailWith) throw this.infoFailWith;
    return { ...INFO, key };
  }

  async verify(key: string, options?: VerifyOptions): Promise<VerifyReport> {
    this.verifyCalls.push({ key, options });
    if (this.hold) await Promise.race([this.hold, aborted(options?.signal)]);
    if (this.failWith) throw this.failWith;
    return {
      key,
      etag: INFO.etag,
      frameCount: 10,
      servedFrames: 4,
      firstRefused: 4,
      reason: "its own packet is damaged (the decoder failed on a packet)",
      damagedPackets: 1,
      jobs: 2,
      decodedJobs: 2,
      decodedPictures: 10,
    };
  }

  frameAt(key: string, seconds: number): Promise<number> {
    this.frameAtCalls.push([key, seconds]);
    if (seconds >= 5) {
      return Promise.reject(new FrameOutOfRangeError(`${seconds} s`, 10, `time ${seconds} s is out of range`));
    }
    return Promise.resolve(Math.floor(seconds * 2));
  }

  async getFrames(key: string, indices: number[], options?: FrameRequestOptions): Promise<Frame[]> {
    this.calls.push({ key, indices, options });
    options?.signal?.throwIfAborted();
    if (this.hold) await Promise.race([this.hold, aborted(options?.signal)]);
    if (this.failWith) throw this.failWith;
    if (options?.stats) Object.assign(options.stats, { requests: 2, bytesFetched: 5000, bytesFromCache: 100 });
    const width = options?.width ?? 4;
    const height = options?.width ? Math.max(1, Math.round((width * 2) / 4)) : 2;
    return indices.map((index) => ({
      index,
      time: index / 2,
      pts: index,
      width,
      height,
      etag: this.frameEtag ?? INFO.etag,
      pixelFormat: "rgb24",
      data: pixels(index, width, height),
    }));
  }
}

function setup(options: ServerOptions = {}) {
  const store = new FakeStore();
  const handler = createHandler(store, options);
  const get = (path: string, init: RequestInit = {}) => handler(new Request(`http://seekframe.test${path}`, init));
  return { store, handler, get };
}

async function bytes(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

/** The header text and data of an NPY body. */
function npy(body: Uint8Array): { header: string; data: Uint8Array } {
  const length = body[8] | (body[9] << 8);
  return { header: new TextDecoder().decode(body.subarray(10, 10 + length)), data: body.subarray(10 + length) };
}

// ---- routes ----

Deno.test("GET / serves the viewer page as HTML", async () => {
  const { get } = setup();
  const res = await get("/");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(await res.text(), /^<!doctype html>/);
});

Deno.test("GET /healthz answers ok with the store's queue depth", async () => {
  const { get } = setup();
  const res = await get("/healthz");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), { ok: true, queueDepth: 3 });
});

Deno.test("GET /v1/info returns the store's info for the key as JSON", async () => {
  const { get, store } = setup();
  const res = await get("/v1/info?key=videos%2Fclip.mp4");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(await res.json(), { ...INFO, key: "videos/clip.mp4" });
  assert.deepEqual(store.infoCalls, ["videos/clip.mp4"]);
});

Deno.test("GET /v1/verify returns the store's report as JSON, admitted and bounded like frames", async () => {
  const { get, store } = setup({ maxInflight: 1, deadlineMs: 50 });
  const res = await get("/v1/verify?key=videos%2Fclip.mp4");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  const report = await res.json();
  assert.equal(report.firstRefused, 4);
  assert.equal(store.verifyCalls[0].key, "videos/clip.mp4");
  assert.equal((await get("/v1/verify")).status, 400, "a key is needed");
  // A verification takes a frame request's slot, and the deadline ends it through its signal.
  store.hold = new Promise(() => {});
  const long = get("/v1/verify?key=clip.mp4");
  await until(() => store.verifyCalls.length > 1);
  assert.equal((await get("/v1/frame?key=clip.mp4&index=1")).status, 503);
  const cut = await long;
  assert.equal(cut.status, 504);
  await cut.body?.cancel();
  assert.equal(store.verifyCalls[1].options?.signal?.aborted, true);
});

Deno.test("GET /v1/frame?index= returns that frame as PNG by default, decoding to the store's pixels", async () => {
  const { get, store } = setup();
  const res = await get("/v1/frame?key=clip.mp4&index=7");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  const png = decodePng(await bytes(res));
  assert.deepEqual([png.width, png.height, png.channels], [4, 2, 3]);
  assert.deepEqual(new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), pixels(7, 4, 2));
  assert.equal(store.calls.length, 1);
  assert.equal(store.calls[0].key, "clip.mp4");
  assert.deepEqual(store.calls[0].indices, [7]);
  assert.equal(store.calls[0].options?.width, undefined);
  assert.ok(store.calls[0].options?.signal instanceof AbortSignal);
  assert.equal(res.headers.get("x-frame-index"), "7");
  assert.equal(res.headers.get("x-frame-width"), "4");
  assert.equal(res.headers.get("x-frame-height"), "2");
  assert.equal(res.headers.get("x-frame-time"), "3.5");
  assert.equal(res.headers.get("x-storage-requests"), "2");
  assert.equal(res.headers.get("x-storage-bytes"), "5000");
  assert.equal(res.headers.get("x-cache-bytes"), "100");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.match(res.headers.get("server-timing") ?? "", /^decode;dur=\d+\.\d, encode;dur=\d+\.\d$/);
});

Deno.test("GET /v1/frame?t= resolves the time with frameAt and serves that frame", async () => {
  const { get, store } = setup();
  const res = await get("/v1/frame?key=clip.mp4&t=1.5&format=rgb");
  assert.equal(res.status, 200);
  assert.deepEqual(store.frameAtCalls, [["clip.mp4", 1.5]]);
  assert.deepEqual(store.calls[0].indices, [3]);
  assert.equal(res.headers.get("x-frame-index"), "3");
  assert.deepEqual(await bytes(res), pixels(3, 4, 2));
});

Deno.test("GET /v1/frame?t= past the end is a 404 naming the time", async () => {
  const { get, store } = setup();
  const res = await get("/v1/frame?key=clip.mp4&t=7");
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { error: "time 7 s is out of range", code: "out_of_range" });
  assert.equal(store.calls.length, 0);
});

Deno.test("format=jpeg and its alias jpg give a JPEG of the frame's size and close pixels", async () => {
  const { get } = setup();
  for (const format of ["jpeg", "jpg"]) {
    const res = await get(`/v1/frame?key=clip.mp4&index=2&format=${format}`);
    assert.equal(res.status, 200, format);
    assert.equal(res.headers.get("content-type"), "image/jpeg", format);
    const back = jpeg.decode(await bytes(res), { useTArray: true, formatAsRGBA: false });
    assert.deepEqual([back.width, back.height], [4, 2], format);
    const want = pixels(2, 4, 2);
    const worst = Math.max(...want.map((v, i) => Math.abs(v - back.data[i])));
    assert.ok(worst <= 24, `${format}: largest difference ${worst}`);
  }
});

Deno.test("format=npy gives an (H, W, 3) array and format=rgb the raw bytes", async () => {
  const { get } = setup();
  const n = await get("/v1/frame?key=clip.mp4&index=4&format=npy");
  assert.equal(n.headers.get("content-type"), "application/x-npy");
  const { header, data } = npy(await bytes(n));
  assert.match(header, /'shape': \(2, 4, 3\)/);
  assert.deepEqual(data, pixels(4, 4, 2));
  const r = await get("/v1/frame?key=clip.mp4&index=4&format=rgb");
  assert.equal(r.headers.get("content-type"), "application/octet-stream");
  assert.deepEqual(await bytes(r), pixels(4, 4, 2));
});

Deno.test("width is passed to the store and the body has the scaled size", async () => {
  const { get, store } = setup();
  const res = await get("/v1/frame?key=clip.mp4&index=1&width=2&format=rgb");
  assert.equal(res.status, 200);
  assert.equal(store.calls[0].options?.width, 2);
  assert.equal(res.headers.get("x-frame-width"), "2");
  assert.equal(res.headers.get("x-frame-height"), "1");
  assert.deepEqual(await bytes(res), pixels(1, 2, 1));
});

Deno.test("GET /v1/frames returns the frames as one (K, H, W, 3) NPY by default, in the order asked", async () => {
  const { get, store } = setup();
  const res = await get("/v1/frames?key=clip.mp4&indices=9,%201,5");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/x-npy");
  assert.equal(res.headers.get("x-frame-indices"), "9,1,5");
  assert.deepEqual(store.calls[0].indices, [9, 1, 5]);
  const { header, data } = npy(await bytes(res));
  assert.match(header, /'shape': \(3, 2, 4, 3\)/);
  assert.deepEqual(data, Uint8Array.from([...pixels(9, 4, 2), ...pixels(1, 4, 2), ...pixels(5, 4, 2)]));
});

Deno.test("GET /v1/frames?format=rgb returns the frames' bytes one after another, scaled to width", async () => {
  const { get } = setup();
  const res = await get("/v1/frames?key=clip.mp4&indices=0,3&format=rgb&width=2");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/octet-stream");
  assert.deepEqual(await bytes(res), Uint8Array.from([...pixels(0, 2, 1), ...pixels(3, 2, 1)]));
});

Deno.test("GET /v1/frames refuses more frames than maxBatch and accepts exactly maxBatch", async () => {
  const { get, store } = setup({ maxBatch: 2 });
  const res = await get("/v1/frames?key=clip.mp4&indices=1,2,3");
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: "at most 2 frames per request, got 3", code: "invalid_argument" });
  assert.equal(store.calls.length, 0);
  assert.equal((await get("/v1/frames?key=clip.mp4&indices=1,2")).status, 200);
});

Deno.test("GET /v1/frames refuses formats that hold one picture", async () => {
  const { get } = setup();
  for (const [format, name] of [["png", "png"], ["jpeg", "jpeg"], ["jpg", "jpeg"]]) {
    const res = await get(`/v1/frames?key=clip.mp4&indices=1&format=${format}`);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: `format for /v1/frames must be npy, rgb, yuv, got "${name}"`,
      code: "invalid_argument",
    });
  }
});

Deno.test("every bad parameter is a 400 JSON error naming the parameter, and reaches no store", async () => {
  const nonNegative = (name: string, value: string) => `${name} must be a non-negative integer, got "${value}"`;
  const cases: [string, string][] = [
    ["/v1/frame?index=1", 'missing query parameter "key"'],
    ["/v1/frame?key=&index=1", 'missing query parameter "key"'],
    ["/v1/frame?key=clip.mp4", 'missing query parameter "index"'],
    ["/v1/frame?key=clip.mp4&index=", 'missing query parameter "index"'],
    ["/v1/frame?key=clip.mp4&index=-1", nonNegative("index", "-1")],
    ["/v1/frame?key=clip.mp4&index=1.5", nonNegative("index", "1.5")],
    ["/v1/frame?key=clip.mp4&index=abc", nonNegative("index", "abc")],
    ["/v1/frame?key=clip.mp4&index=1e3", nonNegative("index", "1e3")],
    ["/v1/frame?key=clip.mp4&index=1234567890123456", nonNegative("index", "1234567890123456")],
    ["/v1/frame?key=clip.mp4&index=1&t=0.5", "give index or t, not both"],
    ["/v1/frame?key=clip.mp4&t=abc", 't must be a non-negative decimal number, got "abc"'],
    ["/v1/frame?key=clip.mp4&t=Infinity", 't must be a non-negative decimal number, got "Infinity"'],
    ["/v1/frame?key=clip.mp4&t=%20", 't must be a non-negative decimal number, got " "'],
    ["/v1/frame?key=clip.mp4&t=0x1", 't must be a non-negative decimal number, got "0x1"'],
    ["/v1/frame?key=clip.mp4&index=3&index=9", 'give query parameter "index" once, not 2 times'],
    ["/v1/frame?key=clip.mp4&t=", 'missing query parameter "t"'],
    ["/v1/frame?key=clip.mp4&index=1&width=wide", nonNegative("width", "wide")],
    ["/v1/frame?key=clip.mp4&index=1&width=-5", nonNegative("width", "-5")],
    ["/v1/frame?key=clip.mp4&index=1&width=", nonNegative("width", "")],
    [
      "/v1/frame?key=clip.mp4&index=1&format=gif",
      'format must be one of png, jpeg, jpg, npy, rgb, yuv, native, got "gif"',
    ],
    ["/v1/frames?key=clip.mp4", 'missing query parameter "indices"'],
    ["/v1/frames?indices=1,2", 'missing query parameter "key"'],
    ["/v1/frames?key=clip.mp4&indices=1,,2", nonNegative("indices", "")],
    ["/v1/frames?key=clip.mp4&indices=1,x", nonNegative("indices", "x")],
    ["/v1/frames?key=clip.mp4&indices=1&width=0.5", nonNegative("width", "0.5")],
    [
      "/v1/frames?key=clip.mp4&indices=1&format=tiff",
      'format must be one of png, jpeg, jpg, npy, rgb, yuv, native, got "tiff"',
    ],
    ["/v1/info", 'missing query parameter "key"'],
  ];
  const { get, store } = setup();
  for (const [path, error] of cases) {
    const res = await get(path);
    assert.equal(res.status, 400, path);
    assert.equal(res.headers.get("content-type"), "application/json", path);
    assert.deepEqual(await res.json(), { error, code: "invalid_argument" }, path);
  }
  assert.equal(store.calls.length, 0);
  assert.equal(store.frameAtCalls.length, 0);
  assert.equal(store.infoCalls.length, 0);
});

Deno.test("a response over maxPixels is refused before decoding; a smaller width fits", async () => {
  const { get, store } = setup({ maxPixels: 8 });
  assert.equal((await get("/v1/frame?key=clip.mp4&index=1")).status, 200); // 4 × 2 = 8: at the limit
  const res = await get("/v1/frames?key=clip.mp4&indices=1,2");
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), {
    error: "the response would hold 16 pixels; the limit is 8",
    code: "invalid_argument",
  });
  assert.equal(store.calls.length, 1);
  assert.equal((await get("/v1/frames?key=clip.mp4&indices=1,2&width=2")).status, 200); // 2 × (2 × 1)
});

// ---- errors ----

Deno.test("each seekframe error code maps to its HTTP status with the error's message and code", async () => {
  const cases: [SeekframeError, number][] = [
    [new ObjectNotFoundError("clip.mp4"), 404],
    [new FrameOutOfRangeError(12, 10), 404],
    [new UnsupportedMediaError('"clip.mp4" uses codec prores, which this build does not decode'), 415],
    [new CorruptMediaError('packet 7 of "clip.mp4" is truncated'), 422],
    [new ObjectChangedError("clip.mp4"), 409],
    [new StorageError("S3 answered 503 after 3 retries", 503), 502],
    [new IndexStoreError("kv is unreachable"), 503],
    [new StoreClosedError(), 503],
    [new InvalidArgumentError("width must be at most 4, got 8"), 400],
  ];
  for (const [err, status] of cases) {
    const { get, store } = setup();
    store.failWith = err;
    const res = await get("/v1/frame?key=clip.mp4&index=1");
    assert.equal(res.status, status, err.name);
    assert.deepEqual(await res.json(), { error: err.message, code: err.code }, err.name);

    const info = setup();
    info.store.infoFailWith = err;
    const r = await info.get("/v1/info?key=clip.mp4");
    assert.equal(r.status, status, `info: ${err.name}`);
    assert.deepEqual(await r.json(), { error: err.message, code: err.code });
  }
});

Deno.test("an unexpected error is a 500 'internal error' that does not show its text", async () => {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    for (const thrown of [new Error("ENOENT /srv/secret/path"), "secret string"]) {
      const { get, store } = setup();
      store.failWith = thrown;
      const res = await get("/v1/frame?key=clip.mp4&index=1");
      assert.equal(res.status, 500);
      const text = await res.text();
      assert.deepEqual(JSON.parse(text), { error: "internal error", code: "internal" });
      assert.ok(!text.includes("secret"));
    }
  } finally {
    console.error = original;
  }
  assert.equal(logged.length, 2, "logged on the server side instead");
});

Deno.test("methods other than GET and HEAD get 405 with Allow", async () => {
  const { get, store } = setup();
  for (const method of ["POST", "PUT", "DELETE"]) {
    const res = await get("/v1/frame?key=clip.mp4&index=1", { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
    assert.deepEqual(await res.json(), { error: "only GET and HEAD", code: "method_not_allowed" });
  }
  assert.equal(store.calls.length, 0);
  assert.equal((await get("/healthz", { method: "HEAD" })).status, 200);
});

Deno.test("an unknown route is a 404 JSON error", async () => {
  const { get } = setup();
  for (const path of ["/v2/frame", "/v1", "/v1/frame/extra", "/constructor", "/__proto__"]) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.deepEqual(await res.json(), { error: `no route ${path}`, code: "not_found" });
  }
});

// ---- access ----

Deno.test("with a token, /v1/* and /metrics need the right bearer token; / and /healthz stay open", async () => {
  const { get } = setup({ token: "s3cret" });
  for (
    const path of [
      "/v1/info?key=clip.mp4",
      "/v1/frame?key=clip.mp4&index=1",
      "/v1/frames?key=clip.mp4&indices=1",
      "/metrics",
    ]
  ) {
    for (
      const authorization of [undefined, "Bearer wrong!", "Bearer s3cre", "Bearer s3cretX", "s3cret", "Basic czNjcmV0"]
    ) {
      const res = await get(path, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401, `${path} with ${authorization}`);
      assert.equal(res.headers.get("www-authenticate"), "Bearer");
      assert.deepEqual(await res.json(), { error: "missing or wrong bearer token", code: "unauthorized" });
    }
    const ok = await get(path, { headers: { authorization: "Bearer s3cret" } });
    assert.equal(ok.status, 200, path);
  }
  assert.equal((await get("/")).status, 200);
  assert.equal((await get("/healthz")).status, 200);
});

Deno.test("the bearer scheme name is matched case-insensitively, as RFC 9110 requires", async () => {
  const { get } = setup({ token: "s3cret" });
  assert.equal((await get("/v1/info?key=clip.mp4", { headers: { authorization: "bearer s3cret" } })).status, 200);
  assert.equal((await get("/v1/info?key=clip.mp4", { headers: { authorization: "BEARER s3cret" } })).status, 200);
});

// ---- revalidation ----

Deno.test("a frame's ETag answers If-None-Match with 304 and no decode", async () => {
  const { get, store } = setup();
  const first = await get("/v1/frame?key=clip.mp4&index=3");
  const etag = first.headers.get("etag")!;
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  for (const ifNoneMatch of [etag, `W/${etag}`, `"nope", ${etag}`, "*"]) {
    const res = await get("/v1/frame?key=clip.mp4&index=3", { headers: { "if-none-match": ifNoneMatch } });
    assert.equal(res.status, 304, ifNoneMatch);
    assert.equal(res.headers.get("etag"), etag);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    assert.equal(await res.text(), "");
  }
  assert.equal(store.calls.length, 1);
  const stale = await get("/v1/frame?key=clip.mp4&index=3", { headers: { "if-none-match": '"0123"' } });
  assert.equal(stale.status, 200);
  assert.equal(stale.headers.get("etag"), etag, "the same frame gets the same tag");
});

Deno.test("another frame, format or width gets another ETag; jpg and jpeg share theirs", async () => {
  const { get } = setup();
  const tag = async (path: string) => (await get(path)).headers.get("etag");
  const base = await tag("/v1/frame?key=clip.mp4&index=3");
  const others = [
    await tag("/v1/frame?key=clip.mp4&index=4"),
    await tag("/v1/frame?key=clip.mp4&index=3&format=jpeg"),
    await tag("/v1/frame?key=clip.mp4&index=3&width=2"),
    await tag("/v1/frames?key=clip.mp4&indices=3,4"),
  ];
  assert.equal(new Set([base, ...others]).size, 5);
  assert.equal(
    await tag("/v1/frame?key=clip.mp4&index=3&format=jpg"),
    await tag("/v1/frame?key=clip.mp4&index=3&format=jpeg"),
  );
});

Deno.test("frames decoded from a newer object version than the info get a tag of that version", async () => {
  const { get, store } = setup();
  const before = (await get("/v1/frame?key=clip.mp4&index=3")).headers.get("etag")!;
  store.frameEtag = "etag-2";
  const after = await get("/v1/frame?key=clip.mp4&index=3");
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.get("etag"), before);
  assert.match(after.headers.get("etag")!, /^"[0-9a-f]{32}"$/);
});

// ---- admission and deadlines ----

Deno.test("with maxInflight 1, a second concurrent frame request gets 503 with Retry-After", async () => {
  const { get, store } = setup({ maxInflight: 1 });
  let release!: () => void;
  store.hold = new Promise((resolve) => release = resolve);
  const first = get("/v1/frame?key=clip.mp4&index=1");
  await until(() => store.calls.length > 0);
  const second = await get("/v1/frame?key=clip.mp4&index=2");
  assert.equal(second.status, 503);
  assert.equal(second.headers.get("retry-after"), "1");
  assert.deepEqual(await second.json(), { error: "too many frame requests in progress; retry shortly", code: "busy" });
  // Info and health are not frame requests.
  assert.equal((await get("/v1/info?key=clip.mp4")).status, 200);
  const metrics = (await (await get("/metrics")).text()).split("\n");
  assert.ok(metrics.includes("seekframe_inflight_requests 1"));
  release();
  assert.equal((await first).status, 200);
  store.hold = undefined;
  assert.equal((await get("/v1/frame?key=clip.mp4&index=2")).status, 200, "the slot is free again");
});

Deno.test("bodies not yet taken count against maxHeldBytes: past it, frame requests get 503 until they are read", async () => {
  const { get } = setup({ maxHeldBytes: 1 });
  const unread = await get("/v1/frame?key=clip.mp4&index=1&format=rgb");
  assert.equal(unread.status, 200);
  const size = Number(unread.headers.get("content-length"));
  assert.ok(size > 0);
  const metrics = (await (await get("/metrics")).text()).split("\n");
  assert.ok(metrics.includes(`seekframe_response_bytes_held ${size}`), "the unread body is counted");
  const refused = await get("/v1/frame?key=clip.mp4&index=2");
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.deepEqual(await refused.json(), {
    error: "too many bytes waiting for their clients; retry shortly",
    code: "busy",
  });
  assert.equal((await bytes(unread)).byteLength, size, "the held body is whole");
  const again = await get("/v1/frame?key=clip.mp4&index=2");
  assert.equal(again.status, 200, "read, it no longer counts");
  await again.body?.cancel();
  assert.equal((await get("/v1/frame?key=clip.mp4&index=3")).status, 200, "a cancelled body no longer counts either");
});

Deno.test("a body its client takes nothing of for sendTimeoutMs is cut off and stops counting", async () => {
  const { get } = setup({ maxHeldBytes: 1, sendTimeoutMs: 50 });
  const stalled = await get("/v1/frame?key=clip.mp4&index=1&format=rgb");
  assert.equal((await get("/v1/frame?key=clip.mp4&index=2")).status, 503);
  await sleep(100);
  assert.equal((await get("/v1/frame?key=clip.mp4&index=2")).status, 200);
  await assert.rejects(() => stalled.arrayBuffer(), /took nothing of the body for 50 ms/);
});

Deno.test("a frame slower than deadlineMs is a 504 timeout, and the store's signal is aborted", async () => {
  const { get, store } = setup({ deadlineMs: 30 });
  store.hold = new Promise(() => {}); // never decodes; only the signal ends it
  const started = performance.now();
  const res = await get("/v1/frame?key=clip.mp4&index=1");
  assert.equal(res.status, 504);
  assert.deepEqual(await res.json(), { error: "the frame took longer than 30 ms", code: "timeout" });
  assert.equal(store.calls[0].options?.signal?.aborted, true);
  assert.ok(performance.now() - started < 1000);
});

Deno.test("a frame request whose index takes longer than deadlineMs is answered 504 at the deadline", async () => {
  const { get, store } = setup({ deadlineMs: 30 });
  store.infoDelayMs = 400; // e.g. the first request of a long video builds its index
  const started = performance.now();
  const res = await get("/v1/frame?key=clip.mp4&index=1");
  const elapsed = performance.now() - started;
  assert.equal(res.status, 504);
  assert.ok(elapsed < 300, `answered after ${elapsed.toFixed(0)} ms`);
  await sleep(400); // let the fake's info finish before the test ends
});

Deno.test("a client that goes away is answered 499 and its signal reaches the store", async () => {
  const { get, store } = setup();
  store.hold = new Promise(() => {});
  const client = new AbortController();
  const pending = get("/v1/frame?key=clip.mp4&index=1", { signal: client.signal });
  await until(() => store.calls.length > 0);
  client.abort();
  const res = await pending;
  assert.equal(res.status, 499);
  assert.deepEqual(await res.json(), { error: "the client went away", code: "aborted" });
  assert.equal(store.calls[0].options?.signal?.aborted, true);
});

// ---- metrics ----

Deno.test("/metrics counts requests by route and status, frames by format, and shows the store's gauges", async () => {
  const { get } = setup();
  // Bodies are read, so none is still held.
  for (
    const path of [
      "/v1/frame?key=clip.mp4&index=1",
      "/v1/frame?key=clip.mp4&index=2",
      "/v1/frame?key=clip.mp4&index=x",
      "/v1/frames?key=clip.mp4&indices=1,2,3",
      "/v1/info?key=clip.mp4",
      "/nope",
    ]
  ) await (await get(path)).arrayBuffer();
  const res = await get("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4");
  const lines = (await res.text()).split("\n");
  for (
    const line of [
      'seekframe_http_requests_total{route="/v1/frame",status="200"} 2',
      'seekframe_http_requests_total{route="/v1/frame",status="400"} 1',
      'seekframe_http_requests_total{route="/v1/frames",status="200"} 1',
      'seekframe_http_requests_total{route="/v1/info",status="200"} 1',
      'seekframe_http_requests_total{route="other",status="404"} 1',
      'seekframe_frames_served_total{format="png"} 2',
      'seekframe_frames_served_total{format="npy"} 3',
      'seekframe_http_request_duration_seconds_count{route="/v1/frame"} 3',
      'seekframe_http_request_duration_seconds_bucket{route="/v1/frame",le="+Inf"} 3',
      "seekframe_frames_decoded_total 30",
      "seekframe_storage_requests_total 17",
      "seekframe_storage_bytes_total 99000",
      "seekframe_storage_retries_total 1",
      'seekframe_cache_hits_total{tier="memory"} 5',
      'seekframe_cache_hits_total{tier="disk"} 2',
      "seekframe_cache_misses_total 4",
      "seekframe_cache_bytes 4096",
      "seekframe_queue_depth 3",
      "seekframe_inflight_requests 0",
      "seekframe_response_bytes_held 0",
    ]
  ) {
    assert.ok(lines.includes(line), `missing ${line}`);
  }
  assert.ok(!lines.some((l) => l.includes('route="/metrics"')), "a scrape is counted after it is answered");
  const again = (await (await get("/metrics")).text()).split("\n");
  assert.ok(again.includes('seekframe_http_requests_total{route="/metrics",status="200"} 1'));
});
