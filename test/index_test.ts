/**
 * The persistent frame index: sample tables agree with packet scans, the
 * index lives in Deno KV across processes, a changed object is re-indexed,
 * KV values stay under 64 KiB, concurrent builders don't corrupt it, and
 * getFrameAt picks the frame shown at a time.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PutObjectCommand } from "npm:@aws-sdk/client-s3@3.1175.0";
import {
  FrameOutOfRangeError,
  InvalidArgumentError,
  MemoryIndexStore,
  type ObjectVersion,
  openFrameStore,
  type ReadStats,
  S3Provider,
} from "../mod.ts";
import { DecoderPool } from "../src/decode/pool.ts";
import { buildIndex } from "../src/index/build.ts";
import { decodeIndex, encodeIndex, SCHEMA_VERSION } from "../src/index/codec.ts";
import { KvIndexStore, ORPHAN_AGE_MS } from "../src/index/kv.ts";
import {
  FLAG_CHECKED,
  FLAG_CLASSIFIED,
  FLAG_DISCARD,
  FLAG_DISPOSABLE,
  FLAG_KEY,
  type ProbeResult,
} from "../src/index/model.ts";
import { BUCKET, FIXTURES, rawClient, s3Options, uploadFixtures } from "./env.ts";
import { psnr, referenceFrames } from "./reference.ts";

const MP4S = [
  "h264_bframes_faststart.mp4",
  "h264_audio_moov_end.mp4",
  "h264_odd_322x180.mp4",
  "h264_editlist_cut.mp4",
  "h264_vfr.mp4",
  "hevc.mp4",
  "mpeg4.mp4",
  "av1.mp4",
];

async function probeFile(pool: DecoderPool, file: string, scan: boolean): Promise<ProbeResult> {
  return await probeBytes(pool, file, await Deno.readFile(join(FIXTURES, file)), scan);
}

async function probeBytes(pool: DecoderPool, key: string, bytes: Uint8Array, scan: boolean): Promise<ProbeResult> {
  return await pool.probe(
    key,
    bytes.byteLength,
    (pos, length) => Promise.resolve(bytes.slice(pos, pos + length)),
    { scan },
  );
}

/**
 * The sample dependency bytes of the video track's `sdtp` box (moov > trak >
 * mdia > minf > stbl), read here without FFmpeg, with the offset of the first
 * entry in the file; undefined when there is none.
 */
function sdtpOf(bytes: Uint8Array): { at: number; entries: Uint8Array } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes = (from: number, to: number) => {
    const out: { type: string; body: number; end: number }[] = [];
    for (let at = from; at + 8 <= to;) {
      const size = view.getUint32(at);
      const type = new TextDecoder().decode(bytes.subarray(at + 4, at + 8));
      if (size < 8 || at + size > to) break;
      out.push({ type, body: at + 8, end: at + size });
      at += size;
    }
    return out;
  };
  const child = (box: { body: number; end: number }, type: string) =>
    boxes(box.body, box.end).find((b) => b.type === type);
  const moov = boxes(0, bytes.byteLength).find((b) => b.type === "moov");
  for (const trak of moov ? boxes(moov.body, moov.end).filter((b) => b.type === "trak") : []) {
    const mdia = child(trak, "mdia");
    const hdlr = mdia && child(mdia, "hdlr");
    if (!hdlr || new TextDecoder().decode(bytes.subarray(hdlr.body + 8, hdlr.body + 12)) !== "vide") continue;
    const minf = child(mdia, "minf"), stbl = minf && child(minf, "stbl"), sdtp = stbl && child(stbl, "sdtp");
    // Version and flags (4 bytes), then one byte per sample.
    return sdtp && { at: sdtp.body + 4, entries: bytes.subarray(sdtp.body + 4, sdtp.end) };
  }
  return undefined;
}

