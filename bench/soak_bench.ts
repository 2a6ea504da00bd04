/**
 * Soak (`deno bench -A --unstable-kv bench/soak_bench.ts`): one real
 * `seekframe serve` process over MinIO (2 decoder workers, KV off) answers
 * `SEEKFRAME_SOAK_REQUESTS` (default 10,000) frame requests from 8 clients:
 * random frames of the small fixtures in rgb, npy, png and jpeg, with 2%
 * frames out of range (404 expected) and 1% requests the client abandons
 * after a few milliseconds (the abort path). `SEEKFRAME_SOAK_LONG=1` adds the
 * 720p GOP-250 video (`long_720p.mp4`) to 2% of the requests.
 *
 * Every `SEEKFRAME_SOAK_SAMPLE_EVERY` (default 250) requests it samples the
 * sidecar's VmRSS (/proc), its cache bytes and, when `/metrics` has it, the
 * `seekframe_worker_heap_bytes` gauge (each decoder worker's wasm heap).
 * Growth: the mean of the last 20% of samples against the mean of the
 * 20%–40% window (after warm-up); the target is within ±10%.
 *
 * Prints a table; throws (fails the bench) on any unexpected status, and,
 * with `SEEKFRAME_SOAK_STRICT=1`, on growth beyond the target. Starts its own
 * MinIO unless `S3_ENDPOINT` answers.
 *
 * @module
 */

import { rng, sidecarS3Env } from "../test/env.ts";
import { memoryOf, mib, parseMetrics, percentile, pidListeningOn } from "../test/proc.ts";
import { addressOf } from "../test/raw_http.ts";
import { startSidecar } from "../test/sidecar.ts";
import { benchSetup } from "./setup.ts";

const REQUESTS = Number(Deno.env.get("SEEKFRAME_SOAK_REQUESTS") ?? 10_000);
if (!(Number.isInteger(REQUESTS) && REQUESTS >= 100)) {
  throw new Error("SEEKFRAME_SOAK_REQUESTS must be an integer ≥ 100");
}
const SAMPLE_EVERY = Number(Deno.env.get("SEEKFRAME_SOAK_SAMPLE_EVERY") ?? 250);
const WITH_LONG = Deno.env.get("SEEKFRAME_SOAK_LONG") === "1";
const STRICT = Deno.env.get("SEEKFRAME_SOAK_STRICT") === "1";
const CLIENTS = 8;
const WORKERS = 2;
const TARGET = 0.10;
const VIDEOS = [
  "h264_bframes_faststart.mp4",
  "h264_audio_moov_end.mp4",
  "hevc.mp4",
  "vp9.webm",
  "vp8.webm",
  "h264.mkv",
  "h264_audio.ts",
  "av1.mp4",
  "mpeg4.mp4",
  "h264_rotate90.mp4",
];
const LONG = "long_720p.mp4";
const FORMATS = ["rgb", "rgb", "npy", "png", "jpeg"];

const wallStart = performance.now();
await benchSetup({ long: WITH_LONG });
const sidecar = await startSidecar({
  ...sidecarS3Env("fixtures/"),
  SEEKFRAME_KV: "off",
  SEEKFRAME_WORKERS: String(WORKERS),
});
globalThis.addEventListener("unload", () => sidecar.stop());
const pid = await pidListeningOn(addressOf(sidecar.base).port);

const scrape = async () => parseMetrics(await (await fetch(`${sidecar.base}/metrics`)).text());
/** Each worker's heap gauge, by its labels; empty while the sidecar does not expose it. */
const heaps = (m: Map<string, number>) =>
  [...m].filter(([k]) => k === "seekframe_worker_heap_bytes" || k.startsWith("seekframe_worker_heap_bytes{"));

const frameCount: Record<string, number> = {};
for (const key of WITH_LONG ? [...VIDEOS, LONG] : VIDEOS) {
  const res = await fetch(`${sidecar.base}/v1/info?key=${encodeURIComponent(key)}`);
  if (!res.ok) throw new Error(`info ${key}: ${res.status} ${await res.text()}`);
  frameCount[key] = (await res.json()).frameCount;
}

interface Sample {
  requests: number;
  seconds: number;
  rss: number;
  cacheBytes: number;
  recycled: number;
  heaps: [string, number][];
}
const samples: Sample[] = [];
const statuses = new Map<string, number>();
const unexpected: string[] = [];
const latencies: number[] = [];
let issued = 0, done = 0, nextSample = SAMPLE_EVERY;
let sampling: Promise<void> = Promise.resolve();

