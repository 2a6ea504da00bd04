import assert from "node:assert/strict";
import { BadRequest } from "./http.ts";
import { frameAsk, framesAsk, integer, param } from "./params.ts";

const url = (query: string) => new URL(`http://x/v1/frame?${query}`);

function badRequest(message: string): (err: unknown) => boolean {
  return (err) => err instanceof BadRequest && err.status === 400 && err.message === message;
}

Deno.test("integer accepts up to 15 decimal digits", () => {
  assert.equal(integer("0", "index"), 0);
  assert.equal(integer("007", "index"), 7);
  assert.equal(integer("999999999999999", "index"), 999_999_999_999_999);
});

Deno.test("integer refuses signs, fractions, exponents, spaces, other digits and 16 digits, naming the parameter", () => {
  for (const value of ["", "-1", "+1", "1.0", "1e3", " 1", "1 ", "0x1", "1_000", "１", "1000000000000000"]) {
    assert.throws(
      () => integer(value, "width"),
      badRequest(`width must be a non-negative integer, got ${JSON.stringify(value)}`),
      JSON.stringify(value),
    );
  }
});

Deno.test("param gives a present value as it is and refuses a missing or empty one", () => {
  assert.equal(param(url("key=a%20b.mp4"), "key"), "a b.mp4");
  assert.equal(param(url("key=%20"), "key"), " ");
  assert.throws(() => param(url("index=1"), "key"), badRequest('missing query parameter "key"'));
  assert.throws(() => param(url("key="), "key"), badRequest('missing query parameter "key"'));
});

Deno.test("frameAsk reads key, index, format (default png, jpg meaning jpeg) and width", () => {
  const ask = frameAsk(url("key=a.mp4&index=3&format=jpg&width=160"));
  assert.equal(ask.key, "a.mp4");
  assert.deepEqual(ask.indices, [3]);
  assert.equal(ask.format.name, "jpeg");
  assert.equal(ask.width, 160);
  assert.equal(ask.batch, false);
  assert.equal(ask.seconds, undefined);
  const plain = frameAsk(url("key=a.mp4&index=0"));
  assert.equal(plain.format.name, "png");
  assert.equal(plain.width, undefined);
});

Deno.test("frameAsk reads t as seconds, leaving the index to be resolved", () => {
  for (const [t, seconds] of [["1.25", 1.25], ["0", 0], ["1e-3", 0.001], [".5", 0.5]] as const) {
    const ask = frameAsk(url(`key=a.mp4&t=${t}`));
    assert.equal(ask.seconds, seconds, t);
    assert.deepEqual(ask.indices, []);
  }
  for (const t of ["NaN", "-2", "0x10", "1%20", "Infinity", "1e999"]) {
    const shown = JSON.stringify(decodeURIComponent(t));
    assert.throws(
      () => frameAsk(url(`key=a.mp4&t=${t}`)),
      badRequest(`t must be a non-negative decimal number, got ${shown}`),
    );
  }
  assert.throws(() => frameAsk(url("key=a.mp4&t=1&index=2")), badRequest("give index or t, not both"));
});

Deno.test("framesAsk reads a comma-separated list, defaults to npy, and allows exactly maxBatch frames", () => {
  const ask = framesAsk(new URL("http://x/v1/frames?key=a.mp4&indices=4,%200%20,4"), 3);
  assert.deepEqual(ask.indices, [4, 0, 4]);
  assert.equal(ask.format.name, "npy");
  assert.equal(ask.batch, true);
  assert.equal(ask.key, "a.mp4");
  assert.throws(
    () => framesAsk(new URL("http://x/v1/frames?key=a.mp4&indices=1,2,3,4"), 3),
    badRequest("at most 3 frames per request, got 4"),
  );
  assert.equal(framesAsk(new URL("http://x/v1/frames?key=a.mp4&indices=1&format=rgb&width=8"), 3).width, 8);
});
