// Two builds side by side (default: vendor/libav/dist vs .build/dist-simd), one instance each in
// this thread, runs interleaved: decode only and decode + RGB24 of `--frames` frames from a
// keyframe, C session API; also checks that both builds give the same bytes.
//
//   deno run -A --v8-flags=--no-wasm-lazy-compilation vendor/libav/proto/simd_bench.ts \
//     [--a vendor/libav/dist] [--b .build/dist-simd] [--file F] [--frames 240] [--gop 1] [--reps 7]

import process from "node:process";
import { args, demux, distURL, loadLibAV, median, OUT_NONE, OUT_RGB24, REPO, Session, sha } from "./common.ts";

const opt = args({
  a: "vendor/libav/dist",
  b: ".build/dist-simd",
  file: new URL("test/fixtures/out/long_720p.mp4", REPO).pathname,
  frames: "240",
  gop: "1",
  reps: "7",
});
const builds = [opt.a, opt.b];
const avs = await Promise.all(builds.map((d) => loadLibAV({ dist: distURL(d) })));
const { codecpar, timeBase, packets } = await demux(avs[0], opt.file);
const keys = packets.flatMap((p, i) => (p.flags & 1 ? [i] : []));
const K = keys[Math.min(Number(opt.gop), keys.length - 1)];
const cand = packets.map((p, i) => ({ pts: p.pts, i })).slice(K)
  .filter((c) => !(packets[c.i].flags & 4) && c.pts >= packets[K].pts)
  .sort((a, b) => a.pts - b.pts).slice(0, Number(opt.frames));
const targets = cand.map((c) => c.pts);
const feed = packets.slice(K, Math.max(...cand.map((c) => c.i)) + 1);
const sessions = await Promise.all(avs.map((av) => Session.open(av, codecpar, timeBase)));
console.log(
  `${opt.file.split("/").pop()}: ${await avs[0].avcodec_get_name(
    codecpar.codec_id,
  )} ${codecpar.width}x${codecpar.height}, ` +
    `${targets.length} frames from keyframe #${opt.gop}`,
);

async function run(s: Session, mode: number, hashes?: string[]): Promise<number> {
  await s.reset();
  const chunk = mode === OUT_NONE ? feed.length : 16;
  let got = 0;
  for (let at = 0; at < feed.length; at += chunk) {
    const r = await s.run({ packets: feed.slice(at, at + chunk), targets, fin: at + chunk >= feed.length, mode });
    if (r.error) throw new Error(`error ${r.error}`);
    got += r.frames.length;
    if (hashes) { for (const f of r.frames) hashes.push(await sha(f.data)); }
  }
  return got;
}

const h = [[], []] as string[][];
await run(sessions[0], OUT_RGB24, h[0]);
await run(sessions[1], OUT_RGB24, h[1]);
console.log(`RGB24 identical between the builds: ${h[0].filter((x, i) => x === h[1][i]).length}/${h[0].length}`);

const res = new Map<string, { wall: number[]; cpu: number[] }>();
for (let rep = 0; rep < Number(opt.reps); rep++) {
  for (const [mode, label] of [[OUT_NONE, "decode only"], [OUT_RGB24, "decode + RGB24"]] as const) {
    for (let b = 0; b < 2; b++) {
      const c0 = process.cpuUsage(), t0 = performance.now();
      const got = await run(sessions[b], mode);
      const wall = (performance.now() - t0) / got, c = process.cpuUsage(c0);
      const key = `${label.padEnd(15)} ${builds[b]}`;
      const e = res.get(key) ?? { wall: [], cpu: [] };
      e.wall.push(wall);
      e.cpu.push((c.user + c.system) / 1000 / got);
      res.set(key, e);
    }
  }
}
for (const [k, e] of res) {
  console.log(
    `${k.padEnd(40)} wall median ${median(e.wall).toFixed(2)} min ${Math.min(...e.wall).toFixed(2)}; ` +
      `CPU median ${median(e.cpu).toFixed(2)} min ${Math.min(...e.cpu).toFixed(2)} ms/frame`,
  );
}
