/**
 * Memory after failures. A store remembers no failed open, so every call on
 * a damaged file probes it again: whatever a failing probe or decode leaves
 * behind adds up for as long as the worker lives (found by
 * `hostile_media_test.ts`: +40 MiB per pass over its 164 failing cases,
 * because libav.js kept each probe's last block-reader buffer).
 *
 * The first test counts what is left on a libav.js instance on this thread
 * (device buffers, bytes malloc'd in the wasm heap), which is exact. The
 * second runs the same failing work through a store in a child process and
 * bounds its RSS growth, with a margin far above GC noise and far below what
 * the old leak added.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SeekframeError } from "../mod.ts";
import { Decoders } from "../src/decode/decoder.ts";
import { probeObject } from "../src/decode/demux.ts";
import { compileLibAV, type LibAV, loadLibAV } from "../src/decode/libav.ts";
import type { DecodeResult, PacketIn, ReadReplyMessage } from "../src/decode/protocol.ts";
import { FIXTURES, rng } from "./env.ts";
import { buildCase, parseCaseName } from "./mutate.ts";

/** Failing cases of the fuzzer's report, one per way a probe fails. */
const FAILING = [
  "ts.pusi_flip@h264_audio.ts#31048330", // TS scanned to the end, then refused (packets out of order)
  "ts.section_length@h264_offset.ts#3167232836", // no video stream
  "mkv.track_flip@vp9.webm#1846110826", // unsupported codec
  "any.truncate@h264.mkv#2744866677", // not a container
  "mp4.box_huge_size@h264_bframes_faststart.mp4#1312932217", // MP4 without a video stream
  "synth.random@#2777174231", // random bytes
];

/** Random bytes, seeded: no container; the demuxer probes a lot of them first. */
function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

async function inputs(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const out = await Promise.all(
    FAILING.map(async (name) => ({ name, bytes: (await buildCase(parseCaseName(name))).bytes })),
  );
  out.push({ name: "2 MiB of random bytes", bytes: randomBytes(2 << 20, 7) });
  return out;
}

/** The libav.js internals the first test reads. */
type Inspected = LibAV & { mallinfo_uordblks(): Promise<number>; blockReadBuffers?: Record<string, unknown> };

Deno.test("failed probes and decodes leave no buffer or allocation behind in libav.js", async () => {
  const av = await loadLibAV(await compileLibAV()) as Inspected;
  assert.ok(av.blockReadBuffers, "libav.js keeps block-reader buffers where demux.ts removes them");
  const failing = await inputs();
  const good = await Deno.readFile(join(FIXTURES, "h264.mkv"));
  let id = 0;
  /** Probes like a worker does, answering with up to 1 MiB as the store's readahead does; reads from `failAt` fail. */
  const probe = (key: string, bytes: Uint8Array, failAt = Infinity) => {
    const n = ++id;
    return probeObject(
      av,
      { op: "probe", id: n, key, size: bytes.byteLength },
      (pos, length) =>
        Promise.resolve<ReadReplyMessage>(
          pos >= failAt
            ? { op: "read-reply", id: n, pos, error: { name: "StorageError", message: "injected read failure" } }
            : {
              op: "read-reply",
              id: n,
              pos,
              data: bytes.slice(pos, Math.min(failAt, pos + Math.max(length, 1 << 20))),
            },
        ),
    );
  };

  // Decodes that fail: the keyframe's payload damaged, for each codec; more
  // sessions than a worker keeps, so the LRU is at its steady state too.
  const decoders = new Decoders(av);
  const jobs: { file: string; run: (session: string) => Promise<DecodeResult> }[] = [];
  for (const file of ["h264.mkv", "vp9.webm", "mpeg4.mp4"]) {
    const bytes = await Deno.readFile(join(FIXTURES, file));
    const p = await probe(file, bytes);
    const count = Math.min(12, p.packets.size.length);
    const packets: PacketIn[] = Array.from({ length: count }, (_, i) => {
      const data = bytes.slice(p.packets.offset[i], p.packets.offset[i] + p.packets.size[i]);
      if (i === 0) { for (let j = 8; j < data.byteLength; j += 3) data[j] ^= 0x5a; }
      return { data, pts: p.packets.pts[i], dts: p.packets.dts[i], flags: p.packets.flags[i] };
    });
    jobs.push({
      file,
      run: (session) =>
        decoders.run({
          id: ++id,
          op: "decode",
          session: `${file}/${session}`,
          codecpar: p.codecpar,
          timeBase: p.timeBase,
          start: true,
          from: 0,
          to: count - 1,
          // Copies: a job's buffers are its own.
          input: { kind: "packets", packets: packets.map((x) => ({ ...x, data: x.data.slice() })) },
          targets: [p.packets.pts[count - 1]],
          output: { pixels: "rgb24", width: 0, height: 0, rotation: 0 },
        }),
    });
  }

  /** A damaged decode throws a SeekframeError, or reports its damage and returns no frame. */
  const failed = async (run: Promise<DecodeResult>, what: string) => {
    const result = await run.catch((e) => {
      assert.ok(e instanceof SeekframeError, `${what}: ${e}`);
      return undefined;
    });
    if (result) {
      assert.ok(result.kind === "decoded" && result.damage, `${what}: neither an error nor damage reported`);
      assert.equal(result.frames.length, 0, `${what}: a frame decoded after damage was returned`);
    }
  };
  const inUse: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const { name, bytes } of failing) {
      await assert.rejects(probe(name, bytes), SeekframeError, name);
      assert.deepEqual(Object.keys(av.blockReadBuffers), [], `a device left behind by ${name}`);
    }
    // A read error half-way, and a good file: their devices go too.
    await assert.rejects(probe("read error", good, 32 << 10), SeekframeError);
    await probe("h264.mkv", good);
    assert.deepEqual(Object.keys(av.blockReadBuffers), []);
    for (const job of jobs) {
      for (let s = 0; s < 6; s++) await failed(job.run(`s${s}`), `damaged ${job.file}`);
    }
    inUse.push(await av.mallinfo_uordblks());
  }
  // Round 0 warms up (FFmpeg's one-time allocations); then the same work must end
  // with the same bytes in use (single-threaded wasm, same inputs: exact).
  assert.deepEqual(inUse.slice(1), inUse.slice(1).map(() => inUse[1]), `wasm heap in use per round: ${inUse}`);
});

