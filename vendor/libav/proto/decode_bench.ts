// deno-lint-ignore-file no-explicit-any
// Sequential decode from a keyframe: today's JS loop vs the C session API.
//
//   deno run -A --v8-flags=--no-wasm-lazy-compilation vendor/libav/proto/decode_bench.ts \
//     [--file test/fixtures/out/long_720p.mp4] [--frames 240] [--gop 1] [--reps 5] [--chunk 16] [--dist DIR]
//
// (a) worker.ts's approach: ff_decode_multi (8 packets a call, frames as pointers), then per frame
//     AVFrame_pts/ptshi/flags, and for targets sws_getContext (cached), av_frame_alloc, 3 setters,
//     sws_scale_frame, ff_copyout_frame_video_packed, av_frame_free_js; RGB24.
// (b) C session: seekframe_session_run per `--chunk` packets, RGB24 written by C, one copyout a frame.
// (c) C session, decode only (OUT_NONE).
// (d) C session, native picture (av_image_copy_to_buffer, align 1).
// First an untimed pass checks that (a) and (b) give the same frames, and counts those with the
// same RGB bytes (none since the session converts as the ffmpeg CLI does, see cli_rgb.h).

import process from "node:process";
import {
  args,
  demux,
  DIST,
  distURL,
  hiLo,
  int64,
  loadLibAV,
  median,
  OUT_NATIVE,
  OUT_NONE,
  OUT_RGB24,
  type Packet,
  REPO,
  Session,
  sha,
} from "./common.ts";

const opt = args({
  file: new URL("test/fixtures/out/long_720p.mp4", REPO).pathname,
  frames: "240",
  gop: "1",
  reps: "5",
  chunk: "16",
  dist: DIST.pathname,
  verify: "1",
});
const N = Number(opt.frames);
const dist = distURL(opt.dist);

const libav = await loadLibAV({ dist });
const { codecpar, timeBase, packets } = await demux(libav, opt.file);
const keys = packets.flatMap((p, i) => (p.flags & 1 ? [i] : []));
const K = keys[Math.min(Number(opt.gop), keys.length - 1)];
const kPts = packets[K].pts;
const cand = packets.map((p, i) => ({ pts: p.pts, i })).slice(K)
  .filter((c) => !(packets[c.i].flags & 4) && c.pts >= kPts)
  .sort((a, b) => a.pts - b.pts)
  .slice(0, N);
const targets = cand.map((c) => c.pts);
const last = Math.max(...cand.map((c) => c.i));
const feed = packets.slice(K, last + 1);
console.log(
  `${opt.file}: ${codecpar.width}x${codecpar.height}, codec ${await libav.avcodec_get_name(codecpar.codec_id)}, ` +
    `${packets.length} packets; keyframe #${opt.gop} at packet ${K} (pts ${kPts}); ${targets.length} targets, ` +
    `${feed.length} packets fed`,
);

// ---------------------------------------------------------------- (a) today's JS loop
const AV_PIX_FMT_RGB24 = 2, SWS_BICUBIC = 4;
const [, ctx, pkt, frame] = await libav.ff_init_decoder(codecpar.codec_id, { codecpar, time_base: timeBase });
const scalers = new Map<string, number>();

async function toRGB(av: any, src: number): Promise<Uint8Array> {
  const w = await av.AVFrame_width(src), h = await av.AVFrame_height(src), format = await av.AVFrame_format(src);
  const key = `${w}x${h}:${format}`;
  let sws = scalers.get(key);
  if (sws === undefined) {
    sws = await av.sws_getContext(w, h, format, w, h, AV_PIX_FMT_RGB24, SWS_BICUBIC, 0, 0, 0);
    scalers.set(key, sws!);
  }
  const dst = await av.av_frame_alloc();
  try {
    await av.AVFrame_width_s(dst, w);
    await av.AVFrame_height_s(dst, h);
    await av.AVFrame_format_s(dst, AV_PIX_FMT_RGB24);
    const ret = await av.sws_scale_frame(sws, dst, src);
    if (ret < 0) throw new Error(`sws_scale_frame ${ret}`);
    return (await av.ff_copyout_frame_video_packed(dst)).data as Uint8Array;
  } finally {
    await av.av_frame_free_js(dst);
  }
}

function packetObjects(ps: Packet[]) {
  const lohi = (n: number) => (Number.isNaN(n) ? [0, -2147483648] : hiLo(n));
  return ps.map((p) => {
    const [pts, ptshi] = lohi(p.pts), [dts, dtshi] = lohi(p.dts);
    return { data: p.data, pts, ptshi, dts, dtshi, flags: p.flags };
  });
}

