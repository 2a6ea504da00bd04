import assert from "node:assert/strict";
import { UnsupportedMediaError } from "../errors.ts";
import { displayRotation, rotateRGB, type Rotation } from "./rotate.ts";

/**
 * A 3×2 picture, pixels A..F numbered 0..5:
 *
 *     A B C
 *     D E F
 *
 * Pixel n is the bytes [3n, 3n+1, 3n+2], so channel order shows too.
 */
const PICTURE = Uint8Array.from({ length: 18 }, (_, i) => i);

function pixels(...order: number[]): Uint8Array {
  return Uint8Array.from(order.flatMap((n) => [3 * n, 3 * n + 1, 3 * n + 2]));
}

const A = 0, B = 1, C = 2, D = 3, E = 4, F = 5;

Deno.test("rotateRGB by 0 returns the picture as it is", () => {
  const out = rotateRGB(PICTURE, 3, 2, 0);
  assert.equal(out.width, 3);
  assert.equal(out.height, 2);
  assert.deepEqual(out.data, PICTURE);
});

Deno.test("rotateRGB by 90 turns the picture counter-clockwise", () => {
  // C F
  // B E
  // A D
  assert.deepEqual(rotateRGB(PICTURE, 3, 2, 90), { width: 2, height: 3, data: pixels(C, F, B, E, A, D) });
});

Deno.test("rotateRGB by 180 turns the picture upside down", () => {
  // F E D
  // C B A
  assert.deepEqual(rotateRGB(PICTURE, 3, 2, 180), { width: 3, height: 2, data: pixels(F, E, D, C, B, A) });
});

Deno.test("rotateRGB by 270 turns the picture clockwise", () => {
  // D A
  // E B
  // F C
  assert.deepEqual(rotateRGB(PICTURE, 3, 2, 270), { width: 2, height: 3, data: pixels(D, A, E, B, F, C) });
});

Deno.test("four rotations by 90, or 90 then 270, give back the original picture", () => {
  let p = { width: 3, height: 2, data: PICTURE as Uint8Array };
  for (let i = 0; i < 4; i++) p = rotateRGB(p.data, p.width, p.height, 90);
  assert.deepEqual(p, { width: 3, height: 2, data: PICTURE });
  const there = rotateRGB(PICTURE, 3, 2, 90);
  assert.deepEqual(rotateRGB(there.data, there.width, there.height, 270).data, PICTURE);
  const half = rotateRGB(PICTURE, 3, 2, 180);
  assert.deepEqual(rotateRGB(half.data, half.width, half.height, 180).data, PICTURE);
});

Deno.test("rotateRGB leaves its input untouched and handles a single row and column", () => {
  const input = PICTURE.slice();
  rotateRGB(input, 3, 2, 90);
  assert.deepEqual(input, PICTURE);
  const row = pixels(A, B, C);
  assert.deepEqual(rotateRGB(row, 3, 1, 90), { width: 1, height: 3, data: pixels(C, B, A) });
  assert.deepEqual(rotateRGB(row, 3, 1, 270), { width: 1, height: 3, data: pixels(A, B, C) });
});

const ONE = 65536; // 1.0 in 16.16 fixed point
const W = 1 << 30; // 1.0 in 2.30, the matrix's last element

/** A display matrix [a b 0; c d 0; 0 0 w] as FFmpeg stores it. */
function matrix(a: number, b: number, c: number, d: number): Int32Array {
  return Int32Array.from([a, b, 0, c, d, 0, 0, 0, W]);
}

Deno.test("displayRotation reads the identity as 0 and right-angle matrices as 90, 180 and 270", () => {
  const cases: [Int32Array, Rotation][] = [
    [matrix(ONE, 0, 0, ONE), 0],
    [matrix(0, -ONE, ONE, 0), 90],
    [matrix(-ONE, 0, 0, -ONE), 180],
    // What phones write for portrait video (ffprobe: "rotation of -90.00 degrees").
    [matrix(0, ONE, -ONE, 0), 270],
  ];
  for (const [m, rotation] of cases) assert.equal(displayRotation(m), rotation, `[${m.join(", ")}]`);
});

Deno.test("displayRotation ignores scale and rounds off fixed-point error", () => {
  assert.equal(displayRotation(matrix(2 * ONE, 0, 0, 2 * ONE)), 0);
  assert.equal(displayRotation(matrix(3, -ONE, ONE, -2)), 90);
  assert.equal(displayRotation(matrix(-ONE, 5, -5, -ONE)), 180);
});

Deno.test("displayRotation reads an empty matrix as no rotation", () => {
  assert.equal(displayRotation(new Int32Array(9)), 0);
});

Deno.test("displayRotation refuses a mirroring matrix with UnsupportedMediaError", () => {
  for (const m of [matrix(-ONE, 0, 0, ONE), matrix(ONE, 0, 0, -ONE), matrix(0, ONE, ONE, 0)]) {
    assert.throws(
      () => displayRotation(m),
      (err) => err instanceof UnsupportedMediaError && /mirrors/.test(err.message),
    );
  }
});

Deno.test("displayRotation refuses a 45° matrix with UnsupportedMediaError naming the angle", () => {
  const c = 46341; // cos 45° in 16.16
  assert.throws(
    () => displayRotation(matrix(c, -c, c, c)),
    (err) => err instanceof UnsupportedMediaError && err.message.includes("45.0°"),
  );
  assert.throws(() => displayRotation(matrix(c, c, -c, c)), UnsupportedMediaError);
});
