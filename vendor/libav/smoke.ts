// Smoke test for the custom libav.js "seekframe" build (vendor/libav/dist).
//
//   deno run -A vendor/libav/smoke.ts            (needs the native ffmpeg/ffprobe CLI for the clips)
//
// - makes small clips with the native ffmpeg CLI in <repo>/.build/smoke/ (if missing)
// - opens each through a block reader device fed from a Deno file
// - reads the demuxer index with seekframe_index_read and, for MP4, checks that
//   pos/dts/pts/size/flags equal the packets of a sequential ff_read_frame_multi read
//   (and compares with ffprobe -show_packets)
// - decodes a few frames in a second instance (codecpar copied out as a JS object),
//   drains, flushes + reuses the decoder, converts a frame to RGB24 with swscale
// - loads the module inside a Deno Worker
//
// Exit code 0 = all checks passed.

// deno-lint-ignore-file no-explicit-any
const DIST = new URL("./dist/", import.meta.url);
const REPO = new URL("../../", import.meta.url);
const SMOKE = new URL(".build/smoke/", REPO).pathname;

const FRONTEND = new URL("libav-seekframe.mjs", DIST).href;
const WASMURL = new URL("libav-seekframe.wasm.wasm", DIST).href;

let failures = 0;
function check(cond: boolean, what: string) {
  if (!cond) {
    failures++;
    console.log(`  FAIL: ${what}`);
  }
}

