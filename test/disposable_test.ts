/**
 * The disposable-packet classifier against real encoder output and FFmpeg
 * itself (Debian's ffmpeg/ffprobe 5.1): the fixtures plus videos made here in
 * a temporary folder (B-pyramids, temporal sub-layers, HRD and hash SEI,
 * MBAFF, Xvid packed B-frames, VP8/VP9 temporal layers, SVT-AV1 hierarchies).
 *
 * Three checks per video:
 * - header ground truth: what FFmpeg's `trace_headers` bitstream filter (or,
 *   for MPEG-4, ffprobe's picture types) says about each packet; no packet the
 *   classifier calls disposable may be needed by those fields;
 * - end to end: the video decoded with every disposable packet dropped (noise
 *   bitstream filter) gives, for every frame it still outputs, the frame of a
 *   full decode (MD5 of each decoded picture, joined by timestamp);
 * - the same from each keyframe on, the way seekframe decodes: a fresh
 *   decoder fed the GOP with and without its disposable packets.
 *
 * Prints a table of the results.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { packetClassifier } from "../src/codec/disposable.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/out/", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Packet {
  pts: number;
  key: boolean;
  data: Uint8Array;
}

interface Probe {
  codec: string;
  extradata?: Uint8Array;
  packets: Packet[];
}

async function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const stdout = new TextDecoder().decode(out.stdout), stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed:\n${stderr.slice(-2000)}`);
  return { stdout, stderr };
}

/** Bytes of ffprobe's `-show_data` hex dump ("00000000: 0000 0001 ...  ascii"). */
function hexDump(dump: string): Uint8Array {
  const out: number[] = [];
  for (const line of dump.split("\n")) {
    const hex = line.slice(10, 49).replaceAll(" ", "");
    for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  }
  return Uint8Array.from(out);
}

async function probe(file: string): Promise<Probe> {
  const { stdout } = await run("ffprobe", [
    ..."-v error -select_streams v:0 -show_streams -show_packets -show_data -of json".split(" "),
    file,
  ]);
  const json = JSON.parse(stdout);
  const stream = json.streams[0];
  return {
    codec: stream.codec_name,
    extradata: stream.extradata ? hexDump(stream.extradata) : undefined,
    packets: json.packets.map((p: { pts: string; flags: string; data?: string }) => ({
      pts: Number(p.pts),
      key: p.flags.startsWith("K"),
      data: hexDump(p.data ?? ""),
    })),
  };
}

// ---------------------------------------------------------------------------
// Ground truth from FFmpeg's header parsers

type Fields = [name: string, value: number][];

/** trace_headers output: syntax elements of the extradata and of each packet. */
async function trace(file: string): Promise<{ extradata: Fields; packets: Fields[] }> {
  const { stderr } = await run("ffmpeg", [
    ..."-hide_banner -nostats -i".split(" "),
    file,
    ..."-map 0:v:0 -c copy -bsf:v trace_headers -f null -".split(" "),
  ]);
  const extradata: Fields = [];
  const packets: Fields[] = [];
  for (const line of stderr.split("\n")) {
    if (!line.startsWith("[trace_headers")) continue;
    if (/\] Packet: /.test(line)) {
      packets.push([]);
      continue;
    }
    const m = /\] +\d+ +(\S+) +[01]+ = (-?\d+)$/.exec(line);
    if (m) (packets.at(-1) ?? extradata).push([m[1], Number(m[2])]);
  }
  return { extradata, packets };
}

/** Groups a packet's fields into units, each starting at `first` (a NAL header, an OBU header, a VP9 frame). */
function units(fields: Fields, first: string): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (const [name, value] of fields) {
    if (name === first) out.push(new Map());
    out.at(-1)?.set(name, value);
  }
  return out;
}

