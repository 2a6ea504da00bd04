/**
 * A bounded load on loopback: 32 clients in a closed loop ask a real
 * `seekframe serve` process (over MinIO, 2 decoder workers) for random frames
 * of several fixtures for `SEEKFRAME_LOAD_SECONDS` (default 8; e.g. 60 for a
 * long run), in rgb, npy and png. With `test/fixtures/out/long_720p.mp4`
 * (`bash test/fixtures/make.sh --long`) the 720p GOP-250 video is in the mix
 * (`SEEKFRAME_LOAD_LONG=0` leaves it out).
 *
 * The sidecar admits `SEEKFRAME_LOAD_INFLIGHT` (default 16) frame requests at
 * once, fewer than the clients, so admission control is part of the run: a
 * client that gets 503 "busy" backs off 100 ms.
 *
 * Reports p50/p99 latency (overall and per video), frames/s, answers by kind
 * (status + code) and the sidecar's memory (VmRSS sampled every 200 ms, and
 * VmHWM). Asserts: only 200s and deliberate 503s (code "busy", Retry-After);
 * every 200 body has the size its format and the frame's dimensions give; no
 * 500; a sample of the frames served equals ffmpeg's (PSNR ≥ 45 dB).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { decode as decodePng } from "npm:fast-png@8.0.0";
import { FIXTURES, rng, sidecarS3Env } from "./env.ts";
import { cpuSecondsOf, memoryOf, mib, parseMetrics, percentile, pidListeningOn } from "./proc.ts";
import { addressOf } from "./raw_http.ts";
import { psnr, referenceFrames, selectFrame } from "./reference.ts";
import { startSidecar } from "./sidecar.ts";
import { uploadObjects } from "./upload.ts";

const SECONDS = Number(Deno.env.get("SEEKFRAME_LOAD_SECONDS") ?? 8);
if (!(SECONDS > 0)) throw new Error("SEEKFRAME_LOAD_SECONDS must be a positive number");
const INFLIGHT = Number(Deno.env.get("SEEKFRAME_LOAD_INFLIGHT") ?? 16);
const CLIENTS = Number(Deno.env.get("SEEKFRAME_LOAD_CLIENTS") ?? 32);
const PREFIX = "load/";
const LONG = "long_720p.mp4";
const SMALL = [
  "h264_bframes_faststart.mp4",
  "hevc.mp4",
  "vp9.webm",
  "h264.mkv",
  "h264_audio.ts",
  "h264_odd_322x180.mp4",
];
const hasLong = Deno.env.get("SEEKFRAME_LOAD_LONG") !== "0" &&
  await Deno.stat(join(FIXTURES, LONG)).then(() => true, () => false);
const VIDEOS = hasLong ? [...SMALL, LONG] : SMALL;
/** Frames compared with ffmpeg after the run: per small video, and for the 720p one (one ffmpeg run each). */
const SAMPLES_PER_VIDEO = 3;
const LONG_SAMPLES = 2;

interface Sample {
  key: string;
  index: number;
  rgb: Uint8Array;
}

