/**
 * The sidecar over real HTTP (`deno bench -A --unstable-kv bench/http_bench.ts`
 * or `deno task bench`), against a real MinIO and a real `seekframe serve`
 * process on loopback:
 *
 * 1. Service overhead for a warm frame: in-process `store.getFrame` vs
 *    `GET /v1/frame?format=rgb` (no encoding) for the same frame, median and
 *    p90 of each and their difference; the Server-Timing values; PNG and
 *    JPEG encode times measured apart.
 * 2. Load: 16 clients in a closed loop asking for random frames
 *    (`format=rgb`) of 4 videos for `SEEKFRAME_LOAD_SECONDS` (default 30):
 *    status counts, frames/s, latency percentiles, the sidecar's peak RSS
 *    (VmRSS sampled every 200 ms) and its decoder queue depth (`/metrics`).
 *
 * Prints markdown tables, then registers `Deno.bench` cases for the overhead.
 * Starts its own MinIO unless `S3_ENDPOINT` is set. Any status other than 200
 * or a deliberate 503 fails the file after the tables are printed.
 *
 * @module
 */

import { type Frame, openFrameStore } from "../mod.ts";
import { formatNamed } from "../src/encode/formats.ts";
import { rng, s3Options, sidecarS3Env } from "../test/env.ts";
import { benchSetup } from "./setup.ts";
import { startSidecar } from "../test/sidecar.ts";
import { memoryOf, mib, pidListeningOn } from "../test/proc.ts";

const LOAD_SECONDS = Number(Deno.env.get("SEEKFRAME_LOAD_SECONDS") ?? 30);
if (!(LOAD_SECONDS > 0)) throw new Error("SEEKFRAME_LOAD_SECONDS must be a positive number");
const CLIENTS = 16;
const LOAD_FORMAT = "rgb";
const ITERATIONS = 200;
const WARMUP = 20;
const WORKERS = 2;
const LOAD_VIDEOS = ["h264_bframes_faststart.mp4", "hevc.mp4", "vp9.webm", "long_720p.mp4"];
/** The warm frames of the overhead measure: a 320×240 frame mid-GOP and a 1280×720 keyframe. */
const WARM = [
  { label: "320x240", key: "h264_bframes_faststart.mp4", index: 30 },
  { label: "1280x720", key: "long_720p.mp4", index: 0 },
];

const started = performance.now();
await benchSetup({ long: true });
const s3 = s3Options({ prefix: "fixtures/" });

const sidecar = await startSidecar({
  ...sidecarS3Env("fixtures/"),
  SEEKFRAME_KV: "off",
  SEEKFRAME_WORKERS: String(WORKERS),
});
globalThis.addEventListener("unload", () => sidecar.stop());
const pid = await pidListeningOn(Number(new URL(sidecar.base).port));
const store = await openFrameStore({ s3, workers: WORKERS, kvPath: false });
globalThis.addEventListener("unload", () => store.close());

// ---------------------------------------------------------------- helpers

/** Nearest-rank percentile (p in 0..1). */
function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : "n/a");
/** Gauges and counters of the sidecar's /metrics. */
async function scrape(): Promise<Record<string, number>> {
  const text = await (await fetch(`${sidecar.base}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(seekframe_\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m) out[m[1] + (m[2] ?? "")] = Number(m[3]);
  }
  return out;
}

/** Samples the sidecar's RSS (and /metrics gauges) every 200 ms until stopped. */
function sampler() {
  const peaks = { rss: 0, queueDepth: 0, inflight: 0, samples: 0 };
  let running = true;
  const done = (async () => {
    while (running) {
      const [mem, metrics] = await Promise.all([memoryOf(pid), scrape()]);
      peaks.rss = Math.max(peaks.rss, mem.rss);
      peaks.queueDepth = Math.max(peaks.queueDepth, metrics.seekframe_queue_depth ?? 0);
      peaks.inflight = Math.max(peaks.inflight, metrics.seekframe_inflight_requests ?? 0);
      peaks.samples++;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    peaks,
    async stop() {
      running = false;
      await done;
      return peaks;
    },
  };
}

/** GET a frame from the sidecar; the whole body is read. */
async function httpFrame(key: string, index: number, format: string) {
  const res = await fetch(`${sidecar.base}/v1/frame?key=${encodeURIComponent(key)}&index=${index}&format=${format}`);
  const body = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) {
    throw new Error(`GET frame ${key}#${index} ${format}: ${res.status} ${new TextDecoder().decode(body)}`);
  }
  const timing = res.headers.get("server-timing") ?? "";
  const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(timing)?.[1] ?? NaN);
  return { bytes: body.byteLength, decode: dur("decode"), encode: dur("encode") };
}

/** Runs `fn` `n` times (after a few warm-ups); milliseconds of each run. */
async function timed(n: number, fn: () => unknown | Promise<unknown>, warmup = 10): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

// ---------------------------------------------------------------- 1. overhead

const memStart = await memoryOf(pid);
const overheadRows: string[][] = [];
const encodeRows: string[][] = [];
const frames: Record<string, Frame> = {};

