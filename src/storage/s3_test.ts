import assert from "node:assert/strict";
import type { ObjectEdits } from "./source.ts";
import { MIN_PART_BYTES, planParts } from "./s3.ts";

const MiB = 1 << 20;
const patch = (lo: number, n: number) => ({ lo, data: new Uint8Array(n) });

/** What every plan must be: contiguous parts over the new size, all but the last ≥ 5 MiB, changes sent, copies old. */
function checkPlan(oldSize: number, edits: ObjectEdits) {
  const parts = planParts(oldSize, edits);
  let at = 0;
  parts.forEach((p, i) => {
    assert.equal(p.lo, at, "contiguous");
    assert.ok(p.hi > p.lo);
    if (i < parts.length - 1) assert.ok(p.hi - p.lo >= MIN_PART_BYTES, `part ${i} is ${p.hi - p.lo} bytes`);
    if (p.copy) {
      assert.ok(p.hi <= oldSize, "copies come from the old version");
      for (const q of edits.patches) assert.ok(q.lo + q.data.byteLength <= p.lo || q.lo >= p.hi, "no change copied");
    }
    at = p.hi;
  });
  assert.equal(at, edits.size);
  const sent = parts.filter((p) => !p.copy).reduce((n, p) => n + p.hi - p.lo, 0);
  return { parts: parts.map((p) => [p.copy ? "copy" : "send", p.lo, p.hi]), sent };
}

Deno.test("planParts: a change in the middle sends one 5 MiB part and copies the rest", () => {
  const { parts, sent } = checkPlan(50 * MiB, { size: 50 * MiB, patches: [patch(25 * MiB, 4096)] });
  assert.deepEqual(parts, [["copy", 0, 25 * MiB], ["send", 25 * MiB, 30 * MiB], ["copy", 30 * MiB, 50 * MiB]]);
  assert.equal(sent, 5 * MiB);
});

Deno.test("planParts: a change at the end, an append and a write past the end send only the new bytes", () => {
  const end = checkPlan(50 * MiB, { size: 50 * MiB, patches: [patch(50 * MiB - 4096, 4096)] });
  assert.deepEqual(end.parts, [["copy", 0, 50 * MiB - 4096], ["send", 50 * MiB - 4096, 50 * MiB]]);
  const append = checkPlan(50 * MiB, { size: 50 * MiB + 4096, patches: [patch(50 * MiB, 4096)] });
  assert.deepEqual(append.parts, [["copy", 0, 50 * MiB], ["send", 50 * MiB, 50 * MiB + 4096]]);
  // 1 MiB past the end: the zero gap is sent with the new bytes.
  const past = checkPlan(50 * MiB, { size: 51 * MiB + 4096, patches: [patch(51 * MiB, 4096)] });
  assert.deepEqual(past.parts, [["copy", 0, 50 * MiB], ["send", 50 * MiB, 51 * MiB + 4096]]);
  assert.equal(past.sent, MiB + 4096);
});

Deno.test("planParts: copies too small to be a part are sent, and nearby changes share a part", () => {
  // 2 MiB unchanged between two changes: sent with them, not copied.
  const near = checkPlan(40 * MiB, { size: 40 * MiB, patches: [patch(10 * MiB, 10), patch(17 * MiB, 10)] });
  assert.deepEqual(near.parts, [["copy", 0, 10 * MiB], ["send", 10 * MiB, 22 * MiB], ["copy", 22 * MiB, 40 * MiB]]);
  // A change in the first 5 MiB: the first part is sent.
  const head = checkPlan(20 * MiB, { size: 20 * MiB, patches: [patch(MiB, 10)] });
  assert.deepEqual(head.parts, [["send", 0, 6 * MiB], ["copy", 6 * MiB, 20 * MiB]]);
  // A short unchanged tail is the last part: copied.
  const tail = checkPlan(20 * MiB, { size: 20 * MiB, patches: [patch(14 * MiB, 10)] });
  assert.deepEqual(tail.parts, [["copy", 0, 14 * MiB], ["send", 14 * MiB, 19 * MiB], ["copy", 19 * MiB, 20 * MiB]]);
});

Deno.test("planParts: random edits always give a valid plan", () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < 500; i++) {
    const oldSize = 10 * MiB + rand(60 * MiB);
    const size = rand(4) === 0 ? oldSize + rand(8 * MiB) : oldSize;
    const patches: { lo: number; data: Uint8Array }[] = [];
    let at = 0;
    for (let k = rand(5); k >= 0 && at < size; k--) {
      const lo = at + rand(Math.max(1, Math.floor((size - at) / 2)));
      const n = Math.min(size - lo, 1 + rand(2 * MiB));
      if (n <= 0) break;
      patches.push(patch(lo, n));
      at = lo + n + 1;
    }
    checkPlan(oldSize, { size, patches });
  }
});