/** Bytes of an .npy header for a (H, W, 3) uint8 array, as the sidecar writes it. */
function npyHeaderBytes(height: number, width: number): number {
  const header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${height}, ${width}, 3), }`;
  return 10 + header.length + (63 - ((10 + header.length) % 64)) + 1;
}

Deno.test(`load: ${CLIENTS} clients, random frames, ${SECONDS} s`, async () => {
  await uploadObjects(PREFIX, VIDEOS.map((v) => [v, v]));
  const sidecar = await startSidecar({
    ...sidecarS3Env(PREFIX),
    SEEKFRAME_WORKERS: "2",
    SEEKFRAME_MAX_INFLIGHT: String(INFLIGHT),
  });
  try {
    const pid = await pidListeningOn(addressOf(sidecar.base).port);
    const info: Record<string, { frameCount: number; width: number; height: number }> = {};
    for (const key of VIDEOS) {
      const res = await fetch(`${sidecar.base}/v1/info?key=${encodeURIComponent(key)}`);
      assert.equal(res.status, 200, key);
      info[key] = await res.json();
    }
    const memStart = await memoryOf(pid);
    const cpuStart = await cpuSecondsOf(pid);

    // Memory sampling all along.
    let peakRss = 0, samples = 0, sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, (await memoryOf(pid)).rss);
        samples++;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const answers = new Map<string, number>();
    const problems: string[] = [];
    const latencies: number[] = [];
    const perVideo = new Map<string, number[]>(VIDEOS.map((v) => [v, []]));
    const kept: Sample[] = [];
    const keptPer = new Map<string, number>();
    let okBytes = 0;
    const count = (kind: string) => answers.set(kind, (answers.get(kind) ?? 0) + 1);
    const started = performance.now();
    const end = started + SECONDS * 1000;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
      const random = rng(7000 + client);
      while (performance.now() < end) {
        const key = VIDEOS[Math.floor(random() * VIDEOS.length)];
        const index = Math.floor(random() * info[key].frameCount);
        const r = random();
        const format = r < 0.6 ? "rgb" : r < 0.9 ? "npy" : "png";
        const url = `${sidecar.base}/v1/frame?key=${encodeURIComponent(key)}&index=${index}&format=${format}`;
        const t0 = performance.now();
        let res: Response, body: Uint8Array;
        try {
          res = await fetch(url);
          body = new Uint8Array(await res.arrayBuffer());
        } catch (err) {
          count("network error");
          problems.push(`${key}#${index} ${format}: ${err instanceof Error ? err.message : err}`);
          continue;
        }
        const ms = performance.now() - t0;
        if (res.status !== 200) {
          let code = "?";
          try {
            code = JSON.parse(new TextDecoder().decode(body)).code;
          } catch {
            // not JSON
          }
          count(`${res.status} ${code}`);
          if (res.status === 503 && code === "busy" && res.headers.get("retry-after")) {
            await new Promise((r) => setTimeout(r, 100)); // admission control said "busy": back off
          } else {
            problems.push(
              `${key}#${index} ${format}: ${res.status} ${new TextDecoder().decode(body.subarray(0, 200))}`,
            );
          }
          continue;
        }
        count("200");
        latencies.push(ms);
        perVideo.get(key)!.push(ms);
        okBytes += body.byteLength;
        const { width, height } = info[key];
        const w = Number(res.headers.get("x-frame-width")), h = Number(res.headers.get("x-frame-height"));
        if (w !== width || h !== height || res.headers.get("x-frame-index") !== String(index)) {
          problems.push(`${key}#${index} ${format}: headers say frame ${res.headers.get("x-frame-index")} ${w}×${h}`);
          continue;
        }
        let rgb: Uint8Array | undefined;
        if (format === "rgb") {
          if (body.byteLength !== width * height * 3) problems.push(`${key}#${index} rgb: ${body.byteLength} bytes`);
          else rgb = body;
        } else if (format === "npy") {
          const head = npyHeaderBytes(height, width);
          if (body.byteLength !== head + width * height * 3) {
            problems.push(`${key}#${index} npy: ${body.byteLength} bytes`);
          } else rgb = body.subarray(head);
        } else {
          const png = decodePng(body);
          if (png.width !== width || png.height !== height || png.channels !== 3) {
            problems.push(`${key}#${index} png: ${png.width}×${png.height}×${png.channels}`);
          }
        }
        const limit = key === LONG ? LONG_SAMPLES : SAMPLES_PER_VIDEO;
        if (rgb && (keptPer.get(key) ?? 0) < limit) {
          keptPer.set(key, (keptPer.get(key) ?? 0) + 1);
          kept.push({ key, index, rgb: rgb.slice() });
        }
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    const memEnd = await memoryOf(pid);
    const cpu = (await cpuSecondsOf(pid)) - cpuStart;
    const metrics = parseMetrics(await (await fetch(`${sidecar.base}/metrics`)).text());

    // The sample against ffmpeg.
    const compared: string[] = [];
    for (const s of kept) {
      const path = join(FIXTURES, s.key);
      const ref = s.key === LONG ? await selectFrame(path, s.index) : (await referenceFrames(path)).frames[s.index];
      const db = psnr(s.rgb, ref);
      compared.push(`${s.key}#${s.index} ${Number.isFinite(db) ? db.toFixed(1) : "∞"} dB`);
      if (db < 45) problems.push(`${s.key}#${s.index}: PSNR ${db.toFixed(1)} dB against ffmpeg`);
    }

    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const rows: [string, string][] = [
      ["duration", `${seconds.toFixed(1)} s (${CLIENTS} clients, SEEKFRAME_MAX_INFLIGHT=${INFLIGHT}, 2 workers)`],
      ["answers", [...answers].map(([k, n]) => `${k}: ${n}`).join(", ")],
      ["frames/s", `${(latencies.length / seconds).toFixed(1)} (${(okBytes / seconds / 1048576).toFixed(1)} MiB/s)`],
      [
        "latency p50 / p90 / p99 / max (200s)",
        [0.5, 0.9, 0.99, 1].map((p) => ms(percentile(latencies, p))).join(" / "),
      ],
      ...VIDEOS.map((v): [string, string] => {
        const xs = perVideo.get(v)!;
        return [
          `  ${v} (${info[v].width}×${info[v].height}, ${info[v].frameCount} frames): n / p50 / p99`,
          `${xs.length} / ${ms(percentile(xs, 0.5))} / ${ms(percentile(xs, 0.99))}`,
        ];
      }),
      [
        "sidecar RSS start / end / peak sampled (every 200 ms)",
        `${mib(memStart.rss)} / ${mib(memEnd.rss)} / ${mib(peakRss)} (${samples} samples)`,
      ],
      ["sidecar VmHWM", mib(memEnd.hwm)],
      ["frames decoded (whole run)", String(metrics.get("seekframe_frames_decoded_total"))],
      [
        "sidecar CPU during the load (user + system, all threads)",
        `${cpu.toFixed(1)} s = ${(cpu / seconds * 100).toFixed(0)}% of one core; ${
          (cpu * 1000 / Math.max(1, latencies.length)).toFixed(0)
        } ms per frame served`,
      ],
      ["compared with ffmpeg", compared.join(", ")],
    ];
    console.log(`\n| measure | value |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join("\n")}`);
    if (problems.length) console.error(`problems (first 20):\n${problems.slice(0, 20).join("\n")}`);

    assert.deepEqual(problems, [], `${problems.length} unexpected answers`);
    assert.ok(latencies.length > 0, "no frame was served");
    assert.ok(kept.length >= Math.min(VIDEOS.length, 3), "too few frames compared with ffmpeg");
    for (const [kind] of answers) assert.ok(kind === "200" || kind === "503 busy", `answer ${kind}`);
    const fives = [...metrics].filter(([k, v]) => /seekframe_http_requests_total\{.*status="5\d\d"/.test(k) && v > 0);
    assert.ok(fives.every(([k]) => k.includes('status="503"')), `5xx in /metrics: ${JSON.stringify(fives)}`);
    assert.doesNotMatch(sidecar.output(), /internal error/);
  } finally {
    await sidecar.stop();
  }
});
