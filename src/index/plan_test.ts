import assert from "node:assert/strict";
import type { PacketTable } from "./model.ts";
import { packetRanges, reorderDepth } from "./plan.ts";

function table(rows: [offset: number, size: number, pts: number][]): PacketTable {
  return {
    offset: Float64Array.from(rows.map((r) => r[0])),
    size: Uint32Array.from(rows.map((r) => r[1])),
    pts: Float64Array.from(rows.map((r) => r[2])),
    dts: Float64Array.from(rows.map((_, i) => i)),
    flags: new Uint8Array(rows.length),
  };
}

Deno.test("reorderDepth is the largest decode-order distance to a later, earlier-shown packet", () => {
  assert.equal(reorderDepth(table([[0, 1, 0], [1, 1, 1], [2, 1, 2]])), 0);
  // I P B B: P (pts 3) waits for both B-frames.
  assert.equal(reorderDepth(table([[0, 1, 0], [1, 1, 3], [2, 1, 1], [3, 1, 2]])), 2);
  // Pyramid I P Bref b b: P (pts 4) waits three packets.
  assert.equal(reorderDepth(table([[0, 1, 0], [1, 1, 4], [2, 1, 2], [3, 1, 1], [4, 1, 3]])), 3);
});

Deno.test("packetRanges bridges cheap gaps, then the smallest up to maxRanges, never huge ones", () => {
  // Packets at 0..100, 110..200, 300..400, 10_000..10_100 (gaps 10, 100, 9600).
  const t = table([[0, 100, 0], [110, 90, 1], [300, 100, 2], [10_000, 100, 3]]);
  const policy = { requestBytes: 50, maxRanges: 9, maxGapBytes: 1000 };
  assert.deepEqual(packetRanges(t, 0, 3, policy), [
    { offset: 0, length: 200 },
    { offset: 300, length: 100 },
    { offset: 10_000, length: 100 },
  ]);
  assert.deepEqual(packetRanges(t, 0, 3, { ...policy, maxRanges: 1 }), [
    { offset: 0, length: 400 },
    { offset: 10_000, length: 100 },
  ]);
  assert.deepEqual(packetRanges(t, 0, 3, { ...policy, maxRanges: 1, maxGapBytes: 1 << 20 }), [
    { offset: 0, length: 10_100 },
  ]);
  // Touching packets always merge.
  assert.deepEqual(packetRanges(table([[0, 10, 0], [10, 10, 1]]), 0, 1, { ...policy, requestBytes: 0 }), [
    { offset: 0, length: 20 },
  ]);
});
