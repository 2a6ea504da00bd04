import assert from "node:assert/strict";
import { FLAG_KEY, type FrameIndex, type PacketTable, type VideoInfo } from "./model.ts";
import { frameAtTime, packetRanges, planJobs, reorderDepth, startPacket } from "./plan.ts";

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

/** An index over rows [pts, key] in decode order (one 10-byte packet each). */
function indexOf(rows: [pts: number, key: boolean][]): FrameIndex {
  const packets = table(rows.map(([pts], i) => [i * 10, 10, pts]));
  rows.forEach(([, key], i) => packets.flags[i] = key ? FLAG_KEY : 0);
  const frames = Uint32Array.from([...rows.keys()].sort((a, b) => rows[a][0] - rows[b][0]));
  const info = { frameCount: rows.length, duration: rows.length / 10, timeBase: [1, 10] } as VideoInfo;
  return { info, codecpar: { codec_id: 0 }, packets, frames };
}

Deno.test("startPacket starts at the last keyframe not shown after the target", () => {
  // Open GOP: I0 P3 B1 B2 | I6 B4 B5 P9 B7 B8 (B4, B5 lead I6 in display order).
  const index = indexOf([[0, true], [3, false], [1, false], [2, false], [6, true], [4, false], [5, false], [9, false]]);
  assert.equal(startPacket(index.packets, 2), 0, "B1 from I0");
  assert.equal(startPacket(index.packets, 5), 0, "leading B4 needs the previous GOP");
  assert.equal(startPacket(index.packets, 4), 4, "I6 itself");
  assert.equal(startPacket(index.packets, 7), 4, "P9 from I6");
});

Deno.test("planJobs groups frames by starting keyframe, each job to its last target", () => {
  const index = indexOf([[0, true], [2, false], [1, false], [3, true], [5, false], [4, false]]);
  // Frame n has pts n here.
  assert.deepEqual(planJobs(index, [4, 1, 1, 0]), [
    { first: 0, last: 2, frames: [0, 1] },
    { first: 3, last: 5, frames: [4] },
  ]);
});

Deno.test("frameAtTime is the last frame not after the time; undefined past the end", () => {
  const index = indexOf([[0, true], [1, false], [2, false]]);
  assert.equal(frameAtTime(index, 0), 0);
  assert.equal(frameAtTime(index, 0.1), 1, "exactly at a frame's start (float slack)");
  assert.equal(frameAtTime(index, 0.19), 1);
  assert.equal(frameAtTime(index, 0.29), 2);
  assert.equal(frameAtTime(index, 0.3), undefined, "the video lasts 0.3 s");
});