async function runA(av: any, onFrame?: (pts: number, rgb: Uint8Array) => Promise<void>): Promise<number> {
  await av.avcodec_flush_buffers(ctx);
  const wanted = new Set(targets);
  const objs = packetObjects(feed);
  let got = 0;
  const collect = async (ptrs: number[]) => {
    for (const f of ptrs) {
      try {
        const pts = int64(await av.AVFrame_pts(f), await av.AVFrame_ptshi(f));
        if (!wanted.has(pts)) continue;
        wanted.delete(pts);
        if ((await av.AVFrame_flags(f)) & 1) throw new Error(`corrupt frame ${pts}`);
        const rgb = await toRGB(av, f);
        got++;
        if (onFrame) await onFrame(pts, rgb);
      } finally {
        await av.av_frame_free_js(f);
      }
    }
  };
  for (let at = 0; at < objs.length; at += 8) {
    await collect(await av.ff_decode_multi(ctx, pkt, frame, objs.slice(at, at + 8), { copyoutFrame: "ptr" }));
  }
  await collect(await av.ff_decode_multi(ctx, pkt, frame, [], { fin: true, copyoutFrame: "ptr" }));
  return got;
}

// ---------------------------------------------------------------- (b)-(d) C session
const session = await Session.open(libav, codecpar, timeBase);

async function runSession(
  s: Session,
  mode: number,
  chunk: number,
  onFrame?: (pts: number, data: Uint8Array) => Promise<void>,
): Promise<number> {
  await s.reset();
  const remaining = new Set(targets);
  let got = 0;
  for (let at = 0; at < feed.length; at += chunk) {
    const r = await s.run({
      packets: feed.slice(at, at + chunk),
      targets: [...remaining],
      fin: at + chunk >= feed.length,
      mode,
    });
    if (r.error) throw new Error(`session error ${r.error}: ${await libav.ff_error(r.error)}`);
    for (const f of r.frames) {
      remaining.delete(f.pts);
      if (f.flags & 1) throw new Error(`corrupt frame ${f.pts}`);
      got++;
      if (onFrame) await onFrame(f.pts, f.data);
    }
  }
  return got;
}

// ---------------------------------------------------------------- verify
if (opt.verify === "1") {
  const a = new Map<number, string>(), b = new Map<number, string>();
  const ga = await runA(libav, async (pts, rgb) => void a.set(pts, await sha(rgb)));
  const gb = await runSession(
    session,
    OUT_RGB24,
    Number(opt.chunk),
    async (pts, rgb) => void b.set(pts, await sha(rgb)),
  );
  let same = 0;
  for (const [pts, h] of a) if (b.get(pts) === h) same++;
  console.log(`verify: (a) ${ga} frames, (b) ${gb} frames, ${same} byte-identical RGB24 (SHA-256 per frame)`);
  const sameFrames = a.size === targets.length && b.size === targets.length && [...a.keys()].every((p) => b.has(p));
  if (!sameFrames || ga !== targets.length || gb !== targets.length) {
    console.log("VERIFY FAILED");
    Deno.exit(1);
  }
  // Calls across the JS/wasm boundary per run (libav methods invoked).
  const counted = (av: any) => {
    const n = { calls: 0 };
    return [
      new Proxy(av, {
        get(t, k) {
          const v = t[k];
          if (typeof v !== "function") return v;
          return (...x: unknown[]) => {
            n.calls++;
            return v.apply(t, x);
          };
        },
      }),
      n,
    ] as const;
  };
  const [pa, na] = counted(libav);
  await runA(pa);
  const [pb, nb] = counted(libav);
  const sb = Object.assign(Object.create(Session.prototype), { libav: pb, ptr: session.ptr });
  await runSession(sb, OUT_RGB24, Number(opt.chunk));
  console.log(`libav calls per run: (a) ${na.calls} (${(na.calls / N).toFixed(1)}/frame), (b) ${nb.calls}`);
}

// ---------------------------------------------------------------- time
const modes: [string, () => Promise<number>][] = [
  ["(a) JS loop, RGB24", () => runA(libav)],
  [`(b) C session, RGB24, ${opt.chunk} pkts/call`, () => runSession(session, OUT_RGB24, Number(opt.chunk))],
  ["(c) C session, decode only (1 call)", () => runSession(session, OUT_NONE, feed.length)],
  [`(d) C session, native ${opt.chunk} pkts/call`, () => runSession(session, OUT_NATIVE, Number(opt.chunk))],
];
// Wall time, and process CPU time (user + system, all threads): under load from other jobs the
// CPU time is the steadier figure.
const times = new Map<string, { wall: number[]; cpu: number[] }>();
for (let rep = 0; rep < Number(opt.reps); rep++) {
  for (const [name, f] of modes) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    const got = await f();
    const ms = performance.now() - t0, c = process.cpuUsage(c0);
    if (got !== targets.length) throw new Error(`${name}: ${got} frames`);
    const t = times.get(name) ?? { wall: [], cpu: [] };
    t.wall.push(ms / got);
    t.cpu.push((c.user + c.system) / 1000 / got);
    times.set(name, t);
  }
}
for (const [name, t] of times) {
  console.log(
    `${name.padEnd(40)} wall median ${median(t.wall).toFixed(2)} min ${Math.min(...t.wall).toFixed(2)} ms/frame; ` +
      `CPU median ${median(t.cpu).toFixed(2)} min ${Math.min(...t.cpu).toFixed(2)} ms/frame`,
  );
}
await session.close();
await libav.ff_free_decoder(ctx, pkt, frame);
