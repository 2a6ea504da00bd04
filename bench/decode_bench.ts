/**
 * Decode targets against native ffmpeg, side by side in one run
 * (`deno bench -A --unstable-kv --v8-flags=--no-wasm-lazy-compilation bench/decode_bench.ts`, or `deno task bench`),
 * on `long_720p.mp4` (60 s, 1280×720, 25 fps, GOP 250, x264 B-pyramid, AAC) in a real MinIO, with ffmpeg (Debian's
 * native build) reading the same file from the local folder. Prints one markdown table per part, then a
 * "target / measured / met?" table. Nothing is asserted about time; a frame ffmpeg and seekframe disagree on fails
 * the file after the tables are printed (the comparison would then be meaningless).
 *
 * - (a) Sequential: frames 0..N-1 (`SEEKFRAME_SEQ_FRAMES`, default 240; all in the first GOP, so both decode exactly
 *   the same packets) with one `getFrame` each, in order, on one store with the default workers (every core), cache
 *   cold, no added latency; against one `ffmpeg -threads 1 -i file -frames:v N` process (wall clock, process start
 *   included). RGB24 is the target row; `pixelFormat: "native"` against ffmpeg to yuv420p, seekframe with the bytes
 *   already cached and ffmpeg with its default threads are for information. `SEEKFRAME_SEQ_ROUNDS` (default 3)
 *   interleaved rounds; each figure is the median of its rounds. CPU ms are user + system time of this process (the
 *   decoder Workers are its threads) or of the ffmpeg child.
 * - (b) Random access: `SEEKFRAME_BENCH_FRAMES` (default 12) seeded random frames spread over the GOPs (consecutive
 *   frames never share one; the video has only 6 GOPs, so 12 frames put 2 in each), 20 ms added to every storage
 *   request by `test/proxy.ts`. One long-lived store (default workers) that built the index first; before each frame
 *   its block cache is dropped (`clearCache()`: indexes, Workers and decoder state stay, as in a long-running
 *   service). Against `ffmpeg -threads 1 -ss <t> -i localfile -frames:v 1` (accurate seek, rgb24) and the same with
 *   ffmpeg's default threads. That ffmpeg gives the same frame is proven byte for byte: seekframe's `"native"`
 *   frame against ffmpeg's `-pix_fmt yuv420p` output at the same `-ss`; the RGB difference is shown as max level
 *   difference and PSNR.
 * - (c) On the same frames and runs: pictures decoded (the store's `decodedFrames`, and `skippedPackets`) against
 *   the packets from the keyframe to the target (`store.plan`).
 * - (d) Bytes fetched / LB (LB: the frame's packets from its keyframe, `ReadStats.lowerBoundBytes`) on the same
 *   frames, default range policy and `ranges: "bytes-first"`, each in two passes: pass 1 on a KV index without
 *   packet flags (MP4 sample tables do not say which pictures are disposable; they are learned from the bytes as
 *   they pass and persisted when the store closes), pass 2 on a new store whose KV index has them.
 * - (e) A new store's first frame from a warm KV index (`SEEKFRAME_FIRST_SAMPLES`, default 5): `openFrameStore` +
 *   `getFrame`, and its decode part: the same frame again on that store from cached bytes, decoder restarted at its
 *   keyframe (the faster of two). The KV index is one an earlier store built through the same endpoint (an index's
 *   location names the endpoint). Also through the 20 ms proxy, in a new Deno process (which compiles the wasm
 *   itself), and what starting a decoder Worker alone costs. Then a load: 16 clients in a closed loop for
 *   `SEEKFRAME_LOAD_SECONDS` (default 30) asking a real `seekframe serve` process (`SEEKFRAME_CACHE_BYTES` = 64 MiB,
 *   a worker per core, KV off) for random frames (`format=rgb`) of 4 videos: frames/s, p50/p99, peak VmRSS (sampled
 *   every 200 ms), and the CPU the sidecar got (on a shared machine, less than its cores).
 *
 * Starts its own MinIO unless `S3_ENDPOINT` answers. Machine load is printed at the start and end (`/proc/loadavg`).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Frame,
  type FrameStore,
  type FrameStoreOptions,
  newReadStats,
  openFrameStore,
  type VideoInfo,
} from "../mod.ts";
import { FIXTURES, rng, s3Options, sidecarS3Env } from "../test/env.ts";
import { cpuSecondsOf, memoryOf, mib, parseMetrics, percentile, pidListeningOn } from "../test/proc.ts";
import { startProxy } from "../test/proxy.ts";
import { psnr } from "../test/reference.ts";
import { startSidecar } from "../test/sidecar.ts";
import { benchSetup } from "./setup.ts";

/** A positive integer from the environment, or `fallback`. */
function knob(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  const n = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

const RANDOM_FRAMES = knob("SEEKFRAME_BENCH_FRAMES", 12);
const SEQ_FRAMES = knob("SEEKFRAME_SEQ_FRAMES", 240);
const SEQ_ROUNDS = knob("SEEKFRAME_SEQ_ROUNDS", 3);
const FIRST_SAMPLES = knob("SEEKFRAME_FIRST_SAMPLES", 5);
const LOAD_SECONDS = knob("SEEKFRAME_LOAD_SECONDS", 30);
const LATENCY_MS = 20;
const CLIENTS = 16;
const LOAD_CACHE_BYTES = 64 << 20;
const LOAD_VIDEOS = ["h264_bframes_faststart.mp4", "hevc.mp4", "vp9.webm", "long_720p.mp4"];
const KEY = "long_720p.mp4";
const LOCAL = join(FIXTURES, KEY);
/** Targets from the issue. */
const TARGET = {
  seqRatio: 0.7,
  randomPeerMs: 701,
  decodedRatio: 0.65,
  lbDefault: 1.05,
  lbBytesFirst: 0.75,
  firstOverheadMs: 100,
  rssBytes: 300e6,
  fps: 2 * 10.3,
};

const loadAtStart = (await Deno.readTextFile("/proc/loadavg")).trim();
const wallStart = performance.now();
await benchSetup({ long: true });
const s3 = s3Options({ prefix: "fixtures/" });
const proxy = await startProxy(s3.endpoint!, { latencyMs: LATENCY_MS });
const slowS3 = { ...s3, endpoint: proxy.endpoint };
const tmp = await Deno.makeTempDir({ prefix: "seekframe-decode-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));
/** Failures of a frame comparison, reported after the tables. */
const mismatches: string[] = [];

// ---------------------------------------------------------------- helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "n/a");
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");
const kib = (n: number) => (n / 1024).toFixed(1);
const yes = (ok: boolean) => (ok ? "yes" : "**no**");

function table(title: string, head: string[], rows: (string | number)[][]): void {
  console.log(`\n${title}\n`);
  console.log(`| ${head.join(" | ")} |`);
  console.log(`|${head.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

/** CPU seconds (user + system) of this process, all threads (the decoder Workers too), and of its waited-for children. */
async function cpuTimes(): Promise<{ self: number; children: number }> {
  const stat = await Deno.readTextFile("/proc/self/stat");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command, utime/stime are fields 11/12 and cutime/cstime 13/14, in clock ticks of 1/100 s.
  return { self: (Number(f[11]) + Number(f[12])) / 100, children: (Number(f[13]) + Number(f[14])) / 100 };
}

interface FfmpegRun {
  /** Wall clock of the process, spawn to exit. */
  ms: number;
  /** Its user + system time. */
  cpuMs: number;
  /** Frames it says it wrote. */
  frames: number;
  /** What it wrote, when kept. */
  data?: Uint8Array;
}

/** Runs ffmpeg writing to its stdout (kept, or to /dev/null). */
async function ffmpeg(args: string[], keep = false): Promise<FfmpegRun> {
  const before = await cpuTimes();
  const t0 = performance.now();
  const out = await new Deno.Command("ffmpeg", {
    args: ["-hide_banner", "-nostdin", "-v", "error", "-stats", ...args, "pipe:1"],
    stdout: keep ? "piped" : "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  const after = await cpuTimes();
  const log = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`ffmpeg ${args.join(" ")} failed: ${log.slice(-500)}`);
  const frames = [...log.matchAll(/frame=\s*(\d+)/g)].pop();
  return {
    ms,
    cpuMs: (after.children - before.children) * 1000,
    frames: frames ? Number(frames[1]) : NaN,
    data: keep ? out.stdout : undefined,
  };
}

/** The largest difference of one byte between two images, and their PSNR. */
function difference(a: Uint8Array, b: Uint8Array): { max: number; psnr: number } {
  if (a.byteLength !== b.byteLength) return { max: NaN, psnr: NaN };
  let max = 0;
  for (let i = 0; i < a.byteLength; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return { max, psnr: psnr(a, b) };
}

const equal = (a: Uint8Array, b?: Uint8Array) =>
  b !== undefined && a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);

/** The keyframe (presentation order) that frame `n` decodes from: this video's GOPs are closed. */
const gopOf = (info: VideoInfo, n: number) => info.keyframes.findLast((k) => k <= n) ?? 0;

/**
 * `count` seeded random frames spread over the GOPs: frame i lies in GOP `order[i % GOPs]` (a seeded shuffle), so
 * no two consecutive frames share a GOP (each starts its own decoder run), and with enough GOPs each has its own.
 */
function pickFrames(info: VideoInfo, count: number, seed: number): number[] {
  const random = rng(seed);
  const kf = info.keyframes;
  const order = kf.map((_, g) => g);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picks: number[] = [];
  for (let i = 0; i < count; i++) {
    const g = order[i % order.length];
    const start = kf[g], end = g + 1 < kf.length ? kf[g + 1] : info.frameCount;
    let n = start + Math.floor(random() * (end - start));
    while (picks.includes(n) && end - start > 1) n = start + Math.floor(random() * (end - start));
    picks.push(n);
  }
  return picks;
}

/**
 * Starts every decoder Worker of a store (the keyframes of two GOPs, a batch decoded side by side) and loads the
 * index, untimed. The GOPs are the last two other than `avoid`'s: a first frame in the GOP the store read last would
 * look like sequential reading (and start a read-ahead).
 */
async function warmWorkers(store: FrameStore, info: VideoInfo, avoid: number): Promise<void> {
  const keyframes = info.keyframes.filter((k) => k !== gopOf(info, avoid)).slice(-2);
  await store.getFrames(KEY, keyframes);
}

/** `-ss` for frame `f`: its time from the file's start, floored to the microsecond ffmpeg parses it to. */
const seekArg = (f: Frame, info: VideoInfo) => (Math.floor((f.time - info.startTime) * 1e6 + 1e-3) / 1e6).toFixed(6);

// ---------------------------------------------------------------- the video

const kvSeq = join(tmp, "sequential.kv");
const info = await (async () => {
  const store = await openFrameStore({ s3, kvPath: kvSeq });
  try {
    const info = await store.info(KEY);
    // The decoder's own pixel format is known once a frame was decoded.
    const f = await store.getFrame(KEY, 0, { pixelFormat: "native" });
    return { ...info, pixelFormat: f.pixelFormat };
  } finally {
    await store.close();
  }
})();
const cores = navigator.hardwareConcurrency;
console.log(
  `\n${KEY}: ${info.width}×${info.height} ${info.codec} ${info.pixelFormat}, ${info.frameCount} frames, ` +
    `${info.fps} fps, ${info.keyframes.length} GOPs (keyframes ${info.keyframes.join(", ")}), ` +
    `${(info.size / 1048576).toFixed(2)} MiB. ${cores} cores; load average at start: ${loadAtStart}`,
);

// ffmpeg's process start, file open and one keyframe decode: part of every ffmpeg wall time below.
const ffStart: number[] = [];
for (let i = 0; i < 3; i++) {
  ffStart.push(
    (await ffmpeg([
      "-threads",
      "1",
      "-i",
      LOCAL,
      "-map",
      "0:v:0",
      "-frames:v",
      "1",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
    ]))
      .ms,
  );
}

// ---------------------------------------------------------------- (a) sequential

interface SeqRun {
  ms: number;
  cpuMs: number;
  frames: number;
  gets?: number;
  bytes?: number;
  decoded?: number;
  last?: Frame;
}

const SEQ = Array.from({ length: Math.min(SEQ_FRAMES, info.frameCount) }, (_, i) => i);
const seqArgs = (threads: string[], pixFmt: string) => [
  ...threads,
  "-i",
  LOCAL,
  "-map",
  "0:v:0",
  "-frames:v",
  String(SEQ.length),
  "-fps_mode",
  "passthrough",
  "-f",
  "rawvideo",
  "-pix_fmt",
  pixFmt,
];

/** One sequential pass on a new store (index from KV, Workers started), cache cold or the run's bytes cached. */
async function seekframeSequential(pixelFormat: "rgb24" | "native", bytesCached: boolean): Promise<SeqRun> {
  const store = await openFrameStore({ s3, kvPath: kvSeq });
  try {
    await warmWorkers(store, info, SEQ[0]);
    // Bytes cached: the one job to the run's last frame fetches them all (decoding only what it needs).
    if (bytesCached) await store.getFrame(KEY, SEQ[SEQ.length - 1]);
    // Storage requests of the store, not of the calls: the bytes a reader's requests fetch ahead count too.
    const storage0 = { ...store.stats.storage };
    const decoded0 = store.stats.decodedFrames;
    const cpu0 = await cpuTimes();
    const t0 = performance.now();
    let frame: Frame | undefined;
    for (const n of SEQ) {
      frame = await store.getFrame(KEY, n, { pixelFormat });
      if (frame.index !== n) throw new Error(`asked frame ${n}, got ${frame.index}`);
    }
    const ms = performance.now() - t0;
    const cpu1 = await cpuTimes();
    return {
      ms,
      cpuMs: (cpu1.self - cpu0.self) * 1000,
      frames: SEQ.length,
      gets: store.stats.storage.requests - storage0.requests,
      bytes: store.stats.storage.bytesFetched - storage0.bytesFetched,
      decoded: store.stats.decodedFrames - decoded0,
      last: frame,
    };
  } finally {
    await store.close();
  }
}

const SEQ_VARIANTS: { label: string; run: () => Promise<SeqRun> }[] = [
  { label: "ffmpeg -threads 1 → rgb24", run: () => ffmpeg(seqArgs(["-threads", "1"], "rgb24")) },
  { label: "seekframe getFrame each → rgb24, cache cold (S3)", run: () => seekframeSequential("rgb24", false) },
  {
    label: `ffmpeg -threads 1 → ${info.pixelFormat} (native)`,
    run: () => ffmpeg(seqArgs(["-threads", "1"], info.pixelFormat!)),
  },
  {
    label: 'seekframe getFrame each → pixelFormat "native", cache cold',
    run: () => seekframeSequential("native", false),
  },
  { label: "ffmpeg default threads → rgb24", run: () => ffmpeg(seqArgs([], "rgb24")) },
  { label: "seekframe getFrame each → rgb24, bytes already cached", run: () => seekframeSequential("rgb24", true) },
];
const seqRuns = new Map<string, SeqRun[]>(SEQ_VARIANTS.map((v) => [v.label, []]));
for (let round = 0; round < SEQ_ROUNDS; round++) {
  for (const v of SEQ_VARIANTS) seqRuns.get(v.label)!.push(await v.run());
}
const seqMs = (label: string) => median(seqRuns.get(label)!.map((r) => r.ms)) / SEQ.length;
const [FF1_RGB, SF_RGB, FF1_NATIVE, SF_NATIVE, FF_RGB, SF_RGB_CACHED] = SEQ_VARIANTS.map((v) => v.label);
for (const [label, runs] of seqRuns) {
  const bad = runs.find((r) => r.frames !== SEQ.length);
  if (bad) mismatches.push(`(a) ${label}: ${bad.frames} frames instead of ${SEQ.length}`);
}
// The last frame of the native pass is ffmpeg's frame N-1, byte for byte.
{
  const lastN = SEQ[SEQ.length - 1];
  const ref = await ffmpeg([
    "-i",
    LOCAL,
    "-map",
    "0:v:0",
    "-vf",
    `select=eq(n\\,${lastN})`,
    "-frames:v",
    "1",
    "-f",
    "rawvideo",
    "-pix_fmt",
    info.pixelFormat!,
  ], true);
  const got = seqRuns.get(SF_NATIVE)![0].last!;
  if (!equal(got.data, ref.data)) mismatches.push(`(a) native frame ${lastN} differs from ffmpeg's`);
}
table(
  `(a) Sequential: frames ${SEQ[0]}..${SEQ[SEQ.length - 1]} of ${KEY}, in order; median of ${SEQ_ROUNDS} ` +
    `interleaved rounds. seekframe: one store per pass, default workers (${cores}), index from KV, Workers started ` +
    `before timing, bytes from MinIO on loopback (no added latency). ffmpeg: wall clock of one process reading the ` +
    `local file (its start-up + one keyframe decode alone: ${f0(median(ffStart))} ms). ratio = ffmpeg ms/frame ÷ ` +
    `seekframe ms/frame against the ffmpeg -threads 1 row of the same pixel format (throughput ratio).`,
  [
    "run",
    "ms/frame (wall)",
    "frames/s",
    "CPU ms/frame",
    "ratio vs ffmpeg -threads 1",
    "GETs",
    "KiB fetched",
    "pictures decoded (incl. read-ahead)",
    "wall ms per round",
  ],
  SEQ_VARIANTS.map(({ label }) => {
    const runs = seqRuns.get(label)!;
    const ms = seqMs(label);
    const against = label.startsWith("seekframe")
      ? f2(seqMs(label.includes("native") ? FF1_NATIVE : FF1_RGB) / ms)
      : label === FF_RGB
      ? f2(seqMs(FF1_RGB) / ms)
      : "1.00";
    const r0 = runs[runs.length - 1];
    return [
      label,
      f2(ms),
      f1(1000 / ms),
      f2(median(runs.map((r) => r.cpuMs)) / SEQ.length),
      against,
      r0.gets ?? "–",
      r0.bytes === undefined ? "–" : kib(r0.bytes),
      r0.decoded ?? "–",
      runs.map((r) => f0(r.ms)).join(", "),
    ];
  }),
);
const seqRatio = seqMs(FF1_RGB) / seqMs(SF_RGB);

// ---------------------------------------------------------------- (b), (c), (d)

const kvDefault = join(tmp, "default.kv");
const kvBytesFirst = join(tmp, "bytes-first.kv");

interface RandomRun {
  n: number;
  ms: number;
  gets: number;
  bytes: number;
  lb: number;
  packets: number;
  decoded: number;
  skipped: number;
  frame: Frame;
}

/**
 * Random frames through the proxy on one long-lived store, its block cache dropped before each frame. The index
 * comes from `kvPath` with what earlier stores learned, or is built (and stored there) by `info` first when that KV
 * is new. `between` runs after each frame, untimed (the ffmpeg runs of the same frame).
 */
async function randomPass(
  options: Pick<FrameStoreOptions, "ranges"> & { kvPath: string },
  picks: number[],
  pixelFormat: "rgb24" | "native",
  between?: (run: RandomRun) => Promise<void>,
): Promise<RandomRun[]> {
  // Workers kept through the untimed ffmpeg runs between frames, as a long-running service (the sidecar) keeps them.
  const store = await openFrameStore({ s3: slowS3, workerIdleMs: 300_000, ...options });
  const runs: RandomRun[] = [];
  try {
    await store.info(KEY);
    await warmWorkers(store, info, picks[0]);
    for (const n of picks) {
      store.clearCache();
      const stats = newReadStats();
      const { decodedFrames, skippedPackets } = store.stats;
      const t0 = performance.now();
      const frame = await store.getFrame(KEY, n, { stats, pixelFormat });
      const ms = performance.now() - t0;
      const after = store.stats;
      const plan = await store.plan(KEY, [n]);
      const run: RandomRun = {
        n,
        ms,
        gets: stats.requests,
        bytes: stats.bytesFetched,
        lb: stats.lowerBoundBytes ?? NaN,
        packets: plan.runs[0].packets,
        decoded: after.decodedFrames - decodedFrames,
        skipped: after.skippedPackets - skippedPackets,
        frame,
      };
      if (run.lb !== plan.runs[0].packetBytes) {
        mismatches.push(`LB of frame ${n}: stats ${run.lb}, plan ${plan.runs[0].packetBytes}`);
      }
      runs.push(run);
      await between?.(run);
    }
  } finally {
    // Closing writes what was learned about the packets to the KV index.
    await store.close();
  }
  return runs;
}

const picks = pickFrames(info, RANDOM_FRAMES, 2024);
interface FfmpegFrame {
  t1: FfmpegRun;
  tDefault: FfmpegRun;
  native: FfmpegRun;
}
const ffRandom = new Map<number, FfmpegFrame>();
const seekArgs = (threads: string[], ss: string, pixFmt: string) => [
  ...threads,
  "-ss",
  ss,
  "-i",
  LOCAL,
  "-map",
  "0:v:0",
  "-frames:v",
  "1",
  "-f",
  "rawvideo",
  "-pix_fmt",
  pixFmt,
];
// Pass 1, default policy: the (b) and (c) figures; ffmpeg runs after each frame so both see the same machine state.
const default1 = await randomPass({ kvPath: kvDefault }, picks, "rgb24", async ({ n, frame }) => {
  const ss = seekArg(frame, info);
  ffRandom.set(n, {
    t1: await ffmpeg(seekArgs(["-threads", "1"], ss, "rgb24"), true),
    tDefault: await ffmpeg(seekArgs([], ss, "rgb24"), true),
    native: await ffmpeg(seekArgs(["-threads", "1"], ss, info.pixelFormat!), true),
  });
});
// Pass 2 in native pixels: the byte-for-byte proof that ffmpeg's -ss frame is seekframe's.
const default2 = await randomPass({ kvPath: kvDefault }, picks, "native");
const bytesFirst1 = await randomPass({ kvPath: kvBytesFirst, ranges: "bytes-first" }, picks, "rgb24");
const bytesFirst2 = await randomPass({ kvPath: kvBytesFirst, ranges: "bytes-first" }, picks, "rgb24");

const sameFrame = default2.map((r) => equal(r.frame.data, ffRandom.get(r.n)!.native.data));
const rgbDiff = default1.map((r) => difference(r.frame.data, ffRandom.get(r.n)!.t1.data!));
default2.forEach((r, i) => {
  if (!sameFrame[i]) mismatches.push(`(b) frame ${r.n}: seekframe native ≠ ffmpeg -ss ${seekArg(r.frame, info)} yuv`);
});
for (const [label, pass] of [["bytes-first pass 1", bytesFirst1], ["bytes-first pass 2", bytesFirst2]] as const) {
  pass.forEach((r, i) => {
    if (!equal(r.frame.data, default1[i].frame.data)) {
      mismatches.push(`(d) ${label}: frame ${r.n} differs from default`);
    }
  });
}

const sfMs = default1.map((r) => r.ms);
const ff1Ms = default1.map((r) => ffRandom.get(r.n)!.t1.ms);
const ffDefMs = default1.map((r) => ffRandom.get(r.n)!.tDefault.ms);
const ffNativeMs = default1.map((r) => ffRandom.get(r.n)!.native.ms);
const perGop = Math.ceil(picks.length / info.keyframes.length);
table(
  `(b) Random access: ${picks.length} seeded random frames of ${KEY} (${
    perGop > 1 ? `${info.keyframes.length} GOPs only, so up to ${perGop} per GOP; ` : "each in its own GOP; "
  }consecutive frames never in the same GOP), ${LATENCY_MS} ms added per storage request. seekframe: one long-lived ` +
    `store (default workers), index built first, block cache dropped before each frame (clearCache: index, Workers ` +
    `and decoder state kept), RGB24. ffmpeg: one process per frame, -ss <frame time> -i local file -frames:v 1, ` +
    `rgb24. "same frame": seekframe's "native" frame (pass 2 of (d)) = ffmpeg -threads 1 -pix_fmt ` +
    `${info.pixelFormat} at the same -ss, byte for byte.`,
  [
    "frame",
    "GOP (its keyframe)",
    "packets keyframe→frame",
    "seekframe ms",
    "GETs",
    "ffmpeg -threads 1 ms",
    "ffmpeg default threads ms",
    "ffmpeg -threads 1 → yuv ms",
    "seekframe ÷ ffmpeg -threads 1",
    "same frame",
    "RGB vs ffmpeg: max level diff / PSNR dB",
  ],
  [
    ...default1.map((r, i) => [
      r.n,
      gopOf(info, r.n),
      r.packets,
      f0(r.ms),
      r.gets,
      f0(ff1Ms[i]),
      f0(ffDefMs[i]),
      f0(ffNativeMs[i]),
      f2(r.ms / ff1Ms[i]),
      yes(sameFrame[i]),
      `${rgbDiff[i].max} / ${f1(rgbDiff[i].psnr)}`,
    ]),
    [
      "**median**",
      "",
      f0(median(default1.map((r) => r.packets))),
      f0(median(sfMs)),
      median(default1.map((r) => r.gets)),
      f0(median(ff1Ms)),
      f0(median(ffDefMs)),
      f0(median(ffNativeMs)),
      f2(median(sfMs) / median(ff1Ms)),
      `${sameFrame.filter(Boolean).length}/${sameFrame.length}`,
      `${Math.max(...rgbDiff.map((d) => d.max))} / ${f1(Math.min(...rgbDiff.map((d) => d.psnr)))} (worst)`,
    ],
    [
      "**p90**",
      "",
      f0(percentile(default1.map((r) => r.packets), 0.9)),
      f0(percentile(sfMs, 0.9)),
      "",
      f0(percentile(ff1Ms, 0.9)),
      f0(percentile(ffDefMs, 0.9)),
      f0(percentile(ffNativeMs, 0.9)),
      f2(percentile(sfMs, 0.9) / percentile(ff1Ms, 0.9)),
      "",
      "",
    ],
  ],
);
console.log(
  `\nOther passes over the same frames (same proxy): default policy pass 2 (KV flags known, "native" pixels) median ` +
    `${f0(median(default2.map((r) => r.ms)))} ms, p90 ${f0(percentile(default2.map((r) => r.ms), 0.9))} ms; ` +
    `bytes-first pass 1 median ${f0(median(bytesFirst1.map((r) => r.ms)))} ms; bytes-first pass 2 median ` +
    `${f0(median(bytesFirst2.map((r) => r.ms)))} ms, p90 ${f0(percentile(bytesFirst2.map((r) => r.ms), 0.9))} ms.`,
);

const decodedRatios = default1.map((r) => r.decoded / r.packets);
table(
  `(c) Pictures decoded per frame (pass 1 of (b); store.stats.decodedFrames and skippedPackets deltas) against the ` +
    `packets from the keyframe to the frame (store.plan). ffmpeg decodes all of those packets (and up to its ` +
    `reorder delay more).`,
  ["frame", "packets keyframe→frame", "pictures decoded", "packets skipped", "decoded ÷ packets"],
  [
    ...default1.map((r, i) => [r.n, r.packets, r.decoded, r.skipped, f3(decodedRatios[i])]),
    [
      "**mean of ratios** (all frames: Σdecoded ÷ Σpackets)",
      sum(default1.map((r) => r.packets)),
      sum(default1.map((r) => r.decoded)),
      sum(default1.map((r) => r.skipped)),
      `**${f3(mean(decodedRatios))}** (${
        f3(sum(default1.map((r) => r.decoded)) / sum(default1.map((r) => r.packets)))
      })`,
    ],
  ],
);

const passes = [
  ["default, pass 1 (flags unknown)", default1],
  ["default, pass 2 (flags from KV)", default2],
  ["bytes-first, pass 1 (flags unknown)", bytesFirst1],
  ["bytes-first, pass 2 (flags from KV)", bytesFirst2],
] as const;
const lbRatios = (runs: RandomRun[]) => runs.map((r) => r.bytes / r.lb);
table(
  `(d) Bytes fetched ÷ LB per frame, same frames. Pass 1: the KV index was just built, no packet known disposable ` +
    `until its bytes pass (a frame whose GOP an earlier frame of the pass read benefits from what that one learned). ` +
    `Pass 2: a new store, the KV index holding the flags pass 1 learned. Cells: bytes/LB (GETs).`,
  ["frame", "LB KiB", ...passes.map(([label]) => label)],
  [
    ...default1.map((r, i) => [
      r.n,
      kib(r.lb),
      ...passes.map(([, runs]) => `${f3(runs[i].bytes / runs[i].lb)} (${runs[i].gets})`),
    ]),
    [
      "**median**",
      kib(median(default1.map((r) => r.lb))),
      ...passes.map(([, runs]) => `**${f3(median(lbRatios(runs)))}**`),
    ],
    ["max", "", ...passes.map(([, runs]) => f3(Math.max(...lbRatios(runs))))],
    [
      "Σbytes ÷ ΣLB",
      kib(sum(default1.map((r) => r.lb))),
      ...passes.map(([, runs]) => f3(sum(runs.map((r) => r.bytes)) / sum(runs.map((r) => r.lb)))),
    ],
    ["median ms (20 ms/request)", "", ...passes.map(([, runs]) => f0(median(runs.map((r) => r.ms))))],
  ],
);

// ---------------------------------------------------------------- (e) first frame from a warm index

interface FirstFrame {
  openMs: number;
  frameMs: number;
  decodeMs: number;
  gets: number;
}

/**
 * The decode part of frame `n` on a store that has its bytes cached: twice, a keyframe of another GOP first (so the
 * decoder session moves away and the frame is decoded again from its keyframe); the faster of the two (so the
 * overhead, total − decode, errs high). What is left is the decode, RGB and the transfers to and from the Worker.
 */
async function decodePart(store: FrameStore, n: number): Promise<number> {
  const others = info.keyframes.filter((k) => k !== gopOf(info, n)).slice(0, 2);
  const ms: number[] = [];
  for (const other of others) {
    await store.getFrame(KEY, other);
    const t0 = performance.now();
    await store.getFrame(KEY, n);
    ms.push(performance.now() - t0);
  }
  return Math.min(...ms);
}

/**
 * A new store's first frame, on a KV index an earlier store built through the same endpoint (the index location
 * names the endpoint, so an index built through the proxy is not found through MinIO directly, and vice versa).
 */
async function firstFrame(endpoint: string, kvPath: string, n: number): Promise<FirstFrame> {
  const t0 = performance.now();
  const store = await openFrameStore({ s3: { ...s3, endpoint }, kvPath });
  try {
    const t1 = performance.now();
    const stats = newReadStats();
    await store.getFrame(KEY, n, { stats });
    const t2 = performance.now();
    return { openMs: t1 - t0, frameMs: t2 - t1, decodeMs: await decodePart(store, n), gets: stats.requests };
  } finally {
    await store.close();
  }
}

/** The same in a new Deno process (module loading not counted; the wasm compile, once per process, is). */
async function firstFrameNewProcess(kvPath: string, n: number): Promise<FirstFrame> {
  const mod = new URL("../mod.ts", import.meta.url).href;
  const others = info.keyframes.filter((k) => k !== gopOf(info, n)).slice(0, 2);
  const code = `
    import { newReadStats, openFrameStore } from ${JSON.stringify(mod)};
    const key = ${JSON.stringify(KEY)};
    const s3 = JSON.parse(Deno.env.get("DECODE_BENCH_S3"));
    const t0 = performance.now();
    const store = await openFrameStore({ s3, kvPath: ${JSON.stringify(kvPath)} });
    const t1 = performance.now();
    const stats = newReadStats();
    await store.getFrame(key, ${n}, { stats });
    const t2 = performance.now();
    const decode = [];
    for (const other of ${JSON.stringify(others)}) {
      await store.getFrame(key, other);
      const t = performance.now();
      await store.getFrame(key, ${n});
      decode.push(performance.now() - t);
    }
    await store.close();
    console.log(JSON.stringify({ openMs: t1 - t0, frameMs: t2 - t1, decodeMs: Math.min(...decode), gets: stats.requests }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--unstable-kv", "--v8-flags=--no-wasm-lazy-compilation", code],
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { DECODE_BENCH_S3: JSON.stringify(s3) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`first frame in a new process failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
}

/**
 * What starting a decoder Worker adds to a new store's first job: a keyframe (one packet) first, then a keyframe of
 * another GOP; the difference of the two.
 */
async function workerStart(): Promise<number> {
  const store = await openFrameStore({ s3, kvPath: kvSeq });
  try {
    await store.info(KEY, { confirm: false });
    const [a, b] = info.keyframes.slice(-2);
    let t0 = performance.now();
    await store.getFrame(KEY, a);
    const first = performance.now() - t0;
    t0 = performance.now();
    await store.getFrame(KEY, b);
    return first - (performance.now() - t0);
  } finally {
    await store.close();
  }
}

const firstRows: { label: string; runs: FirstFrame[] }[] = [
  { label: "new store, MinIO direct", runs: [] },
  { label: `new store, ${LATENCY_MS} ms per request`, runs: [] },
  { label: "new Deno process + store, MinIO direct", runs: [] },
];
for (let i = 0; i < FIRST_SAMPLES; i++) {
  const n = picks[i % picks.length];
  // Direct: the KV index of (a), built through MinIO's endpoint; through the proxy: that of (b)–(d).
  firstRows[0].runs.push(await firstFrame(s3.endpoint!, kvSeq, n));
  firstRows[1].runs.push(await firstFrame(proxy.endpoint, kvDefault, n));
  if (i < 3) firstRows[2].runs.push(await firstFrameNewProcess(kvSeq, n));
}
const workerStartMs: number[] = [];
for (let i = 0; i < FIRST_SAMPLES; i++) workerStartMs.push(await workerStart());
await proxy.close();
const overhead = (r: FirstFrame) => r.openMs + r.frameMs - r.decodeMs;
table(
  `(e) A new store's first frame from a warm KV index (built by earlier stores through the same endpoint: (a)'s ` +
    `for MinIO direct, (b)–(d)'s for the proxy); frames ${picks.slice(0, FIRST_SAMPLES).join(", ")}; medians. ` +
    `total = openFrameStore + getFrame; decode = the same frame again on that store, bytes cached, decoder ` +
    `restarted at its keyframe (faster of 2); overhead = total − decode. The ` +
    `in-process rows reuse the wasm module this process compiled; the new-process row compiles it (module loading ` +
    `before openFrameStore not counted).`,
  ["run", "samples", "open ms", "getFrame ms", "total ms", "decode ms", "overhead ms", "GETs of the frame"],
  firstRows.map(({ label, runs }) => [
    label,
    runs.length,
    f0(median(runs.map((r) => r.openMs))),
    f0(median(runs.map((r) => r.frameMs))),
    f0(median(runs.map((r) => r.openMs + r.frameMs))),
    f0(median(runs.map((r) => r.decodeMs))),
    f0(median(runs.map(overhead))),
    median(runs.map((r) => r.gets)),
  ]),
);
console.log(
  `\nOf the overhead, starting a decoder Worker (a new store's first keyframe − its second, ${FIRST_SAMPLES} stores): ` +
    `median ${f0(median(workerStartMs))} ms (${workerStartMs.map(f0).join(", ")}).`,
);

// ---------------------------------------------------------------- (e) load

const sidecar = await startSidecar({
  ...sidecarS3Env("fixtures/"),
  SEEKFRAME_KV: "off",
  SEEKFRAME_WORKERS: String(cores),
  SEEKFRAME_CACHE_BYTES: String(LOAD_CACHE_BYTES),
});
const pid = await pidListeningOn(Number(new URL(sidecar.base).port));
const scrape = async () => parseMetrics(await (await fetch(`${sidecar.base}/metrics`)).text());
const heapBytes = (m: Map<string, number>) =>
  sum([...m].filter(([k]) => k.startsWith("seekframe_worker_heap_bytes")).map(([, v]) => v));

const counts: Record<string, number> = {};
for (const key of LOAD_VIDEOS) {
  const res = await fetch(`${sidecar.base}/v1/info?key=${encodeURIComponent(key)}`);
  if (!res.ok) throw new Error(`info ${key}: ${res.status} ${await res.text()}`);
  counts[key] = (await res.json()).frameCount;
}
/** VmRSS split as the kernel counts it (KiB): anonymous memory (heaps, wasm, buffers) and mapped files (the binary). */
async function rssParts(pid: number): Promise<{ rss: number; anon: number; file: number }> {
  const text = await Deno.readTextFile(`/proc/${pid}/status`);
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rss: field("VmRSS"), anon: field("RssAnon"), file: field("RssFile") + field("RssShmem") };
}
const memBefore = await memoryOf(pid);
const before = await scrape();
const peaks = { rss: 0, anon: 0, file: 0, cache: 0, heap: 0, queue: 0, samples: 0 };
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const [mem, m] = await Promise.all([rssParts(pid), scrape()]);
    if (mem.rss > peaks.rss) Object.assign(peaks, { rss: mem.rss, anon: mem.anon, file: mem.file });
    peaks.cache = Math.max(peaks.cache, m.get("seekframe_cache_bytes") ?? 0);
    peaks.heap = Math.max(peaks.heap, heapBytes(m));
    peaks.queue = Math.max(peaks.queue, m.get("seekframe_queue_depth") ?? 0);
    peaks.samples++;
    await new Promise((r) => setTimeout(r, 200));
  }
})();
const statuses = new Map<string, number>();
const unexpected: string[] = [];
const latencies: number[] = [];
const perVideo = new Map<string, number[]>(LOAD_VIDEOS.map((v) => [v, []]));
const cpuBefore = await cpuSecondsOf(pid);
const loadStart = performance.now();
const loadEnd = loadStart + LOAD_SECONDS * 1000;
await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
  const random = rng(1000 + client);
  while (performance.now() < loadEnd) {
    const key = LOAD_VIDEOS[Math.floor(random() * LOAD_VIDEOS.length)];
    const index = Math.floor(random() * counts[key]);
    const t0 = performance.now();
    let status: string;
    try {
      const res = await fetch(`${sidecar.base}/v1/frame?key=${encodeURIComponent(key)}&index=${index}&format=rgb`);
      const body = new Uint8Array(await res.arrayBuffer());
      status = String(res.status);
      if (res.status === 200) {
        const t = performance.now() - t0;
        latencies.push(t);
        perVideo.get(key)!.push(t);
      } else if (res.status === 503 && res.headers.has("retry-after")) {
        await new Promise((r) => setTimeout(r, 100)); // admission control said "busy": back off
      } else {
        unexpected.push(`${status} ${key}#${index}: ${new TextDecoder().decode(body.subarray(0, 300))}`);
      }
    } catch (err) {
      status = "network error";
      unexpected.push(`${status} ${key}#${index}: ${err instanceof Error ? err.message : err}`);
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
}));
const loadSeconds = (performance.now() - loadStart) / 1000;
sampling = false;
await sampler;
const after = await scrape();
const cpuLoad = (await cpuSecondsOf(pid)) - cpuBefore;
const memAfter = await memoryOf(pid);
await sidecar.stop();
const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
const fps = latencies.length / loadSeconds;
const rssBytes = peaks.rss * 1024;
table(
  `(e) Load: ${CLIENTS} clients, closed loop, random frames of ${LOAD_VIDEOS.join(", ")}, format=rgb, ` +
    `${LOAD_SECONDS} s, against a seekframe serve process (SEEKFRAME_CACHE_BYTES=${LOAD_CACHE_BYTES} (64 MiB), ` +
    `${cores} workers, KV off, indexes built before the load).`,
  ["measure", "value"],
  [
    ["duration (the requests in flight at the end finish)", `${f1(loadSeconds)} s`],
    ["status counts", [...statuses].map(([s, n]) => `${s}: ${n}`).join(", ")],
    ["unexpected responses", unexpected.length ? `**${unexpected.length}**` : "0"],
    ["throughput", `${f1(fps)} frames/s`],
    [
      "latency p50 / p90 / p99 / max (200s)",
      `${f0(percentile(latencies, 0.5))} / ${f0(percentile(latencies, 0.9))} / ${f0(percentile(latencies, 0.99))} / ${
        f0(Math.max(...latencies))
      } ms`,
    ],
    ...LOAD_VIDEOS.map((v) => {
      const xs = perVideo.get(v)!;
      return [
        `  ${v} (${counts[v]} frames): n / p50 / p99`,
        `${xs.length} / ${f0(percentile(xs, 0.5))} / ${f0(percentile(xs, 0.99))} ms`,
      ];
    }),
    [
      `peak VmRSS (every 200 ms, ${peaks.samples} samples)`,
      `${mib(peaks.rss)} (${f1(rssBytes / 1e6)} MB); before the load ${mib(memBefore.rss)}, after ${mib(memAfter.rss)}`,
    ],
    ["at the peak sample: RssAnon / RssFile + RssShmem", `${mib(peaks.anon)} / ${mib(peaks.file)}`],
    ["VmHWM (kernel peak, whole process life)", `${mib(memAfter.hwm)} (${f1((memAfter.hwm * 1024) / 1e6)} MB)`],
    [
      "peak cache bytes / peak Σ worker wasm heaps (/metrics)",
      `${f1(peaks.cache / 1048576)} MiB / ${f1(peaks.heap / 1048576)} MiB`,
    ],
    [
      "sidecar CPU during the load (user + system, all threads) / cores used on average",
      // Below the core count while requests queue: other processes had the CPU.
      `${f1(cpuLoad)} s / ${f2(cpuLoad / loadSeconds)} of ${cores}`,
    ],
    ["max queue depth (sampled)", String(peaks.queue)],
    ["frames decoded / served", `${delta("seekframe_frames_decoded_total")} / ${latencies.length}`],
    [
      "storage GETs / MiB",
      `${delta("seekframe_storage_requests_total")} / ${f1(delta("seekframe_storage_bytes_total") / 1048576)}`,
    ],
  ],
);

