import assert from "node:assert/strict";
import { UnsupportedMediaError } from "../errors.ts";
import { buildIndex } from "./build.ts";
import type { ProbeResult } from "./model.ts";

Deno.test("frame order: lead-ins an edit list discards may go back in time; shown frames may not", () => {
  // Two edits, as FFmpeg's mov demuxer lays them out: shown frames 0–35, then a
  // second GOP whose first 12 packets are decoded only (their times overlap the
  // first edit's), then shown frames 36–71. One frame per packet, no B-frames.
  const n = 84;
  const discarded = (i: number) => i >= 36 && i < 48;
  const probe = (discard: boolean): ProbeResult => ({
    container: "mp4",
    indexSource: "sample-table",
    codec: "h264",
    codecpar: { codec_id: 27, width: 64, height: 64 },
    width: 64,
    height: 64,
    pixelFormat: null,
    rotation: 0,
    timeBase: [1, 24],
    frameRate: [24, 1],
    packets: {
      offset: new Float64Array(n).map((_, i) => 1000 + i * 100),
      size: new Uint32Array(n).fill(100),
      pts: new Float64Array(n).map((_, i) => i < 36 ? i : i < 48 ? i - 12 : i - 12),
      dts: new Float64Array(n).map((_, i) => i),
      flags: new Uint8Array(n).map((_, i) => (i % 12 === 0 ? 1 : 0) | (discard && discarded(i) ? 4 : 0)),
    },
  });
  const object = { key: "edits.mp4", size: 10_000, etag: "e" };
  const index = buildIndex(object, probe(true));
  assert.equal(index.info.frameCount, 72);
  assert.deepEqual([...index.frames.slice(34, 38)], [34, 35, 48, 49], "the second edit follows the first");
  const err = (() => {
    try {
      buildIndex(object, probe(false));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof UnsupportedMediaError, String(err));
  assert.match((err as Error).message, /jump back/);
});

/** A probe of `rows` [pts, flags] in decode order, one 100-byte packet each, time base 1/24. */
function probeOf(rows: [pts: number, flags: number][], extra: Partial<ProbeResult> = {}): ProbeResult {
  return {
    container: "mp4",
    indexSource: "sample-table",
    codec: "h264",
    codecpar: { codec_id: 27 },
    width: 320,
    height: 240,
    pixelFormat: "yuv420p",
    rotation: 0,
    timeBase: [1, 24],
    frameRate: [24, 1],
    packets: {
      offset: Float64Array.from(rows, (_, i) => 1000 + i * 100),
      size: new Uint32Array(rows.length).fill(100),
      pts: Float64Array.from(rows, (r) => r[0]),
      dts: Float64Array.from(rows, (_, i) => i - 1),
      flags: Uint8Array.from(rows, (r) => r[1]),
    },
    ...extra,
  };
}

const object = { key: "v.mp4", size: 100_000, etag: "e" };

Deno.test("frames are numbered in presentation order; keyframes, fps and duration follow", () => {
  // I P B B | I P B B in decode order (pts 0 3 1 2 | 4 7 5 6).
  const index = buildIndex(object, probeOf([[0, 1], [3, 0], [1, 0], [2, 0], [4, 1], [7, 0], [5, 0], [6, 0]]));
  assert.deepEqual([...index.frames], [0, 2, 3, 1, 4, 6, 7, 5], "frame n → decode-order packet");
  assert.deepEqual(index.info.keyframes, [0, 4]);
  assert.equal(index.info.frameCount, 8);
  assert.equal(index.info.duration, 8 / 24);
  assert.equal(index.info.fps, 24);
  assert.equal(index.info.nominalFps, 24);
  assert.equal(index.info.startTime, 0);
});

Deno.test("a rotated video reports its displayed size", () => {
  const index = buildIndex(object, probeOf([[0, 1], [1, 0]], { rotation: 90 }));
  assert.deepEqual([index.info.width, index.info.height, index.info.rotation], [240, 320, 90]);
});

Deno.test("streams ffmpeg would number differently are refused", () => {
  const refused = (rows: [number, number][], why: RegExp) =>
    assert.throws(() => buildIndex(object, probeOf(rows)), (err: Error) => {
      assert.ok(err instanceof UnsupportedMediaError, String(err));
      assert.match(err.message, why);
      return true;
    });
  refused([[1, 0], [0, 1]], /starts between keyframes/);
  refused([[2, 1], [0, 0], [1, 0]], /before its first keyframe/);
  refused([[10, 1], [11, 0], [0, 1], [1, 0]], /jump back at packet 4/); // where the GOP that went back ends
  assert.throws(() => buildIndex(object, probeOf([[0, 1], [Number.NaN, 0]])), /no presentation timestamp/);
  assert.throws(() => buildIndex(object, probeOf([[0, 1], [0, 0]])), /share the timestamp 0/);
});

Deno.test("a container that does not store packets whole needs its span layout", () => {
  const rows: [number, number][] = [[0, 1], [1, 0]];
  assert.throws(() => buildIndex(object, probeOf(rows, { container: "mpegts" })), /span layout/);
  const spans = { head: new Uint8Array(188), dataSizes: Uint32Array.from([90, 90]) };
  assert.equal(buildIndex(object, probeOf(rows, { container: "mpegts", spans })).info.frameCount, 2);
});
