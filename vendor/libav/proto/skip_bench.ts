// Decoding to a target without feeding the non-reference pictures before it (C session API).
//
//   deno run -A --v8-flags=--no-wasm-lazy-compilation vendor/libav/proto/skip_bench.ts \
//     [--file test/fixtures/out/long_720p.mp4] [--targets 0 (= every frame)] [--dist DIR]
//
// Non-reference packets are found by parsing the MP4 (length-prefixed) NAL units:
//  - H.264: every slice NAL (types 1, 5) has nal_ref_idc == 0;
//  - HEVC: every VCL NAL is a sub-layer non-reference type (TRAIL_N 0, TSA_N 2, STSA_N 4,
//    RADL_N 6, RASL_N 8, RSV_VCL_N10/12/14) with the highest TemporalId of the stream.
// For each target: decode from the last keyframe at or before it (in decode order, with pts not
// after it) through the target's packet, then drain; once with every packet ("full") and once
// without the non-reference packets before the target ("skip"). Both are checked against a
// sequential decode of the whole file (the decoded picture, av_image_copy_to_buffer, SHA-256).

import {
  args,
  demux,
  DIST,
  distURL,
  loadLibAV,
  median,
  OUT_NATIVE,
  type Packet,
  REPO,
  Session,
  sha,
} from "./common.ts";

const opt = args({
  file: new URL("test/fixtures/out/long_720p.mp4", REPO).pathname,
  targets: "0",
  dist: DIST.pathname,
  seed: "1",
});
const dist = distURL(opt.dist);
const libav = await loadLibAV({ dist });
const { codecpar, timeBase, packets } = await demux(libav, opt.file);
const codec: string = await libav.avcodec_get_name(codecpar.codec_id);
const extradata: Uint8Array | null = codecpar.extradata;

// ---------------------------------------------------------------- non-reference packets
function nals(data: Uint8Array, lengthSize: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at + lengthSize <= data.length;) {
    let n = 0;
    for (let k = 0; k < lengthSize; k++) n = n * 256 + data[at + k];
    at += lengthSize;
    if (n === 0 || at + n > data.length) break;
    out.push(data.subarray(at, at + n));
    at += n;
  }
  return out;
}

let isNonRef: (p: Packet) => boolean;
let how: string;
if (codec === "h264") {
  const lengthSize = extradata && extradata[0] === 1 ? (extradata[4] & 3) + 1 : 4;
  how = `H.264 AVCC, ${lengthSize}-byte lengths`;
  isNonRef = (p) => {
    const slices = nals(p.data, lengthSize).filter((u) => [1, 5].includes(u[0] & 0x1f));
    return slices.length > 0 && slices.every((u) => ((u[0] >> 5) & 3) === 0);
  };
} else if (codec === "hevc") {
  const lengthSize = extradata && extradata.length > 22 ? (extradata[21] & 3) + 1 : 4;
  const layers = extradata && extradata.length > 22 ? (extradata[21] >> 3) & 7 : 0;
  // highest TemporalId: from hvcC (numTemporalLayers), else the highest one seen
  let maxTid = layers > 0 ? layers - 1 : 0;
  if (layers === 0) {
    for (const p of packets) {
      for (const u of nals(p.data, lengthSize)) {
        if (((u[0] >> 1) & 0x3f) < 32) maxTid = Math.max(maxTid, (u[1] & 7) - 1);
      }
    }
  }
  how = `HEVC hvcC, ${lengthSize}-byte lengths, numTemporalLayers ${layers}, highest TemporalId ${maxTid}`;
  isNonRef = (p) => {
    const vcl = nals(p.data, lengthSize).filter((u) => ((u[0] >> 1) & 0x3f) < 32);
    return vcl.length > 0 &&
      vcl.every((u) => {
        const type = (u[0] >> 1) & 0x3f;
        return type <= 14 && type % 2 === 0 && (u[1] & 7) - 1 === maxTid;
      });
  };
} else throw new Error(`codec ${codec}: only h264 and hevc`);

const nonRef = packets.map(isNonRef);
const nNonRef = nonRef.filter(Boolean).length;
console.log(
  `${opt.file.split("/").pop()}: ${codec} ${codecpar.width}x${codecpar.height}, ${packets.length} packets, ` +
    `${nNonRef} non-reference (${(100 * nNonRef / packets.length).toFixed(1)}%); ${how}`,
);