// ---------------------------------------------------------------------------
// Clips
// ---------------------------------------------------------------------------
const SRC = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=4"];
const SRC_SMALL = ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30:duration=2"];
const X264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"];
const AOM = ["-c:v", "libaom-av1", "-cpu-used", "8", "-usage", "realtime", "-g", "30", "-b:v", "100k"];
const CLIPS: [string, string[]][] = [
  ["h264_bf2.mp4", [
    ...SRC,
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=4",
    ...X264,
    "-bf",
    "2",
    "-g",
    "30",
    "-c:a",
    "aac",
    "-shortest",
  ]],
  ["h264_negcts.mp4", [
    ...SRC,
    ...X264,
    "-bf",
    "3",
    "-g",
    "24",
    "-movflags",
    "negative_cts_offsets",
    "-use_editlist",
    "0",
  ]],
  ["h264_editlist.mp4", ["-ss", "1.2", "-i", `${SMOKE}h264_bf2.mp4`, "-c", "copy"]],
  ["h264_frag.mp4", [...SRC, ...X264, "-bf", "2", "-g", "30", "-movflags", "frag_keyframe+empty_moov"]],
  ["hevc.mp4", [
    ...SRC,
    "-c:v",
    "libx265",
    "-preset",
    "veryfast",
    "-x265-params",
    "log-level=error:bframes=3:keyint=30",
    "-tag:v",
    "hvc1",
    "-pix_fmt",
    "yuv420p",
  ]],
  ["mpeg4.mp4", [...SRC, "-c:v", "mpeg4", "-bf", "2", "-g", "30", "-q:v", "5"]],
  ["vp9.webm", [...SRC, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-g", "30", "-b:v", "300k"]],
  ["vp8.webm", [...SRC, "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-g", "30", "-b:v", "300k"]],
  ["h264.ts", [...SRC, ...X264, "-bf", "2", "-g", "30", "-f", "mpegts"]],
  ["av1.mp4", [...SRC_SMALL, ...AOM]],
  ["av1.webm", [...SRC_SMALL, ...AOM]],
];

async function cmd(bin: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(bin, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${bin} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

async function makeClips() {
  await Deno.mkdir(SMOKE, { recursive: true });
  for (const [name, args] of CLIPS) {
    try {
      await Deno.stat(SMOKE + name);
    } catch {
      console.log(`making ${name}`);
      await cmd("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args, SMOKE + name]);
    }
  }
}

// ---------------------------------------------------------------------------
// libav.js helpers
// ---------------------------------------------------------------------------
async function loadLibAV(): Promise<any> {
  const LibAV = (await import(FRONTEND)).default;
  return await LibAV.LibAV({ wasmurl: WASMURL });
}

const i64 = (lo: number, hi: number) => (hi === -0x80000000 && lo === 0 ? NaN : (hi * 0x100000000 + (lo >>> 0)));

/** Open a file through a block reader device; returns [fmt_ctx, streams, close]. */
async function openBlockReader(libav: any, path: string): Promise<[number, any[], () => Promise<void>]> {
  const file = await Deno.open(path, { read: true });
  const size = (await file.stat()).size;
  const name = "sf-" + path.replace(/[^A-Za-z0-9_.]/g, "_");
  let reads = 0;
  libav.onblockread = async (fname: string, pos: number, len: number) => {
    if (fname !== name) return;
    reads++;
    try {
      const buf = new Uint8Array(Math.max(0, Math.min(len, size - pos)));
      await file.seek(pos, Deno.SeekMode.Start);
      let off = 0;
      while (off < buf.length) {
        const n = await file.read(buf.subarray(off));
        if (n === null) break;
        off += n;
      }
      await libav.ff_block_reader_dev_send(fname, pos, buf.subarray(0, off));
    } catch (_e) {
      await libav.ff_block_reader_dev_send(fname, pos, null, { errorCode: -5 /* EIO */ });
    }
  };
  await libav.mkblockreaderdev(name, size);
  const [fmt, streams] = await libav.ff_init_demuxer_file(name);
  return [fmt, streams, async () => {
    await libav.avformat_close_input_js(fmt);
    await libav.unlink(name);
    file.close();
    console.log(`  (block reads: ${reads})`);
  }];
}

type IndexEntry = { pos: number; dts: number; pts: number; size: number; flags: number };

async function readIndex(libav: any, fmt: number, si: number): Promise<IndexEntry[]> {
  const n: number = await libav.seekframe_index_count(fmt, si);
  if (n <= 0) return [];
  const buf: number = await libav.malloc(n * 5 * 8);
  try {
    const got: number = await libav.seekframe_index_read(fmt, si, buf, n);
    if (got < 0) throw new Error("seekframe_index_read: " + (await libav.ff_error(got)));
    const a: Float64Array = await libav.copyout_f64(buf, got * 5);
    const out: IndexEntry[] = [];
    for (let i = 0; i < got; i++) {
      out.push({ pos: a[5 * i], dts: a[5 * i + 1], pts: a[5 * i + 2], size: a[5 * i + 3], flags: a[5 * i + 4] });
    }
    return out;
  } finally {
    await libav.free(buf);
  }
}

async function streamInfo(libav: any, fmt: number, si: number) {
  const buf: number = await libav.malloc(12 * 8);
  try {
    await libav.seekframe_stream_info(fmt, si, buf);
    const a: Float64Array = await libav.copyout_f64(buf, 12);
    return {
      time_base: [a[0], a[1]],
      start_time: a[2],
      duration: a[3],
      nb_frames: a[4],
      avg_frame_rate: [a[5], a[6]],
      r_frame_rate: [a[7], a[8]],
      video_delay: a[9],
      index_entries: a[10],
      dts_shift: a[11],
    };
  } finally {
    await libav.free(buf);
  }
}

type Pkt = { pos: number; dts: number; pts: number; size: number; flags: number; packet: any };

/** Read all packets sequentially (copyoutPacket "ptr" so that pos is available). */
async function readAllPackets(libav: any, fmt: number): Promise<Record<number, Pkt[]>> {
  const pkt = await libav.av_packet_alloc();
  const out: Record<number, Pkt[]> = {};
  const [res, packets] = await libav.ff_read_frame_multi(fmt, pkt, { copyoutPacket: "ptr" });
  if (res !== libav.AVERROR_EOF) console.log(`  ff_read_frame_multi result ${res}`);
  for (const si in packets) {
    out[si] = [];
    for (const ptr of packets[si] as number[]) {
      const pos = await libav.seekframe_packet_pos(ptr);
      const p = await libav.ff_copyout_packet(ptr);
      await libav.av_packet_free_js(ptr);
      out[si].push({
        pos,
        dts: i64(p.dts, p.dtshi),
        pts: i64(p.pts, p.ptshi),
        size: p.data.length,
        flags: p.flags,
        packet: p,
      });
    }
  }
  await libav.av_packet_free_js(pkt);
  return out;
}

async function ffprobePackets(path: string) {
  const j = JSON.parse(
    await cmd("ffprobe", [
      "-v",
      "error",
      "-select_streams",
      "v:0",
      "-show_entries",
      "packet=pts,dts,pos,size,flags",
      "-of",
      "json",
      path,
    ]),
  );
  return (j.packets as any[]).map((p) => ({
    pts: p.pts === undefined ? NaN : Number(p.pts),
    dts: p.dts === undefined ? NaN : Number(p.dts),
    pos: Number(p.pos),
    size: Number(p.size),
    flags: String(p.flags),
  }));
}

// ---------------------------------------------------------------------------
// Per-clip test
// ---------------------------------------------------------------------------
async function testClip(libav: any, decoderLibav: any, name: string) {
  const path = SMOKE + name;
  console.log(`\n=== ${name}`);
  const [fmt, streams, close] = await openBlockReader(libav, path);
  try {
    for (const s of streams) {
      console.log(
        `  stream ${s.index}: type ${s.codec_type} codec_id ${s.codec_id} tb ${s.time_base_num}/${s.time_base_den} dur ${
          s.duration.toFixed(3)
        }s`,
      );
    }
    const vs = streams.find((s: any) => s.codec_type === libav.AVMEDIA_TYPE_VIDEO);
    if (!vs) throw new Error("no video stream");
    const si = vs.index;
    const frag = await libav.seekframe_mov_is_fragmented(fmt);
    const info = await streamInfo(libav, fmt, si);
    console.log(`  mov_is_fragmented=${frag} info=${JSON.stringify(info)}`);
    const index = await readIndex(libav, fmt, si);
    console.log(`  index entries: ${index.length}; first: ${JSON.stringify(index.slice(0, 4))}`);
    const isMp4 = name.endsWith(".mp4");
    if (isMp4) check(frag === (name.includes("frag") ? 1 : 0), "seekframe_mov_is_fragmented");
    else check(frag === -1, "seekframe_mov_is_fragmented = -1 for non-mov");

    // Sequential read of all packets
    const cp = await libav.ff_copyout_codecpar(vs.codecpar);
    const all = await readAllPackets(libav, fmt);
    const vpk = all[si] ?? [];
    const nDiscard = vpk.filter((p) => p.flags & libav.AV_PKT_FLAG_DISCARD).length;
    console.log(
      `  packets: ${vpk.length} video (${nDiscard} with AV_PKT_FLAG_DISCARD); first: ` +
        JSON.stringify(vpk.slice(0, 4).map(({ packet: _p, ...r }) => r)),
    );

    if (isMp4) {
      // Index == sequential packets (pos, dts, pts, size, key/discard flags).
      // Required for non-fragmented MP4; for fragmented MP4 only reported (the caller scans packets).
      const required = !name.includes("frag");
      const chk = (c: boolean, w: string) => required ? check(c, w) : (c || console.log(`  (not required) ${w}`));
      chk(index.length === vpk.length, `index count ${index.length} == packet count ${vpk.length}`);
      let bad = 0;
      for (let i = 0; i < Math.min(index.length, vpk.length); i++) {
        const e = index[i], p = vpk[i];
        const ok = e.pos === p.pos && e.dts === p.dts && e.pts === p.pts && e.size === p.size &&
          ((e.flags & 1) !== 0) === ((p.flags & libav.AV_PKT_FLAG_KEY) !== 0) &&
          ((e.flags & 2) !== 0) === ((p.flags & libav.AV_PKT_FLAG_DISCARD) !== 0);
        if (!ok && bad++ < 5) {
          console.log(
            `  mismatch #${i}: index ${JSON.stringify(e)} packet ${JSON.stringify({ ...p, packet: undefined })}`,
          );
        }
      }
      chk(bad === 0, `index == packets (${bad} mismatches)`);
      console.log(
        `  index vs sequential packets: ${bad === 0 ? "EQUAL" : bad + " mismatches"} (${index.length} entries)`,
      );
    }

    // ffprobe comparison (native FFmpeg 5.1 CLI; pos/size/dts/pts)
    const probe = await ffprobePackets(path);
    let pbad = 0;
    for (let i = 0; i < Math.min(probe.length, vpk.length); i++) {
      const a = probe[i], b = vpk[i];
      const eq = (x: number, y: number) => x === y || (isNaN(x) && isNaN(y));
      if (!(eq(a.pts, b.pts) && eq(a.dts, b.dts) && a.pos === b.pos && a.size === b.size)) {
        if (pbad++ < 3) {
          console.log(
            `  ffprobe differs #${i}: ffprobe ${JSON.stringify(a)} wasm ${JSON.stringify({ ...b, packet: undefined })}`,
          );
        }
      }
    }
    console.log(`  ffprobe: ${probe.length} packets, ${pbad} differ from wasm packets`);
    if (isMp4 && !name.includes("editlist")) {
      check(pbad === 0 && probe.length === vpk.length, "ffprobe == wasm packets");
    }

    // Decode in the other instance from a JS CodecParameters object
    await testDecode(decoderLibav, cp, vs, vpk.map((p) => p.packet));
  } finally {
    await close();
  }
}

async function testDecode(libav: any, cp: any, vs: any, packets: any[]) {
  const t0 = performance.now();
  const [, c, pkt, frame] = await libav.ff_init_decoder(cp.codec_id, {
    codecpar: cp,
    time_base: [vs.time_base_num, vs.time_base_den],
  });
  try {
    // 1. first 12 packets, then drain (fin: true)
    const first = packets.slice(0, 12);
    const frames = await libav.ff_decode_multi(c, pkt, frame, first, { fin: true, copyoutFrame: "ptr" });
    const expect = first.filter((p) => !(p.flags & libav.AV_PKT_FLAG_DISCARD)).length;
    const ptsList: number[] = [];
    for (const f of frames) ptsList.push(i64(await libav.AVFrame_pts(f), await libav.AVFrame_ptshi(f)));
    console.log(
      `  decoded ${frames.length} frames from ${first.length} packets (${expect} non-discard); pts ${
        JSON.stringify(ptsList)
      }`,
    );
    check(frames.length === expect, `decoded frame count ${frames.length} == non-discard packets ${expect}`);

    // 2. RGB24 conversion of the first frame
    if (frames.length) {
      const f0 = frames[0];
      const w = await libav.AVFrame_width(f0),
        h = await libav.AVFrame_height(f0),
        fmtp = await libav.AVFrame_format(f0);
      const sws = await libav.sws_getContext(w, h, fmtp, w, h, libav.AV_PIX_FMT_RGB24, 2, /* SWS_BILINEAR */ 0, 0, 0);
      const dst = await libav.av_frame_alloc();
      const r = await libav.sws_scale_frame(sws, dst, f0);
      const rgb = await libav.ff_copyout_frame(dst);
      console.log(
        `  RGB24: sws_scale_frame=${r} ${rgb.width}x${rgb.height} format ${rgb.format} bytes ${rgb.data.length} stride ${
          rgb.layout?.[0]?.stride
        }`,
      );
      check(rgb.width === vs.width || rgb.width === cp.width, "rgb width");
      check(
        rgb.width === cp.width && rgb.height === cp.height && rgb.format === libav.AV_PIX_FMT_RGB24,
        "rgb dims/format",
      );
      check(rgb.data.length >= cp.width * cp.height * 3, "rgb data size");
      await libav.av_frame_free_js(dst);
      await libav.sws_freeContext(sws);
    }
    for (const f of frames) await libav.av_frame_free_js(f);

    // 3. reuse after drain: avcodec_flush_buffers, then decode again from the first keyframe
    await libav.avcodec_flush_buffers(c);
    const again = await libav.ff_decode_multi(c, pkt, frame, packets.slice(0, 12), true);
    console.log(
      `  after avcodec_flush_buffers: ${again.length} frames again; frame[0] pts ${
        again[0] ? i64(again[0].pts, again[0].ptshi) : "-"
      } ${again[0]?.width}x${again[0]?.height}`,
    );
    check(again.length === expect, "decoder reusable after drain + avcodec_flush_buffers");
  } finally {
    await libav.ff_free_decoder(c, pkt, frame);
  }
  console.log(`  decode test ${(performance.now() - t0).toFixed(0)} ms`);
}

async function testWorker() {
  console.log("\n=== Deno Worker");
  const code = `
    const LibAV = (await import(${JSON.stringify(FRONTEND)})).default;
    const libav = await LibAV.LibAV({ wasmurl: ${JSON.stringify(WASMURL)} });
    const n = await libav.seekframe_mov_is_fragmented(0);
    self.postMessage({ ok: true, mode: libav.libavjsMode, n, swscale: libav.libavjs_with_swscale_sync() });
  `;
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  const w = new Worker(url, { type: "module" });
  const msg: any = await new Promise((res, rej) => {
    w.onmessage = (e) => res(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      rej(new Error(e.message));
    };
  });
  w.terminate();
  console.log(`  worker: ${JSON.stringify(msg)}`);
  check(msg.ok && msg.n === -1, "worker load");
}

// ---------------------------------------------------------------------------
await makeClips().catch((e) => console.log("clip generation failed (continuing with existing clips): " + e));
const t0 = performance.now();
const libav = await loadLibAV();
const decoderLibav = await loadLibAV();
console.log(`loaded 2 instances in ${(performance.now() - t0).toFixed(0)} ms; mode=${libav.libavjsMode}`);
const only = Deno.args.filter((a) => !a.startsWith("-"));
for (const [name] of CLIPS) {
  if (only.length && !only.includes(name)) continue;
  try {
    await Deno.stat(SMOKE + name);
  } catch {
    continue;
  }
  if (name.startsWith("av1") && !(await libav.avcodec_find_decoder_by_name("libaom-av1"))) {
    console.log(`\n=== ${name}: skipped (no AV1 decoder in this build)`);
    continue;
  }
  try {
    await testClip(libav, decoderLibav, name);
  } catch (e) {
    failures++;
    console.log(`  FAIL (exception): ${(e as Error).stack ?? e}`);
  }
}
await testWorker().catch((e) => {
  failures++;
  console.log(`  FAIL worker: ${e}`);
});
console.log(`\n${failures === 0 ? "ALL OK" : failures + " FAILURE(S)"}`);
Deno.exit(failures ? 1 : 0);
