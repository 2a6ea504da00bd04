// Checks of the C session API on every codec of the build.
//
//   deno run -A --v8-flags=--no-wasm-lazy-compilation vendor/libav/proto/session_check.ts [--dist DIR]
//
// Per fixture: (1) every frame as "native" (av_image_copy_to_buffer, align 1) has the MD5 that
// Debian's ffmpeg gives for `-f framemd5 -c:v rawvideo` (same pixel format), matched by order;
// (2) RGB24 from the session equals Debian's ffmpeg `-pix_fmt rgb24` (framemd5, by order);
// (3) kept frames, carried targets, drain, reset and the error codes behave as documented.
// Exit code 1 on any failure.

import { args, demux, DIST, distURL, loadLibAV, OUT_NATIVE, OUT_NONE, OUT_RGB24, REPO, Session } from "./common.ts";
import { createHash } from "node:crypto";

const opt = args({ dist: DIST.pathname });
const dist = distURL(opt.dist);
const FIX = new URL("test/fixtures/out/", REPO).pathname;
const files = [
  "h264_bframes_faststart.mp4",
  "h264_odd_322x180.mp4",
  "hevc.mp4",
  "vp8.webm",
  "vp9.webm",
  "mpeg4.mp4",
  "av1.mp4",
  "h264_editlist_cut.mp4",
  "h264_full_range.mp4",
  "vp9_full_range.webm",
  "h264_bt709.mp4",
  "vp9_odd_321x180.webm",
  "vp9_odd_321x181.webm",
  "h264_10bit.mp4",
];
const libav = await loadLibAV({ dist });
let failures = 0;
const fail = (what: string) => {
  failures++;
  console.log(`  FAIL: ${what}`);
};
const md5 = (d: Uint8Array) => createHash("md5").update(d).digest("hex");