async function sample(): Promise<void> {
  const [mem, m] = await Promise.all([memoryOf(pid), scrape()]);
  samples.push({
    requests: done,
    seconds: (performance.now() - loadStart) / 1000,
    rss: mem.rss,
    cacheBytes: m.get("seekframe_cache_bytes") ?? NaN,
    recycled: m.get("seekframe_workers_recycled_total") ?? NaN,
    heaps: heaps(m),
  });
}

const count = (kind: string) => statuses.set(kind, (statuses.get(kind) ?? 0) + 1);
const loadStart = performance.now();
await sample();
await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
  const random = rng(4242 + client);
  while (issued < REQUESTS) {
    issued++;
    const roll = random();
    const key = WITH_LONG && roll < 0.02 ? LONG : VIDEOS[Math.floor(random() * VIDEOS.length)];
    const outOfRange = roll >= 0.02 && roll < 0.04;
    const abandon = roll >= 0.04 && roll < 0.05;
    const index = outOfRange ? frameCount[key] + Math.floor(random() * 1000) : Math.floor(random() * frameCount[key]);
    const format = FORMATS[Math.floor(random() * FORMATS.length)];
    const url = `${sidecar.base}/v1/frame?key=${encodeURIComponent(key)}&index=${index}&format=${format}`;
    const controller = new AbortController();
    const timer = abandon ? setTimeout(() => controller.abort(), 2 + random() * 20) : undefined;
    const t0 = performance.now();
    try {
      const res = await fetch(url, { signal: controller.signal });
      const body = new Uint8Array(await res.arrayBuffer());
      let code = "";
      if (res.status !== 200) {
        try {
          code = JSON.parse(new TextDecoder().decode(body)).code;
        } catch {
          code = "not JSON";
        }
      }
      const kind = code ? `${res.status} ${code}` : String(res.status);
      count(kind);
      const expected = res.status === 200
        ? !outOfRange && body.byteLength > 0
        : outOfRange
        ? res.status === 404 && code === "out_of_range"
        : res.status === 503 && code === "busy" && res.headers.has("retry-after");
      if (!expected) {
        unexpected.push(`${kind} ${key}#${index} ${format}: ${new TextDecoder().decode(body.subarray(0, 200))}`);
      }
      if (res.status === 200) latencies.push(performance.now() - t0);
    } catch (err) {
      if (abandon && controller.signal.aborted) count("abandoned by the client");
      else {
        count("network error");
        unexpected.push(`network error ${key}#${index} ${format}: ${err instanceof Error ? err.message : err}`);
      }
    } finally {
      clearTimeout(timer);
    }
    done++;
    if (done >= nextSample) {
      nextSample += SAMPLE_EVERY;
      sampling = sampling.then(sample);
      await sampling;
    }
  }
}));
await sampling;
if (samples[samples.length - 1].requests !== done) await sample();
const loadSeconds = (performance.now() - loadStart) / 1000;
const end = await memoryOf(pid);
const final = await scrape();

// ---------------------------------------------------------------- analysis

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Samples whose request count falls in [from, to) of the run (fractions). */
const window = (from: number, to: number) =>
  samples.filter((s) => s.requests >= from * done && (to >= 1 ? s.requests <= done : s.requests < to * done));
const growth = (pick: (s: Sample) => number) => {
  const a = window(0.2, 0.4).map(pick), b = window(0.8, 1).map(pick);
  const ma = mean(a), mb = mean(b);
  return { a: ma, b: mb, change: mb / ma - 1, na: a.length, nb: b.length };
};
const rss = growth((s) => s.rss);
/** Least-squares slope of RSS (KiB) per 1,000 requests over the samples after warm-up (20%). */
const slope = (() => {
  const xs = window(0.2, 1);
  const mx = mean(xs.map((s) => s.requests)), my = mean(xs.map((s) => s.rss));
  const num = xs.reduce((a, s) => a + (s.requests - mx) * (s.rss - my), 0);
  const den = xs.reduce((a, s) => a + (s.requests - mx) ** 2, 0);
  return (num / den) * 1000;
})();
const heapNames = [...new Set(samples.flatMap((s) => s.heaps.map(([k]) => k)))];
const heapGrowth = heapNames.map((name) => ({
  name,
  ...growth((s) => s.heaps.find(([k]) => k === name)?.[1] ?? NaN),
}));
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
const verdict = (x: number) => (Math.abs(x) <= TARGET ? "within ±10%" : x > 0 ? "**GROWS**" : "shrinks");