// ---------------------------------------------------------------- reference: whole file
const s = await Session.open(libav, codecpar, timeBase);
const ref = new Map<number, string>();
{
  await s.reset();
  const all = packets.filter((p) => !(p.flags & 4)).map((p) => p.pts);
  const t0 = performance.now();
  for (let at = 0; at < packets.length; at += 16) {
    const r = await s.run({
      packets: packets.slice(at, at + 16),
      targets: all,
      fin: at + 16 >= packets.length,
      mode: OUT_NATIVE,
    });
    if (r.error) throw new Error(`reference decode: ${await libav.ff_error(r.error)}`);
    for (const f of r.frames) ref.set(f.pts, await sha(f.data));
  }
  console.log(
    `reference: ${ref.size} frames decoded sequentially (${(performance.now() - t0).toFixed(0)} ms incl. hashing)`,
  );
}

function startOf(i: number): number {
  for (let k = i; k >= 0; k--) if (packets[k].flags & 1 && packets[k].pts <= packets[i].pts) return k;
  return 0;
}

// ---------------------------------------------------------------- targets
const index = packets.map((p, i) => ({ p, i })).filter(({ p }) => ref.has(p.pts));
// skipped packets right before each packet in decode order (a run of non-reference pictures)
const runBefore = packets.map((_, i) => {
  let k = i - 1;
  while (k >= 0 && nonRef[k]) k--;
  return i - 1 - k;
});
let chosen = index;
const want = Number(opt.targets);
if (want > 0 && want < index.length) {
  let seed = Number(opt.seed);
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  // a sixth with the longest run of skipped pictures right before them, a sixth with the most
  // skipped pictures in their job, the rest at random
  const skippedIn = (i: number) => nonRef.slice(startOf(i), i).filter(Boolean).length;
  const byRun = [...index].sort((a, b) => runBefore[b.i] - runBefore[a.i] || b.i - a.i);
  const bySkipped = [...index].sort((a, b) => skippedIn(b.i) - skippedIn(a.i));
  const picked = new Set(
    [...byRun.slice(0, Math.floor(want / 6)), ...bySkipped.slice(0, Math.floor(want / 6))].map((x) => x.i),
  );
  while (picked.size < want) picked.add(index[Math.floor(rnd() * index.length)].i);
  chosen = index.filter((x) => picked.has(x.i));
}

async function job(feed: Packet[], target: number): Promise<{ ms: number; hash?: string; decoded: number }> {
  const t0 = performance.now();
  await s.reset();
  const r = await s.run({ packets: feed, targets: [target], fin: true, mode: OUT_NATIVE });
  const ms = performance.now() - t0;
  if (r.error) throw new Error(`decode: ${await libav.ff_error(r.error)}`);
  const f = r.frames[0];
  if (f && f.flags & 1) throw new Error(`frame ${target} corrupt`);
  return { ms, hash: f ? await sha(f.data) : undefined, decoded: r.decoded };
}

let sameFull = 0, sameSkip = 0, fedFull = 0, fedSkip = 0;
const tFull: number[] = [], tSkip: number[] = [];
let sumFull = 0, sumSkip = 0, maxRun = 0, maxRunOk = true, maxSkipped = 0, maxSkippedOk = true;
const bad: number[] = [];
for (const { p, i } of chosen) {
  const k = startOf(i);
  const full = packets.slice(k, i + 1);
  const skip = full.filter((_, j) => !nonRef[k + j] || k + j === i);
  const a = await job(full, p.pts);
  const b = await job(skip, p.pts);
  const h = ref.get(p.pts);
  if (a.hash === h) sameFull++;
  if (b.hash === h) sameSkip++;
  else bad.push(p.pts);
  if (runBefore[i] > maxRun) {
    maxRun = runBefore[i];
    maxRunOk = b.hash === h;
  }
  if (full.length - skip.length > maxSkipped) {
    maxSkipped = full.length - skip.length;
    maxSkippedOk = b.hash === h;
  }
  fedFull += full.length;
  fedSkip += skip.length;
  tFull.push(a.ms);
  tSkip.push(b.ms);
  sumFull += a.ms;
  sumSkip += b.ms;
}
console.log(
  `${chosen.length} targets: identical to the sequential decode: full ${sameFull}, skip ${sameSkip}` +
    (bad.length ? ` (differ: pts ${bad.slice(0, 10).join(" ")})` : "") +
    `; longest run of skipped pictures right before a target: ${maxRun} (${maxRunOk ? "identical" : "DIFFERS"})` +
    `; most skipped in one job: ${maxSkipped} (${maxSkippedOk ? "identical" : "DIFFERS"})`,
);
console.log(
  `packets fed: full ${fedFull}, skip ${fedSkip} (${(100 * (1 - fedSkip / fedFull)).toFixed(1)}% not fed); ` +
    `time per target: full mean ${(sumFull / chosen.length).toFixed(1)} ms (median ${median(tFull).toFixed(1)}), ` +
    `skip mean ${(sumSkip / chosen.length).toFixed(1)} ms (median ${median(tSkip).toFixed(1)}); ` +
    `speed-up ${(sumFull / sumSkip).toFixed(2)}x`,
);
await s.close();