/** `n` interleaved pairs (in-process, then over HTTP) of the same warm frame, so both see the same machine state. */
async function compare(w: (typeof WARM)[number], n: number) {
  const lib: number[] = [], http: number[] = [], diff: number[] = [];
  const decode: number[] = [], encode: number[] = [], gap: number[] = [];
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    await store.getFrame(w.key, w.index);
    const a = performance.now() - t0;
    t0 = performance.now();
    const r = await httpFrame(w.key, w.index, "rgb");
    const b = performance.now() - t0;
    lib.push(a);
    http.push(b);
    diff.push(b - a);
    decode.push(r.decode);
    encode.push(r.encode);
    gap.push(b - r.decode - r.encode);
  }
  return { lib, http, diff, decode, encode, gap };
}
const sizeLabel = (w: (typeof WARM)[number]) => {
  const f = frames[w.label];
  return `${w.label} (${w.key} #${w.index}, ${((f.width * f.height * 3) / 1024).toFixed(0)} KiB RGB)`;
};
const row = (label: string, xs: number[]) => [label, ms(pct(xs, 0.5)), ms(pct(xs, 0.9))];

for (const w of WARM) {
  // Warm both: index open, blocks cached, decoder session used.
  for (let i = 0; i < WARMUP; i++) {
    frames[w.label] = await store.getFrame(w.key, w.index);
    await httpFrame(w.key, w.index, "rgb");
  }
  const c = await compare(w, ITERATIONS);
  const png: { decode: number; encode: number }[] = [];
  for (let i = 0; i < 20; i++) png.push(await httpFrame(w.key, w.index, "png"));
  const size = sizeLabel(w);
  overheadRows.push(
    row(`${size}: in-process getFrame`, c.lib),
    row(`${size}: sidecar GET format=rgb (client-side, body read)`, c.http),
    [
      `${size}: **overhead** = sidecar − in-process (difference of the percentiles)`,
      ms(pct(c.http, 0.5) - pct(c.lib, 0.5)),
      ms(pct(c.http, 0.9) - pct(c.lib, 0.9)),
    ],
    row(`${size}: **overhead**, per interleaved pair`, c.diff),
    row(`${size}: Server-Timing decode (rgb)`, c.decode),
    row(`${size}: Server-Timing encode (rgb)`, c.encode),
    row(`${size}: client time − Server-Timing decode+encode`, c.gap),
    [
      `${size}: Server-Timing decode / encode (png, 20 req)`,
      `${ms(pct(png.map((p) => p.decode), 0.5))} / ${ms(pct(png.map((p) => p.encode), 0.5))}`,
      `${ms(pct(png.map((p) => p.decode), 0.9))} / ${ms(pct(png.map((p) => p.encode), 0.9))}`,
    ],
  );
  const f = frames[w.label];
  for (const format of ["png", "jpeg"] as const) {
    const n = f.width * f.height > 500_000 ? 15 : 50;
    const bytes = formatNamed(format).encode(f).byteLength;
    const t = await timed(n, () => formatNamed(format).encode(f));
    encodeRows.push(row(`${w.label} ${format} (${(bytes / 1024).toFixed(0)} KiB, ${n} runs)`, t));
  }
}
const memAfterOverhead = await memoryOf(pid);

// ---------------------------------------------------------------- 2. load