console.log(
  `\nSoak: ${done} frame requests, ${CLIENTS} clients, ${WORKERS} workers, ${loadSeconds.toFixed(1)} s ` +
    `(${(done / loadSeconds).toFixed(1)} requests/s); samples every ${SAMPLE_EVERY} requests\n`,
);
const heapHead = heapNames.map((n) => n.replace("seekframe_worker_heap_bytes", "heap"));
console.log(`| requests | s | VmRSS | cache | workers recycled${heapHead.map((h) => ` | ${h}`).join("")} |`);
console.log(`|---|---|---|---|---${heapHead.map(() => "|---").join("")}|`);
for (const s of samples) {
  const hs = heapNames.map((n) => {
    const v = s.heaps.find(([k]) => k === n)?.[1];
    return v === undefined ? "–" : mib(v / 1024);
  });
  const recycled = Number.isNaN(s.recycled) ? "–" : String(s.recycled);
  const cells = [String(s.requests), s.seconds.toFixed(1), mib(s.rss), mib(s.cacheBytes / 1024), recycled, ...hs];
  console.log(`| ${cells.join(" | ")} |`);
}
console.log(`\n| measure | value |\n|---|---|`);
const rows: [string, string][] = [
  ["statuses", [...statuses].map(([k, n]) => `${k}: ${n}`).join(", ")],
  ["unexpected", String(unexpected.length)],
  [
    "latency of 200s p50 / p99 / max",
    [0.5, 0.99, 1].map((p) => `${percentile(latencies, p).toFixed(0)} ms`).join(" / "),
  ],
  [
    `VmRSS mean, 20–40% window (${rss.na} samples) → last 20% (${rss.nb})`,
    `${mib(rss.a)} → ${mib(rss.b)}: ${pct(rss.change)} (${verdict(rss.change)})`,
  ],
  ["VmRSS trend after warm-up (least squares)", `${slope >= 0 ? "+" : ""}${mib(slope)} per 1,000 requests`],
  ["VmRSS first sample / last / VmHWM", `${mib(samples[0].rss)} / ${mib(end.rss)} / ${mib(end.hwm)}`],
  ...heapGrowth.map((h): [string, string] => [
    `${h.name} mean, 20–40% → last 20%`,
    `${mib(h.a / 1024)} → ${mib(h.b / 1024)}: ${pct(h.change)} (${verdict(h.change)})`,
  ]),
  [
    "worker wasm heaps",
    heapNames.length
      ? `${heapNames.length} gauge(s) in /metrics`
      : "not in /metrics (no seekframe_worker_heap_bytes gauge yet): only the process RSS is measured",
  ],
  ["frames decoded", String(final.get("seekframe_frames_decoded_total"))],
  [
    "workers recycled for their memory (seekframe_workers_recycled_total)",
    String(final.get("seekframe_workers_recycled_total") ?? "not in /metrics"),
  ],
  ["wall time (setup included)", `${((performance.now() - wallStart) / 1000).toFixed(1)} s`],
];
for (const [a, b] of rows) console.log(`| ${a} | ${b} |`);

if (unexpected.length) {
  console.error(`\n!!! ${unexpected.length} unexpected answers (first 10):`);
  for (const u of unexpected.slice(0, 10)) console.error(`!!!   ${u}`);
  console.error(`sidecar output (tail):\n${sidecar.output().slice(-3000)}`);
  throw new Error(`${unexpected.length} soak requests got an unexpected answer`);
}
const grown = [rss, ...heapGrowth].filter((g) => Math.abs(g.change) > TARGET);
if (STRICT && grown.length) {
  throw new Error(`memory changed beyond ±10% after warm-up: ${grown.map((g) => pct(g.change))}`);
}

// ---------------------------------------------------------------- Deno.bench

Deno.bench("warm frame after the soak (rgb, 320×240)", { n: 100, warmup: 10 }, async () => {
  const res = await fetch(`${sidecar.base}/v1/frame?key=h264_bframes_faststart.mp4&index=30&format=rgb`);
  await res.arrayBuffer();
});