/** Per packet: may a decoder skip it, by the header fields FFmpeg parsed? (Only the syntax; no SEI semantics.) */
async function headerTruth(file: string, p: Probe): Promise<boolean[] | undefined> {
  switch (p.codec) {
    case "h264": {
      const t = await trace(file);
      return t.packets.map((fields) => {
        const nals = units(fields, "forbidden_zero_bit");
        const slices = nals.filter((n) => [1, 5].includes(n.get("nal_unit_type")!));
        return slices.length > 0 && slices.every((n) => n.get("nal_ref_idc") === 0);
      });
    }
    case "hevc": {
      const t = await trace(file);
      // The stream's highest sub-layer, from every VPS/SPS FFmpeg saw.
      const all = [t.extradata, ...t.packets].flat();
      const top = Math.max(
        0,
        ...all.filter(([n]) => n === "sps_max_sub_layers_minus1" || n === "vps_max_sub_layers_minus1").map(([, v]) =>
          v
        ),
      );
      return t.packets.map((fields) => {
        const vcl = units(fields, "forbidden_zero_bit").filter((n) => n.get("nal_unit_type")! < 32);
        return vcl.length > 0 && vcl.every((n) =>
          [0, 2, 4, 6, 8, 10, 12, 14].includes(n.get("nal_unit_type")!) &&
          n.get("nuh_temporal_id_plus1")! - 1 === top
        );
      });
    }
    case "vp9": {
      // What FFmpeg's VP9 decoder leaves unchanged: only show_existing_frame.
      const t = await trace(file);
      return t.packets.map((fields) => units(fields, "frame_marker").every((f) => f.get("show_existing_frame") === 1));
    }
    case "av1": {
      const t = await trace(file);
      return t.packets.map((fields) => {
        const obus = units(fields, "obu_forbidden_bit");
        if (obus.some((o) => o.get("obu_type") === 1)) return false;
        const frames = obus.filter((o) => [3, 6].includes(o.get("obu_type")!));
        return frames.length > 0 &&
          frames.every((f) =>
            f.get("show_existing_frame") === 0 && [1, 2].includes(f.get("frame_type")!) &&
            f.get("refresh_frame_flags") === 0
          );
      });
    }
    case "mpeg4": {
      // Picture types of the decoded frames, joined to packets by timestamp.
      const { stdout } = await run("ffprobe", [
        ..."-v error -select_streams v:0 -show_entries frame=pts,pict_type -of csv=p=0".split(" "),
        file,
      ]);
      const types = new Map(stdout.trim().split("\n").map((l) => l.split(",")).map(([pts, t]) => [Number(pts), t]));
      return p.packets.map((pk) => types.get(pk.pts) === "B");
    }
  }
  return undefined; // VP8: FFmpeg 5.1 has no VP8 header tracer; the decode checks judge it.
}

// ---------------------------------------------------------------------------
// Decoding with packets dropped

/**
 * MD5 of each picture of the video after a stream copy that drops the
 * packets for which `drop(n)` holds (n: decode order), by timestamp.
 */
async function decodeDropping(
  file: string,
  dir: string,
  drop: (n: number) => boolean,
  count: number,
  decoderArgs: string[] = [],
): Promise<Map<number, string>> {
  const dropped = [...Array(count).keys()].filter(drop);
  // The noise filter's drop expression: 1 for the listed packet numbers (no commas: they separate filters).
  const expr = dropped.length ? dropped.map((n) => `not(n-${n})`).join("+") : "0";
  const nut = `${dir}/cut.nut`;
  await run("ffmpeg", [
    ..."-v error -y -fflags +genpts -i".split(" "),
    file,
    ..."-map 0:v:0 -c copy -bsf:v".split(" "),
    `noise=drop=${expr}`,
    ..."-f nut".split(" "),
    nut,
  ]);
  // Raw frames in output order, their timestamps from showinfo: no muxer reorders or renumbers anything.
  const out = await new Deno.Command("ffmpeg", {
    args: [
      ..."-hide_banner -nostats -threads 1".split(" "),
      ...decoderArgs,
      "-i",
      nut,
      ..."-map 0:v:0 -vf showinfo -fps_mode passthrough -pix_fmt yuv420p -f rawvideo -".split(" "),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr).slice(-2000));
  const frames = new Map<number, string>();
  let at = 0;
  for (const line of new TextDecoder().decode(out.stderr).split("\n")) {
    const m = /\] n: *\d+ pts: *(-?\d+) .* s:(\d+)x(\d+) /.exec(line);
    if (!m) continue;
    const pts = Number(m[1]), size = Number(m[2]) * Number(m[3]) * 3 / 2;
    assert.ok(!frames.has(pts), `two frames at pts ${pts}`);
    frames.set(pts, createHash("md5").update(out.stdout.subarray(at, at + size)).digest("hex"));
    at += size;
  }
  assert.equal(at, out.stdout.length, "one showinfo line per raw frame");
  return frames;
}