const counts: Record<string, number> = {};
for (const key of LOAD_VIDEOS) {
  const res = await fetch(`${sidecar.base}/v1/info?key=${encodeURIComponent(key)}`);
  if (!res.ok) throw new Error(`info ${key}: ${res.status} ${await res.text()}`);
  counts[key] = (await res.json()).frameCount;
}
const before = await scrape();
const statuses = new Map<string, number>();
const unexpected: string[] = [];
const latencies: number[] = [];
const perVideo = new Map<string, number[]>(LOAD_VIDEOS.map((v) => [v, []]));
let okBytes = 0;
const sampling = sampler();
const loadStart = performance.now();
const loadEnd = loadStart + LOAD_SECONDS * 1000;
await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
  const random = rng(1000 + client);
  while (performance.now() < loadEnd) {
    const key = LOAD_VIDEOS[Math.floor(random() * LOAD_VIDEOS.length)];
    const index = Math.floor(random() * counts[key]);
    const url = `${sidecar.base}/v1/frame?key=${encodeURIComponent(key)}&index=${index}&format=${LOAD_FORMAT}`;
    const t0 = performance.now();
    let status: string;
    try {
      const res = await fetch(url);
      const body = new Uint8Array(await res.arrayBuffer());
      const t = performance.now() - t0;
      status = String(res.status);
      if (res.status === 200) {
        latencies.push(t);
        perVideo.get(key)!.push(t);
        okBytes += body.byteLength;
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
const peaks = await sampling.stop();
const after = await scrape();
const memAfterLoad = await memoryOf(pid);

// The overhead again, after the load (does the service stay as fast?).
const AFTER = 50;
for (const w of WARM) {
  for (let i = 0; i < 5; i++) {
    await store.getFrame(w.key, w.index);
    await httpFrame(w.key, w.index, "rgb");
  }
  const c = await compare(w, AFTER);
  overheadRows.push(
    row(`after load, ${AFTER} pairs: ${sizeLabel(w)}: in-process getFrame`, c.lib),
    row(`after load, ${AFTER} pairs: ${sizeLabel(w)}: sidecar GET format=rgb`, c.http),
    row(`after load, ${AFTER} pairs: ${sizeLabel(w)}: **overhead**, per pair`, c.diff),
    row(`after load, ${AFTER} pairs: ${sizeLabel(w)}: Server-Timing decode (rgb)`, c.decode),
  );
}
const memEnd = await memoryOf(pid);
const total = [...statuses.values()].reduce((a, b) => a + b, 0);
const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);

// ---------------------------------------------------------------- 3. tables

const table = (title: string, head: string[], rows: string[][]) => {
  console.log(`\n${title}\n`);
  console.log(`| ${head.join(" | ")} |`);
  console.log(`|${head.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
};
table(
  `Service overhead for a warm frame (${ITERATIONS} interleaved runs each after ${WARMUP} warm-ups; ` +
    `sidecar process with ${WORKERS} workers, KV off; loopback HTTP, body fully read)`,
  ["measure", "median", "p90"],
  overheadRows,
);
table("Encode time in-process (`encodeFrame`, not part of the rgb figures above)", ["measure", "median", "p90"], [
  ...encodeRows,
]);
table(
  `Load: ${CLIENTS} clients, closed loop, random frames of ${LOAD_VIDEOS.join(", ")}, format=${LOAD_FORMAT}, ` +
    `${LOAD_SECONDS} s`,
  ["measure", "value"],
  [
    ["duration (new requests stop at the set time; the ones in flight finish)", `${loadSeconds.toFixed(1)} s`],
    ["total requests", String(total)],
    ["status counts", [...statuses].map(([s, n]) => `${s}: ${n}`).join(", ")],
    ["unexpected responses (not 200 / deliberate 503)", unexpected.length ? `**${unexpected.length}**` : "0"],
    [
      "throughput",
      `${(latencies.length / loadSeconds).toFixed(1)} frames/s (${(okBytes / loadSeconds / 1048576).toFixed(1)} MiB/s)`,
    ],
    [
      "latency p50 / p90 / p99 (200s)",
      `${ms(pct(latencies, 0.5))} / ${ms(pct(latencies, 0.9))} / ${ms(pct(latencies, 0.99))}`,
    ],
    ["latency max", ms(Math.max(...latencies))],
    ...LOAD_VIDEOS.map((v) => {
      const xs = perVideo.get(v)!;
      return [
        `  ${v} (${counts[v]} frames): n / p50 / p90 / p99`,
        `${xs.length} / ${ms(pct(xs, 0.5))} / ${ms(pct(xs, 0.9))} / ${ms(pct(xs, 0.99))}`,
      ];
    }),
    [
      "sidecar RSS at start / after overhead phase / after load / after the post-load overhead runs",
      `${mib(memStart.rss)} / ${mib(memAfterOverhead.rss)} / ${mib(memAfterLoad.rss)} / ${mib(memEnd.rss)}`,
    ],
    [`sidecar peak RSS during load (VmRSS every 200 ms, ${peaks.samples} samples)`, mib(peaks.rss)],
    ["sidecar VmHWM (kernel peak, whole run)", mib(memEnd.hwm)],
    ["/metrics seekframe_queue_depth max (sampled)", String(peaks.queueDepth)],
    ["/metrics seekframe_inflight_requests max (sampled)", String(peaks.inflight)],
    ["frames decoded / served during load", `${delta("seekframe_frames_decoded_total")} / ${latencies.length}`],
    [
      "storage GETs / MiB during load",
      `${delta("seekframe_storage_requests_total")} / ${(delta("seekframe_storage_bytes_total") / 1048576).toFixed(1)}`,
    ],
    ["setup + measurements wall time", `${((performance.now() - started) / 1000).toFixed(1)} s`],
  ],
);
if (unexpected.length) {
  console.error(`\n!!! ${unexpected.length} UNEXPECTED RESPONSES under load (first 10):`);
  for (const u of unexpected.slice(0, 10)) console.error(`!!!   ${u}`);
  console.error(`sidecar output (tail):\n${sidecar.output().slice(-3000)}`);
  throw new Error(`${unexpected.length} requests under load got neither 200 nor a deliberate 503`);
}

// ---------------------------------------------------------------- Deno.bench

for (const w of WARM) {
  Deno.bench(
    `in-process getFrame, ${w.label}`,
    { group: `warm ${w.label}`, baseline: true, n: 100, warmup: 10 },
    async () => {
      await store.getFrame(w.key, w.index);
    },
  );
  Deno.bench(`sidecar GET format=rgb, ${w.label}`, { group: `warm ${w.label}`, n: 100, warmup: 10 }, async () => {
    await httpFrame(w.key, w.index, "rgb");
  });
}
