import assert from "node:assert/strict";
import { newTable } from "../container/container.ts";
import {
  damageHorizon,
  findPacket,
  markDamaged,
  markDemuxDamage,
  markLayoutDamage,
  markTimingDamage,
  MAX_REORDER,
  untrusted,
} from "./damage.ts";
import { FLAG_DAMAGED, FLAG_KEY, type FrameIndex, type PacketTable } from "./model.ts";

/** Packets in decode order as [offset, size, pts]; a keyframe every 4 (I P B B in pts order I B B P). */
function table(rows: [number, number, number][]): PacketTable {
  const t = newTable(rows.length);
  rows.forEach(([offset, size, pts], i) => {
    t.offset[i] = offset;
    t.size[i] = size;
    t.pts[i] = pts;
    t.dts[i] = i;
    t.flags[i] = i % 4 === 0 ? FLAG_KEY : 0;
  });
  return t;
}

function index(packets: PacketTable): FrameIndex {
  const frames = Uint32Array.from([...packets.pts.keys()].sort((a, b) => packets.pts[a] - packets.pts[b]));
  return { info: { key: "v.mp4" } as FrameIndex["info"], codecpar: { codec_id: 27 }, packets, frames };
}

// Two GOPs: decode order I0 P3 B1 B2 | I4 P7 B5 B6 (pts).
const GOPS: [number, number, number][] = [
  [0, 10, 0],
  [10, 10, 3],
  [20, 10, 1],
  [30, 10, 2],
  [40, 10, 4],
  [50, 10, 7],
  [60, 10, 5],
  [70, 10, 6],
];

Deno.test("markLayoutDamage: empty packets, packets past the end, overlapping packets", () => {
  const t = table(GOPS);
  t.size[2] = 0;
  t.offset[5] = 45; // overlaps packet 4
  const notes = new Map<number, string>();
  assert.equal(markLayoutDamage(t, { objectSize: 75, storedWhole: true }, notes), 4);
  const marked = [...t.flags.keys()].filter((i) => t.flags[i] & FLAG_DAMAGED);
  assert.deepEqual(marked, [2, 4, 5, 7]);
  assert.equal(notes.get(2), "it is empty");
  assert.equal(notes.get(7), "it runs past the end of the object");
  assert.match(notes.get(5)!, /overlap those of packet 4/);
  // MPEG-TS spans overlap by design; their data sizes say what is empty.
  const ts = table(GOPS);
  ts.offset[5] = 45;
  assert.equal(markLayoutDamage(ts, { objectSize: 80, storedWhole: false, dataSizes: new Uint32Array(8).fill(5) }), 0);
  const pristine = table(GOPS);
  assert.equal(markLayoutDamage(pristine, { objectSize: 80, storedWhole: true }), 0);
});

Deno.test("untrusted: frames at or after damage in presentation order, or after it in decode order", () => {
  const t = table(GOPS);
  const ix = index(t);
  assert.equal(damageHorizon(t), undefined);
  assert.equal(untrusted(ix, 5, undefined), undefined);
  // P3 (decode 1) damaged: frames 0 is fine; B1, B2 are decoded after it; 3 and later come after it.
  assert.equal(markDamaged(ix, 1, "the decoder failed on a packet"), true);
  assert.equal(markDamaged(ix, 1, "again"), false);
  const h = damageHorizon(t);
  assert.deepEqual(h, { pts: 3, packet: 1, ptsPacket: 1 });
  assert.equal(untrusted(ix, 0, h), undefined);
  assert.equal(untrusted(ix, 1, h), "the packet of frame 3 is damaged (the decoder failed on a packet)");
  assert.equal(untrusted(ix, 3, h), "its own packet is damaged (the decoder failed on a packet)");
  for (let n = 1; n < 8; n++) assert.ok(untrusted(ix, n, h), `frame ${n}`);
  // A damaged B in the second GOP leaves the first GOP and the frames shown before it.
  const u = table(GOPS);
  const iu = index(u);
  markDamaged(iu, 6, "a picture never came out");
  const hu = damageHorizon(u);
  assert.deepEqual([0, 1, 2, 3, 4].map((n) => untrusted(iu, n, hu)), [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assert.ok(untrusted(iu, 5, hu) && untrusted(iu, 6, hu) && untrusted(iu, 7, hu));
  // A damaged packet without pts makes everything after it in decode order uncertain, and all shown after.
  const v = table(GOPS);
  v.pts[6] = NaN;
  v.flags[6] |= FLAG_DAMAGED;
  assert.equal(damageHorizon(v)!.pts, -Infinity);
});

Deno.test("findPacket: by pts, or by dts when there is none", () => {
  const t = table(GOPS);
  assert.equal(findPacket(t, 0, 7, 5, NaN), 6);
  assert.equal(findPacket(t, 0, 3, 5, NaN), -1);
  assert.equal(findPacket(t, 0, 7, NaN, 2), 2);
  assert.equal(findPacket(t, 0, 7, NaN, NaN), -1);
});

Deno.test("markDemuxDamage: the packet being read at the damage and the one before it", () => {
  const marked = (t: PacketTable) => [...t.flags.keys()].filter((i) => t.flags[i] & FLAG_DAMAGED);
  const t = table(GOPS);
  markDemuxDamage(t, []);
  assert.deepEqual(marked(t), [], "no damage, nothing marked");
  markDemuxDamage(t, [35]);
  assert.deepEqual(marked(t), [2, 3], "inside packet 3: it and packet 2");
  const first = table(GOPS);
  markDemuxDamage(first, [5]);
  assert.deepEqual(marked(first), [0], "inside the first packet");
  const before = table(GOPS);
  markDemuxDamage(before, [-1]);
  assert.deepEqual(marked(before), [0], "too many, or unplaced: the first packet (nothing is served)");
  const end = table(GOPS);
  markDemuxDamage(end, [80]);
  assert.deepEqual(marked(end), [6, 7], "at the end (a truncated last PES)");
  const empty = newTable(0);
  markDemuxDamage(empty, [3]);
  assert.equal(empty.flags.length, 0);
});

Deno.test("markTimingDamage: a pts further from its dts than any reorder buffer reaches", () => {
  const rows: [number, number, number][] = Array.from(
    { length: 100 },
    (_, i) => [i * 10, 10, i + (i % 4 === 1 ? 2 : 0)],
  );
  const t = table(rows);
  const notes = new Map<number, string>();
  assert.equal(markTimingDamage(t, notes), 0, "B-frame reordering is fine");
  t.pts[40] = 40 + MAX_REORDER + 1; // shown after 33 later packets are decoded
  t.pts[60] = 2 ** 30; // a flipped high bit in its composition offset
  t.pts[80] = 80 - MAX_REORDER - 5; // shown long before it is decoded
  t.pts[90] = NaN;
  assert.equal(markTimingDamage(t, notes), 3);
  assert.deepEqual([...t.flags.keys()].filter((i) => t.flags[i] & FLAG_DAMAGED), [40, 60, 80]);
  assert.match(notes.get(60)!, /packets after its dts/);
  assert.match(notes.get(80)!, /packets before its dts/);
  const gops = table(GOPS);
  assert.equal(markTimingDamage(gops), 0);
  gops.pts[5] = 7 + MAX_REORDER + 2; // near the end: the packets that would follow count
  assert.equal(markTimingDamage(gops), 1);
  assert.ok(gops.flags[5] & FLAG_DAMAGED);
});
