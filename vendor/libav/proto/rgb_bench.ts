// deno-lint-ignore-file no-explicit-any
// Cost of the session's output conversion alone, per frame, for one or more builds.
//
//   deno run -A --v8-flags=--no-wasm-lazy-compilation vendor/libav/proto/rgb_bench.ts \
//     [--file test/fixtures/out/long_720p.mp4] [--frames 48] [--reps 7] [--dists DIR,DIR...] [--width 640]
//
// Each pass decodes --frames frames into the session's kept frames (untimed), then times one
// seekframe_session_run with no packets whose targets are those kept frames: the call does
// nothing but convert (or copy) them into the result area. No copyout is timed. Passes of the
// builds and modes are interleaved, so load from other jobs hits all alike.

import process from "node:process";
import {
  args,
  demux,
  DIST,
  distURL,
  encodeJob,
  loadLibAV,
  median,
  OUT_NATIVE,
  OUT_NONE,
  OUT_RGB24,
  REPO,
  Session,
} from "./common.ts";

const opt = args({
  file: new URL("test/fixtures/out/long_720p.mp4", REPO).pathname,
  frames: "48",
  reps: "7",
  dists: DIST.pathname,
  width: "640",
});
const N = Math.min(Number(opt.frames), 64);

interface Build {
  dist: string;
  libav: any;
  session: Session;
}
const builds: Build[] = [];
let packets: Awaited<ReturnType<typeof demux>>["packets"] = [];
let size = [0, 0];
for (const dist of opt.dists.split(",")) {
  const libav = await loadLibAV({ dist: distURL(dist) });
  const d = await demux(libav, opt.file);
  packets = d.packets;
  size = [d.codecpar.width, d.codecpar.height];
  builds.push({ dist, libav, session: await Session.open(libav, d.codecpar, d.timeBase) });
}
// From the first keyframe; enough packets for N frames after reordering.
const feed = packets.slice(0, N + 8);
const scaledW = Number(opt.width), scaledH = Math.round((scaledW * size[1]) / size[0]);
console.log(`${opt.file}: ${size[0]}x${size[1]}, ${N} frames a pass, ${opt.reps} passes`);

/** Decodes into kept frames, returns their pts. */
async function fill(b: Build): Promise<number[]> {
  await b.session.reset();
  const r = await b.session.run({ packets: feed, targets: [], fin: true, keepAbove: -Infinity, maxKeep: N });
  if (r.error) throw new Error(`decode error ${r.error}`);
  return r.kept;
}

/** One timed run converting the kept frames; ms per frame [wall, CPU]. */
async function convert(b: Build, targets: number[], mode: number, w = 0, h = 0): Promise<[number, number]> {
  const av = b.libav;
  const job = encodeJob({ packets: [], targets, mode, width: w, height: h, maxKeep: 0 });
  const buf = await av.seekframe_session_buffer(b.session.ptr, job.byteLength);
  await av.copyin_u8(buf, job);
  const c0 = process.cpuUsage(), t0 = performance.now();
  const res = av.seekframe_session_run_sync(b.session.ptr, buf);
  const wall = performance.now() - t0, c = process.cpuUsage(c0);
  const v: Float64Array = await av.copyout_f64(res, 16);
  if (v[0] !== 0 || v[1] !== targets.length) throw new Error(`run: error ${v[0]}, ${v[1]} of ${targets.length}`);
  return [wall / targets.length, (c.user + c.system) / 1000 / targets.length];
}

const modes: [string, number, number, number][] = [
  ["none (loop only)", OUT_NONE, 0, 0],
  ["native copy", OUT_NATIVE, 0, 0],
  ["RGB24 same size", OUT_RGB24, 0, 0],
  [`RGB24 ${scaledW}x${scaledH}`, OUT_RGB24, scaledW, scaledH],
];
const times = new Map<string, { wall: number[]; cpu: number[] }>();
for (let rep = 0; rep <= Number(opt.reps); rep++) {
  for (const [name, mode, w, h] of modes) {
    for (const b of builds) {
      const kept = await fill(b);
      const [wall, cpu] = await convert(b, kept, mode, w, h);
      if (rep === 0) continue; // warm-up (result area growth, lazy compilation)
      const key = `${b.dist} | ${name}`;
      const t = times.get(key) ?? { wall: [], cpu: [] };
      t.wall.push(wall);
      t.cpu.push(cpu);
      times.set(key, t);
    }
  }
}
for (const [key, t] of times) {
  console.log(
    `${key.padEnd(60)} wall median ${median(t.wall).toFixed(2)} min ${Math.min(...t.wall).toFixed(2)} ms/frame; ` +
      `CPU median ${median(t.cpu).toFixed(2)} min ${Math.min(...t.cpu).toFixed(2)}`,
  );
}
for (const b of builds) await b.session.close();