Deno.test("MP4 sample tables give exactly the packets a demux scan gives", async () => {
  const pool = new DecoderPool({ workers: 1 });
  try {
    for (const file of MP4S) {
      const table = await probeFile(pool, file, false);
      const scan = await probeFile(pool, file, true);
      assert.equal(table.indexSource, "sample-table", file);
      assert.equal(scan.indexSource, "packet-scan", file);
      for (const column of ["offset", "size", "pts", "dts"] as const) {
        assert.deepEqual(table.packets[column], scan.packets[column], `${file}: ${column}`);
      }
      // The container's flags agree; a scan also judges which packets are disposable.
      const container = (flags: Uint8Array) => flags.map((f) => f & (FLAG_KEY | FLAG_DISCARD));
      assert.deepEqual(container(table.packets.flags), container(scan.packets.flags), `${file}: flags`);
    }
  } finally {
    await pool.close();
  }
});

/** MD5 of every picture by pts, decoding `path` with the packets `drop` lists (decode order) left out. */
async function framesDropping(path: string, drop: number[], dir: string): Promise<Map<number, string>> {
  // The noise filter's drop expression (no commas: they separate filters).
  const expr = drop.length ? drop.map((n) => `not(n-${n})`).join("+") : "0";
  const nut = join(dir, "cut.nut");
  const ff = async (args: string[]) => {
    const out = await new Deno.Command("ffmpeg", { args: ["-v", "error", "-y", ...args], stdout: "piped" }).output();
    assert.ok(out.success, `ffmpeg ${args.join(" ")}`);
    return new TextDecoder().decode(out.stdout);
  };
  await ff(["-fflags", "+genpts", "-i", path, "-map", "0:v:0", "-c", "copy", "-bsf:v", `noise=drop=${expr}`, nut]);
  const md5s = await ff([
    "-threads",
    "1",
    "-i",
    nut,
    "-map",
    "0:v:0",
    "-fps_mode",
    "passthrough",
    "-f",
    "framemd5",
    "-",
  ]);
  const frames = new Map<number, string>();
  for (const line of md5s.split("\n")) {
    const cells = line.split(",").map((c) => c.trim());
    if (line && !line.startsWith("#")) frames.set(Number(cells[2]), cells[5]);
  }
  return frames;
}