/**
 * Each packet's picture timestamp in a full decode (one picture per packet):
 * the stream copy changes the time base, not the order.
 */
function outputPts(p: Probe, full: Map<number, string>): number[] {
  assert.equal(full.size, p.packets.length);
  const byPts = [...p.packets.keys()].sort((a, b) => p.packets[a].pts - p.packets[b].pts);
  const times = [...full.keys()].sort((a, b) => a - b);
  const out: number[] = [];
  byPts.forEach((packet, rank) => out[packet] = times[rank]);
  return out;
}

/** Frames of `cut` whose picture differs from `full`'s at the same timestamp (or that `full` lacks). */
function mismatches(full: Map<number, string>, cut: Map<number, string>): number {
  let bad = 0;
  for (const [pts, md5] of cut) if (full.get(pts) !== md5) bad++;
  return bad;
}

// ---------------------------------------------------------------------------
// The videos

interface Video {
  name: string;
  /** A fixture file, or ffmpeg arguments that make it in the temporary folder. */
  file?: string;
  make?: string[];
  /** Extra decoders to run the decode checks with (seekframe uses libaom for AV1). */
  decoders?: string[];
  /** The classifier is expected to find every packet the header truth calls skippable. */
  complete?: boolean;
}

const src = (
  size: string,
  seconds = 2,
  rate = 24,
) => ["-f", "lavfi", "-i", `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];
const x264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"];
const x265 = ["-c:v", "libx265", "-preset", "veryfast", "-pix_fmt", "yuv420p"];
const ts3 = "ts_number_layers=3:ts_target_bitrate=100,200,400:ts_rate_decimator=4,2,1:ts_periodicity=4:" +
  "ts_layer_id=0,2,1,2:ts_layering_mode=3";

const VIDEOS: Video[] = [
  { name: "h264_bframes_faststart.mp4", file: "h264_bframes_faststart.mp4", complete: true },
  { name: "h264_audio_moov_end.mp4", file: "h264_audio_moov_end.mp4", complete: true },
  { name: "h264_odd_322x180.mp4", file: "h264_odd_322x180.mp4", complete: true },
  { name: "h264.mkv", file: "h264.mkv", complete: true },
  { name: "h264_audio.ts", file: "h264_audio.ts", complete: true },
  { name: "h264_fragmented.mp4", file: "h264_fragmented.mp4", complete: true },
  { name: "hevc.mp4", file: "hevc.mp4", complete: true },
  { name: "hevc.ts", file: "hevc.ts", complete: true },
  { name: "mpeg4.mp4", file: "mpeg4.mp4", complete: true },
  { name: "vp8.webm", file: "vp8.webm", decoders: ["libvpx"] },
  { name: "vp9.webm", file: "vp9.webm", complete: true },
  { name: "av1.mp4", file: "av1.mp4", decoders: ["libaom-av1"], complete: true },
  { name: "av1.webm", file: "av1.webm", complete: true },
  {
    name: "x264 B-pyramid (bf=3, b-pyramid=normal).mp4",
    make: [...src("320x240", 3), ...x264, "-bf", "3", "-x264-params", "b-pyramid=normal", "-g", "48", "out.mp4"],
    complete: true,
  },
  {
    name: "x264 B-pyramid, AUD, MPEG-TS.ts",
    make: [...src("320x240"), ...x264, "-bf", "3", "-x264-params", "b-pyramid=normal:aud=1", "out.ts"],
    complete: true,
  },
  {
    name: "x264 HRD (buffering period + picture timing SEI).mp4",
    make: [
      ...src("320x240"),
      ...x264,
      ..."-bf 3 -b:v 400k -maxrate 400k -bufsize 800k -x264-params nal-hrd=vbr:pic-struct=1".split(" "),
      "out.mp4",
    ],
    complete: true,
  },
  {
    name: "x264 MBAFF interlaced.mp4",
    make: [
      ...src("320x240"),
      ...x264,
      ..."-bf 2 -flags +ildct+ilme -x264-params interlaced=1:tff=1".split(" "),
      "out.mp4",
    ],
    complete: true,
  },
  {
    name: "x265 B-pyramid (bframes=4).mp4",
    make: [...src("320x240"), ...x265, "-x265-params", "log-level=error:bframes=4:b-pyramid=1:keyint=24", "out.mp4"],
    complete: true,
  },
  {
    name: "x265 temporal sub-layers.mp4",
    make: [...src("320x240"), ...x265, "-x265-params", "log-level=error:temporal-layers=1:keyint=24", "out.mp4"],
    complete: true,
  },
  {
    name: "x265 temporal sub-layers, MPEG-TS.ts",
    make: [...src("320x240"), ...x265, "-x265-params", "log-level=error:temporal-layers=1:keyint=24", "out.ts"],
    complete: true,
  },
  {
    name: "x265 HRD + MD5 picture hash SEI.mkv",
    make: [
      ...src("320x240"),
      ...x265,
      "-x265-params",
      "log-level=error:hash=1:hrd=1:vbv-bufsize=800:vbv-maxrate=400:keyint=24:repeat-headers=1",
      "out.mkv",
    ],
    complete: true,
  },
  {
    name: "mpeg4 -bf 3.mp4",
    make: [...src("320x240"), "-c:v", "mpeg4", "-q:v", "5", "-bf", "3", "-g", "30", "out.mp4"],
    complete: true,
  },
  {
    name: "Xvid packed B-frames.avi",
    make: [...src("320x240"), ..."-c:v libxvid -bf 2 -g 24 -q:v 4 out.avi".split(" ")],
  },
  {
    name: "VP8 3 temporal layers, error resilient.webm",
    make: [
      ...src("256x144"),
      ..."-c:v libvpx -deadline realtime -cpu-used 8 -g 48 -b:v 300k -error-resilient default".split(" "),
      "-ts-parameters",
      ts3,
      "out.webm",
    ],
    decoders: ["libvpx"],
  },
  {
    name: "VP8 3 temporal layers.webm",
    make: [
      ...src("256x144"),
      ..."-c:v libvpx -deadline realtime -cpu-used 8 -g 48 -b:v 300k".split(" "),
      "-ts-parameters",
      ts3,
      "out.webm",
    ],
  },
  {
    name: "VP9 good, alt-ref, lag 25.webm",
    make: [
      ...src("320x240"),
      ..."-c:v libvpx-vp9 -deadline good -cpu-used 4 -auto-alt-ref 1 -lag-in-frames 25 -b:v 400k -g 48".split(" "),
      "out.webm",
    ],
    complete: true,
  },
  {
    name: "VP9 3 temporal layers, error resilient.webm",
    make: [
      ...src("320x240"),
      ..."-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -g 48 -b:v 400k -error-resilient default".split(" "),
      "-ts-parameters",
      ts3,
      "out.webm",
    ],
    complete: true,
  },
  {
    name: "AV1 SVT-AV1 hierarchical.mp4",
    make: [...src("192x108"), ..."-c:v libsvtav1 -preset 10 -g 24 -pix_fmt yuv420p".split(" "), "out.mp4"],
    decoders: ["libaom-av1"],
    complete: true,
  },
  {
    name: "AV1 libaom good, lag 19.webm",
    make: [
      ...src("192x108"),
      ..."-c:v libaom-av1 -cpu-used 6 -lag-in-frames 19 -g 24 -b:v 150k -pix_fmt yuv420p".split(" "),
      "out.webm",
    ],
    decoders: ["libaom-av1"],
    complete: true,
  },
];

interface Row {
  video: string;
  codec: string;
  packets: number;
  disposable: string;
  undecided: number;
  truth: string;
  disagreements: number;
  frames: string;
}

Deno.test("disposable packets agree with FFmpeg's headers, and skipping them changes no decoded frame", async (t) => {
  if (VIDEOS.some((v) => v.file && !exists(FIXTURES + v.file))) await run("bash", [`${ROOT}test/fixtures/make.sh`]);
  const dir = await Deno.makeTempDir({ prefix: "seekframe-disposable-" });
  const rows: Row[] = [];
  try {
    for (const video of VIDEOS) {
      await t.step(video.name, async () => {
        let file = FIXTURES + video.file;
        if (video.make) {
          file = `${dir}/${video.make.at(-1)}`;
          await run("ffmpeg", ["-v", "error", "-y", ...video.make.slice(0, -1), file]);
        }
        rows.push(await check(video, file, dir));
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const headers: (keyof Row)[] = ["video", "codec", "packets", "disposable", "undecided", "truth", "disagreements"];
  headers.push("frames");
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  console.log(
    [
      "",
      line(headers),
      line(widths.map((w) => "-".repeat(w))),
      ...rows.map((r) => line(headers.map((h) => String(r[h])))),
    ].join("\n"),
  );
});

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function check(video: Video, file: string, dir: string): Promise<Row> {
  const p = await probe(file);
  const classify = packetClassifier(p.codec, p.extradata);
  assert.ok(classify, `${p.codec} is supported`);
  const verdicts = p.packets.map((pk, i) => classify(pk.data, p.packets[i + 1]?.data));
  const disposable = verdicts.map((v) => v === true);
  const count = p.packets.length;

  // 1. Header ground truth.
  const truth = await headerTruth(file, p);
  let truthText = "n/a (no tracer)";
  let disagreements = 0;
  if (truth) {
    assert.equal(truth.length, count, "one traced fragment per packet");
    const wrong = disposable.map((d, i) => d && !truth[i] ? i : -1).filter((i) => i >= 0);
    disagreements = wrong.length;
    assert.deepEqual(wrong, [], "packets called disposable that FFmpeg's headers say are needed");
    const skippable = truth.filter(Boolean).length;
    truthText = `${skippable}`;
    if (video.complete) {
      const missed = truth.map((s, i) => s && !disposable[i] ? i : -1).filter((i) => i >= 0);
      assert.deepEqual(missed, [], "skippable packets the classifier did not find");
    }
  }

  // 2. End to end, whole stream, with each decoder.
  let checked = 0;
  const any = disposable.some(Boolean);
  let full = new Map<number, string>();
  for (const decoder of any ? [undefined, ...(video.decoders ?? [])] : []) {
    const args = decoder ? ["-c:v", decoder] : [];
    const all = await decodeDropping(file, dir, () => false, count, args);
    const cut = await decodeDropping(file, dir, (n) => disposable[n], count, args);
    assert.equal(mismatches(all, cut), 0, `frames differ when skipping (decoder ${decoder ?? "default"})`);
    assert.equal(cut.size, all.size - disposable.filter(Boolean).length, "one frame fewer per skipped packet");
    checked += cut.size;
    if (!decoder) full = all;
  }

  // 2b. FFmpeg's own non-reference skipping (-skip_frame noref) skips at least the packets called disposable.
  if (any && (p.codec === "h264" || p.codec === "hevc")) {
    const noref = await decodeDropping(file, dir, () => false, count, ["-skip_frame", "noref"]);
    assert.equal(mismatches(full, noref), 0, "frames differ under -skip_frame noref");
    const kept = [...disposable.keys()].filter((i) => disposable[i] && noref.has(outputPts(p, full)[i]));
    assert.deepEqual(kept, [], "disposable packets that -skip_frame noref still decodes");
  }

  // 3. From each keyframe, as seekframe decodes: the GOP alone, with and without its disposable packets.
  const keys = p.packets.map((pk, i) => pk.key ? i : -1).filter((i) => i >= 0);
  for (const [k, start] of keys.entries()) {
    const end = keys[k + 1] ?? count;
    if (!disposable.slice(start, end).some(Boolean)) continue;
    const outside = (n: number) => n < start || n >= end;
    const gop = await decodeDropping(file, dir, outside, count);
    const cut = await decodeDropping(file, dir, (n) => outside(n) || disposable[n], count);
    assert.equal(mismatches(gop, cut), 0, `frames differ in the GOP at packet ${start}`);
    checked += cut.size;
  }

  return {
    video: video.name,
    codec: p.codec,
    packets: count,
    disposable: `${disposable.filter(Boolean).length} (${
      (100 * disposable.filter(Boolean).length / count).toFixed(0)
    }%)`,
    undecided: verdicts.filter((v) => v === undefined).length,
    truth: truthText,
    disagreements,
    frames: any ? `${checked} equal` : "nothing skipped",
  };
}
