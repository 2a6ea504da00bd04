import assert from "node:assert/strict";
import {
  CorruptMediaError,
  DecoderError,
  type ErrorCode,
  FrameOutOfRangeError,
  fromWire,
  IndexStoreError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  SeekframeError,
  StorageError,
  StoreClosedError,
  toWire,
  UnsupportedMediaError,
  type WireError,
} from "./errors.ts";

const EVERY_KIND: [SeekframeError, ErrorCode][] = [
  [new ObjectNotFoundError("videos/a.mp4"), "not_found"],
  [new ObjectNotFoundError("b.mp4", { message: "no such key in bucket x" }), "not_found"],
  [new FrameOutOfRangeError(12, 10), "out_of_range"],
  [new FrameOutOfRangeError("3.5 s", 10, "time 3.5 s is out of range: video lasts 0.4 s"), "out_of_range"],
  [new UnsupportedMediaError('"c.avi" is not a container this build reads'), "unsupported"],
  [new CorruptMediaError("packet 7 lies outside the bytes fetched"), "corrupt"],
  [new StorageError("S3 answered 503 after 3 retries", 503), "storage"],
  [new StorageError("connection refused"), "storage"],
  [new ObjectChangedError("d.mp4"), "changed"],
  [new InvalidArgumentError("width must be at most 320, got 640"), "invalid_argument"],
  [new IndexStoreError("kv commit failed"), "index_store"],
  [new DecoderError("decoder worker crashed"), "decoder"],
  [new StoreClosedError(), "closed"],
];

Deno.test("every seekframe error class carries its own code and its class name", () => {
  for (const [err, code] of EVERY_KIND) {
    assert.equal(err.code, code);
    assert.equal(err.name, err.constructor.name);
    assert.ok(err instanceof SeekframeError && err instanceof Error);
  }
  assert.equal(new FrameOutOfRangeError(12, 10).message, "frame 12 is out of range: video has 10 frames (0–9)");
  assert.equal(new FrameOutOfRangeError(0, 0).message, "frame 0 is out of range: video has no frames");
  assert.equal(new ObjectNotFoundError("a b").message, 'object not found: "a b"');
});

Deno.test("fromWire(toWire(err)) rebuilds every seekframe error's class, code, message and fields", () => {
  for (const [err] of EVERY_KIND) {
    // structuredClone: what postMessage does to the wire form.
    const back = fromWire(structuredClone(toWire(err)));
    const what = `${err.name}: ${err.message}`;
    assert.equal(back.constructor, err.constructor, what);
    assert.ok(back instanceof SeekframeError, what);
    assert.equal(back.name, err.name, what);
    assert.equal(back.code, err.code, what);
    assert.equal(back.message, err.message, what);
    for (const field of ["status", "key", "frameCount"] as const) {
      assert.equal(
        (back as unknown as Record<string, unknown>)[field],
        (err as unknown as Record<string, unknown>)[field],
        `${what}: ${field}`,
      );
    }
  }
});

Deno.test("toWire writes the extra fields of each class as plain data", () => {
  assert.deepEqual(toWire(new StorageError("down", 503)), {
    name: "StorageError",
    message: "down",
    code: "storage",
    status: 503,
  });
  assert.deepEqual(toWire(new ObjectChangedError("k.mp4", { message: "replaced" })), {
    name: "ObjectChangedError",
    message: "replaced",
    code: "changed",
    key: "k.mp4",
  });
  assert.deepEqual(toWire(new FrameOutOfRangeError(5, 3)), {
    name: "FrameOutOfRangeError",
    message: "frame 5 is out of range: video has 3 frames (0–2)",
    code: "out_of_range",
    frameCount: 3,
  });
  assert.deepEqual(toWire(new InvalidArgumentError("bad")), {
    name: "InvalidArgumentError",
    message: "bad",
    code: "invalid_argument",
  });
});

Deno.test("a plain Error crosses the wire as an Error with its name and message, not a seekframe error", () => {
  const wire = toWire(new TypeError("x is not a function"));
  assert.deepEqual(wire, { name: "TypeError", message: "x is not a function" });
  const back = fromWire(structuredClone(wire));
  assert.ok(back instanceof Error);
  assert.ok(!(back instanceof SeekframeError));
  assert.equal(back.name, "TypeError");
  assert.equal(back.message, "x is not a function");
});

Deno.test("thrown values that are not Errors become an Error with their text", () => {
  assert.deepEqual(toWire("boom"), { name: "Error", message: "boom" });
  assert.deepEqual(toWire(42), { name: "Error", message: "42" });
  assert.deepEqual(toWire(undefined), { name: "Error", message: "undefined" });
  assert.deepEqual(toWire(null), { name: "Error", message: "null" });
  const back = fromWire(toWire("boom"));
  assert.ok(back instanceof Error && !(back instanceof SeekframeError));
  assert.equal(back.message, "boom");
});

Deno.test("a wire error with an unknown code comes back as a plain Error of that name", () => {
  const back = fromWire(
    { name: "FutureError", message: "from a newer worker", code: "future" } as unknown as WireError,
  );
  assert.ok(!(back instanceof SeekframeError));
  assert.equal(back.name, "FutureError");
  assert.equal(back.message, "from a newer worker");
});