async function ffmpegMd5s(path: string, pixFmt: string): Promise<string[]> {
  const out = await new Deno.Command("ffmpeg", {
    args: [
      "-v",
      "error",
      "-threads",
      "1",
      "-i",
      path,
      "-map",
      "0:v:0",
      "-c:v",
      "rawvideo",
      "-pix_fmt",
      pixFmt,
      "-f",
      "framemd5",
      "-",
    ],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(",").pop()!.trim());
}

for (const name of files) {
  const path = FIX + name;
  const { codecpar, timeBase, packets } = await demux(libav, path);
  const codec = await libav.avcodec_get_name(codecpar.codec_id);
  const s = await Session.open(libav, codecpar, timeBase);
  const all = packets.filter((p) => !(p.flags & 4) && !Number.isNaN(p.pts)).map((p) => p.pts);

  // (1) native vs ffmpeg framemd5, in output order
  await s.reset();
  const native: { pts: number; data: Uint8Array; fmt: number; w: number; h: number }[] = [];
  for (let at = 0; at < packets.length; at += 16) {
    const r = await s.run({
      packets: packets.slice(at, at + 16),
      targets: all,
      fin: at + 16 >= packets.length,
      mode: OUT_NATIVE,
    });
    if (r.error) fail(`${name}: native run error ${r.error}`);
    for (const f of r.frames) native.push({ pts: f.pts, data: f.data, fmt: f.format, w: f.width, h: f.height });
  }
  const fmtName = native.length ? await libav.seekframe_pix_fmt_name(native[0].fmt) : "?";
  const ref = await ffmpegMd5s(path, fmtName);
  const same = native.filter((f, i) => md5(f.data) === ref[i]).length;
  if (same !== native.length || native.length !== ref.length) {
    fail(`${name}: ${same}/${native.length} native frames match ffmpeg framemd5 (${ref.length} frames)`);
  }

  // (2) RGB24: session vs the ffmpeg CLI, in output order
  await s.reset();
  const r = await s.run({ packets, targets: all, fin: true, mode: OUT_RGB24 });
  const rgbRef = await ffmpegMd5s(path, "rgb24");
  const rgbSame = r.frames.filter((f, i) => md5(f.data) === rgbRef[i]).length;
  if (r.error || rgbSame !== rgbRef.length || r.frames.length !== rgbRef.length) {
    fail(`${name}: RGB24 ${rgbSame}/${rgbRef.length} frames identical to ffmpeg's (error ${r.error})`);
  }
  const rgbW = r.frames[0]?.width, rgbH = r.frames[0]?.height;
  const sizeOk = r.frames.every((f) => f.data.byteLength === f.width * f.height * 3 && f.format === 2);

  // (3) kept frames, carried targets, drain, reset, errors
  const sorted = [...all].sort((a, b) => a - b);
  await s.reset();
  const half = Math.floor(packets.length / 2);
  const first = sorted.slice(0, 3);
  const j1 = await s.run({
    packets: packets.slice(0, half),
    targets: first,
    keepAbove: first[2],
    maxKeep: 8,
    mode: OUT_NONE,
  });
  const later = sorted.filter((p) => p > first[2]).slice(0, 2);
  const j2 = await s.run({ packets: [], targets: later, keepAbove: later[1], maxKeep: 8, mode: OUT_NATIVE });
  const j3 = await s.run({
    packets: packets.slice(half),
    targets: [sorted[sorted.length - 1]],
    fin: true,
    mode: OUT_NONE,
  });
  const j4 = await s.run({ packets: packets.slice(0, 1), targets: [], mode: OUT_NONE });
  await s.reset();
  const j5 = await s.run({ packets: packets.slice(0, 1), targets: [], mode: OUT_NONE });
  const keptOk = j1.frames.length === 3 && j1.kept.length > 0 && j1.kept.every((p) => p > first[2]) &&
    j2.fromKept === later.filter((p) => j1.kept.includes(p)).length && j3.drained && j3.frames.length === 1 &&
    j4.error === -541478725 /* AVERROR_EOF */ && j5.error === 0;
  if (!keptOk) {
    fail(
      `${name}: kept/carried/drain: j1 ${j1.frames.length} out, kept [${j1.kept}]; j2 from kept ${j2.fromKept}; ` +
        `j3 drained ${j3.drained} out ${j3.frames.length}; j4 error ${j4.error}; j5 error ${j5.error}`,
    );
  }
  await s.close();
  console.log(
    `${name}: ${codec} (avcodec_get_name), ${fmtName} (seekframe_pix_fmt_name); native ${same}/${native.length} = ffmpeg ` +
      `framemd5; RGB24 ${rgbSame}/${rgbRef.length} = ffmpeg rgb24 (${rgbW}x${rgbH}, packed ${sizeOk}); ` +
      `kept/carried/drain/reset ${keptOk ? "ok" : "FAILED"} (kept after job 1: ${j1.kept.length})`,
  );
}
const bad = await Session.open(libav, { codec_id: 27, codec_type: 0, width: 64, height: 64 }, [1, 25]);
const r = await bad.run({
  packets: [{ data: new Uint8Array(64).fill(0xff), pts: 0, dts: 0, flags: 1 }],
  targets: [0],
  fin: true,
});
console.log(
  `garbage H.264 packet: error ${r.error} (${
    r.error ? await libav.ff_error(r.error) : "none"
  }), ${r.frames.length} frames`,
);
await bad.close();
const none = await libav.avcodec_parameters_alloc();
await libav.ff_copyin_codecpar(none, { codec_id: 86016, /* mp2: not in the build */ codec_type: 1 });
const e = await libav.seekframe_session_open(none, 1, 25);
console.log(`session_open for a codec not in the build: ${e} (${await libav.ff_error(e)})`);
await libav.avcodec_parameters_free_js(none);
console.log(failures ? `${failures} FAILURES` : "ALL OK");
Deno.exit(failures ? 1 : 0);