// ---------------------------------------------------------------- targets

const randomMedian = median(sfMs);
const firstOverhead = median(firstRows[0].runs.map(overhead));
const decodedMean = mean(decodedRatios);
const lb = (runs: RandomRun[]) => median(lbRatios(runs));
table(
  `Targets (figures from this run; the machine's load average at start: ${loadAtStart}, at end: ${
    (await Deno.readTextFile("/proc/loadavg")).trim()
  }; wall time ${f0((performance.now() - wallStart) / 1000)} s)`,
  ["part", "target", "measured", "met?"],
  [
    [
      "(a) sequential RGB throughput vs ffmpeg -threads 1",
      `≥ ${TARGET.seqRatio}×`,
      `${f2(seqRatio)}× (seekframe ${f2(seqMs(SF_RGB))} ms/frame, ffmpeg ${f2(seqMs(FF1_RGB))} ms/frame)`,
      yes(seqRatio >= TARGET.seqRatio),
    ],
    [
      "(a) info: native pixels",
      "–",
      `${f2(seqMs(FF1_NATIVE) / seqMs(SF_NATIVE))}× (seekframe ${f2(seqMs(SF_NATIVE))}, ffmpeg ${
        f2(seqMs(FF1_NATIVE))
      } ms/frame); bytes cached: ${f2(seqMs(FF1_RGB) / seqMs(SF_RGB_CACHED))}×`,
      "–",
    ],
    [
      "(b) random median vs ffmpeg -threads 1, same frames",
      "≤ 1.00×",
      `${f2(randomMedian / median(ff1Ms))}× (seekframe ${f0(randomMedian)} ms, p90 ${
        f0(percentile(sfMs, 0.9))
      }; ffmpeg ${f0(median(ff1Ms))} ms, p90 ${f0(percentile(ff1Ms, 0.9))}; ffmpeg default threads ${
        f0(median(ffDefMs))
      } ms)`,
      yes(randomMedian <= median(ff1Ms)),
    ],
    [
      "(b) random median",
      `< ${TARGET.randomPeerMs} ms`,
      `${f0(randomMedian)} ms`,
      yes(randomMedian < TARGET.randomPeerMs),
    ],
    [
      "(b) ffmpeg's -ss frame is seekframe's (native, byte for byte)",
      "all",
      `${sameFrame.filter(Boolean).length}/${sameFrame.length}`,
      yes(sameFrame.every(Boolean)),
    ],
    [
      "(c) pictures decoded ÷ packets keyframe→frame (mean)",
      `≤ ${TARGET.decodedRatio}`,
      `${f3(decodedMean)} (range ${f3(Math.min(...decodedRatios))}–${f3(Math.max(...decodedRatios))})`,
      yes(decodedMean <= TARGET.decodedRatio),
    ],
    ...([
      ["default, pass 1 (flags unknown", default1, TARGET.lbDefault],
      ["default, pass 2 (flags from KV", default2, TARGET.lbDefault],
      ["bytes-first, pass 1 (flags unknown", bytesFirst1, TARGET.lbBytesFirst],
      ["bytes-first, pass 2 (flags from KV", bytesFirst2, TARGET.lbBytesFirst],
    ] as const).map(([what, rows, target]) => [
      `(d) bytes/LB, ${what}; median)`,
      `≤ ${target}`,
      f3(lb(rows)),
      yes(lb(rows) <= target),
    ]),
    [
      "(e) new store, warm KV index: total − decode (median, MinIO direct)",
      `≤ ${TARGET.firstOverheadMs} ms`,
      `${f0(firstOverhead)} ms (total ${f0(median(firstRows[0].runs.map((r) => r.openMs + r.frameMs)))}, decode ${
        f0(median(firstRows[0].runs.map((r) => r.decodeMs)))
      }; ${LATENCY_MS} ms/request: ${f0(median(firstRows[1].runs.map(overhead)))}; new process: ${
        f0(median(firstRows[2].runs.map(overhead)))
      })`,
      yes(firstOverhead <= TARGET.firstOverheadMs),
    ],
    [
      "(e) load peak RSS (64 MiB cache)",
      "≤ 300 MB",
      `${f1(rssBytes / 1e6)} MB (${mib(peaks.rss)})`,
      yes(rssBytes <= TARGET.rssBytes),
    ],
    ["(e) load throughput", `≥ ${f1(TARGET.fps)} frames/s`, `${f1(fps)} frames/s`, yes(fps >= TARGET.fps)],
  ],
);

if (unexpected.length) {
  console.error(`\n!!! ${unexpected.length} UNEXPECTED RESPONSES under load (first 10):`);
  for (const u of unexpected.slice(0, 10)) console.error(`!!!   ${u}`);
  console.error(`sidecar output (tail):\n${sidecar.output().slice(-3000)}`);
}
if (mismatches.length) {
  console.error(`\n!!! ${mismatches.length} frame comparisons failed:`);
  for (const m of mismatches) console.error(`!!!   ${m}`);
}
if (unexpected.length || mismatches.length) {
  throw new Error(`${mismatches.length} frame mismatches, ${unexpected.length} unexpected responses under load`);
}

Deno.bench("noop (figures above)", () => {});
