/**
 * Frame index figures (`deno task bench`), against a real MinIO:
 * - index build time and bytes read per container (60 s 720p H.264 + AAC);
 * - the first random frame of a process with a cold vs a KV-warm index;
 * - sequential reading (300 frames, one getFrame each) vs the raw decode rate
 *   of the same frames (one decoder job, packets in memory);
 * - random-frame latency with a known index and a cold cache;
 * - what verifying a whole video costs (`store.verify`).
 *
 * @module
 */

import { join } from "node:path";
import { newReadStats, openFrameStore } from "../mod.ts";
import { DecoderPool } from "../src/decode/pool.ts";
import type { PacketIn } from "../src/decode/protocol.ts";
import { findMoov } from "../src/container/mp4.ts";
import { FIXTURES, rng, s3Options } from "../test/env.ts";
import { benchSetup } from "./setup.ts";

await benchSetup({ long: true });
const s3 = s3Options({ prefix: "fixtures/" });
const kib = (n: number) => (n / 1024).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

// ---------------------------------------------------------------- index builds

console.log("\n| container | file | index source | build ms | GETs | KiB read | moov KiB | read ≤ moov + 64 KiB |");
console.log("|---|---|---|---|---|---|---|---|");
for (
  const [label, file] of [
    ["MP4, moov first", "long_720p.mp4"],
    ["MP4, moov at end", "long_720p_moov_end.mp4"],
    ["Matroska", "long_720p.mkv"],
    ["fragmented MP4", "long_720p_frag.mp4"],
    ["MPEG-TS", "long_720p.m2ts"],
  ]
) {
  const store = await openFrameStore({ s3, workers: 1, kvPath: false });
  const head = await Deno.open(join(FIXTURES, file)).then(async (f) => {
    const buf = new Uint8Array(65536);
    await f.read(buf);
    f.close();
    return buf;
  });
  const moov = findMoov(head, (await Deno.stat(join(FIXTURES, file))).size);
  const t0 = performance.now();
  try {
    const info = await store.info(file);
    const ms = performance.now() - t0;
    const { requests, bytesFetched } = store.stats.storage;
    const moovKiB = moov?.exact || moov?.length ? kib(moov.length) : "–";
    const within = moov && info.indexSource === "sample-table" ? String(bytesFetched <= moov.length + 65536) : "–";
    console.log(
      `| ${label} | ${file} | ${info.indexSource} | ${ms.toFixed(0)} | ${requests} | ${
        kib(bytesFetched)
      } | ${moovKiB} | ${within} |`,
    );
  } catch (err) {
    console.log(`| ${label} | ${file} | – | – | – | – | – | ${(err as Error).message.slice(0, 60)}… |`);
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------- cold vs KV-warm

const dir = await Deno.makeTempDir({ prefix: "seekframe-bench-kv-" });
console.log("\n| video | process | GETs | KiB | ms to first frame |");
console.log("|---|---|---|---|---|");
for (const file of ["long_720p.mp4", "long_720p_moov_end.mp4", "long_720p.mkv", "long_720p.m2ts"]) {
  const kvPath = join(dir, `${file}.kv`);
  for (const label of ["cold (builds the index)", "KV-warm (new store, same KV)"]) {
    const store = await openFrameStore({ s3, workers: 1, kvPath });
    const t0 = performance.now();
    await store.getFrame(file, 777);
    const ms = performance.now() - t0;
    const { requests, bytesFetched } = store.stats.storage;
    console.log(`| ${file} | ${label} | ${requests} | ${kib(bytesFetched)} | ${ms.toFixed(0)} |`);
    await store.close();
  }
}
await Deno.remove(dir, { recursive: true });

// ---------------------------------------------------------------- sequential vs raw decode

console.log(
  "\n| video | 300 frames from | sequential getFrame fps (RGB out) | raw decode fps (no RGB) | ratio | one-job decode + RGB fps |",
);
console.log("|---|---|---|---|---|---|");
for (const file of ["long_720p.mp4", "long_720p.mkv"]) {
  const store = await openFrameStore({ s3, workers: 1, kvPath: false });
  const info = await store.info(file);
  const count = Math.min(300, info.frameCount);
  const start = info.keyframes[Math.min(1, info.keyframes.length - 1)];
  const run = Array.from({ length: count }, (_, i) => (start + i) % info.frameCount);
  await store.getFrames(file, run); // warm the byte cache: this compares decoding, not I/O
  const t0 = performance.now();
  for (const n of run) await store.getFrame(file, n);
  const seqFps = count / ((performance.now() - t0) / 1000);
  await store.close();

  // Raw: the same packets in one decoder job from the keyframe, all in memory.
  const bytes = await Deno.readFile(join(FIXTURES, file));
  const pool = new DecoderPool({ workers: 1 });
  const probe = await pool.probe(file, bytes.byteLength, (pos, len) => Promise.resolve(bytes.slice(pos, pos + len)));
  const { packets } = probe;
  const order = Array.from(packets.pts.keys()).filter((i) => !(packets.flags[i] & 4))
    .sort((a, b) => packets.pts[a] - packets.pts[b]);
  const first = order[start], targets = run.map((n) => packets.pts[order[n]]);
  const last = Math.max(...run.map((n) => order[n]));
  const input: PacketIn[] = [];
  for (let i = first; i <= last; i++) {
    input.push({
      data: bytes.slice(packets.offset[i], packets.offset[i] + packets.size[i]),
      pts: packets.pts[i],
      dts: packets.dts[i],
      flags: packets.flags[i],
    });
  }
  const output = { pixels: "rgb24", width: 0, height: 0, rotation: 0 } as const;
  const job = (packets: PacketIn[], targets: number[]) =>
    pool.decode({
      session: file,
      codecpar: probe.codecpar,
      timeBase: probe.timeBase,
      start: true,
      from: first,
      to: first + packets.length - 1,
      input: { kind: "packets", packets },
      targets,
      output,
    }).then((r) => {
      if (r.kind !== "decoded") throw new Error("a fresh session was lost");
      return r;
    });
  await job(input.slice(0, 1), []); // warm-up
  // Decoding only: no frame is converted or returned (the decoder's ceiling).
  const t1 = performance.now();
  const decodeOnly = await job(input, []);
  const rawFps = decodeOnly.decoded / ((performance.now() - t1) / 1000);
  // Decoding plus RGB conversion of all 300 frames in one job (they are all held until it ends).
  const t2 = performance.now();
  const all = await job(input, targets);
  const rgbFps = all.frames.length / ((performance.now() - t2) / 1000);
  await pool.close();
  console.log(
    `| ${file} | frame ${start} | ${seqFps.toFixed(1)} | ${rawFps.toFixed(1)} | ${(seqFps / rawFps).toFixed(2)} | ${
      rgbFps.toFixed(1)
    } |`,
  );
}

// ---------------------------------------------------------------- random latency

console.log("\n| video | random frame, index known, cache cold: median ms | p90 ms | median GETs |");
console.log("|---|---|---|---|");
for (const file of ["long_720p.mp4", "hevc.mp4", "vp9.webm"]) {
  const store = await openFrameStore({ s3, workers: 1, kvPath: false });
  const info = await store.info(file);
  const random = rng(5);
  const ms: number[] = [], gets: number[] = [];
  for (let i = 0; i < 15; i++) {
    store.clearCache();
    const stats = newReadStats();
    const t0 = performance.now();
    await store.getFrame(file, Math.floor(random() * info.frameCount), { stats });
    ms.push(performance.now() - t0);
    gets.push(stats.requests);
  }
  console.log(`| ${file} | ${median(ms).toFixed(0)} | ${p90(ms).toFixed(0)} | ${median(gets)} |`);
  await store.close();
}

// ---------------------------------------------------------------- verification

console.log(
  "\n| video | verify (whole video, default workers, cache cold): ms | ms/frame | pictures decoded ÷ frames | GETs | MiB read | again ms |",
);
console.log("|---|---|---|---|---|---|---|");
for (const file of ["long_720p.mp4", "long_720p.mkv", "long_720p.m2ts"]) {
  const store = await openFrameStore({ s3, kvPath: false });
  await store.info(file);
  store.clearCache(); // a scan read the whole file through it
  const stats = newReadStats();
  const t0 = performance.now();
  const report = await store.verify(file, { stats });
  const ms = performance.now() - t0;
  const t1 = performance.now();
  await store.verify(file);
  const again = performance.now() - t1;
  if (report.servedFrames !== report.frameCount) throw new Error(`${file}: verify refused ${report.reason}`);
  console.log(
    `| ${file} | ${ms.toFixed(0)} | ${(ms / report.frameCount).toFixed(2)} | ${
      (report.decodedPictures / report.frameCount).toFixed(3)
    } | ${stats.requests} | ${(stats.bytesFetched / 2 ** 20).toFixed(1)} | ${again.toFixed(1)} |`,
  );
  await store.close();
}

Deno.bench("noop (figures above)", () => {});
