import assert from "node:assert/strict";
import { encodeNpy } from "./npy.ts";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]; // "\x93NUMPY" v1.0

/** The header text of an encoded array, with its stated length. */
function header(npy: Uint8Array): { length: number; text: string } {
  const length = npy[8] | (npy[9] << 8);
  return { length, text: new TextDecoder().decode(npy.subarray(10, 10 + length)) };
}

Deno.test("encodeNpy writes the magic, version 1.0 and a little-endian header length", () => {
  const npy = encodeNpy([5], [new Uint8Array(5)]);
  assert.deepEqual([...npy.subarray(0, 8)], MAGIC);
  assert.deepEqual([npy[8], npy[9]], [118, 0]);
});

Deno.test("encodeNpy writes a 1-D shape with its trailing comma, padded so the data starts at 128", () => {
  const npy = encodeNpy([5], [Uint8Array.from([1, 2, 3, 4, 5])]);
  assert.deepEqual(header(npy), {
    length: 118,
    text: "{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }" + " ".repeat(60) + "\n",
  });
  assert.equal(npy.byteLength, 128 + 5);
  assert.deepEqual([...npy.subarray(128)], [1, 2, 3, 4, 5]);
});

Deno.test("encodeNpy writes an (H, W, 3) picture's shape and bytes", () => {
  const data = Uint8Array.from({ length: 24 }, (_, i) => 200 + i);
  const npy = encodeNpy([2, 4, 3], [data]);
  assert.deepEqual(header(npy), {
    length: 118,
    text: "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 3), }" + " ".repeat(55) + "\n",
  });
  assert.deepEqual(npy.subarray(128), data);
});

Deno.test("encodeNpy writes a (K, H, W, 3) batch from its parts, one after another", () => {
  const a = new Uint8Array(24).fill(7), b = new Uint8Array(24).fill(9);
  const npy = encodeNpy([2, 2, 4, 3], [a, b]);
  assert.deepEqual(header(npy), {
    length: 118,
    text: "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 4, 3), }" + " ".repeat(52) + "\n",
  });
  assert.equal(npy.byteLength, 128 + 48);
  assert.deepEqual([...npy.subarray(128, 152)], [...a]);
  assert.deepEqual([...npy.subarray(152)], [...b]);
});

Deno.test("encodeNpy pads a long header to the next multiple of 64 bytes", () => {
  const shape = [0, 999999999999, 999999999999, 999999999999, 999999999999, 999999999999];
  const npy = encodeNpy(shape, []);
  const dims = "(0, 999999999999, 999999999999, 999999999999, 999999999999, 999999999999)";
  // 10 + 126 characters of dict: padded with 55 spaces and "\n" to 192 bytes.
  assert.deepEqual(header(npy), {
    length: 182,
    text: `{'descr': '|u1', 'fortran_order': False, 'shape': ${dims}, }` + " ".repeat(55) + "\n",
  });
  assert.equal(npy.byteLength, 192);
});

Deno.test("encodeNpy refuses parts whose size does not match the shape", () => {
  assert.throws(
    () => encodeNpy([2, 2, 3], [new Uint8Array(11)]),
    (err) => err instanceof RangeError && /needs 12 bytes, got 11/.test(err.message),
  );
  assert.throws(() => encodeNpy([2, 1, 1, 3], [new Uint8Array(3), new Uint8Array(4)]), RangeError);
});
