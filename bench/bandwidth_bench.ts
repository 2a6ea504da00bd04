/**
 * Bandwidth profile (`deno task bench`): bytes and GETs per frame against a
 * real MinIO, per access pattern, as a ratio to the least any reader must
 * fetch ("LB": the video packets from the keyframe before a frame up to it, in
 * decode order), and time per frame with 20 ms added to every request by a
 * proxy. Prints a markdown table.
 *
 * `SEEKFRAME_BENCH_FRAMES` sets the random frames per video (default 12).
 *
 * @module
 */

import { type FrameStore, newReadStats, openFrameStore, type ReadStats } from "../mod.ts";
import { rng, s3Options } from "../test/env.ts";
import { startProxy } from "../test/proxy.ts";
import { benchSetup } from "./setup.ts";

await benchSetup({ long: true });

const VIDEOS = [
  "h264_bframes_faststart.mp4",
  "h264_audio_moov_end.mp4",
  "hevc.mp4",
  "vp9.webm",
  "av1.mp4",
  "long_720p.mp4",
  "long_720p_moov_end.mp4",
  "long_720p.mkv",
  "long_720p.m2ts",
];
const FRAMES = Number(Deno.env.get("SEEKFRAME_BENCH_FRAMES") ?? 12);
const LATENCY_MS = 20;
const s3 = s3Options({ prefix: "fixtures/" });
const proxy = await startProxy(s3.endpoint!, { latencyMs: LATENCY_MS });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lowerBound = async (store: FrameStore, key: string, frames: number[]) =>
  (await store.plan(key, frames)).runs.reduce((n, r) => n + r.packetBytes, 0);

interface Row {
  video: string;
  size: number;
  pattern: string;
  getsPerFrame: number;
  bytesPerFrame: number;
  ratio: number;
  naiveRatio: number;
  msPerFrame?: number;
}

async function profile(video: string): Promise<Row[]> {
  const rows: Row[] = [];
  const store = await openFrameStore({ s3, workers: 1, kvPath: false });
  const info = await store.info(video);
  const random = rng(video.length);
  const picks = Array.from({ length: FRAMES }, () => Math.floor(random() * info.frameCount));
  const row = (pattern: string, gets: number, bytes: number, lb: number, frames: number, ms?: number) =>
    rows.push({
      video,
      size: info.size,
      pattern,
      getsPerFrame: gets / frames,
      bytesPerFrame: bytes / frames,
      ratio: bytes / lb,
      naiveRatio: (info.size * frames) / lb,
      msPerFrame: ms,
    });

  // Random frames, index known, cache cold before each frame.
  const gets: number[] = [], ratios: number[] = [], bytes: number[] = [], lbs: number[] = [];
  for (const n of picks) {
    store.clearCache();
    const stats = newReadStats();
    await store.getFrame(video, n, { stats });
    const lb = await lowerBound(store, video, [n]);
    gets.push(stats.requests);
    bytes.push(stats.bytesFetched);
    ratios.push(stats.bytesFetched / lb);
    lbs.push(lb);
  }
  rows.push({
    video,
    size: info.size,
    pattern: "random, cold (median)",
    getsPerFrame: median(gets),
    bytesPerFrame: median(bytes),
    ratio: median(ratios),
    naiveRatio: median(lbs.map((lb) => info.size / lb)),
  });

  // The same frames again: their blocks are cached.
  const warm = newReadStats();
  for (const n of picks) await store.getFrame(video, n);
  for (const n of picks) await store.getFrame(video, n, { stats: warm });
  row("random, warm", warm.requests, warm.bytesFetched, lbs.reduce((a, b) => a + b, 0), picks.length);

  // 100 consecutive frames from a random start, cache cold: one getFrame each, then one getFrames.
  const start = Math.floor(random() * Math.max(1, info.frameCount - 100));
  const run = Array.from({ length: Math.min(100, info.frameCount) }, (_, i) => start + i);
  const runLB = await lowerBound(store, video, run);
  const sequential: [string, (stats: ReadStats) => Promise<unknown>][] = [
    ["getFrame each", async (stats) => {
      for (const n of run) await store.getFrame(video, n, { stats });
    }],
    ["one getFrames", (stats) => store.getFrames(video, run, { stats })],
  ];
  for (const [how, read] of sequential) {
    store.clearCache();
    const stats = newReadStats();
    const t0 = performance.now();
    await read(stats);
    const ms = (performance.now() - t0) / run.length;
    row(`sequential 100, ${how} (ms: no added latency)`, stats.requests, stats.bytesFetched, runLB, run.length, ms);
  }
  await store.close();

  // First frame of a never-opened video (open + index + frame), direct and with latency.
  for (const [label, endpoint] of [["first frame, new store", s3.endpoint!], ["", proxy.endpoint]] as const) {
    const fresh = await openFrameStore({ s3: { ...s3, endpoint }, workers: 1, kvPath: false });
    const stats = newReadStats();
    const t0 = performance.now();
    await fresh.getFrame(video, picks[0], { stats });
    const ms = performance.now() - t0;
    const lb = await lowerBound(fresh, video, [picks[0]]);
    const total = fresh.stats.storage;
    if (label) row(label, total.requests, total.bytesFetched, lb, 1);
    else rows[rows.length - 1].msPerFrame = ms;
    await fresh.close();
  }

  // Time per random frame with the proxy's latency, index known, cold cache.
  const slow = await openFrameStore({ s3: { ...s3, endpoint: proxy.endpoint }, workers: 1, kvPath: false });
  await slow.info(video);
  const t1 = performance.now();
  for (const n of picks.slice(0, 10)) {
    slow.clearCache();
    await slow.getFrame(video, n);
  }
  rows[0].msPerFrame = (performance.now() - t1) / Math.min(10, picks.length);
  await slow.close();
  return rows;
}

const all: Row[] = [];
for (const video of VIDEOS) all.push(...await profile(video));
await proxy.close();

const kib = (n: number) => (n / 1024).toFixed(1);
console.log(
  `\nBandwidth profile: ${FRAMES} random frames per video. ms/frame: with ${LATENCY_MS} ms added per request ` +
    "(random cold: index known; first frame: open + index + frame), except where marked.\n",
);
console.log("| video | size MiB | pattern | GETs/frame | KiB/frame | bytes/LB | naive bytes/LB | ms/frame |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of all) {
  console.log(
    `| ${r.video} | ${(r.size / 1048576).toFixed(2)} | ${r.pattern} | ${r.getsPerFrame.toFixed(2)} | ${
      kib(r.bytesPerFrame)
    } | ${r.ratio.toFixed(3)} | ${r.naiveRatio.toFixed(1)} | ${
      r.msPerFrame === undefined ? "" : r.msPerFrame.toFixed(0)
    } |`,
  );
}

Deno.bench("noop (figures above)", () => {});