Deno.test("an MP4 sdtp box tells from the moov alone which packets are disposable", async (t) => {
  // FFmpeg's muxer writes sdtp for the packets an encoder marks disposable (x265's
  // non-reference B pictures, SVT-AV1's non-reference frames; x264 marks none).
  const dir = await Deno.makeTempDir({ prefix: "seekframe-sdtp-" });
  const pool = new DecoderPool({ workers: 1 });
  const src = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24:duration=2"];
  const x265 = ["-c:v", "libx265", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-tag:v", "hvc1"];
  const made: Record<string, string[]> = {
    "x265_pyramid.mp4": [...src, ...x265, "-x265-params", "log-level=error:bframes=4:b-pyramid=1:keyint=24"],
    "x265_sublayers.mp4": [...src, ...x265, "-x265-params", "log-level=error:temporal-layers=1:keyint=24"],
    // A stream copy keeps the flags (the demuxer reads sdtp, the muxer writes it) under an edit list.
    "hevc_cut.mp4": ["-ss", "1.3", "-i", join(FIXTURES, "hevc.mp4"), "-c", "copy"],
    "svtav1.mp4": [...src, "-c:v", "libsvtav1", "-preset", "10", "-g", "24", "-pix_fmt", "yuv420p"],
  };
  const known = FLAG_CLASSIFIED | FLAG_DISPOSABLE;
  try {
    await Deno.copyFile(join(FIXTURES, "hevc.mp4"), join(dir, "hevc.mp4"));
    for (const [name, args] of Object.entries(made)) {
      const out = await new Deno.Command("ffmpeg", { args: ["-v", "error", "-y", ...args, join(dir, name)] }).output();
      assert.ok(out.success, `ffmpeg made ${name}`);
    }
    // sdtp as Apple's encoders write it: the other samples "depended on" (FFmpeg writes "unknown").
    const hevc = await Deno.readFile(join(dir, "hevc.mp4")), box = sdtpOf(hevc)!;
    box.entries.forEach((e, i) => ((e >> 2) & 3) === 0 && (hevc[box.at + i] = e | (1 << 2)));
    await Deno.writeFile(join(dir, "hevc_depended_on.mp4"), hevc);
    for (const name of ["hevc.mp4", "x265_pyramid.mp4", "x265_sublayers.mp4", "hevc_cut.mp4", "hevc_depended_on.mp4"]) {
      await t.step(name, async () => {
        const bytes = await Deno.readFile(join(dir, name));
        const sdtp = sdtpOf(bytes);
        assert.ok(sdtp, "the file has an sdtp box");
        const table = await probeBytes(pool, name, bytes, false);
        assert.equal(table.indexSource, "sample-table");
        assert.equal(sdtp.entries.length, table.packets.flags.length, "one sdtp entry per sample");
        const disposable: number[] = [];
        table.packets.flags.forEach((f, i) => {
          const dependedOn = (sdtp.entries[i] >> 2) & 3;
          const want = dependedOn === 2 ? known : dependedOn === 1 ? FLAG_CLASSIFIED : 0;
          assert.equal(f & known, want, `packet ${i}: sdtp byte ${sdtp.entries[i]}`);
          if (want === known) disposable.push(i);
        });
        assert.ok(disposable.length > 0, "sdtp marks some packets disposable");
        // Leaving them all out changes no picture that is still decoded.
        const full = await framesDropping(join(dir, name), [], dir);
        const without = await framesDropping(join(dir, name), disposable, dir);
        assert.ok(
          without.size >= full.size - disposable.length && without.size < full.size,
          `${without.size} of ${full.size} pictures`,
        );
        for (const [pts, md5] of without) assert.equal(md5, full.get(pts), `picture at pts ${pts}`);
      });
    }
    await t.step("a first request leaves the disposable packets out, the frame unchanged", async () => {
      // The same file with its sdtp box renamed to "free": nothing known before the bytes pass.
      // (The box type is 8 bytes before the first entry: version and flags come between.)
      const plain = await Deno.readFile(join(dir, "hevc.mp4"));
      plain.set(new TextEncoder().encode("free"), sdtpOf(plain)!.at - 8);
      assert.equal(sdtpOf(plain), undefined, "the copy has no sdtp box");
      await Deno.writeFile(join(dir, "hevc_no_sdtp.mp4"), plain);
      const fetched = async (key: string) => {
        // Every gap left out (the fixture's pictures are small).
        const ranges = { requestBytes: 0, maxRanges: Infinity };
        await using store = await openFrameStore({ dir, workers: 1, kvPath: false, ranges });
        await store.info(key); // indexed first: the frame request's reads are its packets' alone
        const stats: ReadStats = { requests: 0, bytesFetched: 0, bytesFromCache: 0 };
        const frame = await store.getFrame(key, 47, { pixelFormat: "native", stats }); // last of GOP 2
        // A small file is in the cache once probed: count what was read through it.
        return {
          bytes: stats.bytesFetched + stats.bytesFromCache,
          all: stats.lowerBoundBytes!,
          skipped: store.stats.skippedPackets,
          frame: frame.data,
        };
      };
      const withSdtp = await fetched("hevc.mp4"), without = await fetched("hevc_no_sdtp.mp4");
      assert.deepEqual(withSdtp.frame, without.frame);
      assert.equal(without.bytes, without.all, "without sdtp every packet from the keyframe is read");
      assert.ok(withSdtp.bytes < without.bytes, `${withSdtp.bytes} bytes read with sdtp, ${without.bytes} without`);
      // Without sdtp the fetched packets are judged before they are fed, so neither decodes them.
      assert.ok(
        withSdtp.skipped > 0 && withSdtp.skipped === without.skipped,
        `${withSdtp.skipped} packets not decoded`,
      );
    });
    await t.step("svtav1.mp4: AV1's sdtp is not taken", async () => {
      // An AV1 sample holds several frames; SVT-AV1 marks samples with hidden reference frames disposable.
      const bytes = await Deno.readFile(join(dir, "svtav1.mp4"));
      assert.ok(sdtpOf(bytes)?.entries.some((e) => ((e >> 2) & 3) === 2), "sdtp marks some packets disposable");
      const table = await probeBytes(pool, "svtav1.mp4", bytes, false);
      assert.ok(table.packets.flags.every((f) => !(f & FLAG_DISPOSABLE)));
    });
    await t.step(
      "packets classified by sdtp still have their framing checked when their bytes first pass",
      async () => {
        // The damage checks (src/codec/disposable.ts packetCheck) run on bytes: an sdtp verdict must not skip them.
        let stored: ProbeResult | undefined;
        const indexStore = new (class extends MemoryIndexStore {
          override put(location: string, version: ObjectVersion, probe: ProbeResult) {
            stored = probe;
            return super.put(location, version, probe);
          }
        })();
        {
          await using store = await openFrameStore({ dir, workers: 1, indexStore });
          await store.getFrame("hevc_depended_on.mp4", 47, { pixelFormat: "native" });
        }
        const flags = stored!.packets.flags;
        assert.ok(flags.every((f) => f & FLAG_CLASSIFIED), "sdtp classified every packet");
        const checked = [...flags.keys()].filter((i) => flags[i] & FLAG_CHECKED);
        assert.ok(checked.length > 0 && checked.length < flags.length, `checked: ${checked.join(",")}`);
      },
    );
    await t.step("no sdtp (x264): nothing is known before the bytes pass", async () => {
      const table = await probeFile(pool, "h264_bframes_faststart.mp4", false);
      assert.ok(table.packets.flags.every((f) => !(f & FLAG_CLASSIFIED)));
    });
  } finally {
    await pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the index model describes the stream", async () => {
  const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  try {
    const vfr = await store.info("h264_vfr.mp4");
    assert.equal(vfr.indexSource, "sample-table");
    assert.equal(vfr.nominalFps > 0, true);
    assert.ok(Math.abs(vfr.fps - vfr.nominalFps) > 1, `VFR: average ${vfr.fps} differs from nominal ${vfr.nominalFps}`);
    const frag = await store.info("h264_fragmented.mp4");
    assert.equal(frag.indexSource, "packet-scan", "fragmented MP4 falls back to a scan");
    assert.equal(frag.frameCount, 48);
    const mkv = await store.info("h264.mkv");
    assert.equal(mkv.pixelFormat, null, "not known before decoding");
    await store.getFrame("h264.mkv", 0);
    assert.equal((await store.info("h264.mkv")).pixelFormat, "yuv420p", "learned from the first decoded frame");
    assert.equal(mkv.nominalFps, 24);
    assert.deepEqual(mkv.timeBase, [1, 1000]);
    const ts = await store.info("h264_audio.ts");
    assert.equal(ts.container, "mpegts");
    assert.equal(ts.indexSource, "packet-scan");
    assert.deepEqual(ts.timeBase, [1, 90000]);
    const cut = await store.info("h264_editlist_cut.mp4");
    assert.equal(cut.startTime, 0, "edit list: the first shown frame starts at 0");
    assert.equal(cut.rotation, 0);
    for (const turn of [90, 180, 270]) {
      const turned = await store.info(`h264_rotate${turn}.mp4`);
      assert.equal(turned.rotation, turn);
      assert.deepEqual([turned.width, turned.height], turn === 180 ? [320, 176] : [176, 320], "displayed size");
    }
  } finally {
    await store.close();
  }
});

Deno.test("getFrameAt returns the frame shown at a time", async () => {
  const file = "h264_vfr.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  try {
    const info = await store.info(file);
    // Frame start times from frames themselves: every frame is shown from its time until the next one.
    const times: number[] = [];
    for (let n = 0; n < info.frameCount; n++) times.push((await store.getFrame(file, n)).time - info.startTime);
    for (const n of [0, 5, 11, 12, 20, info.frameCount - 1]) {
      const start = times[n], end = n + 1 < times.length ? times[n + 1] : info.duration;
      for (const t of [start, (start + end) / 2, end - 1e-4]) {
        const frame = await store.getFrameAt(file, t);
        assert.equal(frame.index, n, `t=${t} shows frame ${n}`);
        assert.ok(psnr(frame.data, ref.frames[n]) >= 45);
      }
    }
    await assert.rejects(store.getFrameAt(file, info.duration), FrameOutOfRangeError);
    await assert.rejects(store.getFrameAt(file, -1), InvalidArgumentError);
    await assert.rejects(store.getFrameAt(file, NaN), InvalidArgumentError);
  } finally {
    await store.close();
  }
});

/** What `kv_child.ts` reports. */
interface ChildResult {
  requests: number;
  bytes: number;
  sha256: string;
}

/** Runs `kv_child.ts` in a new process: frame `n` of `key` over S3, with its index in `kvPath`. */
async function kvChild(kvPath: string, key: string, n: number): Promise<ChildResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-kv",
      fileURLToPath(new URL("./kv_child.ts", import.meta.url)),
      kvPath,
      key,
      String(n),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.ok(out.success, "child process");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("indexes persist in Deno KV across processes", async (t) => {
  await uploadFixtures();
  const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-" });
  const kvPath = join(dir, "index.kv");
  const child = (key: string, n: number) => kvChild(kvPath, key, n);
  try {
    for (const key of ["fixtures/h264_audio_moov_end.mp4", "fixtures/h264.mkv", "fixtures/h264_audio.ts"]) {
      await t.step(`${key}: the second process fetches its first frame with one GET`, async () => {
        const first = await child(key, 40);
        assert.ok(first.requests >= 2, `first process indexes (${first.requests} requests)`);
        const second = await child(key, 41);
        assert.equal(second.requests, 1, "KV-warm process: one GET for the first frame");
        const again = await child(key, 40);
        assert.equal(again.sha256, first.sha256, "same frame from the stored index");
      });
    }
    await t.step("a replaced object is re-indexed, never served from the old index", async () => {
      const client = rawClient();
      const key = "changing/kv.mp4";
      const put = async (file: string) =>
        await client.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: await Deno.readFile(join(FIXTURES, file)) }),
        );
      try {
        await put("h264_bframes_faststart.mp4");
        await child(key, 10);
        await put("hevc.mp4");
        const store = await openFrameStore({ s3: s3Options(), kvPath, workers: 1 });
        try {
          const ref = await referenceFrames(join(FIXTURES, "hevc.mp4"));
          const frame = await store.getFrame(key, 10);
          assert.ok(psnr(frame.data, ref.frames[10]) >= 45, "frame of the new version");
          assert.equal((await store.info(key)).codec, "hevc");
        } finally {
          await store.close();
        }
        const indexes = await KvIndexStore.open(kvPath);
        const stored = await indexes.latest(s3Location(key));
        indexes.close();
        assert.equal(stored?.probe.codecpar.codec_id, 172, "KV now holds the HEVC version");
      } finally {
        client.destroy();
      }
    });
    await t.step("concurrent builders leave one consistent index", async () => {
      const key = "fixtures/vp9.webm";
      const results = await Promise.all([child(key, 5), child(key, 5), child(key, 5)]);
      assert.equal(new Set(results.map((r) => r.sha256)).size, 1);
      const kv = await Deno.openKv(kvPath);
      try {
        const heads = [], chunks: Deno.KvKey[] = [];
        for await (const e of kv.list({ prefix: ["seekframe", SCHEMA_VERSION, "head"] })) heads.push(e);
        for await (const e of kv.list({ prefix: ["seekframe", SCHEMA_VERSION, "chunk"] })) chunks.push(e.key);
        // One head per object indexed in this KV, and only the chunks the heads point to.
        const live = new Set(heads.map((h) => (h.value as { generation: string }).generation));
        assert.ok(chunks.every((k) => live.has(k[4] as string)), "no orphaned chunks");
        const total = heads.reduce((n, h) => n + (h.value as { chunks: number }).chunks, 0);
        assert.equal(chunks.length, total);
      } finally {
        kv.close();
      }
      const third = await child(key, 6);
      assert.equal(third.requests, 1);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("processes share indexes through a KV Connect server", async (t) => {
  // The test task starts a denokv (Deno's self-hosted KV Connect server).
  const url = Deno.env.get("SEEKFRAME_TEST_KV_URL");
  if (!url) throw new Error("SEEKFRAME_TEST_KV_URL is not set: run the tests with `deno task test`");
  await uploadFixtures();
  await t.step("the second process fetches its first frame with one GET", async () => {
    const key = "fixtures/h264_audio_moov_end.mp4";
    const first = await kvChild(url, key, 40);
    assert.ok(first.requests >= 2, `first process indexes (${first.requests} requests)`);
    const second = await kvChild(url, key, 41);
    assert.equal(second.requests, 1, "warm from the shared KV: one GET for the first frame");
    assert.equal((await kvChild(url, key, 40)).sha256, first.sha256, "same frame from the shared index");
  });
  await t.step("concurrent builders leave one index that reads back", async () => {
    const key = "fixtures/h264_odd_322x180.mp4";
    const results = await Promise.all([kvChild(url, key, 9), kvChild(url, key, 9), kvChild(url, key, 9)]);
    assert.equal(new Set(results.map((r) => r.sha256)).size, 1);
    const indexes = await KvIndexStore.open(url);
    try {
      const stored = await indexes.latest(s3Location(key));
      const frames = (await referenceFrames(join(FIXTURES, "h264_odd_322x180.mp4"))).frames.length;
      assert.equal(stored?.probe.packets.size.length, frames, "the stored index is whole");
    } finally {
      indexes.close();
    }
    assert.equal((await kvChild(url, key, 10)).requests, 1);
  });
  await t.step("a store in this process opens it by URL", async () => {
    const store = await openFrameStore({ s3: s3Options(), kvPath: url, workers: 1 });
    try {
      const ref = await referenceFrames(join(FIXTURES, "h264_audio_moov_end.mp4"));
      const frame = await store.getFrame("fixtures/h264_audio_moov_end.mp4", 50);
      assert.ok(psnr(frame.data, ref.frames[50]) >= 45);
      assert.equal(store.stats.storage.requests, 1, "index from the shared KV");
    } finally {
      await store.close();
    }
  });
});

Deno.test("a long video's index is chunked under KV's limits and reads back intact", async () => {
  // 108,000 frames: one hour at 30 fps, B-frame order (I/P then two B in each
  // triple), keyframe every 249 so that no GOP shows a frame after the next one starts.
  const n = 108_000;
  const probe: ProbeResult = {
    container: "mp4",
    indexSource: "sample-table",
    codec: "h264",
    codecpar: { codec_id: 27, width: 1280, height: 720, extradata: new Uint8Array([1, 100, 0, 31, 255]) },
    width: 1280,
    height: 720,
    pixelFormat: null,
    rotation: 0,
    timeBase: [1, 15360],
    frameRate: [30, 1],
    packets: {
      offset: new Float64Array(n).map((_, i) => 48 + i * 20_000 + (i % 7)),
      size: new Uint32Array(n).map((_, i) => 15_000 + (i * 7919) % 5_000),
      pts: new Float64Array(n).map((_, i) => 512 * (i % 3 === 1 ? i + 1 : i % 3 === 2 ? i - 1 : i)),
      dts: new Float64Array(n).map((_, i) => 512 * i - 1024),
      flags: new Uint8Array(n).map((_, i) => (i % 249 === 0 ? 1 : 0)),
    },
  };
  assert.deepEqual(decodeIndex(encodeIndex(probe)), probe, "encoding round trip");
  const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-" });
  try {
    const indexes = await KvIndexStore.open(join(dir, "i.kv"));
    await indexes.put("s3:test:long.mp4", { etag: "abc", size: 2_160_000_000 }, probe);
    const back = await indexes.get("s3:test:long.mp4", { etag: "abc", size: 2_160_000_000 });
    assert.deepEqual(back, probe);
    assert.equal(await indexes.get("s3:test:long.mp4", { etag: "other", size: 2_160_000_000 }), undefined);
    indexes.close();
    const kv = await Deno.openKv(join(dir, "i.kv"));
    let values = 0;
    for await (const e of kv.list({ prefix: ["seekframe"] })) {
      values++;
      const size = e.value instanceof Uint8Array ? e.value.byteLength : JSON.stringify(e.value).length;
      assert.ok(size <= 65_536, `value of ${size} bytes`);
    }
    assert.ok(values > 2, "the index is split into chunks");
    kv.close();
    assert.equal(buildIndex({ key: "long.mp4", size: 2_160_000_000, etag: "abc" }, back!).info.frameCount, n);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a reader whose entry is replaced between its head and its chunks reads the new one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-" });
  try {
    const pool = new DecoderPool({ workers: 1 });
    const probe = await probeFile(pool, "hevc.mp4", false).finally(() => pool.close());
    const kv = await Deno.openKv(join(dir, "i.kv"));
    const writer = new KvIndexStore(kv);
    const version = { etag: "a", size: 1000 };
    await writer.put("file:/v.mp4", version, probe);
    // The reader's KV: right after it reads a head, another writer stores the entry anew (deleting
    // the chunks that head names), as a sidecar persisting learned flags does.
    let raced = false;
    const racing = new Proxy(kv, {
      get(target, name) {
        if (name !== "get") return Reflect.get(target, name).bind(target);
        return async (key: Deno.KvKey) => {
          const entry = await target.get(key);
          if (!raced && key.includes("head")) {
            raced = true;
            await writer.put("file:/v.mp4", version, { ...probe, codec: "hevc-again" });
          }
          return entry;
        };
      },
    });
    const found = await new KvIndexStore(racing).latest("file:/v.mp4");
    assert.ok(raced);
    assert.equal(found?.probe.codec, "hevc-again");
    kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("chunks a writer left when it died are deleted by the next writer, once old", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-" });
  const path = join(dir, "i.kv");
  try {
    const bytes = await Deno.readFile(join(FIXTURES, "hevc.mp4"));
    const pool = new DecoderPool({ workers: 1 });
    const probe = await probeFile(pool, "hevc.mp4", false).finally(() => pool.close());
    const indexes = await KvIndexStore.open(path);
    await indexes.put("file:/v.mp4", { etag: "a", size: bytes.byteLength }, probe);
    const kv = await Deno.openKv(path);
    const chunkKeys = async () => {
      const keys: Deno.KvKey[] = [];
      for await (const e of kv.list({ prefix: ["seekframe", SCHEMA_VERSION, "chunk"] })) keys.push(e.key);
      return keys;
    };
    const loc = (await chunkKeys())[0][3];
    // Two writers died before flipping the head: one long ago, one just now (maybe still writing).
    const stamp = (ms: number) => `${ms.toString(36).padStart(9, "0")}-${crypto.randomUUID()}`;
    const old = stamp(Date.now() - ORPHAN_AGE_MS - 60_000), recent = stamp(Date.now());
    for (const g of [old, recent]) await kv.set(["seekframe", SCHEMA_VERSION, "chunk", loc, g, 0], new Uint8Array(10));
    await indexes.put("file:/v.mp4", { etag: "b", size: bytes.byteLength }, probe);
    const generations = new Set((await chunkKeys()).map((k) => k[4]));
    assert.ok(!generations.has(old), "the old orphan is gone");
    assert.ok(generations.has(recent), "a recent generation may be a write in progress: kept");
    assert.equal(generations.size, 2, "the live index and the recent one");
    assert.ok(await indexes.get("file:/v.mp4", { etag: "b", size: bytes.byteLength }), "the index reads back");
    kv.close();
    indexes.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a damaged stored index is rebuilt, not trusted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-" });
  const kvPath = join(dir, "i.kv");
  try {
    const file = "hevc.mp4";
    let store = await openFrameStore({ dir: FIXTURES, kvPath, workers: 1 });
    const good = await store.getFrame(file, 30);
    await store.close();
    const kv = await Deno.openKv(kvPath);
    for await (const e of kv.list<Uint8Array>({ prefix: ["seekframe", SCHEMA_VERSION, "chunk"] })) {
      const broken = e.value.slice();
      broken[broken.length >> 1] ^= 0xff;
      await kv.set(e.key, broken);
    }
    kv.close();
    store = await openFrameStore({ dir: FIXTURES, kvPath, workers: 1 });
    const again = await store.getFrame(file, 30);
    assert.deepEqual(again.data, good.data);
    await store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function s3Location(key: string): string {
  return new S3Provider(s3Options()).location(key);
}
