/**
 * The decoder pool's queue: a worker runs the queued job with the earliest
 * deadline (queued at + expected run time), so a short job passes long ones
 * queued just before it.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DecoderPool } from "../src/decode/pool.ts";
import type { PacketIn } from "../src/decode/protocol.ts";
import { FIXTURES } from "./env.ts";

Deno.test("a worker runs a short job before a long one queued just before it", async () => {
  const file = "hevc.mp4";
  const bytes = await Deno.readFile(join(FIXTURES, file));
  const pool = new DecoderPool({ workers: 1 });
  try {
    const probe = await pool.probe(file, bytes.byteLength, (pos, n) => Promise.resolve(bytes.slice(pos, pos + n)));
    const { packets } = probe;
    const input = (count: number): PacketIn[] =>
      Array.from({ length: count }, (_, i) => ({
        data: bytes.slice(packets.offset[i], packets.offset[i] + packets.size[i]),
        pts: packets.pts[i],
        dts: packets.dts[i],
        flags: packets.flags[i],
      }));
    const job = (stream: string, count: number, signal?: AbortSignal) =>
      pool.decode(
        {
          session: stream,
          codecpar: probe.codecpar,
          timeBase: probe.timeBase,
          start: true,
          from: 0,
          to: count - 1,
          input: { kind: "packets", packets: input(count) },
          targets: [packets.pts[0]],
          output: { pixels: "rgb24", width: 0, height: 0, rotation: 0 },
        },
        [],
        signal,
      );
    const finished: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => finished.push(name));
    // The worker is busy with the first long job; a second long one and then
    // a one-packet job queue behind it.
    await Promise.all([
      track("long 1", job("a", packets.size.length)),
      track("long 2", job("b", packets.size.length)),
      track("short", job("c", 1)),
    ]);
    assert.deepEqual(finished, ["long 1", "short", "long 2"]);
    // Thousands of jobs whose callers gave up while they waited (or that a close
    // finds queued) settle one after another, not through one deep call chain.
    const gone = AbortSignal.abort();
    const queued = [job("d", packets.size.length)];
    for (let i = 0; i < 20_000; i++) queued.push(job("gone", 1, gone));
    const settled = await Promise.allSettled(queued);
    assert.equal(settled[0].status, "fulfilled");
    assert.equal(settled.filter((r) => r.status === "rejected").length, 20_000);
    const closing = Promise.allSettled(Array.from({ length: 20_000 }, () => job("e", 1)));
    await pool.close();
    const closed = await closing;
    assert.ok(closed.every((r) => r.status === "rejected"), "every queued job fails once the pool closes");
  } finally {
    await pool.close();
  }
});

Deno.test("a worker whose wasm memory passes the bound is replaced between jobs, and the next job runs", async () => {
  const file = "hevc.mp4";
  const bytes = await Deno.readFile(join(FIXTURES, file));
  const read = (pos: number, n: number) => Promise.resolve(bytes.slice(pos, pos + n));
  const pool = new DecoderPool({ workers: 1, maxHeapBytes: 1 << 20 }); // any real heap is larger
  try {
    const first = await pool.probe(file, bytes.byteLength, read);
    assert.equal(pool.recycled, 1, "replaced after its first job");
    const second = await pool.probe(file, bytes.byteLength, read);
    assert.equal(pool.recycled, 2);
    assert.deepEqual(second.packets.pts, first.packets.pts, "the new worker does the same work");
  } finally {
    await pool.close();
  }
  const roomy = new DecoderPool({ workers: 1 });
  try {
    await roomy.probe(file, bytes.byteLength, read);
    assert.equal(roomy.recycled, 0);
    assert.ok(roomy.heapBytes[0] > 1 << 20, `reports its heap (${roomy.heapBytes[0]} bytes)`);
  } finally {
    await roomy.close();
  }
});