/** Failing calls per round in the child, and rounds before the first measure. */
const CHILD_ROUNDS = 150;
const WARM_UP_ROUNDS = 30;
/**
 * Allowed RSS growth between the two measures. The old leak added 309 MiB
 * here (some 2 MiB per probe of the random file); without it, RSS moves with
 * the worker's garbage not yet collected (-24 to +44 MiB in six runs, three
 * of them side by side on 2 cores), which does not grow with the rounds.
 */
const RSS_GROWTH_MIB = 100;

Deno.test("a store doing the same failing work again does not grow", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-failmem-" });
  try {
    const keys: string[] = [];
    for (const { name, bytes } of await inputs()) {
      const key = `${keys.length}${name.startsWith("2 MiB") ? ".ts" : (await buildCase(parseCaseName(name))).ext}`;
      await Deno.writeFile(join(dir, key), bytes);
      keys.push(key);
    }
    // Opens (its index is fine) but every frame fails to decode; and one whose index the main thread refuses.
    for (
      const name of ["mp4.codec_config_flip@h264_fragmented.mp4#4096603689", "mkv.block_timecode@h264.mkv#1702018581"]
    ) {
      const c = await buildCase(parseCaseName(name));
      const key = `${keys.length}${c.ext}`;
      await Deno.writeFile(join(dir, key), c.bytes);
      keys.push(key);
    }
    const child = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--expose-gc,--no-wasm-lazy-compilation",
        fileURLToPath(import.meta.url),
        dir,
        ...keys,
      ],
      env: { SEEKFRAME_FAILMEM_CHILD: "1" },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert.equal(child.code, 0, "the child failed");
    const r = JSON.parse(new TextDecoder().decode(child.stdout).trim().split("\n").at(-1)!);
    const growth = (r.after - r.before) / 2 ** 20;
    assert.ok(r.failed > 0 && r.failed === r.calls, `every call fails (${r.failed} of ${r.calls})`);
    assert.ok(r.heapBefore > 0, "a worker that only failed reports its wasm heap");
    assert.equal(r.heapAfter, r.heapBefore, "the wasm heap does not grow");
    assert.ok(
      growth < RSS_GROWTH_MIB,
      `RSS ${(r.before / 2 ** 20).toFixed(0)} MiB after ${WARM_UP_ROUNDS} rounds, ` +
        `${(r.after / 2 ** 20).toFixed(0)} MiB after ${CHILD_ROUNDS} (+${growth.toFixed(0)} MiB)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The child: one store (as the fuzzer's), the same failing calls round after round. */
async function childMain(dir: string, keys: string[]): Promise<void> {
  const { openFrameStore } = await import("../mod.ts");
  const gc = (globalThis as { gc?: () => void }).gc!;
  const rss = async () => {
    gc();
    await new Promise((r) => setTimeout(r, 50));
    gc();
    return Number(/VmRSS:\s+(\d+)/.exec(await Deno.readTextFile("/proc/self/status"))![1]) * 1024;
  };
  // workerIdleMs: the worker must live through the rounds, or it takes what it kept with it.
  const store = await openFrameStore({
    dir,
    workers: 1,
    kvPath: false,
    cache: { maxBytes: 32 << 20 },
    workerIdleMs: 600_000,
  });
  let calls = 0, failed = 0, before = 0, heapBefore = 0;
  for (let round = 0; round < CHILD_ROUNDS; round++) {
    if (round === WARM_UP_ROUNDS) [before, heapBefore] = [await rss(), store.stats.workerHeapBytes[0]];
    for (const key of keys) {
      calls++;
      try {
        await store.info(key);
        await store.getFrame(key, 0);
      } catch (err) {
        if (!(err instanceof SeekframeError)) throw err;
        failed++;
      }
    }
  }
  const after = await rss();
  console.log(JSON.stringify({ calls, failed, before, after, heapBefore, heapAfter: store.stats.workerHeapBytes[0] }));
  await store.close();
}

if (Deno.env.get("SEEKFRAME_FAILMEM_CHILD") === "1") await childMain(Deno.args[0], Deno.args.slice(1));
